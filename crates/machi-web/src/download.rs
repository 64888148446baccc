//! `/download/machi-interchange.zip`: the whole ledger as the interchange folder (`interchange.md`), built
//! in memory by `machi_interchange` and zipped here with the `zip` crate (deflated: CSV shrinks to a
//! fraction, which matters once a store holds many cities and years).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use machi_interchange::write::{datapackage, rows, table_csv};
use machi_interchange::WriteOptions;

use crate::{AppError, AppState};

pub(crate) async fn interchange_zip(State(state): State<AppState>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let opts = WriteOptions::default();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (table, rs) in rows(&snap.ledger) {
        let bytes = table_csv(&table, &rs, opts).map_err(|e| AppError::Internal(format!("interchange: {e}")))?;
        files.push((format!("machi-interchange/{}", table.file()), bytes));
    }
    let dp = serde_json::to_vec_pretty(&datapackage(opts))?;
    files.push(("machi-interchange/datapackage.json".into(), dp));
    let body = zip_deflated(&files).map_err(|e| AppError::Internal(format!("zip: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/zip")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"machi-interchange.zip\"")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response())
}

/// A zip archive of `files`, deflated. Every entry carries the zip format's earliest time (1980-01-01
/// 00:00), so the archive is a function of the ledger alone: the same data downloads as the same bytes.
pub(crate) fn zip_deflated(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write as _;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        // Over 4 GiB an entry needs ZIP64 headers, which the writer adds only when told beforehand.
        zip.start_file(name, options.large_file(data.len() as u64 >= u64::from(u32::MAX)))?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

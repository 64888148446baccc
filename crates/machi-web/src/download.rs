//! `/download/machi-interchange.zip`: the whole ledger as the interchange folder (`interchange.md`), built
//! in memory by `machi_interchange` and zipped here.
//!
//! The zip is written by hand with the "stored" method (no compression): the format for that is a few
//! fixed headers and a CRC-32, which is less code to trust than a dependency, and CSV of one city is small.

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
    let body = zip_stored(&files);
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

/// CRC-32 (IEEE), bitwise: fast enough for a few hundred kilobytes.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive of `files`, uncompressed, names flagged UTF-8.
pub(crate) fn zip_stored(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // DOS time and date: 1980-01-01 00:00, so the archive is a pure function of the ledger.
    let (time, date) = (0u16, (1u16 << 5) | 1);
    for (name, data) in files {
        let crc = crc32(data);
        let offset = out.len() as u32;
        let n = name.as_bytes();
        let size = data.len() as u32;
        let local: [&[u8]; 11] = [
            &0x0403_4b50u32.to_le_bytes(),
            &20u16.to_le_bytes(),
            &0x0800u16.to_le_bytes(), // bit 11: names are UTF-8
            &0u16.to_le_bytes(),      // stored
            &time.to_le_bytes(),
            &date.to_le_bytes(),
            &crc.to_le_bytes(),
            &size.to_le_bytes(),
            &size.to_le_bytes(),
            &(n.len() as u16).to_le_bytes(),
            &0u16.to_le_bytes(),
        ];
        for part in local {
            out.extend_from_slice(part);
        }
        out.extend_from_slice(n);
        out.extend_from_slice(data);
        let entry: [&[u8]; 17] = [
            &0x0201_4b50u32.to_le_bytes(),
            &20u16.to_le_bytes(),
            &20u16.to_le_bytes(),
            &0x0800u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &time.to_le_bytes(),
            &date.to_le_bytes(),
            &crc.to_le_bytes(),
            &size.to_le_bytes(),
            &size.to_le_bytes(),
            &(n.len() as u16).to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u32.to_le_bytes(),
            &offset.to_le_bytes(),
        ];
        for part in entry {
            central.extend_from_slice(part);
        }
        central.extend_from_slice(n);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    let count = files.len() as u16;
    for part in [
        &0x0605_4b50u32.to_le_bytes()[..],
        &0u16.to_le_bytes(),
        &0u16.to_le_bytes(),
        &count.to_le_bytes(),
        &count.to_le_bytes(),
        &cd_size.to_le_bytes(),
        &cd_offset.to_le_bytes(),
        &0u16.to_le_bytes(),
    ] {
        out.extend_from_slice(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}

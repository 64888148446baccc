//! The demo ledger behind `machi serve --demo`: the same documents the tests use, compiled into the
//! binary so that the demo works from any folder. "The fixture is the demo": what a newcomer sees first is
//! what the tests check.

use std::path::Path;

use anyhow::{Context, Result};
use machi_domain::Ledger;
use machi_read::ReadOptions;
use machi_store::Store;

use crate::commands::import::read_published;

/// Published documents: (file name, bytes, municipality when the text does not name it).
const DOCUMENTS: &[(&str, &[u8], Option<&str>)] = &[
    ("001_dfc7a35a737f6b56.txt", include_bytes!("../../../test_data/seeds/001_dfc7a35a737f6b56.txt"), Some("熊本市")),
    ("002_4a7a9acf42a67d2d.txt", include_bytes!("../../../test_data/seeds/002_4a7a9acf42a67d2d.txt"), None),
    ("003_eb512b28accc4bfd.txt", include_bytes!("../../../test_data/seeds/003_eb512b28accc4bfd.txt"), None),
];

/// Made-up KPI observations for 002, so the KPI pages show progress (see the fixture's README).
const OBSERVATIONS: &str = include_str!("../../../test_data/interchange/kpi-observations/kpi_observations.csv");

/// Import the demo documents into `store` in one transaction; `scratch` is a folder for the observations
/// file (the demo's temporary folder).
pub fn load(store: &mut dyn Store, scratch: &Path, imported_at: &str) -> Result<usize> {
    let mut batch = Ledger::default();
    let mut sources = Vec::new();
    for (name, bytes, municipality) in DOCUMENTS {
        let opts = ReadOptions {
            municipality: municipality.map(str::to_string),
            fiscal_year: None,
            imported_at: imported_at.to_string(),
        };
        let (ledger, source) =
            read_published(name, bytes.to_vec(), &opts).with_context(|| format!("demo document {name}"))?;
        batch.extend(ledger);
        sources.push(source);
    }
    let dir = scratch.join("observations");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("kpi_observations.csv"), OBSERVATIONS)?;
    let known =
        machi_domain::KnownIds { kpis: batch.kpis.iter().map(|k| k.id.clone()).collect(), ..Default::default() };
    let observations = machi_interchange::read_dir(&dir, &known).context("demo KPI observations")?;
    batch.extend(observations);
    let n = batch.projects.len();
    store.import_with_sources(&batch, &sources).context("importing the demo documents")?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_store_sqlite::SqliteStore;

    #[test]
    fn the_demo_loads_every_bundled_document() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("demo.db")).unwrap();
        let projects = load(&mut store, dir.path(), "2026-11-24T00:00:00Z").unwrap();
        assert!(projects > 0);
        let ledger = store.ledger().unwrap();
        assert_eq!(ledger.documents.len(), 3);
        assert_eq!(ledger.kpis.len(), 5);
        assert_eq!(ledger.observations.len(), 6);
        assert!(ledger.projects.iter().any(|p| p.area == "北区" && p.name == "北区笑顔交流プロジェクト"));
    }
}

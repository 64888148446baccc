//! Fuzz the interchange reader: arbitrary bytes as documents.csv, projects.csv and amounts.csv (split at
//! 0xFF bytes) either read into a consistent ledger or fail with an error; never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use machi_domain::KnownIds;

static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("machi-fuzz-interchange-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&d);
        d
    });
    let mut parts = data.split(|b| *b == 0xFF);
    for name in ["documents.csv", "projects.csv", "amounts.csv"] {
        let _ = std::fs::write(dir.join(name), parts.next().unwrap_or_default());
    }
    if let Ok(ledger) = machi_interchange::read_dir(dir, &KnownIds::default()) {
        assert!(ledger.check_integrity(&KnownIds::default()).is_empty());
    }
});

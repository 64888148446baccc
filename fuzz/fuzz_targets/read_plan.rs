//! Fuzz the plan reader: any bytes that decode as text must read without a panic, and what is read must
//! form a whole ledger (unique ids, references that resolve, diagnostics on lines that exist).
//!
//! Run with `cargo fuzz run read_plan` from `fuzz/`; seed the corpus with `test_data/seeds/00[23]_*.txt`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use machi_domain::KnownIds;
use machi_read::{plan, ReadOptions, SourceText};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = SourceText::decode("fuzz.txt", data) else {
        return;
    };
    let _ = plan::looks_like(&src);
    // Without a --municipality option nothing can fail but the decoding, which succeeded above.
    let ledger = plan::read(&src, &ReadOptions::default()).expect("plan::read without options");
    assert!(ledger.check_integrity(&KnownIds::default()).is_empty());
    let lines = src.lines.len() as u32;
    assert!(ledger.diagnostics.iter().all(|d| d.line.is_none_or(|n| (1..=lines).contains(&n))));
});

//! Fuzz the budget reader: any bytes either fail to decode or read without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use machi_read::{budget, ReadOptions, SourceText};

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = SourceText::decode("fuzz.txt", data) {
        let _ = budget::read(&src, &ReadOptions::default());
    }
});

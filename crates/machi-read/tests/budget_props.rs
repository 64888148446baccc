//! Property tests: shuffled, truncated or garbled budget sheets never make the reader panic, and every
//! number it places occurs in the input text.

use machi_domain::text::nfkc;
use machi_domain::Unit;
use machi_read::{budget, ReadOptions, SourceText};
use proptest::prelude::*;

const SEED: &str = include_str!("../../../test_data/seeds/001_dfc7a35a737f6b56.txt");

/// The invented samples of layouts the seed lacks or shows once (totals before their labels, scrambled
/// themes, four-phase runs after the rows).
const SAMPLES: [&str; 4] = [
    include_str!("../../../test_data/samples/apart_totals_sumire.txt"),
    include_str!("../../../test_data/samples/scrambled_themes_kaede.txt"),
    include_str!("../../../test_data/samples/four_phase_minato_r2.txt"),
    include_str!("../../../test_data/samples/glued_hikari_r3.txt"),
];

fn lines() -> Vec<&'static str> {
    SEED.lines().collect()
}

/// Every placed amount, printed in 千円 as a table would print it, appears in the (normalised) input.
fn placed_numbers_occur(text: &str) -> Result<(), TestCaseError> {
    let src = SourceText::from_str("p.txt", text);
    let l = budget::read(&src, &ReadOptions::default()).expect("never fails without options");
    let norm: String = nfkc(text).chars().filter(|c| *c != ',').collect();
    for a in &l.amounts {
        if let Some(y) = a.amount {
            let printed = y.display_in(Unit::Thousand).replace(',', "");
            prop_assert!(norm.contains(&printed), "placed {} not in input (line {:?})", printed, a.source_line);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn shuffled_windows_never_panic(start in 0usize..1500, len in 1usize..200, seed in any::<u64>()) {
        let ls = lines();
        let end = (start + len).min(ls.len());
        let mut w: Vec<&str> = ls[start.min(end)..end].to_vec();
        // Deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..w.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            w.swap(i, (s % (i as u64 + 1)) as usize);
        }
        placed_numbers_occur(&w.join("\n"))?;
    }

    #[test]
    fn samples_with_lines_dropped_or_repeated_never_panic(which in 0usize..4, ops in proptest::collection::vec((0usize..200, any::<bool>()), 1..12)) {
        let mut w: Vec<&str> = SAMPLES[which].lines().collect();
        for (at, repeat) in ops {
            if w.is_empty() { break; }
            let at = at % w.len();
            if repeat { w.insert(at, w[at]); } else { w.remove(at); }
        }
        placed_numbers_occur(&w.join("\n"))?;
    }

    #[test]
    fn truncated_documents_never_panic(cut in 0usize..SEED.len()) {
        let mut c = cut;
        while !SEED.is_char_boundary(c) { c -= 1; }
        placed_numbers_occur(&SEED[..c])?;
    }

    #[test]
    fn garbled_lines_never_panic(garbage in proptest::collection::vec("[0-9０-９,，①②③（）()【】計合 \\-―△新規区]{0,24}", 1..60)) {
        placed_numbers_occur(&garbage.join("\n"))?;
    }
}

/// Row numbers far apart under themes (a garbled `(999999)`) are not searched one by one: the read ends,
/// and the theme is reported unchecked rather than confirmed.
#[test]
fn far_apart_row_numbers_under_themes_end_quickly() {
    let text = "令和2年度 みどり区まちづくりの取組み\n（単位：千円）\n\n当初予算 ９月補正後 ２月補正後 決算額\n\n\
                暮らしの推進（500千円） 当初予算\n\n(1) 200\n\n安全の推進（300千円）\n\n\
                にぎわいの推進（700千円） 当初予算\n\n(999999) 300\n\n(7)\n\nまちづくり推進経費　合計\n\n1,500\n";
    let src = SourceText::from_str("far.txt", text);
    let l = budget::read(&src, &ReadOptions::default()).expect("reads");
    assert!(l.diagnostics.iter().any(|d| d.code == "theme-unconfirmed"), "{:#?}", l.diagnostics);
    assert!(!l.diagnostics.iter().any(|d| d.code == "theme-confirmed"));
}

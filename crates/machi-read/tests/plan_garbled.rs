//! Garbled, truncated and shuffled plan text never makes the plan reader panic, and whatever it reads
//! still forms a whole ledger (unique ids, references that resolve).
//!
//! The inputs are the seeds cut at any character, with lines dropped, duplicated or shuffled, and with
//! tabs, dashes, circled numbers and heading keywords sprinkled in: the shapes a PDF extractor produces
//! when it goes wrong.

mod common;

use common::test_data;
use machi_domain::KnownIds;
use machi_read::{plan, ReadOptions, SourceText};
use proptest::prelude::*;

fn seed_text(name: &str) -> String {
    std::fs::read_to_string(test_data(&format!("seeds/{name}"))).expect("seed")
}

fn check(text: &str) {
    let src = SourceText::from_str("garbled.txt", text);
    let _ = plan::looks_like(&src);
    let l = plan::read(&src, &ReadOptions::default()).expect("plan::read never fails without options");
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
    let max = src.lines.len() as u32;
    for d in &l.diagnostics {
        assert!(d.line.is_none_or(|n| (1..=max).contains(&n)), "{d:?}");
    }
}

const PIECES: [&str; 16] = [
    "\t",
    "\n",
    "基本施策 ",
    "基本政策",
    "戦略",
    "5 – ",
    "-",
    "①",
    "⑳",
    "(1)",
    "具体的な施策",
    "指標\t",
    "(基準年度)",
    "実施したこと(実施年度)\t",
    "(平成 25～",
    "・未実施",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn truncated_seeds(cut in 0usize..20_000, which in 0usize..2) {
        let text = seed_text(["002_4a7a9acf42a67d2d.txt", "003_eb512b28accc4bfd.txt"][which]);
        let chars: Vec<char> = text.chars().collect();
        let cut = cut % (chars.len() + 1);
        check(&chars[..cut].iter().collect::<String>());
        check(&chars[cut..].iter().collect::<String>());
    }

    #[test]
    fn lines_dropped_duplicated_and_shuffled(ops in proptest::collection::vec((0usize..200, 0usize..200, 0u8..3), 0..40)) {
        let text = seed_text("002_4a7a9acf42a67d2d.txt") + &seed_text("003_eb512b28accc4bfd.txt");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (a, b, op) in ops {
            if lines.is_empty() {
                break;
            }
            let (a, b) = (a % lines.len(), b % lines.len());
            match op {
                0 => { lines.remove(a); }
                1 => { let l = lines[a].clone(); lines.insert(b, l); }
                _ => lines.swap(a, b),
            }
        }
        check(&lines.join("\n"));
    }

    #[test]
    fn pieces_and_noise(parts in proptest::collection::vec(prop_oneof![
        (0usize..PIECES.len()).prop_map(|i| PIECES[i].to_string()),
        "\\PC{0,12}",
    ], 0..60)) {
        check(&parts.concat());
    }

    #[test]
    fn cells_of_kpi_and_action_tables(cells in proptest::collection::vec("\\PC{0,10}", 0..30)) {
        let kpi = format!(
            "具体的な施策\t取組内容\t目標値\t\t\t担当課\n\t\t指標\tH26 (基準年度)\tR4 (目標年度)\t\n{}\n",
            cells.join("\t")
        );
        check(&kpi);
        let action = format!("具体的な事業\t担当課\t実施したこと(実施年度)\n①{}\n", cells.join("\t"));
        check(&action);
    }
}

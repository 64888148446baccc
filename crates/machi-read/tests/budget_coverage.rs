//! "Every number of the file is either placed or named in a diagnostic" (issue #4): each line of a seed
//! that carries an amount-shaped number must be the source line of a placed value (amount, stated
//! total, theme amount) or of a diagnostic. Lines that are headings of another kind (years, item
//! numbers, page numbers) are not amounts and are left out by the shape test below.

mod common;

use std::collections::HashSet;

use common::test_data;
use machi_read::{budget, ReadOptions, SourceText};

/// A token that reads as an amount in a 千円 table: `1,234`, `△26,000`, `0`, `967`, or digits glued
/// together (`9671,000`). Item numbers, years and counters carry other characters and do not match.
fn amount_shaped(token: &str) -> bool {
    let t = token.trim_start_matches(['△', '▲']);
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ',') && t.starts_with(|c: char| c.is_ascii_digit())
}

fn uncovered(name: &str, text: &str) -> Vec<(u32, String)> {
    let src = SourceText::from_str(name, text);
    let l = budget::read(&src, &ReadOptions::default()).expect("reads");
    let mut covered: HashSet<u32> = HashSet::new();
    covered.extend(l.amounts.iter().filter_map(|a| a.source_line));
    covered.extend(l.totals.iter().filter_map(|t| t.source_line));
    covered.extend(l.policies.iter().filter(|p| p.stated_amount.is_some()).filter_map(|p| p.source_line));
    covered.extend(l.diagnostics.iter().filter_map(|d| d.line));
    // A diagnostic may name the lines it considered in its message ("… on line 1291").
    for d in &l.diagnostics {
        for part in d.message.split("line ").skip(1) {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                covered.insert(n);
            }
        }
    }
    let nfkc = |s: &str| machi_domain::text::nfkc(s);
    text.lines()
        .enumerate()
        .map(|(i, line)| (i as u32 + 1, nfkc(line)))
        .filter(|(n, line)| {
            // A row's figures end a line: two or more amount-shaped tokens at the end, or a line that is
            // one amount of three or more characters. A lone small number is an item or page number.
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let trailing = tokens.iter().rev().take_while(|t| amount_shaped(t)).count();
            let is_figures = trailing >= 2 || (tokens.len() == 1 && trailing == 1 && tokens[0].len() >= 3);
            is_figures && !covered.contains(n)
        })
        .collect()
}

#[test]
fn every_line_of_figures_in_seed_001_is_placed_or_reported() {
    let text = include_str!("../../../test_data/seeds/001_dfc7a35a737f6b56.txt");
    let missing = uncovered("001_dfc7a35a737f6b56.txt", text);
    assert!(missing.is_empty(), "lines of figures neither placed nor reported:\n{missing:#?}");
}

#[test]
fn every_line_of_figures_in_the_samples_is_placed_or_reported() {
    let dir = test_data("samples");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("samples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).expect("utf-8 sample");
            // Plans have no amounts; only budget sheets are checked.
            if machi_read::plan::looks_like(&SourceText::from_str("x", &text)) {
                continue;
            }
            for m in uncovered(&path.display().to_string(), &text) {
                all.push((path.file_name().map(|n| n.to_string_lossy().into_owned()), m));
            }
        }
    }
    assert!(all.is_empty(), "lines of figures neither placed nor reported:\n{all:#?}");
}

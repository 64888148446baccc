//! Snapshots of the diagnostics the budget reader gives for each ward section of seed `001`, rendered one
//! per line (`line severity code: message`), so that a change in what is reported shows up in review.

use machi_read::{budget, ReadOptions, SourceText};

const SEED: &str = include_str!("../../../test_data/seeds/001_dfc7a35a737f6b56.txt");

fn render(from: u32, to: u32) -> String {
    let l = budget::read(&SourceText::from_str("001.txt", SEED), &ReadOptions::default()).expect("reads");
    l.diagnostics
        .iter()
        .filter(|d| d.line.is_some_and(|n| (from..=to).contains(&n)))
        .map(|d| format!("{:>4} {} {}: {}", d.line.unwrap_or(0), d.severity, d.code, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn chuo_ku() {
    insta::assert_snapshot!(render(1, 399));
}

#[test]
fn higashi_ku() {
    insta::assert_snapshot!(render(400, 701));
}

#[test]
fn nishi_ku() {
    insta::assert_snapshot!(render(702, 1049));
}

#[test]
fn minami_ku() {
    insta::assert_snapshot!(render(1050, 1326));
}

#[test]
fn kita_ku() {
    insta::assert_snapshot!(render(1327, 1530));
}

//! Vision and basic-policy blocks (`めざす区の姿`, `まちづくりビジョンの基本方針`, `基本理念`): loose text
//! printed between a ward's tables, with numbered lists (`① 地域コミュニティ活性化のための支援`) and stray
//! digits (`２`, `基本方針 １ 基本方針 ２`) that look like budget rows but are not.
//!
//! A block opens at a short title naming the vision and closes at the first line that starts a table:
//! a column header, a group heading with an amount, a fund total, or a title naming a fiscal year
//! (`令和２年度`, the heading of the budget sheet that follows). Nothing inside is read as a row; its
//! text is reported as skipped and its bare figures as unplaced numbers, so a person can still see them.

use super::classify::Kind;
use super::table::Row;
use super::tokens::is_column_word;
use crate::source::{Line, Marks};

/// Words that name a vision or its basic policies.
const VISION_WORDS: [&str; 4] = ["めざす区の姿", "まちづくりビジョン", "基本方針", "基本理念"];

/// A character of each [`VISION_WORDS`] word that a line records ([`Line::may_contain_any`]): a line
/// holding none of them cannot title a vision block, and most lines are ruled out without a search.
const VISION_CHARS: [char; 3] = ['姿', 'ビ', '基'];
const VISION_MARKS: Marks = Marks::of(&VISION_CHARS);

/// A title is short; a description that merely mentions the vision (`…ビジョンに基づく…`) is longer.
const MAX_TITLE: usize = 30;

fn opens(line: &Line, kind: &Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Marker(_) | Kind::TextNums { .. })
        && line.may_contain_any(VISION_MARKS)
        && line.norm().chars().count() <= MAX_TITLE
        && VISION_WORDS.iter().any(|w| titles(line.norm(), w))
}

/// Whether `w` is the title of the line rather than a word of a sentence wrapped over lines
/// (`…ビジョンに基づく区の特性を生`): the line starts with it, or nothing but decoration, digits or a
/// quoted slogan (`「金峰望む 華のあるまち西区」`) follows it.
fn titles(norm: &str, w: &str) -> bool {
    let t = norm.trim_matches(|c: char| c.is_whitespace() || "～~〜-―－・【】［］[]".contains(c));
    if t.starts_with(w) {
        return true;
    }
    let Some(pos) = t.find(w) else { return false };
    let after = t[pos + w.len()..].trim_matches(|c: char| c.is_whitespace() || "～~〜-―－・【】［］[]".contains(c));
    after.is_empty()
        || after.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        || (after.starts_with(['「', '【', '『']) && after.ends_with(['」', '】', '』']))
}

/// `令和2年度`, `平成31年度`, `R2年度` at the start of a short line.
fn fiscal_year_title(norm: &str) -> bool {
    if norm.chars().count() > MAX_TITLE {
        return false;
    }
    let rest = norm.strip_prefix("令和").or_else(|| norm.strip_prefix("平成")).or_else(|| norm.strip_prefix('R'));
    let Some(rest) = rest else { return false };
    let rest = rest.trim_start();
    let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '元').count();
    digits > 0 && rest.chars().skip(digits).collect::<String>().trim_start().starts_with("年度")
}

fn closes(line: &Line, kind: &Kind) -> bool {
    matches!(kind, Kind::Header { .. } | Kind::GroupAmount { .. } | Kind::Total { .. })
        || fiscal_year_title(line.norm())
}

/// For each line of a section, whether it lies in a vision block.
#[cfg(test)]
pub(crate) fn mask(lines: &[Line], kinds: &[Kind]) -> Vec<bool> {
    mask_from(lines, kinds, &mut false)
}

/// [`mask`] for the next lines of a section walked in windows: `inside` carries the state from the lines
/// before.
pub(crate) fn mask_from(lines: &[Line], kinds: &[Kind], inside: &mut bool) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    for (i, (line, kind)) in lines.iter().zip(kinds).enumerate() {
        if *inside && closes(line, kind) {
            *inside = false;
        } else if !*inside && opens(line, kind) {
            *inside = true;
        }
        out[i] = *inside;
    }
    out
}

/// Why a bare figure in a vision block is not placed.
pub(crate) const WHY: &str = "inside the vision / basic-policy text (not a budget table)";

/// Whether a line of a vision block holds only figures (reported as unplaced numbers, not as text).
pub(crate) fn only_figures(kind: &Kind) -> bool {
    matches!(kind, Kind::Numbers { .. })
}

/// Why a numbered "row" is text of the page rather than a budget row: its name is a column label
/// (`№`), or it was assembled from vertical text, one character per line (a policy statement printed
/// sideways, as 西区's `④ 被災者に対する生活支援…`).
/// `name` is the row's [`Row::joined_name`], which the caller has already computed.
pub(crate) fn not_a_row(row: &Row, name: &str) -> Option<&'static str> {
    if row.name.len() >= VERTICAL_MIN && row.name.iter().all(|l| l.trim().chars().count() == 1) {
        return Some("its name is vertical text, one character per line (a heading printed sideways)");
    }
    if !name.is_empty() && is_column_word(name) {
        return Some("its name is a column label");
    }
    None
}

/// Fewest one-character lines taken for vertical text (a short name can wrap to a lone character).
const VERTICAL_MIN: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u32, s: &str) -> Line {
        Line::new(n, s.into())
    }

    #[test]
    fn every_vision_word_holds_a_recorded_character() {
        for w in VISION_WORDS {
            assert!(w.contains(VISION_CHARS), "{w}");
            assert!(line(1, w).may_contain_any(VISION_MARKS), "{w}");
        }
    }

    #[test]
    fn a_block_runs_from_the_vision_title_to_the_next_table() {
        let lines = [
            line(1, "～ 東区まちづくりビジョンの基本方針 ～"),
            line(2, "① 被災者支援"),
            line(3, "2"),
            line(4, "令和2年度"),
            line(5, "① 地域ニーズ対応経費"),
        ];
        let kinds = [Kind::Text, Kind::Text, Kind::Text, Kind::Text, Kind::Text];
        assert_eq!(mask(&lines, &kinds), vec![true, true, true, false, false]);
    }

    #[test]
    fn a_description_mentioning_the_vision_opens_nothing() {
        let long = "西区まちづくりビジョンに基づく区の特性を生かしたまちづくりについて協議し報告をいただく。";
        assert_eq!(mask(&[line(1, long)], &[Kind::Text]), vec![false]);
        let wrapped = "西区まちづくりビジョンに基づく区の特性を生";
        assert_eq!(mask(&[line(1, wrapped)], &[Kind::Text]), vec![false]);
        assert!(titles("めざす区の姿「金峰望む 華のあるまち西区」", "めざす区の姿"));
        assert!(titles("自然豊かな 笑顔あふれる未来のまち 東区めざす区の姿", "めざす区の姿"));
        assert!(titles("基本方針 1 基本方針 2", "基本方針"));
        assert!(fiscal_year_title("令和2年度の取組み"));
        assert!(fiscal_year_title("平成31年度"));
        assert!(!fiscal_year_title("令和2年3月"));
    }
}

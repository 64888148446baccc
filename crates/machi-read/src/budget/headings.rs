//! Group headings printed without figures (`賑わい創出` in 南区's recovery table, `その他` in 中央区):
//! a short title on its own line right before the next row of a table that already has group headings.
//!
//! Such a line would otherwise be read as the description of the row before it, and every row after it
//! would stay in the previous group. It is taken as a heading only when the layout leaves no other
//! reading: the row before it is finished (its figures printed, or its description ended with `。`, or
//! nothing but its name printed on its number line), the line is short and is not a sentence, a bullet
//! or a column label, and the table has group headings already (so a short description in a table
//! without groups, as in 東区, is never taken for one).

use super::classify::Kind;
use super::table::Row;
use super::tokens::is_column_word;

/// Longest title taken for a heading, in characters (a description line is longer).
const MAX_TITLE: usize = 20;

/// Whether the text line `t` is a group heading printed without figures.
///
/// `open` is the row still open (its figures not yet read), `pillar` the current group title of the
/// section, `collecting_name` true while a merged name printed after a table is being read.
pub(crate) fn is_figureless_heading(
    t: &str,
    next: Option<&Kind>,
    open: Option<&Row>,
    pillar: &str,
    collecting_name: bool,
) -> bool {
    let t = machi_domain::text::trim(t);
    // The next line starts a row: an item line, or a row number printed alone (中央区).
    let row_next = matches!(next, Some(Kind::Item { .. }) | Some(Kind::Numbers { item: Some(_), .. }));
    if pillar.is_empty() || collecting_name || !row_next {
        return false;
    }
    let len = t.chars().count();
    if len == 0 || len >= MAX_TITLE || t.ends_with('。') || is_column_word(t) {
        return false;
    }
    // Bullets, notes and check marks are list text, not titles; a title has no figures.
    if t.starts_with(['・', '※', '✔', '○', '●', '◆', '■', '-', '－']) || t.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    match open {
        None => true,
        // The open row's name is printed and its description (if any) has ended: nothing of it is left
        // to continue on this line.
        Some(r) => !r.name.is_empty() && r.desc.last().is_none_or(|d| d.trim_end().ends_with('。')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::number::{ItemNumber, ItemNumberStyle};

    fn item() -> Kind {
        Kind::Item {
            number: ItemNumber { style: ItemNumberStyle::Paren, value: 7, printed: "（7）".into() },
            rest: "被災者健康・子育て支援経費".into(),
            nums: vec![],
            lead: vec![],
        }
    }

    #[test]
    fn short_title_before_a_row_of_a_grouped_table() {
        let named = Row { name: vec!["復興賑わいづくり支援助成経費".into()], ..Row::at(0, 0, "".into()) };
        assert!(is_figureless_heading(
            "健康・子育て支援 (健康・生活支援)",
            Some(&item()),
            Some(&named),
            "防災・減災",
            false
        ));
        assert!(is_figureless_heading("賑わい創出", Some(&item()), None, "防災・減災", false));
        // No groups in the table yet, a continuation of a description, a sentence, a bullet.
        assert!(!is_figureless_heading("賑わい創出", Some(&item()), None, "", false));
        let mid = Row {
            name: vec!["x".into()], desc: vec!["地域の交流を図るため".into()], ..Row::at(0, 0, "".into())
        };
        assert!(!is_figureless_heading("講座を開く", Some(&item()), Some(&mid), "g", false));
        assert!(!is_figureless_heading("開催する。", Some(&item()), None, "g", false));
        assert!(!is_figureless_heading("・ICTの活用など", Some(&item()), None, "g", false));
        // Not before a row, or while a merged name is read.
        assert!(!is_figureless_heading("賑わい創出", Some(&Kind::Blank), None, "g", false));
        assert!(!is_figureless_heading("経費", Some(&item()), None, "g", true));
    }
}

//! What each line of a budget sheet is, judged from the line alone (and, for a bare row number, the line
//! after it): a row start, a run of numbers, a column header, a total, a status note, or text.
//!
//! Classification never decides what a number *means*; it only says where numbers are. The table reader
//! ([`super::table`]) places them from the layout, and [`super::resolve`] settles the ambiguous ones
//! against the stated totals.

use machi_domain::number::{circled_value, split_item_number, split_tags, ItemNumber, ItemNumberStyle, TAG_BRACKETS};
use machi_domain::text::{fold, squeeze, trim_start};

use crate::source::{nfkc_cow, Line, Marks};
use machi_domain::{Phase, Unit};

use super::tokens::{
    all_numbers, ends_in_word, header_word, num_token, phase_word, split_tail, trailing_numbers, trailing_nums, NumTok,
};

/// The kind of one line.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// Nothing but whitespace.
    Blank,
    /// Only numbers (and dashes). `item` is set when the line is a bare small integer followed by a
    /// name-like line, i.e. possibly a row number printed on its own line.
    Numbers { nums: Vec<NumTok>, item: Option<ItemNumber> },
    /// Column headers naming phases, after an optional title (a group heading or a fund header).
    /// `year` is the fiscal year its words name (`R2当初`), when they name one.
    Header { title: String, phases: Vec<Phase>, fund: Option<String>, year: Option<i32> },
    /// A group heading with its own amount: `テーマに応じたまちづくりの推進（4,536千円） 当初予算`.
    GroupAmount { title: String, amount: NumTok, phases: Vec<Phase> },
    /// A stated total: `復興支援自治推進経費　　合計 10,000 10,000 8,741 7,643`.
    Total { fund: Option<String>, lead: Vec<NumTok>, nums: Vec<NumTok> },
    /// A row start: an item number, the rest of the line (NFKC, without its trailing numbers), trailing
    /// numbers, and numbers glued in front of the item number (`1,5001 地域リーダー応援事業`).
    Item { number: ItemNumber, rest: String, nums: Vec<NumTok>, lead: Vec<NumTok> },
    /// A results note: `１－① 中止`, group 1, row ①.
    Status { group: u32, row: u32, printed: String, note: String },
    /// A line holding only markers (`【新規】`, `【復興支援自治推進経費】`, `新`).
    Marker(Vec<String>),
    /// Text followed by numbers (`地域力活性化・強化支援事業 2,581 2,113 2,110 1,571`).
    TextNums { text: String, nums: Vec<NumTok> },
    /// Anything else; its text is the line's `norm` (not copied: most lines are text).
    Text,
}

/// Words that end a total's label.
const TOTAL_SUFFIXES: [&str; 5] = ["合計額", "合計", "総計", "総額", "計"];

/// The fund a label names (`南区まちづくり推進経費` → `まちづくり推進経費`), without brackets or the ward.
pub(crate) fn fund_name(label: &str) -> Option<String> {
    let s = squeeze(&nfkc_cow(label));
    let s = s.trim_matches(|c| c == '【' || c == '】' || c == '[' || c == ']');
    if !s.ends_with('費') || s.chars().count() < 3 || s.contains('。') || s.chars().count() > 24 {
        return None;
    }
    Some(strip_ward(s).to_string())
}

/// Remove a leading ward name (`東区`, `中央区`) from a fund label.
fn strip_ward(s: &str) -> &str {
    for (i, c) in s.char_indices().take(5) {
        if c == '区' {
            let rest = &s[i + c.len_utf8()..];
            if rest.ends_with('費') && rest.chars().count() >= 3 {
                return rest;
            }
        }
    }
    s
}

/// The opening brackets of [`TAG_BRACKETS`], as line marks (a bracket that is not marked fails the build):
/// a line without one holds no marker.
pub(crate) const TAG_OPENS: Marks = {
    let mut opens = [' '; TAG_BRACKETS.len()];
    let mut i = 0;
    while i < opens.len() {
        opens[i] = TAG_BRACKETS[i].0;
        i += 1;
    }
    Marks::of(&opens)
};

fn item_marker(line: &Line) -> bool {
    // A marker line is bracketed markers, or a bare `新`.
    if !line.may_contain_any(TAG_OPENS.or(const { Marks::of(&['新']) })) {
        return false;
    }
    let s = line.original();
    let sq = squeeze(&nfkc_cow(s));
    if sq == "新" {
        return true;
    }
    let (rest, tags) = split_tags(&sq);
    let rest = rest.replace("(新規)", "");
    !tags.is_empty() && rest.is_empty() || sq == "(新規)"
}

/// A `G－①` results note.
fn status_note(line: &Line) -> Option<(u32, u32, String, String)> {
    let t = trim_start(line.original());
    // A note starts with its group number: most lines are ruled out before looking for a dash.
    if !t.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return None;
    }
    if !line.may_contain_any(const { Marks::of(&['－', '-', 'ー', '‐', '―', '−']) }) {
        return None;
    }
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).collect();
    if digits.is_empty() {
        return None;
    }
    let after = t[digits.len()..].trim_start();
    let dash = after.chars().next()?;
    if !matches!(dash, '－' | '-' | 'ー' | '‐' | '―' | '−') {
        return None;
    }
    let after = after[dash.len_utf8()..].trim_start();
    let c = after.chars().next()?;
    let row = circled_value(c)?;
    let group: u32 = nfkc_cow(&digits).parse().ok()?;
    let printed = format!("{digits}{dash}{c}");
    Some((group, row, printed, after[c.len_utf8()..].trim().to_string()))
}

/// Numbers glued in front of a plain item number: `1,5001 地域…` is `1,500` then row `1`.
fn glued_lead_item(norm: &str, original: &str, unit: Unit) -> Option<(Vec<NumTok>, ItemNumber, String)> {
    // The first token is digits and commas: decided on the first byte before splitting the line.
    if !trim_start(norm).starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let first = norm.split_whitespace().next()?;
    if !first.contains(',') || !first.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    // The amount ends three digits after its last comma; what follows is the row number.
    let last_comma = first.rfind(',')?;
    let cut = last_comma + 4;
    if cut >= first.len() || first.len() - cut > 2 {
        return None;
    }
    let (amount, number) = first.split_at(cut);
    let tok = num_token(amount, unit)?;
    let value: u32 = number.parse().ok()?;
    let rest_norm = norm[first.len()..].trim();
    if rest_norm.is_empty() {
        return None;
    }
    // The rest is cut from the original text, where the row number ends at a space; the caller normalises it.
    let rest = original.trim().split_once(char::is_whitespace).map(|(_, r)| r.trim().to_string())?;
    Some((vec![tok], ItemNumber { style: ItemNumberStyle::Plain, value, printed: number.to_string() }, rest))
}

/// Column headers at the end of the line, with the title before them.
fn header(norm: &str) -> Option<(String, Vec<Phase>, Option<i32>)> {
    // A header ends in a phase word, and every phase word ends in one of these characters (its folded
    // form ends as the token does, the token being NFKC already): the last character rules out most
    // lines before the last token is split off, and that token before the title of every line is built.
    if norm.trim_end().ends_with(['算', '額', '初', '績', '後', ')'])
        && norm.split_whitespace().next_back().and_then(phase_word).is_some()
    {
        let (title, words) = split_tail(norm, header_word);
        // Columns of two fiscal years (`R4決算 R5当初`), or one phase twice (`R4予算額 R5予算額`), compare
        // years: read as this year's phases they would place last year's figures.
        let mut years = words.iter().filter_map(|(_, y)| *y);
        let year = years.next();
        let one_year = year.is_none_or(|first| years.all(|y| y == first));
        let phases: Vec<Phase> = words.iter().map(|(p, _)| *p).collect();
        let distinct = phases.iter().enumerate().all(|(i, p)| !phases[..i].contains(p));
        if !phases.is_empty() && one_year && distinct {
            return Some((title, phases, year));
        }
    }
    // `当初予算額地域活動の負担軽減`: a header glued to the group title that follows it.
    if !norm.starts_with("当初予算") {
        return None;
    }
    let mut toks = norm.split_whitespace();
    let first = toks.next()?;
    if toks.next().is_some() {
        return None;
    }
    for w in ["当初予算額", "当初予算"] {
        if let Some(rest) = first.strip_prefix(w) {
            if !rest.is_empty() {
                return Some((rest.to_string(), vec![Phase::Initial], None));
            }
        }
    }
    None
}

/// A unit printed on a total's line (`合計（千円） …`, `… 1,800（千円）`, `… 1,800 千円`) labels its figures:
/// the line without it, and the unit its figures are in.
fn without_unit_label(norm: &str, unit: Unit) -> (std::borrow::Cow<'_, str>, Unit) {
    const LABELS: [(&str, Unit); 3] = [("(千円)", Unit::Thousand), ("(万円)", Unit::TenThousand), ("(円)", Unit::Yen)];
    // Every label holds `円`: one search rules out nearly every total line.
    if !norm.contains('円') {
        return (std::borrow::Cow::Borrowed(norm), unit);
    }
    if let Some((label, u)) = LABELS.iter().find(|(l, _)| norm.contains(l)) {
        return (std::borrow::Cow::Owned(norm.replacen(label, " ", 1)), *u);
    }
    for (label, u) in [(" 千円", Unit::Thousand), (" 万円", Unit::TenThousand)] {
        if let Some(rest) = norm.trim_end().strip_suffix(label) {
            return (std::borrow::Cow::Borrowed(rest), u);
        }
    }
    (std::borrow::Cow::Borrowed(norm), unit)
}

/// A total's label, and the numbers glued in front of it (`10,000合　計`).
fn total(line: &Line, unit: Unit) -> Option<(Option<String>, Vec<NumTok>, Vec<NumTok>)> {
    if !line.may_contain_any(const { Marks::of(&['計', '額']) }) {
        return None;
    }
    let (norm, unit) = without_unit_label(line.norm(), unit);
    let (text, nums) = trailing_numbers(&norm, unit);
    let sq = squeeze(&text);
    // `合計（まちづくり推進経費）`: the fund named after the word, in brackets.
    if let Some((outer, inner)) = sq.strip_suffix(')').and_then(|s| s.rsplit_once('(')) {
        if TOTAL_SUFFIXES.contains(&outer) {
            let fund = fund_name(inner)?;
            return Some((Some(fund), vec![], nums));
        }
    }
    let suffix = TOTAL_SUFFIXES.iter().find(|s| sq.ends_with(*s))?;
    let body = &sq[..sq.len() - suffix.len()];
    // `計` alone must stand as its own word (`… 計`), or follow a fund name; `設計` is not a total.
    if *suffix == "計" {
        let spaced =
            text.trim_end().strip_suffix('計').is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace));
        if !spaced && !body.ends_with('費') {
            return None;
        }
    }
    if sq.chars().count() > 40 || sq.contains('。') {
        return None;
    }
    let lead_len = body.find(|c: char| !(c.is_ascii_digit() || c == ',')).unwrap_or(body.len());
    let (lead_text, label) = body.split_at(lead_len);
    let lead = if lead_text.is_empty() { vec![] } else { num_token(lead_text, unit).into_iter().collect() };
    Some((fund_name(label), lead, nums))
}

/// The title and amount of `title（4,536千円）`, with any column headers after it.
fn group_amount(line: &Line) -> Option<(String, NumTok, Vec<Phase>)> {
    let norm = line.norm();
    if !line.may_contain_any(const { Marks::of(&['円']) }) || !norm.contains("円)") {
        return None;
    }
    let (text, phases) = header(norm).map_or_else(|| (norm.to_string(), vec![]), |(t, p, _)| (t, p));
    let t = fold(&text);
    let t = t.trim_end();
    let body = t.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let inner = body[open + 1..].trim();
    let title = body[..open].trim();
    let label = inner
        .strip_suffix("千円")
        .map(|n| (n, Unit::Thousand))
        .or(inner.strip_suffix("万円").map(|n| (n, Unit::TenThousand)))?;
    if title.is_empty() {
        return None;
    }
    let tok = num_token(label.0.trim(), label.1)?;
    tok.is_clean().then(|| (title.to_string(), tok, phases))
}

/// Classify `lines[from..]` as far as `to` and the lookahead the lines before `to` need: the kinds
/// returned start at `from` and are final for every line before `to` and for the first non-blank line at
/// or after it (a long document is walked in windows, so its kinds never all exist at once).
pub(crate) fn classify_window(lines: &[crate::source::Line], from: usize, to: usize, unit: Unit) -> Vec<Kind> {
    // A kind depends on the next non-blank line's kind, whose own kind depends on the one after it: read
    // on to the second non-blank line at or after `to`.
    let mut kinds: Vec<Kind> = Vec::with_capacity(to.saturating_sub(from) + 4);
    let mut after = 0;
    for l in lines.get(from..).unwrap_or_default() {
        if from + kinds.len() >= to && after >= 2 {
            break;
        }
        let k = classify_one(l, unit);
        if from + kinds.len() >= to && !matches!(k, Kind::Blank) {
            after += 1;
        }
        kinds.push(k);
    }
    // A bare small integer is a row number when a name-like line follows it.
    for i in 0..kinds.len() {
        let Kind::Numbers { nums, item } = &kinds[i] else { continue };
        if nums.len() != 1 || !nums[0].is_clean() || nums[0].text.contains(',') {
            continue;
        }
        let Ok(v) = nums[0].text.parse::<u32>() else { continue };
        if !(1..=99).contains(&v) || item.is_some() {
            continue;
        }
        let next = kinds[i + 1..].iter().find(|k| !matches!(k, Kind::Blank));
        if matches!(next, Some(Kind::Text | Kind::Marker(_))) {
            let printed = lines[from + i].original().trim().to_string();
            kinds[i] = Kind::Numbers {
                nums: nums.clone(),
                item: Some(ItemNumber { style: ItemNumberStyle::Plain, value: v, printed }),
            };
        }
    }
    kinds
}

fn classify_one(line: &Line, unit: Unit) -> Kind {
    let (original, norm) = (line.original(), line.norm());
    if norm.is_empty() {
        return Kind::Blank;
    }
    if let Some(nums) = all_numbers(norm, unit) {
        return Kind::Numbers { nums, item: None };
    }
    if let Some((group, row, printed, note)) = status_note(line) {
        return Kind::Status { group, row, printed, note };
    }
    if let Some((title, amount, phases)) = group_amount(line) {
        return Kind::GroupAmount { title, amount, phases };
    }
    if let Some((title, phases, year)) = header(norm) {
        let fund = title.contains('【').then(|| fund_name(&title)).flatten();
        return Kind::Header { title, phases, fund, year };
    }
    if let Some((fund, lead, nums)) = total(line, unit) {
        return Kind::Total { fund, lead, nums };
    }
    if item_marker(line) {
        let sq = squeeze(&nfkc_cow(original));
        let (_, tags) = split_tags(&sq);
        return Kind::Marker(if tags.is_empty() { vec![sq] } else { tags });
    }
    if let Some((number, rest)) = split_item_number(original) {
        // A plain number needs a name after it; `2020 年` or `3 月` are not rows.
        let plausible = match number.style {
            ItemNumberStyle::Plain => number.value <= 99 && !rest.is_empty(),
            ItemNumberStyle::Dai | ItemNumberStyle::Dot => false,
            _ => true,
        };
        if plausible {
            let (rest, nums) = item_rest(rest, unit);
            return Kind::Item { number, rest, nums, lead: vec![] };
        }
    }
    if let Some((lead, number, rest)) = glued_lead_item(norm, original, unit) {
        let (rest, nums) = item_rest(&rest, unit);
        return Kind::Item { number, rest, nums, lead };
    }
    // Most lines are plain text: look at the last token before splitting the line up, and not even at
    // that when the line ends in a word.
    if !ends_in_word(norm) && norm.split_whitespace().next_back().is_some_and(|t| num_token(t, unit).is_some()) {
        let (text, nums) = trailing_numbers(norm, unit);
        if !nums.is_empty() && !text.is_empty() {
            return Kind::TextNums { text, nums };
        }
    }
    Kind::Text
}

/// The NFKC text of a row line after its number, without the figures at its end, and those figures.
fn item_rest(rest: &str, unit: Unit) -> (String, Vec<NumTok>) {
    let rest = nfkc_cow(rest);
    let nums = trailing_nums(&rest, unit);
    let text = if nums.is_empty() { rest.into_owned() } else { cut_tail_tokens(&rest, nums.len()) };
    (text, nums)
}

/// Remove the last `n` whitespace-separated tokens of `s`.
fn cut_tail_tokens(s: &str, n: usize) -> String {
    let mut end = s.trim_end().len();
    for _ in 0..n {
        let t = s[..end].trim_end();
        let start =
            t.rfind(char::is_whitespace).map(|i| i + t[i..].chars().next().map_or(1, char::len_utf8)).unwrap_or(0);
        end = start;
    }
    s[..end].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::Yen;
    fn k(s: &str) -> Kind {
        classify_one(&Line::new(1, s.to_string()), Unit::Thousand)
    }

    #[test]
    fn lines_of_the_seed_layouts() {
        assert!(matches!(k("2,899 2,899 2,793 2,746"), Kind::Numbers { ref nums, .. } if nums.len() == 4));
        assert!(
            matches!(k("コミュニティ形成支援 予算額 9月補正後 2月補正後 決算額"), Kind::Header { ref title, ref phases, .. } if title == "コミュニティ形成支援" && phases.len() == 4)
        );
        assert!(
            matches!(k("　【東区まちづくり推進経費】 R2当初 2月補正後 R2決算"), Kind::Header { fund: Some(ref f), .. } if f == "まちづくり推進経費")
        );
        assert!(
            matches!(k("復興支援自治推進経費　　合計 10,000 10,000 8,741 7,643"), Kind::Total { fund: Some(ref f), ref nums, .. } if f == "復興支援自治推進経費" && nums.len() == 4),
            "a fund total"
        );
        assert!(
            matches!(k("合計（まちづくり推進経費） 2,000 2,000 1,900 1,800"), Kind::Total { fund: Some(ref f), ref nums, .. } if f == "まちづくり推進経費" && nums.len() == 4)
        );
        for line in [
            "まちづくり推進経費　合計（千円） 2,000 2,000 1,900 1,800",
            "まちづくり推進経費　合計 2,000 2,000 1,900 1,800（千円）",
            "まちづくり推進経費　合計 2,000 2,000 1,900 1,800 千円",
        ] {
            match k(line) {
                Kind::Total { fund: Some(f), nums, .. } => {
                    let v: Vec<Option<Yen>> = nums.iter().map(|n| n.readings[0][0]).collect();
                    assert_eq!(f, "まちづくり推進経費", "{line}");
                    assert_eq!(v, [2_000_000, 2_000_000, 1_900_000, 1_800_000].map(|y| Some(Yen::new(y))), "{line}");
                }
                other => panic!("{line}: {other:?}"),
            }
        }
        // Figures labelled in 万円 on a 千円 sheet are read in 万円.
        match k("まちづくり推進経費　合計（万円） 200") {
            Kind::Total { nums, .. } => assert_eq!(nums[0].readings[0][0], Some(Yen::new(2_000_000))),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(k("10,000合　計 10,000 8,300 8,069"), Kind::Total { fund: None, ref lead, .. } if lead.len() == 1)
        );
        assert!(
            matches!(k("テーマに応じたまちづくりの推進（4,536千円） 当初予算"), Kind::GroupAmount { ref title, .. } if title == "テーマに応じたまちづくりの推進")
        );
        assert!(matches!(k("１－① 中止"), Kind::Status { group: 1, row: 1, .. }));
        assert!(matches!(k("【新規】"), Kind::Marker(_)));
        assert!(
            matches!(k("1,5001 地域リーダー応援事業"), Kind::Item { ref lead, ref number, .. } if lead.len() == 1 && number.value == 1)
        );
        match k("①【幸田】花のまちづくり事業　肥後六花を用いた事業を実施する。 412 376 376 129")
        {
            Kind::Item { rest, nums, .. } => {
                assert_eq!(nums.len(), 4);
                // NFKC: the ideographic space that parts name and description is a plain space.
                assert_eq!(rest, "【幸田】花のまちづくり事業 肥後六花を用いた事業を実施する。");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(k("地域力活性化・強化支援事業 2,581 2,113 2,110 1,571"), Kind::TextNums { .. }));
        assert!(matches!(k("設計する"), Kind::Text));
    }

    #[test]
    fn a_header_of_one_year_once_per_phase() {
        let phases = |s: &str| header(s).map(|(_, p, y)| (p.len(), y));
        assert_eq!(phases("地域づくり R5予算額 R5決算額"), Some((2, Some(2023))));
        assert_eq!(phases("地域づくり 予算額 9月補正後 2月補正後 決算額"), Some((4, None)));
        // One phase twice (with or without years), or two years: not one year's columns.
        assert_eq!(phases("地域づくり 予算額 当初予算 決算額"), None);
        assert_eq!(phases("地域づくり R4予算額 R5予算額"), None);
        assert_eq!(phases("地域づくり R4決算 R5当初"), None);
    }
}

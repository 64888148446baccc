//! The policy tree: headings (`基本政策 5 …`, `基本施策 5 – 1 …`, `戦略3-2 …`), the sections under them
//! (現状, 課題, 具体的な施策, 目指すまちの姿, 関連する計画 …) and the measures listed in 具体的な施策.
//!
//! A heading is a keyword at the start of a line followed by a code (`5`, `5-1`); the same heading often
//! appears twice (a table of contents, then the body), so a repeat moves the walk back to the node already
//! made instead of making a second one. A section title stands alone on its line. Measures are numbered
//! lines (`①`, `(1)`) in a measure section, and the list ends where the numbering stops running on.

use machi_domain::number::split_item_number;
use machi_domain::{text, FiscalYear, FiscalYearRange, ItemNumberStyle, PolicyKind};

use super::{same_title, Reader, Section};
use crate::source::Line;

/// Heading keywords and their rank in the tree (a lower rank is higher up).
const KEYWORDS: [(&str, u8); 6] =
    [("基本目標", 0), ("基本政策", 0), ("戦略", 0), ("基本方針", 1), ("基本施策", 1), ("施策の方向", 2)];

/// A policy heading read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// The keyword (`基本施策`).
    pub keyword: &'static str,
    /// Its rank (see [`KEYWORDS`]).
    pub rank: u8,
    /// The code, dashes folded and spaces removed (`5-1`).
    pub code: String,
    /// The title after the code, NFKC.
    pub title: String,
}

/// Read a policy heading: a keyword, a code of numbers joined by dashes, and a title.
pub(super) fn heading(line: &Line) -> Option<Heading> {
    if line.original().contains('\t') {
        return None;
    }
    let folded = text::fold(line.norm());
    let (keyword, rank, rest) = KEYWORDS.iter().find_map(|(k, r)| folded.strip_prefix(k).map(|rest| (*k, *r, rest)))?;
    let chars: Vec<char> = rest.chars().collect();
    let mut pos = skip_spaces(&chars, 0);
    let first = digits(&chars, pos);
    if first == pos {
        return None;
    }
    let mut code: String = chars[pos..first].iter().collect();
    pos = first;
    // Further levels: ` - 1`, `-1`; a number after a space alone belongs to the title (`5-1 3世代…`).
    loop {
        let p = skip_spaces(&chars, pos);
        if chars.get(p) != Some(&'-') {
            break;
        }
        let q = skip_spaces(&chars, p + 1);
        let end = digits(&chars, q);
        if end == q {
            break;
        }
        code.push('-');
        code.extend(&chars[q..end]);
        pos = end;
    }
    let title: String = chars[pos..].iter().collect();
    let title = title.trim_start_matches(['.', ':', '、', ' ', '\u{3000}']).trim().to_string();
    // A sentence that happens to begin with a keyword is not a heading.
    if title.ends_with('。') || title.chars().count() > 60 {
        return None;
    }
    Some(Heading { keyword, rank, code, title })
}

fn skip_spaces(chars: &[char], mut pos: usize) -> usize {
    while chars.get(pos).is_some_and(|c| c.is_whitespace()) {
        pos += 1;
    }
    pos
}

fn digits(chars: &[char], mut pos: usize) -> usize {
    while chars.get(pos).is_some_and(|c| c.is_ascii_digit()) {
        pos += 1;
    }
    pos
}

/// Section titles as printed alone on a line, and what their lines mean.
const SECTIONS: [(&str, Section); 16] = [
    ("現状", Section::Text("現状")),
    ("現状と課題", Section::Text("現状と課題")),
    ("課題", Section::Text("課題")),
    ("取組目標", Section::Text("取組目標")),
    ("施策の方向性", Section::Text("施策の方向性")),
    ("具体的な施策", Section::Measures("具体的な施策")),
    ("目標実現に向けた取り組み", Section::Measures("目標実現に向けた取り組み")),
    ("目標実現に向けた取組", Section::Measures("目標実現に向けた取組")),
    ("目指すまちの姿", Section::Vision("目指すまちの姿")),
    ("めざすまちの姿", Section::Vision("めざすまちの姿")),
    ("めざす区の姿", Section::Vision("めざす区の姿")),
    ("目指す姿", Section::Vision("目指す姿")),
    ("まちづくりビジョン", Section::Vision("まちづくりビジョン")),
    ("基本理念", Section::Vision("基本理念")),
    ("関連する計画", Section::Related),
    ("関連計画", Section::Related),
];

/// Read a section title standing alone on its line (`課題`, `■具体的な施策`, `【関連する計画】`).
pub(super) fn section(line: &Line) -> Option<Section> {
    if line.original().contains('\t') {
        return None;
    }
    let s = text::squeeze(line.norm());
    let s = s.trim_start_matches(['■', '□', '●', '◆', '◇', '○', '〇']);
    let s = s.strip_prefix('【').and_then(|x| x.strip_suffix('】')).unwrap_or(s);
    SECTIONS.iter().find(|(t, _)| *t == s).map(|(_, sec)| *sec)
}

/// A footnote (`*NPO：…`, `※…`): kept as information, never read as content.
pub(super) fn is_footnote(line: &Line) -> bool {
    line.norm().starts_with('*') || line.norm().starts_with('※')
}

/// Add a heading to the tree, or move back to it if it was read before.
pub(super) fn add_heading(r: &mut Reader<'_>, line: &Line, h: Heading) {
    r.section = Section::None;
    r.last_item = None;
    r.vision_done = false;
    if let Some(&(idx, _, _)) =
        r.heads.iter().find(|(idx, kw, _)| *kw == h.keyword && r.policies.get(*idx).is_some_and(|p| p.code == h.code))
    {
        r.current = Some(idx);
        let (first_line, first_title) = match r.policies.get(idx) {
            Some(p) => (p.source_line.unwrap_or(0), p.title.clone()),
            None => (0, String::new()),
        };
        if same_title(&first_title, &h.title) || h.title.is_empty() {
            r.info(
                line.number,
                "repeated-heading",
                format!("{} {} again (first read at line {first_line}); read as the same node", h.keyword, h.code),
            );
        } else {
            r.warn(
                line.number,
                "repeated-heading",
                format!(
                    "{} {} again with another title ({:?}, first {:?} at line {first_line}); kept the first",
                    h.keyword, h.code, h.title, first_title
                ),
            );
        }
        return;
    }
    // The parent is the higher-ranked heading whose code is this code's prefix (`5` for `5-1`); a code
    // with no dash falls back to the latest higher-ranked heading (`基本施策 3` under `基本政策 1`).
    let prefix = h.code.rsplit_once('-').map(|(p, _)| p.to_string());
    let parent = match &prefix {
        Some(p) => r
            .heads
            .iter()
            .rev()
            .find(|(idx, _, rank)| *rank < h.rank && r.policies.get(*idx).is_some_and(|n| &n.code == p))
            .map(|(idx, _, _)| *idx),
        None => r.heads.iter().rev().find(|(_, _, rank)| *rank < h.rank).map(|(idx, _, _)| *idx),
    };
    let idx = r.push_policy(PolicyKind::Policy, parent, h.code, h.title, line.number);
    r.heads.push((idx, h.keyword, h.rank));
    r.current = Some(idx);
}

/// A line inside a section (not a heading, not a section title, not a table).
pub(super) fn section_line(r: &mut Reader<'_>, line: &Line) {
    let label = r.context_label();
    match r.section {
        Section::None => r.skip(line),
        Section::Text(name) => {
            let t = strip_bullet(line.norm());
            r.info(line.number, "plan-section", format!("{label} {name}: {t}"));
        }
        Section::Vision(name) => {
            if r.vision_done {
                r.info(line.number, "plan-section", format!("{label} {name}: {}", line.norm()));
            } else {
                r.vision_done = true;
                r.push_policy(PolicyKind::Vision, r.current, String::new(), line.norm().to_string(), line.number);
            }
        }
        Section::Measures(name) => measure_line(r, line, name, &label),
        Section::Related => related_plan(r, line, &label),
    }
}

/// `- text`, `・text`, `●text` → `text`.
fn strip_bullet(s: &str) -> &str {
    let t = s.trim();
    for b in ["- ", "・", "●", "○", "◆", "■"] {
        if let Some(rest) = t.strip_prefix(b) {
            return rest.trim();
        }
    }
    t
}

fn measure_line(r: &mut Reader<'_>, line: &Line, name: &str, label: &str) {
    let original = line.original().trim();
    let original = original.strip_prefix("- ").unwrap_or(original);
    let numbered = split_item_number(original).filter(|(n, _)| {
        matches!(
            n.style,
            ItemNumberStyle::Circled | ItemNumberStyle::Paren | ItemNumberStyle::Dot | ItemNumberStyle::Dai
        )
    });
    let Some((num, rest)) = numbered else {
        // A sentence under a measure describes it.
        r.info(line.number, "plan-section", format!("{label} {name}: {}", line.norm()));
        return;
    };
    let runs_on = match r.last_item {
        None => true,
        Some((style, v)) => style == num.style && num.value == v + 1,
    };
    // A measure is followed by its description or the next measure; a numbered line followed directly by
    // a table is that table's caption, a heading of the document's own outline (`(3)これまでの取り組み状況`
    // even when its number happens to continue the measure list).
    let next = r.lines().iter().skip(line.number as usize).find(|l| !l.norm().is_empty());
    let captions_table = next.is_some_and(|l| l.original().contains('\t'));
    if !runs_on || captions_table {
        // The numbering starts over or jumps: the list has ended and this is another part of the document.
        r.section = Section::None;
        r.last_item = None;
        r.skip(line);
        return;
    }
    r.last_item = Some((num.style, num.value));
    let title = text::nfkc(rest).trim().to_string();
    if title.is_empty() {
        r.warn(line.number, "measure-without-title", format!("{label}: measure {} has no title", num.printed));
    }
    add_measure(r, r.current, num.printed, title, line.number);
}

/// Add a measure under `parent`, or return the one already there with the same code and title.
pub(super) fn add_measure(r: &mut Reader<'_>, parent: Option<usize>, code: String, title: String, line: u32) -> usize {
    let parent_id = parent.and_then(|p| r.policies.get(p)).map(|p| p.id.clone());
    if let Some(idx) = r.policies.iter().position(|p| {
        p.kind == PolicyKind::Measure && p.parent_id == parent_id && p.code == code && same_title(&p.title, &title)
    }) {
        return idx;
    }
    r.push_policy(PolicyKind::Measure, parent, code, title, line)
}

/// The measure a table row or table title names (`① 協働のまちづくりを推進する`): the one of the policy in
/// effect with the same code and title, else the one with the same title, else a new one. A measure is
/// never matched on its number alone: when the policy already has a measure with this code under another
/// title, the table belongs to something else (another plan's numbering), so the new measure is left
/// without a parent and a warning says why.
pub(super) fn table_measure(r: &mut Reader<'_>, code: String, title: String, line: u32) -> usize {
    let parent_id = r.current.and_then(|p| r.policies.get(p)).map(|p| p.id.clone());
    let under = |p: &machi_domain::PolicyNode| p.kind == PolicyKind::Measure && p.parent_id == parent_id;
    if let Some(idx) = r.policies.iter().position(|p| under(p) && p.code == code && same_title(&p.title, &title)) {
        return idx;
    }
    if let Some(idx) = r.policies.iter().position(|p| under(p) && same_title(&p.title, &title)) {
        return idx;
    }
    if let Some(other) = r.policies.iter().find(|p| under(p) && !code.is_empty() && p.code == code) {
        let msg = format!(
            "measure {code} {title:?} is not {code} {:?} of {} (line {}); read without a parent",
            other.title,
            r.context_label(),
            other.source_line.unwrap_or(0)
        );
        r.warn(line, "measure-mismatch", msg);
        return r.push_policy(PolicyKind::Measure, None, code, title, line);
    }
    r.info(line, "measure-from-table", format!("measure {code} {title} first named in a table"));
    r.push_policy(PolicyKind::Measure, r.current, code, title, line)
}

/// `協働のまちづくり行動計画(平成29～33年度)`, `協働のまちづくり指針(平成23年度～)`.
fn related_plan(r: &mut Reader<'_>, line: &Line, label: &str) {
    let n = line.norm();
    let Some(open) = n.rfind('(') else {
        r.info(line.number, "related-plan", format!("{label} 関連する計画: {n}"));
        return;
    };
    let name = n[..open].trim();
    let inner = n[open + 1..].trim_end_matches(')').trim();
    let folded = text::squeeze(&text::fold(inner));
    // `～` at the end: in force from that year on, with no end stated.
    let years = match folded.strip_suffix('~') {
        Some(from) => FiscalYear::parse(from).map(|p| format!("FY{}–", p.value)).ok(),
        None => FiscalYearRange::parse(inner).map(|p| format!("FY{}–{}", p.value.first, p.value.last)).ok(),
    };
    match years {
        Some(y) => r.info(line.number, "related-plan", format!("{label} 関連する計画: {name} ({y})")),
        None => r.warn(
            line.number,
            "related-plan-years",
            format!("{label} 関連する計画: {name}: could not read the years {inner:?}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Line {
        Line::new(1, s.to_string())
    }

    #[test]
    fn headings_with_spaced_dashes_and_glued_codes() {
        let h = heading(&line("基本施策 5 – 1 市民協働による地域づくりを推進する")).expect("heading");
        assert_eq!(
            (h.keyword, h.code.as_str(), h.title.as_str()),
            ("基本施策", "5-1", "市民協働による地域づくりを推進する")
        );
        let h = heading(&line("基本政策5 地域の力と交流を生み出すために")).expect("heading");
        assert_eq!((h.code.as_str(), h.title.as_str()), ("5", "地域の力と交流を生み出すために"));
        let h = heading(&line("戦略3-2 地域拠点がにぎわうまちづくり")).expect("heading");
        assert_eq!((h.keyword, h.code.as_str()), ("戦略", "3-2"));
        let h = heading(&line("基本施策 ５－１ ３世代の交流")).expect("heading");
        assert_eq!((h.code.as_str(), h.title.as_str()), ("5-1", "3世代の交流"));
        assert!(heading(&line("戦略的な取組を進める")).is_none());
        assert!(heading(&line("基本政策 5 に基づき、市民と協働して取り組みます。")).is_none());
    }

    #[test]
    fn sections_stand_alone() {
        assert_eq!(section(&line("課題")), Some(Section::Text("課題")));
        assert_eq!(section(&line("■具体的な施策")), Some(Section::Measures("具体的な施策")));
        assert_eq!(section(&line("【関連する計画】")), Some(Section::Related));
        assert_eq!(section(&line("課題を解決する")), None);
    }
}

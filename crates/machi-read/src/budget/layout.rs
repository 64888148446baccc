//! Document-level facts and sections: the municipality, fiscal year and unit a sheet states (each with
//! its line), and the split of one file into ward sections.
//!
//! A file can hold several wards (001 holds five) and a ward's title may come before or after its table,
//! so sections are cut where the evidence changes ward — a ward named in a title, a fund label or a
//! project name — moved back to the row number that starts the row naming it.

use machi_domain::text::{fold, squeeze};
use machi_domain::{lgcode, FiscalYear, Unit};

use super::classify::{classify_window, Kind};
use crate::source::{Line, Marks};

/// What the document says about itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// Municipality named in the text, with its line.
    pub municipality: Option<(String, u32)>,
    /// Fiscal year, with its line.
    pub fiscal_year: Option<(FiscalYear, u32)>,
    /// Unit, with its line.
    pub unit: Option<(Unit, u32)>,
    /// The first title-like line (`令和２年度 北区まちづくりの取組`).
    pub title: String,
}

/// A ward section: lines `start..end` (0-based indexes) and the ward's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// First line index.
    pub start: usize,
    /// One past the last line index.
    pub end: usize,
    /// The ward (`北区`), or empty when the document names none.
    pub ward: String,
}

/// Find municipality, fiscal year, unit and title.
pub(crate) fn facts(lines: &[Line]) -> Facts {
    let mut f = Facts::default();
    for l in lines {
        // The folded text the parsers read holds a marker's character only if the line's NFKC text does:
        // the line's marks skip the fold and the parse on the lines without one.
        if f.municipality.is_none() && l.may_contain_any(const { Marks::of(&['市']) }) {
            if let Some(m) = municipality_in(l.norm()) {
                f.municipality = Some((m, l.number));
            }
        }
        if f.fiscal_year.is_none() && l.may_contain_any(const { Marks::of(&['度', '初', '算']) }) {
            if let Some(y) = fiscal_year_in(l.norm()) {
                f.fiscal_year = Some((y, l.number));
            }
        }
        if f.unit.is_none() && l.may_contain_any(const { Marks::of(&['位', '円']) }) {
            if let Some(u) = unit_in(l.norm()) {
                f.unit = Some((u, l.number));
            }
        }
        if f.title.is_empty() && is_title(l) {
            f.title = l.norm().to_string();
        }
    }
    f
}

/// A document's or a ward section's title: `令和２年度 北区まちづくりの取組`. A line whose marks hold no
/// 年 or no 度 is ruled out without a search.
fn is_title(l: &Line) -> bool {
    l.may_contain_any(const { Marks::of(&['年']) })
        && l.may_contain_any(const { Marks::of(&['度']) })
        && l.norm().contains("年度")
        && (l.norm().contains("まちづくり") || l.norm().contains("取組"))
}

/// `熊本市` in `熊本市中央区体育協会`: the longest name ending in 市/町/村 that the code list knows.
fn municipality_in(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '市') {
            continue;
        }
        for len in (2..=4).rev() {
            if i + 1 < len {
                continue;
            }
            let name: String = chars[i + 1 - len..=i].iter().collect();
            if lgcode::resolve(&name).is_ok() {
                return Some(name);
            }
        }
    }
    None
}

/// `令和2年度`, `令和２年度`, `R2当初`.
fn fiscal_year_in(s: &str) -> Option<FiscalYear> {
    let f = squeeze(&fold(s));
    for (marker, keep) in [("年度", true), ("当初", false), ("決算", false)] {
        for (pos, _) in f.match_indices(marker) {
            let before: Vec<char> = f[..pos].chars().collect();
            for len in (2..=4).rev() {
                if before.len() < len {
                    continue;
                }
                let start: String = before[before.len() - len..].iter().collect();
                let cand = if keep { format!("{start}年度") } else { start };
                if !cand.starts_with(['令', '平', 'R', 'H']) {
                    continue;
                }
                if let Ok(p) = FiscalYear::parse(&cand) {
                    return Some(p.value);
                }
            }
        }
    }
    None
}

/// `（単位：千円）`, `(千円)`, `万円`.
fn unit_in(s: &str) -> Option<Unit> {
    let f = fold(s);
    if let Some(pos) = f.find("単位") {
        let rest = &f[pos..];
        for u in [Unit::Thousand, Unit::TenThousand, Unit::Million, Unit::Yen] {
            if rest.contains(u.label()) {
                return Some(u);
            }
        }
    }
    if f == "(千円)" || f == "千円" {
        return Some(Unit::Thousand);
    }
    if f == "(万円)" || f == "万円" {
        return Some(Unit::TenThousand);
    }
    None
}

/// Ward names a line mentions: every `X区` the code list knows for `city`, plus the ward of a title
/// (`令和4年度 みどり区の主な取組`), which may be a ward the list does not know.
fn wards_in(l: &Line, city: Option<&str>) -> Vec<String> {
    if !l.may_contain_any(const { Marks::of(&['区']) }) {
        return Vec::new();
    }
    let titled = is_title(l);
    // Without a city to confirm a name or a title to name one, nothing here can name a ward.
    if city.is_none() && !titled {
        return Vec::new();
    }
    let s = l.norm();
    let mut out = Vec::new();
    for (at, ku) in s.match_indices('区') {
        let end = at + ku.len();
        let before = &s[..at];
        let mut found = None;
        if let Some(city) = city {
            // The names of one to three characters before 区 and 区, longest first.
            let mut starts = [None; 3];
            for (k, (i, _)) in before.char_indices().rev().take(3).enumerate() {
                starts[2 - k] = Some(i);
            }
            found = starts.iter().flatten().map(|&st| &s[st..end]).find(|name| lgcode::ward_code(city, name).is_some());
        }
        if found.is_none() && titled {
            // The word right before 区 in a title, back to a space or a digit/year word.
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace() || c == '度' || c.is_ascii_digit())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let word = &s[start..at];
            let n = word.chars().count();
            if (1..=6).contains(&n) && word.chars().all(char::is_alphabetic) {
                found = Some(&s[start..end]);
            }
        }
        if let Some(n) = found {
            if !out.iter().any(|o: &String| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out
}

/// Cut the lines into ward sections.
pub(crate) fn sections(lines: &[Line], unit: Unit, city: Option<&str>) -> Vec<Section> {
    // (line index, ward) for each line that names exactly one ward.
    let mut evidence: Vec<(usize, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let w = wards_in(l, city);
        if w.len() == 1 {
            evidence.push((i, w[0].clone()));
        }
    }
    let Some(first) = evidence.first() else {
        return vec![Section { start: 0, end: lines.len(), ward: String::new() }];
    };
    let mut out = vec![Section { start: 0, end: lines.len(), ward: first.1.clone() }];
    for (i, ward) in &evidence {
        let cur = out.last().map(|s| s.ward.clone()).unwrap_or_default();
        if *ward == cur {
            continue;
        }
        // Move the cut back over blank lines to the row number or markers that open the row.
        let mut cut = *i;
        let mut j = *i;
        while j > 0 {
            j -= 1;
            // Only the few lines before a cut need their kind: classified here, not for the whole text.
            let kind = classify_window(lines, j, j + 1, unit).into_iter().next();
            match &kind.unwrap_or(Kind::Blank) {
                Kind::Blank => continue,
                Kind::Marker(_) => cut = j,
                Kind::Numbers { item: Some(_), .. } => cut = j,
                Kind::Item { rest, nums, .. } if rest.trim().is_empty() && nums.is_empty() => cut = j,
                _ => break,
            }
        }
        let start = out.last().map_or(0, |s| s.start);
        let cut = cut.max(start + 1);
        if let Some(last) = out.last_mut() {
            last.end = cut;
        }
        out.push(Section { start: cut, end: lines.len(), ward: ward.clone() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wards(s: &str, city: Option<&str>) -> Vec<String> {
        wards_in(&Line::new(1, s.into()), city)
    }

    #[test]
    fn years_units_and_cities() {
        assert_eq!(fiscal_year_in("令和２年度 北区まちづくりの取組").map(|y| y.year()), Some(2020));
        assert_eq!(fiscal_year_in("【東区】 R2当初 2月補正後").map(|y| y.year()), Some(2020));
        assert_eq!(unit_in("（単位：千円）"), Some(Unit::Thousand));
        assert_eq!(municipality_in("熊本市中央区体育協会").as_deref(), Some("熊本市"));
        assert_eq!(wards("令和２年度 北区まちづくりの取組", Some("熊本市")), vec!["北区".to_string()]);
        assert_eq!(wards("令和4年度 みどり区の主な取組", None), vec!["みどり区".to_string()]);
        assert!(wards("校区防災連絡会", Some("熊本市")).is_empty());
        assert_eq!(
            wards("中央区と東区と中央区の合同事業", Some("熊本市")),
            vec!["中央区".to_string(), "東区".to_string()]
        );
        assert!(wards("北区の事業", None).is_empty(), "no city, no title: nothing confirms the name");
    }
}

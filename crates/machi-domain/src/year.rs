//! Years as Japanese documents write them: eras (令和/平成/昭和, `R`/`H`/`S`, `㋿`), fiscal years (年度,
//! April to March), ranges (`平成25～28年度`), year-months and dates.
//!
//! 年 is a calendar year and 年度 a fiscal year: months 1–3 belong to the fiscal year that began the April
//! before, so `R3年3月` lies in fiscal 2020. Plans written before 2019 still say `平成32年度`; that reads as
//! 2020 with a warning, because the era had ended.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::{fold, squeeze};

/// A Japanese era.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Era {
    /// 明治
    Meiji,
    /// 大正
    Taisho,
    /// 昭和
    Showa,
    /// 平成
    Heisei,
    /// 令和
    Reiwa,
}

struct EraInfo {
    era: Era,
    name: &'static str,
    letter: char,
    start: (i32, u8, u8),
    /// Last day of the era, if it has ended.
    end: Option<(i32, u8, u8)>,
}

const ERAS: [EraInfo; 5] = [
    EraInfo { era: Era::Meiji, name: "明治", letter: 'M', start: (1868, 10, 23), end: Some((1912, 7, 29)) },
    EraInfo { era: Era::Taisho, name: "大正", letter: 'T', start: (1912, 7, 30), end: Some((1926, 12, 24)) },
    EraInfo { era: Era::Showa, name: "昭和", letter: 'S', start: (1926, 12, 25), end: Some((1989, 1, 7)) },
    EraInfo { era: Era::Heisei, name: "平成", letter: 'H', start: (1989, 1, 8), end: Some((2019, 4, 30)) },
    EraInfo { era: Era::Reiwa, name: "令和", letter: 'R', start: (2019, 5, 1), end: None },
];

impl Era {
    fn info(self) -> &'static EraInfo {
        ERAS.iter().find(|e| e.era == self).unwrap_or(&ERAS[4])
    }

    /// The era's name (`令和`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The western year of the era's first year (元年).
    pub fn first_year(self) -> i32 {
        self.info().start.0
    }

    /// The era current on a date.
    pub fn of_date(y: i32, m: u8, d: u8) -> Option<Era> {
        ERAS.iter().rev().find(|e| (y, m, d) >= e.start).map(|e| e.era)
    }
}

/// Something that reads but deserves a person's look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum YearWarning {
    /// An era year past the era's end (`平成32年度`, `昭和64年度`).
    PastEraEnd {
        /// The era written.
        era: Era,
        /// The era year written.
        era_year: i32,
    },
}

impl fmt::Display for YearWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearWarning::PastEraEnd { era, era_year } => {
                write!(f, "{}{}年 is past the end of the {} era", era.name(), era_year, era.name())
            }
        }
    }
}

/// Why text is not a year.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum YearError {
    /// Nothing that reads as a year.
    #[error("not a year: {0:?}")]
    NotAYear(String),
    /// Era year 0 or a date before the era began.
    #[error("before the start of the era: {0:?}")]
    BeforeEraStart(String),
    /// `令和3（2022）年度`: the two forms disagree.
    #[error("era year and western year disagree: {0:?}")]
    Mismatch(String),
    /// A range whose end is before its start.
    #[error("range ends before it starts: {0:?}")]
    Reversed(String),
    /// A month outside 1–12 or a day outside the month.
    #[error("no such month or day: {0:?}")]
    BadDate(String),
    /// A calendar year (年) where a fiscal year (年度) was expected.
    #[error("a calendar year, not a fiscal year (年度): {0:?}")]
    CalendarYear(String),
}

/// A parsed value with the warnings met on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// What deserves a look.
    pub warnings: Vec<YearWarning>,
}

/// A fiscal year (年度), named by the western year of the April it begins in: 令和2年度 is `2020`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FiscalYear(i32);

impl FiscalYear {
    /// A fiscal year from its western year, within 1868–2999.
    pub fn new(year: i32) -> Option<FiscalYear> {
        (1868..=2999).contains(&year).then_some(FiscalYear(year))
    }

    /// The western year the fiscal year begins in.
    pub fn year(self) -> i32 {
        self.0
    }

    /// The following fiscal year.
    pub fn next(self) -> FiscalYear {
        FiscalYear(self.0 + 1)
    }

    /// Parse `令和2年度`, `R2`, `Ｒ２年度`, `H26`, `平成二十六年度`, `㋿3年度`, `2021年度`, `2021（令和3）年度`.
    pub fn parse(s: &str) -> Result<Parsed<FiscalYear>, YearError> {
        let norm = squeeze(&fold(s));
        let mut cur = Cursor::new(&norm, s);
        let (year, warnings) = cur.year_expr()?;
        if cur.eat("年度") || cur.at_end() {
            cur.expect_end()?;
            let fy = FiscalYear::new(year).ok_or_else(|| YearError::NotAYear(s.to_string()))?;
            Ok(Parsed { value: fy, warnings })
        } else if cur.eat("年") {
            Err(YearError::CalendarYear(s.to_string()))
        } else {
            Err(YearError::NotAYear(s.to_string()))
        }
    }

    /// The era form: `令和2年度` (`令和元年度` for the first year; 2019 is 令和元年度).
    pub fn era_label(self) -> String {
        let y = self.0;
        // A fiscal year takes the era in force on its first day, except that the fiscal year 2019 (which
        // began under 平成) is conventionally called 令和元年度.
        let era = if y >= 2019 { Era::Reiwa } else { Era::of_date(y, 4, 1).unwrap_or(Era::Meiji) };
        let n = y - era.first_year() + 1;
        if n == 1 {
            format!("{}元年度", era.name())
        } else {
            format!("{}{}年度", era.name(), n)
        }
    }

    /// Both ways: `2020（令和2年度）`.
    pub fn display_both(self) -> String {
        format!("{}（{}）", self.0, self.era_label())
    }

    /// True if the calendar month `ym` falls in this fiscal year.
    pub fn contains(self, ym: YearMonth) -> bool {
        ym.fiscal_year() == self
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A span of fiscal years, both ends included: `平成25～28年度` is 2013..=2016.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FiscalYearRange {
    /// First fiscal year.
    pub first: FiscalYear,
    /// Last fiscal year (equal to `first` for one year).
    pub last: FiscalYear,
}

impl FiscalYearRange {
    /// Parse `平成25～28年度`, `平成25〜28年度`, `H25-H28年度`, `平成30年度～令和2年度`, `H30～R2年度`,
    /// `2023～2025年度`, `平成 25～28 年度`, or a single year (`令和5年度`).
    pub fn parse(s: &str) -> Result<Parsed<FiscalYearRange>, YearError> {
        let norm = squeeze(&fold(s));
        let mut cur = Cursor::new(&norm, s);
        let (first_y, mut warnings) = cur.year_expr()?;
        let first_era = cur.last_era;
        cur.eat("年度");
        let last_y = if cur.eat("~") || cur.eat("-") || cur.eat("から") {
            let (y, w) = cur.year_expr_in(first_era)?;
            warnings.extend(w);
            cur.eat("年度");
            cur.eat("まで");
            y
        } else {
            first_y
        };
        cur.expect_end()?;
        if last_y < first_y {
            return Err(YearError::Reversed(s.to_string()));
        }
        let first = FiscalYear::new(first_y).ok_or_else(|| YearError::NotAYear(s.to_string()))?;
        let last = FiscalYear::new(last_y).ok_or_else(|| YearError::NotAYear(s.to_string()))?;
        Ok(Parsed { value: FiscalYearRange { first, last }, warnings })
    }

    /// Every fiscal year in the range.
    pub fn years(self) -> impl Iterator<Item = FiscalYear> {
        (self.first.0..=self.last.0).map(FiscalYear)
    }
}

impl fmt::Display for FiscalYearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}..={}", self.first, self.last)
        }
    }
}

/// The fiscal years a record of work done names: one year, a range, a range open at its end
/// (`令和元年度～`, `平成30年度から`, `令和3年度～継続中`: begun then, with no last year), a list of years
/// (`令和2年度・令和3年度`, `R2・R3年度`, `令和2・3年度`, `H28, H30年度`, `H30,R1,R2`), or a month
/// (`令和3年3月`, which lies in fiscal 2020).
///
/// A list keeps only its first and last year: the years between them need not all be in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct YearSpan {
    /// First fiscal year.
    pub first: FiscalYear,
    /// Last fiscal year; `None` when the span is still open (`令和元年度～`).
    pub last: Option<FiscalYear>,
}

impl YearSpan {
    /// Parse a span (see the type). A reversed range (`令和5～3年度`) and a year whose era and western
    /// forms disagree are errors, never read as some other span.
    pub fn parse(s: &str) -> Result<Parsed<YearSpan>, YearError> {
        let norm = squeeze(&fold(s));
        // Open at the end: `…～`, `…～継続中`, `…から`, `…以降`.
        let open = ["~継続中", "~現在", "~", "から", "以降"].iter().find_map(|w| norm.strip_suffix(w));
        if let Some(from) = open {
            let p = FiscalYear::parse(from)?;
            return Ok(Parsed { value: YearSpan { first: p.value, last: None }, warnings: p.warnings });
        }
        let range_err = match FiscalYearRange::parse(s) {
            Ok(p) => {
                let value = YearSpan { first: p.value.first, last: Some(p.value.last) };
                return Ok(Parsed { value, warnings: p.warnings });
            }
            Err(e @ (YearError::Reversed(_) | YearError::Mismatch(_) | YearError::BeforeEraStart(_))) => return Err(e),
            Err(e) => e,
        };
        if norm.contains(['・', ',', '、']) {
            return YearSpan::parse_list(&norm, s);
        }
        match YearMonth::parse(s) {
            Ok(p) => {
                let fy = p.value.fiscal_year();
                Ok(Parsed { value: YearSpan { first: fy, last: Some(fy) }, warnings: p.warnings })
            }
            // A month that does not exist (`R3年13月`) says more than "not a year".
            Err(e @ (YearError::BadDate(_) | YearError::BeforeEraStart(_))) => Err(e),
            Err(_) => Err(range_err),
        }
    }

    /// `令和2年度・令和3年度`, `R2・R3年度`, `令和2・3年度` (3 is 令和3), `H28,H30年度`, `H25~H27・R1年度`.
    fn parse_list(norm: &str, original: &str) -> Result<Parsed<YearSpan>, YearError> {
        let mut cur = Cursor::new(norm, original);
        let mut warnings = Vec::new();
        let mut years: Vec<i32> = Vec::new();
        loop {
            let inherit = cur.last_era;
            let (first, w) = cur.year_expr_in(inherit)?;
            warnings.extend(w);
            cur.eat("年度");
            let mut last = first;
            if cur.eat("~") || cur.eat("-") {
                let (y, w) = cur.year_expr_in(cur.last_era)?;
                warnings.extend(w);
                cur.eat("年度");
                if y < first {
                    return Err(YearError::Reversed(original.to_string()));
                }
                last = y;
            }
            years.extend([first, last]);
            if !(cur.eat("・") || cur.eat(",") || cur.eat("、")) {
                break;
            }
        }
        cur.expect_end()?;
        let fy = |y: i32| FiscalYear::new(y).ok_or_else(|| YearError::NotAYear(original.to_string()));
        let first = fy(years.iter().copied().min().unwrap_or(0))?;
        let last = fy(years.iter().copied().max().unwrap_or(0))?;
        Ok(Parsed { value: YearSpan { first, last: Some(last) }, warnings })
    }
}

/// A calendar month: `R3年3月` is March 2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    /// Western calendar year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
}

impl YearMonth {
    /// The fiscal year the month lies in (January–March belong to the year that began the April before).
    pub fn fiscal_year(self) -> FiscalYear {
        FiscalYear(if self.month <= 3 { self.year - 1 } else { self.year })
    }

    /// Parse `R3年3月`, `令和３年３月`, `R3.3`.
    pub fn parse(s: &str) -> Result<Parsed<YearMonth>, YearError> {
        let norm = squeeze(&fold(s));
        let mut cur = Cursor::new(&norm, s);
        let (year, mut warnings) = cur.year_expr()?;
        let era = cur.last_era;
        let month = if cur.eat("年") {
            let m = cur.number()?;
            if !cur.eat("月") {
                return Err(YearError::NotAYear(s.to_string()));
            }
            m
        } else if cur.eat(".") || cur.eat("/") {
            cur.number()?
        } else {
            return Err(YearError::NotAYear(s.to_string()));
        };
        cur.expect_end()?;
        if !(1..=12).contains(&month) {
            return Err(YearError::BadDate(s.to_string()));
        }
        let month = month as u8;
        if let Some((era, era_year)) = era {
            let info = era.info();
            if (year, month) < (info.start.0, info.start.1) {
                return Err(YearError::BeforeEraStart(s.to_string()));
            }
            // The warning from year_expr is about fiscal years; for a month, judge by the month itself.
            warnings.clear();
            if let Some(end) = info.end {
                if (year, month) > (end.0, end.1) {
                    warnings.push(YearWarning::PastEraEnd { era, era_year });
                }
            }
        }
        Ok(Parsed { value: YearMonth { year, month }, warnings })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A calendar date: `令和3年3月31日`, `R03.03.31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// Western year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl Date {
    /// Parse `令和3年3月31日`, `R03.03.31`, `令和元年5月1日`. A date before its era began is an error; one
    /// after the era ended reads with a warning (`平成31年5月1日`).
    pub fn parse(s: &str) -> Result<Parsed<Date>, YearError> {
        let norm = squeeze(&fold(s));
        let mut cur = Cursor::new(&norm, s);
        let (year, _) = cur.year_expr()?;
        let era = cur.last_era;
        let (month, day) = if cur.eat("年") {
            let m = cur.number()?;
            if !cur.eat("月") {
                return Err(YearError::NotAYear(s.to_string()));
            }
            let d = cur.number()?;
            if !cur.eat("日") {
                return Err(YearError::NotAYear(s.to_string()));
            }
            (m, d)
        } else if cur.eat(".") || cur.eat("/") {
            let m = cur.number()?;
            if !(cur.eat(".") || cur.eat("/")) {
                return Err(YearError::NotAYear(s.to_string()));
            }
            (m, cur.number()?)
        } else {
            return Err(YearError::NotAYear(s.to_string()));
        };
        cur.expect_end()?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month as u8) as i32 {
            return Err(YearError::BadDate(s.to_string()));
        }
        let date = Date { year, month: month as u8, day: day as u8 };
        let mut warnings = Vec::new();
        if let Some((era, era_year)) = era {
            let info = era.info();
            if (date.year, date.month, date.day) < info.start {
                return Err(YearError::BeforeEraStart(s.to_string()));
            }
            if let Some(end) = info.end {
                if (date.year, date.month, date.day) > end {
                    warnings.push(YearWarning::PastEraEnd { era, era_year });
                }
            }
        }
        Ok(Parsed { value: date, warnings })
    }

    /// The fiscal year the date lies in.
    pub fn fiscal_year(self) -> FiscalYear {
        YearMonth { year: self.year, month: self.month }.fiscal_year()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A small parser over normalised, whitespace-free text.
struct Cursor<'a> {
    rest: &'a str,
    original: &'a str,
    /// The era (and era year) of the last era-form year read, for ranges like `平成25～28`.
    last_era: Option<(Era, i32)>,
}

impl<'a> Cursor<'a> {
    fn new(norm: &'a str, original: &'a str) -> Self {
        Cursor { rest: norm, original, last_era: None }
    }

    fn err(&self) -> YearError {
        YearError::NotAYear(self.original.to_string())
    }

    fn eat(&mut self, s: &str) -> bool {
        match self.rest.strip_prefix(s) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    fn at_end(&self) -> bool {
        self.rest.is_empty()
    }

    fn expect_end(&self) -> Result<(), YearError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn era(&mut self) -> Option<Era> {
        for e in &ERAS {
            if self.eat(e.name) {
                return Some(e.era);
            }
        }
        let c = self.rest.chars().next()?;
        let up = c.to_ascii_uppercase();
        let next_is_num = self.rest[c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|n| n.is_ascii_digit() || n == '元' || kanji_digit(n).is_some());
        if next_is_num {
            if let Some(e) = ERAS.iter().find(|e| e.letter == up) {
                self.rest = &self.rest[c.len_utf8()..];
                return Some(e.era);
            }
        }
        None
    }

    /// Digits, kanji numerals (`二十六`) or `元`.
    fn number(&mut self) -> Result<i32, YearError> {
        if self.eat("元") {
            return Ok(1);
        }
        let digits: String = self.rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            self.rest = &self.rest[digits.len()..];
            return digits.parse().map_err(|_| self.err());
        }
        let kanji: String =
            self.rest.chars().take_while(|c| kanji_digit(*c).is_some() || matches!(c, '十' | '百')).collect();
        if kanji.is_empty() {
            return Err(self.err());
        }
        self.rest = &self.rest[kanji.len()..];
        kanji_number(&kanji).ok_or_else(|| self.err())
    }

    /// An era year (`令和3`, `R3`, `令和3(2021)`) or a western year (`2021`, `2021(令和3)`).
    fn year_expr(&mut self) -> Result<(i32, Vec<YearWarning>), YearError> {
        self.year_expr_in(None)
    }

    /// As [`Cursor::year_expr`], but a bare number continues `inherit`'s era (`平成25～28`).
    fn year_expr_in(&mut self, inherit: Option<(Era, i32)>) -> Result<(i32, Vec<YearWarning>), YearError> {
        let era = self.era();
        let n = self.number()?;
        let era = era.or_else(|| if n < 1000 { inherit.map(|(e, _)| e) } else { None });
        match era {
            Some(era) => {
                if n < 1 {
                    return Err(YearError::BeforeEraStart(self.original.to_string()));
                }
                let year = era.first_year() + n - 1;
                if self.eat("(") {
                    let w = self.number()?;
                    if !self.eat(")") {
                        return Err(self.err());
                    }
                    if w != year {
                        return Err(YearError::Mismatch(self.original.to_string()));
                    }
                }
                self.last_era = Some((era, n));
                let mut warnings = Vec::new();
                if let Some(end) = era.info().end {
                    // A fiscal year begins on 1 April; past the era's last day it is out of the era.
                    if (year, 4u8, 1u8) > end {
                        warnings.push(YearWarning::PastEraEnd { era, era_year: n });
                    }
                }
                Ok((year, warnings))
            }
            None => {
                if !(1000..=2999).contains(&n) {
                    return Err(self.err());
                }
                if self.eat("(") {
                    let e = self.era().ok_or_else(|| self.err())?;
                    let m = self.number()?;
                    if !self.eat(")") {
                        return Err(self.err());
                    }
                    if m < 1 || e.first_year() + m - 1 != n {
                        return Err(YearError::Mismatch(self.original.to_string()));
                    }
                }
                self.last_era = None;
                Ok((n, Vec::new()))
            }
        }
    }
}

fn kanji_digit(c: char) -> Option<i32> {
    "〇一二三四五六七八九".chars().position(|k| k == c).map(|p| p as i32)
}

/// `二十六` → 26, `十` → 10, `百二` → 102, `二〇二一` → 2021.
fn kanji_number(s: &str) -> Option<i32> {
    if !s.contains(['十', '百']) {
        return s.chars().try_fold(0i32, |acc, c| Some(acc * 10 + kanji_digit(c)?));
    }
    let mut total = 0;
    let mut current: Option<i32> = None;
    for c in s.chars() {
        match c {
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            c => current = Some(current.unwrap_or(0) * 10 + kanji_digit(c)?),
        }
    }
    Some(total + current.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fy(s: &str) -> i32 {
        FiscalYear::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).value.year()
    }
    fn warned(s: &str) -> bool {
        !FiscalYear::parse(s).unwrap().warnings.is_empty()
    }
    fn range(s: &str) -> (i32, i32, bool) {
        let p = FiscalYearRange::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (p.value.first.year(), p.value.last.year(), !p.warnings.is_empty())
    }

    #[test]
    fn fiscal_years_from_the_test_vectors() {
        assert_eq!(fy("令和2年度"), 2020);
        assert_eq!(fy("R2年度"), 2020);
        assert_eq!(fy("Ｒ２年度"), 2020);
        assert_eq!(fy("令和２年度"), 2020);
        assert_eq!(fy("令和元年度"), 2019);
        assert_eq!(fy("平成31年度"), 2019);
        assert!(!warned("平成31年度"));
        assert_eq!(fy("平成32年度"), 2020);
        assert!(warned("平成32年度"));
        assert_eq!(fy("H26年度"), 2014);
        assert_eq!(fy("H26"), 2014);
        assert_eq!(fy("R4"), 2022);
        assert_eq!(fy("平成二十六年度"), 2014);
        assert_eq!(fy("㋿3年度"), 2021);
        assert_eq!(fy("㍻30年度"), 2018);
        assert_eq!(fy("昭和64年度"), 1989);
        assert!(warned("昭和64年度"));
        assert_eq!(fy("2021年度"), 2021);
        assert_eq!(fy("2021（令和3）年度"), 2021);
        assert_eq!(fy("令和3（2021）年度"), 2021);
        assert!(matches!(FiscalYear::parse("令和3（2022）年度"), Err(YearError::Mismatch(_))));
        assert!(FiscalYear::parse("令和0年度").is_err());
        assert!(matches!(FiscalYear::parse("令和3年"), Err(YearError::CalendarYear(_))));
        assert!(FiscalYear::parse("来年度").is_err());
    }

    #[test]
    fn ranges_from_the_test_vectors() {
        assert_eq!(range("平成25～28年度"), (2013, 2016, false));
        assert_eq!(range("平成25〜28年度"), (2013, 2016, false));
        assert_eq!(range("平成 25～28 年度"), (2013, 2016, false));
        assert_eq!(range("H25-H28年度"), (2013, 2016, false));
        assert_eq!(range("平成30年度～令和2年度"), (2018, 2020, false));
        assert_eq!(range("H30～R2年度"), (2018, 2020, false));
        assert_eq!(range("平成28～32年度"), (2016, 2020, true));
        assert_eq!(range("平成29～33年度"), (2017, 2021, true));
        assert_eq!(range("2023～2025年度"), (2023, 2025, false));
        assert_eq!(range("令和5年度"), (2023, 2023, false));
        assert!(matches!(FiscalYearRange::parse("令和5～3年度"), Err(YearError::Reversed(_))));
    }

    #[test]
    fn spans_of_work_done() {
        let span = |s: &str| {
            let p = YearSpan::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).value;
            (p.first.year(), p.last.map(|y| y.year()))
        };
        // Open at the end: the first year only. 令和元 = 2019, H30 = 2018.
        assert_eq!(span("令和元年度～"), (2019, None));
        assert_eq!(span("H30年度～"), (2018, None));
        assert_eq!(span("令和 元 年度～"), (2019, None));
        assert_eq!(span("令和3年度～継続中"), (2021, None));
        assert_eq!(span("平成30年度から"), (2018, None));
        // Lists: first and last year.
        assert_eq!(span("令和2年度・令和3年度"), (2020, Some(2021)));
        assert_eq!(span("R2・R3年度"), (2020, Some(2021)));
        assert_eq!(span("令和2・3年度"), (2020, Some(2021)));
        assert_eq!(span("令和2年度、令和4年度"), (2020, Some(2022)));
        assert_eq!(span("H28, H30年度"), (2016, Some(2018)));
        assert_eq!(span("H30,R1,R2"), (2018, Some(2020)));
        assert_eq!(span("Ｈ２８，Ｈ３０年度"), (2016, Some(2018)));
        // A month: March 2021 lies in fiscal 2020.
        assert_eq!(span("令和3年3月"), (2020, Some(2020)));
        // Ranges and single years as FiscalYearRange reads them.
        assert_eq!(span("平成 25～28 年度"), (2013, Some(2016)));
        assert_eq!(span("令和5年度"), (2023, Some(2023)));
        assert!(matches!(YearSpan::parse("令和5～3年度"), Err(YearError::Reversed(_))));
        assert!(matches!(YearSpan::parse("R3・R5～R4年度"), Err(YearError::Reversed(_))));
        assert!(matches!(YearSpan::parse("令和3（2022）年度"), Err(YearError::Mismatch(_))));
        assert!(matches!(YearSpan::parse("令和3（2022）年度～"), Err(YearError::Mismatch(_))));
        assert!(YearSpan::parse("毎年度").is_err());
        assert!(matches!(YearSpan::parse("R3年13月"), Err(YearError::BadDate(_))));
    }

    #[test]
    fn year_months_know_their_fiscal_year() {
        let ym = |s: &str| YearMonth::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).value;
        assert_eq!(ym("R3年3月"), YearMonth { year: 2021, month: 3 });
        assert_eq!(ym("R3年3月").fiscal_year().year(), 2020);
        assert_eq!(ym("R3年4月").fiscal_year().year(), 2021);
        assert_eq!(ym("令和３年３月"), YearMonth { year: 2021, month: 3 });
        assert_eq!(ym("R3.3"), YearMonth { year: 2021, month: 3 });
        assert!(matches!(YearMonth::parse("R3年13月"), Err(YearError::BadDate(_))));
    }

    #[test]
    fn dates_check_era_boundaries() {
        let d = |s: &str| Date::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(d("令和3年3月31日").value.to_string(), "2021-03-31");
        assert_eq!(d("R03.03.31").value.to_string(), "2021-03-31");
        assert_eq!(d("令和元年5月1日").value.to_string(), "2019-05-01");
        assert_eq!(d("平成31年4月30日").value.to_string(), "2019-04-30");
        assert!(d("平成31年4月30日").warnings.is_empty());
        assert_eq!(d("平成31年5月1日").value.to_string(), "2019-05-01");
        assert_eq!(d("平成31年5月1日").warnings.len(), 1);
        assert_eq!(d("平成元年1月8日").value.to_string(), "1989-01-08");
        assert!(matches!(Date::parse("平成元年1月7日"), Err(YearError::BeforeEraStart(_))));
        assert!(matches!(Date::parse("令和元年4月30日"), Err(YearError::BeforeEraStart(_))));
        assert_eq!(d("昭和64年1月7日").value.to_string(), "1989-01-07");
        assert!(d("昭和64年1月7日").warnings.is_empty());
    }

    #[test]
    fn displays_both_ways() {
        let f = FiscalYear::new(2020).unwrap();
        assert_eq!(f.display_both(), "2020（令和2年度）");
        assert_eq!(FiscalYear::new(2019).unwrap().era_label(), "令和元年度");
        assert_eq!(FiscalYear::new(2014).unwrap().era_label(), "平成26年度");
        assert_eq!(FiscalYear::new(1989).unwrap().era_label(), "平成元年度");
    }

    proptest! {
        #[test]
        fn era_label_parses_back(y in 1927i32..2200) {
            let f = FiscalYear::new(y).unwrap();
            prop_assert_eq!(FiscalYear::parse(&f.era_label()).unwrap().value, f);
            prop_assert_eq!(FiscalYear::parse(&f.to_string()).unwrap().value, f);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,16}") {
            let _ = FiscalYear::parse(&s);
            let _ = FiscalYearRange::parse(&s);
            let _ = YearMonth::parse(&s);
            let _ = Date::parse(&s);
            let _ = YearSpan::parse(&s);
        }
    }
}

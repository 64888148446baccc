//! Money: whole yen in an integer, and the units documents print amounts in.
//!
//! Amounts are exact. `1.5` in a 千円 table is 1,500 yen; `0.0001` 千円 is not a whole number of yen and
//! is an error, never a rounded guess. "No value" (`―`) is `None`, distinct from `0`; `△`/`▲` mean minus.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::{fold, is_no_value};

/// An amount of money in whole yen. May be negative (a `△` reduction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Yen(i64);

impl Yen {
    /// Zero yen.
    pub const ZERO: Yen = Yen(0);

    /// An amount of `yen` yen.
    pub const fn new(yen: i64) -> Self {
        Yen(yen)
    }

    /// The amount in yen.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Yen) -> Option<Yen> {
        self.0.checked_add(other.0).map(Yen)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Yen) -> Option<Yen> {
        self.0.checked_sub(other.0).map(Yen)
    }

    /// The amount expressed in `unit`, rounded half away from zero (for display only).
    pub fn in_unit_rounded(self, unit: Unit) -> i64 {
        let f = unit.factor();
        let q = self.0 / f;
        let r = self.0 % f;
        if r.abs() * 2 >= f {
            q + self.0.signum()
        } else {
            q
        }
    }

    /// The amount in `unit` with thousands separators, as published tables print it (`△` for minus):
    /// `Yen::new(17_000_000).display_in(Unit::Thousand)` is `17,000`. Amounts that are not a whole
    /// number of `unit` keep their decimals (`1.5`).
    pub fn display_in(self, unit: Unit) -> String {
        let f = unit.factor();
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let whole = abs / f as u64;
        let rest = abs % f as u64;
        let mut s = group_thousands(whole);
        if rest != 0 {
            let digits = f.ilog10() as usize;
            let frac = format!("{rest:0digits$}");
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        if neg {
            format!("△{s}")
        } else {
            s
        }
    }
}

impl fmt::Display for Yen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::iter::Sum for Yen {
    fn sum<I: Iterator<Item = Yen>>(iter: I) -> Yen {
        Yen(iter.map(|y| y.0).sum())
    }
}

/// Format a non-negative integer with `,` every three digits.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The unit a table prints its amounts in (`単位：千円`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 円
    Yen,
    /// 千円
    Thousand,
    /// 万円
    TenThousand,
    /// 百万円
    Million,
    /// 億円
    HundredMillion,
}

impl Unit {
    /// Every unit, smallest first.
    pub const ALL: [Unit; 5] = [Unit::Yen, Unit::Thousand, Unit::TenThousand, Unit::Million, Unit::HundredMillion];

    /// Yen in one of this unit.
    pub const fn factor(self) -> i64 {
        match self {
            Unit::Yen => 1,
            Unit::Thousand => 1_000,
            Unit::TenThousand => 10_000,
            Unit::Million => 1_000_000,
            Unit::HundredMillion => 100_000_000,
        }
    }

    /// The unit as printed in Japanese (`千円`).
    pub const fn label(self) -> &'static str {
        match self {
            Unit::Yen => "円",
            Unit::Thousand => "千円",
            Unit::TenThousand => "万円",
            Unit::Million => "百万円",
            Unit::HundredMillion => "億円",
        }
    }

    /// The code used in the interchange (`thousand_yen`).
    pub const fn code(self) -> &'static str {
        match self {
            Unit::Yen => "yen",
            Unit::Thousand => "thousand_yen",
            Unit::TenThousand => "ten_thousand_yen",
            Unit::Million => "million_yen",
            Unit::HundredMillion => "hundred_million_yen",
        }
    }

    /// Parse an interchange code (`thousand_yen`) or a printed label (`千円`, `（単位：千円）`).
    pub fn parse(s: &str) -> Option<Unit> {
        let f = fold(s);
        let f = f
            .trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
            .trim_start_matches("単位")
            .trim_start_matches([':', ' '])
            .trim();
        Unit::ALL.into_iter().find(|u| u.code() == f || u.label() == f)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Unit {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::parse(s).ok_or_else(|| AmountError::UnknownUnit(s.to_string()))
    }
}

/// Why a piece of text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AmountError {
    /// Nothing that looks like a number.
    #[error("not an amount: {0:?}")]
    NotANumber(String),
    /// Separators in the wrong places (`1,23,4`).
    #[error("bad thousands grouping in {0:?}")]
    BadGrouping(String),
    /// Two numbers in one cell (`1,234 5,678`), typically a merged cell.
    #[error("two numbers in one cell: {0:?}")]
    TwoNumbers(String),
    /// The amount is not a whole number of yen (`0.0001` 千円).
    #[error("not a whole number of yen: {0:?}")]
    FractionalYen(String),
    /// Too large for the ledger.
    #[error("amount out of range: {0:?}")]
    Overflow(String),
    /// A unit name that is not one of 円/千円/万円/百万円/億円.
    #[error("unknown unit: {0:?}")]
    UnknownUnit(String),
}

/// A decimal number as text reads it: `mantissa / 10^scale`. Exact, no floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawNumber {
    pub mantissa: i128,
    pub scale: u32,
}

impl RawNumber {
    /// Multiply by `factor` yen and require a whole result.
    fn to_yen(self, factor: i64, text: &str) -> Result<Yen, AmountError> {
        let v = self.mantissa.checked_mul(factor as i128).ok_or_else(|| AmountError::Overflow(text.to_string()))?;
        let div = 10i128.pow(self.scale);
        if v % div != 0 {
            return Err(AmountError::FractionalYen(text.to_string()));
        }
        i64::try_from(v / div).map(Yen).map_err(|_| AmountError::Overflow(text.to_string()))
    }
}

/// Parse an unsigned number with optional `,` grouping and decimals (`1,234.5`), already NFKC'd.
pub(crate) fn parse_plain_number(s: &str, original: &str) -> Result<RawNumber, AmountError> {
    if s.is_empty() {
        return Err(AmountError::NotANumber(original.to_string()));
    }
    if s.contains(char::is_whitespace) {
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() > 1 && parts.iter().all(|p| p.starts_with(|c: char| c.is_ascii_digit())) {
            return Err(AmountError::TwoNumbers(original.to_string()));
        }
        return Err(AmountError::NotANumber(original.to_string()));
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Err(AmountError::NotANumber(original.to_string()));
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(AmountError::BadGrouping(original.to_string()));
        }
    }
    let mut digits: String = int.chars().filter(|c| *c != ',').collect();
    let mut scale = 0u32;
    if let Some(f) = frac {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return Err(AmountError::NotANumber(original.to_string()));
        }
        digits.push_str(f);
        scale = f.len() as u32;
    }
    if digits.len() > 30 {
        return Err(AmountError::Overflow(original.to_string()));
    }
    let mantissa: i128 = digits.parse().map_err(|_| AmountError::NotANumber(original.to_string()))?;
    Ok(RawNumber { mantissa, scale })
}

/// Strip a leading minus mark (`△`, `▲`, `-`) and report whether there was one.
pub(crate) fn strip_sign(s: &str) -> (bool, &str) {
    for m in ["△", "▲", "-", "▽", "▼"] {
        if let Some(rest) = s.strip_prefix(m) {
            return (true, rest.trim_start());
        }
    }
    (false, s)
}

/// Parse an amount printed in a table whose unit is `unit`.
///
/// Returns `Ok(None)` for "no value" (`―`, `－`, `…`). An amount with its own unit (`3,500万円`,
/// `1億2,345万円`, `12.5百万円`) uses that unit instead of the table's.
pub fn parse_amount(text: &str, unit: Unit) -> Result<Option<Yen>, AmountError> {
    if is_no_value(text) {
        return Ok(None);
    }
    let f = fold(text);
    let (neg, body) = strip_sign(&f);
    let body = body.trim();
    let yen = if body.ends_with('円') || body.contains('億') || body.contains('万') {
        parse_inline(body, text)?
    } else {
        parse_plain_number(body, text)?.to_yen(unit.factor(), text)?
    };
    Ok(Some(if neg { Yen(-yen.0) } else { yen }))
}

/// `1億2,345万円`, `3,500万円`, `12.5百万円`, `1,000円`.
fn parse_inline(body: &str, original: &str) -> Result<Yen, AmountError> {
    let body = body.strip_suffix('円').unwrap_or(body);
    let mut total = Yen(0);
    let mut rest = body;
    // Largest unit first, each at most once.
    for (mark, factor) in [("億", 100_000_000i64), ("百万", 1_000_000), ("万", 10_000), ("千", 1_000)] {
        if let Some(pos) = rest.find(mark) {
            let num = &rest[..pos];
            let v = parse_plain_number(num.trim(), original)?.to_yen(factor, original)?;
            total = total.checked_add(v).ok_or_else(|| AmountError::Overflow(original.to_string()))?;
            rest = &rest[pos + mark.len()..];
        }
    }
    let rest = rest.trim();
    if !rest.is_empty() {
        let v = parse_plain_number(rest, original)?.to_yen(1, original)?;
        total = total.checked_add(v).ok_or_else(|| AmountError::Overflow(original.to_string()))?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(s: &str) -> Result<Option<i64>, AmountError> {
        parse_amount(s, Unit::Thousand).map(|o| o.map(Yen::get))
    }

    #[test]
    fn test_vectors_in_thousands() {
        assert_eq!(k("1,234"), Ok(Some(1_234_000)));
        assert_eq!(k("△1,234"), Ok(Some(-1_234_000)));
        assert_eq!(k("▲ 1,234"), Ok(Some(-1_234_000)));
        assert_eq!(k("△　２６，０００"), Ok(Some(-26_000_000)));
        assert_eq!(k("0"), Ok(Some(0)));
        assert_eq!(k("1.5"), Ok(Some(1_500)));
        for none in ["－", "―", "—", "–", "-", "…"] {
            assert_eq!(k(none), Ok(None), "{none}");
        }
        assert!(matches!(k("1,23,4"), Err(AmountError::BadGrouping(_))));
        assert!(matches!(k("1,234 5,678"), Err(AmountError::TwoNumbers(_))));
        assert!(matches!(k("0.0001"), Err(AmountError::FractionalYen(_))));
        assert!(matches!(k("abc"), Err(AmountError::NotANumber(_))));
    }

    #[test]
    fn test_vectors_in_yen_and_inline_units() {
        let y = |s| parse_amount(s, Unit::Yen).map(|o| o.map(Yen::get));
        assert_eq!(y("１２，３４５"), Ok(Some(12_345)));
        assert_eq!(y("-1,234"), Ok(Some(-1_234)));
        assert_eq!(k("1億2,345万円"), Ok(Some(123_450_000)));
        assert_eq!(k("3,500万円"), Ok(Some(35_000_000)));
        assert_eq!(k("12.5百万円"), Ok(Some(12_500_000)));
        assert_eq!(k("1,830万円"), Ok(Some(18_300_000)));
    }

    #[test]
    fn units_parse_from_labels_and_codes() {
        assert_eq!(Unit::parse("（単位：千円）"), Some(Unit::Thousand));
        assert_eq!(Unit::parse("万円"), Some(Unit::TenThousand));
        assert_eq!(Unit::parse("thousand_yen"), Some(Unit::Thousand));
        assert_eq!(Unit::parse("ドル"), None);
    }

    #[test]
    fn display_in_unit_groups_thousands() {
        assert_eq!(Yen::new(17_000_000).display_in(Unit::Thousand), "17,000");
        assert_eq!(Yen::new(-1_234_000).display_in(Unit::Thousand), "△1,234");
        assert_eq!(Yen::new(1_500).display_in(Unit::Thousand), "1.5");
        assert_eq!(Yen::new(0).display_in(Unit::Thousand), "0");
    }

    proptest! {
        #[test]
        fn unit_conversion_is_exact(n in -1_000_000_000i64..1_000_000_000, u in 0usize..5) {
            let unit = Unit::ALL[u];
            let text = Yen::new(n).display_in(Unit::Yen);
            let yen = parse_amount(&text, Unit::Yen).unwrap().unwrap();
            prop_assert_eq!(yen.get(), n);
            // n units of `unit` printed and read back is exactly n * factor yen.
            let printed = if n < 0 { format!("△{}", group_thousands(n.unsigned_abs())) } else { group_thousands(n as u64) };
            let read = parse_amount(&printed, unit).unwrap().unwrap();
            prop_assert_eq!(read.get(), n * unit.factor());
        }

        #[test]
        fn display_then_parse_is_identity(n in -10_000_000_000_000i64..10_000_000_000_000, u in 0usize..5) {
            let unit = Unit::ALL[u];
            let y = Yen::new(n);
            prop_assert_eq!(parse_amount(&y.display_in(unit), unit).unwrap(), Some(y));
        }

        #[test]
        fn parse_amount_never_panics(s in "\\PC{0,20}") {
            let _ = parse_amount(&s, Unit::Thousand);
        }
    }
}

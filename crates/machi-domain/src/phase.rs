//! The phases of a fiscal year's budget: initial, each supplementary revision, settlement.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::{fold, squeeze};

/// A phase of the fiscal cycle. Ordered along the calendar: April's initial budget, then revisions by the
/// month they passed (June → March), then the settlement after the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Phase {
    /// 当初予算
    Initial,
    /// The budget after the supplementary revision passed in `month` (6, 9, 12, 2 or 3).
    Revised {
        /// Calendar month the revision passed.
        month: u8,
    },
    /// 決算
    Settled,
}

/// Why text is not a phase.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "unknown phase {0:?} (expected initial, revised_06, revised_09, revised_12, revised_02, revised_03 or settled)"
)]
pub struct PhaseError(pub String);

impl Phase {
    /// Position along the fiscal calendar (April = 0).
    fn rank(self) -> u32 {
        match self {
            Phase::Initial => 0,
            Phase::Revised { month } => 1 + (month as u32 + 8) % 12,
            Phase::Settled => 100,
        }
    }

    /// The interchange code: `initial`, `revised_09`, `settled`.
    pub fn code(self) -> String {
        match self {
            Phase::Initial => "initial".into(),
            Phase::Revised { month } => format!("revised_{month:02}"),
            Phase::Settled => "settled".into(),
        }
    }

    /// The Japanese column header: `当初予算`, `9月補正後`, `決算額`.
    pub fn label_ja(self) -> String {
        match self {
            Phase::Initial => "当初予算".into(),
            Phase::Revised { month } => format!("{month}月補正後"),
            Phase::Settled => "決算額".into(),
        }
    }

    /// Parse an interchange code.
    pub fn parse_code(s: &str) -> Result<Phase, PhaseError> {
        match s {
            "initial" => Ok(Phase::Initial),
            "settled" => Ok(Phase::Settled),
            _ => {
                let m = s
                    .strip_prefix("revised_")
                    .filter(|m| m.len() == 2)
                    .and_then(|m| m.parse::<u8>().ok())
                    .ok_or_else(|| PhaseError(s.to_string()))?;
                if (1..=12).contains(&m) {
                    Ok(Phase::Revised { month: m })
                } else {
                    Err(PhaseError(s.to_string()))
                }
            }
        }
    }

    /// Read a column header as printed: `当初予算`, `当初`, `R2当初`, `予算額`, `9月補正後`, `９月補正後`,
    /// `2月補正後`, `決算額`, `R2決算`, `決算`, `実績`.
    pub fn parse_header(s: &str) -> Option<Phase> {
        let f = squeeze(&fold(s));
        // An era-year prefix (`R2当初`) names the fiscal year, not the phase.
        let body = f.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c.is_ascii_digit() && !f.contains('月'));
        let body = if body.is_empty() { f.as_str() } else { body };
        if body.starts_with("当初") || body == "予算額" || body == "予算" {
            return Some(Phase::Initial);
        }
        if body.starts_with("決算") || body == "実績" || body == "実績額" {
            return Some(Phase::Settled);
        }
        if let Some(pos) = f.find("月補正") {
            let m: String = f[..pos]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let m: u8 = m.parse().ok()?;
            if (1..=12).contains(&m) {
                return Some(Phase::Revised { month: m });
            }
        }
        None
    }
}

impl PartialOrd for Phase {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Phase {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Phase {
    type Err = PhaseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::parse_code(s)
    }
}

impl From<Phase> for String {
    fn from(p: Phase) -> String {
        p.code()
    }
}

impl TryFrom<String> for Phase {
    type Error = PhaseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phase::parse_code(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_run_along_the_fiscal_calendar() {
        let mut v = [
            Phase::Settled,
            Phase::Revised { month: 2 },
            Phase::Revised { month: 12 },
            Phase::Initial,
            Phase::Revised { month: 6 },
            Phase::Revised { month: 3 },
            Phase::Revised { month: 9 },
        ];
        v.sort();
        let codes: Vec<String> = v.iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["initial", "revised_06", "revised_09", "revised_12", "revised_02", "revised_03", "settled"]);
    }

    #[test]
    fn headers_as_printed() {
        assert_eq!(Phase::parse_header("当初予算"), Some(Phase::Initial));
        assert_eq!(Phase::parse_header("R2当初"), Some(Phase::Initial));
        assert_eq!(Phase::parse_header("予算額"), Some(Phase::Initial));
        assert_eq!(Phase::parse_header("9月補正後"), Some(Phase::Revised { month: 9 }));
        assert_eq!(Phase::parse_header("９月補正後"), Some(Phase::Revised { month: 9 }));
        assert_eq!(Phase::parse_header("2月補正後"), Some(Phase::Revised { month: 2 }));
        assert_eq!(Phase::parse_header("決算額"), Some(Phase::Settled));
        assert_eq!(Phase::parse_header("R2決算"), Some(Phase::Settled));
        assert_eq!(Phase::parse_header("事業名"), None);
    }

    #[test]
    fn codes_round_trip() {
        for c in ["initial", "revised_06", "revised_09", "revised_12", "revised_02", "revised_03", "settled"] {
            assert_eq!(Phase::parse_code(c).unwrap().code(), c);
        }
        assert!(Phase::parse_code("revised_9").is_err());
        assert!(Phase::parse_code("final").is_err());
    }
}

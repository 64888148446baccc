//! Number tokens and column-header words of budget tables.
//!
//! PDF extraction glues neighbouring cells (`126132` for `126` and `132`, `9671,000` for `967` and
//! `1,000`), so a token is read as a set of *readings*: the token as printed when it is a well-formed
//! amount, and every split into two well-formed amounts when it may be glued. Which reading is right is
//! decided later, only by the document's stated totals; nothing here picks one.

use machi_domain::money::parse_amount;
use machi_domain::text::fold;
use machi_domain::{Phase, Unit, Yen};

/// One value of a reading: `None` is a printed "no value" (`―`).
pub(crate) type Val = Option<Yen>;

/// A numeric token of a line, with its possible readings (each one or two values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumTok {
    /// The token as it appears in the normalised line.
    pub text: String,
    /// Possible readings; never empty.
    pub readings: Vec<Vec<Val>>,
}

impl NumTok {
    /// True when the token has exactly one reading of one value (no gluing suspected).
    pub fn is_clean(&self) -> bool {
        self.readings.len() == 1 && self.readings[0].len() == 1
    }
}

/// A well-formed amount as tables print it: `0`, or digits without a leading zero, grouped by `,`
/// in threes when longer than three digits. Ungrouped long numbers are "suspicious", not well-formed.
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix(['△', '▲']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let groups: Vec<&str> = s.split(',').collect();
    let Some(first) = groups.first() else { return false };
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return false;
    }
    groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) && groups[1..].iter().all(|g| g.len() == 3)
}

/// Digits and commas only, starting with a digit (after an optional minus mark).
fn numeric_shape(s: &str) -> bool {
    let body = s.strip_prefix(['△', '▲']).unwrap_or(s);
    body.starts_with(|c: char| c.is_ascii_digit()) && body.chars().all(|c| c.is_ascii_digit() || c == ',')
}

fn amount(s: &str, unit: Unit) -> Option<Yen> {
    // Fast path for plain ASCII digits and commas (almost every cell): no re-normalisation needed.
    if s.bytes().all(|b| b.is_ascii_digit() || b == b',') && s.bytes().any(|b| b.is_ascii_digit()) {
        let mut v: i64 = 0;
        for b in s.bytes().filter(u8::is_ascii_digit) {
            v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        return v.checked_mul(unit.factor()).map(Yen::new);
    }
    parse_amount(s, unit).ok().flatten()
}

/// Read one whitespace-free token (already NFKC'd). `None` when it is not a number or a dash.
pub(crate) fn num_token(tok: &str, unit: Unit) -> Option<NumTok> {
    let first = tok.chars().next()?;
    // Cheap rejection of words: a number starts with a digit or a minus mark, a dash is short.
    let starts_numeric = first.is_ascii_digit() || first == '△' || first == '▲';
    if !starts_numeric && tok.chars().count() > 3 {
        return None;
    }
    let text = tok.to_string();
    // Fold once: the no-value test and the double-dash test read the same folded text.
    let folded = if starts_numeric { String::new() } else { fold(tok) };
    if !starts_numeric && matches!(folded.as_str(), "-" | "..." | "…" | "--" | "ー" | "・・・") {
        return Some(NumTok { text, readings: vec![vec![None]] });
    }
    // `--` and `- -` style double dashes are two empty cells glued together.
    if folded.len() >= 2 && folded.chars().all(|c| c == '-') {
        return Some(NumTok { text, readings: vec![vec![None; folded.len()]] });
    }
    if !numeric_shape(tok) {
        return None;
    }
    let mut readings = Vec::new();
    let wf = well_formed(tok);
    let digits = tok.chars().filter(char::is_ascii_digit).count();
    let suspicious = !tok.contains(',') && digits >= 4 || (!wf && tok.len() > 1);
    if wf || !suspicious {
        if let Some(v) = amount(tok, unit) {
            readings.push(vec![Some(v)]);
        }
    }
    if suspicious || !wf {
        // Every split into two well-formed amounts.
        for (i, _) in tok.char_indices().skip(1) {
            let (a, b) = tok.split_at(i);
            if well_formed(a) && well_formed(b) {
                if let (Some(x), Some(y)) = (amount(a, unit), amount(b, unit)) {
                    readings.push(vec![Some(x), Some(y)]);
                }
            }
        }
        // An ungrouped long number may still be one amount; keep it as a reading.
        if !wf && !tok.contains(',') && !tok.starts_with('0') && readings.iter().all(|r| r.len() == 2) {
            if let Some(v) = amount(tok, unit) {
                readings.push(vec![Some(v)]);
            }
        }
    }
    (!readings.is_empty()).then_some(NumTok { text, readings })
}

/// Split a normalised line into its tokens.
pub(crate) fn tokens(norm: &str) -> Vec<&str> {
    norm.split_whitespace().collect()
}

/// If every token of the line is numeric, its number tokens.
pub(crate) fn all_numbers(norm: &str, unit: Unit) -> Option<Vec<NumTok>> {
    let toks = tokens(norm);
    if toks.is_empty() {
        return None;
    }
    toks.iter().map(|t| num_token(t, unit)).collect()
}

/// Split trailing number tokens off a line: `(text, numbers)`. The text keeps its original spacing.
pub(crate) fn trailing_numbers(norm: &str, unit: Unit) -> (String, Vec<NumTok>) {
    let toks = tokens(norm);
    let mut k = toks.len();
    while k > 0 {
        match num_token(toks[k - 1], unit) {
            Some(_) => k -= 1,
            None => break,
        }
    }
    let nums = toks[k..].iter().filter_map(|t| num_token(t, unit)).collect();
    (toks[..k].join(" "), nums)
}

/// A column-header word naming a phase (`予算額`, `R2当初`, `９月補正後`, `決算額`). Stricter than
/// [`Phase::parse_header`]: the whole word must be a header, not merely start like one.
pub(crate) fn phase_word(tok: &str) -> Option<Phase> {
    if !tok.contains(['当', '予', '決', '実', '補']) {
        return None;
    }
    let f = fold(tok);
    let body = f.trim_start_matches(['R', 'H']).trim_start_matches(|c: char| c.is_ascii_digit());
    let era_prefixed = body.len() != f.len();
    match body {
        "当初予算" | "当初予算額" | "当初" | "予算額" if !era_prefixed || body == "当初" => {
            Some(Phase::Initial)
        }
        "決算額" | "決算" | "実績" => Some(Phase::Settled),
        _ => {
            let m = f.strip_suffix("月補正後")?;
            let month: u8 = m.parse().ok()?;
            (1..=12).contains(&month).then_some(Phase::Revised { month })
        }
    }
}

/// Column words that label a table but name nothing (`№ 事業名`, `事業概要`).
pub(crate) fn is_column_word(s: &str) -> bool {
    let sq = machi_domain::text::squeeze(s);
    matches!(
        sq.as_str(),
        "№事業名"
            | "No事業名"
            | "№"
            | "No"
            | "事業名"
            | "事業概要"
            | "事業内容"
            | "No.事業名"
            | "内容"
            | "摘要"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(v: i64) -> Val {
        Some(Yen::new(v * 1000))
    }

    #[test]
    fn clean_tokens_have_one_reading() {
        let t = num_token("2,899", Unit::Thousand).unwrap();
        assert_eq!(t.readings, vec![vec![k(2899)]]);
        assert!(t.is_clean());
        assert_eq!(num_token("―", Unit::Thousand).unwrap().readings, vec![vec![None]]);
        assert!(num_token("事業", Unit::Thousand).is_none());
    }

    #[test]
    fn glued_tokens_offer_every_well_formed_split() {
        let t = num_token("9671,000", Unit::Thousand).unwrap();
        assert!(t.readings.contains(&vec![k(967), k(1000)]));
        assert!(t.readings.contains(&vec![k(96), k(71000)]));
        assert!(!t.readings.iter().any(|r| r.len() == 1), "9671,000 is not one amount");
        let t = num_token("126132", Unit::Thousand).unwrap();
        assert!(t.readings.contains(&vec![k(126), k(132)]));
        assert!(t.readings.contains(&vec![k(126132)]));
        assert_eq!(num_token("00", Unit::Thousand).unwrap().readings, vec![vec![k(0), k(0)]]);
        assert_eq!(num_token("2,0062,200", Unit::Thousand).unwrap().readings, vec![vec![k(2006), k(2200)]]);
    }

    #[test]
    fn header_words() {
        assert_eq!(phase_word("予算額"), Some(Phase::Initial));
        assert_eq!(phase_word("R2当初"), Some(Phase::Initial));
        assert_eq!(phase_word("９月補正後"), Some(Phase::Revised { month: 9 }));
        assert_eq!(phase_word("R2決算"), Some(Phase::Settled));
        assert_eq!(phase_word("当初予算額地域活動の負担軽減"), None);
        assert_eq!(phase_word("事業名"), None);
    }
}

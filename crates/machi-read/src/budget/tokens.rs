//! Number tokens and column-header words of budget tables.
//!
//! PDF extraction glues neighbouring cells (`126132` for `126` and `132`, `9671,000` for `967` and
//! `1,000`), so a token is read as a set of *readings*: the token as printed when it is a well-formed
//! amount, and every split into two well-formed amounts when it may be glued. Which reading is right is
//! decided later, only by the document's stated totals; nothing here picks one.

use machi_domain::money::parse_amount;
use machi_domain::text::{fold_cow, trim_start};
use machi_domain::{Phase, Unit, Yen};

/// One value of a reading: `None` is a printed "no value" (`―`).
pub(crate) type Val = Option<Yen>;

/// A numeric token of a line, with its possible readings (each one or two values).
///
/// A long document has millions of tokens, so both parts live inline in the common case (a short token
/// with one reading): no heap allocation per token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumTok {
    /// The token as it appears in the normalised line.
    pub text: TokText,
    /// Possible readings; never empty.
    pub readings: Readings,
}

impl NumTok {
    /// True when the token has exactly one reading of one value (no gluing suspected).
    pub fn is_clean(&self) -> bool {
        self.readings.len() == 1 && self.readings[0].len() == 1
    }
}

/// Bytes of token text kept inline; longer tokens (rare) go to the heap.
const INLINE_TEXT: usize = 22;

/// The text of a token: inline when short (amounts are), boxed otherwise.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum TokText {
    /// Up to [`INLINE_TEXT`] bytes of UTF-8.
    Inline { len: u8, buf: [u8; INLINE_TEXT] },
    /// A longer token.
    Heap(Box<str>),
}

impl TokText {
    fn new(s: &str) -> TokText {
        if s.len() <= INLINE_TEXT {
            let mut buf = [0; INLINE_TEXT];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            TokText::Inline { len: s.len() as u8, buf }
        } else {
            TokText::Heap(s.into())
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            // Built from a `&str` cut at its end, so always valid UTF-8; the fallback is never taken.
            TokText::Inline { len, buf } => std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default(),
            TokText::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for TokText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for TokText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for TokText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Values kept inline in one reading: one, or the two of a split. A glued dash `---` (three values, rare)
/// goes to the heap, so that a token is 64 bytes instead of 80: a 50 MB document holds over a million.
const INLINE_VALS: usize = 2;

/// One reading of a token: its values in order.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Up to [`INLINE_VALS`] values.
    Inline { len: u8, vals: [Val; INLINE_VALS] },
    /// More values (a long run of glued dashes).
    Heap(Vec<Val>),
}

impl Reading {
    fn one(v: Val) -> Reading {
        Reading::Inline { len: 1, vals: [v, None] }
    }

    fn two(a: Val, b: Val) -> Reading {
        Reading::Inline { len: 2, vals: [a, b] }
    }

    fn empties(n: usize) -> Reading {
        if n <= INLINE_VALS {
            Reading::Inline { len: n as u8, vals: [None; INLINE_VALS] }
        } else {
            Reading::Heap(vec![None; n])
        }
    }
}

impl std::ops::Deref for Reading {
    type Target = [Val];
    fn deref(&self) -> &[Val] {
        match self {
            Reading::Inline { len, vals } => &vals[..usize::from(*len)],
            Reading::Heap(v) => v,
        }
    }
}

impl std::fmt::Debug for Reading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The readings of a token: one inline (almost every token), or several.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Readings {
    /// Exactly one reading.
    One(Reading),
    /// Any number of readings (a glued cell's splits).
    Many(Vec<Reading>),
}

impl Readings {
    fn push(&mut self, r: Reading) {
        match self {
            Readings::Many(v) if v.is_empty() => *self = Readings::One(r),
            Readings::Many(v) => v.push(r),
            Readings::One(first) => {
                let first = std::mem::replace(first, Reading::one(None));
                *self = Readings::Many(vec![first, r]);
            }
        }
    }
}

impl std::ops::Deref for Readings {
    type Target = [Reading];
    fn deref(&self) -> &[Reading] {
        match self {
            Readings::One(r) => std::slice::from_ref(r),
            Readings::Many(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Readings {
    type Item = &'a Reading;
    type IntoIter = std::slice::Iter<'a, Reading>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::fmt::Debug for Readings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A well-formed amount as tables print it: `0`, or digits without a leading zero, grouped by `,`
/// in threes when longer than three digits. Ungrouped long numbers are "suspicious", not well-formed.
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix(MINUS).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = s.split(',');
    let Some(first) = groups.next() else { return false };
    if first.is_empty() || first.len() > 3 || first.starts_with('0') || !digits(first) {
        return false;
    }
    groups.all(|g| g.len() == 3 && digits(g))
}

/// The value of a [`well_formed`] token of ASCII digits and commas, read in one pass (nearly every
/// cell of a table is one; the two passes of `well_formed` and `amount` cost several times as much).
/// `None` for anything else, including a value too large for a `u64`.
fn plain_amount(tok: &str) -> Option<u64> {
    let b = tok.as_bytes();
    if b.len() > 1 && b.first() == Some(&b'0') {
        return None;
    }
    let mut v: u64 = 0;
    // Digits in the current group (never more than three), and whether a comma has been seen: every
    // group after the first has exactly three.
    let (mut run, mut grouped) = (0usize, false);
    for &c in b {
        match c {
            b'0'..=b'9' if run < 3 => {
                run += 1;
                v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            }
            b',' if run > 0 && (!grouped || run == 3) => {
                grouped = true;
                run = 0;
            }
            _ => return None,
        }
    }
    (run > 0 && (!grouped || run == 3)).then_some(v)
}

/// The marks a negative amount starts with: `△`/`▲` as Japanese tables print it, or a hyphen (`－200`
/// after NFKC).
const MINUS: [char; 3] = ['△', '▲', '-'];

/// Digits and commas only, starting with a digit (after an optional minus mark).
fn numeric_shape(s: &str) -> bool {
    let body = s.strip_prefix(MINUS).unwrap_or(s);
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

/// A letter, kana or kanji: its own NFKC form, never a digit, dash or "no value" mark.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c as u32, 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF)
}

/// Read one whitespace-free token (already NFKC'd). `None` when it is not a number or a dash.
pub(crate) fn num_token(tok: &str, unit: Unit) -> Option<NumTok> {
    let first = tok.chars().next()?;
    // A well-formed amount (`2,899`, `745`, `0`) has exactly one reading: skip the glue checks.
    if first.is_ascii_digit() {
        if let Some(v) = plain_amount(tok) {
            let v = Yen::new(i64::try_from(v).ok()?.checked_mul(unit.factor())?);
            return Some(NumTok { text: TokText::new(tok), readings: Readings::One(Reading::one(Some(v))) });
        }
    }
    // Cheap rejection of words: a number starts with a digit or a minus mark, a dash is short.
    // A hyphen is a minus only before a digit (`-200`, from `－200`); alone it is an empty cell.
    let starts_numeric = first.is_ascii_digit()
        || first == '△'
        || first == '▲'
        || (first == '-' && tok[1..].starts_with(|c: char| c.is_ascii_digit()));
    if !starts_numeric && tok.chars().count() > 3 {
        return None;
    }
    // Not numeric, so only a dash or "no value" mark can be read. A letter, kana or kanji is its own
    // NFKC form and none of those marks: a short word (`事業`, `新規`) is rejected without folding.
    if !starts_numeric && tok.chars().any(is_word_char) {
        return None;
    }
    let text = TokText::new(tok);
    // Fold once: the no-value test and the double-dash test read the same folded text.
    let folded = if starts_numeric { std::borrow::Cow::Borrowed("") } else { fold_cow(tok) };
    if !starts_numeric && matches!(folded.as_ref(), "-" | "..." | "…" | "--" | "ー" | "・・・") {
        return Some(NumTok { text, readings: Readings::One(Reading::one(None)) });
    }
    // `--` and `- -` style double dashes are two empty cells glued together.
    if folded.len() >= 2 && folded.chars().all(|c| c == '-') {
        return Some(NumTok { text, readings: Readings::One(Reading::empties(folded.len())) });
    }
    if !numeric_shape(tok) {
        // A figure that prints its own unit (`400千円`, `35万円`): one reading, in that unit.
        let number = ["千円", "万円", "円"].iter().find_map(|u| tok.strip_suffix(u))?;
        if !well_formed(number) {
            return None;
        }
        let v = parse_amount(tok, unit).ok().flatten()?;
        return Some(NumTok { text, readings: Readings::One(Reading::one(Some(v))) });
    }
    let mut readings = Readings::Many(Vec::new());
    let wf = well_formed(tok);
    let digits = tok.chars().filter(char::is_ascii_digit).count();
    let suspicious = !tok.contains(',') && digits >= 4 || (!wf && tok.len() > 1);
    if wf || !suspicious {
        if let Some(v) = amount(tok, unit) {
            readings.push(Reading::one(Some(v)));
        }
    }
    if suspicious || !wf {
        // Every split into two well-formed amounts.
        for (i, _) in tok.char_indices().skip(1) {
            let (a, b) = tok.split_at(i);
            if well_formed(a) && well_formed(b) {
                if let (Some(x), Some(y)) = (amount(a, unit), amount(b, unit)) {
                    readings.push(Reading::two(Some(x), Some(y)));
                }
            }
        }
        // An ungrouped long number may still be one amount; keep it as a reading.
        if !wf && !tok.contains(',') && !tok.starts_with('0') && readings.iter().all(|r| r.len() == 2) {
            if let Some(v) = amount(tok, unit) {
                readings.push(Reading::one(Some(v)));
            }
        }
    }
    (!readings.is_empty()).then_some(NumTok { text, readings })
}

/// Split the trailing tokens that `f` reads off a line: the rest of the line joined by single spaces,
/// and what `f` read, in line order. Walks from the end, so a line of text costs one token.
pub(crate) fn split_tail<T>(norm: &str, mut f: impl FnMut(&str) -> Option<T>) -> (String, Vec<T>) {
    let mut it = norm.split_whitespace();
    let mut tail = Vec::new();
    let mut last_text = None;
    while let Some(t) = it.next_back() {
        match f(t) {
            Some(v) => tail.push(v),
            None => {
                last_text = Some(t);
                break;
            }
        }
    }
    tail.reverse();
    let mut text = String::new();
    if let Some(last) = last_text {
        for t in it {
            text.push_str(t);
            text.push(' ');
        }
        text.push_str(last);
    }
    (text, tail)
}

/// The tokens as printed, joined by single spaces (`600 480 430450`): what a diagnostic quotes.
pub(crate) fn printed(nums: &[NumTok]) -> String {
    nums.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// The value of a loose line holding exactly one number that cannot be a glued pair (`789`, not `230230`).
pub(crate) fn single_value(norm: &str, unit: Unit) -> Option<machi_domain::Yen> {
    match all_numbers(norm, unit)?.as_slice() {
        [one] if one.is_clean() => one.readings[0][0],
        _ => None,
    }
}

/// If every token of the line is numeric, its number tokens.
pub(crate) fn all_numbers(norm: &str, unit: Unit) -> Option<Vec<NumTok>> {
    // No number token starts with a word character ([`num_token`] rejects it), so each token is judged
    // on its first character before its end is found: a line of text, or a row line (`1 事業の…`), is
    // rejected without splitting it up.
    let mut rest = trim_start(norm);
    let mut out = Vec::new();
    while let Some(first) = rest.chars().next() {
        if is_word_char(first) {
            return None;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push(num_token(&rest[..end], unit)?);
        rest = trim_start(&rest[end..]);
    }
    (!out.is_empty()).then_some(out)
}

/// Split trailing number tokens off a line: `(text, numbers)`, the text's tokens joined by single spaces.
pub(crate) fn trailing_numbers(norm: &str, unit: Unit) -> (String, Vec<NumTok>) {
    split_tail(norm, |t| num_token(t, unit))
}

/// Whether `s` ends in a word character or `。`, which no number token does (see [`num_token`]): a line
/// ending in a name or a sentence ends in no figure, decided before its last word is split off.
pub(crate) fn ends_in_word(s: &str) -> bool {
    let s = s.trim_end();
    // A figure printed with its unit (`350千円`) ends in a kanji but is a figure. Every line comes here:
    // only one ending in `円` is searched for a unit.
    let unit_figure = s.ends_with('円')
        && ["千円", "万円"]
            .iter()
            .any(|u| s.strip_suffix(u).is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_digit())));
    !unit_figure && s.chars().next_back().is_some_and(|c| c == '。' || is_word_char(c))
}

/// The trailing number tokens of a line, when the text before them is not wanted.
pub(crate) fn trailing_nums(norm: &str, unit: Unit) -> Vec<NumTok> {
    if ends_in_word(norm) {
        return Vec::new();
    }
    let mut nums: Vec<NumTok> = norm.split_whitespace().rev().map_while(|t| num_token(t, unit)).collect();
    nums.reverse();
    nums
}

/// A column-header word naming a phase (`予算額`, `R2当初`, `９月補正後`, `決算額`). Stricter than
/// [`Phase::parse_header`]: the whole word must be a header, not merely start like one.
pub(crate) fn phase_word(tok: &str) -> Option<Phase> {
    header_word(tok).map(|(p, _)| p)
}

/// A column-header word: its phase, and the fiscal year it starts with, as a western year (2020 for
/// `R2` of `R2決算`, 2023 for `令和5年度` of `令和5年度予算額`). A unit after the word (`予算額（千円）`) labels
/// the figures and is left out; so is `予算` after a revision (`9月補正後予算`). `9月補正` alone (the
/// size of a revision) and `決算見込額` (an estimate) are not phases.
pub(crate) fn header_word(tok: &str) -> Option<(Phase, Option<i32>)> {
    // A token is a few characters: one pass over them is cheaper than a search per candidate.
    if !tok.chars().any(|c| matches!(c, '当' | '予' | '決' | '実' | '補')) {
        return None;
    }
    let f = fold_cow(tok);
    let f = ["(千円)", "(万円)", "(円)"].iter().find_map(|u| f.strip_suffix(u)).unwrap_or(&f);
    let (year, body) = split_year_prefix(f);
    let phase = match body {
        "当初予算" | "当初予算額" | "当初" | "予算額" => Phase::Initial,
        "決算額" | "決算" | "実績" | "実績額" => Phase::Settled,
        _ => {
            let revised = ["予算額", "予算", "額"].iter().find_map(|s| body.strip_suffix(s)).unwrap_or(body);
            let month: u8 = revised.strip_suffix("月補正後")?.parse().ok()?;
            if !(1..=12).contains(&month) {
                return None;
            }
            Phase::Revised { month }
        }
    };
    Some((phase, year))
}

/// A fiscal year at the start of a header word (`R2`, `H30`, `R元`, `令和5年度`, `平成元年度`, `2023年度`)
/// as a western year, and the rest. Bare digits are a year only with `年度` (`9月補正後` starts with a
/// month).
fn split_year_prefix(f: &str) -> (Option<i32>, &str) {
    // (prefix, western year of the era's year 1)
    let era = [("令和", 2018), ("平成", 1988), ("R", 2018), ("H", 1988)]
        .iter()
        .find_map(|(e, base)| f.strip_prefix(e).map(|rest| (rest, *base)));
    let number = |rest: &str| -> Option<(i32, usize)> {
        let n = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        Some((rest[..n].parse().ok()?, n))
    };
    let found = match era {
        Some((rest, base)) => match rest.strip_prefix('元') {
            Some(after) => Some((base + 1, after)),
            None => number(rest).filter(|(_, n)| (1..=2).contains(n)).map(|(y, n)| (base + y, &rest[n..])),
        },
        None => number(f).filter(|(_, n)| *n == 4).map(|(y, n)| (y, &f[n..])).filter(|(_, r)| r.starts_with("年度")),
    };
    match found {
        Some((year, rest)) => (Some(year), rest.strip_prefix("年度").unwrap_or(rest)),
        None => (None, f),
    }
}

/// Column labels of a table's name column, as [`squeeze`](machi_domain::text::squeeze) leaves them.
const COLUMN_WORDS: [&str; 10] =
    ["№事業名", "No事業名", "№", "No", "事業名", "事業概要", "事業内容", "No.事業名", "内容", "摘要"];

/// Column words that label a table but name nothing (`№ 事業名`, `事業概要`).
pub(crate) fn is_column_word(s: &str) -> bool {
    const LONGEST: usize = {
        let mut n = 0;
        let mut i = 0;
        while i < COLUMN_WORDS.len() {
            if COLUMN_WORDS[i].len() > n {
                n = COLUMN_WORDS[i].len();
            }
            i += 1;
        }
        n
    };
    // The text with its whitespace skipped (as `squeeze` would remove it), built on the stack and given
    // up as soon as it is longer than every word: most lines are names or sentences, longer than any.
    let mut buf = [0u8; LONGEST];
    let mut len = 0;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        let Some(slot) = buf.get_mut(len..len + c.len_utf8()) else { return false };
        c.encode_utf8(slot);
        len += c.len_utf8();
    }
    len > 0 && COLUMN_WORDS.iter().any(|w| w.as_bytes() == &buf[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(v: i64) -> Val {
        Some(Yen::new(v * 1000))
    }

    /// The readings as plain vectors, to compare with literals.
    fn rs(t: &NumTok) -> Vec<Vec<Val>> {
        t.readings.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn a_token_is_64_bytes() {
        // A 50 MB document holds over a million tokens; INLINE_VALS is chosen for this size.
        assert_eq!(std::mem::size_of::<NumTok>(), 64);
    }

    #[test]
    fn clean_tokens_have_one_reading() {
        let t = num_token("2,899", Unit::Thousand).unwrap();
        assert_eq!(rs(&t), vec![vec![k(2899)]]);
        assert!(t.is_clean());
        assert_eq!(rs(&num_token("―", Unit::Thousand).unwrap()), vec![vec![None]]);
        assert!(num_token("事業", Unit::Thousand).is_none());
    }

    #[test]
    fn glued_tokens_offer_every_well_formed_split() {
        let t = rs(&num_token("9671,000", Unit::Thousand).unwrap());
        assert!(t.contains(&vec![k(967), k(1000)]));
        assert!(t.contains(&vec![k(96), k(71000)]));
        assert!(!t.iter().any(|r| r.len() == 1), "9671,000 is not one amount");
        let t = rs(&num_token("126132", Unit::Thousand).unwrap());
        assert!(t.contains(&vec![k(126), k(132)]));
        assert!(t.contains(&vec![k(126132)]));
        assert_eq!(rs(&num_token("00", Unit::Thousand).unwrap()), vec![vec![k(0), k(0)]]);
        assert_eq!(rs(&num_token("2,0062,200", Unit::Thousand).unwrap()), vec![vec![k(2006), k(2200)]]);
        assert_eq!(rs(&num_token("---", Unit::Thousand).unwrap()), vec![vec![None, None, None]]);
        let long = "地域".repeat(8);
        assert_eq!(TokText::new(&long).as_str(), long);
        assert_eq!(TokText::new("2,899").as_str(), "2,899");
    }

    proptest::proptest! {
        /// The one-pass reading of a plain amount agrees with the well-formedness rule and the value.
        #[test]
        fn plain_amounts_read_as_the_rule_says(t in "[0-9,]{0,24}") {
            let by_rule = (!t.is_empty() && well_formed(&t)).then(|| amount(&t, Unit::Yen)).flatten().map(|y| y.get());
            proptest::prop_assert_eq!(plain_amount(&t).and_then(|v| i64::try_from(v).ok()), by_rule);
        }
    }

    proptest::proptest! {
        /// Rejecting a token on its first character (or a tail on its last) gives what reading every
        /// token would.
        #[test]
        fn all_numbers_is_every_token_a_number(s in "[ 0-9,―ー。△事業a-c\u{3000}]{0,16}") {
            let n = machi_domain::text::nfkc(&s);
            let n = n.trim();
            let by_token: Option<Vec<NumTok>> = if n.is_empty() {
                None
            } else {
                n.split_whitespace().map(|t| num_token(t, Unit::Thousand)).collect()
            };
            proptest::prop_assert_eq!(all_numbers(n, Unit::Thousand), by_token);
            let mut tail: Vec<NumTok> = n.split_whitespace().rev().map_while(|t| num_token(t, Unit::Thousand)).collect();
            tail.reverse();
            proptest::prop_assert_eq!(trailing_nums(n, Unit::Thousand), tail);
        }
    }

    #[test]
    fn trailing_numbers_of_row_lines() {
        let texts = |v: Vec<NumTok>| v.iter().map(|t| t.text.to_string()).collect::<Vec<_>>();
        assert_eq!(
            texts(trailing_nums("花のまちづくり事業 412 376 ― 129", Unit::Thousand)),
            ["412", "376", "―", "129"]
        );
        assert!(trailing_nums("事業の番プロジェクト", Unit::Thousand).is_empty());
        assert!(trailing_nums("花壇を整備する。", Unit::Thousand).is_empty());
        assert_eq!(texts(trailing_nums("交流会 △1,200 ", Unit::Thousand)), ["△1,200"]);
    }

    #[test]
    fn a_hyphen_before_digits_is_a_minus_and_alone_an_empty_cell() {
        let value = |t: &str| num_token(t, Unit::Thousand).filter(NumTok::is_clean).map(|n| n.readings[0][0]);
        // `－200` and `－1,500` as NFKC leaves them.
        let nfkc = |t: &str| machi_domain::text::nfkc(t);
        assert_eq!(value(&nfkc("－200")), Some(k(-200)));
        assert_eq!(value(&nfkc("－1,500")), Some(k(-1500)));
        assert_eq!(value("-0"), Some(k(0)));
        assert_eq!(value(&nfkc("－")), Some(None));
        assert_eq!(value("-"), Some(None));
        // Not amounts: a phone number, a range of item numbers, a hyphen before a word.
        assert!(num_token("096-328-1234", Unit::Thousand).is_none());
        assert!(num_token("1-2", Unit::Thousand).is_none());
        assert!(num_token("-事業", Unit::Thousand).is_none());
        let texts = |v: Vec<NumTok>| v.iter().map(|t| t.text.to_string()).collect::<Vec<_>>();
        assert_eq!(texts(trailing_nums(&nfkc("1,000 800 －200 0"), Unit::Thousand)), ["1,000", "800", "-200", "0"]);
    }

    #[test]
    fn a_figure_with_its_own_unit_is_read_in_that_unit() {
        let value = |t: &str| num_token(t, Unit::Thousand).filter(NumTok::is_clean).map(|n| n.readings[0][0]);
        assert_eq!(value("400千円"), Some(k(400)));
        assert_eq!(value("1,500千円"), Some(k(1500)));
        assert_eq!(value("35万円"), Some(k(350)));
        assert_eq!(value("△50千円"), Some(k(-50)));
        // Not one well-formed figure before the unit: glued, ungrouped or a word.
        assert!(num_token("4001,000千円", Unit::Thousand).is_none());
        assert!(num_token("千円", Unit::Thousand).is_none());
        assert!(num_token("約400千円", Unit::Thousand).is_none());
        // At the end of a row's line, after its name and description.
        let texts = |v: Vec<NumTok>| v.iter().map(|t| t.text.to_string()).collect::<Vec<_>>();
        assert_eq!(
            texts(trailing_nums("見守り事業 活動を支援する。 400千円 400千円 350千円", Unit::Thousand)),
            ["400千円", "400千円", "350千円"]
        );
        assert!(trailing_nums("上限は4百万円", Unit::Thousand).is_empty());
    }

    #[test]
    fn column_words_match_with_spaces_skipped() {
        assert!(is_column_word("№ 事業名"));
        assert!(is_column_word(" 事業\u{3000}概要 "));
        assert!(is_column_word("No.事業名"));
        assert!(!is_column_word("事業名称"));
        assert!(!is_column_word("地域の事業名"));
        assert!(!is_column_word("  "));
    }

    proptest::proptest! {
        /// The stack comparison says what comparing the squeezed text with each word says.
        #[test]
        fn column_words_are_the_squeezed_words(s in "[ \u{3000}№No.事業名概要内容摘a]{0,12}") {
            let sq = machi_domain::text::squeeze(&s);
            proptest::prop_assert_eq!(is_column_word(&s), COLUMN_WORDS.contains(&sq.as_str()));
        }
    }

    #[test]
    fn header_words() {
        assert_eq!(phase_word("予算額"), Some(Phase::Initial));
        assert_eq!(phase_word("R2当初"), Some(Phase::Initial));
        assert_eq!(phase_word("９月補正後"), Some(Phase::Revised { month: 9 }));
        assert_eq!(phase_word("R2決算"), Some(Phase::Settled));
        assert_eq!(phase_word("当初予算額地域活動の負担軽減"), None);
        assert_eq!(phase_word("事業名"), None);
        // A year before the phase, a unit after it, `予算` after a revision.
        let y = |w: &str| header_word(w);
        assert_eq!(y("R5予算額"), Some((Phase::Initial, Some(2023))));
        assert_eq!(y("R5決算額"), Some((Phase::Settled, Some(2023))));
        assert_eq!(y("R4当初予算"), Some((Phase::Initial, Some(2022))));
        assert_eq!(y("令和5年度予算額"), Some((Phase::Initial, Some(2023))));
        assert_eq!(y("令和元年度決算額"), Some((Phase::Settled, Some(2019))));
        assert_eq!(y("R元当初"), Some((Phase::Initial, Some(2019))));
        assert_eq!(y("H30決算"), Some((Phase::Settled, Some(2018))));
        assert_eq!(y("2023年度予算額"), Some((Phase::Initial, Some(2023))));
        assert_eq!(y("予算額（千円）"), Some((Phase::Initial, None)));
        assert_eq!(y("９月補正後予算"), Some((Phase::Revised { month: 9 }, None)));
        assert_eq!(y("12月補正後予算額"), Some((Phase::Revised { month: 12 }, None)));
        assert_eq!(y("決算額(千円)"), Some((Phase::Settled, None)));
        // The size of a revision, an estimate, a year alone, a month that is none.
        assert_eq!(phase_word("9月補正"), None);
        assert_eq!(phase_word("決算見込額"), None);
        assert_eq!(phase_word("令和5年度"), None);
        assert_eq!(phase_word("13月補正後"), None);
        assert_eq!(phase_word("R123当初"), None);
    }
}

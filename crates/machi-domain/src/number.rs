//! Japanese number text other than money: decimals, rates (`66.4%`, `△11.87`), counts with their counter
//! (`77事業／年`, `300組`), and item numbers (`①`, `（１）`, `第2`, `３．`) with their tags (`【新規】`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::money::{parse_plain_number, strip_sign, AmountError};
use crate::text::{self, fold, nfkc};

/// An exact decimal: `mantissa / 10^scale` (`66.4` is 664 / 10¹).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Decimal {
    /// The digits as an integer.
    pub mantissa: i64,
    /// Digits after the point.
    pub scale: u32,
}

impl Decimal {
    /// A whole number.
    pub const fn from_int(n: i64) -> Decimal {
        Decimal { mantissa: n, scale: 0 }
    }

    /// Parse `66.4`, `1,200`, `△11.87`, `-3` (NFKC'd first).
    pub fn parse(s: &str) -> Result<Decimal, AmountError> {
        let f = fold(s);
        let (neg, body) = strip_sign(&f);
        let raw = parse_plain_number(body.trim(), s)?;
        let m = i64::try_from(raw.mantissa).map_err(|_| AmountError::Overflow(s.to_string()))?;
        Ok(Decimal { mantissa: if neg { -m } else { m }, scale: raw.scale }.normalized())
    }

    /// Drop trailing zeros after the point (`1.50` → `1.5`), so that equal values compare equal.
    pub fn normalized(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    /// The value as a float, for arithmetic where exactness is not needed (progress ratios).
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let abs = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl FromStr for Decimal {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

/// A rate or change in percent as tables print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// A number of percent (`12.4`).
    Percent(Decimal),
    /// `皆増`: from nothing to something, no finite rate.
    AllNew,
    /// `皆減`: from something to nothing.
    AllGone,
}

/// Parse `１２．４％`, `△11.87`, `皆増`.
pub fn parse_rate(s: &str) -> Result<Rate, AmountError> {
    let f = fold(s);
    match f.as_str() {
        "皆増" => return Ok(Rate::AllNew),
        "皆減" => return Ok(Rate::AllGone),
        _ => {}
    }
    Decimal::parse(f.trim_end_matches('%')).map(Rate::Percent)
}

/// A count or measure with its counter: `300組`, `77事業/年`, `66.4%`, `1,200人`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number.
    pub value: Decimal,
    /// What is counted, after NFKC (`組`, `事業/年`, `%`); empty for a bare number.
    pub counter: String,
}

impl Quantity {
    /// Parse a number followed by its counter. Text with no leading number is not a quantity.
    pub fn parse(s: &str) -> Option<Quantity> {
        let f = fold(s);
        let (neg, body) = strip_sign(&f);
        let end = body
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        if end == 0 {
            return None;
        }
        let num = &body[..end];
        let counter = body[end..].trim().to_string();
        let sign = if neg { "-" } else { "" };
        let value = Decimal::parse(&format!("{sign}{num}")).ok()?;
        Some(Quantity { value, counter })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.counter)
    }
}

/// How an item number is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemNumberStyle {
    /// `①`–`㊿`
    Circled,
    /// `(1)`, `（１）`, `⑴`
    Paren,
    /// `第2`
    Dai,
    /// `3.`, `３．`
    Dot,
    /// `№1`, or a bare number followed by a space.
    Plain,
}

/// An item number read from the start of a line, keeping the text as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemNumber {
    /// Its printed style.
    pub style: ItemNumberStyle,
    /// Its value (① is 1).
    pub value: u32,
    /// Exactly as printed (`①`, `（１）`), for the interchange's `number` column.
    pub printed: String,
}

/// The value of a circled number: ①–⑳ (U+2460–2473), ㉑–㉟ (U+3251–325F), ㊱–㊿ (U+32B1–32BF).
pub fn circled_value(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x3251..=0x325F => Some(u - 0x3251 + 21),
        0x32B1..=0x32BF => Some(u - 0x32B1 + 36),
        _ => None,
    }
}

/// The circled form of 1–50.
pub fn circled(n: u32) -> Option<char> {
    let u = match n {
        1..=20 => 0x2460 + n - 1,
        21..=35 => 0x3251 + n - 21,
        36..=50 => 0x32B1 + n - 36,
        _ => return None,
    };
    char::from_u32(u)
}

/// Read an item number at the start of `s`, returning it and the rest of the line (trimmed). Reads the
/// original text (NFKC would turn `①` into `1`).
pub fn split_item_number(s: &str) -> Option<(ItemNumber, &str)> {
    // Every line that may start a row passes here, and few start with a space: decided on its first bytes.
    let t = if spaced_first(s.as_bytes()) { s.trim_start_matches([' ', '\u{3000}', '\t']) } else { s };
    let first = t.chars().next()?;
    if let Some(v) = circled_value(first) {
        let rest = &t[first.len_utf8()..];
        return Some((
            ItemNumber { style: ItemNumberStyle::Circled, value: v, printed: first.to_string() },
            trim_spaces(rest),
        ));
    }
    // ⑴–⒇ parenthesized digits.
    if ('\u{2474}'..='\u{2487}').contains(&first) {
        let v = first as u32 - 0x2474 + 1;
        let rest = &t[first.len_utf8()..];
        return Some((
            ItemNumber { style: ItemNumberStyle::Paren, value: v, printed: first.to_string() },
            trim_spaces(rest),
        ));
    }
    if first == '(' || first == '（' {
        let close = t.char_indices().find(|(_, c)| *c == ')' || *c == '）')?;
        let inner = &t[first.len_utf8()..close.0];
        let v = digits_value(inner)?;
        let end = close.0 + close.1.len_utf8();
        return Some((
            ItemNumber { style: ItemNumberStyle::Paren, value: v, printed: t[..end].to_string() },
            trim_spaces(&t[end..]),
        ));
    }
    if let Some(rest) = t.strip_prefix('第') {
        let n: String = rest.chars().take_while(|c| is_digit(*c)).collect();
        let v = digits_value(&n)?;
        let end = '第'.len_utf8() + n.len();
        return Some((
            ItemNumber { style: ItemNumberStyle::Dai, value: v, printed: t[..end].to_string() },
            trim_spaces(&t[end..]),
        ));
    }
    let n: String = t.chars().take_while(|c| is_digit(*c)).collect();
    if n.is_empty() {
        return None;
    }
    let v = digits_value(&n)?;
    let after = &t[n.len()..];
    let next = after.chars().next();
    match next {
        Some('.' | '．' | '、') => {
            let dot = next.map(char::len_utf8).unwrap_or(0);
            let end = n.len() + dot;
            Some((
                ItemNumber { style: ItemNumberStyle::Dot, value: v, printed: t[..end].to_string() },
                trim_spaces(&t[end..]),
            ))
        }
        Some(c) if c.is_whitespace() => {
            Some((ItemNumber { style: ItemNumberStyle::Plain, value: v, printed: n.clone() }, trim_spaces(after)))
        }
        _ => None,
    }
}

/// Whether `b` starts with a space, a tab or an ideographic space (U+3000), by its bytes.
fn spaced_first(b: &[u8]) -> bool {
    matches!(b, [b' ' | b'\t', ..] | [0xE3, 0x80, 0x80, ..])
}

/// Whether `b` ends with a space, a tab or an ideographic space.
fn spaced_last(b: &[u8]) -> bool {
    matches!(b, [.., b' ' | b'\t'] | [.., 0xE3, 0x80, 0x80])
}

/// `s` without spaces, ideographic spaces and tabs at either end; decided from the bytes at the ends
/// first, as every row line passes here.
fn trim_spaces(s: &str) -> &str {
    if spaced_first(s.as_bytes()) || spaced_last(s.as_bytes()) {
        s.trim_matches([' ', '\u{3000}', '\t'])
    } else {
        s
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn digits_value(s: &str) -> Option<u32> {
    let n = nfkc(s);
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) || n.len() > 6 {
        return None;
    }
    n.parse().ok()
}

/// Bracketed markers that name a property of the item, not part of its name.
/// The brackets of a marker, opening and closing.
pub const TAG_BRACKETS: [(char, char); 4] = [('【', '】'), ('＜', '＞'), ('<', '>'), ('〈', '〉')];

/// Take bracketed markers (`【新規】`, `＜新規＞`, `【拡充】`, `【幸田】`) off a name, from either end,
/// returning the bare name and the markers' texts in order.
// `chars().next() == Some(c)` on purpose: see the loop.
#[allow(clippy::chars_next_cmp, clippy::chars_last_cmp)]
pub fn split_tags(s: &str) -> (String, Vec<String>) {
    // The name is narrowed as a slice and copied once: most names carry no marker at all.
    let mut name = text::trim(s);
    let mut tags = Vec::new();
    loop {
        let mut changed = false;
        // The first and last characters are compared as chars: `starts_with(char)` encodes the char and
        // calls `memcmp`, eight times a pass, and every row's name passes here more than once.
        for (open, close) in TAG_BRACKETS {
            if name.chars().next() == Some(open) {
                if let Some(end) = name.find(close) {
                    tags.push(text::trim(&name[open.len_utf8()..end]).to_string());
                    name = text::trim(&name[end + close.len_utf8()..]);
                    changed = true;
                }
            }
            if name.chars().next_back() == Some(close) {
                if let Some(start) = name.rfind(open) {
                    if start > 0 {
                        tags.push(
                            text::trim(&name[start + open.len_utf8()..name.len() - close.len_utf8()]).to_string(),
                        );
                        name = text::trim(&name[..start]);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    (name.to_string(), tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn item_numbers_from_the_test_vectors() {
        let check = |s: &str, style, v, rest: &str| {
            let (n, r) = split_item_number(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((n.style, n.value, r), (style, v, rest), "{s}");
        };
        check("①地域公共交通の確保", ItemNumberStyle::Circled, 1, "地域公共交通の確保");
        check("⑳ 公園整備", ItemNumberStyle::Circled, 20, "公園整備");
        check("㉑空き家対策", ItemNumberStyle::Circled, 21, "空き家対策");
        check("⑴ 道路", ItemNumberStyle::Paren, 1, "道路");
        check("（１）道路", ItemNumberStyle::Paren, 1, "道路");
        check("(12)橋りょう", ItemNumberStyle::Paren, 12, "橋りょう");
        check("第2 基本方針", ItemNumberStyle::Dai, 2, "基本方針");
        check("３．まちづくり", ItemNumberStyle::Dot, 3, "まちづくり");
        check("2 地域交流", ItemNumberStyle::Plain, 2, "地域交流");
        assert_eq!(split_item_number("①x").unwrap().0.printed, "①");
        assert_eq!(split_item_number("（１）道路").unwrap().0.printed, "（１）");
        assert!(split_item_number("2,776").is_none());
    }

    #[test]
    fn circled_numbers_cover_three_ranges() {
        assert_eq!(circled_value('①'), Some(1));
        assert_eq!(circled_value('⑳'), Some(20));
        assert_eq!(circled_value('㉑'), Some(21));
        assert_eq!(circled_value('㉟'), Some(35));
        assert_eq!(circled_value('㊱'), Some(36));
        assert_eq!(circled_value('㊿'), Some(50));
        for n in 1..=50 {
            assert_eq!(circled_value(circled(n).unwrap()), Some(n));
        }
    }

    #[test]
    fn tags_leave_the_name() {
        assert_eq!(
            split_tags("【新規】空き家バンク運営事業"),
            ("空き家バンク運営事業".into(), vec!["新規".to_string()])
        );
        assert_eq!(
            split_tags("地域公共交通確保事業【拡充】"),
            ("地域公共交通確保事業".into(), vec!["拡充".to_string()])
        );
        assert_eq!(split_tags("＜新規＞防災アプリ"), ("防災アプリ".into(), vec!["新規".to_string()]));
        assert_eq!(split_tags("【幸田】花のまちづくり事業"), ("花のまちづくり事業".into(), vec!["幸田".to_string()]));
    }

    #[test]
    fn quantities_and_rates_from_the_test_vectors() {
        let q = |s: &str| Quantity::parse(s).map(|q| (q.value.to_string(), q.counter));
        assert_eq!(q("5組"), Some(("5".into(), "組".into())));
        assert_eq!(q("1,200人"), Some(("1200".into(), "人".into())));
        assert_eq!(q("3か所"), Some(("3".into(), "か所".into())));
        assert_eq!(q("80%"), Some(("80".into(), "%".into())));
        assert_eq!(q("77事業／年"), Some(("77".into(), "事業/年".into())));
        assert_eq!(q("66.4%"), Some(("66.4".into(), "%".into())));
        assert_eq!(q("未設置"), None);
        assert_eq!(parse_rate("△11.87"), Ok(Rate::Percent(Decimal { mantissa: -1187, scale: 2 })));
        assert_eq!(parse_rate("１２．４％"), Ok(Rate::Percent(Decimal { mantissa: 124, scale: 1 })));
        assert_eq!(parse_rate("皆増"), Ok(Rate::AllNew));
    }

    proptest! {
        #[test]
        fn decimal_display_parse_round_trip(m in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
            let d = Decimal { mantissa: m, scale }.normalized();
            prop_assert_eq!(Decimal::parse(&d.to_string()).unwrap(), d);
        }

        /// The byte shortcuts decide as the char trims do: spaces, tabs and ideographic spaces are trimmed,
        /// and nothing else (not `\n`, nor `〠` U+3020, whose first two bytes are an ideographic space's).
        #[test]
        fn space_trims_agree_with_the_char_trims(s in "[ \t\n\u{3000}\u{3020}\u{3080}a区]{0,8}") {
            prop_assert_eq!(trim_spaces(&s), s.trim_matches([' ', '\u{3000}', '\t']));
            let b = s.as_bytes();
            prop_assert_eq!(spaced_first(b), s.starts_with([' ', '\u{3000}', '\t']));
            prop_assert_eq!(spaced_last(b), s.ends_with([' ', '\u{3000}', '\t']));
        }

        #[test]
        fn item_numbers_never_panic(s in "\\PC{0,12}") {
            let _ = split_item_number(&s);
            let _ = split_tags(&s);
            let _ = Quantity::parse(&s);
        }
    }
}

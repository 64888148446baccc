//! Japanese text normalisation shared by every reader.
//!
//! Documents mix full-width and half-width forms (`１，５００`, `ﾜｰｸｼｮｯﾌﾟ`); matching and number
//! parsing work on the NFKC form, while provenance keeps the original text. Item numbers such as `①`
//! must be read *before* normalising, because NFKC turns them into plain digits.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalise `s`, the form used for matching and for the interchange's text columns.
pub fn nfkc(s: &str) -> String {
    nfkc_cow(s).into_owned()
}

/// NFKC-normalise and trim, also folding the dash and wave-dash variants NFKC leaves alone, so that
/// `〜` and `～` read alike and `―`/`—`/`–` all read as `-`.
pub fn fold(s: &str) -> String {
    fold_cow(s).into_owned()
}

/// [`fold`], borrowed when `s` needs no change but trimming (a token of a table usually).
pub fn fold_cow(s: &str) -> Cow<'_, str> {
    match nfkc_cow(s) {
        // Folding maps no character to or from whitespace, so trimming first gives the same text.
        Cow::Borrowed(b) => fold_trimmed(trim(b)),
        Cow::Owned(o) => Cow::Owned(fold_trimmed(trim(&o)).into_owned()),
    }
}

fn fold_trimmed(t: &str) -> Cow<'_, str> {
    let fold_char = |c: char| match c {
        '〜' | '∼' | '~' => Some('~'),
        '―' | '—' | '–' | '‐' | '‑' | '−' | '─' => Some('-'),
        _ => None,
    };
    // Text without a foldable character (most) is not copied char by char.
    match t.find(|c| fold_char(c).is_some_and(|f| f != c)) {
        None => Cow::Borrowed(t),
        Some(at) => {
            let mut out = String::with_capacity(t.len());
            out.push_str(&t[..at]);
            out.extend(t[at..].chars().map(|c| fold_char(c).unwrap_or(c)));
            Cow::Owned(out)
        }
    }
}

/// `s.trim()`, decided from the bytes at each end when neither is whitespace (nearly every line and
/// token): the standard trim decodes a char at each end and looks it up in the Unicode tables, and the
/// readers trim every line and most of their parts.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    if space_at_start(b) || space_at_end(b) {
        s.trim()
    } else {
        s
    }
}

/// `s.trim_start()`, skipping ASCII spaces byte by byte and taking the standard trim only when another
/// whitespace character follows them.
pub fn trim_start(s: &str) -> &str {
    let spaces = s.bytes().take_while(|&b| b == b' ').count();
    // ASCII spaces end on a char boundary.
    let rest = s.get(spaces..).unwrap_or_default();
    if space_at_start(rest.as_bytes()) {
        rest.trim_start()
    } else {
        rest
    }
}

/// Whether `b` (valid UTF-8) starts with a `char::is_whitespace` character.
fn space_at_start(b: &[u8]) -> bool {
    space_len(b) > 0
}

/// The length in bytes of the `char::is_whitespace` character `b` starts with, 0 if none: the ASCII ones,
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000, by their bytes. No
/// pattern starts with a continuation byte, so none matches inside a character.
fn space_len(b: &[u8]) -> usize {
    match b {
        [0x09..=0x0D | 0x20, ..] => 1,
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// Whether `b` (valid UTF-8) ends with a whitespace character: whether its last one, two or three bytes
/// are one ([`space_len`]; a suffix that starts inside a character matches no pattern).
fn space_at_end(b: &[u8]) -> bool {
    (1..=3).any(|n| b.len() >= n && space_len(&b[b.len() - n..]) == n)
}

/// Remove every whitespace character (ASCII and ideographic), for text that wraps across lines or is
/// spaced for layout (`平成 25～28 年度`).
pub fn squeeze(s: &str) -> String {
    // The runs between spaces are copied whole rather than char by char.
    let mut out = String::with_capacity(s.len());
    for run in s.split(char::is_whitespace) {
        out.push_str(run);
    }
    out
}

/// True if the text (after [`fold`]) stands for "no value": `―`, `－`, `-`, `—`, `–`, `…`.
pub fn is_no_value(s: &str) -> bool {
    let f = fold(s);
    matches!(f.as_str(), "-" | "..." | "…" | "--" | "ー" | "・・・")
}

/// NFKC of `s`, borrowed when `s` is already in NFKC (most text of Japanese documents is: kanji, kana
/// and ASCII digits), so that the normaliser runs only on text that needs it.
pub fn nfkc_cow(s: &str) -> Cow<'_, str> {
    match first_unstable(s) {
        None => Cow::Borrowed(s),
        Some(at) => Cow::Owned(width_nfkc(s, at).unwrap_or_else(|| s.nfkc().collect())),
    }
}

/// ASCII, kana, CJK ideographs, CJK brackets (`【】〈〉「」`) and geometric shapes (`●△■`) are stable
/// under NFKC and never compose with a neighbour (a combining sound mark falls outside these ranges and
/// takes the normaliser), so the common line is decided without the normaliser's table lookups.
#[cfg(test)]
fn stable(c: char) -> bool {
    stable_point(c as u32)
}

const fn stable_point(u: u32) -> bool {
    matches!(u, 0x20..=0x7E | 0x3001..=0x3002 | 0x3008..=0x3011 | 0x3014..=0x301B | 0x3041..=0x3096 | 0x30A1..=0x30FC | 0x4E00..=0x9FFF | 0x25A0..=0x25FF)
}

/// [`stable_point`] of a code point below U+10000, from [`STABLE`].
fn stable_bit(u: usize) -> bool {
    STABLE[u >> 6] >> (u & 63) & 1 != 0
}

/// [`stable_point`] for every code point below U+10000, one bit each (8 KiB).
static STABLE: [u64; 1024] = {
    let mut t = [0u64; 1024];
    let mut u = 0u32;
    while u < 0x10000 {
        if stable_point(u) {
            t[(u >> 6) as usize] |= 1 << (u & 63);
        }
        u += 1;
    }
    t
};

/// The byte offset of the first character of `s` that is not [`stable`]. Every stable character is
/// ASCII or three bytes of UTF-8, so the scan reads bytes and assembles a code point only for a
/// three-byte lead: every line of the document passes through here, and decoding each character as a
/// `char` cost several times as much.
fn first_unstable(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        if lead < 0x80 {
            if !stable_bit(usize::from(lead)) {
                return Some(i);
            }
            i += 1;
            continue;
        }
        // U+5000–U+9FFF (most kanji): the lead byte alone decides.
        if (0xE5..=0xE9).contains(&lead) {
            i += 3;
            continue;
        }
        // A three-byte sequence (lead 0xE0–0xEF); `s` is valid UTF-8, so both continuation bytes exist.
        // Its code point's bit in [`STABLE`] decides (kana and punctuation take a table load rather
        // than a run of range comparisons).
        match (lead & 0xF0 == 0xE0, b.get(i + 1), b.get(i + 2)) {
            (true, Some(&b1), Some(&b2)) => {
                let u = (usize::from(lead & 0x0F) << 12) | (usize::from(b1 & 0x3F) << 6) | usize::from(b2 & 0x3F);
                if !stable_bit(u) {
                    return Some(i);
                }
                i += 3;
            }
            _ => return Some(i),
        }
    }
    None
}

/// NFKC of `s` when its only unstable characters (from byte `at` on) are full-width ASCII, the ideographic
/// space, ①–⑳ or `№`, whose NFKC forms are fixed ASCII text (`１` → `1`, `　` → ` `, `⑫` → `12`, `№` →
/// `No`) that cannot compose with a stable neighbour; `None` for any other character, which takes the
/// full normaliser.
fn width_nfkc(s: &str, at: usize) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut at = at;
    loop {
        // Runs of stable text are copied whole; only the character at `at` is mapped.
        out.push_str(rest.get(..at)?);
        let mut tail = rest.get(at..)?.chars();
        let Some(c) = tail.next() else { return Some(out) };
        match c as u32 {
            0x3000 => out.push(' '),
            0x2116 => out.push_str("No"),
            u @ 0xFF01..=0xFF5E => out.push(char::from_u32(u - 0xFF01 + 0x21)?),
            u @ 0x2460..=0x2473 => {
                let n = u - 0x2460 + 1;
                if n >= 10 {
                    out.push(char::from_digit(n / 10, 10)?);
                }
                out.push(char::from_digit(n % 10, 10)?);
            }
            _ => return None,
        }
        rest = tail.as_str();
        at = first_unstable(rest).unwrap_or(rest.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_half_width_forms_fold_alike() {
        assert_eq!(nfkc("ﾜｰｸｼｮｯﾌﾟ"), "ワークショップ");
        assert_eq!(nfkc("１，５００"), "1,500");
        assert_eq!(fold("平成25〜28年度"), fold("平成25～28年度"));
    }

    #[test]
    fn every_dash_is_no_value() {
        for s in ["－", "―", "—", "–", "-", "…"] {
            assert!(is_no_value(s), "{s}");
        }
        assert!(!is_no_value("0"));
    }

    /// The normaliser itself, without the shortcuts.
    fn full(s: &str) -> String {
        s.nfkc().collect()
    }

    #[test]
    fn fold_and_squeeze_keep_what_they_do_not_change() {
        assert_eq!(fold(" 平成25〜28年度 "), "平成25~28年度");
        assert_eq!(fold("Ｒ２―３"), "R2-3");
        assert_eq!(fold("北区"), "北区");
        assert_eq!(squeeze(" 平成 25～28\u{3000}年度\t"), "平成25～28年度");
    }

    #[test]
    fn already_normalised_text_is_borrowed_and_the_rest_normalised() {
        assert!(matches!(nfkc_cow("北区まちづくり 2,899"), Cow::Borrowed(_)));
        assert_eq!(nfkc_cow("ｽﾎﾟｰﾂ①１，５００"), "スポーツ11,500");
        // The width shortcut agrees with the normaliser on every character it maps.
        let mapped: String = ('\u{FF01}'..='\u{FF5E}')
            .chain('\u{2460}'..='\u{2473}')
            .chain(['\u{3000}', '\u{2116}', 'あ', 'A'])
            .collect();
        assert_eq!(nfkc_cow(&mapped), full(&mapped));
        assert_eq!(nfkc_cow("①【幸田】花のまちづくり事業　花壇"), full("①【幸田】花のまちづくり事業　花壇"));
        assert_eq!(nfkc_cow("ｶﾞ１"), "ガ1");
        // Every character the shortcut keeps as it is, is its own NFKC form.
        let stable: String = ('\u{21}'..='\u{7E}')
            .chain('\u{3001}'..='\u{3002}')
            .chain('\u{3008}'..='\u{3011}')
            .chain('\u{3014}'..='\u{301B}')
            .chain('\u{3041}'..='\u{3096}')
            .chain('\u{30A1}'..='\u{30FC}')
            .chain('\u{4E00}'..='\u{9FFF}')
            .chain('\u{25A0}'..='\u{25FF}')
            .collect();
        assert!(matches!(nfkc_cow(&stable), Cow::Borrowed(_)));
        assert_eq!(full(&stable), stable);
        assert_eq!(nfkc_cow("№ 事業名【城南】"), full("№ 事業名【城南】"));
    }

    #[test]
    fn trim_knows_every_whitespace_character() {
        // The byte patterns of `trim` list the whitespace characters by hand: none may be missing.
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|c| c.is_whitespace()) {
            assert_eq!(trim(&format!("{c}区")), "区", "U+{:04X} first", c as u32);
            assert_eq!(trim(&format!("区{c}")), "区", "U+{:04X} last", c as u32);
            assert_eq!(trim_start(&format!("  {c}区")), "区", "U+{:04X} after spaces", c as u32);
        }
    }

    proptest::proptest! {
        /// The byte scan finds the same first unstable character as a scan of the chars would.
        #[test]
        fn byte_scan_agrees_with_the_char_definition(s in "[ -~\t\u{3000}-\u{30ff}\u{4e00}-\u{4e0f}\u{25a0}-\u{25a3}\u{ff01}-\u{ff03}①é\u{1F600}]{0,12}") {
            proptest::prop_assert_eq!(first_unstable(&s), s.find(|c: char| !stable(c)));
        }

        /// The shortcuts give what the normaliser gives, whatever mix of stable, width-mapped and other
        /// characters a line holds.
        #[test]
        fn shortcut_agrees_with_the_normaliser(s in "[ -~\u{3000}-\u{3002}\u{3041}-\u{3043}\u{304b}\u{3099}\u{ff01}-\u{ff10}\u{ff5e}\u{2460}-\u{2473}\u{2116}\u{ff76}\u{ff9e}北区]{0,16}") {
            proptest::prop_assert_eq!(nfkc_cow(&s), full(&s));
        }

        /// `trim` gives what the standard trim gives, for whitespace, for the characters that share its
        /// first or last bytes (`‐` U+2010, `〠` U+3020, `\u{2080}`), and for plain text.
        #[test]
        fn trim_agrees_with_the_standard_trim(s in "[\t-\r \u{1c}-\u{1f}\u{85}\u{a0}\u{1680}\u{2000}-\u{2010}\u{2028}-\u{202f}\u{205f}\u{2060}\u{2080}\u{3000}\u{3020}\u{3080}\u{ff00}a1あ北区]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
            proptest::prop_assert_eq!(trim_start(&s), s.trim_start());
        }

        /// `fold` and `squeeze` copy runs whole; they give what mapping every character would.
        #[test]
        fn fold_and_squeeze_agree_with_their_definitions(s in "[ \t~〜∼―—–‐‑−─ー\u{3000}\u{ff5e}\u{ff0d}a-c1-3北区]{0,16}") {
            let by_char: String = full(&s)
                .chars()
                .map(|c| match c {
                    '〜' | '∼' | '~' => '~',
                    '―' | '—' | '–' | '‐' | '‑' | '−' | '─' => '-',
                    c => c,
                })
                .collect();
            proptest::prop_assert_eq!(fold(&s), by_char.trim());
            proptest::prop_assert_eq!(fold_cow(&s), by_char.trim());
            proptest::prop_assert_eq!(squeeze(&s), s.chars().filter(|c| !c.is_whitespace()).collect::<String>());
        }
    }
}

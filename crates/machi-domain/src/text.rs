//! Japanese text normalisation shared by every reader.
//!
//! Documents mix full-width and half-width forms (`１，５００`, `ﾜｰｸｼｮｯﾌﾟ`); matching and number
//! parsing work on the NFKC form, while provenance keeps the original text. Item numbers such as `①`
//! must be read *before* normalising, because NFKC turns them into plain digits.

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalise `s`, the form used for matching and for the interchange's text columns.
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// NFKC-normalise and trim, also folding the dash and wave-dash variants NFKC leaves alone, so that
/// `〜` and `～` read alike and `―`/`—`/`–` all read as `-`.
pub fn fold(s: &str) -> String {
    nfkc(s)
        .chars()
        .map(|c| match c {
            '〜' | '∼' | '~' => '~',
            '―' | '—' | '–' | '‐' | '‑' | '−' | '─' => '-',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Remove every whitespace character (ASCII and ideographic), for text that wraps across lines or is
/// spaced for layout (`平成 25～28 年度`).
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// True if the text (after [`fold`]) stands for "no value": `―`, `－`, `-`, `—`, `–`, `…`.
pub fn is_no_value(s: &str) -> bool {
    let f = fold(s);
    matches!(f.as_str(), "-" | "..." | "…" | "--" | "ー" | "・・・")
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
}

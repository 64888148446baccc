//! Source text: decoding bytes (UTF-8 with or without BOM, Shift_JIS/CP932, EUC-JP), stripping stray HTML
//! tags, and the per-line view every reader works on (original text for provenance, NFKC for matching).

pub(crate) use machi_domain::text::nfkc_cow;
use machi_domain::text::trim;
use machi_domain::{ids, lgcode, Diagnostic, Document, FiscalYear, Severity, Unit};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use thiserror::Error;

/// Why a source cannot be read at all (messy content is never an error; undecodable bytes are).
#[derive(Debug, Error)]
pub enum ReadError {
    /// The bytes are not text in any encoding machi knows.
    #[error("{name}: not text in UTF-8, Shift_JIS or EUC-JP (first bad byte at offset {offset})")]
    Encoding {
        /// Source name.
        name: String,
        /// Byte offset of the first undecodable byte in UTF-8.
        offset: usize,
    },
    /// An option names a municipality that does not exist.
    #[error("--municipality: {0}")]
    Municipality(#[from] machi_domain::LgCodeError),
}

/// Options a caller gives a reader.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The municipality, when the document does not name it (`--municipality 熊本市`).
    pub municipality: Option<String>,
    /// The fiscal year, when the document does not state it (`--fiscal-year 2020`).
    pub fiscal_year: Option<FiscalYear>,
    /// Import time to record, RFC 3339 UTC.
    pub imported_at: String,
}

/// One line of a source.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub number: u32,
    /// Which of the [`MARKED`] characters the original or the NFKC text holds (bit `i` for
    /// `MARKED[i]`); it fills the padding after `number` (a test pins the size of a line).
    marks: u32,
    /// The text every line of the source shares (the decoded text, with the tag-free forms of lines that
    /// carried HTML tags after it): one buffer instead of a heap string per line.
    text: Arc<String>,
    /// Where this line's original text lies in `text`.
    start: usize,
    end: usize,
    /// The NFKC form, read through [`Line::norm`]. Most lines of Japanese text are already in NFKC, and
    /// a second copy of each would double the memory of a long document: those keep only where their
    /// trimmed text lies in the original.
    norm: Norm,
}

#[derive(Debug, Clone)]
enum Norm {
    /// `original()[start..end]` (the line trimmed) is already NFKC.
    Trimmed { start: u32, end: u32 },
    /// The NFKC form, trimmed.
    Owned(Box<str>),
}

impl Line {
    /// A line from its text as decoded (HTML tags already removed).
    pub fn new(number: u32, original: String) -> Line {
        let end = original.len();
        Line::in_text(number, Arc::new(original), 0, end)
    }

    /// The line `text[start..end]` of a shared buffer (`start..end` on char boundaries).
    fn in_text(number: u32, text: Arc<String>, start: usize, end: usize) -> Line {
        let original = &text[start..end];
        let norm = match nfkc_cow(original) {
            std::borrow::Cow::Owned(o) => Norm::Owned(trim(&o).into()),
            // A line longer than 4 GiB (never a text line) keeps a copy rather than a cut offset.
            std::borrow::Cow::Borrowed(b) => {
                let t = trim(b);
                let start = t.as_ptr() as usize - b.as_ptr() as usize;
                match (u32::try_from(start), u32::try_from(start + t.len())) {
                    (Ok(start), Ok(end)) => Norm::Trimmed { start, end },
                    _ => Norm::Owned(t.into()),
                }
            }
        };
        let marks = marks_of(original) | if let Norm::Owned(o) = &norm { marks_of(o) } else { 0 };
        Line { number, marks, text, start, end, norm }
    }

    /// False when neither the original nor the NFKC text contains any of the characters of `m`, true
    /// when one does: a bit test standing in for a search of the line.
    pub(crate) fn may_contain_any(&self, m: Marks) -> bool {
        self.marks & m.0 != 0
    }

    /// The text as decoded, HTML tags removed, for provenance and for item numbers (`①`).
    pub fn original(&self) -> &str {
        // The range was cut at char boundaries of this same text, so `get` never misses.
        self.text.get(self.start..self.end).unwrap_or_default()
    }

    /// NFKC and trimmed, for matching.
    pub fn norm(&self) -> &str {
        match &self.norm {
            // The offsets were cut at char boundaries of this same text, so `get` never misses.
            // One slice of the shared text rather than a slice of `original()`: this is called for
            // every line several times over, and each slice checks its bounds and char boundaries.
            Norm::Trimmed { start, end } => {
                self.text.get(self.start + *start as usize..self.start + *end as usize).unwrap_or_default()
            }
            Norm::Owned(s) => s,
        }
    }
}

/// A decoded source document.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// File name.
    pub name: String,
    /// sha256 of the bytes, lower-case hex.
    pub sha256: String,
    /// The encoding it was decoded from (`UTF-8`, `Shift_JIS`, `EUC-JP`).
    pub encoding: &'static str,
    /// Its lines.
    pub lines: Vec<Line>,
}

impl SourceText {
    /// Decode `bytes`: a UTF-8 BOM or valid UTF-8 first, then Shift_JIS (CP932) and EUC-JP, taking the
    /// one that decodes without errors.
    pub fn decode(name: &str, bytes: &[u8]) -> Result<SourceText, ReadError> {
        SourceText::decode_owned(name, bytes.to_vec())
    }

    /// [`SourceText::decode`] taking the bytes: valid UTF-8 (the usual case) becomes the text in place,
    /// so a large file is never held twice.
    pub fn decode_owned(name: &str, mut bytes: Vec<u8>) -> Result<SourceText, ReadError> {
        let sha256 = hex(&Sha256::digest(&bytes));
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        // simdutf8 checks UTF-8 an order of magnitude faster than `String::from_utf8` on Japanese text
        // (three-byte characters defeat the standard library's ASCII fast path); its slower `compat`
        // check runs only to find where invalid bytes begin.
        let (text, encoding) = match simdutf8::basic::from_utf8(&bytes) {
            // SAFETY: `from_utf8` just found `bytes` to be valid UTF-8.
            Ok(_) => (unsafe { String::from_utf8_unchecked(bytes) }, "UTF-8"),
            Err(_) => {
                let offset = simdutf8::compat::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
                let body = bytes.as_slice();
                // EUC-JP bytes often decode without error as Shift_JIS (as half-width katakana), so among
                // the encodings that decode cleanly take the one that reads most like Japanese text.
                let mut best: Option<(i64, String, &'static str)> = None;
                for enc in [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
                    let (s, had_errors) = enc.decode_without_bom_handling(body);
                    if !had_errors {
                        let score = japanese_score(&s);
                        if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                            best = Some((score, s.into_owned(), enc.name()));
                        }
                    }
                }
                best.map(|(_, s, e)| (s, e)).ok_or(ReadError::Encoding { name: name.to_string(), offset })?
            }
        };
        Ok(SourceText::from_text(name, sha256, encoding, text))
    }

    /// Build from already-decoded text (tests and fuzzing).
    pub fn from_str(name: &str, text: &str) -> SourceText {
        let sha256 = hex(&Sha256::digest(text.as_bytes()));
        SourceText::from_text(name, sha256, "UTF-8", text.to_string())
    }

    fn from_text(name: &str, sha256: String, encoding: &'static str, mut text: String) -> SourceText {
        // Every line is a range of one buffer: the text itself, then the tag-free form of each line that
        // carries an HTML tag (few do).
        // Counted first (a vector-wide count, a few milliseconds for 50 MB) so the ranges are allocated
        // once: grown by doubling, the vector of a long document copies itself twenty times and leaves
        // a trail of freed copies as large as itself.
        let mut ranges: Vec<(usize, usize)> =
            Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        let mut extra = String::new();
        // Lines as `str::lines` cuts them (a last line without its `\n` too, no empty line after a final
        // `\n`), without their trailing `\r`s. `memchr2` finds the line end, or a tag's `<` before it, a
        // whole vector at a time: the standard library's char search was 5 instructions a byte.
        let b = text.as_bytes();
        let mut at = 0;
        while at < b.len() {
            let first = memchr::memchr2(b'\n', b'<', &b[at..]).map_or(b.len(), |i| at + i);
            let tagged = b.get(first) == Some(&b'<');
            let next = if tagged { memchr::memchr(b'\n', &b[first..]).map_or(b.len(), |i| first + i) } else { first };
            let mut end = next;
            while end > at && b[end - 1] == b'\r' {
                end -= 1;
            }
            if tagged {
                let start = text.len() + extra.len();
                // `\n` and `\r` are ASCII: `at..end` lies on char boundaries.
                extra.push_str(&strip_html(text.get(at..end).unwrap_or_default()));
                ranges.push((start, text.len() + extra.len()));
            } else {
                ranges.push((at, end));
            }
            at = next + 1;
        }
        // The tag-free lines go after the text, where their ranges were counted from.
        text.push_str(&extra);
        let buf = Arc::new(text);
        let lines = ranges
            .into_iter()
            .enumerate()
            .map(|(i, (start, end))| Line::in_text(i as u32 + 1, Arc::clone(&buf), start, end))
            .collect();
        SourceText { name: name.to_string(), sha256, encoding, lines }
    }

    /// The stable id of the document this source becomes.
    pub fn document_id(&self) -> String {
        ids::document_id(&self.sha256)
    }

    /// The line with a 1-based number.
    pub fn line(&self, number: u32) -> Option<&Line> {
        self.lines.get(number.checked_sub(1)? as usize)
    }

    /// Build the [`Document`] record, resolving the municipality (option first, then what the text
    /// said) against the bundled code list. An unknown name read from the text is kept as a name, with a
    /// diagnostic; an unknown `--municipality` is an error.
    pub fn document(
        &self,
        opts: &ReadOptions,
        title: &str,
        municipality_in_text: Option<&str>,
        fiscal_year: Option<FiscalYear>,
        unit: Option<Unit>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Document, ReadError> {
        let id = self.document_id();
        let (code, name) = match (&opts.municipality, municipality_in_text) {
            (Some(m), _) => {
                let found = lgcode::resolve(m)?;
                (Some(found.code), found.display_name().to_string())
            }
            (None, Some(m)) => match lgcode::resolve(m) {
                Ok(found) => (Some(found.code), found.display_name().to_string()),
                Err(e) => {
                    diagnostics.push(Diagnostic {
                        document_id: id.clone(),
                        line: None,
                        severity: Severity::Warning,
                        code: "unknown-municipality".into(),
                        message: format!("{e}; kept as a name without a code"),
                    });
                    (None, m.to_string())
                }
            },
            (None, None) => {
                diagnostics.push(Diagnostic {
                    document_id: id.clone(),
                    line: None,
                    severity: Severity::Warning,
                    code: "no-municipality".into(),
                    message: "the document does not name its municipality; pass --municipality".into(),
                });
                (None, String::new())
            }
        };
        Ok(Document {
            id,
            title: title.to_string(),
            municipality_code: code,
            municipality: name,
            fiscal_year: opts.fiscal_year.or(fiscal_year),
            unit,
            source_name: self.name.clone(),
            source_sha256: self.sha256.clone(),
            imported_at: opts.imported_at.clone(),
        })
    }
}

/// The characters whose presence every line records when it is decoded: the first tests of the line
/// classifiers (`【` or `新` of a marker line, a dash of a `１－①` note, `計` or `額` of a total, `円` of
/// an amount in a heading, `区` of a ward, the words of the document's facts and of a vision title).
/// Every line meets several of these tests, and a bit test instead of a scan of the line for each was
/// a tenth of the reader's time.
const MARKED: [char; 25] = [
    '【', '新', '＜', '<', '〈', '－', '-', 'ー', '‐', '―', '−', '計', '額', '円', '市', '度', '初', '算', '位', '区',
    '姿', 'ビ', '基', '年', '取',
];

/// A set of [`MARKED`] characters, for [`Line::may_contain_any`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marks(u32);

impl Marks {
    /// The set of `cs`. Built in a `const` context, so that a character that is not marked (for which
    /// a line's marks would say nothing) fails the build instead of silently never matching.
    pub(crate) const fn of(cs: &[char]) -> Marks {
        let mut bits = 0;
        let mut i = 0;
        while i < cs.len() {
            let mut j = 0;
            while j < MARKED.len() && MARKED[j] as u32 != cs[i] as u32 {
                j += 1;
            }
            assert!(j < MARKED.len(), "not a MARKED character");
            bits |= 1 << j;
            i += 1;
        }
        Marks(bits)
    }

    /// Both sets.
    pub(crate) const fn or(self, other: Marks) -> Marks {
        Marks(self.0 | other.0)
    }
}

/// The [`MARKED`] characters `s` holds, as bits. Every marked character but two is three bytes of UTF-8,
/// so the scan reads bytes and builds a character only for a three-byte sequence.
fn marks_of(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut m = 0;
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        if lead < 0x80 {
            m |= MARK_ASCII[usize::from(lead)];
            i += 1;
            continue;
        }
        let len = match lead {
            0xE0..=0xEF => 3,
            0xF0.. => 4,
            _ => 2,
        };
        if len == 3 {
            if let (Some(&b1), Some(&b2)) = (b.get(i + 1), b.get(i + 2)) {
                // The continuation bytes' low six bits pick a bit of a 4,096-bit table that is set only
                // for marked characters: almost every character is ruled out by one load and one test.
                let slot = usize::from(b1 & 0x3F) << 6 | usize::from(b2 & 0x3F);
                if MARK_FILTER[slot >> 6] >> (slot & 63) & 1 != 0 {
                    let key = u32::from(lead) << 16 | u32::from(b1) << 8 | u32::from(b2);
                    m |= MARK3.iter().find(|(k, _)| *k == key).map_or(0, |(_, bit)| *bit);
                }
            }
        }
        i += len;
    }
    m
}

/// The bit of each ASCII [`MARKED`] character, by byte.
static MARK_ASCII: [u32; 128] = {
    let mut t = [0u32; 128];
    let mut i = 0;
    while i < MARKED.len() {
        if MARKED[i].is_ascii() {
            t[MARKED[i] as usize] |= 1 << i;
        }
        i += 1;
    }
    t
};

/// The UTF-8 bytes (big-endian in one `u32`) and bit of each three-byte [`MARKED`] character; 0 where a
/// marked character is not three bytes long (never a key: a three-byte key has a lead of 0xE0 or more).
static MARK3: [(u32, u32); MARKED.len()] = {
    let mut t = [(0, 0); MARKED.len()];
    let mut i = 0;
    while i < MARKED.len() {
        let mut buf = [0u8; 4];
        let b = MARKED[i].encode_utf8(&mut buf).as_bytes();
        if b.len() == 3 {
            t[i] = ((b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32, 1 << i);
        }
        i += 1;
    }
    t
};

/// [`marks_of`]'s filter: bit `(b1 & 0x3F) << 6 | (b2 & 0x3F)` is set for each three-byte marked
/// character with continuation bytes `b1`, `b2`.
static MARK_FILTER: [u64; 64] = {
    let mut t = [0u64; 64];
    let mut i = 0;
    while i < MARK3.len() {
        let key = MARK3[i].0;
        if key != 0 {
            let slot = (((key >> 8) & 0x3F) as usize) << 6 | (key & 0x3F) as usize;
            t[slot >> 6] |= 1 << (slot & 63);
        }
        i += 1;
    }
    t
};

/// Hiragana, full-width katakana and common kanji count for a decoding; half-width katakana and
/// private-use or rare symbols count against it.
fn japanese_score(s: &str) -> i64 {
    s.chars()
        .map(|c| match c as u32 {
            0x3040..=0x30FF | 0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF01..=0xFF5E => 2,
            0xFF61..=0xFF9F => -3,
            0xE000..=0xF8FF => -5,
            _ => 0,
        })
        .sum()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Remove HTML tags (`<ul style="...">`, `</li>`) that extractors leave in cells; text between them stays.
/// A `<` not followed by a tag name (a `<新規>` marker, `a < b`) is kept. A list item's opening tag
/// becomes a `・`, the bullet printed documents use: without it `<li>a</li><li>b</li>` would run its items
/// together into one.
pub fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let is_tag = after.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(end)) => {
                let name = after[..end].split(|c: char| c.is_ascii_whitespace() || c == '/').next().unwrap_or("");
                out.push(if name.eq_ignore_ascii_case("li") { '・' } else { ' ' });
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_bom_shift_jis_and_euc_jp() {
        let text = "令和２年度 北区まちづくりの取組\n（単位：千円）\n";
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (euc, _, _) = encoding_rs::EUC_JP.encode(text);
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            (with_bom, "UTF-8"),
            (sjis.into_owned(), "Shift_JIS"),
            (euc.into_owned(), "EUC-JP"),
        ] {
            let s = SourceText::decode("t.txt", &bytes).unwrap();
            assert_eq!(s.encoding, enc);
            assert_eq!(s.lines[0].original(), "令和２年度 北区まちづくりの取組");
            assert_eq!(s.lines[0].norm(), "令和2年度 北区まちづくりの取組");
            assert_eq!(s.lines[1].norm(), "(単位:千円)");
            assert_eq!(s.lines[1].number, 2);
        }
    }

    /// A long document holds millions of lines: the marks take the padding after the line number, and
    /// the shared text is one pointer (`Arc<String>`), so a line is six words.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_line_is_six_words() {
        assert_eq!(std::mem::size_of::<Line>(), 48);
    }

    #[test]
    fn a_line_keeps_its_trimmed_nfkc_form() {
        // A line the normaliser changes keeps its own NFKC form, trimmed.
        assert_eq!(Line::new(1, "　（１）\u{3000}".into()).norm(), "(1)");
        // A line already in NFKC keeps only where its trimmed text lies; the rest keep their own form.
        assert_eq!(Line::new(1, " \u{3000}北区 まちづくり ".into()).norm(), "北区 まちづくり");
        assert_eq!(Line::new(1, "  北区 まちづくり\t".into()).norm(), "北区 まちづくり");
        assert_eq!(Line::new(1, "   ".into()).norm(), "");
    }

    proptest::proptest! {
        /// A line's marks say "may contain" for every marked character its original or NFKC text holds,
        /// and "does not" for every other marked character: exact, so the classifiers' filters skip
        /// every line they can.
        #[test]
        fn marks_are_exact_for_the_marked_characters(s in "[ a-c1<\\-【新＜〈－ー‐―−計額円市度初算位区姿ビ基年取①１あ北\u{3000}\u{8a08}\u{e381}é\u{1F600}]{0,12}") {
            let line = Line::new(1, s.clone());
            for c in MARKED {
                let holds = line.original().contains(c) || line.norm().contains(c);
                proptest::prop_assert_eq!(line.may_contain_any(Marks::of(&[c])), holds, "{:?} in {:?}", c, s);
            }
        }
    }

    #[test]
    fn undecodable_bytes_are_an_error_naming_the_file() {
        let err = SourceText::decode("bad.txt", &[0x82, 0xFF, 0xFF, 0x00, 0x8E]).unwrap_err();
        assert!(err.to_string().starts_with("bad.txt:"), "{err}");
        // The offset is where the UTF-8 reading failed.
        let err =
            SourceText::decode("bad.txt", "区\nあ".bytes().chain([0xFF, 0xFF, 0x00]).collect::<Vec<_>>().as_slice());
        assert!(matches!(err, Err(ReadError::Encoding { offset: 7, .. })), "{err:?}");
    }

    proptest::proptest! {
        /// The fast UTF-8 check takes exactly what the standard library takes as UTF-8, and keeps it whole.
        #[test]
        fn utf8_is_what_the_standard_library_says(bytes in proptest::collection::vec(
            proptest::prop_oneof![proptest::num::u8::ANY, proptest::sample::select(vec![0xE3u8, 0x81, 0x82, b'\n', b'\r', b'a', b'<', b'>'])],
            0..64,
        )) {
            // A line with a tag keeps its tag-free form.
            let line = |l: &str| {
                let l = l.trim_end_matches('\r');
                if l.contains('<') { strip_html(l) } else { l.to_string() }
            };
            let by_std = std::str::from_utf8(&bytes).ok().map(|t| t.lines().map(line).collect::<Vec<_>>());
            let read = SourceText::decode_owned("t.txt", bytes.clone());
            if let Some(lines) = by_std {
                // A BOM is dropped; every line of valid UTF-8 is kept as it was.
                if !bytes.starts_with(b"\xEF\xBB\xBF") {
                    let read = read.map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                    proptest::prop_assert_eq!(read.encoding, "UTF-8");
                    let got: Vec<&str> = read.lines.iter().map(Line::original).collect();
                    proptest::prop_assert_eq!(got, lines);
                }
            } else if let Ok(read) = read {
                proptest::prop_assert_ne!(read.encoding, "UTF-8");
            }
        }
    }

    #[test]
    fn html_tags_are_stripped_but_markers_stay() {
        assert_eq!(strip_html("<ul style=\"x\"> ・結婚相談"), "  ・結婚相談");
        assert_eq!(strip_html("＜新規＞防災 <新規>x"), "＜新規＞防災 <新規>x");
        assert_eq!(
            strip_html("<ul><li>出前講座の開催</li><LI class=\"a\">啓発</li></ul>"),
            " ・出前講座の開催 ・啓発  "
        );
        assert_eq!(strip_html("<link rel=x><li/>"), " ・");
    }
}

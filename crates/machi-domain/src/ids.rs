//! Stable identifiers. An id is a plain ASCII string derived from what it names, so that reading the same
//! document twice gives the same ids and an export → import → export round trip is byte-identical.

use crate::model::AreaKind;

/// FNV-1a, 64 bit: small, stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// A document's id from its content hash: `doc-` and the first 12 hex digits of the sha256.
pub fn document_id(sha256_hex: &str) -> String {
    format!("doc-{}", &sha256_hex[..sha256_hex.len().min(12)])
}

/// An area's id: its local-government code where it has one, else a hash of municipality, kind and name.
pub fn area_id(municipality: &str, kind: AreaKind, name: &str, lg_code: Option<&str>) -> String {
    match lg_code {
        Some(code) => format!("area-{code}"),
        None => format!("area-{:016x}", fnv1a(&[municipality, kind.code(), name])),
    }
}

/// The `n`th project (1-based) of a document.
pub fn project_id(document_id: &str, n: usize) -> String {
    numbered(document_id, 'p', n)
}

/// `{document_id}-{kind}{n:03}`, written without the formatting machinery: a long document numbers
/// hundreds of thousands of projects, and `format!` cost as much as the rest of building each one.
fn numbered(document_id: &str, kind: char, n: usize) -> String {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut rest = n;
    while rest > 0 || digits.len() - at < 3 {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let mut out = String::with_capacity(document_id.len() + 2 + digits.len() - at);
    out.push_str(document_id);
    out.push('-');
    out.push(kind);
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    out
}

/// The `n`th policy node of a document.
pub fn policy_id(document_id: &str, n: usize) -> String {
    numbered(document_id, 'n', n)
}

/// The `n`th KPI of a document.
pub fn kpi_id(document_id: &str, n: usize) -> String {
    numbered(document_id, 'k', n)
}

/// The `n`th action of a document.
pub fn action_id(document_id: &str, n: usize) -> String {
    numbered(document_id, 'a', n)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn numbered_ids_read_as_formatted(n in 0usize..=usize::MAX, small in 0usize..2000) {
            for n in [n, small] {
                proptest::prop_assert_eq!(project_id("d-1a", n), format!("d-1a-p{n:03}"));
                proptest::prop_assert_eq!(action_id("d", n), format!("d-a{n:03}"));
            }
        }
    }

    #[test]
    fn ids_are_stable_and_ascii() {
        let a = area_id("熊本市", AreaKind::SchoolDistrict, "幸田", None);
        assert_eq!(a, area_id("熊本市", AreaKind::SchoolDistrict, "幸田", None));
        assert!(a.is_ascii());
        assert_ne!(a, area_id("熊本市", AreaKind::Center, "幸田", None));
        assert_eq!(area_id("熊本市", AreaKind::Ward, "北区", Some("431052")), "area-431052");
        assert_eq!(document_id("0123456789abcdef"), "doc-0123456789ab");
        assert_eq!(project_id("doc-x", 7), "doc-x-p007");
    }
}

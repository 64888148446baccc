//! Helpers shared by the reader's integration tests. Each test binary uses only some of them.
#![allow(dead_code)]

use std::path::PathBuf;

use machi_domain::{Decimal, KpiValue, Ledger, PolicyKind, PolicyNode};

/// The crate's folder, read when the test runs: a test binary reused from a build of another checkout
/// (a shared target folder) must not read that checkout's files.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
}

/// A file under the repository's `test_data/` (`seeds/002_….txt`, `samples/…`).
pub fn test_data(rel: &str) -> PathBuf {
    manifest_dir().join("../../test_data").join(rel)
}

pub fn num(mantissa: i64, scale: u32) -> Option<KpiValue> {
    Some(KpiValue::Number(Decimal { mantissa, scale }))
}

pub fn cat(s: &str) -> Option<KpiValue> {
    Some(KpiValue::Category(s.to_string()))
}

/// The node with this kind and code whose parent has `parent_code` (`None`: a root).
pub fn node<'a>(l: &'a Ledger, kind: PolicyKind, code: &str, parent_code: Option<&str>) -> &'a PolicyNode {
    let found: Vec<&PolicyNode> = l
        .policies
        .iter()
        .filter(|p| p.kind == kind && p.code == code)
        .filter(|p| {
            let parent = p.parent_id.as_ref().and_then(|id| l.policies.iter().find(|q| &q.id == id));
            parent.map(|q| q.code.as_str()) == parent_code
        })
        .collect();
    assert_eq!(found.len(), 1, "{kind:?} {code} under {parent_code:?}: {found:?}");
    found[0]
}

//! The dependency rules of ARCHITECTURE.md, checked against the crates' `Cargo.toml` files so that a
//! change that breaks them fails here rather than in review.

mod common;

use common::manifest_dir;
use std::fs;

/// The `[dependencies]` names of a crate (dev-dependencies may use anything).
fn deps(krate: &str) -> Vec<String> {
    let path = manifest_dir().join("..").join(krate).join("Cargo.toml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && !line.is_empty() && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.push(name.trim().trim_end_matches(".workspace").to_string());
            }
        }
    }
    out
}

/// The workspace's crates (`crates/machi-*`).
fn machi_crates() -> Vec<String> {
    fs::read_dir(manifest_dir().join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("machi-"))
        .collect()
}

fn machi_deps(krate: &str) -> Vec<String> {
    deps(krate).into_iter().filter(|d| d.starts_with("machi-")).collect()
}

#[test]
fn the_domain_knows_no_io_and_no_other_crate() {
    assert!(machi_deps("machi-domain").is_empty());
    for io in ["rusqlite", "tokio", "axum", "csv", "encoding_rs", "sha2"] {
        assert!(!deps("machi-domain").contains(&io.to_string()), "machi-domain depends on {io}");
    }
}

#[test]
fn readers_and_analysis_depend_only_on_the_domain() {
    assert_eq!(machi_deps("machi-read"), ["machi-domain"]);
    assert_eq!(machi_deps("machi-analysis"), ["machi-domain"]);
    assert_eq!(machi_deps("machi-store"), ["machi-domain"]);
}

#[test]
fn only_store_backends_contain_a_database_driver() {
    let crates = machi_crates();
    assert!(crates.len() >= 7, "{crates:?}");
    for c in &crates {
        let has_driver =
            deps(c).iter().any(|d| matches!(d.as_str(), "rusqlite" | "postgres" | "sqlx" | "tokio-postgres"));
        assert_eq!(has_driver, c.starts_with("machi-store-"), "{c}: a database driver belongs in a store backend only");
    }
}

#[test]
fn the_web_talks_to_the_store_trait_not_to_readers() {
    if manifest_dir().join("../machi-web/Cargo.toml").exists() {
        let web = machi_deps("machi-web");
        assert!(!web.contains(&"machi-read".to_string()), "the web serves the store; the CLI imports");
        assert!(web.contains(&"machi-store".to_string()));
    }
}

#[test]
fn only_the_binary_chooses_the_allocator() {
    let crates = machi_crates();
    for c in &crates {
        let uses = deps(c).iter().any(|d| d == "machi-alloc" || d.contains("mimalloc"));
        assert_eq!(uses, c == "machi-cli" || c == "machi-alloc", "{c}: a library must not choose the allocator");
    }
}

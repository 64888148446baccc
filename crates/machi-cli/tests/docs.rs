//! `docs/cli.md` is generated from `--help`; this test fails when it is stale. Regenerate with
//! `MACHI_UPDATE_DOCS=1 cargo test -p machi-cli --test docs`.

mod common;

use common::manifest_dir;
use std::process::Command;

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_machi"))
        .args(args)
        .env_remove("MACHI_DB")
        .env("COLUMNS", "110")
        .output()
        .expect("run machi");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn cli_reference_is_up_to_date() {
    let mut doc = String::from(
        "# machi command reference\n\nGenerated from `machi --help`; `cargo test -p machi-cli --test docs` fails when it is stale.\n\n",
    );
    doc.push_str(&format!("## machi\n\n```\n{}```\n", help(&["--help"])));
    for cmd in ["import", "check", "list", "show", "kpi", "export", "serve"] {
        doc.push_str(&format!("\n## machi {cmd}\n\n```\n{}```\n", help(&[cmd, "--help"])));
    }
    let path = manifest_dir().join("../../docs/cli.md");
    if std::env::var_os("MACHI_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &doc).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == doc, "docs/cli.md is stale: run MACHI_UPDATE_DOCS=1 cargo test -p machi-cli --test docs");
}

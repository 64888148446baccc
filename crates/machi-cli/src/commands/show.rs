//! `machi show`: one project with every phase, its parent and line items, and — with `--explain` — the
//! source line each value was read from.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use machi_store::{ProjectDetail, Store};
use machi_store_sqlite::SqliteStore;
use serde_json::json;

use super::list::row_json;
use super::sen;
use crate::ShowArgs;

pub fn run(store: &SqliteStore, args: &ShowArgs) -> Result<ExitCode> {
    let Some(d) = store.project(&args.id).context("reading the store")? else {
        bail!("no project with id {:?} (see `machi list`)", args.id);
    };
    if args.json {
        let mut v = row_json(&d.row);
        v["description"] = json!(d.row.project.description);
        v["department"] = json!(d.row.project.department);
        v["source_line"] = json!(d.row.project.source_line);
        v["document"] =
            json!({ "document_id": d.document.id, "title": d.document.title, "source_name": d.document.source_name });
        v["line_items"] = json!(d.line_items.iter().map(row_json).collect::<Vec<_>>());
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", render(store, &d, args.explain)?);
    Ok(ExitCode::SUCCESS)
}

fn source_line(store: &SqliteStore, doc: &str, line: Option<u32>) -> Result<String> {
    let Some(n) = line else { return Ok(String::new()) };
    let lines = store.source_lines(doc, n, n)?;
    Ok(lines.into_iter().next().map(|(_, t)| format!("  │ {}", t.trim())).unwrap_or_default())
}

pub fn render(store: &SqliteStore, d: &ProjectDetail, explain: bool) -> Result<String> {
    let p = &d.row.project;
    let mut out = String::new();
    let new = if p.is_new { "【新規】" } else { "" };
    out.push_str(&format!("{} {new}{}\n", p.number, p.name));
    out.push_str(&format!("  id           {}\n", p.id));
    out.push_str(&format!(
        "  where        {} {} {}\n",
        p.municipality,
        p.area,
        p.fiscal_year.map(|y| y.display_both()).unwrap_or_default()
    ));
    out.push_str(&format!("  fund         {}\n", p.fund));
    if !p.pillar.is_empty() {
        out.push_str(&format!("  pillar       {}\n", p.pillar));
    }
    out.push_str(&format!(
        "  status       {}{}\n",
        p.status,
        if p.status_note.is_empty() { String::new() } else { format!(" ({})", p.status_note) }
    ));
    if !p.tags.is_empty() {
        out.push_str(&format!("  tags         {}\n", p.tags.join(", ")));
    }
    if !p.department.is_empty() {
        out.push_str(&format!("  department   {}\n", p.department));
    }
    if !p.description.is_empty() {
        out.push_str(&format!("  description  {}\n", p.description));
    }
    let src = p.source_line.map(|l| format!(" line {l}")).unwrap_or_default();
    out.push_str(&format!("  source       {}{src}\n", d.document.source_name));
    if explain {
        out.push_str(&source_line(store, &d.document.id, p.source_line)?);
        if p.source_line.is_some() {
            out.push('\n');
        }
    }
    if let Some(parent) = &d.parent {
        out.push_str(&format!("  line item of {} {} ({})\n", parent.number, parent.name, parent.id));
    }
    out.push_str("\n  phase        千円          yen  line\n");
    for a in &d.row.amounts {
        let yen = a.amount.map(|y| y.get().to_string()).unwrap_or_else(|| "―".into());
        let line = a.source_line.map(|l| l.to_string()).unwrap_or_default();
        let label = a.phase.label_ja();
        let pad = 12usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
        out.push_str(&format!("  {label}{}{:>9}  {:>11}  {line}", " ".repeat(pad), sen(a.amount), yen));
        if explain {
            out.push_str(&source_line(store, &d.document.id, a.source_line)?);
        }
        out.push('\n');
    }
    if !d.line_items.is_empty() {
        out.push_str("\n  line items\n");
        for r in &d.line_items {
            let amounts: Vec<String> =
                r.amounts.iter().map(|a| format!("{} {}", a.phase.label_ja(), sen(a.amount))).collect();
            out.push_str(&format!(
                "    {} {} ({}): {}\n",
                r.project.number,
                r.project.name,
                r.project.id,
                amounts.join(" / ")
            ));
        }
    }
    Ok(out)
}

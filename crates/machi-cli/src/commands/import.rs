//! `machi import`: read every path first, then write everything in one transaction, so that a failure
//! anywhere leaves the store as it was.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use machi_domain::{Ledger, Severity};
use machi_read::{ReadOptions, SourceText};
use machi_store::{SourceFile, Store};
use serde::Serialize;

use super::{open, parse_year};
use crate::{Cli, ImportArgs};

#[derive(Serialize)]
struct FileReport {
    path: String,
    kind: &'static str,
    documents: usize,
    projects: usize,
    amounts: usize,
    totals: usize,
    policies: usize,
    kpis: usize,
    actions: usize,
    observations: usize,
    diagnostics: Vec<DiagnosticOut>,
}

#[derive(Serialize)]
struct DiagnosticOut {
    line: Option<u32>,
    severity: &'static str,
    code: String,
    message: String,
}

pub fn run(cli: &Cli, args: &ImportArgs) -> Result<ExitCode> {
    let mut store = open(cli)?;
    let known = store.known_ids().context("reading the store")?;
    let opts = ReadOptions {
        municipality: args.municipality.clone(),
        fiscal_year: args.fiscal_year.as_deref().map(parse_year).transpose()?,
        imported_at: crate::clock::now_rfc3339(),
    };
    let bar = if cli.quiet || args.json || args.paths.len() < 2 {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(args.paths.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let mut batch = Ledger::default();
    let mut sources = Vec::new();
    let mut reports = Vec::new();
    for path in &args.paths {
        bar.set_message(path.display().to_string());
        let (ledger, kind, source) = read_path(path, &opts, &known)?;
        reports.push(report(path, kind, &ledger));
        if let Some(s) = source {
            sources.push(s);
        }
        batch.extend(ledger);
        bar.inc(1);
    }
    bar.finish_and_clear();
    // A single interchange folder was checked as it was read (with file and line in its errors); what
    // the text readers produce, and several paths together, are checked here.
    let checked = args.paths.len() == 1 && reports.iter().all(|r| r.kind == "interchange");
    if !checked {
        if let Some(e) = batch.check_integrity(&known).into_iter().next() {
            bail!("the files read together are inconsistent: {e}");
        }
    }
    let summary = if args.dry_run {
        None
    } else {
        Some(store.import_with_sources(&batch, &sources).context("writing to the store (nothing was written)")?)
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "dry_run": args.dry_run, "files": reports, "written": summary })
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !cli.quiet || args.dry_run {
        for r in &reports {
            println!(
                "{}: {} — {} documents, {} projects, {} amounts, {} totals, {} policies, {} KPIs, {} actions, {} observations",
                r.path, r.kind, r.documents, r.projects, r.amounts, r.totals, r.policies, r.kpis, r.actions, r.observations
            );
            // Notes for the record (info) are many and quiet; errors and warnings are what a person settles.
            let mut notes = 0;
            for d in &r.diagnostics {
                if d.severity == Severity::Info.code() && !args.verbose {
                    notes += 1;
                    continue;
                }
                let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
                println!("  {}{line}: {} [{}] {}", r.path, d.severity, d.code, d.message);
            }
            if notes > 0 {
                println!("  … and {notes} notes (info); --verbose shows them, --json lists everything");
            }
        }
    }
    if args.dry_run {
        print_dry_run(&batch);
        println!("dry run: nothing written");
    } else if let (Some(s), false) = (summary, cli.quiet) {
        println!(
            "imported into {}: {} documents ({} replaced), {} projects, {} amounts",
            cli.db.display(),
            s.documents,
            s.replaced,
            s.projects,
            s.amounts
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn report(path: &Path, kind: &'static str, l: &Ledger) -> FileReport {
    FileReport {
        path: path.display().to_string(),
        kind,
        documents: l.documents.len(),
        projects: l.projects.len(),
        amounts: l.amounts.len(),
        totals: l.totals.len(),
        policies: l.policies.len(),
        kpis: l.kpis.len(),
        actions: l.actions.len(),
        observations: l.observations.len(),
        diagnostics: l
            .diagnostics
            .iter()
            .map(|d| DiagnosticOut {
                line: d.line,
                severity: d.severity.code(),
                code: d.code.clone(),
                message: d.message.clone(),
            })
            .collect(),
    }
}

/// What would be stored: each project with its amounts, in 千円.
fn print_dry_run(l: &Ledger) {
    let by_project = l.amounts_by_project();
    for p in &l.projects {
        let amounts: Vec<String> = by_project
            .get(p.id.as_str())
            .map(|v| v.iter().map(|a| format!("{} {}", a.phase.label_ja(), super::sen(a.amount))).collect())
            .unwrap_or_default();
        let indent = if p.parent_id.is_some() { "    " } else { "  " };
        println!("{indent}{} {} {} [{}] {}", p.area, p.number, p.name, p.fund, amounts.join(" / "));
    }
}

/// Read one path by its kind.
fn read_path(
    path: &Path,
    opts: &ReadOptions,
    known: &machi_domain::KnownIds,
) -> Result<(Ledger, &'static str, Option<SourceFile>)> {
    let is_package = path.file_name().is_some_and(|n| n == "datapackage.json");
    if path.is_dir() || is_package {
        let l = machi_interchange::read_dir(path, known)?;
        return Ok((l, "interchange", None));
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xls" => {
            bail!("{}: reading Excel workbooks is not supported yet; export the sheet as text or CSV", path.display())
        }
        "csv" => {
            bail!("{}: a single CSV file is not an interchange folder; import the folder that holds it", path.display())
        }
        _ => {}
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (ledger, source) = read_published(&name, bytes, opts).with_context(|| format!("reading {}", path.display()))?;
    Ok((ledger, "published text", Some(source)))
}

/// Read published text (a budget sheet or a plan) from its bytes, keeping its decoded text.
pub fn read_published(name: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<(Ledger, SourceFile)> {
    let src = SourceText::decode_owned(name, bytes)?;
    let ledger = machi_read::read_text(&src, opts)?;
    let text: Vec<&str> = src.lines.iter().map(|l| l.original()).collect();
    Ok((ledger, SourceFile { document_id: src.document_id(), text: text.join("\n") }))
}

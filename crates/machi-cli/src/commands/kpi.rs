//! `machi kpi`: every KPI with baseline, target, latest value, progress and status, then each measure's
//! roll-up of its KPIs and actions.

use std::process::ExitCode;

use anyhow::{Context, Result};
use machi_analysis::progress::{all_kpi_progress, measure_rollups, KpiProgress};
use machi_domain::{FiscalYear, KpiValue};
use machi_store::Store;
use machi_store_sqlite::SqliteStore;
use serde_json::json;

use crate::table::{Align, Table};
use crate::KpiArgs;

pub fn run(store: &SqliteStore, args: &KpiArgs) -> Result<ExitCode> {
    let ledger = store.ledger().context("reading the store")?;
    let progress = all_kpi_progress(&ledger);
    let rollups = measure_rollups(&ledger, &progress);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&json!({ "kpis": progress, "measures": rollups }))?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", render(&progress));
    if !rollups.is_empty() {
        let mut t = Table::new(&[
            ("measure", Align::Left),
            ("progress", Align::Right),
            ("KPIs", Align::Right),
            ("actions", Align::Right),
            ("left out", Align::Right),
        ]);
        for m in &rollups {
            let r = &m.rollup;
            t.row(vec![
                format!("{} {}", m.code, m.title),
                percent(r.progress),
                r.kpis_counted.to_string(),
                r.actions_counted.to_string(),
                r.left_out.to_string(),
            ]);
        }
        print!("\n{}", t.render());
    }
    Ok(ExitCode::SUCCESS)
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{:.0}%", p * 100.0)).unwrap_or_else(|| "―".into())
}

fn value(year: Option<FiscalYear>, v: &Option<KpiValue>, unit: &str) -> String {
    let v = match v {
        None => return "―".into(),
        Some(KpiValue::Number(d)) => format!("{d}{unit}"),
        Some(KpiValue::Category(c)) => c.clone(),
    };
    match year {
        Some(y) => format!("{v} ({})", y.year()),
        None => v,
    }
}

/// The KPI table.
pub fn render(progress: &[KpiProgress]) -> String {
    let mut t = Table::new(&[
        ("indicator", Align::Left),
        ("baseline", Align::Right),
        ("target", Align::Right),
        ("latest", Align::Right),
        ("progress", Align::Right),
        ("status", Align::Left),
    ]);
    for k in progress {
        let status = if k.stale { format!("{} (stale)", k.status.code()) } else { k.status.code().to_string() };
        t.row(vec![
            k.indicator.clone(),
            value(k.baseline_year, &k.baseline, &k.unit),
            value(k.target_year, &k.target, &k.unit),
            value(k.latest_year, &k.latest, &k.unit),
            percent(k.progress),
            status,
        ]);
    }
    format!("{}{} KPIs\n", t.render(), progress.len())
}

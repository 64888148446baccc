//! `machi list`: projects filtered by municipality, area, year, fund and status, amounts in 千円.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use machi_domain::{Phase, Status};
use machi_store::{ProjectFilter, ProjectRow, Store};
use machi_store_sqlite::SqliteStore;
use serde_json::json;

use super::{parse_year, phases_of, sen};
use crate::table::{Align, Table};
use crate::ListArgs;

pub fn run(store: &SqliteStore, args: &ListArgs) -> Result<ExitCode> {
    let status = match args.status.as_deref() {
        None => None,
        Some(s) => match Status::parse(s) {
            Some(s) => Some(s),
            None => bail!("--status {s:?}: expected planned, done, cancelled, postponed or not_started"),
        },
    };
    let filter = ProjectFilter {
        municipality: args.municipality.clone(),
        area: args.area.clone(),
        fiscal_year: args.year.as_deref().map(parse_year).transpose()?,
        fund: args.fund.clone(),
        status,
        include_line_items: args.all,
        ..Default::default()
    };
    let rows = store.projects(&filter).context("reading the store")?;
    if args.json {
        let out: Vec<_> = rows.iter().map(row_json).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", render(&rows));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn row_json(r: &ProjectRow) -> serde_json::Value {
    let p = &r.project;
    json!({
        "project_id": p.id,
        "parent_project_id": p.parent_id,
        "municipality": p.municipality,
        "area": p.area,
        "fiscal_year": p.fiscal_year.map(|y| y.year()),
        "fund": p.fund,
        "pillar": p.pillar,
        "number": p.number,
        "name": p.name,
        "is_new": p.is_new,
        "status": p.status.code(),
        "status_note": p.status_note,
        "tags": p.tags,
        "amounts": r.amounts.iter().map(|a| json!({
            "phase": a.phase.code(),
            "amount_yen": a.amount.map(|y| y.get()),
            "source_line": a.source_line,
        })).collect::<Vec<_>>(),
    })
}

/// A table with one column per phase that occurs, amounts in 千円.
pub fn render(rows: &[ProjectRow]) -> String {
    let phases: Vec<Phase> = phases_of(rows.iter().flat_map(|r| r.amounts.iter()));
    let labels: Vec<String> = phases.iter().map(|p| p.label_ja()).collect();
    let mut cols: Vec<(&str, Align)> = vec![
        ("id", Align::Left),
        ("area", Align::Left),
        ("year", Align::Right),
        ("fund", Align::Left),
        ("no.", Align::Left),
        ("name", Align::Left),
    ];
    for l in &labels {
        cols.push((l.as_str(), Align::Right));
    }
    cols.push(("status", Align::Left));
    let mut t = Table::new(&cols);
    for r in rows {
        let p = &r.project;
        let mut name = String::new();
        if p.parent_id.is_some() {
            name.push_str("└ ");
        }
        if p.is_new {
            name.push_str("【新規】");
        }
        name.push_str(&p.name);
        let mut cells = vec![
            p.id.clone(),
            p.area.clone(),
            p.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
            p.fund.clone(),
            p.number.clone(),
            name,
        ];
        for ph in &phases {
            cells.push(match r.amounts.iter().find(|a| a.phase == *ph) {
                Some(a) => sen(a.amount),
                None => String::new(),
            });
        }
        cells.push(p.status.code().into());
        t.row(cells);
    }
    format!("{}{} projects (amounts in 千円)\n", t.render(), rows.len())
}

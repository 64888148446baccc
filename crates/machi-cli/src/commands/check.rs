//! `machi check`: every stated total against the sum of its projects, per phase.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::{Context, Result};
use machi_analysis::reconcile::{check_totals, TotalCheck};
use machi_domain::TotalStatus;
use machi_store::Store;
use machi_store_sqlite::SqliteStore;
use serde_json::json;

use super::sen;
use crate::table::{Align, Table};
use crate::CheckArgs;

pub fn run(store: &SqliteStore, args: &CheckArgs) -> Result<ExitCode> {
    let ledger = store.ledger().context("reading the store")?;
    let checks = check_totals(&ledger);
    let titles: HashMap<&str, &str> =
        ledger.documents.iter().map(|d| (d.id.as_str(), d.source_name.as_str())).collect();
    if args.json {
        let rows: Vec<_> = checks.iter().map(|c| to_json(c, &titles)).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", render(&checks, &titles));
    }
    let mismatch = checks.iter().any(|c| c.status == TotalStatus::Mismatch);
    Ok(if mismatch { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn to_json(c: &TotalCheck, titles: &HashMap<&str, &str>) -> serde_json::Value {
    let t = &c.total;
    json!({
        "document_id": t.document_id,
        "source_name": titles.get(t.document_id.as_str()),
        "area": t.area,
        "scope_kind": t.scope_kind.code(),
        "scope": t.scope,
        "phase": t.phase.code(),
        "stated_yen": t.stated.map(|y| y.get()),
        "computed_yen": c.computed.get(),
        "difference_yen": c.difference,
        "status": c.status.code(),
        "projects": c.projects,
        "missing": c.missing,
        "source_line": t.source_line,
    })
}

/// The readable table, amounts in 千円, and a summary line.
pub fn render(checks: &[TotalCheck], titles: &HashMap<&str, &str>) -> String {
    let mut t = Table::new(&[
        ("source", Align::Left),
        ("line", Align::Right),
        ("area", Align::Left),
        ("scope", Align::Left),
        ("phase", Align::Left),
        ("stated", Align::Right),
        ("computed", Align::Right),
        ("diff", Align::Right),
        ("status", Align::Left),
    ]);
    for c in checks {
        let s = &c.total;
        let diff = match (c.status, c.difference) {
            (TotalStatus::Incomplete, _) if c.projects == 0 => "no projects".to_string(),
            (TotalStatus::Incomplete, _) => format!("{} missing", c.missing.len()),
            (_, Some(0)) | (_, None) => String::new(),
            (_, Some(d)) => {
                let y = machi_domain::Yen::new(d).display_in(machi_domain::Unit::Thousand);
                if d > 0 {
                    format!("+{y}")
                } else {
                    y
                }
            }
        };
        t.row(vec![
            titles.get(s.document_id.as_str()).copied().unwrap_or(&s.document_id).to_string(),
            s.source_line.map(|l| l.to_string()).unwrap_or_default(),
            s.area.clone(),
            format!("{} {}", s.scope_kind, s.scope),
            s.phase.label_ja(),
            sen(s.stated),
            sen(Some(c.computed)),
            diff,
            c.status.code().into(),
        ]);
    }
    let count = |st: TotalStatus| checks.iter().filter(|c| c.status == st).count();
    format!(
        "{}(amounts in 千円)\n{} totals: {} match, {} rounding, {} mismatch, {} incomplete\n",
        t.render(),
        checks.len(),
        count(TotalStatus::Match),
        count(TotalStatus::Rounding),
        count(TotalStatus::Mismatch),
        count(TotalStatus::Incomplete)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::{Phase, ScopeKind, StatedTotal, Yen};

    fn check(projects: usize, missing: &[&str], status: TotalStatus) -> TotalCheck {
        TotalCheck {
            total: StatedTotal {
                document_id: "d".into(),
                area: "北区".into(),
                scope_kind: ScopeKind::Fund,
                scope: "まちづくり推進経費".into(),
                phase: Phase::Initial,
                stated: Some(Yen::new(2_000_000)),
                source_line: Some(9),
            },
            computed: Yen::ZERO,
            difference: Some(-2_000_000),
            status,
            projects,
            missing: missing.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn an_incomplete_total_says_what_is_missing_or_that_no_project_is_in_scope() {
        let out = render(
            &[check(0, &[], TotalStatus::Incomplete), check(2, &["p1"], TotalStatus::Incomplete)],
            &HashMap::new(),
        );
        let rows: Vec<&str> = out.lines().skip(2).take(2).collect();
        assert!(rows[0].contains("no projects") && rows[0].ends_with("incomplete"), "{out}");
        assert!(rows[1].contains("1 missing") && !rows[1].contains("no projects"), "{out}");
        assert!(out.ends_with("2 totals: 0 match, 0 rounding, 0 mismatch, 2 incomplete\n"), "{out}");
    }
}

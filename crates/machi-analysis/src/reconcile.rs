//! Reconciliation: every total a document states, against the sum of the projects in its scope, per phase.
//!
//! A fund or pillar total adds up top-level projects only; a parent project's own amounts are checked
//! against its line items (scope kind `project`). A printed `―` counts as nothing; a project with no
//! row at all for the phase makes the total `incomplete`. A difference no larger than rounding each
//! row to the document's unit can explain is `rounding`, not `mismatch`.

use std::collections::HashMap;

use machi_domain::{Ledger, Phase, Project, ScopeKind, StatedTotal, TotalStatus, Unit, Yen};
use serde::Serialize;

/// One stated total and what its projects add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalCheck {
    /// The total as stated.
    pub total: StatedTotal,
    /// Sum of the values present in scope.
    pub computed: Yen,
    /// Computed minus stated (`None` when the document stated `―`).
    pub difference: Option<i64>,
    /// The verdict.
    pub status: TotalStatus,
    /// Projects in scope.
    pub projects: usize,
    /// Ids of projects in scope with no value for the phase.
    pub missing: Vec<String>,
}

/// Check every stated total of the ledger, in the ledger's order.
pub fn check_totals(ledger: &Ledger) -> Vec<TotalCheck> {
    let units: HashMap<&str, Option<Unit>> = ledger.documents.iter().map(|d| (d.id.as_str(), d.unit)).collect();
    let mut by_doc: HashMap<&str, Vec<&Project>> = HashMap::new();
    for p in &ledger.projects {
        by_doc.entry(p.document_id.as_str()).or_default().push(p);
    }
    let mut amounts: HashMap<(&str, Phase), Option<Yen>> = HashMap::new();
    for a in &ledger.amounts {
        amounts.insert((a.project_id.as_str(), a.phase), a.amount);
    }
    let empty = Vec::new();
    ledger
        .totals
        .iter()
        .map(|t| {
            let projects = by_doc.get(t.document_id.as_str()).unwrap_or(&empty);
            let unit = units.get(t.document_id.as_str()).copied().flatten().unwrap_or(Unit::Yen);
            check_one(t, projects, &amounts, unit)
        })
        .collect()
}

fn in_scope(t: &StatedTotal, p: &Project) -> bool {
    let same_area = t.area.is_empty() || p.area == t.area;
    match t.scope_kind {
        ScopeKind::Fund => same_area && p.parent_id.is_none() && p.fund == t.scope,
        ScopeKind::Pillar => same_area && p.parent_id.is_none() && p.pillar == t.scope,
        ScopeKind::Project => p.parent_id.as_deref() == Some(t.scope.as_str()),
        ScopeKind::Document => same_area && p.parent_id.is_none(),
    }
}

fn check_one(
    t: &StatedTotal,
    projects: &[&Project],
    amounts: &HashMap<(&str, Phase), Option<Yen>>,
    unit: Unit,
) -> TotalCheck {
    let mut computed = Yen::ZERO;
    let mut missing = Vec::new();
    let mut n = 0usize;
    for p in projects.iter().filter(|p| in_scope(t, p)) {
        n += 1;
        match amounts.get(&(p.id.as_str(), t.phase)) {
            Some(Some(v)) => computed = computed.checked_add(*v).unwrap_or(computed),
            Some(None) => {}
            None => missing.push(p.id.clone()),
        }
    }
    let difference = t.stated.map(|s| computed.get() - s.get());
    let status = match difference {
        _ if !missing.is_empty() => TotalStatus::Incomplete,
        // Nothing in scope (the reader could not tell which rows are the fund's): the total is not
        // contradicted, only unchecked; a mismatch against zero would blame the document.
        Some(d) if n == 0 && d != 0 => TotalStatus::Incomplete,
        None => {
            if computed == Yen::ZERO {
                TotalStatus::Match
            } else {
                TotalStatus::Mismatch
            }
        }
        Some(0) => TotalStatus::Match,
        // Each row may be off by half a unit from the unrounded figure the total was made from.
        Some(d) if (d.unsigned_abs() as u128) * 2 <= (n as u128) * unit.factor() as u128 => TotalStatus::Rounding,
        Some(_) => TotalStatus::Mismatch,
    };
    TotalCheck { total: t.clone(), computed, difference, status, projects: n, missing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::{Amount, Document, Status};

    fn project(id: &str, fund: &str, parent: Option<&str>) -> Project {
        Project {
            id: id.into(),
            document_id: "d".into(),
            parent_id: parent.map(Into::into),
            municipality: "熊本市".into(),
            area: "北区".into(),
            fiscal_year: None,
            fund: fund.into(),
            pillar: String::new(),
            number: String::new(),
            name: id.into(),
            description: String::new(),
            is_new: false,
            status: Status::Planned,
            status_note: String::new(),
            department: String::new(),
            tags: vec![],
            source_line: None,
        }
    }

    fn amount(p: &str, y: Option<i64>) -> Amount {
        Amount { project_id: p.into(), phase: Phase::Initial, amount: y.map(Yen::new), source_line: None }
    }

    fn total(kind: ScopeKind, scope: &str, stated: i64) -> StatedTotal {
        StatedTotal {
            document_id: "d".into(),
            area: "北区".into(),
            scope_kind: kind,
            scope: scope.into(),
            phase: Phase::Initial,
            stated: Some(Yen::new(stated)),
            source_line: None,
        }
    }

    fn ledger() -> Ledger {
        Ledger {
            documents: vec![Document {
                id: "d".into(),
                title: String::new(),
                municipality_code: None,
                municipality: String::new(),
                fiscal_year: None,
                unit: Some(Unit::Thousand),
                source_name: String::new(),
                source_sha256: String::new(),
                imported_at: String::new(),
            }],
            projects: vec![
                project("a", "F", None),
                project("b", "F", None),
                project("b1", "F", Some("b")),
                project("b2", "F", Some("b")),
            ],
            amounts: vec![
                amount("a", Some(1_000_000)),
                amount("b", Some(2_000_000)),
                amount("b1", Some(1_500_000)),
                amount("b2", Some(500_000)),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn fund_totals_add_top_level_projects_only() {
        let mut l = ledger();
        l.totals = vec![total(ScopeKind::Fund, "F", 3_000_000), total(ScopeKind::Project, "b", 2_000_000)];
        let c = check_totals(&l);
        assert_eq!(c[0].status, TotalStatus::Match);
        assert_eq!(c[0].projects, 2);
        assert_eq!(c[1].status, TotalStatus::Match);
        assert_eq!(c[1].computed, Yen::new(2_000_000));
    }

    #[test]
    fn differences_are_mismatch_or_rounding() {
        let mut l = ledger();
        l.totals = vec![total(ScopeKind::Fund, "F", 3_001_000), total(ScopeKind::Fund, "F", 2_000_000)];
        let c = check_totals(&l);
        // Two rows, each up to 500 yen off: 1,000 yen is rounding.
        assert_eq!(c[0].status, TotalStatus::Rounding);
        assert_eq!(c[0].difference, Some(-1_000));
        assert_eq!(c[1].status, TotalStatus::Mismatch);
        assert_eq!(c[1].difference, Some(1_000_000));
    }

    #[test]
    fn a_missing_row_is_incomplete_and_a_dash_is_nothing() {
        let mut l = ledger();
        l.amounts.retain(|a| a.project_id != "a");
        l.totals = vec![total(ScopeKind::Fund, "F", 2_000_000)];
        assert_eq!(check_totals(&l)[0].status, TotalStatus::Incomplete);
        assert_eq!(check_totals(&l)[0].missing, ["a"]);
        l.amounts.push(amount("a", None));
        assert_eq!(check_totals(&l)[0].status, TotalStatus::Match);
    }

    #[test]
    fn a_total_with_no_project_in_scope_is_incomplete_not_a_mismatch() {
        let mut l = ledger();
        l.totals = vec![total(ScopeKind::Fund, "no such fund", 2_000_000), total(ScopeKind::Fund, "no such fund", 0)];
        let c = check_totals(&l);
        assert_eq!((c[0].status, c[0].projects, c[0].computed), (TotalStatus::Incomplete, 0, Yen::ZERO));
        // A stated zero with nothing in scope agrees.
        assert_eq!(c[1].status, TotalStatus::Match);
    }
}

//! The sums every summary page shows (overview, compare, the API's areas): per area and fiscal year, the
//! initial budget, the last budget before settlement, the settlement, execution rates, unspent money and
//! the reconciliation verdicts. Only top-level projects count: line items are already inside their parent.

use machi_domain::{Project, Status, TotalStatus};
use serde::Serialize;

use crate::state::Snapshot;

/// One area in one fiscal year.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AreaYear {
    pub municipality: String,
    pub area: String,
    pub fiscal_year: Option<i32>,
    pub fiscal_year_label: String,
    pub url: String,
    #[serde(flatten)]
    pub sums: Sums,
}

/// Money and counts over a set of top-level projects.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Sums {
    pub initial_yen: Option<i64>,
    pub last_budget_yen: Option<i64>,
    pub settled_yen: Option<i64>,
    /// settled ÷ initial, in percent.
    pub execution_rate_initial: Option<f64>,
    /// settled ÷ last budget (執行率), in percent.
    pub execution_rate_last: Option<f64>,
    /// last budget − settled.
    pub unspent_yen: Option<i64>,
    pub projects: usize,
    pub cancelled: usize,
    pub totals_ok: usize,
    pub totals_ng: usize,
}

fn add(acc: &mut Option<i64>, v: Option<Option<machi_domain::Yen>>) {
    if let Some(Some(y)) = v {
        *acc = Some(acc.unwrap_or(0).saturating_add(y.get()));
    } else if let Some(None) = v {
        // A printed `―` is a stated nothing: the column exists, so show 0 rather than "no value".
        acc.get_or_insert(0);
    }
}

/// Percent with one decimal, `None` when the base is missing or zero.
pub(crate) fn rate(num: Option<i64>, den: Option<i64>) -> Option<f64> {
    match (num, den) {
        (Some(n), Some(d)) if d != 0 => Some((n as f64 * 1000.0 / d as f64).round() / 10.0),
        _ => None,
    }
}

pub(crate) fn sums<'a>(snap: &Snapshot, projects: impl IntoIterator<Item = &'a Project>) -> Sums {
    let mut s = Sums::default();
    for p in projects.into_iter().filter(|p| p.parent_id.is_none()) {
        s.projects += 1;
        if p.status == Status::Cancelled {
            s.cancelled += 1;
        }
        add(&mut s.initial_yen, snap.amount(&p.id, machi_domain::Phase::Initial));
        add(&mut s.last_budget_yen, snap.last_budget(&p.id));
        add(&mut s.settled_yen, snap.amount(&p.id, machi_domain::Phase::Settled));
    }
    s.execution_rate_initial = rate(s.settled_yen, s.initial_yen);
    s.execution_rate_last = rate(s.settled_yen, s.last_budget_yen);
    s.unspent_yen = match (s.last_budget_yen, s.settled_yen) {
        (Some(b), Some(d)) => Some(b - d),
        _ => None,
    };
    s
}

/// The fiscal year of a stated total: its document's year.
pub(crate) fn total_year(snap: &Snapshot, document_id: &str) -> Option<i32> {
    snap.document(document_id).and_then(|d| d.fiscal_year).map(|y| y.year())
}

pub(crate) fn year_label(y: Option<i32>) -> String {
    match y.and_then(machi_domain::FiscalYear::new) {
        Some(fy) => fy.display_both(),
        None => "年度不明".into(),
    }
}

pub(crate) fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) fn area_url(area: &str, year: Option<i32>) -> String {
    format!("/areas/{}/{}", enc(area), year.map(|y| y.to_string()).unwrap_or_else(|| "unknown".into()))
}

/// Every (municipality, area, year) with projects, in ledger order, with its sums.
pub(crate) fn area_years(snap: &Snapshot) -> Vec<AreaYear> {
    let mut keys: Vec<(String, String, Option<i32>)> = Vec::new();
    for p in &snap.ledger.projects {
        let k = (p.municipality.clone(), p.area.clone(), p.fiscal_year.map(|y| y.year()));
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(m, a, y)| {
            let ps = snap
                .ledger
                .projects
                .iter()
                .filter(|p| p.municipality == m && p.area == a && p.fiscal_year.map(|f| f.year()) == y);
            let mut sums = sums(snap, ps);
            for c in &snap.checks {
                if c.total.area == a && total_year(snap, &c.total.document_id) == y {
                    match c.status {
                        TotalStatus::Match | TotalStatus::Rounding => sums.totals_ok += 1,
                        _ => sums.totals_ng += 1,
                    }
                }
            }
            AreaYear {
                url: area_url(&a, y),
                municipality: m,
                area: a,
                fiscal_year: y,
                fiscal_year_label: year_label(y),
                sums,
            }
        })
        .collect()
}

/// The English column header of a phase.
pub(crate) fn phase_en(p: machi_domain::Phase) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match p {
        machi_domain::Phase::Initial => "Initial budget".into(),
        machi_domain::Phase::Revised { month } => {
            format!("After {} revision", MONTHS.get(month as usize - 1).copied().unwrap_or("?"))
        }
        machi_domain::Phase::Settled => "Settled".into(),
    }
}

/// 千円 for a CSV cell: empty when there is no value.
pub(crate) fn sen_opt(y: Option<i64>) -> String {
    y.map(|y| crate::render::sen(Some(y))).unwrap_or_default()
}

//! Plans and KPIs `/plans`: each plan's policy tree (vision → policies → measures, and themes), the KPIs
//! under their measure with baseline, target, latest value and progress (from
//! `machi_analysis::progress`), and the actions with their status and years.

use axum::extract::State;
use axum::response::Response;
use machi_analysis::progress::{all_kpi_progress, KpiProgress};
use machi_domain::KpiValue;
use serde::Serialize;

use crate::figures::enc;
use crate::render::{respond, Lang, Page, ReqInfo, Table};
use crate::state::Snapshot;
use crate::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct PlansPage {
    pub documents: Vec<PlanDoc>,
    pub kpis: Vec<KpiRow>,
}

#[derive(Serialize)]
pub(crate) struct PlanDoc {
    pub document_id: String,
    pub title: String,
    pub url: String,
    pub nodes: Vec<NodeRow>,
}

/// A policy node, flattened with its depth so the template needs no recursion.
#[derive(Serialize)]
pub(crate) struct NodeRow {
    pub policy_id: String,
    pub kind: String,
    pub code: String,
    pub title: String,
    pub stated_amount_yen: Option<i64>,
    pub depth: usize,
    pub kpis: Vec<KpiRow>,
    pub actions: Vec<ActionRow>,
}

/// A KPI and its progress. Values are as printed: numbers or categories (`未設置`).
#[derive(Serialize, Clone)]
pub(crate) struct KpiRow {
    pub kpi_id: String,
    pub policy_id: Option<String>,
    pub indicator: String,
    pub unit: String,
    pub kind: String,
    pub baseline_year: Option<i32>,
    pub baseline_value: Option<String>,
    pub target_year: Option<i32>,
    pub target_value: Option<String>,
    pub latest_year: Option<i32>,
    pub latest_value: Option<String>,
    /// Progress from baseline to target, percent, clamped to 0–100 for the bar (`progress_raw` is not).
    pub progress_pct: Option<f64>,
    pub progress_raw: Option<f64>,
    pub status: String,
    pub stale: bool,
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ActionRow {
    pub action_id: String,
    pub number: String,
    pub description: String,
    pub department: String,
    pub status: String,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub record: String,
}

fn val(v: &Option<KpiValue>) -> Option<String> {
    v.as_ref().map(|v| v.to_string())
}

pub(crate) fn kpi_row(p: &KpiProgress) -> KpiRow {
    KpiRow {
        kpi_id: p.kpi_id.clone(),
        policy_id: p.policy_id.clone(),
        indicator: p.indicator.clone(),
        unit: p.unit.clone(),
        kind: serde_json::to_value(p.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        baseline_year: p.baseline_year.map(|y| y.year()),
        baseline_value: val(&p.baseline),
        target_year: p.target_year.map(|y| y.year()),
        target_value: val(&p.target),
        latest_year: p.latest_year.map(|y| y.year()),
        latest_value: val(&p.latest),
        progress_pct: p.progress.map(|f| (f * 100.0).clamp(0.0, 100.0).round()),
        progress_raw: p.progress.map(|f| (f * 1000.0).round() / 10.0),
        status: p.status.code().into(),
        stale: p.stale,
        notes: p.notes.clone(),
    }
}

/// Every KPI's progress, in ledger order.
pub(crate) fn kpi_rows(snap: &Snapshot) -> Vec<KpiRow> {
    all_kpi_progress(&snap.ledger).iter().map(kpi_row).collect()
}

impl Page for PlansPage {
    const TEMPLATE: &'static str = "plans.html";
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => "計画と目標値（KPI）".into(),
            Lang::En => "Plans and KPIs".into(),
        }
    }
    fn table(&self) -> Option<Table> {
        let headers = [
            "kpi_id",
            "indicator",
            "unit",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "latest_year",
            "latest_value",
            "progress_pct",
            "status",
        ];
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let y = |v: Option<i32>| v.map(|y| y.to_string()).unwrap_or_default();
        Some(Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: self
                .kpis
                .iter()
                .map(|k| {
                    vec![
                        k.kpi_id.clone(),
                        k.indicator.clone(),
                        k.unit.clone(),
                        y(k.baseline_year),
                        o(&k.baseline_value),
                        y(k.target_year),
                        o(&k.target_value),
                        y(k.latest_year),
                        o(&k.latest_value),
                        k.progress_raw.map(|f| format!("{f:.1}")).unwrap_or_default(),
                        k.status.clone(),
                    ]
                })
                .collect(),
        })
    }
}

pub(crate) async fn page(State(state): State<AppState>, info: ReqInfo) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let kpis = kpi_rows(&snap);
    let l = &snap.ledger;
    let mut documents = Vec::new();
    for d in &l.documents {
        let nodes_of_doc: Vec<&machi_domain::PolicyNode> =
            l.policies.iter().filter(|p| p.document_id == d.id).collect();
        let doc_kpis: Vec<&KpiRow> =
            kpis.iter().filter(|k| l.kpis.iter().any(|x| x.id == k.kpi_id && x.document_id == d.id)).collect();
        if nodes_of_doc.is_empty() && doc_kpis.is_empty() {
            continue;
        }
        let mut nodes = Vec::new();
        // Depth-first from the roots, in document order; a guard stops a cycle in bad data.
        fn walk<'a>(
            all: &[&'a machi_domain::PolicyNode],
            parent: Option<&str>,
            depth: usize,
            out: &mut Vec<(&'a machi_domain::PolicyNode, usize)>,
        ) {
            if depth > 16 {
                return;
            }
            for n in all.iter().filter(|n| n.parent_id.as_deref() == parent) {
                out.push((n, depth));
                walk(all, Some(&n.id), depth + 1, out);
            }
        }
        let mut flat = Vec::new();
        walk(&nodes_of_doc, None, 0, &mut flat);
        // Nodes whose parent is missing still show, at the top level.
        for n in &nodes_of_doc {
            if !flat.iter().any(|(f, _)| f.id == n.id) {
                flat.push((n, 0));
            }
        }
        for (n, depth) in flat {
            nodes.push(NodeRow {
                policy_id: n.id.clone(),
                kind: n.kind.code().into(),
                code: n.code.clone(),
                title: n.title.clone(),
                stated_amount_yen: n.stated_amount.map(|y| y.get()),
                depth,
                kpis: kpis.iter().filter(|k| k.policy_id.as_deref() == Some(n.id.as_str())).cloned().collect(),
                actions: l
                    .actions
                    .iter()
                    .filter(|a| a.policy_id.as_deref() == Some(n.id.as_str()))
                    .map(|a| ActionRow {
                        action_id: a.id.clone(),
                        number: a.number.clone(),
                        description: a.description.clone(),
                        department: a.department.clone(),
                        status: a.status.code().into(),
                        first_year: a.first_year.map(|y| y.year()),
                        last_year: a.last_year.map(|y| y.year()),
                        record: a.record.clone(),
                    })
                    .collect(),
            });
        }
        documents.push(PlanDoc {
            document_id: d.id.clone(),
            title: d.title.clone(),
            url: format!("/documents/{}", enc(&d.id)),
            nodes,
        });
    }
    respond(&state, &info, &PlansPage { documents, kpis })
}

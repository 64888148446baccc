//! Overview `/`: the municipalities, fiscal years and areas in the ledger, and per area and year the money
//! (initial, last revised, settled, execution rates, unspent), project counts and reconciliation verdicts.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use crate::figures::{area_years, year_label, AreaYear};
use crate::render::{respond, sen, Lang, Page, ReqInfo, Table};
use crate::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct OverviewPage {
    pub municipalities: Vec<String>,
    pub fiscal_years: Vec<YearRef>,
    pub areas: Vec<String>,
    pub rows: Vec<AreaYear>,
    pub documents: usize,
    pub projects: usize,
}

#[derive(Serialize)]
pub(crate) struct YearRef {
    pub year: i32,
    pub label: String,
}

impl Page for OverviewPage {
    const TEMPLATE: &'static str = "overview.html";
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => "まちづくり予算の一覧".into(),
            Lang::En => "Community-development budgets: overview".into(),
        }
    }
    fn table(&self) -> Option<Table> {
        let headers = [
            "municipality",
            "area",
            "fiscal_year",
            "initial_thousand_yen",
            "last_budget_thousand_yen",
            "settled_thousand_yen",
            "execution_rate_initial_pct",
            "execution_rate_last_pct",
            "projects",
            "cancelled",
            "unspent_thousand_yen",
            "totals_ok",
            "totals_ng",
        ];
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let s = &r.sums;
                vec![
                    r.municipality.clone(),
                    r.area.clone(),
                    r.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
                    sen(s.initial_yen),
                    sen(s.last_budget_yen),
                    sen(s.settled_yen),
                    s.execution_rate_initial.map(|f| format!("{f:.1}")).unwrap_or_default(),
                    s.execution_rate_last.map(|f| format!("{f:.1}")).unwrap_or_default(),
                    s.projects.to_string(),
                    s.cancelled.to_string(),
                    sen(s.unspent_yen),
                    s.totals_ok.to_string(),
                    s.totals_ng.to_string(),
                ]
            })
            .collect();
        Some(Table { headers: headers.iter().map(|s| s.to_string()).collect(), rows })
    }
}

pub(crate) async fn page(State(state): State<AppState>, info: ReqInfo) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let rows = area_years(&snap);
    let mut municipalities: Vec<String> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut areas: Vec<String> = Vec::new();
    for r in &rows {
        if !municipalities.contains(&r.municipality) {
            municipalities.push(r.municipality.clone());
        }
        if let Some(y) = r.fiscal_year {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        if !areas.contains(&r.area) {
            areas.push(r.area.clone());
        }
    }
    years.sort_unstable();
    let page = OverviewPage {
        municipalities,
        fiscal_years: years.into_iter().map(|y| YearRef { year: y, label: year_label(Some(y)) }).collect(),
        areas,
        rows,
        documents: snap.ledger.documents.len(),
        projects: snap.ledger.projects.len(),
    };
    respond(&state, &info, &page)
}

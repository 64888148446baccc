//! Compare `/compare?year=2020` (areas side by side for a year) and `/compare?area=北区` (years side by side
//! for an area), as a table and a chart. With neither, the page offers the choices.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::chart::{k, Chart, Dataset};
use crate::figures::{area_years, sen_opt, AreaYear};
use crate::render::{respond, Lang, Page, ReqInfo, Table};
use crate::views::parse_opt;
use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
pub(crate) struct CompareQuery {
    pub year: Option<String>,
    pub area: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ComparePage {
    /// `year`, `area`, or `choose`.
    pub mode: &'static str,
    pub year: Option<i32>,
    pub area: Option<String>,
    pub rows: Vec<AreaYear>,
    pub years: Vec<i32>,
    pub areas: Vec<String>,
    pub chart: Option<Chart>,
}

impl Page for ComparePage {
    const TEMPLATE: &'static str = "compare.html";
    fn title(&self, lang: Lang) -> String {
        match (lang, self.mode) {
            (Lang::Ja, "year") => format!("{}年度の区の比較", self.year.unwrap_or_default()),
            (Lang::Ja, "area") => format!("{}の年度比較", self.area.clone().unwrap_or_default()),
            (Lang::Ja, _) => "比較".into(),
            (Lang::En, "year") => format!("Areas compared, FY{}", self.year.unwrap_or_default()),
            (Lang::En, "area") => format!("{}: years compared", self.area.clone().unwrap_or_default()),
            (Lang::En, _) => "Compare".into(),
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
            "execution_rate_last_pct",
            "projects",
            "cancelled",
            "unspent_thousand_yen",
        ];
        Some(Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.municipality.clone(),
                        r.area.clone(),
                        r.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
                        sen_opt(r.sums.initial_yen),
                        sen_opt(r.sums.last_budget_yen),
                        sen_opt(r.sums.settled_yen),
                        r.sums.execution_rate_last.map(|f| format!("{f:.1}")).unwrap_or_default(),
                        r.sums.projects.to_string(),
                        r.sums.cancelled.to_string(),
                        sen_opt(r.sums.unspent_yen),
                    ]
                })
                .collect(),
        })
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    info: ReqInfo,
    Query(q): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let year: Option<i32> = parse_opt("year", &q.year)?;
    let area = q.area.filter(|a| !a.trim().is_empty());
    let snap = state.snapshot().await?;
    let all = area_years(&snap);
    let mut years: Vec<i32> = all.iter().filter_map(|r| r.fiscal_year).collect();
    years.sort_unstable();
    years.dedup();
    let mut areas: Vec<String> = Vec::new();
    for r in &all {
        if !areas.contains(&r.area) {
            areas.push(r.area.clone());
        }
    }
    let (mode, mut rows): (&'static str, Vec<AreaYear>) = match (&year, &area) {
        (Some(y), Some(a)) => ("year", all.into_iter().filter(|r| r.fiscal_year == Some(*y) && &r.area == a).collect()),
        (Some(y), None) => ("year", all.into_iter().filter(|r| r.fiscal_year == Some(*y)).collect()),
        (None, Some(a)) => ("area", all.into_iter().filter(|r| &r.area == a).collect()),
        (None, None) => ("choose", Vec::new()),
    };
    if mode == "area" {
        rows.sort_by_key(|r| r.fiscal_year);
    }
    let chart = (!rows.is_empty()).then(|| Chart {
        id: "chart-compare".into(),
        kind: "bar",
        labels: rows
            .iter()
            .map(|r| if mode == "area" { r.fiscal_year_label.clone() } else { r.area.clone() })
            .collect(),
        datasets: vec![
            Dataset { label: "当初予算".into(), data: rows.iter().map(|r| k(r.sums.initial_yen)).collect() },
            Dataset { label: "最終予算".into(), data: rows.iter().map(|r| k(r.sums.last_budget_yen)).collect() },
            Dataset { label: "決算額".into(), data: rows.iter().map(|r| k(r.sums.settled_yen)).collect() },
        ],
        y_label: "千円".into(),
        horizontal: false,
    });
    respond(&state, &info, &ComparePage { mode, year, area, rows, years, areas, chart })
}

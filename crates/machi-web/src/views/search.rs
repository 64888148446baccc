//! Search `/search?q=...`: hits over projects, policies, KPIs and actions (see `crate::search`), with
//! filters by year, area, fund and status, and the matched words highlighted (escaped by the template).

use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::render::{respond, Lang, Page, ReqInfo, Table};
use crate::search::Segment;
use crate::state::Snapshot;
use crate::views::parse_opt;
use crate::{AppError, AppState};

/// Longest query accepted, in characters.
pub(crate) const MAX_QUERY: usize = 200;
/// Most hits listed on one page.
const MAX_HITS: usize = 200;

#[derive(Deserialize, Default, Debug)]
pub(crate) struct SearchQuery {
    pub q: Option<String>,
    pub year: Option<String>,
    pub area: Option<String>,
    pub fund: Option<String>,
    pub status: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct SearchPage {
    pub q: String,
    pub year: Option<i32>,
    pub area: Option<String>,
    pub fund: Option<String>,
    pub status: Option<String>,
    pub total: usize,
    pub hits: Vec<HitView>,
    pub years: Vec<i32>,
    pub areas: Vec<String>,
    pub funds: Vec<String>,
    pub statuses: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct HitView {
    pub kind: String,
    pub id: String,
    pub url: String,
    pub title: Vec<Segment>,
    pub text: Vec<Segment>,
    pub fiscal_year: Option<i32>,
    pub area: String,
    pub fund: String,
    pub status: String,
}

impl Page for SearchPage {
    const TEMPLATE: &'static str = "search.html";
    fn title(&self, lang: Lang) -> String {
        match (lang, self.q.is_empty()) {
            (Lang::Ja, true) => "検索".into(),
            (Lang::Ja, false) => format!("「{}」の検索結果", self.q),
            (Lang::En, true) => "Search".into(),
            (Lang::En, false) => format!("Search: {}", self.q),
        }
    }
    fn table(&self) -> Option<Table> {
        let join = |s: &[Segment]| s.iter().map(|x| x.text.as_str()).collect::<String>();
        Some(Table {
            headers: ["kind", "id", "title", "text", "fiscal_year", "area", "fund", "status"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: self
                .hits
                .iter()
                .map(|h| {
                    vec![
                        h.kind.clone(),
                        h.id.clone(),
                        join(&h.title),
                        join(&h.text),
                        h.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
                        h.area.clone(),
                        h.fund.clone(),
                        h.status.clone(),
                    ]
                })
                .collect(),
        })
    }
}

/// Run a search against the snapshot (shared with the API).
pub(crate) fn run(snap: &Snapshot, q: &SearchQuery) -> Result<SearchPage, AppError> {
    let text = q.q.clone().unwrap_or_default();
    if text.chars().count() > MAX_QUERY {
        return Err(AppError::BadRequest(format!("q is longer than {MAX_QUERY} characters")));
    }
    let year: Option<i32> = parse_opt("year", &q.year)?;
    let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let (area, fund, status) = (nonempty(&q.area), nonempty(&q.fund), nonempty(&q.status));
    if let Some(s) = &status {
        if machi_domain::Status::parse(s).is_none() {
            return Err(AppError::BadRequest(format!("status={s:?}")));
        }
    }
    let hits = snap.search.search(&text, |e| {
        year.is_none_or(|y| e.fiscal_year == Some(y))
            && area.as_ref().is_none_or(|a| &e.area == a)
            && fund.as_ref().is_none_or(|f| &e.fund == f)
            && status.as_ref().is_none_or(|s| &e.status == s)
    });
    let total = hits.len();
    let hits = hits
        .into_iter()
        .take(MAX_HITS)
        .map(|h| HitView {
            kind: serde_json::to_value(h.entry.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            id: h.entry.id.clone(),
            url: h.entry.url.clone(),
            title: h.title,
            text: h.body,
            fiscal_year: h.entry.fiscal_year,
            area: h.entry.area.clone(),
            fund: h.entry.fund.clone(),
            status: h.entry.status.clone(),
        })
        .collect();
    let l = &snap.ledger;
    let mut years: Vec<i32> = l.projects.iter().filter_map(|p| p.fiscal_year.map(|y| y.year())).collect();
    years.sort_unstable();
    years.dedup();
    let mut areas: Vec<String> = Vec::new();
    let mut funds: Vec<String> = Vec::new();
    for p in &l.projects {
        if !areas.contains(&p.area) {
            areas.push(p.area.clone());
        }
        if !p.fund.is_empty() && !funds.contains(&p.fund) {
            funds.push(p.fund.clone());
        }
    }
    Ok(SearchPage {
        q: text,
        year,
        area,
        fund,
        status,
        total,
        hits,
        years,
        areas,
        funds,
        statuses: machi_domain::Status::ALL.iter().map(|s| s.code()).collect(),
    })
}

pub(crate) async fn page(
    State(state): State<AppState>,
    info: ReqInfo,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let page = run(&snap, &q)?;
    respond(&state, &info, &page)
}

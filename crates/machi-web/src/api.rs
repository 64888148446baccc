//! The JSON API under `/api/v1/`. Its response structs are the API's own format — stable snake_case
//! names, amounts in whole yen in `*_yen` fields, fiscal years as western years — and are never domain
//! types, so the domain can change without breaking clients. `crate::openapi` describes every route.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use machi_domain::{Project, TotalStatus};
use serde::{Deserialize, Serialize};

use crate::figures::{area_years, Sums};
use crate::lineage::{lineage, LineageMatch};
use crate::render::json;
use crate::state::Snapshot;
use crate::views::parse_opt;
use crate::views::plans::{kpi_rows, KpiRow};
use crate::views::search::{run as run_search, SearchQuery};
use crate::{AppError, AppState};

/// Largest page size; also the default.
pub(crate) const MAX_LIMIT: usize = 500;

#[derive(Serialize)]
pub(crate) struct AreasResponse {
    pub areas: Vec<ApiArea>,
}

#[derive(Serialize)]
pub(crate) struct ApiArea {
    pub area_id: Option<String>,
    pub municipality: String,
    pub name: String,
    pub kind: Option<String>,
    pub lg_code: Option<String>,
    pub years: Vec<ApiAreaYear>,
}

#[derive(Serialize)]
pub(crate) struct ApiAreaYear {
    pub fiscal_year: Option<i32>,
    #[serde(flatten)]
    pub sums: Sums,
}

#[derive(Serialize)]
pub(crate) struct ApiAmount {
    pub project_id: String,
    pub phase: String,
    pub amount_yen: Option<i64>,
    pub source_line: Option<u32>,
}

#[derive(Serialize)]
pub(crate) struct ApiProject {
    pub project_id: String,
    pub document_id: String,
    pub parent_project_id: Option<String>,
    pub municipality: String,
    pub area: String,
    pub fiscal_year: Option<i32>,
    pub fund: String,
    pub pillar: String,
    pub number: String,
    pub name: String,
    pub description: String,
    pub is_new: bool,
    pub status: String,
    pub status_note: String,
    pub department: String,
    pub tags: Vec<String>,
    pub source_line: Option<u32>,
    pub amounts: Vec<ApiAmount>,
}

#[derive(Serialize)]
pub(crate) struct Paged<T> {
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    pub items: Vec<T>,
}

#[derive(Serialize)]
pub(crate) struct ProjectResponse {
    pub project: ApiProject,
    pub line_items: Vec<ApiProject>,
    pub lineage: Vec<LineageMatch>,
}

#[derive(Serialize)]
pub(crate) struct ApiTotal {
    pub document_id: String,
    pub area: String,
    pub fiscal_year: Option<i32>,
    pub scope_kind: String,
    pub scope: String,
    pub phase: String,
    pub stated_yen: Option<i64>,
    pub computed_yen: i64,
    pub difference_yen: Option<i64>,
    pub status: String,
    pub ok: bool,
    pub source_line: Option<u32>,
}

#[derive(Serialize)]
pub(crate) struct ItemsResponse<T> {
    pub items: Vec<T>,
}

#[derive(Serialize)]
pub(crate) struct ApiSearch {
    pub query: String,
    pub total: usize,
    pub items: Vec<ApiHit>,
}

#[derive(Serialize)]
pub(crate) struct ApiHit {
    pub kind: String,
    pub id: String,
    pub url: String,
    pub title: String,
    pub text: String,
    pub fiscal_year: Option<i32>,
    pub area: String,
}

/// Filters of `/api/v1/projects` and `/api/v1/amounts`.
#[derive(Deserialize, Default)]
pub(crate) struct ProjectQuery {
    pub municipality: Option<String>,
    pub area: Option<String>,
    pub year: Option<String>,
    pub fund: Option<String>,
    pub status: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

fn api_project(snap: &Snapshot, p: &Project) -> ApiProject {
    ApiProject {
        project_id: p.id.clone(),
        document_id: p.document_id.clone(),
        parent_project_id: p.parent_id.clone(),
        municipality: p.municipality.clone(),
        area: p.area.clone(),
        fiscal_year: p.fiscal_year.map(|y| y.year()),
        fund: p.fund.clone(),
        pillar: p.pillar.clone(),
        number: p.number.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        is_new: p.is_new,
        status: p.status.code().into(),
        status_note: p.status_note.clone(),
        department: p.department.clone(),
        tags: p.tags.clone(),
        source_line: p.source_line,
        amounts: snap
            .amounts_of(&p.id)
            .iter()
            .map(|a| ApiAmount {
                project_id: p.id.clone(),
                phase: a.phase.code(),
                amount_yen: a.amount.map(|y| y.get()),
                source_line: a.source_line,
            })
            .collect(),
    }
}

/// The projects a query selects (top-level and line items alike), with limit and offset.
fn select<'a>(snap: &'a Snapshot, q: &ProjectQuery) -> Result<(Vec<&'a Project>, usize, usize), AppError> {
    let year: Option<i32> = parse_opt("year", &q.year)?;
    let limit: usize = parse_opt::<usize>("limit", &q.limit)?.unwrap_or(MAX_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::BadRequest(format!("limit must be 1..={MAX_LIMIT}")));
    }
    let offset: usize = parse_opt("offset", &q.offset)?.unwrap_or(0);
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(machi_domain::Status::parse(s).ok_or_else(|| AppError::BadRequest(format!("status={s:?}")))?),
        None => None,
    };
    let f = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    let (m, a, fund) = (f(&q.municipality), f(&q.area), f(&q.fund));
    let all: Vec<&Project> = snap
        .ledger
        .projects
        .iter()
        .filter(|p| m.as_ref().is_none_or(|m| &p.municipality == m))
        .filter(|p| a.as_ref().is_none_or(|a| &p.area == a))
        .filter(|p| year.is_none_or(|y| p.fiscal_year.map(|f| f.year()) == Some(y)))
        .filter(|p| fund.as_ref().is_none_or(|x| &p.fund == x))
        .filter(|p| status.is_none_or(|s| p.status == s))
        .collect();
    Ok((all, limit, offset))
}

pub(crate) async fn projects(
    State(state): State<AppState>,
    Query(q): Query<ProjectQuery>,
) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let (all, limit, offset) = select(&snap, &q)?;
    let items = all.iter().skip(offset).take(limit).map(|p| api_project(&snap, p)).collect();
    json(&Paged { total: all.len(), limit, offset, items })
}

pub(crate) async fn amounts(
    State(state): State<AppState>,
    Query(q): Query<ProjectQuery>,
) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let (all, limit, offset) = select(&snap, &q)?;
    let rows: Vec<ApiAmount> = all.iter().flat_map(|p| api_project(&snap, p).amounts).collect();
    let total = rows.len();
    let items = rows.into_iter().skip(offset).take(limit).collect();
    json(&Paged { total, limit, offset, items })
}

pub(crate) async fn project(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let p = snap.project(&id).ok_or_else(|| AppError::NotFound(format!("project {id}")))?;
    let line_items = snap
        .ledger
        .projects
        .iter()
        .filter(|c| c.parent_id.as_deref() == Some(id.as_str()))
        .map(|c| api_project(&snap, c))
        .collect();
    json(&ProjectResponse { project: api_project(&snap, p), line_items, lineage: lineage(&snap.ledger.projects, p) })
}

pub(crate) async fn areas(State(state): State<AppState>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let mut out: Vec<ApiArea> = Vec::new();
    for ay in area_years(&snap) {
        let i = match out.iter().position(|a| a.municipality == ay.municipality && a.name == ay.area) {
            Some(i) => i,
            None => {
                let known = snap.ledger.areas.iter().find(|a| a.name == ay.area && a.municipality == ay.municipality);
                out.push(ApiArea {
                    area_id: known.map(|a| a.id.clone()),
                    municipality: ay.municipality.clone(),
                    name: ay.area.clone(),
                    kind: known.map(|a| a.kind.code().to_string()),
                    lg_code: known.and_then(|a| a.lg_code).map(|c| c.as_str().to_string()),
                    years: vec![],
                });
                out.len() - 1
            }
        };
        out[i].years.push(ApiAreaYear { fiscal_year: ay.fiscal_year, sums: ay.sums });
    }
    json(&AreasResponse { areas: out })
}

#[derive(Deserialize, Default)]
pub(crate) struct TotalsQuery {
    pub area: Option<String>,
    pub year: Option<String>,
}

pub(crate) async fn totals(State(state): State<AppState>, Query(q): Query<TotalsQuery>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let year: Option<i32> = parse_opt("year", &q.year)?;
    let items = snap
        .checks
        .iter()
        .map(|c| (c, crate::figures::total_year(&snap, &c.total.document_id)))
        .filter(|(c, _)| q.area.as_ref().filter(|a| !a.is_empty()).is_none_or(|a| &c.total.area == a))
        .filter(|(_, y)| year.is_none_or(|yy| *y == Some(yy)))
        .map(|(c, y)| ApiTotal {
            document_id: c.total.document_id.clone(),
            area: c.total.area.clone(),
            fiscal_year: y,
            scope_kind: c.total.scope_kind.code().into(),
            scope: c.total.scope.clone(),
            phase: c.total.phase.code(),
            stated_yen: c.total.stated.map(|y| y.get()),
            computed_yen: c.computed.get(),
            difference_yen: c.difference,
            status: c.status.code().into(),
            ok: matches!(c.status, TotalStatus::Match | TotalStatus::Rounding),
            source_line: c.total.source_line,
        })
        .collect();
    json(&ItemsResponse { items })
}

pub(crate) async fn kpis(State(state): State<AppState>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let items: Vec<KpiRow> = kpi_rows(&snap);
    json(&ItemsResponse { items })
}

pub(crate) async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let page = run_search(&snap, &q)?;
    let join = |s: &[crate::search::Segment]| s.iter().map(|x| x.text.as_str()).collect::<String>();
    let items = page
        .hits
        .iter()
        .map(|h| ApiHit {
            kind: h.kind.clone(),
            id: h.id.clone(),
            url: h.url.clone(),
            title: join(&h.title),
            text: join(&h.text),
            fiscal_year: h.fiscal_year,
            area: h.area.clone(),
        })
        .collect();
    json(&ApiSearch { query: page.q, total: page.total, items })
}

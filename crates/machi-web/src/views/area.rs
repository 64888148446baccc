//! Area sheet `/areas/{area}/{year}`: one area's projects in one fiscal year, in the layout of the
//! published tables — grouped by fund and pillar, amounts per phase in 千円, execution rate, status — with
//! each stated total checked (✓/✗ and the difference) and a chart of budget against settlement.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use machi_domain::{Phase, ScopeKind, TotalStatus};
use serde::{Deserialize, Serialize};

use crate::chart::{k, Chart, Dataset};
use crate::figures::{area_url, enc, phase_en, rate, sums, total_year, year_label, Sums};
use crate::render::{respond, sen, Lang, Page, ReqInfo, Table};
use crate::state::Snapshot;
use crate::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct AreaPage {
    pub municipality: String,
    pub area: String,
    pub fiscal_year: i32,
    pub fiscal_year_label: String,
    pub phases: Vec<PhaseCol>,
    pub funds: Vec<FundGroup>,
    pub other_totals: Vec<TotalRow>,
    pub summary: Sums,
    pub chart: Chart,
    pub other_years: Vec<YearLink>,
    pub documents: Vec<DocLink>,
}

#[derive(Serialize, Clone)]
pub(crate) struct PhaseCol {
    pub code: String,
    pub label: String,
    pub label_en: String,
}

#[derive(Serialize)]
pub(crate) struct FundGroup {
    pub fund: String,
    pub pillars: Vec<PillarGroup>,
    pub totals: Vec<TotalRow>,
}

#[derive(Serialize)]
pub(crate) struct PillarGroup {
    pub pillar: String,
    pub rows: Vec<SheetRow>,
    pub totals: Vec<TotalRow>,
}

/// One project row of the sheet.
#[derive(Serialize, Clone)]
pub(crate) struct SheetRow {
    pub project_id: String,
    pub url: String,
    pub number: String,
    pub name: String,
    pub is_new: bool,
    pub description: String,
    /// One cell per column of `phases`: yen, or null for no value/no row.
    pub amounts: Vec<Option<i64>>,
    /// settled ÷ last budget, percent.
    pub execution_rate: Option<f64>,
    pub status: String,
    pub status_note: String,
    pub tags: Vec<String>,
    /// 0 for a project, 1 for a line item of the row above.
    pub depth: u8,
    pub source_line: Option<u32>,
}

/// A stated total, one cell per phase column.
#[derive(Serialize)]
pub(crate) struct TotalRow {
    pub scope_kind: String,
    pub scope: String,
    pub cells: Vec<Option<TotalCell>>,
    pub ok: bool,
}

#[derive(Serialize)]
pub(crate) struct TotalCell {
    pub stated_yen: Option<i64>,
    pub computed_yen: i64,
    pub difference_yen: Option<i64>,
    pub status: String,
    /// `✓`, `✗` or `?` (incomplete).
    pub mark: &'static str,
    pub source_line: Option<u32>,
}

#[derive(Serialize)]
pub(crate) struct YearLink {
    pub year: i32,
    pub label: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct DocLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

impl Page for AreaPage {
    const TEMPLATE: &'static str = "area.html";
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!("{} {} まちづくり事業", self.area, self.fiscal_year_label),
            Lang::En => format!("{} FY{}: projects", self.area, self.fiscal_year),
        }
    }
    fn table(&self) -> Option<Table> {
        let mut headers: Vec<String> =
            ["fund", "pillar", "number", "name", "is_new", "description"].iter().map(|s| s.to_string()).collect();
        headers.extend(self.phases.iter().map(|p| format!("{}_thousand_yen", p.code)));
        headers.extend(["execution_rate_pct", "status", "status_note", "project_id"].iter().map(|s| s.to_string()));
        let mut rows = Vec::new();
        for f in &self.funds {
            for p in &f.pillars {
                for r in &p.rows {
                    let mut row = vec![
                        f.fund.clone(),
                        p.pillar.clone(),
                        r.number.clone(),
                        r.name.clone(),
                        r.is_new.to_string(),
                        r.description.clone(),
                    ];
                    row.extend(r.amounts.iter().map(|a| a.map(|y| sen(Some(y))).unwrap_or_default()));
                    row.push(r.execution_rate.map(|f| format!("{f:.1}")).unwrap_or_default());
                    row.push(r.status.clone());
                    row.push(r.status_note.clone());
                    row.push(r.project_id.clone());
                    rows.push(row);
                }
            }
        }
        Some(Table { headers, rows })
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct AreaQuery {
    pub municipality: Option<String>,
}

pub(crate) fn sheet_row(snap: &Snapshot, p: &machi_domain::Project, phases: &[Phase], depth: u8) -> SheetRow {
    let amounts = phases.iter().map(|ph| snap.amount(&p.id, *ph).flatten().map(|y| y.get())).collect();
    let settled = snap.amount(&p.id, Phase::Settled).map(|a| a.map(|y| y.get()).unwrap_or(0));
    let last = snap.last_budget(&p.id).map(|a| a.map(|y| y.get()).unwrap_or(0));
    SheetRow {
        project_id: p.id.clone(),
        url: format!("/projects/{}", enc(&p.id)),
        number: p.number.clone(),
        name: p.name.clone(),
        is_new: p.is_new,
        description: p.description.clone(),
        amounts,
        execution_rate: rate(settled, last),
        status: p.status.code().to_string(),
        status_note: p.status_note.clone(),
        tags: p.tags.clone(),
        depth,
        source_line: p.source_line,
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    info: ReqInfo,
    Path((area, year)): Path<(String, String)>,
    Query(q): Query<AreaQuery>,
) -> Result<Response, AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::BadRequest(format!("year {year:?}")))?;
    let snap = state.snapshot().await?;
    let in_area =
        |p: &&machi_domain::Project| p.area == area && q.municipality.as_deref().is_none_or(|m| p.municipality == m);
    let projects: Vec<&machi_domain::Project> =
        snap.ledger.projects.iter().filter(in_area).filter(|p| p.fiscal_year.map(|y| y.year()) == Some(year)).collect();
    if projects.is_empty() {
        return Err(AppError::NotFound(format!("{area} {year}")));
    }
    let municipality = projects[0].municipality.clone();
    let phases: Vec<Phase> = projects
        .iter()
        .flat_map(|p| snap.amounts_of(&p.id).iter().map(|a| a.phase))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let col = |ph: Phase| phases.iter().position(|x| *x == ph);
    let doc_ids: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for p in &projects {
            if !v.contains(&p.document_id) {
                v.push(p.document_id.clone());
            }
        }
        v
    };
    let checks: Vec<_> = snap
        .checks
        .iter()
        .filter(|c| c.total.area == area && doc_ids.contains(&c.total.document_id))
        .filter(|c| total_year(&snap, &c.total.document_id) == Some(year))
        .collect();
    // Group stated totals per (kind, scope), one cell per phase column.
    let total_rows = |kind: ScopeKind, scope: &str| -> Vec<TotalRow> {
        let mut cells: Vec<Option<TotalCell>> = phases.iter().map(|_| None).collect();
        let mut any = false;
        let mut ok = true;
        for c in checks.iter().filter(|c| c.total.scope_kind == kind && c.total.scope == scope) {
            if let Some(i) = col(c.total.phase) {
                let good = matches!(c.status, TotalStatus::Match | TotalStatus::Rounding);
                ok &= good;
                any = true;
                cells[i] = Some(TotalCell {
                    stated_yen: c.total.stated.map(|y| y.get()),
                    computed_yen: c.computed.get(),
                    difference_yen: c.difference,
                    status: c.status.code().to_string(),
                    mark: match c.status {
                        TotalStatus::Match | TotalStatus::Rounding => "✓",
                        TotalStatus::Mismatch => "✗",
                        TotalStatus::Incomplete => "?",
                    },
                    source_line: c.total.source_line,
                });
            }
        }
        if any {
            vec![TotalRow { scope_kind: kind.code().into(), scope: scope.into(), cells, ok }]
        } else {
            vec![]
        }
    };
    let mut funds: Vec<FundGroup> = Vec::new();
    for p in projects.iter().filter(|p| p.parent_id.is_none()) {
        let fi = match funds.iter().position(|f| f.fund == p.fund) {
            Some(i) => i,
            None => {
                funds.push(FundGroup {
                    fund: p.fund.clone(),
                    pillars: vec![],
                    totals: total_rows(ScopeKind::Fund, &p.fund),
                });
                funds.len() - 1
            }
        };
        let f = &mut funds[fi];
        let pi = match f.pillars.iter().position(|g| g.pillar == p.pillar) {
            Some(i) => i,
            None => {
                f.pillars.push(PillarGroup {
                    pillar: p.pillar.clone(),
                    rows: vec![],
                    totals: total_rows(ScopeKind::Pillar, &p.pillar),
                });
                f.pillars.len() - 1
            }
        };
        f.pillars[pi].rows.push(sheet_row(&snap, p, &phases, 0));
        for li in projects.iter().filter(|c| c.parent_id.as_deref() == Some(p.id.as_str())) {
            f.pillars[pi].rows.push(sheet_row(&snap, li, &phases, 1));
        }
    }
    let mut other_totals = total_rows(ScopeKind::Document, "");
    let mut seen_parent = BTreeSet::new();
    for c in checks.iter().filter(|c| c.total.scope_kind == ScopeKind::Project) {
        if seen_parent.insert(c.total.scope.clone()) {
            other_totals.extend(total_rows(ScopeKind::Project, &c.total.scope));
        }
    }
    let top: Vec<&&machi_domain::Project> = projects.iter().filter(|p| p.parent_id.is_none()).collect();
    let summary = sums(&snap, top.iter().map(|p| **p));
    let chart = Chart {
        id: "chart-area".into(),
        kind: "bar",
        labels: top.iter().map(|p| format!("{} {}", p.number, p.name)).collect(),
        datasets: vec![
            Dataset {
                label: "当初予算".into(),
                data: top.iter().map(|p| k(snap.amount(&p.id, Phase::Initial).flatten().map(|y| y.get()))).collect(),
            },
            Dataset {
                label: "最終予算".into(),
                data: top.iter().map(|p| k(snap.last_budget(&p.id).flatten().map(|y| y.get()))).collect(),
            },
            Dataset {
                label: "決算額".into(),
                data: top.iter().map(|p| k(snap.amount(&p.id, Phase::Settled).flatten().map(|y| y.get()))).collect(),
            },
        ],
        y_label: "千円".into(),
        horizontal: true,
    };
    let mut years: Vec<i32> = snap
        .ledger
        .projects
        .iter()
        .filter(in_area)
        .filter_map(|p| p.fiscal_year.map(|y| y.year()))
        .filter(|y| *y != year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    years.sort_unstable();
    let page = AreaPage {
        municipality,
        fiscal_year: year,
        fiscal_year_label: year_label(Some(year)),
        phases: phases
            .iter()
            .map(|p| PhaseCol { code: p.code(), label: p.label_ja(), label_en: phase_en(*p) })
            .collect(),
        funds,
        other_totals,
        summary,
        chart,
        other_years: years
            .into_iter()
            .map(|y| YearLink { year: y, label: year_label(Some(y)), url: area_url(&area, Some(y)) })
            .collect(),
        documents: doc_ids
            .iter()
            .filter_map(|id| snap.document(id))
            .map(|d| DocLink { id: d.id.clone(), title: d.title.clone(), url: format!("/documents/{}", enc(&d.id)) })
            .collect(),
        area,
    };
    respond(&state, &info, &page)
}

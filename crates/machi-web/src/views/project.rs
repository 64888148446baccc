//! Project `/projects/{id}`: every phase of the budget as a chart and a table (which revision changed it
//! by how much), its line items, the same project in other years (see `crate::lineage`), and where each
//! value was read: document and line. The store keeps no document text, so lines are shown as numbers.

use axum::extract::{Path, State};
use axum::response::Response;
use machi_domain::Phase;
use serde::Serialize;

use crate::chart::{k, Chart, Dataset};
use crate::figures::{area_url, enc, phase_en, rate, year_label};
use crate::lineage::{lineage, LineageMatch};
use crate::render::{respond, sen, Lang, Page, ReqInfo, Table};
use crate::views::area::{sheet_row, PhaseCol, SheetRow};
use crate::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct ProjectPage {
    pub project: ProjectView,
    pub document: DocRef,
    pub parent: Option<Link>,
    pub steps: Vec<Step>,
    pub execution_rate: Option<f64>,
    pub line_item_phases: Vec<PhaseCol>,
    pub line_items: Vec<SheetRow>,
    pub lineage: Vec<LineageMatch>,
    pub sources: Vec<Source>,
    /// The document's lines around the project's values, when the store kept the text (published-text
    /// imports do; interchange imports have none).
    pub source_text: Vec<SourceLine>,
    pub chart: Chart,
}

/// One line of the source document; `highlighted` when a value of this project was read from it.
#[derive(Serialize)]
pub(crate) struct SourceLine {
    pub line: u32,
    pub text: String,
    pub highlighted: bool,
}

/// Lines of context shown before the first and after the last value.
const CONTEXT_LINES: u32 = 2;

#[derive(Serialize)]
pub(crate) struct ProjectView {
    pub project_id: String,
    pub municipality: String,
    pub area: String,
    pub area_url: String,
    pub fiscal_year: Option<i32>,
    pub fiscal_year_label: String,
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
}

#[derive(Serialize)]
pub(crate) struct DocRef {
    pub id: String,
    pub title: String,
    pub source_name: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct Link {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// One phase of the budget and how it changed from the previous one.
#[derive(Serialize)]
pub(crate) struct Step {
    pub phase: String,
    pub label: String,
    pub label_en: String,
    pub amount_yen: Option<i64>,
    pub change_yen: Option<i64>,
    pub source_line: Option<u32>,
}

/// Where a value was read.
#[derive(Serialize)]
pub(crate) struct Source {
    pub what: String,
    pub value: String,
    pub document: String,
    pub line: Option<u32>,
}

impl Page for ProjectPage {
    const TEMPLATE: &'static str = "project.html";
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!("{}（{} {}）", self.project.name, self.project.area, self.project.fiscal_year_label),
            Lang::En => format!(
                "{} ({} FY{})",
                self.project.name,
                self.project.area,
                self.project.fiscal_year.map(|y| y.to_string()).unwrap_or_default()
            ),
        }
    }
    fn table(&self) -> Option<Table> {
        Some(Table {
            headers: ["phase", "label", "amount_thousand_yen", "change_thousand_yen", "source_line"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: self
                .steps
                .iter()
                .map(|s| {
                    vec![
                        s.phase.clone(),
                        s.label.clone(),
                        s.amount_yen.map(|y| sen(Some(y))).unwrap_or_default(),
                        s.change_yen.map(|y| sen(Some(y))).unwrap_or_default(),
                        s.source_line.map(|l| l.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        })
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    info: ReqInfo,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if id.len() > 200 {
        return Err(AppError::BadRequest("id too long".into()));
    }
    let snap = state.snapshot().await?;
    let lookup = id.clone();
    // The detail comes from the store (under its time limit); lineage needs every project, so it comes
    // from the snapshot.
    let detail = state
        .with_store(move |s| s.project(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("project {id}")))?;
    let p = &detail.row.project;
    let mut steps = Vec::new();
    let mut prev: Option<i64> = None;
    for a in &detail.row.amounts {
        let y = a.amount.map(|y| y.get());
        let change = match (prev, y) {
            (Some(p0), Some(v)) => Some(v - p0),
            _ => None,
        };
        if y.is_some() {
            prev = y;
        }
        steps.push(Step {
            phase: a.phase.code(),
            label: a.phase.label_ja(),
            label_en: phase_en(a.phase),
            amount_yen: y,
            change_yen: if a.phase == Phase::Initial { None } else { change },
            source_line: a.source_line,
        });
    }
    let settled =
        detail.row.amounts.iter().find(|a| a.phase == Phase::Settled).map(|a| a.amount.map(|y| y.get()).unwrap_or(0));
    let last = detail
        .row
        .amounts
        .iter()
        .filter(|a| a.phase != Phase::Settled)
        .max_by_key(|a| a.phase)
        .map(|a| a.amount.map(|y| y.get()).unwrap_or(0));
    let doc_name = detail.document.source_name.clone();
    let mut sources =
        vec![Source {
            what: "事業名".into(), value: p.name.clone(), document: doc_name.clone(), line: p.source_line
        }];
    for a in &detail.row.amounts {
        sources.push(Source {
            what: a.phase.label_ja(),
            value: sen(a.amount.map(|y| y.get())),
            document: doc_name.clone(),
            line: a.source_line,
        });
    }
    let value_lines: Vec<u32> = sources.iter().filter_map(|s| s.line).collect();
    let source_text = match (value_lines.iter().min(), value_lines.iter().max()) {
        (Some(&first), Some(&last)) if last - first < 200 => {
            let doc_id = detail.document.id.clone();
            let (from, to) = (first.saturating_sub(CONTEXT_LINES).max(1), last + CONTEXT_LINES);
            state
                .with_store(move |s| s.source_lines(&doc_id, from, to))
                .await?
                .into_iter()
                .map(|(line, text)| SourceLine { line, text, highlighted: value_lines.contains(&line) })
                .collect()
        }
        _ => Vec::new(),
    };
    let li_phases: Vec<Phase> = {
        let mut v: Vec<Phase> = detail.line_items.iter().flat_map(|r| r.amounts.iter().map(|a| a.phase)).collect();
        v.sort();
        v.dedup();
        v
    };
    let line_items = detail.line_items.iter().map(|r| sheet_row(&snap, &r.project, &li_phases, 0)).collect();
    let chart = Chart {
        id: "chart-project".into(),
        kind: "bar",
        labels: steps.iter().map(|s| s.label.clone()).collect(),
        datasets: vec![Dataset {
            label: "金額（千円）".into(), data: steps.iter().map(|s| k(s.amount_yen)).collect()
        }],
        y_label: "千円".into(),
        horizontal: false,
    };
    let year = p.fiscal_year.map(|y| y.year());
    let page = ProjectPage {
        project: ProjectView {
            project_id: p.id.clone(),
            municipality: p.municipality.clone(),
            area: p.area.clone(),
            area_url: area_url(&p.area, year),
            fiscal_year: year,
            fiscal_year_label: year_label(year),
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
        },
        document: DocRef {
            id: detail.document.id.clone(),
            title: detail.document.title.clone(),
            source_name: detail.document.source_name.clone(),
            url: format!("/documents/{}", enc(&detail.document.id)),
        },
        parent: detail.parent.as_ref().map(|pp| Link {
            id: pp.id.clone(),
            name: pp.name.clone(),
            url: format!("/projects/{}", enc(&pp.id)),
        }),
        steps,
        execution_rate: rate(settled, last),
        line_item_phases: li_phases
            .iter()
            .map(|p| PhaseCol { code: p.code(), label: p.label_ja(), label_en: phase_en(*p) })
            .collect(),
        line_items,
        lineage: lineage(&snap.ledger.projects, p),
        sources,
        source_text,
        chart,
    };
    respond(&state, &info, &page)
}

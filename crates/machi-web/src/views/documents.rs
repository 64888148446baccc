//! Documents `/documents` and `/documents/{id}`: every imported source, with what its import noticed
//! (diagnostics, by line) and what it brought (projects, totals, KPIs).

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;

use crate::figures::{enc, year_label};
use crate::render::{respond, Lang, Page, ReqInfo, Table};
use crate::state::Snapshot;
use crate::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct DocumentsPage {
    pub documents: Vec<DocSummary>,
}

#[derive(Serialize)]
pub(crate) struct DocSummary {
    pub document_id: String,
    pub url: String,
    pub title: String,
    pub municipality: String,
    pub fiscal_year: Option<i32>,
    pub fiscal_year_label: String,
    pub unit: Option<String>,
    pub source_name: String,
    pub source_sha256: String,
    pub imported_at: String,
    pub projects: usize,
    pub totals: usize,
    pub kpis: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Serialize)]
pub(crate) struct DocumentPage {
    pub document: DocSummary,
    pub diagnostics: Vec<DiagRow>,
    pub projects: Vec<ProjLink>,
}

#[derive(Serialize)]
pub(crate) struct DiagRow {
    pub line: Option<u32>,
    pub severity: String,
    pub code: String,
    pub message: String,
}

#[derive(Serialize)]
pub(crate) struct ProjLink {
    pub project_id: String,
    pub url: String,
    pub area: String,
    pub number: String,
    pub name: String,
    pub source_line: Option<u32>,
}

fn summary(snap: &Snapshot, d: &machi_domain::Document) -> DocSummary {
    let l = &snap.ledger;
    let diags = l.diagnostics.iter().filter(|x| x.document_id == d.id);
    let count = |s: machi_domain::Severity| diags.clone().filter(|x| x.severity == s).count();
    let y = d.fiscal_year.map(|y| y.year());
    DocSummary {
        document_id: d.id.clone(),
        url: format!("/documents/{}", enc(&d.id)),
        title: d.title.clone(),
        municipality: d.municipality.clone(),
        fiscal_year: y,
        fiscal_year_label: year_label(y),
        unit: d.unit.map(|u| u.code().to_string()),
        source_name: d.source_name.clone(),
        source_sha256: d.source_sha256.clone(),
        imported_at: d.imported_at.clone(),
        projects: l.projects.iter().filter(|p| p.document_id == d.id).count(),
        totals: l.totals.iter().filter(|p| p.document_id == d.id).count(),
        kpis: l.kpis.iter().filter(|p| p.document_id == d.id).count(),
        errors: count(machi_domain::Severity::Error),
        warnings: count(machi_domain::Severity::Warning),
        infos: count(machi_domain::Severity::Info),
    }
}

impl Page for DocumentsPage {
    const TEMPLATE: &'static str = "documents.html";
    fn title(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => "取り込んだ資料".into(),
            Lang::En => "Imported documents".into(),
        }
    }
    fn table(&self) -> Option<Table> {
        let headers = [
            "document_id",
            "title",
            "municipality",
            "fiscal_year",
            "source_name",
            "source_sha256",
            "imported_at",
            "projects",
            "errors",
            "warnings",
        ];
        Some(Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: self
                .documents
                .iter()
                .map(|d| {
                    vec![
                        d.document_id.clone(),
                        d.title.clone(),
                        d.municipality.clone(),
                        d.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
                        d.source_name.clone(),
                        d.source_sha256.clone(),
                        d.imported_at.clone(),
                        d.projects.to_string(),
                        d.errors.to_string(),
                        d.warnings.to_string(),
                    ]
                })
                .collect(),
        })
    }
}

impl Page for DocumentPage {
    const TEMPLATE: &'static str = "document.html";
    fn title(&self, _: Lang) -> String {
        self.document.title.clone()
    }
    fn table(&self) -> Option<Table> {
        Some(Table {
            headers: ["line", "severity", "code", "message"].iter().map(|s| s.to_string()).collect(),
            rows: self
                .diagnostics
                .iter()
                .map(|d| {
                    vec![
                        d.line.map(|l| l.to_string()).unwrap_or_default(),
                        d.severity.clone(),
                        d.code.clone(),
                        d.message.clone(),
                    ]
                })
                .collect(),
        })
    }
}

pub(crate) async fn list(State(state): State<AppState>, info: ReqInfo) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let documents = snap.ledger.documents.iter().map(|d| summary(&snap, d)).collect();
    respond(&state, &info, &DocumentsPage { documents })
}

pub(crate) async fn one(
    State(state): State<AppState>,
    info: ReqInfo,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let snap = state.snapshot().await?;
    let d = snap.document(&id).ok_or_else(|| AppError::NotFound(format!("document {id}")))?;
    let page = DocumentPage {
        document: summary(&snap, d),
        diagnostics: snap
            .ledger
            .diagnostics
            .iter()
            .filter(|x| x.document_id == id)
            .map(|x| DiagRow {
                line: x.line,
                severity: x.severity.code().into(),
                code: x.code.clone(),
                message: x.message.clone(),
            })
            .collect(),
        projects: snap
            .ledger
            .projects
            .iter()
            .filter(|p| p.document_id == id)
            .map(|p| ProjLink {
                project_id: p.id.clone(),
                url: format!("/projects/{}", enc(&p.id)),
                area: p.area.clone(),
                number: p.number.clone(),
                name: p.name.clone(),
                source_line: p.source_line,
            })
            .collect(),
    };
    respond(&state, &info, &page)
}

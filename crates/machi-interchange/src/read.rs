//! The interchange folder → a ledger. Every cell is parsed into its domain type; any bad cell, missing
//! column, duplicate key, dangling reference or non-UTF-8 byte is an error naming the file, the line and
//! the column, and nothing is returned (so nothing is written).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use machi_domain::{
    Action, Amount, Area, AreaKind, Diagnostic, Document, FiscalYear, KnownIds, Kpi, KpiObservation, KpiValue, Ledger,
    LgCode, Phase, PolicyKind, PolicyNode, Project, ScopeKind, Severity, StatedTotal, Status, Unit, Yen,
};

use crate::schema::{Table, TABLES};
use crate::InterchangeError;

/// One parsed row, with what is needed to name its cells in errors.
struct Row<'a> {
    path: &'a Path,
    line: u64,
    /// Column name → index in the file, in the table's field order (a short linear scan beats hashing
    /// the name for every cell).
    cols: &'a [(&'static str, usize)],
    cells: Vec<String>,
}

impl Row<'_> {
    fn err(&self, column: &str, message: impl Into<String>) -> InterchangeError {
        InterchangeError::Field {
            path: self.path.to_path_buf(),
            line: self.line,
            column: column.to_string(),
            message: message.into(),
        }
    }

    fn get(&self, column: &'static str) -> &str {
        self.cols
            .iter()
            .find(|(name, _)| *name == column)
            .and_then(|(_, i)| self.cells.get(*i))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn req(&self, column: &'static str) -> Result<String, InterchangeError> {
        let v = self.get(column);
        if v.is_empty() {
            Err(self.err(column, "a value is required"))
        } else {
            Ok(v.to_string())
        }
    }

    fn text(&self, column: &'static str) -> String {
        self.get(column).to_string()
    }

    fn opt_text(&self, column: &'static str) -> Option<String> {
        Some(self.get(column)).filter(|s| !s.is_empty()).map(str::to_string)
    }

    fn int(&self, column: &'static str) -> Result<Option<i64>, InterchangeError> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<i64>().map(Some).map_err(|_| self.err(column, format!("not a whole number: {v:?}")))
    }

    fn yen(&self, column: &'static str) -> Result<Option<Yen>, InterchangeError> {
        Ok(self.int(column)?.map(Yen::new))
    }

    fn line_no(&self, column: &'static str) -> Result<Option<u32>, InterchangeError> {
        match self.int(column)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .map(Some)
                .ok_or_else(|| self.err(column, format!("not a line number: {n}"))),
        }
    }

    fn year(&self, column: &'static str) -> Result<Option<FiscalYear>, InterchangeError> {
        match self.int(column)? {
            None => Ok(None),
            Some(y) => i32::try_from(y)
                .ok()
                .and_then(FiscalYear::new)
                .map(Some)
                .ok_or_else(|| self.err(column, format!("not a fiscal year: {y}"))),
        }
    }

    fn boolean(&self, column: &'static str) -> Result<bool, InterchangeError> {
        match self.get(column) {
            "true" => Ok(true),
            "false" => Ok(false),
            v => Err(self.err(column, format!("expected true or false, found {v:?}"))),
        }
    }

    fn phase(&self, column: &'static str) -> Result<Phase, InterchangeError> {
        Phase::parse_code(self.get(column)).map_err(|e| self.err(column, e.to_string()))
    }

    fn status(&self, column: &'static str) -> Result<Status, InterchangeError> {
        let v = self.get(column);
        Status::parse(v).ok_or_else(|| {
            self.err(column, format!("unknown status {v:?} (planned, done, cancelled, postponed, not_started)"))
        })
    }

    fn lg_code(&self, column: &'static str) -> Result<Option<LgCode>, InterchangeError> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        LgCode::parse(v).map(Some).map_err(|e| self.err(column, e.to_string()))
    }

    fn kpi_value(&self, column: &'static str) -> Option<KpiValue> {
        KpiValue::parse(self.get(column))
    }
}

/// Read one CSV file into rows. A file that does not exist is an empty table.
fn read_table(
    dir: &Path,
    table: &Table,
    f: &mut dyn FnMut(&Row) -> Result<(), InterchangeError>,
) -> Result<Vec<u64>, InterchangeError> {
    let path = dir.join(table.file());
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(InterchangeError::File { path, message: e.to_string() }),
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(body);
    let header = rdr.byte_headers().map_err(|e| csv_err(&path, e))?.clone();
    let mut cols: Vec<(&'static str, usize)> = Vec::with_capacity(table.fields.len());
    for field in table.fields {
        match header.iter().position(|h| h == field.name.as_bytes()) {
            Some(i) => cols.push((field.name, i)),
            None => {
                return Err(InterchangeError::Row {
                    path,
                    line: 1,
                    message: format!("missing column {:?} (expected {})", field.name, table.header().join(",")),
                })
            }
        }
    }
    let mut lines = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_err(&path, e)),
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let mut cells = Vec::with_capacity(rec.len());
        for (i, c) in rec.iter().enumerate() {
            match std::str::from_utf8(c) {
                Ok(s) => cells.push(s.to_string()),
                Err(_) => {
                    let column = String::from_utf8_lossy(header.get(i).unwrap_or(b"?")).into_owned();
                    return Err(InterchangeError::Field {
                        path,
                        line,
                        column,
                        message: "not UTF-8 (save the file as UTF-8)".into(),
                    });
                }
            }
        }
        let row = Row { path: &path, line, cols: &cols, cells };
        f(&row)?;
        lines.push(line);
    }
    Ok(lines)
}

fn csv_err(path: &Path, e: csv::Error) -> InterchangeError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 (save the file as UTF-8)".to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    InterchangeError::Row { path: path.to_path_buf(), line, message }
}

/// Read an interchange folder (or the folder of a `datapackage.json`). `known` holds ids the store
/// already has, so that a folder of, say, KPI observations alone may refer to stored KPIs.
pub fn read_dir(path: &Path, known: &KnownIds) -> Result<Ledger, InterchangeError> {
    let dir: PathBuf = if path.is_file() {
        path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
    } else {
        path.to_path_buf()
    };
    if !dir.is_dir() {
        return Err(InterchangeError::File { path: dir, message: "not a folder".into() });
    }
    if !TABLES.iter().any(|t| dir.join(t.file()).is_file()) {
        return Err(InterchangeError::File {
            path: dir,
            message: "no interchange files here (expected documents.csv, projects.csv, ...)".into(),
        });
    }
    let mut l = Ledger::default();
    let mut lines: HashMap<&'static str, Vec<u64>> = HashMap::new();
    for table in TABLES {
        let got = match table.name {
            "documents" => read_table(&dir, &table, &mut |r| {
                let unit = r.get("unit");
                l.documents.push(Document {
                    id: r.req("document_id")?,
                    title: r.text("title"),
                    municipality_code: r.lg_code("municipality_code")?,
                    municipality: r.text("municipality"),
                    fiscal_year: r.year("fiscal_year")?,
                    unit: if unit.is_empty() {
                        None
                    } else {
                        Some(Unit::parse(unit).ok_or_else(|| r.err("unit", format!("unknown unit {unit:?}")))?)
                    },
                    source_name: r.text("source_name"),
                    source_sha256: r.req("source_sha256")?,
                    imported_at: r.text("imported_at"),
                });
                Ok(())
            })?,
            "areas" => read_table(&dir, &table, &mut |r| {
                let kind = r.get("kind");
                l.areas.push(Area {
                    id: r.req("area_id")?,
                    municipality: r.text("municipality"),
                    kind: AreaKind::parse(kind).ok_or_else(|| r.err("kind", format!("unknown area kind {kind:?}")))?,
                    name: r.req("name")?,
                    parent_id: r.opt_text("parent_area_id"),
                    lg_code: r.lg_code("lg_code")?,
                });
                Ok(())
            })?,
            "policies" => read_table(&dir, &table, &mut |r| {
                let kind = r.get("kind");
                l.policies.push(PolicyNode {
                    id: r.req("policy_id")?,
                    document_id: r.req("document_id")?,
                    parent_id: r.opt_text("parent_id"),
                    kind: PolicyKind::parse(kind)
                        .ok_or_else(|| r.err("kind", format!("unknown policy kind {kind:?}")))?,
                    code: r.text("code"),
                    title: r.text("title"),
                    stated_amount: r.yen("stated_amount_yen")?,
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "projects" => read_table(&dir, &table, &mut |r| {
                let tags = r.get("tags");
                l.projects.push(Project {
                    id: r.req("project_id")?,
                    document_id: r.req("document_id")?,
                    parent_id: r.opt_text("parent_project_id"),
                    municipality: r.text("municipality"),
                    area: r.text("area"),
                    fiscal_year: r.year("fiscal_year")?,
                    fund: r.text("fund"),
                    pillar: r.text("pillar"),
                    number: r.text("number"),
                    name: r.req("name")?,
                    description: r.text("description"),
                    is_new: r.boolean("is_new")?,
                    status: r.status("status")?,
                    status_note: r.text("status_note"),
                    department: r.text("department"),
                    tags: if tags.is_empty() { Vec::new() } else { tags.split(';').map(str::to_string).collect() },
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "amounts" => read_table(&dir, &table, &mut |r| {
                l.amounts.push(Amount {
                    project_id: r.req("project_id")?,
                    phase: r.phase("phase")?,
                    amount: r.yen("amount_yen")?,
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "totals" => read_table(&dir, &table, &mut |r| {
                let kind = r.get("scope_kind");
                // computed_yen and status are recomputed from the projects; they are checked for type only.
                r.int("computed_yen")?;
                l.totals.push(StatedTotal {
                    document_id: r.req("document_id")?,
                    area: r.text("area"),
                    scope_kind: ScopeKind::parse(kind)
                        .ok_or_else(|| r.err("scope_kind", format!("unknown scope kind {kind:?}")))?,
                    scope: r.text("scope"),
                    phase: r.phase("phase")?,
                    stated: r.yen("stated_yen")?,
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "kpis" => read_table(&dir, &table, &mut |r| {
                l.kpis.push(Kpi {
                    id: r.req("kpi_id")?,
                    document_id: r.req("document_id")?,
                    policy_id: r.opt_text("policy_id"),
                    indicator: r.req("indicator")?,
                    unit: r.text("unit"),
                    cumulative: r.boolean("cumulative")?,
                    baseline_year: r.year("baseline_year")?,
                    baseline_value: r.kpi_value("baseline_value"),
                    target_year: r.year("target_year")?,
                    target_value: r.kpi_value("target_value"),
                    department: r.text("department"),
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "kpi_observations" => read_table(&dir, &table, &mut |r| {
                l.observations.push(KpiObservation {
                    kpi_id: r.req("kpi_id")?,
                    fiscal_year: r.year("fiscal_year")?.ok_or_else(|| r.err("fiscal_year", "a value is required"))?,
                    value: r.kpi_value("value").ok_or_else(|| r.err("value", "a value is required"))?,
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "actions" => read_table(&dir, &table, &mut |r| {
                l.actions.push(Action {
                    id: r.req("action_id")?,
                    document_id: r.req("document_id")?,
                    policy_id: r.opt_text("policy_id"),
                    number: r.text("number"),
                    description: r.req("description")?,
                    department: r.text("department"),
                    status: r.status("status")?,
                    first_year: r.year("first_year")?,
                    last_year: r.year("last_year")?,
                    record: r.text("record"),
                    source_line: r.line_no("source_line")?,
                });
                Ok(())
            })?,
            "diagnostics" => read_table(&dir, &table, &mut |r| {
                let sev = r.get("severity");
                l.diagnostics.push(Diagnostic {
                    document_id: r.req("document_id")?,
                    line: r.line_no("line")?,
                    severity: Severity::parse(sev)
                        .ok_or_else(|| r.err("severity", format!("unknown severity {sev:?} (error, warning, info)")))?,
                    code: r.req("code")?,
                    message: r.text("message"),
                });
                Ok(())
            })?,
            _ => Vec::new(),
        };
        lines.insert(table.name, got);
    }
    if let Some(e) = l.check_integrity(known).into_iter().next() {
        let line = lines.get(e.table).and_then(|v| v.get(e.row)).copied().unwrap_or(0);
        let column = match (e.table, e.field) {
            (_, "id") => {
                TABLES.iter().find(|t| t.name == e.table).and_then(|t| t.fields.first()).map(|f| f.name).unwrap_or("id")
            }
            (_, f) => f,
        };
        return Err(InterchangeError::Field {
            path: dir.join(format!("{}.csv", e.table)),
            line,
            column: column.to_string(),
            message: e.message,
        });
    }
    Ok(l)
}

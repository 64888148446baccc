//! Ledger → the interchange: CSV files (plain, or the Excel variant with a BOM, formula guard and
//! optional CP932), `datapackage.json`, and the single JSON document. Output is a pure function of the
//! ledger, so an export → import → export round trip is byte-identical.

use std::fs;
use std::path::{Path, PathBuf};

use machi_analysis::reconcile::check_totals;
use machi_domain::{FiscalYear, Ledger, Yen};
use serde_json::{json, Map, Value};

use crate::schema::{Table, Ty, TABLES};
use crate::InterchangeError;

/// How to write the CSV files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// For Excel: a UTF-8 BOM, and a leading `'` on cells a spreadsheet would take for a formula.
    pub excel: bool,
    /// Write CP932 (Shift_JIS) instead of UTF-8 (implies the formula guard, not the BOM).
    pub shift_jis: bool,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn yen(v: Option<Yen>) -> String {
    opt(v.map(Yen::get))
}

fn year(v: Option<FiscalYear>) -> String {
    opt(v.map(FiscalYear::year))
}

/// The rows of every table, as text, in [`TABLES`] order.
pub fn rows(ledger: &Ledger) -> Vec<(Table, Vec<Vec<String>>)> {
    let checks = check_totals(ledger);
    let t = |b: bool| if b { "true".to_string() } else { "false".to_string() };
    let mut out = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows: Vec<Vec<String>> = match table.name {
            "documents" => ledger
                .documents
                .iter()
                .map(|d| {
                    vec![
                        d.id.clone(),
                        d.title.clone(),
                        opt(d.municipality_code),
                        d.municipality.clone(),
                        year(d.fiscal_year),
                        opt(d.unit.map(|u| u.code())),
                        d.source_name.clone(),
                        d.source_sha256.clone(),
                        d.imported_at.clone(),
                    ]
                })
                .collect(),
            "areas" => ledger
                .areas
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.municipality.clone(),
                        a.kind.code().into(),
                        a.name.clone(),
                        opt(a.parent_id.as_ref()),
                        opt(a.lg_code),
                    ]
                })
                .collect(),
            "policies" => ledger
                .policies
                .iter()
                .map(|p| {
                    vec![
                        p.id.clone(),
                        p.document_id.clone(),
                        opt(p.parent_id.as_ref()),
                        p.kind.code().into(),
                        p.code.clone(),
                        p.title.clone(),
                        yen(p.stated_amount),
                        opt(p.source_line),
                    ]
                })
                .collect(),
            "projects" => ledger
                .projects
                .iter()
                .map(|p| {
                    vec![
                        p.id.clone(),
                        p.document_id.clone(),
                        opt(p.parent_id.as_ref()),
                        p.municipality.clone(),
                        p.area.clone(),
                        year(p.fiscal_year),
                        p.fund.clone(),
                        p.pillar.clone(),
                        p.number.clone(),
                        p.name.clone(),
                        p.description.clone(),
                        t(p.is_new),
                        p.status.code().into(),
                        p.status_note.clone(),
                        p.department.clone(),
                        p.tags.join(";"),
                        opt(p.source_line),
                    ]
                })
                .collect(),
            "amounts" => ledger
                .amounts
                .iter()
                .map(|a| vec![a.project_id.clone(), a.phase.code(), yen(a.amount), opt(a.source_line)])
                .collect(),
            "totals" => checks
                .iter()
                .map(|c| {
                    let s = &c.total;
                    vec![
                        s.document_id.clone(),
                        s.area.clone(),
                        s.scope_kind.code().into(),
                        s.scope.clone(),
                        s.phase.code(),
                        yen(s.stated),
                        c.computed.get().to_string(),
                        c.status.code().into(),
                        opt(s.source_line),
                    ]
                })
                .collect(),
            "kpis" => ledger
                .kpis
                .iter()
                .map(|k| {
                    vec![
                        k.id.clone(),
                        k.document_id.clone(),
                        opt(k.policy_id.as_ref()),
                        k.indicator.clone(),
                        k.unit.clone(),
                        t(k.cumulative),
                        year(k.baseline_year),
                        opt(k.baseline_value.as_ref()),
                        year(k.target_year),
                        opt(k.target_value.as_ref()),
                        k.department.clone(),
                        opt(k.source_line),
                    ]
                })
                .collect(),
            "kpi_observations" => ledger
                .observations
                .iter()
                .map(|o| vec![o.kpi_id.clone(), o.fiscal_year.to_string(), o.value.to_string(), opt(o.source_line)])
                .collect(),
            "actions" => ledger
                .actions
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.document_id.clone(),
                        opt(a.policy_id.as_ref()),
                        a.number.clone(),
                        a.description.clone(),
                        a.department.clone(),
                        a.status.code().into(),
                        year(a.first_year),
                        year(a.last_year),
                        a.record.clone(),
                        opt(a.source_line),
                    ]
                })
                .collect(),
            "diagnostics" => ledger
                .diagnostics
                .iter()
                .map(|d| {
                    vec![
                        d.document_id.clone(),
                        opt(d.line),
                        d.severity.code().into(),
                        d.code.clone(),
                        d.message.clone(),
                    ]
                })
                .collect(),
            _ => Vec::new(),
        };
        out.push((table, rows));
    }
    out
}

/// A cell that a spreadsheet would evaluate as a formula gets a leading `'` (Excel variant only).
fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// One table as CSV bytes.
pub fn table_csv(table: &Table, rows: &[Vec<String>], opts: WriteOptions) -> Result<Vec<u8>, InterchangeError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let io = |e: csv::Error| InterchangeError::Write { path: PathBuf::from(table.file()), message: e.to_string() };
    w.write_record(table.header()).map_err(io)?;
    let guard_cells = opts.excel || opts.shift_jis;
    for r in rows {
        if guard_cells {
            w.write_record(r.iter().map(|c| guard(c).into_owned())).map_err(io)?;
        } else {
            w.write_record(r).map_err(io)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| InterchangeError::Write { path: PathBuf::from(table.file()), message: e.to_string() })?;
    if opts.shift_jis {
        let text = String::from_utf8_lossy(&bytes);
        let (enc, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        return Ok(enc.into_owned());
    }
    if opts.excel {
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(&bytes);
        return Ok(with_bom);
    }
    Ok(bytes)
}

/// The Frictionless Data Package describing every file.
pub fn datapackage(opts: WriteOptions) -> Value {
    let encoding = if opts.shift_jis { "shift_jis" } else { "utf-8" };
    let resources: Vec<Value> = TABLES
        .iter()
        .map(|t| {
            let fields: Vec<Value> = t
                .fields
                .iter()
                .map(|f| {
                    let mut o = json!({ "name": f.name, "type": f.ty.name(), "description": f.description });
                    if f.required {
                        o["constraints"] = json!({ "required": true });
                    }
                    if f.ty == Ty::Boolean {
                        o["trueValues"] = json!(["true"]);
                        o["falseValues"] = json!(["false"]);
                    }
                    o
                })
                .collect();
            let mut schema = json!({ "fields": fields, "missingValues": [""] });
            if !t.primary_key.is_empty() {
                schema["primaryKey"] = json!(t.primary_key);
            }
            if !t.foreign_keys.is_empty() {
                schema["foreignKeys"] = Value::Array(
                    t.foreign_keys
                        .iter()
                        .map(|k| {
                            // A self-reference is written with an empty resource name, as Table Schema asks.
                            let resource = if k.resource == t.name { "" } else { k.resource };
                            json!({ "fields": k.field, "reference": { "resource": resource, "fields": k.target } })
                        })
                        .collect(),
                );
            }
            json!({
                "name": t.name,
                "path": t.file(),
                "title": t.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": encoding,
                "schema": schema,
            })
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "machi-ledger",
        "title": "machi まちづくり ledger",
        "description": "Plans, projects, amounts per phase, stated totals, KPIs and actions of Japanese municipal community-development programmes, each value traceable to its source line.",
        "licenses": [{ "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0" }],
        "resources": resources,
    })
}

/// Write the interchange folder: every CSV file and `datapackage.json`. `progress` is called after
/// each file with its name and row count. Returns the files written.
pub fn write_dir(
    ledger: &Ledger,
    dir: &Path,
    opts: WriteOptions,
    progress: &mut dyn FnMut(&str, usize),
) -> Result<Vec<PathBuf>, InterchangeError> {
    fs::create_dir_all(dir).map_err(|e| InterchangeError::Write { path: dir.to_path_buf(), message: e.to_string() })?;
    let mut written = Vec::new();
    for (table, rows) in rows(ledger) {
        let path = dir.join(table.file());
        let bytes = table_csv(&table, &rows, opts)?;
        fs::write(&path, bytes).map_err(|e| InterchangeError::Write { path: path.clone(), message: e.to_string() })?;
        progress(&table.file(), rows.len());
        written.push(path);
    }
    let path = dir.join("datapackage.json");
    let mut text = serde_json::to_string_pretty(&datapackage(opts))
        .map_err(|e| InterchangeError::Write { path: path.clone(), message: e.to_string() })?;
    text.push('\n');
    fs::write(&path, text).map_err(|e| InterchangeError::Write { path: path.clone(), message: e.to_string() })?;
    written.push(path);
    Ok(written)
}

/// The whole ledger as one JSON document: `{"format": "machi-ledger", "version": 1, "<table>": [rows]}`,
/// each row an object with the CSV's column names and typed values (numbers, booleans, `null` for empty).
pub fn to_json(ledger: &Ledger) -> Value {
    let mut root = Map::new();
    root.insert("format".into(), json!("machi-ledger"));
    root.insert("version".into(), json!(1));
    for (table, rows) in rows(ledger) {
        let arr: Vec<Value> = rows
            .iter()
            .map(|r| {
                let mut o = Map::new();
                for (f, cell) in table.fields.iter().zip(r) {
                    let v = if cell.is_empty() {
                        Value::Null
                    } else {
                        match f.ty {
                            Ty::Integer => cell.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(cell)),
                            Ty::Boolean => Value::Bool(cell == "true"),
                            Ty::String => json!(cell),
                        }
                    };
                    o.insert(f.name.into(), v);
                }
                Value::Object(o)
            })
            .collect();
        root.insert(table.name.into(), Value::Array(arr));
    }
    Value::Object(root)
}

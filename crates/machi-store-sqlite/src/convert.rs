//! Rows to ledger values and back. A stored value that no longer parses (an edited file) is reported as
//! `StoreError::Corrupt` naming the table and column, never silently dropped.

use machi_domain::{
    Action, Amount, Area, AreaKind, Diagnostic, Document, FiscalYear, Kpi, KpiObservation, KpiValue, LgCode, Phase,
    PolicyKind, PolicyNode, Project, ScopeKind, Severity, StatedTotal, Status, Unit, Yen,
};
use machi_store::StoreError;
use rusqlite::{Connection, Params, Row};

pub(crate) type RowResult<T> = rusqlite::Result<Result<T, StoreError>>;

pub(crate) const DOCUMENT_COLUMNS: &str = "SELECT id, title, municipality_code, municipality, fiscal_year, unit, source_name, source_sha256, imported_at FROM documents";
pub(crate) const PROJECT_COLUMNS: &str = "SELECT id, document_id, parent_id, municipality, area, fiscal_year, fund, pillar, number, name, description, is_new, status, status_note, department, tags, source_line FROM projects";

/// Run a query and map every row, failing on the first backend or conversion error.
pub(crate) fn select<T, P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: fn(&Row) -> RowResult<T>,
) -> Result<Vec<T>, StoreError> {
    let backend = |e: rusqlite::Error| StoreError::Backend(e.to_string());
    let mut st = conn.prepare_cached(sql).map_err(backend)?;
    let rows = st.query_map(params, f).map_err(backend)?;
    rows.collect::<rusqlite::Result<Result<Vec<T>, StoreError>>>().map_err(backend)?
}

fn corrupt(table: &'static str, field: &'static str, value: impl ToString) -> StoreError {
    StoreError::Corrupt { table, field, value: value.to_string() }
}

fn year(table: &'static str, field: &'static str, v: Option<i32>) -> Result<Option<FiscalYear>, StoreError> {
    v.map(|y| FiscalYear::new(y).ok_or_else(|| corrupt(table, field, y))).transpose()
}

fn code(table: &'static str, field: &'static str, v: Option<String>) -> Result<Option<LgCode>, StoreError> {
    v.map(|c| LgCode::parse(&c).map_err(|_| corrupt(table, field, c))).transpose()
}

fn phase(table: &'static str, v: String) -> Result<Phase, StoreError> {
    Phase::parse_code(&v).map_err(|_| corrupt(table, "phase", v))
}

fn status(table: &'static str, v: String) -> Result<Status, StoreError> {
    Status::parse(&v).ok_or_else(|| corrupt(table, "status", v))
}

fn kpi_value(v: Option<String>) -> Option<KpiValue> {
    v.and_then(|s| KpiValue::parse(&s))
}

pub(crate) fn document_from_row(r: &Row) -> RowResult<Document> {
    Ok((|| -> Result<Document, ConvErr> {
        let unit: Option<String> = r.get(5)?;
        Ok(Document {
            id: r.get(0)?,
            title: r.get(1)?,
            municipality_code: code("documents", "municipality_code", r.get(2)?)?,
            municipality: r.get(3)?,
            fiscal_year: year("documents", "fiscal_year", r.get(4)?)?,
            unit: unit.map(|u| Unit::parse(&u).ok_or_else(|| corrupt("documents", "unit", u))).transpose()?,
            source_name: r.get(6)?,
            source_sha256: r.get(7)?,
            imported_at: r.get(8)?,
        })
    })()
    .map_err(sql_or))
}

/// Inside the conversion closures both kinds of error occur; keep the store's.
fn sql_or(e: ConvErr) -> StoreError {
    match e {
        ConvErr::Sql(e) => StoreError::Backend(e.to_string()),
        ConvErr::Store(e) => e,
    }
}

pub(crate) enum ConvErr {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for ConvErr {
    fn from(e: rusqlite::Error) -> Self {
        ConvErr::Sql(e)
    }
}

impl From<StoreError> for ConvErr {
    fn from(e: StoreError) -> Self {
        ConvErr::Store(e)
    }
}

pub(crate) fn area_from_row(r: &Row) -> RowResult<Area> {
    Ok((|| -> Result<Area, ConvErr> {
        let kind: String = r.get(2)?;
        Ok(Area {
            id: r.get(0)?,
            municipality: r.get(1)?,
            kind: AreaKind::parse(&kind).ok_or_else(|| corrupt("areas", "kind", kind))?,
            name: r.get(3)?,
            parent_id: r.get(4)?,
            lg_code: code("areas", "lg_code", r.get(5)?)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn policy_from_row(r: &Row) -> RowResult<PolicyNode> {
    Ok((|| -> Result<PolicyNode, ConvErr> {
        let kind: String = r.get(3)?;
        Ok(PolicyNode {
            id: r.get(0)?,
            document_id: r.get(1)?,
            parent_id: r.get(2)?,
            kind: PolicyKind::parse(&kind).ok_or_else(|| corrupt("policies", "kind", kind))?,
            code: r.get(4)?,
            title: r.get(5)?,
            stated_amount: r.get::<_, Option<i64>>(6)?.map(Yen::new),
            source_line: r.get(7)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn project_from_row(r: &Row) -> RowResult<Project> {
    Ok((|| -> Result<Project, ConvErr> {
        let tags: String = r.get(15)?;
        Ok(Project {
            id: r.get(0)?,
            document_id: r.get(1)?,
            parent_id: r.get(2)?,
            municipality: r.get(3)?,
            area: r.get(4)?,
            fiscal_year: year("projects", "fiscal_year", r.get(5)?)?,
            fund: r.get(6)?,
            pillar: r.get(7)?,
            number: r.get(8)?,
            name: r.get(9)?,
            description: r.get(10)?,
            is_new: r.get(11)?,
            status: status("projects", r.get(12)?)?,
            status_note: r.get(13)?,
            department: r.get(14)?,
            tags: if tags.is_empty() { Vec::new() } else { tags.split(';').map(str::to_string).collect() },
            source_line: r.get(16)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn amount_from_row(r: &Row) -> RowResult<Amount> {
    Ok((|| -> Result<Amount, ConvErr> {
        Ok(Amount {
            project_id: r.get(0)?,
            phase: phase("amounts", r.get(1)?)?,
            amount: r.get::<_, Option<i64>>(2)?.map(Yen::new),
            source_line: r.get(3)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn total_from_row(r: &Row) -> RowResult<StatedTotal> {
    Ok((|| -> Result<StatedTotal, ConvErr> {
        let kind: String = r.get(2)?;
        Ok(StatedTotal {
            document_id: r.get(0)?,
            area: r.get(1)?,
            scope_kind: ScopeKind::parse(&kind).ok_or_else(|| corrupt("totals", "scope_kind", kind))?,
            scope: r.get(3)?,
            phase: phase("totals", r.get(4)?)?,
            stated: r.get::<_, Option<i64>>(5)?.map(Yen::new),
            source_line: r.get(6)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn kpi_from_row(r: &Row) -> RowResult<Kpi> {
    Ok((|| -> Result<Kpi, ConvErr> {
        Ok(Kpi {
            id: r.get(0)?,
            document_id: r.get(1)?,
            policy_id: r.get(2)?,
            indicator: r.get(3)?,
            unit: r.get(4)?,
            cumulative: r.get(5)?,
            baseline_year: year("kpis", "baseline_year", r.get(6)?)?,
            baseline_value: kpi_value(r.get(7)?),
            target_year: year("kpis", "target_year", r.get(8)?)?,
            target_value: kpi_value(r.get(9)?),
            department: r.get(10)?,
            source_line: r.get(11)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn observation_from_row(r: &Row) -> RowResult<KpiObservation> {
    Ok((|| -> Result<KpiObservation, ConvErr> {
        let y: i32 = r.get(1)?;
        let v: String = r.get(2)?;
        Ok(KpiObservation {
            kpi_id: r.get(0)?,
            fiscal_year: FiscalYear::new(y).ok_or_else(|| corrupt("kpi_observations", "fiscal_year", y))?,
            value: KpiValue::parse(&v).ok_or_else(|| corrupt("kpi_observations", "value", v))?,
            source_line: r.get(3)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn action_from_row(r: &Row) -> RowResult<Action> {
    Ok((|| -> Result<Action, ConvErr> {
        Ok(Action {
            id: r.get(0)?,
            document_id: r.get(1)?,
            policy_id: r.get(2)?,
            number: r.get(3)?,
            description: r.get(4)?,
            department: r.get(5)?,
            status: status("actions", r.get(6)?)?,
            first_year: year("actions", "first_year", r.get(7)?)?,
            last_year: year("actions", "last_year", r.get(8)?)?,
            record: r.get(9)?,
            source_line: r.get(10)?,
        })
    })()
    .map_err(sql_or))
}

pub(crate) fn diagnostic_from_row(r: &Row) -> RowResult<Diagnostic> {
    Ok((|| -> Result<Diagnostic, ConvErr> {
        let sev: String = r.get(2)?;
        Ok(Diagnostic {
            document_id: r.get(0)?,
            line: r.get(1)?,
            severity: Severity::parse(&sev).ok_or_else(|| corrupt("diagnostics", "severity", sev))?,
            code: r.get(3)?,
            message: r.get(4)?,
        })
    })()
    .map_err(sql_or))
}

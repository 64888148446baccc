//! The tables of the interchange, as `interchange.md` defines them: file names, columns in order, field
//! types, primary and foreign keys. One definition serves the writer, the reader's header check, the
//! JSON export and `datapackage.json`.

/// A Table Schema field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    String,
    /// Whole number (yen, years, lines).
    Integer,
    /// `true` / `false`.
    Boolean,
}

impl Ty {
    /// The Table Schema type name.
    pub fn name(self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Integer => "integer",
            Ty::Boolean => "boolean",
        }
    }
}

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Column name.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether every row must have a value.
    pub required: bool,
    /// What it holds.
    pub description: &'static str,
}

/// A foreign key: `field` refers to `resource`'s `target`.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    /// Referring column.
    pub field: &'static str,
    /// Referred table.
    pub resource: &'static str,
    /// Referred column.
    pub target: &'static str,
}

/// One CSV file.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Resource name (`projects`).
    pub name: &'static str,
    /// What one row is.
    pub title: &'static str,
    /// Columns, in file order.
    pub fields: &'static [Field],
    /// Primary key columns (empty: none declared).
    pub primary_key: &'static [&'static str],
    /// Foreign keys.
    pub foreign_keys: &'static [ForeignKey],
}

impl Table {
    /// The file name (`projects.csv`).
    pub fn file(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// Column names in order.
    pub fn header(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }
}

const fn f(name: &'static str, ty: Ty, required: bool, description: &'static str) -> Field {
    Field { name, ty, required, description }
}

const fn fk(field: &'static str, resource: &'static str, target: &'static str) -> ForeignKey {
    ForeignKey { field, resource, target }
}

use Ty::{Boolean as B, Integer as I, String as S};

/// `documents.csv`
pub const DOCUMENTS: Table = Table {
    name: "documents",
    title: "one row per imported source",
    fields: &[
        f("document_id", S, true, "stable id of the document"),
        f("title", S, true, "title as printed"),
        f("municipality_code", S, false, "全国地方公共団体コード, 6 digits"),
        f("municipality", S, true, "municipality name"),
        f("fiscal_year", I, false, "western fiscal year (令和2年度 = 2020)"),
        f("unit", S, false, "unit the document prints amounts in (thousand_yen, ten_thousand_yen, yen, ...)"),
        f("source_name", S, true, "file name of the source"),
        f("source_sha256", S, true, "sha256 of the source bytes"),
        f("imported_at", S, true, "import time, RFC 3339 UTC"),
    ],
    primary_key: &["document_id"],
    foreign_keys: &[],
};

/// `areas.csv`
pub const AREAS: Table = Table {
    name: "areas",
    title: "the municipality and the places inside it",
    fields: &[
        f("area_id", S, true, "stable id"),
        f("municipality", S, true, "municipality name"),
        f("kind", S, true, "city, ward, school_district, center or other"),
        f("name", S, true, "name of the place"),
        f("parent_area_id", S, false, "the area it lies in"),
        f("lg_code", S, false, "全国地方公共団体コード, where the place has one"),
    ],
    primary_key: &["area_id"],
    foreign_keys: &[fk("parent_area_id", "areas", "area_id")],
};

/// `policies.csv`
pub const POLICIES: Table = Table {
    name: "policies",
    title: "visions, policies, measures and themes, as a tree",
    fields: &[
        f("policy_id", S, true, "stable id"),
        f("document_id", S, true, "document it was read from"),
        f("parent_id", S, false, "parent node"),
        f("kind", S, true, "vision, policy, measure or theme"),
        f("code", S, false, "code as printed, e.g. 5-1 or ①"),
        f("title", S, true, "title"),
        f("stated_amount_yen", I, false, "amount the document states for it, in yen"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &["policy_id"],
    foreign_keys: &[fk("document_id", "documents", "document_id"), fk("parent_id", "policies", "policy_id")],
};

/// `projects.csv`
pub const PROJECTS: Table = Table {
    name: "projects",
    title: "one row per project (事業) per document",
    fields: &[
        f("project_id", S, true, "stable id"),
        f("document_id", S, true, "document it was read from"),
        f("parent_project_id", S, false, "the larger project this is a line item of"),
        f("municipality", S, true, "municipality name"),
        f("area", S, false, "area name, e.g. 中央区"),
        f("fiscal_year", I, false, "western fiscal year"),
        f("fund", S, false, "fund it is paid from"),
        f("pillar", S, false, "title of the policy or theme it sits under"),
        f("number", S, false, "number as printed, e.g. 1, ①, (12)"),
        f("name", S, true, "name, NFKC, markers removed"),
        f("description", S, false, "description"),
        f("is_new", B, true, "new this year (新規)"),
        f("status", S, true, "planned, done, cancelled, postponed or not_started"),
        f("status_note", S, false, "the document's note on its status"),
        f("department", S, false, "responsible department"),
        f("tags", S, false, "; separated markers such as sub-areas"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &["project_id"],
    foreign_keys: &[fk("document_id", "documents", "document_id"), fk("parent_project_id", "projects", "project_id")],
};

/// `amounts.csv`
pub const AMOUNTS: Table = Table {
    name: "amounts",
    title: "one row per project per stated phase",
    fields: &[
        f("project_id", S, true, "the project"),
        f("phase", S, true, "initial, revised_06, revised_09, revised_12, revised_02, revised_03 or settled"),
        f("amount_yen", I, false, "amount in yen; empty when the document shows no value (―)"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &["project_id", "phase"],
    foreign_keys: &[fk("project_id", "projects", "project_id")],
};

/// `totals.csv`
pub const TOTALS: Table = Table {
    name: "totals",
    title: "totals the document states, and what the projects add up to",
    fields: &[
        f("document_id", S, true, "the document"),
        f("area", S, false, "area name"),
        f("scope_kind", S, true, "fund, pillar, project or document"),
        f("scope", S, false, "fund or pillar name, or the parent project's id"),
        f("phase", S, true, "phase"),
        f("stated_yen", I, false, "the stated total in yen"),
        f("computed_yen", I, false, "sum of the projects in scope, in yen"),
        f("status", S, false, "match, rounding, mismatch or incomplete"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &[],
    foreign_keys: &[fk("document_id", "documents", "document_id")],
};

/// `kpis.csv`
pub const KPIS: Table = Table {
    name: "kpis",
    title: "key performance indicators with baseline and target",
    fields: &[
        f("kpi_id", S, true, "stable id"),
        f("document_id", S, true, "the document"),
        f("policy_id", S, false, "the measure it belongs to"),
        f("indicator", S, true, "指標"),
        f("unit", S, false, "unit or counter, e.g. %, 事業/年"),
        f("cumulative", B, true, "累計: observations add up over the years"),
        f("baseline_year", I, false, "基準年度"),
        f("baseline_value", S, false, "基準値: a plain number, or text for a categorical value"),
        f("target_year", I, false, "目標年度"),
        f("target_value", S, false, "目標値"),
        f("department", S, false, "担当課"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &["kpi_id"],
    foreign_keys: &[fk("document_id", "documents", "document_id"), fk("policy_id", "policies", "policy_id")],
};

/// `kpi_observations.csv`
pub const KPI_OBSERVATIONS: Table = Table {
    name: "kpi_observations",
    title: "observed values of KPIs (実績値)",
    fields: &[
        f("kpi_id", S, true, "the KPI"),
        f("fiscal_year", I, true, "fiscal year observed"),
        f("value", S, true, "the value"),
        f("source_line", I, false, "1-based line in the source; empty when typed in"),
    ],
    primary_key: &["kpi_id", "fiscal_year"],
    foreign_keys: &[fk("kpi_id", "kpis", "kpi_id")],
};

/// `actions.csv`
pub const ACTIONS: Table = Table {
    name: "actions",
    title: "concrete actions and what was done",
    fields: &[
        f("action_id", S, true, "stable id"),
        f("document_id", S, true, "the document"),
        f("policy_id", S, false, "the measure it belongs to"),
        f("number", S, false, "number as printed"),
        f("description", S, true, "具体的な事業"),
        f("department", S, false, "担当課"),
        f("status", S, true, "planned, done, cancelled, postponed or not_started"),
        f("first_year", I, false, "first fiscal year done"),
        f("last_year", I, false, "last fiscal year done"),
        f("record", S, false, "実施したこと, as printed"),
        f("source_line", I, false, "1-based line in the source"),
    ],
    primary_key: &["action_id"],
    foreign_keys: &[fk("document_id", "documents", "document_id"), fk("policy_id", "policies", "policy_id")],
};

/// `diagnostics.csv`
pub const DIAGNOSTICS: Table = Table {
    name: "diagnostics",
    title: "what the import noticed and could not settle",
    fields: &[
        f("document_id", S, true, "the document"),
        f("line", I, false, "1-based line in the source"),
        f("severity", S, true, "error, warning or info"),
        f("code", S, true, "stable short code"),
        f("message", S, true, "what happened"),
    ],
    primary_key: &[],
    foreign_keys: &[fk("document_id", "documents", "document_id")],
};

/// Every table, in the order they are written and read (referenced tables first).
pub const TABLES: [Table; 10] =
    [DOCUMENTS, AREAS, POLICIES, PROJECTS, AMOUNTS, TOTALS, KPIS, KPI_OBSERVATIONS, ACTIONS, DIAGNOSTICS];

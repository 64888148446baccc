//! The records of the ledger. Field names follow `glossary.md`; the interchange (`interchange.md`) is one
//! serialisation of them, the store another. Every value read from a document keeps its `source_line`.

use std::collections::{HashMap, HashSet};
use std::fmt;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::lgcode::LgCode;
use crate::money::{Unit, Yen};
use crate::number::{Decimal, Quantity};
use crate::phase::Phase;
use crate::year::FiscalYear;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The interchange code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parse an interchange code.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum! {
    /// What kind of place an [`Area`] is.
    AreaKind {
        /// 市 (the municipality itself)
        City = "city",
        /// 区
        Ward = "ward",
        /// 小学校区
        SchoolDistrict = "school_district",
        /// まちづくりセンター
        Center = "center",
        /// anything else (a sub-area named by a tag such as `【幸田】`)
        Other = "other",
    }
}

code_enum! {
    /// The level of a [`PolicyNode`].
    PolicyKind {
        /// まちづくりビジョン / めざす区の姿
        Vision = "vision",
        /// 基本政策 / 基本方針 / 基本施策 / 戦略
        Policy = "policy",
        /// 具体的な施策
        Measure = "measure",
        /// 重点的取組 / テーマ / a group heading of a budget table
        Theme = "theme",
    }
}

code_enum! {
    /// Where a project (or action) stands.
    Status {
        /// 予定: budgeted, nothing said yet
        Planned = "planned",
        /// 実施
        Done = "done",
        /// 中止
        Cancelled = "cancelled",
        /// 延期
        Postponed = "postponed",
        /// 未実施
        NotStarted = "not_started",
    }
}

code_enum! {
    /// What a [`StatedTotal`] adds up.
    ScopeKind {
        /// all top-level projects of a fund
        Fund = "fund",
        /// all top-level projects under a pillar or group heading
        Pillar = "pillar",
        /// a parent project's line items
        Project = "project",
        /// every top-level project of the document (of the area)
        Document = "document",
    }
}

code_enum! {
    /// How much a [`Diagnostic`] matters.
    Severity {
        /// a value could not be read or placed
        Error = "error",
        /// read, but a person should look
        Warning = "warning",
        /// for the record
        Info = "info",
    }
}

code_enum! {
    /// The result of reconciling a stated total with its projects.
    TotalStatus {
        /// equal
        Match = "match",
        /// differs by no more than rounding each row to the document's unit explains
        Rounding = "rounding",
        /// differs
        Mismatch = "mismatch",
        /// some project in scope has no value for the phase, or no project is in scope at all
        Incomplete = "incomplete",
    }
}

/// An imported source document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id (see [`crate::ids::document_id`]).
    pub id: String,
    /// Title as printed (`令和2年度 北区まちづくりの取組`).
    pub title: String,
    /// The municipality's code, when known.
    pub municipality_code: Option<LgCode>,
    /// The municipality's name.
    pub municipality: String,
    /// The fiscal year the document is about.
    pub fiscal_year: Option<FiscalYear>,
    /// The unit its tables print amounts in.
    pub unit: Option<Unit>,
    /// File name of the source.
    pub source_name: String,
    /// sha256 of the source bytes, lower-case hex. Re-importing the same bytes replaces the document.
    pub source_sha256: String,
    /// When it was imported, RFC 3339 UTC.
    pub imported_at: String,
}

/// A place: the municipality itself, a ward, a school district, a centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Stable id (see [`crate::ids::area_id`]).
    pub id: String,
    /// The municipality's name.
    pub municipality: String,
    /// What kind of place.
    pub kind: AreaKind,
    /// Its name (`北区`).
    pub name: String,
    /// The area it lies in.
    pub parent_id: Option<String>,
    /// Its local-government code, if it has one.
    pub lg_code: Option<LgCode>,
}

/// A node of a plan's policy tree, or a group heading of a budget table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyNode {
    /// Stable id.
    pub id: String,
    /// The document it was read from.
    pub document_id: String,
    /// Its parent node.
    pub parent_id: Option<String>,
    /// Level.
    pub kind: PolicyKind,
    /// Code as printed (`5-1`, `①`), possibly empty.
    pub code: String,
    /// Title.
    pub title: String,
    /// An amount the document states for it (`（4,536千円）`).
    pub stated_amount: Option<Yen>,
    /// Where it was read.
    pub source_line: Option<u32>,
}

/// A project (事業): one row of a budget table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Stable id.
    pub id: String,
    /// The document it was read from.
    pub document_id: String,
    /// The larger project this is a line item of.
    pub parent_id: Option<String>,
    /// The municipality's name.
    pub municipality: String,
    /// The area's name (`北区`).
    pub area: String,
    /// Fiscal year.
    pub fiscal_year: Option<FiscalYear>,
    /// The fund it is paid from (`まちづくり推進経費`).
    pub fund: String,
    /// The pillar or group heading it sits under.
    pub pillar: String,
    /// Number as printed (`①`, `1`, `(12)`).
    pub number: String,
    /// Name, NFKC, line breaks removed, markers moved to their own fields.
    pub name: String,
    /// Description.
    pub description: String,
    /// 新規: new this year.
    pub is_new: bool,
    /// Where it stands.
    pub status: Status,
    /// The document's note on its status (`R3年3月開催予定➤5月へ延期➤中止`).
    pub status_note: String,
    /// Responsible department.
    pub department: String,
    /// Other markers, such as sub-areas (`幸田`).
    pub tags: Vec<String>,
    /// Where its name was read.
    pub source_line: Option<u32>,
}

/// A project's amount in one phase. `amount: None` is a printed "no value" (`―`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The project.
    pub project_id: String,
    /// The phase.
    pub phase: Phase,
    /// The amount, or `None` for `―`.
    pub amount: Option<Yen>,
    /// Where it was read.
    pub source_line: Option<u32>,
}

/// A total the document states (`合計`, `計`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedTotal {
    /// The document.
    pub document_id: String,
    /// The area's name.
    pub area: String,
    /// What it adds up.
    pub scope_kind: ScopeKind,
    /// The fund's or pillar's name, or the parent project's id; empty for a document total.
    pub scope: String,
    /// The phase.
    pub phase: Phase,
    /// The stated amount (`None` for a printed `―`).
    pub stated: Option<Yen>,
    /// Where it was read.
    pub source_line: Option<u32>,
}

/// A KPI's value: a number with its unit, or a category (`未設置`, `設置`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KpiValue {
    /// A number (`66.4`).
    Number(Decimal),
    /// A categorical state.
    Category(String),
}

impl KpiValue {
    /// Read an interchange cell or a normalised table cell: a number (its counter dropped) or a category.
    pub fn parse(s: &str) -> Option<KpiValue> {
        let t = s.trim();
        if t.is_empty() || crate::text::is_no_value(t) {
            return None;
        }
        match Quantity::parse(t) {
            Some(q) => Some(KpiValue::Number(q.value)),
            None => Some(KpiValue::Category(crate::text::nfkc(t))),
        }
    }
}

impl fmt::Display for KpiValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KpiValue::Number(d) => write!(f, "{d}"),
            KpiValue::Category(s) => f.write_str(s),
        }
    }
}

/// A key performance indicator with its baseline and target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpi {
    /// Stable id.
    pub id: String,
    /// The document.
    pub document_id: String,
    /// The measure it belongs to.
    pub policy_id: Option<String>,
    /// 指標
    pub indicator: String,
    /// Unit or counter (`%`, `事業/年`, `組`).
    pub unit: String,
    /// 累計: observations add up over the years.
    pub cumulative: bool,
    /// 基準年度
    pub baseline_year: Option<FiscalYear>,
    /// 基準値
    pub baseline_value: Option<KpiValue>,
    /// 目標年度
    pub target_year: Option<FiscalYear>,
    /// 目標値
    pub target_value: Option<KpiValue>,
    /// 担当課
    pub department: String,
    /// Where it was read.
    pub source_line: Option<u32>,
}

/// An observed value of a KPI in a fiscal year (実績値).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiObservation {
    /// The KPI.
    pub kpi_id: String,
    /// The year observed.
    pub fiscal_year: FiscalYear,
    /// The value.
    pub value: KpiValue,
    /// Where it was read; `None` when typed in.
    pub source_line: Option<u32>,
}

/// A concrete action and what was done (実施したこと).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Stable id.
    pub id: String,
    /// The document.
    pub document_id: String,
    /// The measure it belongs to.
    pub policy_id: Option<String>,
    /// Number as printed (`①`).
    pub number: String,
    /// 具体的な事業
    pub description: String,
    /// 担当課
    pub department: String,
    /// Done, not started, ...
    pub status: Status,
    /// First fiscal year it was done.
    pub first_year: Option<FiscalYear>,
    /// Last fiscal year it was done.
    pub last_year: Option<FiscalYear>,
    /// The record as printed.
    pub record: String,
    /// Where it was read.
    pub source_line: Option<u32>,
}

/// An exact fraction, for subsidy rates (`1/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    /// Numerator.
    pub num: u32,
    /// Denominator, never 0.
    pub den: u32,
}

impl Fraction {
    /// Parse `1/3`, `１／３`, `3分の1`.
    pub fn parse(s: &str) -> Option<Fraction> {
        let f = crate::text::squeeze(&crate::text::nfkc(s));
        let (num, den) = if let Some((a, b)) = f.split_once('/') {
            (a.parse().ok()?, b.parse().ok()?)
        } else {
            let (d, n) = f.split_once("分の")?;
            (n.parse().ok()?, d.parse().ok()?)
        };
        (den != 0 && num <= den).then_some(Fraction { num, den })
    }

    /// `amount × num / den`, rounded down to whole yen (subsidies are never rounded up).
    pub fn apply(self, amount: Yen) -> Yen {
        Yen::new((amount.get() as i128 * self.num as i128 / self.den as i128) as i64)
    }
}

/// A subsidy scheme's rule: 補助率 1/3 上限200千円.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRule {
    /// Share of the eligible cost paid.
    pub rate: Fraction,
    /// Most that is paid.
    pub cap: Option<Yen>,
}

impl GrantRule {
    /// The most the rule allows for an eligible cost.
    pub fn max_grant(&self, eligible_cost: Yen) -> Yen {
        let by_rate = self.rate.apply(eligible_cost);
        match self.cap {
            Some(cap) if cap < by_rate => cap,
            _ => by_rate,
        }
    }
}

/// A subsidy, grant or aid paid to local groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantScheme {
    /// Stable id.
    pub id: String,
    /// Name (`地域づくり活動補助金`).
    pub name: String,
    /// Its rules.
    pub rules: Vec<GrantRule>,
}

/// Something an import noticed and could not settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The document.
    pub document_id: String,
    /// 1-based line in the document.
    pub line: Option<u32>,
    /// How much it matters.
    pub severity: Severity,
    /// A stable short code (`unplaced-number`).
    pub code: String,
    /// What happened, for a person.
    pub message: String,
}

/// The whole ledger, or the part of it one import brings. Plain data; the store persists it and the
/// interchange serialises it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// Imported sources.
    pub documents: Vec<Document>,
    /// Places.
    pub areas: Vec<Area>,
    /// Policy trees and group headings.
    pub policies: Vec<PolicyNode>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Amounts per project and phase.
    pub amounts: Vec<Amount>,
    /// Stated totals.
    pub totals: Vec<StatedTotal>,
    /// KPIs.
    pub kpis: Vec<Kpi>,
    /// KPI observations.
    pub observations: Vec<KpiObservation>,
    /// Actions.
    pub actions: Vec<Action>,
    /// What imports could not settle.
    pub diagnostics: Vec<Diagnostic>,
}

/// A broken reference or duplicate key inside a [`Ledger`]: `table` and 0-based `row` locate it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityError {
    /// The table (`projects`).
    pub table: &'static str,
    /// 0-based row in that table.
    pub row: usize,
    /// The offending field.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for IntegrityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} row {}, {}: {}", self.table, self.row + 1, self.field, self.message)
    }
}

impl Ledger {
    /// Append another ledger's records.
    pub fn extend(&mut self, other: Ledger) {
        self.documents.extend(other.documents);
        self.areas.extend(other.areas);
        self.policies.extend(other.policies);
        self.projects.extend(other.projects);
        self.amounts.extend(other.amounts);
        self.totals.extend(other.totals);
        self.kpis.extend(other.kpis);
        self.observations.extend(other.observations);
        self.actions.extend(other.actions);
        self.diagnostics.extend(other.diagnostics);
    }

    /// Check keys and references: unique ids, every reference resolving inside the ledger (or to a
    /// document/area/KPI id in `known`, the store's existing ids), one amount per project and phase.
    pub fn check_integrity(&self, known: &KnownIds) -> Vec<IntegrityError> {
        let mut errs = Vec::new();
        let docs = unique(&mut errs, "documents", self.documents.iter().map(|d| d.id.as_str()));
        let areas = unique(&mut errs, "areas", self.areas.iter().map(|a| a.id.as_str()));
        let policies = unique(&mut errs, "policies", self.policies.iter().map(|p| p.id.as_str()));
        let projects = unique(&mut errs, "projects", self.projects.iter().map(|p| p.id.as_str()));
        let kpis = unique(&mut errs, "kpis", self.kpis.iter().map(|k| k.id.as_str()));
        unique(&mut errs, "actions", self.actions.iter().map(|a| a.id.as_str()));

        let has_doc = |id: &str| docs.contains(id) || known.documents.contains(id);
        fn dangling(
            errs: &mut Vec<IntegrityError>,
            table: &'static str,
            row: usize,
            field: &'static str,
            id: &str,
            what: &str,
        ) {
            errs.push(IntegrityError { table, row, field, message: format!("no {what} with id {id:?}") });
        }
        for (i, a) in self.areas.iter().enumerate() {
            if let Some(p) = &a.parent_id {
                if !areas.contains(p.as_str()) && !known.areas.contains(p) {
                    dangling(&mut errs, "areas", i, "parent_area_id", p, "area");
                }
            }
        }
        for (i, p) in self.policies.iter().enumerate() {
            if !has_doc(&p.document_id) {
                dangling(&mut errs, "policies", i, "document_id", &p.document_id, "document");
            }
            if let Some(par) = &p.parent_id {
                if !policies.contains(par.as_str()) {
                    dangling(&mut errs, "policies", i, "parent_id", par, "policy");
                }
            }
        }
        for (i, p) in self.projects.iter().enumerate() {
            if !has_doc(&p.document_id) {
                dangling(&mut errs, "projects", i, "document_id", &p.document_id, "document");
            }
            if let Some(par) = &p.parent_id {
                if !projects.contains(par.as_str()) {
                    dangling(&mut errs, "projects", i, "parent_project_id", par, "project");
                }
            }
        }
        let mut seen = FxHashSet::default();
        for (i, a) in self.amounts.iter().enumerate() {
            if !projects.contains(a.project_id.as_str()) {
                dangling(&mut errs, "amounts", i, "project_id", &a.project_id, "project");
            }
            if !seen.insert((a.project_id.as_str(), a.phase)) {
                errs.push(IntegrityError {
                    table: "amounts",
                    row: i,
                    field: "phase",
                    message: format!("a second {} amount for project {:?}", a.phase, a.project_id),
                });
            }
        }
        for (i, t) in self.totals.iter().enumerate() {
            if !has_doc(&t.document_id) {
                dangling(&mut errs, "totals", i, "document_id", &t.document_id, "document");
            }
        }
        for (i, k) in self.kpis.iter().enumerate() {
            if !has_doc(&k.document_id) {
                dangling(&mut errs, "kpis", i, "document_id", &k.document_id, "document");
            }
            if let Some(p) = &k.policy_id {
                if !policies.contains(p.as_str()) {
                    dangling(&mut errs, "kpis", i, "policy_id", p, "policy");
                }
            }
        }
        let mut seen_obs = FxHashSet::default();
        for (i, o) in self.observations.iter().enumerate() {
            if !kpis.contains(o.kpi_id.as_str()) && !known.kpis.contains(&o.kpi_id) {
                dangling(&mut errs, "kpi_observations", i, "kpi_id", &o.kpi_id, "KPI");
            }
            if !seen_obs.insert((o.kpi_id.as_str(), o.fiscal_year)) {
                errs.push(IntegrityError {
                    table: "kpi_observations",
                    row: i,
                    field: "fiscal_year",
                    message: format!("a second observation for KPI {:?} in {}", o.kpi_id, o.fiscal_year),
                });
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            if !has_doc(&a.document_id) {
                dangling(&mut errs, "actions", i, "document_id", &a.document_id, "document");
            }
            if let Some(p) = &a.policy_id {
                if !policies.contains(p.as_str()) {
                    dangling(&mut errs, "actions", i, "policy_id", p, "policy");
                }
            }
        }
        for (i, d) in self.diagnostics.iter().enumerate() {
            if !has_doc(&d.document_id) {
                dangling(&mut errs, "diagnostics", i, "document_id", &d.document_id, "document");
            }
        }
        errs
    }

    /// Amounts of each project, by project id.
    pub fn amounts_by_project(&self) -> HashMap<&str, Vec<&Amount>> {
        let mut m: HashMap<&str, Vec<&Amount>> = HashMap::new();
        for a in &self.amounts {
            m.entry(a.project_id.as_str()).or_default().push(a);
        }
        for v in m.values_mut() {
            v.sort_by_key(|a| a.phase);
        }
        m
    }
}

/// Ids the store already holds, for checking references of a partial ledger.
#[derive(Debug, Clone, Default)]
pub struct KnownIds {
    /// Document ids.
    pub documents: HashSet<String>,
    /// Area ids.
    pub areas: HashSet<String>,
    /// KPI ids.
    pub kpis: HashSet<String>,
}

fn unique<'a>(
    errs: &mut Vec<IntegrityError>,
    table: &'static str,
    ids: impl Iterator<Item = &'a str>,
) -> FxHashSet<&'a str> {
    // Ids are hashed millions of times on a national-scale import; SipHash's flooding resistance buys
    // nothing for a local import and cost a tenth of its time.
    let mut set = FxHashSet::default();
    set.reserve(ids.size_hint().0);
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            errs.push(IntegrityError { table, row: i, field: "id", message: "empty id".into() });
        } else if !set.insert(id) {
            errs.push(IntegrityError { table, row: i, field: "id", message: format!("duplicate id {id:?}") });
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in AreaKind::ALL {
            assert_eq!(AreaKind::parse(k.code()), Some(*k));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(*s));
        }
        assert_eq!(Status::parse("finished"), None);
    }

    #[test]
    fn grant_rules_apply_rate_then_cap() {
        let rule = GrantRule { rate: Fraction::parse("1/3").unwrap(), cap: Some(Yen::new(200_000)) };
        assert_eq!(rule.max_grant(Yen::new(300_000)), Yen::new(100_000));
        assert_eq!(rule.max_grant(Yen::new(900_000)), Yen::new(200_000));
        assert_eq!(rule.max_grant(Yen::new(100_000)), Yen::new(33_333));
        assert_eq!(Fraction::parse("3分の1"), Some(Fraction { num: 1, den: 3 }));
        assert_eq!(Fraction::parse("1/0"), None);
    }

    #[test]
    fn kpi_values_are_numbers_or_categories() {
        assert_eq!(KpiValue::parse("66.4%"), Some(KpiValue::Number(Decimal { mantissa: 664, scale: 1 })));
        assert_eq!(KpiValue::parse("未設置"), Some(KpiValue::Category("未設置".into())));
        assert_eq!(KpiValue::parse("—"), None);
    }

    #[test]
    fn integrity_finds_duplicates_and_dangling_references() {
        let mut l = Ledger::default();
        l.amounts.push(Amount { project_id: "p1".into(), phase: Phase::Initial, amount: None, source_line: None });
        let errs = l.check_integrity(&KnownIds::default());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "project_id");
    }
}

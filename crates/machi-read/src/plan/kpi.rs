//! KPI tables: a tab-separated header of one or more lines (`具体的な施策 取組内容 目標値 … 担当課`, then
//! `指標 H26 (基準年度) R4 (目標年度)`) and one row per KPI.
//!
//! Columns are found by what their header cells say, with the lines of a multi-line header stacked per
//! column (the upper line's `目標値` spans the lower line's 指標 / 基準 / 目標 cells), so that a table
//! with its columns in another order, or with a one-line header, reads the same. Years come from the
//! header (`H26 (基準年度)`), values from the cells: a number with its counter (`77事業／年`), a category
//! (`未設置`), or no value (`—`). A cell that holds two numbers is not guessed at: it is reported.

use machi_domain::number::split_item_number;
use machi_domain::year::Date;
use machi_domain::{ids, text, Action, FiscalYear, Kpi, KpiValue, Quantity, Severity, Status, YearError, YearMonth};

use super::{cells, tree, Reader};
use crate::source::Line;

/// Which column holds what; `lines` is how many header lines there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    lines: usize,
    measure: Option<usize>,
    actions: Option<usize>,
    indicator: usize,
    baseline: Option<usize>,
    target: usize,
    department: Option<usize>,
    /// The years the header names; an error when a label names a year that cannot be right
    /// (`令和元（2020）年度`: the era year and the western year disagree).
    baseline_year: Result<Option<FiscalYear>, YearError>,
    target_year: Result<Option<FiscalYear>, YearError>,
}

const HEADER_WORDS: [&str; 8] = ["指標", "目標", "基準", "施策", "担当", "取組", "内容", "年度"];

/// If the lines from `i` on are a KPI table header, its columns.
pub(super) fn is_header(lines: &[Line], i: usize) -> Option<Header> {
    let mut stacked: Vec<String> = Vec::new();
    let mut n = 0;
    for line in lines.iter().skip(i).take(3) {
        if !line.original().contains('\t') {
            break;
        }
        let cs = cells(line);
        // A row with an item number (`①`) or a value (`77事業／年`) is data, not header; a year
        // (`2014年度`) may stand in a header.
        let is_data = cs.iter().any(|c| {
            split_item_number(c.raw).is_some_and(|(num, _)| num.printed.chars().count() == 1)
                || Quantity::parse(c.norm())
                    .is_some_and(|q| !q.counter.starts_with('年') && !starts_with_year(c.norm()))
        });
        let wordy = cs.iter().any(|c| HEADER_WORDS.iter().any(|w| c.norm().contains(w)));
        if is_data || !wordy {
            break;
        }
        if stacked.len() < cs.len() {
            stacked.resize(cs.len(), String::new());
        }
        for (j, c) in cs.iter().enumerate() {
            if !c.norm().is_empty() {
                let s = &mut stacked[j];
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(c.norm());
            }
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let mut taken = vec![false; stacked.len()];
    let mut find = |pred: &dyn Fn(&str) -> bool| -> Option<usize> {
        let j = stacked.iter().enumerate().position(|(j, s)| !taken[j] && pred(s))?;
        taken[j] = true;
        Some(j)
    };
    let indicator = find(&|s| s.contains("指標"))?;
    let baseline = find(&|s| s.contains("基準") || s.contains("現状値"));
    let target = find(&|s| s.contains("目標年度")).or_else(|| find(&|s| s.contains("目標")))?;
    let department = find(&|s| s.contains("担当"));
    let measure = find(&|s| s.contains("施策"));
    let actions = find(&|s| s.contains("取組") || s.contains("内容") || s.contains("事業"));
    let year_of = |j: Option<usize>| j.and_then(|j| stacked.get(j)).map_or(Ok(None), |s| year_in(s));
    Some(Header {
        lines: n,
        measure,
        actions,
        indicator,
        baseline,
        target,
        department,
        baseline_year: year_of(baseline),
        target_year: year_of(Some(target)),
    })
}

/// The fiscal year named in a header cell (`H26 (基準年度)`, `基準値(令和元年度)`, `目標 2025年度`,
/// `2019（令和元）年度 (基準年度)`). A year written both ways whose two forms disagree is an error, never
/// one of the two.
fn year_in(label: &str) -> Result<Option<FiscalYear>, YearError> {
    let folded = text::fold(label);
    let words =
        || folded.split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | '[' | ']')).filter(|t| !t.is_empty());
    // Whole words first, so that a year written both ways (`2019(令和元)年度`) is read as one and checked;
    // a role glued on after it (`…年度(基準年度)`) is cut off first.
    for word in words() {
        let mut w = word;
        loop {
            match FiscalYear::parse(w) {
                Ok(p) => return Ok(Some(p.value)),
                Err(e @ (YearError::Mismatch(_) | YearError::BeforeEraStart(_))) => return Err(e),
                Err(_) => {}
            }
            match w.strip_suffix(')').and_then(|x| x.rfind('(').map(|open| &x[..open])) {
                Some(shorter) if !shorter.is_empty() => w = shorter,
                _ => break,
            }
        }
    }
    // Then the parts between parentheses (`基準値(令和元年度)`).
    Ok(words()
        .flat_map(|w| w.split(['(', ')']))
        .filter(|t| !t.is_empty())
        .find_map(|t| FiscalYear::parse(t).ok().map(|p| p.value)))
}

/// True if a cell begins with a year (`2019(令和元)年度 (基準年度)`): a header label, not a value.
fn starts_with_year(cell: &str) -> bool {
    let folded = text::fold(cell);
    let first = folded.split_whitespace().next().unwrap_or("");
    matches!(FiscalYear::parse(first), Ok(_) | Err(YearError::Mismatch(_)))
}

/// Read the table whose header starts at line index `i`; returns the index of the first line after it.
pub(super) fn read_table(r: &mut Reader<'_>, i: usize, h: Header) -> usize {
    let lines = r.lines();
    if let Some(first) = lines.get(i) {
        for (which, year) in [("baseline", &h.baseline_year), ("target", &h.target_year)] {
            if let Err(e) = year {
                r.diag(
                    first.number,
                    Severity::Error,
                    "kpi-header-year-unreadable",
                    format!("the KPI table header's {which} year cannot be read ({e}); no {which} year is stored"),
                );
            }
        }
        if matches!(h.baseline_year, Ok(None)) || matches!(h.target_year, Ok(None)) {
            r.warn(
                first.number,
                "kpi-header-years",
                "the KPI table header does not name both its baseline and target years".to_string(),
            );
        }
    }
    let mut j = i + h.lines;
    let mut prev_measure: Option<usize> = None;
    let mut prev_department = String::new();
    while let Some(line) = lines.get(j) {
        if line.norm().is_empty() {
            j += 1;
            continue;
        }
        if !line.original().contains('\t') || is_header(lines, j).is_some() {
            break;
        }
        read_row(r, &h, line, &mut prev_measure, &mut prev_department);
        j += 1;
    }
    j
}

fn read_row(r: &mut Reader<'_>, h: &Header, line: &Line, prev_measure: &mut Option<usize>, prev_dept: &mut String) {
    let cs = cells(line);
    let norm = |col: Option<usize>| col.and_then(|c| cs.get(c)).map(|c| c.norm().to_string()).unwrap_or_default();

    // The measure cell is merged over the rows of its KPIs: an empty cell continues the one above.
    let measure_cell = h.measure.and_then(|c| cs.get(c));
    let measure = match measure_cell.filter(|c| !c.norm().is_empty()) {
        Some(c) => {
            let (code, title) = match split_item_number(c.raw) {
                Some((num, rest)) => (num.printed, text::nfkc(rest).trim().to_string()),
                None => (String::new(), c.norm().to_string()),
            };
            Some(tree::table_measure(r, code, title, line.number))
        }
        None => *prev_measure,
    };
    *prev_measure = measure;
    let policy_id = measure.and_then(|m| r.policies.get(m)).map(|p| p.id.clone());

    let mut department = norm(h.department);
    if department.is_empty() || super::is_ditto(&department) {
        department = prev_dept.clone();
    } else {
        department = super::action::join_departments(&department);
        prev_dept.clone_from(&department);
    }

    // 取組内容: the `・`-separated items are the measure's actions (an HTML list's tags are already gone,
    // each `<li>` turned into a `・` by the source).
    for item in norm(h.actions).split('・').map(str::trim).filter(|s| !s.is_empty()) {
        let dup = r.actions.iter().any(|a| a.policy_id == policy_id && a.description == item);
        if !dup {
            let n = r.actions.len() + 1;
            r.actions.push(Action {
                id: ids::action_id(&r.doc_id, n),
                document_id: r.doc_id.clone(),
                policy_id: policy_id.clone(),
                number: String::new(),
                description: item.to_string(),
                department: department.clone(),
                status: Status::Planned,
                first_year: None,
                last_year: None,
                record: String::new(),
                source_line: Some(line.number),
            });
        }
    }

    let indicator = norm(Some(h.indicator));
    let baseline_cell = norm(h.baseline);
    let target_cell = norm(Some(h.target));
    if indicator.is_empty() {
        if !baseline_cell.is_empty() || !target_cell.is_empty() {
            r.warn(line.number, "kpi-row-unreadable", format!("a KPI row with values but no 指標: {}", line.norm()));
        }
        return;
    }
    let mut baseline = cell_value(r, line.number, &indicator, "baseline", &baseline_cell);
    let target = cell_value(r, line.number, &indicator, "target", &target_cell);
    let unit_of = |v: &Option<Value>| v.as_ref().map(|v| v.unit.clone()).unwrap_or_default();
    let (bu, tu) = (unit_of(&baseline), unit_of(&target));
    let units_differ = !bu.is_empty() && !tu.is_empty() && bu != tu;
    let unit = if units_differ {
        // One unit cannot stand for both values. The target keeps its number and unit (it is what the KPI
        // is measured against); the baseline keeps its printed text, so that it is never read as a number
        // in the target's unit.
        r.warn(
            line.number,
            "kpi-unit-mismatch",
            format!(
                "{indicator}: baseline in {bu:?}, target in {tu:?}; the unit is the target's and the baseline \
                 is kept as its printed text {baseline_cell:?}"
            ),
        );
        if let Some(b) = baseline.as_mut() {
            b.value = KpiValue::Category(baseline_cell.clone());
        }
        tu
    } else if bu.is_empty() {
        tu
    } else {
        bu
    };
    let is_number = |v: &Option<Value>| matches!(v, Some(Value { value: KpiValue::Number(_), .. }));
    let is_category = |v: &Option<Value>| matches!(v, Some(Value { value: KpiValue::Category(_), .. }));
    if !units_differ
        && ((is_number(&baseline) && is_category(&target)) || (is_category(&baseline) && is_number(&target)))
    {
        r.warn(
            line.number,
            "kpi-kind-mismatch",
            format!("{indicator}: one of baseline and target is a number, the other not"),
        );
    }
    let cumulative = indicator.contains("累計")
        || baseline.as_ref().is_some_and(|v| v.cumulative)
        || target.as_ref().is_some_and(|v| v.cumulative);
    let baseline_year = value_year(
        r,
        line.number,
        &indicator,
        "baseline",
        &baseline_cell,
        &baseline,
        h.baseline_year.clone().ok().flatten(),
    );
    let target_year =
        value_year(r, line.number, &indicator, "target", &target_cell, &target, h.target_year.clone().ok().flatten());
    if policy_id.is_none() {
        r.warn(line.number, "kpi-without-measure", format!("{indicator}: no measure for this KPI"));
    }
    let n = r.kpis.len() + 1;
    r.kpis.push(Kpi {
        id: ids::kpi_id(&r.doc_id, n),
        document_id: r.doc_id.clone(),
        policy_id,
        cumulative,
        indicator,
        unit,
        baseline_year,
        baseline_value: baseline.map(|v| v.value),
        target_year,
        target_value: target.map(|v| v.value),
        department,
        source_line: Some(line.number),
    });
}

/// A value read from a KPI cell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Value {
    value: KpiValue,
    /// The counter of a number (`人`, `事業/年`), without a qualifier; empty for a category.
    unit: String,
    /// `以上`, `以下`, `以内`, `未満`, `超` after the counter: a bound on the value, not part of its unit.
    qualifier: Option<&'static str>,
    /// The year the cell itself names (`12,345件(R元)`), which is the value's year whatever the header says.
    year: Option<FiscalYear>,
    /// `(累計)` or `累計` in the cell.
    cumulative: bool,
}

/// Words after a number that bound it (`1,500千人以上`, `10分以内`).
const QUALIFIERS: [&str; 5] = ["以上", "以下", "以内", "未満", "超"];

/// Read a cell and report what it cannot carry: an unreadable value is left out with a warning; a
/// qualifier, which the ledger has no place for, is named in an info note.
fn cell_value(r: &mut Reader<'_>, line: u32, indicator: &str, which: &str, cell: &str) -> Option<Value> {
    match value(cell) {
        Ok(v) => {
            if let Some(Value { value: KpiValue::Number(n), unit, qualifier: Some(q), .. }) = &v {
                r.info(
                    line,
                    "kpi-qualifier",
                    format!("{indicator}: {which} {cell:?} is stored as {n} {unit}; {q:?} is not part of the unit"),
                );
            }
            v
        }
        Err(e) => {
            r.warn(line, "kpi-value-unreadable", format!("{indicator}: {which} {e}; left out"));
            None
        }
    }
}

/// The year of a value: the one its cell names, else the header's. A cell's own year is noted when it
/// differs from the header's, as a person reading the table would want to know.
fn value_year(
    r: &mut Reader<'_>,
    line: u32,
    indicator: &str,
    which: &str,
    cell: &str,
    value: &Option<Value>,
    header: Option<FiscalYear>,
) -> Option<FiscalYear> {
    let Some(own) = value.as_ref().and_then(|v| v.year) else {
        return header;
    };
    if header != Some(own) {
        let header = header.map_or_else(|| "names none".to_string(), |h| format!("says FY{h}"));
        r.info(
            line,
            "kpi-cell-year",
            format!("{indicator}: {which} {cell:?} names its own year, FY{own}, which is used (the header {header})"),
        );
    }
    Some(own)
}

/// A KPI cell: `Ok(None)` for no value (`—`, empty), a number with its counter, or a category; either
/// may name its own year (`12,345件(R元)`, `策定(R3)`) or say it is cumulative (`50万回(累計)`,
/// `累計100人`).
fn value(cell: &str) -> Result<Option<Value>, String> {
    // The reader's cells are NFKC already (then this borrows); the parentheses below are the ASCII ones.
    let cell = text::nfkc_cow(cell);
    let mut t = cell.trim();
    if t.is_empty() || text::is_no_value(t) {
        return Ok(None);
    }
    let mut year = None;
    let mut cumulative = false;
    // Notes in parentheses at the end: a year or 累計. Anything else stays part of the value.
    while let Some(open) = t.ends_with(')').then(|| t.rfind('(')).flatten() {
        let inner = text::squeeze(&t[open + 1..t.len() - 1]);
        if inner == "累計" {
            cumulative = true;
        } else if let Some(y) = cell_year(&inner)? {
            if year.is_some() {
                return Err(format!("{t:?} names more than one year"));
            }
            year = Some(y);
        } else {
            break;
        }
        t = t[..open].trim_end();
    }
    if let Some(rest) = t.strip_prefix("累計") {
        cumulative = true;
        t = rest.trim_start();
    }
    if t.is_empty() || text::is_no_value(t) {
        return Err(format!("{:?} names no value", cell.trim()));
    }
    let (value, unit, qualifier) = if let Some(q) = Quantity::parse(t) {
        // `77 110` or `92.6%95%`: two values in one cell. Never pick one.
        if q.counter.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!("{t:?} holds more than one number"));
        }
        let mut unit = q.counter;
        let qualifier = QUALIFIERS.iter().find(|w| unit.ends_with(*w)).copied();
        if let Some(w) = qualifier {
            unit.truncate(unit.len() - w.len());
            unit = unit.trim_end().to_string();
        }
        (KpiValue::Number(q.value), unit, qualifier)
    } else if t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("{t:?} is not a number that can be read"));
    } else {
        (KpiValue::Category(t.to_string()), String::new(), None)
    };
    Ok(Some(Value { value, unit, qualifier, year, cumulative }))
}

/// The fiscal year a note in a cell names: `R元`, `H29`, `令和3年度`, or a month the value was taken in
/// (`R2.3末`: the end of March 2020, in fiscal 2019). `Ok(None)` when the note is no year at all.
fn cell_year(note: &str) -> Result<Option<FiscalYear>, String> {
    let bare = ["末時点", "末現在", "時点", "現在", "末"].iter().find_map(|w| note.strip_suffix(w)).unwrap_or(note);
    match FiscalYear::parse(bare) {
        Ok(p) => return Ok(Some(p.value)),
        Err(e @ (YearError::Mismatch(_) | YearError::BeforeEraStart(_))) => {
            return Err(format!("({note}) is not a year that can be read: {e}"))
        }
        Err(_) => {}
    }
    if let Ok(p) = YearMonth::parse(bare) {
        return Ok(Some(p.value.fiscal_year()));
    }
    if let Ok(p) = Date::parse(bare) {
        return Ok(Some(p.value.fiscal_year()));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::Decimal;

    fn number(mantissa: i64, scale: u32, unit: &str, qualifier: Option<&'static str>) -> Option<Value> {
        Some(Value {
            value: KpiValue::Number(Decimal { mantissa, scale }),
            unit: unit.into(),
            qualifier,
            year: None,
            cumulative: false,
        })
    }

    #[test]
    fn values_are_numbers_categories_or_none() {
        assert_eq!(value("77事業/年"), Ok(number(77, 0, "事業/年", None)));
        assert_eq!(value("66.4%"), Ok(number(664, 1, "%", None)));
        let category = Value {
            value: KpiValue::Category("未設置".into()),
            unit: String::new(),
            qualifier: None,
            year: None,
            cumulative: false,
        };
        assert_eq!(value("未設置"), Ok(Some(category)));
        assert_eq!(value("—"), Ok(None));
        assert_eq!(value(""), Ok(None));
        assert!(value("77 110").is_err());
    }

    #[test]
    fn a_qualifier_bounds_the_value_and_is_no_part_of_its_unit() {
        assert_eq!(value("1,500千人以上"), Ok(number(1500, 0, "千人", Some("以上"))));
        assert_eq!(value("10分以内"), Ok(number(10, 0, "分", Some("以内"))));
        assert_eq!(value("85%以上"), Ok(number(85, 0, "%", Some("以上"))));
        assert_eq!(value("5件未満"), Ok(number(5, 0, "件", Some("未満"))));
    }

    #[test]
    fn a_cell_names_its_own_year_or_that_it_is_cumulative() {
        let fy = |y: i32| FiscalYear::new(y);
        let v = |s: &str| value(s).unwrap_or_else(|e| panic!("{s}: {e}")).unwrap_or_else(|| panic!("{s}: none"));
        // 令和元 = 2019, 平成29 = 2017; R2.3末 is the end of March 2020, in fiscal 2019.
        let b = v("12,345件（R元）");
        assert_eq!((b.value, b.unit.as_str(), b.year), (KpiValue::Number(Decimal::from_int(12345)), "件", fy(2019)));
        let b = v("45人（H29）");
        assert_eq!((b.value, b.unit.as_str(), b.year), (KpiValue::Number(Decimal::from_int(45)), "人", fy(2017)));
        assert_eq!(v("8,200人（R2.3末）").year, fy(2019));
        let t = v("策定（R3）");
        assert_eq!((t.value, t.year), (KpiValue::Category("策定".into()), fy(2021)));
        let t = v("50万回（累計）");
        assert_eq!((t.value, t.unit.as_str(), t.cumulative), (KpiValue::Number(Decimal::from_int(50)), "万回", true));
        let t = v("100人(累計)");
        assert_eq!((t.unit.as_str(), t.cumulative, t.year), ("人", true, None));
        let t = v("累計100人");
        assert_eq!((t.value, t.unit.as_str(), t.cumulative), (KpiValue::Number(Decimal::from_int(100)), "人", true));
        // A note that is neither stays part of the value; a year that cannot be read is not guessed at.
        assert_eq!(v("―(新規)").value, KpiValue::Category("―(新規)".into()));
        assert!(value("45人(令和元(2020)年度)").is_err());
        assert!(value("45人(R元)(R2)").is_err());
    }

    #[test]
    fn header_years() {
        let y = |s: &str| year_in(s).unwrap_or_else(|e| panic!("{s}: {e}")).map(|y| y.year());
        assert_eq!(y("H26 (基準年度)"), Some(2014));
        assert_eq!(y("R4 (目標年度)"), Some(2022));
        assert_eq!(y("基準値(令和元年度)"), Some(2019));
        assert_eq!(y("目標値"), None);
        // Written both ways, either way round, with the role apart or glued on.
        assert_eq!(y("2019（令和元）年度 (基準年度)"), Some(2019));
        assert_eq!(y("令和元（2019）年度 (基準年度)"), Some(2019));
        assert_eq!(y("2024（令和6）年度(目標年度)"), Some(2024));
        assert_eq!(y("目標 2025年度"), Some(2025));
        // 令和元 is 2019, not 2020: an error, not either year.
        assert!(matches!(year_in("令和元（2020）年度 (基準年度)"), Err(YearError::Mismatch(_))));
        assert!(matches!(year_in("令和元（2020）年度(基準年度)"), Err(YearError::Mismatch(_))));
    }
}

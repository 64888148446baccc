//! KPI tables: a tab-separated header of one or more lines (`具体的な施策 取組内容 目標値 … 担当課`, then
//! `指標 H26 (基準年度) R4 (目標年度)`) and one row per KPI.
//!
//! Columns are found by what their header cells say, with the lines of a multi-line header stacked per
//! column (the upper line's `目標値` spans the lower line's 指標 / 基準 / 目標 cells), so that a table
//! with its columns in another order, or with a one-line header, reads the same. Years come from the
//! header (`H26 (基準年度)`), values from the cells: a number with its counter (`77事業／年`), a category
//! (`未設置`), or no value (`—`). A cell that holds two numbers is not guessed at: it is reported.

use machi_domain::number::split_item_number;
use machi_domain::{ids, text, Action, FiscalYear, Kpi, KpiValue, Quantity, Status};

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
    baseline_year: Option<FiscalYear>,
    target_year: Option<FiscalYear>,
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
                || Quantity::parse(c.norm()).is_some_and(|q| !q.counter.starts_with('年'))
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
    let year_of = |j: Option<usize>| j.and_then(|j| stacked.get(j)).and_then(|s| year_in(s));
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

/// The fiscal year named in a header cell (`H26 (基準年度)`, `基準値(令和元年度)`, `目標 2025年度`).
fn year_in(label: &str) -> Option<FiscalYear> {
    text::fold(label)
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '/' | ':' | '[' | ']'))
        .filter(|t| !t.is_empty())
        .find_map(|t| FiscalYear::parse(t).ok().map(|p| p.value))
}

/// Read the table whose header starts at line index `i`; returns the index of the first line after it.
pub(super) fn read_table(r: &mut Reader<'_>, i: usize, h: Header) -> usize {
    let lines = r.lines();
    if let Some(first) = lines.get(i) {
        if h.baseline_year.is_none() || h.target_year.is_none() {
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

    // 取組内容: the `・`-separated items are the measure's actions (an HTML list's tags are already gone).
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
    if policy_id.is_none() {
        r.warn(line.number, "kpi-without-measure", format!("{indicator}: no measure for this KPI"));
    }
    let n = r.kpis.len() + 1;
    r.kpis.push(Kpi {
        id: ids::kpi_id(&r.doc_id, n),
        document_id: r.doc_id.clone(),
        policy_id,
        cumulative: indicator.contains("累計"),
        indicator,
        unit,
        baseline_year: h.baseline_year,
        baseline_value: baseline.map(|v| v.value),
        target_year: h.target_year,
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
}

/// Words after a number that bound it (`1,500千人以上`, `10分以内`).
const QUALIFIERS: [&str; 5] = ["以上", "以下", "以内", "未満", "超"];

/// Read a cell and report what it cannot carry: an unreadable value is left out with a warning; a
/// qualifier, which the ledger has no place for, is named in an info note.
fn cell_value(r: &mut Reader<'_>, line: u32, indicator: &str, which: &str, cell: &str) -> Option<Value> {
    match value(cell) {
        Ok(v) => {
            if let Some(Value { value: KpiValue::Number(n), unit, qualifier: Some(q) }) = &v {
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

/// A KPI cell: `Ok(None)` for no value (`—`, empty), a number with its counter, or a category.
fn value(cell: &str) -> Result<Option<Value>, String> {
    let t = cell.trim();
    if t.is_empty() || text::is_no_value(t) {
        return Ok(None);
    }
    if let Some(q) = Quantity::parse(t) {
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
        return Ok(Some(Value { value: KpiValue::Number(q.value), unit, qualifier }));
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("{t:?} is not a number that can be read"));
    }
    Ok(Some(Value { value: KpiValue::Category(t.to_string()), unit: String::new(), qualifier: None }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::Decimal;

    fn number(mantissa: i64, scale: u32, unit: &str, qualifier: Option<&'static str>) -> Option<Value> {
        Some(Value { value: KpiValue::Number(Decimal { mantissa, scale }), unit: unit.into(), qualifier })
    }

    #[test]
    fn values_are_numbers_categories_or_none() {
        assert_eq!(value("77事業/年"), Ok(number(77, 0, "事業/年", None)));
        assert_eq!(value("66.4%"), Ok(number(664, 1, "%", None)));
        let category = Value { value: KpiValue::Category("未設置".into()), unit: String::new(), qualifier: None };
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
    fn header_years() {
        assert_eq!(year_in("H26 (基準年度)").map(|y| y.year()), Some(2014));
        assert_eq!(year_in("R4 (目標年度)").map(|y| y.year()), Some(2022));
        assert_eq!(year_in("基準値(令和元年度)").map(|y| y.year()), Some(2019));
        assert_eq!(year_in("目標値"), None);
    }
}

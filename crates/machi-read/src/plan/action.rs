//! Action tables: `具体的な事業 <tab> 担当課 <tab> 実施したこと(実施年度)`, one row per action, often
//! under a title row that names the measure (`(1)小学校区を基礎としたまちづくり組織の設立 (P53) <tab> …`).
//!
//! The department cell is merged over the rows below it, so an empty cell continues the one above. The
//! record says what was done and when: `…の実施(平成 25～28 年度)` is done over 2013–2016, `・未実施` is not
//! started, `中止` / `延期` cancelled / postponed. A record that says none of these is kept as planned, with
//! a warning, rather than guessed at.

use machi_domain::number::split_item_number;
use machi_domain::{ids, text, Action, FiscalYearRange, Status};

use super::{cells, tree, Reader};
use crate::source::Line;

/// The columns of an action table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cols {
    description: usize,
    department: usize,
    record: usize,
}

/// If the line is an action table header, its columns.
pub(super) fn is_header(line: &Line) -> Option<Cols> {
    if !line.original().contains('\t') {
        return None;
    }
    let cs = cells(line);
    let record = cs.iter().position(|c| c.norm().contains("実施") || c.norm().contains("実績"))?;
    let department = cs.iter().position(|c| c.norm().contains("担当"))?;
    let description = cs.iter().enumerate().position(|(j, c)| {
        j != record && j != department && (c.norm().contains("事業") || c.norm().contains("取組"))
    })?;
    Some(Cols { description, department, record })
}

/// True if the next non-blank line after index `i` is an action table header.
pub(super) fn next_is_header(lines: &[Line], i: usize) -> bool {
    lines.iter().skip(i + 1).find(|l| !l.norm().is_empty()).and_then(is_header).is_some()
}

/// A row just above an action table whose first cell is numbered names the measure of the table's
/// actions; its other cells describe it. Returns false (nothing read) when the row is not numbered.
pub(super) fn title_row(r: &mut Reader<'_>, line: &Line) -> bool {
    let cs = cells(line);
    let Some(first) = cs.iter().find(|c| !c.norm().is_empty()) else {
        return false;
    };
    let Some((num, rest)) = split_item_number(first.raw) else {
        return false;
    };
    let title = strip_page_ref(text::nfkc(rest).trim());
    let idx = tree::table_measure(r, num.printed, title, line.number);
    r.table_measure = Some(idx);
    let label = r.policies.get(idx).map(|p| format!("{} {}", p.code, p.title)).unwrap_or_default();
    for c in cs.iter().skip_while(|c| c.norm().is_empty()).skip(1).filter(|c| !c.norm().is_empty()) {
        r.info(line.number, "plan-section", format!("{label}: {}", c.norm()));
    }
    true
}

/// `… (P53)`, `…（P53～P54）`: a reference to a page of another document, not part of a title.
fn strip_page_ref(s: &str) -> String {
    let t = s.trim();
    if let Some(open) = t.rfind('(') {
        let inner = &t[open + 1..];
        if t.ends_with(')') && inner.starts_with(['P', 'p']) {
            return t[..open].trim().to_string();
        }
    }
    t.to_string()
}

/// Read the table whose header is at line index `i`; returns the index of the first line after it.
pub(super) fn read_table(r: &mut Reader<'_>, i: usize, cols: Cols) -> usize {
    let lines = r.lines();
    let measure = r.table_measure.take();
    let policy_id = measure.and_then(|m| r.policies.get(m)).map(|p| p.id.clone());
    let mut department = String::new();
    let mut j = i + 1;
    while let Some(line) = lines.get(j) {
        if line.norm().is_empty() {
            j += 1;
            continue;
        }
        if !line.original().contains('\t') || is_header(line).is_some() {
            break;
        }
        let cs = cells(line);
        let cell = |c: usize| cs.get(c).map(|c| c.norm()).unwrap_or("");
        let raw_desc = cs.get(cols.description).map(|c| c.raw).unwrap_or("");
        let (number, description) = match split_item_number(raw_desc) {
            Some((num, rest)) => (num.printed, text::nfkc(rest).trim().to_string()),
            None => (String::new(), cell(cols.description).to_string()),
        };
        // The department cell is merged over the rows below it.
        let dept_cell = cell(cols.department);
        if !dept_cell.is_empty() {
            department = join_departments(dept_cell);
        } else if department.is_empty() {
            r.warn(line.number, "department-missing", format!("no 担当課 for action {number} {description}"));
        }
        let record = cell(cols.record).to_string();
        if description.is_empty() {
            if !record.is_empty() {
                r.warn(line.number, "action-row-unreadable", format!("a record with no action: {record}"));
            }
            j += 1;
            continue;
        }
        let (status, years) = read_record(&record);
        match status {
            None if record.is_empty() => {
                r.info(line.number, "action-no-record", format!("{number} {description}: nothing recorded"));
            }
            None => r.warn(
                line.number,
                "action-status-unclear",
                format!("{number} {description}: could not tell from {record:?} whether it was done; kept as planned"),
            ),
            Some(_) => {}
        }
        let n = r.actions.len() + 1;
        r.actions.push(Action {
            id: ids::action_id(&r.doc_id, n),
            document_id: r.doc_id.clone(),
            policy_id: policy_id.clone(),
            number,
            description,
            department: department.clone(),
            status: status.unwrap_or(Status::Planned),
            first_year: years.map(|y| y.first),
            last_year: years.map(|y| y.last),
            record,
            source_line: Some(line.number),
        });
        j += 1;
    }
    j
}

/// What a record says: the status (None when it does not say) and the years it was done in.
///
/// Cancelled and postponed win over everything (the document's last word on the action); a year in
/// parentheses means something was done then; `未実施` means nothing was; `実施` / `開催` without a year
/// is done in an unknown year.
pub(super) fn read_record(record: &str) -> (Option<Status>, Option<FiscalYearRange>) {
    let r = text::nfkc(record);
    let mut years: Option<FiscalYearRange> = None;
    let mut rest = r.as_str();
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let close = after.find(')').unwrap_or(after.len());
        let inner = &after[..close];
        if inner.contains("年度") {
            if let Ok(p) = FiscalYearRange::parse(inner) {
                years = Some(match years {
                    Some(y) => FiscalYearRange { first: y.first.min(p.value.first), last: y.last.max(p.value.last) },
                    None => p.value,
                });
            }
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    let status = if r.contains("中止") {
        Some(Status::Cancelled)
    } else if r.contains("延期") {
        Some(Status::Postponed)
    } else if years.is_some() {
        Some(Status::Done)
    } else if r.contains("未実施") || r.contains("未着手") {
        Some(Status::NotStarted)
    } else if ["実施", "開催", "設置", "完了", "済"].iter().any(|w| r.contains(w)) {
        Some(Status::Done)
    } else {
        None
    };
    let years = if status == Some(Status::Done) { years } else { None };
    (status, years)
}

/// `市民活動 支援課 企画政策課` → `市民活動支援課 企画政策課`: a department name wrapped over two cell
/// lines is joined, separate departments stay apart (a name ends in 課, 室, 局 …).
pub(super) fn join_departments(s: &str) -> String {
    const ENDS: [&str; 9] = ["課", "室", "局", "部", "係", "所", "センター", "委員会", "グループ"];
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for tok in s.split_whitespace() {
        pending.push_str(tok);
        if ENDS.iter().any(|e| tok.ends_with(e)) {
            out.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::FiscalYear;

    fn fy(y: i32) -> FiscalYear {
        FiscalYear::new(y).expect("year")
    }

    #[test]
    fn records_give_status_and_years() {
        let (s, y) = read_record("・小学校区単位のまちづくり意見交換会の実施(平成 25～28 年度)");
        assert_eq!(s, Some(Status::Done));
        assert_eq!(y, Some(FiscalYearRange { first: fy(2013), last: fy(2016) }));
        let (s, y) = read_record("・池の上、南山小学校区合同で地域フォーラムの実施 1回開催(平成 27 年度)");
        assert_eq!((s, y.map(|y| (y.first.year(), y.last.year()))), (Some(Status::Done), Some((2015, 2015))));
        assert_eq!(read_record("・未実施"), (Some(Status::NotStarted), None));
        assert_eq!(read_record("R3年3月開催予定➤5月へ延期➤中止").0, Some(Status::Cancelled));
        assert_eq!(read_record("検討中").0, None);
        assert_eq!(read_record("(平成25年度").0, Some(Status::Done));
    }

    #[test]
    fn wrapped_department_names_are_joined() {
        assert_eq!(join_departments("市民活動 支援課 企画政策課"), "市民活動支援課 企画政策課");
        assert_eq!(join_departments("市民協働推進課"), "市民協働推進課");
        assert_eq!(join_departments("まちづくり 推進"), "まちづくり推進");
    }
}

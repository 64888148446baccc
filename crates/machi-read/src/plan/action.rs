//! Action tables: `具体的な事業 <tab> 担当課 <tab> 実施したこと(実施年度)`, one row per action, often
//! under a title row that names the measure (`(1)小学校区を基礎としたまちづくり組織の設立 (P53) <tab> …`).
//!
//! The department cell is merged over the rows below it, so an empty cell (or `〃`, `同上`) continues the
//! one above. The record says what was done and when: `…の実施(平成 25～28 年度)` is done over 2013–2016,
//! `(令和元年度～)` done since 2019, `・未実施` / `実施せず` not started, `中止` / `廃止` cancelled, `延期` /
//! `見送り` postponed, `…予定(令和5年度)` planned (its year is no year done, so it is reported, not stored).
//! A record that says none of these is kept as planned, with a warning, rather than guessed at; years that
//! cannot be read are reported on their line.

use machi_domain::number::split_item_number;
use machi_domain::{ids, text, Action, Severity, Status, YearError, YearSpan};

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
        // A row right above another header is that table's title row (`(2)… <tab> description`), not an
        // action of this one: tables often follow each other with a blank line or none between them.
        if !line.original().contains('\t') || is_header(line).is_some() || next_is_header(lines, j) {
            break;
        }
        let cs = cells(line);
        let cell = |c: usize| cs.get(c).map(|c| c.norm()).unwrap_or("");
        let raw_desc = cs.get(cols.description).map(|c| c.raw).unwrap_or("");
        let (number, description) = match split_item_number(raw_desc) {
            Some((num, rest)) => (num.printed, text::nfkc(rest).trim().to_string()),
            None => (String::new(), cell(cols.description).to_string()),
        };
        // The department cell is merged over the rows below it, or says so (`〃`, `同上`).
        let dept_cell = cell(cols.department);
        if !dept_cell.is_empty() && !super::is_ditto(dept_cell) {
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
        let Record { status, years, planned, unreadable } = read_record(&record);
        for (inner, e) in &unreadable {
            // A year that is wrong (reversed, or two forms that disagree) is an error in the document; one
            // that is only unfamiliar (`毎年度`) deserves a look.
            let severity = match e {
                YearError::Reversed(_)
                | YearError::Mismatch(_)
                | YearError::BeforeEraStart(_)
                | YearError::BadDate(_) => Severity::Error,
                YearError::NotAYear(_) | YearError::CalendarYear(_) => Severity::Warning,
            };
            r.diag(
                line.number,
                severity,
                "action-years-unreadable",
                format!(
                    "{number} {description}: the years ({inner}) cannot be read ({e}); no years are stored for them"
                ),
            );
        }
        for item in &planned {
            r.info(
                line.number,
                "action-planned",
                format!("{number} {description}: {item:?} is planned; its year is not a year done and is not stored"),
            );
        }
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
            last_year: years.and_then(|y| y.last),
            record,
            source_line: Some(line.number),
        });
        j += 1;
    }
    j
}

/// What a record says about its action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Record {
    /// The status, `None` when the record does not say.
    pub status: Option<Status>,
    /// The fiscal years it was done in (no last year while it goes on); only ever set for [`Status::Done`].
    pub years: Option<YearSpan>,
    /// Items that only plan something (`・実施予定(令和5年度)`): their years are planned years, which the
    /// ledger has no place for (an action's years are years done), so they are reported, not stored.
    pub planned: Vec<String>,
    /// Texts in parentheses that look like years but cannot be read (`令和5～3年度`), with why.
    pub unreadable: Vec<(String, YearError)>,
}

/// What an item of a record says, strongest first: the record's status is that of its strongest item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Said {
    Cancelled,
    Postponed,
    Done,
    NotStarted,
    Planned,
}

/// Read a record: its `・` items, each with its status words and the years in its parentheses.
///
/// Cancelled and postponed win over everything (the document's last word on the action). An item done
/// wins over one not done or only planned: something was done. A year in parentheses is a year done
/// (the column is 実施したこと(実施年度)), except in an item that is cancelled, postponed, not done or
/// planned (`未実施(令和5年度実施予定)`): there it is no year done and is not stored. `実施` / `開催`
/// without a year is done in an unknown year.
pub(super) fn read_record(record: &str) -> Record {
    let r = text::nfkc(record);
    let mut out = Record::default();
    let mut strongest: Option<Said> = None;
    for item in items(&r) {
        let said = said(item);
        let mut years: Option<YearSpan> = None;
        for inner in parenthesised(item) {
            match YearSpan::parse(inner) {
                Ok(p) => years = Some(join(years, p.value)),
                // `(令和5年度実施予定)` is a plan, reported as one below, not years that failed to read.
                Err(e) if looks_like_years(inner) && !inner.contains("予定") => {
                    out.unreadable.push((text::trim(inner).to_string(), e))
                }
                Err(_) => {}
            }
        }
        let said = match said {
            None if years.is_some() => Some(Said::Done),
            s => s,
        };
        if said == Some(Said::Done) {
            if let Some(y) = years {
                out.years = Some(join(out.years, y));
            }
        }
        if said == Some(Said::Planned) || (said == Some(Said::NotStarted) && item.contains("予定")) {
            out.planned.push(text::trim(item).to_string());
        }
        strongest = match (strongest, said) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    out.status = strongest.map(|s| match s {
        Said::Cancelled => Status::Cancelled,
        Said::Postponed => Status::Postponed,
        Said::Done => Status::Done,
        Said::NotStarted => Status::NotStarted,
        Said::Planned => Status::Planned,
    });
    if out.status != Some(Status::Done) {
        out.years = None;
    }
    out
}

/// Two spans as one: from the earlier first year to the later last year, still open if either is.
fn join(a: Option<YearSpan>, b: YearSpan) -> YearSpan {
    match a {
        None => b,
        Some(a) => YearSpan {
            first: a.first.min(b.first),
            last: match (a.last, b.last) {
                (Some(x), Some(y)) => Some(x.max(y)),
                _ => None,
            },
        },
    }
}

/// Text in parentheses that means to give years (`令和5～3年度`, `毎年度`, `R3`), as opposed to a page
/// (`P53`), a count or a note: when it cannot be read, that is worth saying.
fn looks_like_years(inner: &str) -> bool {
    let t = text::squeeze(&text::fold(inner));
    let mut chars = t.chars();
    let era_letter = chars.next().is_some_and(|c| matches!(c, 'R' | 'H' | 'S' | 'r' | 'h' | 's'))
        && chars.next().is_some_and(|c| c.is_ascii_digit() || c == '元');
    t.contains('年') || era_letter || ["令和", "平成", "昭和"].iter().any(|e| t.starts_with(e))
}

/// The status words of one item, checked in this order because the words nest: `実施せず` and `未実施`
/// contain `実施`, and `未実施(令和5年度実施予定)` is not done (and planned) rather than only planned.
fn said(item: &str) -> Option<Said> {
    // 廃止 (abolished) is the end of the action, as 中止 is. 見送り (passed over: not taken up now, with no
    // date) is read as postponed rather than cancelled: unlike 中止 / 廃止 it does not end the action, and
    // a later year may take it up, which is what the ledger's postponed says.
    const CANCELLED: [&str; 2] = ["中止", "廃止"];
    const POSTPONED: [&str; 3] = ["延期", "見送り", "見送った"];
    const NOT_DONE: [&str; 7] =
        ["未実施", "未着手", "未開催", "実施せず", "開催せず", "実施しなかった", "行わなかった"];
    const DONE: [&str; 5] = ["実施", "開催", "設置", "完了", "済"];
    if CANCELLED.iter().any(|w| item.contains(w)) {
        Some(Said::Cancelled)
    } else if POSTPONED.iter().any(|w| item.contains(w)) {
        Some(Said::Postponed)
    } else if NOT_DONE.iter().any(|w| item.contains(w)) {
        Some(Said::NotStarted)
    } else if item.contains("予定") {
        Some(Said::Planned)
    } else if DONE.iter().any(|w| item.contains(w)) {
        Some(Said::Done)
    } else {
        None
    }
}

/// The `・` items of a record. A `・` inside parentheses separates years (`(R2・R3年度)`), not items.
fn items(r: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in r.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '・' if depth == 0 => {
                out.push(&r[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&r[start..]);
    out.into_iter().filter(|s| !text::trim(s).is_empty()).collect()
}

/// The texts in parentheses, in order; an unclosed one runs to the end.
fn parenthesised(item: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = item;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let close = after.find(')').unwrap_or(after.len());
        out.push(&after[..close]);
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
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
        let r = read_record("・小学校区単位のまちづくり意見交換会の実施(平成 25～28 年度)");
        assert_eq!(r.status, Some(Status::Done));
        assert_eq!(r.years, Some(YearSpan { first: fy(2013), last: Some(fy(2016)) }));
        let r = read_record("・池の上、南山小学校区合同で地域フォーラムの実施 1回開催(平成 27 年度)");
        assert_eq!(
            (r.status, r.years.map(|y| (y.first.year(), y.last.map(|l| l.year())))),
            (Some(Status::Done), Some((2015, Some(2015))))
        );
        assert_eq!(read_record("・未実施"), Record { status: Some(Status::NotStarted), ..Record::default() });
        assert_eq!(read_record("R3年3月開催予定➤5月へ延期➤中止").status, Some(Status::Cancelled));
        assert_eq!(read_record("検討中").status, None);
        assert_eq!(read_record("(平成25年度").status, Some(Status::Done));
    }

    #[test]
    fn planned_not_done_passed_over_and_abolished_records_have_no_year_done() {
        let planned =
            |rec: &str| Record { status: Some(Status::Planned), planned: vec![rec.into()], ..Record::default() };
        assert_eq!(read_record("・実施予定(令和５年度)"), planned("実施予定(令和5年度)"));
        assert_eq!(read_record("・令和5年度実施予定"), planned("令和5年度実施予定"));
        assert_eq!(read_record("・令和6年度から実施予定"), planned("令和6年度から実施予定"));
        assert_eq!(read_record("・開催予定(R5年度)"), planned("開催予定(R5年度)"));
        // Not done, and planned for 令和5: not started, and 2023 is no year done.
        let r = read_record("・未実施（令和5年度実施予定）");
        assert_eq!((r.status, r.years, r.planned.len(), r.unreadable.len()), (Some(Status::NotStarted), None, 1, 0));
        assert_eq!(read_record("・実施せず"), Record { status: Some(Status::NotStarted), ..Record::default() });
        assert_eq!(read_record("・見送り(令和3年度)"), Record { status: Some(Status::Postponed), ..Record::default() });
        assert_eq!(read_record("・廃止(R3年度)"), Record { status: Some(Status::Cancelled), ..Record::default() });
        // One item done and one not: something was done, in the done item's year.
        let r = read_record("・サポーター養成講座の開催(令和2年度) ・フォローアップ研修は未実施");
        assert_eq!((r.status, r.years), (Some(Status::Done), Some(YearSpan { first: fy(2020), last: Some(fy(2020)) })));
        // Done in 令和2, and planned again in 令和5: the planned year does not stretch the years done.
        let r = read_record("・講座の開催(令和2年度) ・講座の開催予定(令和5年度)");
        assert_eq!((r.status, r.years), (Some(Status::Done), Some(YearSpan { first: fy(2020), last: Some(fy(2020)) })));
        assert_eq!(r.planned, vec!["講座の開催予定(令和5年度)".to_string()]);
    }

    #[test]
    fn open_listed_and_monthly_years_are_years_done() {
        let done = |rec: &str| {
            let r = read_record(rec);
            assert_eq!((r.status, &r.unreadable), (Some(Status::Done), &vec![]), "{rec}");
            r.years.map(|y| (y.first.year(), y.last.map(|l| l.year())))
        };
        // Begun then and not ended: a first year and no last. 令和元 = 2019, H30 = 平成30 = 2018.
        assert_eq!(done("・自治会長向け説明会の開催(令和元年度～)"), Some((2019, None)));
        assert_eq!(done("・文化講座の開催(H30年度～)"), Some((2018, None)));
        assert_eq!(done("・文化講座の開催(令和 元 年度～)"), Some((2019, None)));
        assert_eq!(done("・文化講座の開催(令和3年度～継続中)"), Some((2021, None)));
        assert_eq!(done("・文化講座の開催(平成30年度から)"), Some((2018, None)));
        // Lists of years: the first and the last.
        assert_eq!(done("・文化講座の開催(令和2年度・令和3年度)"), Some((2020, Some(2021))));
        assert_eq!(done("・文化講座の開催(R2・R3年度)"), Some((2020, Some(2021))));
        assert_eq!(done("・デマンド交通の実証運行(令和2年度、令和4年度)"), Some((2020, Some(2022))));
        assert_eq!(done("・高齢者向けバスの乗り方教室(H28, H30年度)"), Some((2016, Some(2018))));
        assert_eq!(done("・文化講座の開催(H30,R1,R2)"), Some((2018, Some(2020))));
        assert_eq!(done("・個別通知による受診勧奨(令和2・3年度)"), Some((2020, Some(2021))));
        // A month: March 2021 lies in fiscal 2020.
        assert_eq!(done("・交通空白地域調査の実施(令和3年3月)"), Some((2020, Some(2020))));
        // No verb, but years in the 実施年度 column: done then.
        assert_eq!(done("・資機材購入補助金の交付 18団体(R2・R3年度)"), Some((2020, Some(2021))));
        // An open span and a closed one: still open.
        assert_eq!(done("・講座の開催(H30年度) ・相談会の開催(令和2年度～)"), Some((2018, None)));
    }

    #[test]
    fn years_that_cannot_be_read_are_reported_not_dropped() {
        let r = read_record("・文化講座の開催(令和5～3年度)");
        assert_eq!((r.status, r.years), (Some(Status::Done), None));
        assert_eq!(r.unreadable.len(), 1);
        assert_eq!(r.unreadable[0].0, "令和5~3年度");
        assert!(matches!(r.unreadable[0].1, YearError::Reversed(_)));
        let r = read_record("・文化講座の開催(毎年度)");
        assert!(matches!(r.unreadable[..], [(_, YearError::NotAYear(_))]));
        // Parentheses that hold no years are not years.
        assert!(read_record("・講座の開催(P53)(累計) (3回)").unreadable.is_empty());
    }

    #[test]
    fn wrapped_department_names_are_joined() {
        assert_eq!(join_departments("市民活動 支援課 企画政策課"), "市民活動支援課 企画政策課");
        assert_eq!(join_departments("市民協働推進課"), "市民協働推進課");
        assert_eq!(join_departments("まちづくり 推進"), "まちづくり推進");
    }
}

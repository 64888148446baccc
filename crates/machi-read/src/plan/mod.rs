//! Plans: policy trees (基本政策 / 基本施策 / 戦略 with their 具体的な施策), KPI tables (指標, 基準年度,
//! 目標年度) and action tables (具体的な事業, 担当課, 実施したこと(実施年度)), as PDF extractors render them.
//!
//! The reader walks the lines once and decides what each one is by the layout's own cues — a heading
//! keyword with a code, a section title standing alone on its line, a tab-separated header naming its
//! columns — never by line numbers, so that other documents of the same shape read the same way. Section
//! texts (現状, 課題, 目指すまちの姿 …) have no column in the interchange; they are kept as `info`
//! diagnostics naming their line, so that nothing the document says is silently dropped. Every line the
//! reader does not understand is reported as `skipped-line`.
//!
//! Submodules: [`tree`] (headings, sections, measure lists), [`kpi`] (KPI tables), [`action`] (action
//! tables); this file holds the walk and the state they share.

mod action;
mod kpi;
mod tree;

use machi_domain::{ids, text, Action, Diagnostic, Kpi, Ledger, PolicyKind, PolicyNode, Severity};

use crate::source::{Line, ReadError, ReadOptions, SourceText};

/// True if the source looks like a plan (policy tree / KPI table / action table) rather than a budget sheet.
pub fn looks_like(src: &SourceText) -> bool {
    let mut plan = 0usize;
    let mut budget = 0usize;
    for (i, line) in src.lines.iter().enumerate() {
        if line.norm().is_empty() {
            continue;
        }
        if kpi::is_header(&src.lines, i).is_some() || action::is_header(line).is_some() {
            // A table header is the strongest sign: budget sheets have no 指標 / 実施したこと columns.
            plan += 3;
        } else if tree::heading(line).is_some() || tree::section(line).is_some() {
            plan += 1;
        }
        // Money words mark a budget sheet; plans speak of targets, not amounts.
        let n = line.norm();
        if ["千円", "万円", "予算", "決算", "補正"].iter().any(|w| n.contains(w)) {
            budget += 1;
        }
    }
    plan > 0 && plan > budget
}

/// Read a plan: one [`machi_domain::Document`], its policy nodes, KPIs, actions and diagnostics.
pub fn read(src: &SourceText, opts: &ReadOptions) -> Result<Ledger, ReadError> {
    let mut r = Reader::new(src);
    r.walk();
    let title = src.lines.iter().map(|l| l.norm()).find(|n| !n.is_empty()).unwrap_or(&src.name).to_string();
    let mut diagnostics = Vec::new();
    // Plans are not per fiscal year and rarely name their municipality in the text: both come from the
    // options when given.
    let document = src.document(opts, &title, None, None, None, &mut diagnostics)?;
    diagnostics.append(&mut r.diagnostics);
    Ok(Ledger {
        documents: vec![document],
        policies: r.policies,
        kpis: r.kpis,
        actions: r.actions,
        diagnostics,
        ..Ledger::default()
    })
}

/// The section of a policy the walk is in: decides what a loose line means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Outside any known section: loose lines are skipped (and reported).
    None,
    /// 現状, 課題, 取組目標 …: lines are kept as section text.
    Text(&'static str),
    /// 具体的な施策 / 目標実現に向けた取り組み: numbered lines are measures.
    Measures(&'static str),
    /// 目指すまちの姿: the first line is the vision.
    Vision(&'static str),
    /// 関連する計画: each line names a plan, usually with its years.
    Related,
}

/// The state of one walk over a source.
struct Reader<'a> {
    src: &'a SourceText,
    doc_id: String,
    policies: Vec<PolicyNode>,
    kpis: Vec<Kpi>,
    actions: Vec<Action>,
    diagnostics: Vec<Diagnostic>,
    /// Index into `policies` of the policy heading in effect.
    current: Option<usize>,
    section: Section,
    /// The last measure item read in a measure list (style and value), to see where the list ends.
    last_item: Option<(machi_domain::ItemNumberStyle, u32)>,
    /// Whether the vision section has had its first line yet.
    vision_done: bool,
    /// Policy headings read so far: index into `policies`, keyword, rank.
    heads: Vec<(usize, &'static str, u8)>,
    /// The measure named by the title row of the next action table (`(1)… <tab> description`).
    table_measure: Option<usize>,
}

impl<'a> Reader<'a> {
    fn new(src: &'a SourceText) -> Self {
        Reader {
            src,
            doc_id: src.document_id(),
            policies: Vec::new(),
            kpis: Vec::new(),
            actions: Vec::new(),
            diagnostics: Vec::new(),
            current: None,
            section: Section::None,
            last_item: None,
            vision_done: false,
            heads: Vec::new(),
            table_measure: None,
        }
    }

    fn lines(&self) -> &'a [Line] {
        &self.src.lines
    }

    fn walk(&mut self) {
        let lines = self.lines();
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            if line.norm().is_empty() {
                i += 1;
                continue;
            }
            if line.original().contains('\t') {
                if let Some(header) = kpi::is_header(lines, i) {
                    i = kpi::read_table(self, i, header);
                    self.section = Section::None;
                    continue;
                }
                if let Some(cols) = action::is_header(line) {
                    i = action::read_table(self, i, cols);
                    self.section = Section::None;
                    continue;
                }
                if action::next_is_header(lines, i) && action::title_row(self, line) {
                    i += 1;
                    continue;
                }
                self.skip(line);
                i += 1;
                continue;
            }
            if let Some(h) = tree::heading(line) {
                tree::add_heading(self, line, h);
            } else if let Some(s) = tree::section(line) {
                self.section = s;
                self.last_item = None;
                self.vision_done = false;
            } else if tree::is_footnote(line) {
                self.info(line.number, "footnote", format!("footnote: {}", line.norm()));
            } else {
                tree::section_line(self, line);
            }
            i += 1;
        }
    }

    /// A label for the policy in effect, for messages (`基本施策 5-1`).
    fn context_label(&self) -> String {
        match self.current.and_then(|c| self.policies.get(c)) {
            Some(p) if !p.code.is_empty() => p.code.clone(),
            Some(p) => p.title.clone(),
            None => "(no policy)".to_string(),
        }
    }

    fn push_policy(
        &mut self,
        kind: PolicyKind,
        parent: Option<usize>,
        code: String,
        title: String,
        line: u32,
    ) -> usize {
        let n = self.policies.len() + 1;
        let parent_id = parent.and_then(|p| self.policies.get(p)).map(|p| p.id.clone());
        self.policies.push(PolicyNode {
            id: ids::policy_id(&self.doc_id, n),
            document_id: self.doc_id.clone(),
            parent_id,
            kind,
            code,
            title,
            stated_amount: None,
            source_line: Some(line),
        });
        self.policies.len() - 1
    }

    fn diag(&mut self, line: u32, severity: Severity, code: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            document_id: self.doc_id.clone(),
            line: Some(line),
            severity,
            code: code.to_string(),
            message,
        });
    }

    fn info(&mut self, line: u32, code: &str, message: String) {
        self.diag(line, Severity::Info, code, message);
    }

    fn warn(&mut self, line: u32, code: &str, message: String) {
        self.diag(line, Severity::Warning, code, message);
    }

    fn skip(&mut self, line: &Line) {
        self.info(line.number, "skipped-line", format!("not read as part of a plan: {}", line.original().trim()));
    }
}

/// One tab-separated cell: the text as printed (for item numbers) and its NFKC form, trimmed.
struct Cell<'a> {
    raw: &'a str,
    norm: String,
}

impl Cell<'_> {
    /// NFKC and trimmed (named like [`Line::norm`], which the readers use alike).
    fn norm(&self) -> &str {
        &self.norm
    }
}

/// Split a line into tab-separated cells. The original text is split (not `norm`, which is trimmed and
/// would lose leading empty cells, shifting every column).
fn cells(line: &Line) -> Vec<Cell<'_>> {
    line.original().split('\t').map(|raw| Cell { raw, norm: text::nfkc(raw).trim().to_string() }).collect()
}

/// A cell that says "same as above" (`〃`, `同上`): it continues the cell above, as an empty merged cell
/// does, and is never a value of its own.
fn is_ditto(cell: &str) -> bool {
    // `″` (double prime) stands in for `〃` in some fonts; NFKC turns it into two primes.
    matches!(text::squeeze(cell).as_str(), "〃" | "同上" | "″" | "′′" | "\"")
}

/// Compare two titles the way a reader would: NFKC, dashes folded, whitespace ignored.
fn same_title(a: &str, b: &str) -> bool {
    text::squeeze(&text::fold(a)) == text::squeeze(&text::fold(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use machi_domain::{Decimal, KpiValue};

    fn read_str(s: &str) -> Ledger {
        read(&SourceText::from_str("t.txt", s), &ReadOptions::default()).expect("read")
    }

    #[test]
    fn a_minimal_plan_reads_heading_measures_and_a_kpi() {
        let l = read_str(
            "基本目標 2 安心なまち\n\n基本施策 2-3 防災力を高める\n\n具体的な施策\n\n①自主防災組織を育てる\n\n\
             具体的な施策\t取組内容\t目標値\t\t\t担当課\n\t\t指標\tR1 (基準年度)\tR7 (目標年度)\t\n\
             ① 自主防災組織を育てる\t・訓練の支援 ・資機材の貸与\t組織率\t40%\t60%\t危機管理課\n",
        );
        let codes: Vec<_> = l.policies.iter().map(|p| (p.kind, p.code.as_str())).collect();
        assert_eq!(codes, vec![(PolicyKind::Policy, "2"), (PolicyKind::Policy, "2-3"), (PolicyKind::Measure, "①")]);
        assert_eq!(l.policies[1].parent_id.as_deref(), Some(l.policies[0].id.as_str()));
        assert_eq!(l.kpis.len(), 1);
        assert_eq!(l.kpis[0].policy_id.as_deref(), Some(l.policies[2].id.as_str()));
        assert_eq!(l.kpis[0].baseline_year.map(|y| y.year()), Some(2019));
        assert_eq!(l.actions.len(), 2);
    }

    #[test]
    fn one_line_header_merged_measure_cell_and_a_measure_first_named_in_the_table() {
        let l = read_str(
            "基本方針 1 住みよいまち\n\n             施策\t指標\t基準値(令和元年度)\t目標値(令和7年度)\t担当課\n             ① 見守りを広げる\t見守り協力員数\t120人\t200人\t福祉 政策課\n             \t見守り訪問件数(累計)\t—\t1,500件\t\n             ② 空き家を減らす\t空き家率\t13.5%\t11%\t住宅課\n",
        );
        assert_eq!(l.kpis.len(), 3);
        let m1 = l.policies.iter().find(|p| p.code == "①").map(|p| p.id.clone());
        assert_eq!(l.kpis[0].policy_id, m1);
        // The empty measure and department cells continue the row above (merged cells).
        assert_eq!((l.kpis[1].policy_id.clone(), l.kpis[1].department.as_str()), (m1, "福祉政策課"));
        assert!(l.kpis[1].cumulative);
        assert_eq!(l.kpis[1].baseline_value, None);
        assert_eq!(l.kpis[1].unit, "件");
        assert_eq!(l.kpis[2].baseline_year.map(|y| y.year()), Some(2019));
        assert_eq!(l.kpis[2].target_year.map(|y| y.year()), Some(2025));
        assert_eq!(l.kpis[2].unit, "%");
        // Measures first named in the table hang under the policy in effect.
        let parent = l.policies.iter().find(|p| p.code == "1").map(|p| p.id.clone());
        assert!(l.policies.iter().filter(|p| p.kind == PolicyKind::Measure).all(|p| p.parent_id == parent));
    }

    #[test]
    fn two_numbers_in_one_cell_are_reported_not_guessed() {
        let l = read_str(
            "具体的な施策\t取組内容\t目標値\t\t\t担当課\n\t\t指標\tH26 (基準年度)\tR4 (目標年度)\t\n             ① 協働\t・a\t実施数\t77 110\t\t市民協働推進課\n",
        );
        assert_eq!(l.kpis.len(), 1);
        assert_eq!((l.kpis[0].baseline_value.clone(), l.kpis[0].target_value.clone()), (None, None));
        assert!(l.diagnostics.iter().any(|d| d.code == "kpi-value-unreadable" && d.line == Some(3)));
    }

    #[test]
    fn ditto_marks_continue_the_department_above() {
        let l = read_str(
            "具体的な事業\t担当課\t実施したこと(実施年度)\n①講座\t生涯学習課\t・未実施\n②教室\t〃\t・未実施\n\
             ③相談\t同上\t・未実施\n④広報\t広報課\t・未実施\n⑤展示\t\t・未実施\n",
        );
        let depts: Vec<_> = l.actions.iter().map(|a| a.department.as_str()).collect();
        assert_eq!(depts, vec!["生涯学習課", "生涯学習課", "生涯学習課", "広報課", "広報課"]);
        // A ditto with nothing above it names no department: reported, not kept as its text.
        let l = read_str("具体的な事業\t担当課\t実施したこと(実施年度)\n①講座\t〃\t・未実施\n");
        assert_eq!(l.actions[0].department, "");
        assert!(l.diagnostics.iter().any(|d| d.code == "department-missing" && d.line == Some(2)));
        let l = read_str(
            "施策\t指標\t基準値(令和元年度)\t目標値(令和7年度)\t担当課\n① 見守り\t協力員数\t120人\t200人\t福祉課\n\
             \t訪問件数\t300件\t500件\t〃\n",
        );
        assert_eq!(l.kpis[1].department, "福祉課");
    }

    #[test]
    fn qualifiers_are_no_part_of_units_and_differing_units_are_not_merged() {
        let l = read_str(
            "施策\t指標\t基準値(平成30年度)\t目標値(令和5年度)\t担当課\n① 観光\t入込客数\t1,234千人\t1,500千人以上\t観光課\n\
             \t登録\t45人\t60団体\t\n",
        );
        assert_eq!(l.kpis[0].unit, "千人");
        assert_eq!(l.kpis[0].baseline_value, Some(KpiValue::Number(Decimal::from_int(1234))));
        assert_eq!(l.kpis[0].target_value, Some(KpiValue::Number(Decimal::from_int(1500))));
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.code == "kpi-qualifier" && d.line == Some(2) && d.message.contains("以上")));
        // 45人 is not 45 団体: the target keeps its number and unit, the baseline its printed text.
        assert_eq!(l.kpis[1].unit, "団体");
        assert_eq!(l.kpis[1].baseline_value, Some(KpiValue::Category("45人".into())));
        assert_eq!(l.kpis[1].target_value, Some(KpiValue::Number(Decimal::from_int(60))));
        assert!(l.diagnostics.iter().any(|d| d.code == "kpi-unit-mismatch" && d.line == Some(3)));
        assert!(!l.diagnostics.iter().any(|d| d.code == "kpi-kind-mismatch"));
    }

    #[test]
    fn a_cell_year_wins_over_the_header_year_with_a_note() {
        let l = read_str(
            "施策\t指標\t基準値(平成30年度)\t目標値(令和5年度)\t担当課\n① 発信\t寄附件数\t12,345件（R元）\t15,000件\t広報課\n\
             \t計画の策定\t未策定\t策定（R3）\t\n\t再生回数\t―\t50万回（累計）\t\n",
        );
        let years: Vec<_> =
            l.kpis.iter().map(|k| (k.baseline_year.map(|y| y.year()), k.target_year.map(|y| y.year()))).collect();
        // H30 = 2018 and R5 = 2023 from the header, R元 = 2019 and R3 = 2021 from the cells.
        assert_eq!(years, vec![(Some(2019), Some(2023)), (Some(2018), Some(2021)), (Some(2018), Some(2023))]);
        let notes: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "kpi-cell-year").map(|d| d.line).collect();
        assert_eq!(notes, vec![Some(2), Some(3)]);
        assert_eq!(l.kpis[1].target_value, Some(KpiValue::Category("策定".into())));
        assert_eq!((l.kpis[2].unit.as_str(), l.kpis[2].cumulative), ("万回", true));
        assert_eq!(l.kpis[2].target_value, Some(KpiValue::Number(Decimal::from_int(50))));
    }

    #[test]
    fn html_list_items_are_separate_actions() {
        let l = read_str(
            "施策\t取組内容\t指標\t基準値(令和元年度)\t目標値(令和6年度)\t担当課\n\
             ① 被害を防ぐ\t<ul><li>出前講座の開催</li><li>啓発チラシの配布</li></ul>\t講座回数\t18回\t24回\t消費生活センター\n",
        );
        let actions: Vec<_> = l.actions.iter().map(|a| (a.source_line, a.description.as_str())).collect();
        assert_eq!(actions, vec![(Some(2), "出前講座の開催"), (Some(2), "啓発チラシの配布")]);
    }

    #[test]
    fn header_years_written_both_ways_are_read_and_checked() {
        let table = |base: &str, target: &str| {
            format!(
                "具体的な施策\t取組内容\t目標値\t\t\t担当課\n\t\t指標\t{base} (基準年度)\t{target} (目標年度)\t\n\
                 ① 学び\t・講座\t受講者数\t2,100人\t2,600人\t生涯学習課\n"
            )
        };
        let l = read_str(&table("2019（令和元）年度", "2024（令和6）年度"));
        assert_eq!(l.kpis.len(), 1);
        assert_eq!(l.kpis[0].baseline_year.map(|y| y.year()), Some(2019));
        assert_eq!(l.kpis[0].target_year.map(|y| y.year()), Some(2024));
        // 令和元 is 2019: a header that says 2020 is an error, and neither year is stored for it.
        let l = read_str(&table("令和元（2020）年度", "令和6（2024）年度"));
        assert_eq!(l.kpis.len(), 1);
        assert_eq!(l.kpis[0].baseline_year, None);
        assert_eq!(l.kpis[0].target_year.map(|y| y.year()), Some(2024));
        let errors: Vec<_> = l.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].code.as_str(), errors[0].line), ("kpi-header-year-unreadable", Some(1)));
    }

    #[test]
    fn a_budget_sheet_is_not_a_plan() {
        let s = SourceText::from_str("b.txt", "令和2年度 北区まちづくりの取組\n（単位：千円）\n当初予算 決算額\n");
        assert!(!looks_like(&s));
        let p = SourceText::from_str("p.txt", "基本施策 5-1 市民協働\n\n現状\n\nなにか\n");
        assert!(looks_like(&p));
    }
}

//! The readers against documents they were not tuned on: invented samples in the shape of each seed
//! layout (test_data/samples), with other ward names, projects, row counts, funds, years and revision
//! months, and the same samples in Shift_JIS and with CRLF line ends.
//!
//! Every expected value was typed from the sample as written (its rows add up to its stated totals),
//! never copied from the reader's output. Each budget test checks that every placed value is right, that
//! nothing else is placed, and that what is left unplaced is reported as a warning on its line.

mod common;

use std::collections::BTreeSet;

use common::{cat, node, num, test_data};
use machi_domain::{FiscalYear, KnownIds, Ledger, Phase, PolicyKind, ScopeKind, Severity, Status};
use machi_read::{read_text, ReadOptions, SourceText};

const I: Phase = Phase::Initial;
const SEP: Phase = Phase::Revised { month: 9 };
const DEC: Phase = Phase::Revised { month: 12 };
const FEB: Phase = Phase::Revised { month: 2 };
const S: Phase = Phase::Settled;

fn sample(name: &str) -> String {
    let path = test_data(&format!("samples/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_bytes(name: &str, bytes: &[u8]) -> Ledger {
    let src = SourceText::decode(name, bytes).expect("decodes");
    read_text(&src, &ReadOptions::default()).expect("reads")
}

/// The sample as Shift_JIS bytes (every character of the samples has a Shift_JIS code).
fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!had_errors, "the sample has a character Shift_JIS lacks");
    bytes.into_owned()
}

/// Read a sample as UTF-8 and as Shift_JIS, each with LF and CRLF line ends, and check each reading.
fn in_every_encoding(name: &str, check: impl Fn(&Ledger)) {
    let text = sample(name);
    let crlf = text.replace('\n', "\r\n");
    for bytes in [text.clone().into_bytes(), crlf.clone().into_bytes(), shift_jis(&text), shift_jis(&crlf)] {
        check(&read_bytes(name, &bytes));
    }
}

/// One expected project: number, name, fund, group (pillar), new, sub-area tags, parent's name, and
/// the amounts placed per phase in 千円 (`None` = printed `―`). Amounts not listed must not be placed.
type Exp = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
    Option<&'static str>,
    &'static [(Phase, Option<i64>)],
);

/// A stated total: scope kind, scope (fund or group title), phase, 千円.
type Tot = (ScopeKind, &'static str, Phase, i64);

fn check_budget(l: &Ledger, ward: &str, fy: i32, projects: &[Exp], totals: &[Tot], warnings: &[(u32, &str)]) {
    assert_eq!(l.documents.len(), 1);
    assert_eq!(l.documents[0].fiscal_year, FiscalYear::new(fy));
    let got: Vec<String> = l.projects.iter().map(|p| format!("{} {}", p.number, p.name)).collect();
    assert_eq!(l.projects.len(), projects.len(), "projects read: {got:?}");
    let by = l.amounts_by_project();
    let mut placed = 0;
    for (p, e) in l.projects.iter().zip(projects) {
        let (number, name, fund, pillar, is_new, tags, parent, amounts) = *e;
        let what = format!("{number} {name}");
        assert_eq!((p.number.as_str(), p.name.as_str()), (number, name));
        assert_eq!(p.area, ward, "{what}");
        assert_eq!(p.fund, fund, "{what}");
        assert_eq!(p.pillar, pillar, "{what}");
        assert_eq!(p.is_new, is_new, "{what}");
        assert_eq!(p.tags, tags.iter().map(|t| t.to_string()).collect::<Vec<_>>(), "{what}");
        let parent_name =
            p.parent_id.as_ref().and_then(|id| l.projects.iter().find(|q| &q.id == id)).map(|q| q.name.as_str());
        assert_eq!(parent_name, parent, "{what}");
        let got: BTreeSet<(Phase, Option<i64>)> = by
            .get(p.id.as_str())
            .map(|v| v.iter().map(|a| (a.phase, a.amount.map(|y| y.get() / 1000))).collect())
            .unwrap_or_default();
        let want: BTreeSet<(Phase, Option<i64>)> = amounts.iter().copied().collect();
        assert_eq!(got, want, "{what}");
        placed += got.len();
    }
    assert_eq!(l.amounts.len(), placed, "amounts placed on no expected project");
    let got: BTreeSet<(ScopeKind, String, Phase, Option<i64>)> = l
        .totals
        .iter()
        .filter(|t| t.scope_kind != ScopeKind::Project)
        .map(|t| (t.scope_kind, t.scope.clone(), t.phase, t.stated.map(|y| y.get() / 1000)))
        .collect();
    let want: BTreeSet<(ScopeKind, String, Phase, Option<i64>)> =
        totals.iter().map(|(k, s, p, v)| (*k, s.to_string(), *p, Some(*v))).collect();
    assert_eq!(got, want, "stated totals");
    // A parent's figures are stated as its own total: exactly its placed amounts.
    for t in l.totals.iter().filter(|t| t.scope_kind == ScopeKind::Project) {
        let a = by.get(t.scope.as_str()).and_then(|v| v.iter().find(|a| a.phase == t.phase)).map(|a| a.amount);
        assert_eq!(a, Some(t.stated), "parent total {t:?}");
    }
    let got: BTreeSet<(u32, String)> = l
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && d.code != "no-municipality")
        .map(|d| (d.line.unwrap_or(0), d.code.clone()))
        .collect();
    let want: BTreeSet<(u32, String)> = warnings.iter().map(|(n, c)| (*n, c.to_string())).collect();
    assert_eq!(got, want, "warnings: {:#?}", l.diagnostics);
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

/// Amounts in all four phases (当初予算, 9月補正後, 2月補正後, 決算額), in 千円.
fn four(i: i64, r: i64, f: i64, s: i64) -> &'static [(Phase, Option<i64>)] {
    Vec::leak(vec![(I, Some(i)), (SEP, Some(r)), (FEB, Some(f)), (S, Some(s))])
}

/// A fund's stated totals in the same four phases, in 千円.
fn fund_totals(fund: &'static str, [i, r, f, s]: [i64; 4]) -> Vec<Tot> {
    [(I, i), (SEP, r), (FEB, f), (S, s)].into_iter().map(|(p, v)| (ScopeKind::Fund, fund, p, v)).collect()
}

const REC: &str = "復興支援自治推進経費";
const MACHI: &str = "まちづくり推進経費";

/// `four_phase_minato_r2.txt`: the 北区 layout. (`rev` is the month of the revision column.)
fn minato(rev: Phase) -> Vec<Exp> {
    let g1 = "地域のつながりづくり";
    let g2 = "防災・減災";
    let g3 = "見守り・子育て支援";
    let h1 = "誰もが集える場づくり";
    let h2 = "地域の担い手育成";
    let h3 = "魅力発信";
    let merged = "地域つながり・参加促進支援経費";
    let k = |i: i64, r: i64, f: i64, s: i64| -> Vec<(Phase, Option<i64>)> {
        vec![(I, Some(i)), (rev, Some(r)), (FEB, Some(f)), (S, Some(s))]
    };
    let leak = |v: Vec<(Phase, Option<i64>)>| -> &'static [(Phase, Option<i64>)] { Vec::leak(v) };
    vec![
        ("①", merged, REC, g1, false, &[], None, leak(k(1500, 1500, 1420, 1380))),
        ("②", merged, REC, g1, false, &[], None, leak(k(900, 900, 870, 850))),
        ("③", "避難路点検支援経費", REC, g2, false, &[], None, leak(k(1300, 1300, 1250, 1190))),
        ("④", "津波避難ビル協定推進・訓練支援経費", REC, g2, false, &[], None, leak(k(2000, 2000, 1800, 1650))),
        (
            "⑤",
            "親子防災キャンプ事業",
            REC,
            g3,
            true,
            &[],
            None,
            leak(vec![(I, Some(600)), (rev, Some(600)), (FEB, None), (S, None)]),
        ),
        ("⑥", "高齢者見守りネットワーク支援経費", REC, g3, false, &[], None, leak(k(1700, 1700, 1560, 1500))),
        ("①", "みなと区ふれあい交流プロジェクト", MACHI, h1, false, &[], None, leak(k(2400, 2400, 2100, 1980))),
        ("②", "みなと区子ども食堂応援事業", MACHI, h1, false, &[], None, leak(k(800, 650, 650, 610))),
        ("③", "地域リーダー養成講座開催経費", MACHI, h2, false, &[], None, leak(k(1100, 1100, 1000, 940))),
        ("④", "大学生まちづくり参画事業", MACHI, h2, false, &[], None, leak(k(500, 500, -120, 0))),
        ("⑤", "みなと区魅力発信事業", MACHI, h3, true, &[], None, leak(k(1600, 1600, 1480, 1420))),
        ("⑥", "港まつり開催支援経費", MACHI, h3, false, &[], None, leak(k(3000, 1000, 0, 0))),
        ("⑦", "みなと区まちづくり懇話会", MACHI, h3, false, &[], None, leak(k(600, 600, 590, 410))),
    ]
}

fn minato_totals(rev: Phase) -> Vec<Tot> {
    vec![
        (ScopeKind::Fund, REC, I, 8000),
        (ScopeKind::Fund, REC, rev, 8000),
        (ScopeKind::Fund, REC, FEB, 6900),
        (ScopeKind::Fund, REC, S, 6570),
        (ScopeKind::Fund, MACHI, I, 10000),
        (ScopeKind::Fund, MACHI, rev, 7850),
        (ScopeKind::Fund, MACHI, FEB, 5700),
        (ScopeKind::Fund, MACHI, S, 5360),
    ]
}

#[test]
fn four_phase_table_of_another_ward() {
    let text = sample("four_phase_minato_r2.txt");
    let l = read_bytes("minato_r2.txt", text.as_bytes());
    check_budget(&l, "みなと区", 2020, &minato(SEP), &minato_totals(SEP), &[]);
    // The shared name printed after the table is said to be given to both rows.
    assert!(l.diagnostics.iter().any(|d| d.line == Some(56) && d.code == "merged-name"));
    // Row ④'s name wraps over two lines and its one-line description (line 35) is short and has no `。`:
    // the blank line between them ends the name.
    let p4 = &l.projects[3];
    assert_eq!(
        (p4.name.as_str(), p4.description.as_str()),
        ("津波避難ビル協定推進・訓練支援経費", "避難ビルで訓練を行う")
    );
}

#[test]
fn header_words_with_years_units_and_budget_suffixes_name_the_same_columns() {
    let text = sample("four_phase_minato_r2.txt").replace(
        "予算額 9月補正後 2月補正後 決算額",
        "R2予算額（千円） ９月補正後予算 2月補正後予算額 令和2年度決算額",
    );
    let l = read_bytes("minato_r2.txt", text.as_bytes());
    check_budget(&l, "みなと区", 2020, &minato(SEP), &minato_totals(SEP), &[]);
}

#[test]
fn columns_of_another_fiscal_year_than_the_documents_are_not_its_phases() {
    // A 令和2年度 sheet whose headers name 令和元年度 (2019) columns: not this year's phases.
    let text = sample("four_phase_minato_r2.txt")
        .replace("予算額 9月補正後 2月補正後 決算額", "R元当初 9月補正後 2月補正後 R元決算");
    let l = read_bytes("minato_r2.txt", text.as_bytes());
    assert!(l.amounts.is_empty(), "{:?}", l.amounts.iter().take(4).collect::<Vec<_>>());
    let headers: Vec<Option<u32>> =
        l.diagnostics.iter().filter(|d| d.code == "other-year-header").map(|d| d.line).collect();
    // The six header lines of the sample.
    assert_eq!(headers, [Some(9), Some(23), Some(39), Some(65), Some(79), Some(92)]);
}

#[test]
fn columns_of_two_fiscal_years_are_not_read_as_one_years_phases() {
    // Last year's settled amount next to this year's budget: read as this year's 決算額 it would be a
    // wrong number, so the rows are left unplaced (and reported), not placed.
    let text = sample("four_phase_minato_r2.txt")
        .replace("予算額 9月補正後 2月補正後 決算額", "R1決算 R2当初 R2予算額 R2決算");
    let l = read_bytes("minato_r2.txt", text.as_bytes());
    assert!(l.amounts.is_empty(), "{:?}", l.amounts.iter().take(4).collect::<Vec<_>>());
    assert!(l.diagnostics.iter().any(|d| d.line == Some(15) && d.code == "unplaced-number"));
}

#[test]
fn four_phase_table_of_reiwa_3_with_a_december_revision() {
    let text = sample("four_phase_minato_r3.txt");
    assert!(text.contains("R3当初 12月補正後 2月補正後 決算額"));
    let l = read_bytes("minato_r3.txt", text.as_bytes());
    check_budget(&l, "みなと区", 2021, &minato(DEC), &minato_totals(DEC), &[]);
}

#[test]
fn four_phase_table_in_shift_jis_and_crlf() {
    for name in ["four_phase_minato_r2.txt", "four_phase_minato_r3.txt"] {
        let (fy, rev) = if name.contains("r2") { (2020, SEP) } else { (2021, DEC) };
        let text = sample(name);
        let sjis = shift_jis(&text);
        let l = read_bytes(name, &sjis);
        check_budget(&l, "みなと区", fy, &minato(rev), &minato_totals(rev), &[]);
        let crlf = text.replace('\n', "\r\n");
        check_budget(&read_bytes(name, crlf.as_bytes()), "みなと区", fy, &minato(rev), &minato_totals(rev), &[]);
        let both = shift_jis(&crlf);
        check_budget(&read_bytes(name, &both), "みなと区", fy, &minato(rev), &minato_totals(rev), &[]);
    }
}

const T1: &str = "地域の個性を活かしたまちづくりの推進";
const T2: &str = "安全・安心なまちづくりの推進";

/// `four_phase_tsubasa.txt`: the 中央区 layout with every phase column printed after its fund's total
/// as runs of loose numbers. The first fund's 当初予算 and 9月補正後 totals are equal and so are their
/// runs, so either reading gives the same numbers; the second fund's are equal but its runs differ
/// (money moved between rows in September), so only the columns its totals tell apart are placed.
#[test]
fn equal_column_totals_place_runs_only_when_the_runs_agree() {
    let k = |i: i64, f: i64, s: i64| -> &'static [(Phase, Option<i64>)] {
        Vec::leak(vec![(I, Some(i)), (SEP, Some(i)), (FEB, Some(f)), (S, Some(s))])
    };
    let later = |f: i64, s: i64| -> &'static [(Phase, Option<i64>)] { Vec::leak(vec![(FEB, Some(f)), (S, Some(s))]) };
    let projects: Vec<Exp> = vec![
        ("1", "公園美化推進事業", MACHI, "", true, &[], None, k(1200, 1100, 1050)),
        ("2", "地域見守りネットワーク事業", MACHI, "", false, &[], None, k(1000, 900, 850)),
        ("3", "つばさ区民まつり開催経費", MACHI, "", false, &[], None, k(800, 600, 550)),
        ("4", "被災地交流事業", REC, "", false, &[], None, later(700, 650)),
        ("5", "防災訓練支援事業", REC, "", false, &[], None, later(500, 450)),
    ];
    let totals: Vec<Tot> = vec![
        (ScopeKind::Fund, MACHI, I, 3000),
        (ScopeKind::Fund, MACHI, SEP, 3000),
        (ScopeKind::Fund, MACHI, FEB, 2600),
        (ScopeKind::Fund, MACHI, S, 2450),
        (ScopeKind::Fund, REC, I, 1500),
        (ScopeKind::Fund, REC, SEP, 1500),
        (ScopeKind::Fund, REC, FEB, 1200),
        (ScopeKind::Fund, REC, S, 1100),
    ];
    // The two runs of 1,500 (900 600 and 1,000 500) on lines 28–31, after the total on line 27.
    let warnings: Vec<(u32, &str)> = (28..=31).map(|n| (n, "unplaced-number")).collect();
    let l = read_bytes("tsubasa.txt", sample("four_phase_tsubasa.txt").as_bytes());
    check_budget(&l, "つばさ区", 2022, &projects, &totals, &warnings);
    let why = l.diagnostics.iter().find(|d| d.line == Some(30)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(why.contains("当初予算 and 9月補正後") && why.contains("line 27"), "{why}");

    // A misprinted last figure (460 for 450): the second fund's runs no longer add up to its totals,
    // so none of its eight figures is read as a column, not even the runs that still fit.
    let text = sample("four_phase_tsubasa.txt");
    let misprinted = text.strip_suffix("450\n").map(|t| format!("{t}460\n")).expect("ends with 450");
    let l = read_bytes("tsubasa.txt", misprinted.as_bytes());
    let none: &[(Phase, Option<i64>)] = &[];
    let projects: Vec<Exp> =
        projects.iter().map(|p| if p.2 == REC { (p.0, p.1, p.2, p.3, p.4, p.5, p.6, none) } else { *p }).collect();
    let warnings: Vec<(u32, &str)> = (28..=35).map(|n| (n, "unplaced-number")).collect();
    check_budget(&l, "つばさ区", 2022, &projects, &totals, &warnings);
    let why = l.diagnostics.iter().find(|d| d.line == Some(35)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(why.contains("not to the column totals"), "{why}");

    // The first fund's 決算額 run left out: its three runs are not all its columns, and the figures after
    // the next table are the second fund's, never counted as the first's missing run.
    let short = text.replacen("1,050\n850\n550\n", "", 1);
    let l = read_bytes("tsubasa.txt", short.as_bytes());
    let first_fund: Vec<&str> = l.projects.iter().filter(|p| p.fund == MACHI).map(|p| p.id.as_str()).collect();
    assert!(l.amounts.iter().all(|a| !first_fund.contains(&a.project_id.as_str())));
    let lines: BTreeSet<Option<u32>> = l.amounts.iter().map(|a| a.source_line).collect();
    assert_eq!(lines.len(), l.amounts.len(), "one figure, one value: {:?}", l.amounts);
}

#[test]
fn a_page_number_between_rows_does_not_take_the_next_rows_number_as_its_figure() {
    // A page number `12` after row 3's figure (line 33) is taken for a row; the bare `4` under the group
    // heading continues rows 1–3, so it starts row 4 rather than being row 12's figure of 4 千円.
    let text = sample("apart_totals_sumire.txt").replacen("\n650\n", "\n650\n\n12\n", 1);
    let l = read_bytes("sumire.txt", text.as_bytes());
    assert!(l.amounts.iter().all(|a| a.amount != Some(machi_domain::Yen::new(4_000))), "{:?}", l.amounts);
    let by = l.amounts_by_project();
    let row4 = l.projects.iter().find(|p| p.number == "4").expect("row 4");
    assert_eq!(row4.name, "仮設住宅退去者見守り支援事業");
    let got: Vec<(Phase, Option<i64>)> =
        by[row4.id.as_str()].iter().map(|a| (a.phase, a.amount.map(|y| y.get() / 1000))).collect();
    assert_eq!(got, [(I, Some(1200))]);
}

#[test]
fn runs_of_rows_printed_out_of_their_numbers_order_are_not_placed() {
    // Rows 2 and 3 swapped in print: whether the runs follow the print or the numbers is not certain.
    let text = sample("four_phase_runs_first_kuwa_r3.txt")
        .replace("2 くわ区ふれあい食堂支援事業", "3 くわ区ふれあい食堂支援事業")
        .replace("3 くわ区防災ウォーク開催経費", "2 くわ区防災ウォーク開催経費");
    let l = read_bytes("kuwa.txt", text.as_bytes());
    assert!(l.amounts.is_empty(), "{:?}", l.amounts);
    let why = l.diagnostics.iter().find(|d| d.line == Some(16)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(why.contains("out of their numbers' order (1, 3, 2)"), "{why}");
}

/// `glued_nolist_kikyou_r4.txt`: the 東区 layout (`R4当初 2月補正後 R4決算`) whose rows carry a fourth
/// figure glued to the last (`620650`), but with no list after the table to name that column. Read as
/// one amount, `620650` fits the three columns, yet the 決算額 total (2,370) rules that out; read as two,
/// it needs a column the header does not have. Neither reading is confirmed, so nothing of those rows is
/// placed and each is reported on its line.
#[test]
fn a_glued_figure_that_fits_the_header_only_as_one_amount_is_not_placed_unconfirmed() {
    let none: &[(Phase, Option<i64>)] = &[];
    let projects: Vec<Exp> = vec![
        ("1", "花壇づくり支援事業", "", "", false, &[], None, none),
        ("2", "子ども見守り事業", "", "", false, &[], None, none),
        ("3", "ききょう区ふれあい交流会開催経費", "", "", false, &[], None, none),
    ];
    let totals: Vec<Tot> =
        vec![(ScopeKind::Fund, MACHI, I, 3000), (ScopeKind::Fund, MACHI, FEB, 2500), (ScopeKind::Fund, MACHI, S, 2370)];
    let warnings = [
        (10, "unplaced-number"),
        (15, "unplaced-number"),
        (20, "unplaced-number"),
        (22, "unplaced-number"),
        (22, "fund-unconfirmed"),
    ];
    let l = read_bytes("kikyou.txt", sample("glued_nolist_kikyou_r4.txt").as_bytes());
    check_budget(&l, "ききょう区", 2022, &projects, &totals, &warnings);
    let why = l.diagnostics.iter().find(|d| d.line == Some(10)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(why.contains("620650 is one amount") && why.contains("620 + 650"), "{why}");
    let lead =
        l.diagnostics.iter().find(|d| d.line == Some(22) && d.message.contains("2,500")).map(|d| d.message.as_str());
    assert!(lead.is_some_and(|m| m.contains("a column the document does not name")), "{lead:?}");
}

/// `newsletter_kaede_r6.txt`: the newsletter layout with other bullets (○ ◆ ★ ・), full-width digits,
/// an amount in 億, in 【】, on the line under its item (`予算額：280万円`) or between name and sentence
/// without brackets; and two amounts that are not the item's alone (`95万円、前年度 80万円`, `約300万円`),
/// which are reported, not placed.
#[test]
fn newsletter_items_with_other_bullets_and_amount_forms() {
    let l = read_bytes("kaede.txt", sample("newsletter_kaede_r6.txt").as_bytes());
    let by = l.amounts_by_project();
    /// Bullet, name, new, theme, amount in yen, the name's line and the amount's.
    type Item = (String, String, bool, String, Option<i64>, Option<u32>, Option<u32>);
    let got: Vec<Item> = l
        .projects
        .iter()
        .map(|p| {
            let a = by.get(p.id.as_str()).and_then(|v| v.first());
            (
                p.number.clone(),
                p.name.clone(),
                p.is_new,
                p.pillar.clone(),
                a.and_then(|a| a.amount).map(|y| y.get()),
                p.source_line,
                a.and_then(|a| a.source_line),
            )
        })
        .collect();
    let safe = "安全で安心なまちづくり".to_string();
    let fureai = "ふれあいと交流のまちづくり".to_string();
    let want = vec![
        ("○".into(), "通学路の見守り強化".into(), false, safe.clone(), Some(4_500_000), Some(5), Some(5)),
        ("◆".into(), "避難所の備蓄拡充".into(), true, safe.clone(), Some(120_000_000), Some(8), Some(8)),
        ("◆".into(), "防犯灯のLED化".into(), false, safe, Some(2_800_000), Some(11), Some(12)),
        ("★".into(), "かえで通りマルシェの開催".into(), false, fureai.clone(), Some(1_200_000), Some(17), Some(17)),
        ("◇".into(), "多世代交流サロン".into(), false, fureai, Some(650_000), Some(19), Some(19)),
    ];
    assert_eq!(got, want);
    assert_eq!(l.amounts.len(), 5);
    // The sentence is the description, on the item's line or the line under it (under the amount's
    // line when that is apart), never a note or the office's phone line.
    let desc: Vec<&str> = l.projects.iter().map(|p| p.description.as_str()).collect();
    assert_eq!(
        desc,
        [
            "地域の見守り隊に腕章とベストを配布します。",
            "区内の全避難所に簡易トイレと毛布を備蓄します。",
            "自治会が管理する防犯灯をLEDに替えます。",
            "毎月第2日曜日に開催します。",
            "公民館で月2回、交流サロンを開きます。",
        ]
    );
    let themes: Vec<(String, Option<i64>)> =
        l.policies.iter().map(|p| (p.title.clone(), p.stated_amount.map(|y| y.get()))).collect();
    assert_eq!(
        themes,
        vec![
            ("安全で安心なまちづくり".into(), Some(32_000_000)),
            ("ふれあいと交流のまちづくり".into(), Some(9_800_000))
        ]
    );
    // The items are a selection: no total is stated for a check to compare.
    assert!(l.totals.is_empty());
    assert_eq!(l.documents[0].unit, Some(machi_domain::Unit::TenThousand));
    let warnings: BTreeSet<(u32, String)> = l
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && d.code != "no-municipality")
        .map(|d| (d.line.unwrap_or(0), d.code.clone()))
        .collect();
    assert_eq!(warnings, BTreeSet::from([(21, "unplaced-number".into()), (23, "unplaced-number".into())]));

    // A `・` breakdown under an item, and a note's list of parts, are not items.
    let text = sample("newsletter_kaede_r6.txt")
        .replace(
            "地域の見守り隊に腕章とベストを配布します。\n",
            "地域の見守り隊に腕章とベストを配布します。\n・腕章の購入　５０万円\n",
        )
        .replace(
            "※金額は当初予算額です\n",
            "※金額は当初予算額です\n※参考：区づくり推進費の内訳\n◆自主企画事業　８，０００万円\n",
        );
    let l = read_bytes("kaede.txt", text.as_bytes());
    assert_eq!(l.projects.len(), 5, "{:?}", l.projects.iter().map(|p| &p.name).collect::<Vec<_>>());
    assert_eq!(l.amounts.len(), 5);
    let why: Vec<&str> =
        l.diagnostics.iter().filter(|d| d.code == "unplaced-number").map(|d| d.message.as_str()).collect();
    assert!(why.iter().any(|m| m.contains("腕章の購入") && m.contains("breakdown")), "{why:?}");
    assert!(why.iter().any(|m| m.contains("自主企画事業") && m.contains("note")), "{why:?}");
}

/// The phase of a newsletter's amounts is the one its title or notes name: `※金額は決算額です` makes them
/// settled amounts, `2月補正後の予算額` the February budget; with none named they are read as the initial
/// budget and a warning says so; with two named, none is placed.
#[test]
fn a_newsletters_notes_name_the_phase_of_its_amounts() {
    let text = sample("newsletter_kaede_r6.txt");
    let phases = |t: &str| {
        let l = read_bytes("kaede.txt", t.as_bytes());
        let p: BTreeSet<Phase> = l.amounts.iter().map(|a| a.phase).collect();
        let codes: BTreeSet<String> =
            l.diagnostics.iter().filter(|d| d.code.starts_with("phase")).map(|d| d.code.clone()).collect();
        (p, codes, l.amounts.len())
    };
    let note = "※金額は当初予算額です";
    assert_eq!(phases(&text), (BTreeSet::from([I]), BTreeSet::new(), 5));
    assert_eq!(phases(&text.replace(note, "※金額は決算額です")), (BTreeSet::from([S]), BTreeSet::new(), 5));
    assert_eq!(
        phases(&text.replace(note, "※金額は2月補正後の予算額です")),
        (BTreeSet::from([FEB]), BTreeSet::new(), 5)
    );
    assert_eq!(
        phases(&text.replace(note, "※区の取組を紹介しています")),
        (BTreeSet::from([I]), BTreeSet::from(["phase-assumed".to_string()]), 5)
    );
    let unclear = (BTreeSet::new(), BTreeSet::from(["phase-unclear".to_string()]), 0);
    assert_eq!(phases(&text.replace(note, "※金額は当初予算額です\n※金額は決算額です")), unclear);
    assert_eq!(phases(&text.replace(note, "※当初予算額と決算額を掲載しています")), unclear);
    // A note's sentence saying what the amounts are outweighs phases only mentioned, in another sentence,
    // in brackets, or about another year.
    let initial = (BTreeSet::from([I]), BTreeSet::new(), 5);
    for said in [
        "※金額は当初予算額です。前年度の決算額は区のホームページでご覧いただけます",
        "※（ ）内の金額は令和6年度当初予算額です。前年度決算額は裏面に掲載しています",
        "※金額は当初予算額です。令和4年度決算額との比較は区のホームページをご覧ください",
        "※金額は当初予算額です（2月補正後の額は未定です）",
    ] {
        assert_eq!(phases(&text.replace(note, said)), initial, "{said}");
    }
    // A phase named only for another year names none of these amounts: read as 当初予算, with a warning.
    let assumed = (BTreeSet::from([I]), BTreeSet::from(["phase-assumed".to_string()]), 5);
    assert_eq!(phases(&text.replace(note, "※令和4年度の決算額をもとに、事業の内容を見直しました")), assumed);
}

fn asahi() -> Vec<Exp> {
    let k = four;
    let p1 = Some("地域力活性化支援事業");
    let p2 = Some("地域防災力強化支援事業");
    vec![
        ("", "地域力活性化支援事業", MACHI, T1, false, &[], None, k(2000, 1800, 1790, 1500)),
        ("①", "川辺の花壇づくり事業", MACHI, T1, false, &["川口"], p1, k(600, 550, 550, 480)),
        ("②", "昔語り伝承事業", MACHI, T1, true, &["川口"], p1, k(300, 250, 240, 200)),
        ("③", "浜辺清掃推進経費", MACHI, T1, false, &["東浜"], p1, k(700, 650, 650, 560)),
        ("④", "丘の上ミニコンサート開催経費", MACHI, T1, false, &["西丘"], p1, k(400, 350, 350, 260)),
        ("(1)", "あさひ区地域交流拠点支援経費", MACHI, T1, false, &[], None, k(1210, 1210, 1100, 1050)),
        ("", "地域防災力強化支援事業", MACHI, T2, false, &[], None, k(1790, 1200, 1150, 900)),
        ("①", "津波避難訓練支援事業", MACHI, T2, false, &["東浜"], p2, k(890, 600, 580, 450)),
        ("②", "防災マップ作成経費", MACHI, T2, true, &["西丘"], p2, k(500, 300, 290, 250)),
        ("③", "防災倉庫整備経費", MACHI, T2, false, &["川口"], p2, k(400, 300, 280, 200)),
    ]
}

fn asahi_totals() -> Vec<Tot> {
    vec![
        (ScopeKind::Pillar, T1, I, 3210),
        (ScopeKind::Pillar, T2, I, 1790),
        (ScopeKind::Fund, MACHI, I, 5000),
        (ScopeKind::Fund, MACHI, SEP, 4210),
        (ScopeKind::Fund, MACHI, FEB, 4040),
        (ScopeKind::Fund, MACHI, S, 3450),
    ]
}

#[test]
fn parent_projects_with_sub_area_items_and_theme_amounts() {
    let text = sample("parent_items_asahi.txt");
    let l = read_bytes("asahi.txt", text.as_bytes());
    check_budget(&l, "あさひ区", 2020, &asahi(), &asahi_totals(), &[]);
    // Two parents state their figures as totals of their items.
    assert_eq!(l.totals.iter().filter(|t| t.scope_kind == ScopeKind::Project).count(), 8);
    // The sub-areas are areas under the ward.
    let subs: BTreeSet<&str> =
        l.areas.iter().filter(|a| a.kind == machi_domain::AreaKind::Other).map(|a| a.name.as_str()).collect();
    assert_eq!(subs, BTreeSet::from(["川口", "東浜", "西丘"]));
    for enc in [shift_jis(&text), text.replace('\n', "\r\n").into_bytes(), shift_jis(&text.replace('\n', "\r\n"))] {
        check_budget(&read_bytes("asahi.txt", &enc), "あさひ区", 2020, &asahi(), &asahi_totals(), &[]);
    }
}

/// `parent_glued_item_yanagi_r4.txt`: a line item's last two figures glued (`750680`). Read as one amount
/// it could fill any three of the four columns; only 750 and 680 make the items add up to their parent's
/// figures (1,650 and 1,500), so the parent decides it, as a fund total would.
#[test]
fn a_parents_figures_split_a_glued_figure_of_its_item() {
    let k = four;
    let theme = "地域の絆を深めるまちづくりの推進";
    let parent = Some("地域交流推進事業");
    let projects: Vec<Exp> = vec![
        ("", "地域交流推進事業", MACHI, theme, false, &[], None, k(1800, 1700, 1650, 1500)),
        ("①", "ふれあい餅つき大会開催事業", MACHI, theme, false, &["北町"], parent, k(1000, 900, 900, 820)),
        ("②", "花いっぱい運動推進事業", MACHI, theme, false, &["南町"], parent, k(800, 800, 750, 680)),
        ("(2)", "やなぎ区まちづくり懇話会開催経費", MACHI, theme, false, &[], None, k(1200, 1200, 1100, 1000)),
    ];
    let totals: Vec<Tot> = vec![
        (ScopeKind::Fund, MACHI, I, 3000),
        (ScopeKind::Fund, MACHI, SEP, 2900),
        (ScopeKind::Fund, MACHI, FEB, 2750),
        (ScopeKind::Fund, MACHI, S, 2500),
        (ScopeKind::Pillar, theme, I, 3000),
    ];
    let l = read_bytes("yanagi.txt", sample("parent_glued_item_yanagi_r4.txt").as_bytes());
    check_budget(&l, "やなぎ区", 2022, &projects, &totals, &[]);

    // A parent whose own last figure could itself be glued (`1500`: one amount, or 150 and 0) decides
    // nothing: item ② is left unplaced and reported.
    let text = sample("parent_glued_item_yanagi_r4.txt").replace("1,800 1,700 1,650 1,500", "1,800 1,700 1,650 1500");
    let l = read_bytes("yanagi.txt", text.as_bytes());
    let item = l.projects.iter().find(|p| p.number == "②").expect("item ②");
    assert!(l.amounts.iter().all(|a| a.project_id != item.id), "{:?}", l.amounts);
    assert!(l.diagnostics.iter().any(|d| d.line == Some(11) && d.code == "unplaced-number"));
}

/// `parent_items_nextline_kiri_r3.txt`: line items of the inline layout whose description, or only their
/// figures, run onto the next line. The name ends at the first space as on a one-line item; the
/// description is joined across the lines.
#[test]
fn inline_items_continued_on_the_next_line_keep_name_and_description_apart() {
    let k = four;
    let parent = Some("地域見守り支援事業");
    let projects: Vec<Exp> = vec![
        ("", "地域見守り支援事業", MACHI, "", false, &[], None, k(1300, 1250, 1200, 1100)),
        ("①", "見守りサポーター養成事業", MACHI, "", false, &["本町"], parent, k(800, 750, 700, 650)),
        ("②", "高齢者スマホ教室開催事業", MACHI, "", false, &["新町"], parent, k(500, 500, 500, 450)),
    ];
    let totals = fund_totals(MACHI, [1300, 1250, 1200, 1100]);
    let l = read_bytes("kiri.txt", sample("parent_items_nextline_kiri_r3.txt").as_bytes());
    check_budget(&l, "きり区", 2021, &projects, &totals, &[]);
    let desc: Vec<&str> = l.projects.iter().map(|p| p.description.as_str()).collect();
    assert_eq!(
        desc[1..],
        [
            "地域の見守りを担うサポーターを養成するため、民生委員と協力して連続講座を開催する。",
            "スマートフォンの使い方を学ぶ教室を開催する。"
        ]
    );
}

/// `one_per_line_tsuge_r3.txt`: row ①'s four figures printed one per line (lines 10–13), as extractors
/// leave a table's cells. Read as the row's columns they make the fund total add up, which confirms
/// them; each value keeps its own line. With a total they do not add up to, they are not placed.
#[test]
fn figures_printed_one_per_line_are_a_rows_columns_when_the_total_confirms_them() {
    let k = four;
    let g = "地域の居場所づくり";
    let projects: Vec<Exp> = vec![
        ("①", "つげ区ふれあい広場運営事業", MACHI, g, false, &[], None, k(1200, 1200, 1050, 980)),
        ("②", "つげ区子ども見守り事業", MACHI, g, false, &[], None, k(700, 700, 650, 600)),
    ];
    let totals = fund_totals(MACHI, [1900, 1900, 1700, 1580]);
    let text = sample("one_per_line_tsuge_r3.txt");
    let l = read_bytes("tsuge.txt", text.as_bytes());
    check_budget(&l, "つげ区", 2021, &projects, &totals, &[]);
    let lines: Vec<(Phase, Option<u32>)> =
        l.amounts.iter().filter(|a| a.project_id == l.projects[0].id).map(|a| (a.phase, a.source_line)).collect();
    assert_eq!(lines, [(I, Some(10)), (SEP, Some(11)), (FEB, Some(12)), (S, Some(13))]);

    // 決算額 total misprinted (1,590): the other three columns still add up to their totals, which
    // confirms those cells; the 決算額 cell is left and reported.
    let l = read_bytes("tsuge.txt", text.replace("1,700 1,580", "1,700 1,590").as_bytes());
    let first: Vec<(Phase, Option<i64>, Option<u32>)> = l
        .amounts
        .iter()
        .filter(|a| a.project_id == l.projects[0].id)
        .map(|a| (a.phase, a.amount.map(|y| y.get() / 1000), a.source_line))
        .collect();
    assert_eq!(first, [(I, Some(1200), Some(10)), (SEP, Some(1200), Some(11)), (FEB, Some(1050), Some(12))]);
    let why = l.diagnostics.iter().find(|d| d.line == Some(10)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(
        why.contains("one per line (line 10 to 13)") && why.contains("confirms 当初予算, 9月補正後, 2月補正後 only"),
        "{why}"
    );
    // The rows are still the fund's: three of its columns add up.
    assert!(l.projects.iter().all(|p| p.fund == MACHI));

    // Every total misprinted: nothing confirms the stacked figures.
    let l = read_bytes(
        "tsuge.txt",
        text.replace("合計 1,900 1,900 1,700 1,580", "合計 1,910 1,910 1,710 1,590").as_bytes(),
    );
    assert!(l.amounts.iter().all(|a| a.project_id != l.projects[0].id));
    let why = l.diagnostics.iter().find(|d| d.line == Some(10)).map(|d| d.message.as_str()).unwrap_or_default();
    assert!(why.contains("no fund total confirms"), "{why}");
}

/// `four_phase_runs_first_kuwa_r3.txt`: the layout of formats.md's second extra shape with the runs
/// printed between the rows and the fund's `計` line (lines 16–27), not after it. The totals still
/// decide which run is which column, and each value cites its own line.
#[test]
fn phase_runs_printed_before_the_total_are_matched_by_it() {
    let k = four;
    let projects: Vec<Exp> = vec![
        ("1", "くわ区花壇ボランティア支援事業", MACHI, "", false, &[], None, k(800, 800, 760, 700)),
        ("2", "くわ区ふれあい食堂支援事業", MACHI, "", false, &[], None, k(700, 650, 600, 590)),
        ("3", "くわ区防災ウォーク開催経費", MACHI, "", false, &[], None, k(500, 500, 480, 450)),
    ];
    let totals = fund_totals(MACHI, [2000, 1950, 1840, 1740]);
    let l = read_bytes("kuwa.txt", sample("four_phase_runs_first_kuwa_r3.txt").as_bytes());
    check_budget(&l, "くわ区", 2021, &projects, &totals, &[]);
    let lines: Vec<(Phase, Option<u32>)> =
        l.amounts.iter().filter(|a| a.project_id == l.projects[0].id).map(|a| (a.phase, a.source_line)).collect();
    assert_eq!(lines, [(I, Some(16)), (SEP, Some(19)), (FEB, Some(22)), (S, Some(25))]);
}

/// `three_figures_momi_r3.txt`: row ② prints three figures for four columns (line 15), and its 決算額,
/// which the 決算額 total includes (1,650 = 850 + 300 + 500), is not printed at all. No reading adds up in
/// every column, but 当初予算, 9月補正後 and 2月補正後 add up only with 600 600 550 in them: those are
/// placed, 決算額 is not, and the rows stay the fund's.
#[test]
fn the_columns_that_add_up_settle_a_short_row_when_another_column_cannot() {
    let k = four;
    let g = "地域の居場所づくり";
    let short: &[(Phase, Option<i64>)] = &[(I, Some(600)), (SEP, Some(600)), (FEB, Some(550))];
    let projects: Vec<Exp> = vec![
        ("①", "もみ区ふれあいサロン支援事業", MACHI, g, false, &[], None, k(1000, 1000, 900, 850)),
        ("②", "もみ区子ども食堂支援事業", MACHI, g, false, &[], None, short),
        ("③", "もみ区まちづくり懇話会", MACHI, g, false, &[], None, k(400, 400, 350, 300)),
    ];
    let totals = fund_totals(MACHI, [2000, 2000, 1800, 1650]);
    let warnings = [(15, "unplaced-number"), (22, "totals-do-not-reconcile")];
    let l = read_bytes("momi.txt", sample("three_figures_momi_r3.txt").as_bytes());
    check_budget(&l, "もみ区", 2021, &projects, &totals, &warnings);
}

const BOUSAI: &str = "地域防災推進経費";

/// `glued_hikari_r3.txt`: the 東区 layout, 9月補正後 glued to the settled cell.
fn hikari() -> Vec<Exp> {
    let k = |v: &[(Phase, Option<i64>)]| -> &'static [(Phase, Option<i64>)] { Vec::leak(v.to_vec()) };
    vec![
        (
            "1",
            "通学路見守り隊支援事業",
            MACHI,
            "",
            false,
            &[],
            None,
            k(&[(I, Some(540)), (FEB, Some(480)), (S, Some(470)), (SEP, Some(480))]),
        ),
        (
            "2",
            "ひかり区ふれあい音楽祭開催経費",
            MACHI,
            "",
            false,
            &[],
            None,
            k(&[(I, Some(1300)), (FEB, Some(900)), (S, Some(854)), (SEP, Some(1000))]),
        ),
        (
            "3",
            "空き店舗活用支援事業",
            MACHI,
            "",
            false,
            &[],
            None,
            k(&[(I, Some(2000)), (FEB, Some(1500)), (S, Some(1420)), (SEP, Some(1800))]),
        ),
        (
            "4",
            "防災リーダー研修事業",
            MACHI,
            "",
            false,
            &[],
            None,
            k(&[(I, Some(760)), (FEB, Some(0)), (S, Some(0)), (SEP, Some(0))]),
        ),
        // `400 - --`: a double dash may be one empty cell or two; the 9月 cell is not read from it (no
        // number is at stake: the cells are empty either way).
        ("5", "花と緑の街角づくり事業", MACHI, "", false, &[], None, k(&[(I, Some(400)), (FEB, None), (S, None)])),
        // `300 250 2020` and `100 30 2020`: 20|20 and 202|0 both reconcile with the settled total 1,720
        // (20 + 202 either way), so neither row's settled or 9月 figure is placed.
        ("1", "避難所運営訓練支援事業", BOUSAI, "", false, &[], None, k(&[(I, Some(300)), (FEB, Some(250))])),
        ("2", "防災井戸マップ作成事業", BOUSAI, "", false, &[], None, k(&[(I, Some(100)), (FEB, Some(30))])),
        (
            "3",
            "地区防災計画づくり支援事業",
            BOUSAI,
            "",
            false,
            &[],
            None,
            k(&[(I, Some(1600)), (FEB, Some(1520)), (S, Some(1498)), (SEP, Some(1600))]),
        ),
    ]
}

fn hikari_totals() -> Vec<Tot> {
    vec![
        (ScopeKind::Fund, MACHI, I, 5000),
        (ScopeKind::Fund, MACHI, FEB, 2880),
        (ScopeKind::Fund, MACHI, S, 2744),
        (ScopeKind::Fund, BOUSAI, I, 2000),
        (ScopeKind::Fund, BOUSAI, FEB, 1800),
        (ScopeKind::Fund, BOUSAI, S, 1720),
    ]
}

/// What the 東区-layout sample leaves unplaced: the 9月 totals glued before `合　計`, the two ambiguous
/// glued cells, and the 9月 column listed after the table (which names no rows).
const HIKARI_WARNINGS: &[(u32, &str)] = &[
    (35, "unplaced-number"),
    (54, "unplaced-number"),
    (42, "unplaced-number"),
    (47, "unplaced-number"),
    (58, "unplaced-number"),
    (59, "unplaced-number"),
    (60, "unplaced-number"),
    (61, "unplaced-number"),
    (62, "unplaced-number"),
];

#[test]
fn glued_revision_column_is_split_only_where_the_totals_decide() {
    let text = sample("glued_hikari_r3.txt");
    let l = read_bytes("hikari.txt", text.as_bytes());
    check_budget(&l, "ひかり区", 2021, &hikari(), &hikari_totals(), HIKARI_WARNINGS);
    // The undecided rows say which readings were considered.
    for line in [42, 47] {
        let d = l.diagnostics.iter().find(|d| d.line == Some(line)).expect("diagnostic");
        assert!(d.message.contains("settled=20") && d.message.contains("settled=202"), "{}", d.message);
    }
    for enc in [shift_jis(&text), text.replace('\n', "\r\n").into_bytes(), shift_jis(&text.replace('\n', "\r\n"))] {
        check_budget(&read_bytes("hikari.txt", &enc), "ひかり区", 2021, &hikari(), &hikari_totals(), HIKARI_WARNINGS);
    }
}

fn check_kpi_plan(l: &Ledger) {
    let p3 = node(l, PolicyKind::Policy, "3", None);
    assert_eq!((p3.title.as_str(), p3.source_line), ("安心して暮らせるまちをつくるために", Some(2)));
    let n31 = node(l, PolicyKind::Policy, "3-1", Some("3"));
    assert_eq!((n31.title.as_str(), n31.source_line), ("災害に強い地域をつくる", Some(4)));
    let n32 = node(l, PolicyKind::Policy, "3-2", Some("3"));
    assert_eq!((n32.title.as_str(), n32.source_line), ("地域の見守りを広げる", Some(6)));
    let measures = [
        ("①", "見守り活動を広げる", 24),
        ("②", "空き家の管理を促す", 26),
        ("③", "地域の交流拠点を整える", 28),
        ("④", "見守りの情報を共有する", 30),
    ];
    for (code, title, line) in measures {
        let n = node(l, PolicyKind::Measure, code, Some("3-2"));
        assert_eq!((n.title.as_str(), n.source_line), (title, Some(line)), "{code}");
    }
    let v = node(l, PolicyKind::Vision, "", Some("3-2"));
    assert_eq!(v.title, "地域の人がお互いに気にかけあい、誰もが安心して暮らしています。");
    // 3, 3-1, 3-2, ①–④, the vision: the repeated headings of lines 8 and 10 are the same nodes.
    assert_eq!(l.policies.len(), 8);

    let m = |code: &str| Some(node(l, PolicyKind::Measure, code, Some("3-2")).id.clone());
    // (line, measure, indicator, unit, cumulative, baseline, target, department); R1 = 2019, R6 = 2024.
    let expected = [
        (38, m("①"), "見守り協力員数", "人", false, num(420, 0), num(600, 0), "地域福祉課"),
        // A falling target: the rate is to go down from 12.5% to 10%.
        (39, m("②"), "管理不全空き家の割合", "%", false, num(125, 1), num(10, 0), "住宅政策課"),
        (40, m("③"), "地域交流拠点の設置", "", false, cat("未設置"), cat("設置"), "地域振興課"),
        (41, m("④"), "見守り訪問件数(累計)", "件", true, None, num(5000, 0), "地域福祉課"),
    ];
    assert_eq!(l.kpis.len(), expected.len());
    for (k, (line, policy, indicator, unit, cumulative, baseline, target, dept)) in l.kpis.iter().zip(expected) {
        assert_eq!(k.source_line, Some(line), "{indicator}");
        assert_eq!(k.policy_id, policy, "{indicator}");
        assert_eq!(k.indicator, indicator);
        assert_eq!(k.unit, unit, "{indicator}");
        assert_eq!(k.cumulative, cumulative, "{indicator}");
        assert_eq!(k.baseline_year, FiscalYear::new(2019), "{indicator}");
        assert_eq!(k.baseline_value, baseline, "{indicator}");
        assert_eq!(k.target_year, FiscalYear::new(2024), "{indicator}");
        assert_eq!(k.target_value, target, "{indicator}");
        assert_eq!(k.department, dept, "{indicator}");
    }
    let actions = [
        (38, m("①"), "見守り協力員の養成", "地域福祉課"),
        (38, m("①"), "見守り協定の締結", "地域福祉課"),
        // The HTML list in the cell of line 39.
        (39, m("②"), "空き家相談会の開催", "住宅政策課"),
        (39, m("②"), "空き家バンクの運営", "住宅政策課"),
        (39, m("②"), "管理不全空き家の所有者への助言", "住宅政策課"),
        (40, m("③"), "交流拠点の整備支援", "地域振興課"),
        (41, m("④"), "見守り情報共有システムの運用", "地域福祉課"),
    ];
    assert_eq!(l.actions.len(), actions.len());
    for (a, (line, policy, description, dept)) in l.actions.iter().zip(actions) {
        assert_eq!((a.source_line, &a.policy_id, a.description.as_str()), (Some(line), &policy, description));
        assert_eq!(
            (a.status, a.first_year, a.record.as_str(), a.department.as_str()),
            (Status::Planned, None, "", dept)
        );
    }
    let msg = |line: u32, code: &str| {
        l.diagnostics
            .iter()
            .find(|d| d.line == Some(line) && d.code == code)
            .map(|d| d.message.clone())
            .unwrap_or_else(|| panic!("no {code} at line {line}"))
    };
    assert!(msg(47, "related-plan").contains("地域福祉計画 (FY2020–2024)"));
    assert!(msg(49, "related-plan").contains("空家等対策計画 (FY2019–)"));
    let loud: Vec<_> = l.diagnostics.iter().filter(|d| d.severity != Severity::Info).map(|d| &d.code).collect();
    assert_eq!(loud, vec!["no-municipality"]);
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

#[test]
fn kpi_plan_of_another_policy_and_years() {
    let text = sample("plan_kpi_policy3.txt");
    check_kpi_plan(&read_bytes("policy3.txt", text.as_bytes()));
    check_kpi_plan(&read_bytes("policy3.txt", text.replace('\n', "\r\n").as_bytes()));
    // Shift_JIS has no en dash or em dash: a Shift_JIS document prints `－` and `―` for them.
    let sjis_text = text.replace('–', "－").replace('—', "―");
    check_kpi_plan(&read_bytes("policy3.txt", &shift_jis(&sjis_text)));
    check_kpi_plan(&read_bytes("policy3.txt", &shift_jis(&sjis_text.replace('\n', "\r\n"))));
}

fn check_action_plan(l: &Ledger) {
    let s = node(l, PolicyKind::Policy, "2-1", None);
    assert_eq!((s.title.as_str(), s.source_line), ("見守りのあるまちづくり", Some(6)));
    let m1 = node(l, PolicyKind::Measure, "(1)", Some("2-1"));
    assert_eq!((m1.title.as_str(), m1.source_line), ("見守りの担い手の育成", Some(14)));
    let m2 = node(l, PolicyKind::Measure, "(2)", Some("2-1"));
    assert_eq!((m2.title.as_str(), m2.source_line), ("見守り情報の共有のしくみづくり", Some(18)));
    // `(3)これまでの取り組み状況` (line 22) continues the numbering but captions the table below it: a
    // heading of the document's outline, not a third measure.
    assert_eq!(l.policies.len(), 3, "{:#?}", l.policies);
    assert!(l.diagnostics.iter().any(|d| d.line == Some(22) && d.code == "skipped-line"));
    let fy = FiscalYear::new;
    // (number, line, status, first, last, description, department, record); 令和元 = 2019.
    let expected = [
        (
            "①",
            26,
            Status::Done,
            fy(2019),
            fy(2021),
            "見守り協力員養成講座を開催し、地域の見守りの担い手を育てる",
            "地域福祉課",
            "・見守り協力員養成講座の開催(令和 元~3 年度)",
        ),
        (
            "②",
            27,
            Status::NotStarted,
            None,
            None,
            "民生委員と自治会の合同研修会を開催し、見守りの連携を強める",
            "地域福祉課",
            "・未実施",
        ),
        (
            "③",
            28,
            Status::Done,
            fy(2020),
            fy(2020),
            "校区ごとの見守りマップを作成し、見守りの範囲を明らかにする",
            "地域福祉課",
            "・見守りマップの作成 2校区(令和 2 年度)",
        ),
        (
            "④",
            29,
            Status::Done,
            fy(2019),
            fy(2020),
            "災害時の要配慮者名簿を自治会と共有し、避難支援に活かす",
            "防災危機管理課",
            "・要配慮者名簿の共有 12自治会(令和 元~2 年度)",
        ),
        ("⑤", 30, Status::NotStarted, None, None, "避難支援の個別計画づくりを支援する", "防災危機管理課", "・未実施"),
    ];
    assert_eq!(l.actions.len(), expected.len());
    for (a, (number, line, status, first, last, desc, dept, record)) in l.actions.iter().zip(expected) {
        assert_eq!(a.number, number);
        assert_eq!(a.source_line, Some(line), "{number}");
        assert_eq!(a.status, status, "{number}");
        assert_eq!((a.first_year, a.last_year), (first, last), "{number}");
        assert_eq!(a.description, desc, "{number}");
        assert_eq!(a.department, dept, "{number}");
        assert_eq!(a.record, record, "{number}");
        assert_eq!(a.policy_id.as_deref(), Some(m1.id.as_str()), "{number}");
    }
    assert!(l.kpis.is_empty() && l.projects.is_empty());
    let loud: Vec<_> = l.diagnostics.iter().filter(|d| d.severity != Severity::Info).map(|d| &d.code).collect();
    assert_eq!(loud, vec!["no-municipality"]);
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

#[test]
fn action_table_with_merged_departments_and_reiwa_ranges() {
    in_every_encoding("plan_actions_mimamori.txt", check_action_plan);
}

fn check_kosodate_actions(l: &Ledger) {
    node(l, PolicyKind::Policy, "4-2", None);
    let m = |code: &str| Some(node(l, PolicyKind::Measure, code, Some("4-2")).id.clone());
    // 4-2 and its measures (1)–(3); `(3)これまでの取り組み状況` (line 16) does not run on from (3).
    assert_eq!(l.policies.len(), 4, "{:#?}", l.policies);
    let fy = FiscalYear::new;
    // (line, measure, number, department, status, first, last); 令和2 = 2020, 令和3 = 2021. Planned,
    // not-started, passed-over and abolished actions have no years done, whatever years they name.
    let expected = [
        (20, m("(1)"), "①", "子育て支援課", Status::Done, fy(2021), fy(2021)),
        // `〃` and `同上`: the department above.
        (21, m("(1)"), "②", "子育て支援課", Status::Planned, None, None),
        (22, m("(1)"), "③", "子育て支援課", Status::Planned, None, None),
        (23, m("(1)"), "④", "子育て支援課", Status::NotStarted, None, None),
        // 見送り: put off, not ended.
        (24, m("(1)"), "⑤", "地域振興課", Status::Postponed, None, None),
        // The second table, after a blank line: its title row (line 26) is no action of the first.
        (28, m("(2)"), "①", "広報課", Status::Done, fy(2020), fy(2020)),
        (29, m("(2)"), "②", "広報課", Status::Cancelled, None, None),
        // The third table follows the second with no blank line between them.
        (32, m("(3)"), "①", "健康増進課", Status::Done, fy(2021), fy(2021)),
        (33, m("(3)"), "②", "健康増進課", Status::NotStarted, None, None),
    ];
    let got: Vec<_> = l
        .actions
        .iter()
        .map(|a| {
            (
                a.source_line.unwrap_or(0),
                a.policy_id.clone(),
                a.number.as_str(),
                a.department.as_str(),
                a.status,
                a.first_year,
                a.last_year,
            )
        })
        .collect();
    assert_eq!(got, expected);
    let descriptions: Vec<_> = l.actions.iter().map(|a| a.description.as_str()).collect();
    assert_eq!(
        descriptions,
        vec![
            "子育てサロンの開設を支援する",
            "親子ひろばを開く",
            "父親向け講座を開く",
            "子育てサークルの交流会を開く",
            "移動式ひろばを運営する",
            "子育て情報誌を発行する",
            "子育てメールを配信する",
            "離乳食教室を開く",
            "親子体操教室を開く",
        ]
    );
    // Each planned item is reported on its line, its year kept in the message only.
    let planned: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "action-planned").map(|d| d.line).collect();
    assert_eq!(planned, vec![Some(21), Some(22), Some(32), Some(33)]);
    let loud: Vec<_> = l.diagnostics.iter().filter(|d| d.severity != Severity::Info).map(|d| &d.code).collect();
    assert_eq!(loud, vec!["no-municipality"]);
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

#[test]
fn action_tables_with_planned_records_ditto_departments_and_tables_back_to_back() {
    in_every_encoding("plan_actions_kosodate.txt", check_kosodate_actions);
}

fn check_toshokan_actions(l: &Ledger) {
    node(l, PolicyKind::Policy, "7-1", None);
    let m1 = Some(node(l, PolicyKind::Measure, "(1)", Some("7-1")).id.clone());
    let fy = FiscalYear::new;
    // (line, number, department, status, first, last). 令和元 = 2019, 平成30 = H30 = 2018, H29 = 2017; an
    // open span (`～`, `から`, `～継続中`) has no last year; a list gives its first and last year; February
    // of 令和4 (2022) lies in fiscal 2021.
    let expected = [
        (14, "①", "中央図書館", Status::Done, fy(2019), None),
        (15, "②", "中央図書館", Status::Done, fy(2018), None),
        (16, "③", "中央図書館", Status::Done, fy(2020), None),
        (17, "④", "学校教育課", Status::Done, fy(2020), fy(2021)),
        (18, "⑤", "学校教育課", Status::Done, fy(2021), fy(2022)),
        (19, "⑥", "中央図書館", Status::Done, fy(2020), fy(2022)),
        (20, "⑦", "中央図書館", Status::Done, fy(2017), fy(2019)),
        (21, "⑧", "中央図書館", Status::Done, fy(2018), fy(2020)),
        (22, "⑨", "中央図書館", Status::Done, fy(2021), fy(2021)),
        // 令和4～2 runs backwards: no years, and with no verb the status is not known either.
        (23, "⑩", "中央図書館", Status::Planned, None, None),
    ];
    let got: Vec<_> = l
        .actions
        .iter()
        .map(|a| {
            assert_eq!(a.policy_id, m1, "{}", a.number);
            (a.source_line.unwrap_or(0), a.number.as_str(), a.department.as_str(), a.status, a.first_year, a.last_year)
        })
        .collect();
    assert_eq!(got, expected);
    let loud: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.severity, d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        loud,
        vec![
            (Severity::Warning, "no-municipality", None),
            (Severity::Error, "action-years-unreadable", Some(23)),
            (Severity::Warning, "action-status-unclear", Some(23)),
        ]
    );
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

#[test]
fn action_years_open_listed_monthly_and_reversed() {
    in_every_encoding("plan_actions_toshokan.txt", check_toshokan_actions);
}

fn check_kankou_kpis(l: &Ledger) {
    let m = |code: &str| Some(node(l, PolicyKind::Measure, code, Some("4-2")).id.clone());
    let fy = FiscalYear::new;
    // (line, measure, indicator, unit, cumulative, baseline year, baseline, target year, target, department).
    // The header says 2019（令和元）年度 and 2025（令和7）年度; a cell's own year wins (H30 = 2018, R4 = 2022).
    let expected = [
        (20, m("①"), "観光入込客数", "千人", false, fy(2019), num(2480, 0), fy(2025), num(2800, 0), "観光振興課"),
        (21, m("①"), "宿泊者数", "千人", false, fy(2018), num(310, 0), fy(2025), num(400, 0), "観光振興課"),
        // 52人 and 70団体 are not in one unit: the baseline stays as printed.
        (22, m("②"), "観光ガイド登録数", "団体", false, fy(2019), cat("52人"), fy(2025), num(70, 0), "観光振興課"),
        (23, m("②"), "観光案内所の満足度", "%", false, fy(2019), num(80, 0), fy(2025), num(90, 0), "観光振興課"),
        (
            24,
            m("③"),
            "観光動画の再生回数",
            "万回",
            true,
            fy(2019),
            None,
            fy(2025),
            num(30, 0),
            "シティプロモーション課",
        ),
        (
            25,
            m("③"),
            "発信計画の策定",
            "",
            false,
            fy(2019),
            cat("未策定"),
            fy(2022),
            cat("策定"),
            "シティプロモーション課",
        ),
    ];
    let got: Vec<_> = l
        .kpis
        .iter()
        .map(|k| {
            (
                k.source_line.unwrap_or(0),
                k.policy_id.clone(),
                k.indicator.as_str(),
                k.unit.as_str(),
                k.cumulative,
                k.baseline_year,
                k.baseline_value.clone(),
                k.target_year,
                k.target_value.clone(),
                k.department.as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // The HTML list of line 20 holds two actions.
    let actions: Vec<_> = l.actions.iter().map(|a| (a.source_line.unwrap_or(0), a.description.as_str())).collect();
    assert_eq!(
        actions,
        vec![(20, "花の名所めぐりの企画"), (20, "古民家の活用"), (22, "観光ガイドの養成"), (24, "動画による発信")]
    );
    let notes =
        |code: &str| -> Vec<u32> { l.diagnostics.iter().filter(|d| d.code == code).filter_map(|d| d.line).collect() };
    assert_eq!(notes("kpi-qualifier"), vec![20, 23, 23]);
    assert_eq!(notes("kpi-cell-year"), vec![21, 25]);
    let loud: Vec<_> =
        l.diagnostics.iter().filter(|d| d.severity != Severity::Info).map(|d| (d.code.as_str(), d.line)).collect();
    assert_eq!(loud, vec![("no-municipality", None), ("kpi-unit-mismatch", Some(22))]);
    assert_eq!(l.check_integrity(&KnownIds::default()), vec![]);
}

#[test]
fn kpi_table_with_years_both_ways_qualifiers_cell_years_and_an_html_list() {
    let text = sample("plan_kpi_kankou.txt");
    check_kankou_kpis(&read_bytes("kankou.txt", text.as_bytes()));
    check_kankou_kpis(&read_bytes("kankou.txt", text.replace('\n', "\r\n").as_bytes()));
    // Shift_JIS has no en dash: a Shift_JIS document prints `－` for it.
    check_kankou_kpis(&read_bytes("kankou.txt", &shift_jis(&text.replace('–', "－"))));
}

/// `scrambled_themes_kaede.txt`: the 南区 layout of seed 001 with other names, numbers and row counts.
/// Themes `…（N千円）` head their first row; 区民の声を活かすまちづくり heads none. The sample was written so
/// that the rows add up to the themes: 暮らしを支えるまちづくり 3,950 = (3) 640 + (4) 1,000 + (5) 1,410 +
/// (6) 900; 魅力発信の推進 2,250 = (1) 1,250 + (2) 1,000; 地域の安全安心 3,000 = (7) 1,800 + (8) 1,200 (the
/// unnumbered parents of lines 16 and 20, numbered by the bare `(7)` `(8)` of lines 70–72); 区民の声 800 =
/// (9); the four themes make the fund's 10,000 (line 76, under a total label printed without figures).
fn kaede() -> Vec<Exp> {
    let safe = "地域の安全安心";
    let life = "暮らしを支えるまちづくり";
    let pr = "魅力発信の推進";
    let voice = "区民の声を活かすまちづくり";
    let k = four;
    let initial = |i: i64| -> &'static [(Phase, Option<i64>)] { Vec::leak(vec![(I, Some(i))]) };
    let p7 = "地域安全パトロール強化事業";
    let p8 = "地域防災訓練支援事業";
    vec![
        ("(7)", p7, MACHI, safe, false, &[], None, k(1800, 1800, 1750, 1600)),
        ("①", "夜間パトロール事業", MACHI, safe, false, &["北部"], Some(p7), k(1000, 1000, 950, 900)),
        ("②", "防犯カメラ設置支援事業", MACHI, safe, false, &["南部"], Some(p7), k(800, 800, 800, 700)),
        ("(8)", p8, MACHI, safe, false, &[], None, k(1200, 900, 900, 850)),
        ("①", "合同避難訓練事業", MACHI, safe, false, &["北部"], Some(p8), k(700, 500, 500, 480)),
        ("②", "防災マップ作成事業", MACHI, safe, false, &["南部"], Some(p8), k(500, 400, 400, 370)),
        ("(9)", "かえで区区民会議開催経費", MACHI, voice, false, &[], None, k(800, 620, 620, 410)),
        // Names from the block of lines 4–14, in number order; figures from lines 40, 42, 46 and 38.
        ("(5)", "かえで区子ども見守り隊支援事業", MACHI, life, true, &[], None, initial(1410)),
        ("(6)", "地域サロン運営支援補助金", MACHI, life, false, &[], None, initial(900)),
        ("(3)", "かえで区健康ウォーク開催経費", MACHI, life, false, &[], None, initial(640)),
        ("(4)", "かえで区花いっぱい運動推進経費", MACHI, life, false, &[], None, initial(1000)),
        ("(1)", "かえで区情報誌発行経費", MACHI, pr, false, &[], None, initial(1250)),
        ("(2)", "かえで区公式SNS運用事業", MACHI, pr, false, &[], None, initial(1000)),
    ]
}

fn kaede_totals() -> Vec<Tot> {
    vec![
        (ScopeKind::Pillar, "暮らしを支えるまちづくり", I, 3950),
        (ScopeKind::Pillar, "魅力発信の推進", I, 2250),
        (ScopeKind::Pillar, "区民の声を活かすまちづくり", I, 800),
        (ScopeKind::Pillar, "地域の安全安心", I, 3000),
        (ScopeKind::Fund, MACHI, I, 10000),
    ]
}

#[test]
fn scrambled_themes_settled_only_by_their_amounts() {
    // The other phases of rows (1)–(6) are printed as loose runs that no total decides: reported, not placed.
    let warnings = [
        (30, "unplaced-number"),
        (32, "unplaced-number"),
        (36, "unplaced-number"),
        (80, "unplaced-number"),
        (82, "unplaced-number"),
    ];
    let text = sample("scrambled_themes_kaede.txt");
    for (name, bytes) in [("kaede.txt", text.as_bytes().to_vec()), ("kaede-sjis.txt", shift_jis(&text))] {
        let l = read_bytes(name, &bytes);
        check_budget(&l, "かえで区", 2021, &kaede(), &kaede_totals(), &warnings);
        let p4 = l.projects.iter().find(|p| p.number == "(4)").expect("(4)");
        assert_eq!(p4.description, "花壇づくりを通じて地域の交流を深める。");
        // (4) prints no figure: its 1,000 is the loose line 38, the one figure equal to what its theme leaves.
        let a = l.amounts.iter().find(|a| a.project_id == p4.id).expect("(4) amount");
        assert_eq!(a.source_line, Some(38));
    }
    // With the theme amount changed, nothing adds up: no lone figure is read as an initial amount, no
    // gap is filled, and rows without a name stay unstored.
    let changed = text.replace("暮らしを支えるまちづくり（3,950千円）", "暮らしを支えるまちづくり（3,960千円）");
    let l = read_bytes("kaede-changed.txt", changed.as_bytes());
    for n in ["(4)", "(5)", "(6)"] {
        assert!(!l.projects.iter().any(|p| p.number == n), "{n} stored");
    }
    assert!(l.diagnostics.iter().any(|d| d.line == Some(44) && d.code == "theme-unconfirmed"));
}

/// A theme that heads no row may be the rows before the first theme that does: (1) 300 + (2) 200 make
/// 区民交流の推進 (500), and (3) 450 + (4) 450 make 安全の推進 (900, line 11). Typed from the text below.
#[test]
fn a_theme_heading_no_row_takes_the_rows_before_the_first_anchored_theme() {
    let text = "令和3年度 もみじ区まちづくりの取組み\n（単位：千円）\n\n\
                (1) 交流サロン開催経費 300 300 280 250\n(2) 花壇整備事業 200 200 200 190\n\n\
                当初予算 ９月補正後 ２月補正後 決算額\n\n区民交流の推進（500千円）\n\n\
                安全の推進（900千円） 当初予算\n\n(3) 450\n\n(4) 450\n\n\
                もみじ区まちづくり推進経費　合計\n\n1,400\n";
    let l = read_bytes("momiji.txt", text.as_bytes());
    let pillar = |n: &str| l.projects.iter().find(|p| p.number == n).map(|p| p.pillar.as_str());
    assert_eq!([pillar("(1)"), pillar("(2)")], [Some("区民交流の推進"); 2]);
    assert_eq!([pillar("(3)"), pillar("(4)")], [Some("安全の推進"); 2]);
    assert!(l.projects.iter().all(|p| p.fund == MACHI), "{:?}", l.projects);
    assert!(l.diagnostics.iter().any(|d| d.line == Some(9) && d.code == "theme-confirmed"), "{:#?}", l.diagnostics);
}

/// `apart_totals_sumire.txt`: the 中央区 layout. Rows 1–3 under the glued header `当初予算額地域の絆づくり`
/// (line 5), rows 4–10 under `安心して暮らせる地域` (line 35); names wrapped in a 12-character column
/// over a blank line (lines 14–16, 26–28, 40–42, 52–54, 91–93, 102–104); row 1's 2,400 glued in front of
/// its number (line 7); a row printed without its number (lines 61–68), whose `6` stands alone at line
/// 121; the totals `8,400 …` and `3,000 …` (lines 125, 127) before their labels (lines 129–135). Recovery
/// rows 4, 5, 8: 1,200 + 800 + 1,000 = 3,000; the others: 2,400 + 900 + 650 + 1,100 + 1,350 + 2,000 + ―
/// = 8,400.
fn sumire() -> Vec<Exp> {
    let bond = "地域の絆づくり";
    let safe = "安心して暮らせる地域";
    let initial = |i: i64| -> &'static [(Phase, Option<i64>)] { Vec::leak(vec![(I, Some(i))]) };
    vec![
        ("1", "地域見守り活動支援事業", MACHI, bond, false, &[], None, initial(2400)),
        ("2", "すみれ区子ども食堂ネットワーク支援事業", MACHI, bond, false, &[], None, initial(900)),
        ("3", "防災リーダー養成講座開催経費", MACHI, bond, true, &[], None, initial(650)),
        ("4", "仮設住宅退去者見守り支援事業", REC, safe, false, &[], None, initial(1200)),
        ("5", "災害公営住宅集会所活用事業", REC, safe, false, &[], None, initial(800)),
        ("6", "すみれ音楽祭開催経費", MACHI, safe, true, &[], None, initial(1100)),
        ("7", "商店街にぎわい創出事業", MACHI, safe, false, &[], None, initial(1350)),
        ("8", "被災者健康相談・運動事業", REC, safe, false, &[], None, initial(1000)),
        ("9", "地域コミュニティ施設改修補助金", MACHI, safe, false, &[], None, initial(2000)),
        ("10", "区民まちづくり会議開催経費", MACHI, safe, false, &[], None, &[(I, None)]),
    ]
}

#[test]
fn totals_printed_apart_from_their_labels_confirm_funds_a_lead_figure_and_an_unnumbered_row() {
    // The later columns (lines 113–123) and the totals' figures after the initial one are not named by
    // any header that says which is which: reported.
    let warnings = [
        (113, "unplaced-number"),
        (115, "unplaced-number"),
        (117, "unplaced-number"),
        (123, "unplaced-number"),
        (125, "unplaced-number"),
        (127, "unplaced-number"),
    ];
    let totals = [(ScopeKind::Fund, MACHI, I, 8400), (ScopeKind::Fund, REC, I, 3000)];
    let text = sample("apart_totals_sumire.txt");
    for (name, bytes) in [("sumire.txt", text.as_bytes().to_vec()), ("sumire-sjis.txt", shift_jis(&text))] {
        let l = read_bytes(name, &bytes);
        check_budget(&l, "すみれ区", 2021, &sumire(), &totals, &warnings);
        let p = |n: &str| l.projects.iter().find(|p| p.number == n).expect(n);
        assert_eq!(
            p("2").description,
            "子ども食堂どうしの情報交換会を開き、食材の融通やボランティアの確保を支援する。"
        );
        assert_eq!(p("6").description, "区内の学校や団体が出演する音楽祭を開催し、世代をこえた交流の場をつくる。");
        // Each value keeps the line it was printed on.
        let line = |n: &str| l.amounts.iter().find(|a| a.project_id == p(n).id).and_then(|a| a.source_line);
        assert_eq!([line("1"), line("6"), line("8")], [Some(7), Some(68), Some(87)]);
        assert_eq!(p("6").source_line, Some(61));
    }
    // With one total changed the sums confirm nothing: no fund is given to unmarked rows, the glued
    // figure and the unnumbered block stay reported, and no total is stored.
    let changed = text.replace("8,400 7,900 6,512", "8,500 7,900 6,512");
    let l = read_bytes("sumire-changed.txt", changed.as_bytes());
    assert!(!l.projects.iter().any(|p| p.name == "すみれ音楽祭開催経費"));
    assert!(l.projects.iter().filter(|p| p.fund.is_empty()).count() == 6, "{:?}", l.projects);
    assert!(l.totals.is_empty(), "{:?}", l.totals);
    let warned: BTreeSet<u32> =
        l.diagnostics.iter().filter(|d| d.code == "unplaced-number").filter_map(|d| d.line).collect();
    for line in [7, 68, 121, 125, 127] {
        assert!(warned.contains(&line), "line {line} not reported: {:#?}", l.diagnostics);
    }
    let skipped = l.diagnostics.iter().any(|d| d.code == "skipped-text" && d.line == Some(63));
    assert!(skipped, "{:#?}", l.diagnostics);
    let row1 = l.projects.iter().find(|p| p.number == "1").expect("row 1");
    assert!(!l.amounts.iter().any(|a| a.project_id == row1.id));

    // Two choices complete the sums (the glued figure or the unnumbered row, both 1,100, for a total of
    // 6,000 = 4,900 of the certain rows + 1,100): neither is taken, and nothing is placed.
    let two = text
        .replace("2,4001 地域見守り活動支援事業", "1,1001 地域見守り活動支援事業")
        .replace("8,400 7,900", "6,000 7,900");
    let l = read_bytes("sumire-two-ways.txt", two.as_bytes());
    assert!(!l.projects.iter().any(|p| p.name == "すみれ音楽祭開催経費"), "{:?}", l.projects);
    assert!(l.totals.is_empty(), "{:?}", l.totals);
    let row1 = l.projects.iter().find(|p| p.number == "1").expect("row 1");
    assert!(!l.amounts.iter().any(|a| a.project_id == row1.id));

    // Without the lone `6` (line 121) the unnumbered row is still a row, but its number is not known.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[120], "6");
    let no_number = [&lines[..120], &lines[121..]].concat().join("\n");
    let l = read_bytes("sumire-no-number.txt", no_number.as_bytes());
    let fest = l.projects.iter().find(|p| p.name == "すみれ音楽祭開催経費").expect("the unnumbered row");
    assert_eq!(fest.number, "");
    assert!(!l.diagnostics.iter().any(|d| d.code == "row-number-apart"));
}

/// A results note `G－①` gives its status to row ① of the G-th group heading of its section, and a note
/// naming a group the section does not have is reported, not attached elsewhere.
#[test]
fn results_notes_set_the_status_of_the_row_they_name() {
    let text = "令和３年度 さくら区まちづくりの取組\n（単位：千円）\n\
        花と緑のまちづくり 予算額 決算額\n① 花壇づくり事業\n花壇を整える。\n120 100\n\
        ② 緑化講習会\n講習会を開く。\n80 0\n\
        見守りのまちづくり 予算額 決算額\n① 見守り隊支援事業\n見守り隊を支える。\n300 280\n\
        まちづくり推進経費　　合計 500 380\n\
        １－② 中止\n２－① R3年6月開催予定➤9月へ延期\n３－① 中止\n";
    let l = read_bytes("notes.txt", text.as_bytes());
    let by_name = |n: &str| l.projects.iter().find(|p| p.name == n).unwrap_or_else(|| panic!("{n}: {:#?}", l.projects));
    assert_eq!((by_name("緑化講習会").status, by_name("緑化講習会").status_note.as_str()), (Status::Cancelled, "中止"));
    let watch = by_name("見守り隊支援事業");
    assert_eq!((watch.status, watch.status_note.as_str()), (Status::Postponed, "R3年6月開催予定➤9月へ延期"));
    assert_eq!(by_name("花壇づくり事業").status, Status::Planned);
    let unlinked: Vec<_> = l.diagnostics.iter().filter(|d| d.code == "unlinked-status").map(|d| d.line).collect();
    assert_eq!(unlinked, vec![Some(17)], "{:#?}", l.diagnostics);
}

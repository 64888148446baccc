//! The plan reader against the seed documents `002` (policy tree and KPI tables) and `003` (action table).
//!
//! Every expected value here was typed by reading the seed text (test_data/seeds), never copied from the
//! reader's output: line numbers, codes, titles, indicators, units, years (H26 = 2014, R4 = 2022,
//! 平成25～28 = 2013–2016, 平成27 = 2015), values and departments.

mod common;

use common::{cat, node, num, test_data};
use machi_domain::{FiscalYear, KnownIds, Ledger, PolicyKind, Severity, Status};
use machi_read::{plan, ReadOptions, SourceText};

fn seed(name: &str) -> SourceText {
    let path = test_data(&format!("seeds/{name}"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SourceText::decode(name, &bytes).expect("decode")
}

fn read(src: &SourceText) -> Ledger {
    plan::read(src, &ReadOptions::default()).expect("read")
}

fn fy(y: i32) -> Option<FiscalYear> {
    FiscalYear::new(y)
}

const F002: &str = "002_4a7a9acf42a67d2d.txt";
const F003: &str = "003_eb512b28accc4bfd.txt";

#[test]
fn plans_are_told_from_budget_sheets() {
    assert!(plan::looks_like(&seed(F002)));
    assert!(plan::looks_like(&seed(F003)));
    assert!(!plan::looks_like(&seed("001_dfc7a35a737f6b56.txt")));
}

#[test]
fn seed_002_policy_tree() {
    let l = read(&seed(F002));
    let p5 = node(&l, PolicyKind::Policy, "5", None);
    assert_eq!(p5.title, "地域の力と交流を生み出すために");
    assert_eq!(p5.source_line, Some(3));
    for (code, title, line) in [
        ("5-1", "市民協働による地域づくりを推進する", 6),
        ("5-2", "出会い・結婚を支援する", 9),
        ("5-3", "姉妹都市交流・国際交流を推進する", 11),
        ("5-4", "中心市街地を活性化させる", 13),
    ] {
        let n = node(&l, PolicyKind::Policy, code, Some("5"));
        assert_eq!((n.title.as_str(), n.source_line), (title, Some(line)), "{code}");
    }
    for (code, title, line) in [
        ("①", "協働のまちづくりを推進する", 44),
        ("②", "協働のまちづくり推進体制を充実させる", 46),
        ("③", "自治活動を促進する", 48),
        ("④", "自治会への加入を促進する", 51),
    ] {
        let n = node(&l, PolicyKind::Measure, code, Some("5-1"));
        assert_eq!((n.title.as_str(), n.source_line), (title, Some(line)), "5-1 {code}");
    }
    let m = node(&l, PolicyKind::Measure, "①", Some("5-2"));
    assert_eq!((m.title.as_str(), m.source_line), ("出会いの創出・新婚生活を支援する", Some(100)));

    let visions: Vec<_> = l.policies.iter().filter(|p| p.kind == PolicyKind::Vision).collect();
    assert_eq!(visions.len(), 2);
    let v1 = node(&l, PolicyKind::Vision, "", Some("5-1"));
    assert_eq!(v1.source_line, Some(55));
    assert!(v1.title.starts_with("市民・地域・自治会・NPO*・企業"), "{}", v1.title);
    let v2 = node(&l, PolicyKind::Vision, "", Some("5-2"));
    assert_eq!(v2.title, "人口流出や少子化、晩婚化による人口減少に歯止めがかかり、地域の活力が向上しています。");

    // 5 + 5-1..5-4 + ①–④ + ① + two visions: nothing else, the repeated headings (lines 15, 22, 81) included.
    assert_eq!(l.policies.len(), 12);
}

#[test]
fn seed_002_five_kpis() {
    let l = read(&seed(F002));
    assert_eq!(l.kpis.len(), 5);
    let m = |parent: &str, code: &str| Some(node(&l, PolicyKind::Measure, code, Some(parent)).id.clone());
    // (line, measure, indicator, unit, cumulative, baseline, target)
    let expected = [
        (59, m("5-1", "①"), "「協働」による事業実施数", "事業/年", false, num(77, 0), num(110, 0)),
        (60, m("5-1", "②"), "市民活動支援センターの設置", "", false, cat("未設置"), cat("設置")),
        (61, m("5-1", "③"), "補助金交付自治会の割合", "%", false, num(926, 1), num(95, 0)),
        (62, m("5-1", "④"), "自治会加入率", "%", false, num(664, 1), num(70, 0)),
        (108, m("5-2", "①"), "マッチング件数(累計)", "組", true, None, num(300, 0)),
    ];
    for (k, (line, policy, indicator, unit, cumulative, baseline, target)) in l.kpis.iter().zip(expected) {
        assert_eq!(k.source_line, Some(line), "{indicator}");
        assert_eq!(k.policy_id, policy, "{indicator}");
        assert_eq!(k.indicator, indicator);
        assert_eq!(k.unit, unit, "{indicator}");
        assert_eq!(k.cumulative, cumulative, "{indicator}");
        assert_eq!(k.baseline_year, fy(2014), "{indicator}");
        assert_eq!(k.baseline_value, baseline, "{indicator}");
        assert_eq!(k.target_year, fy(2022), "{indicator}");
        assert_eq!(k.target_value, target, "{indicator}");
        assert_eq!(k.department, "市民協働推進課", "{indicator}");
    }
}

#[test]
fn seed_002_actions_come_from_the_kpi_tables() {
    let l = read(&seed(F002));
    let m = |parent: &str, code: &str| Some(node(&l, PolicyKind::Measure, code, Some(parent)).id.clone());
    let expected = [
        (59, m("5-1", "①"), "協働のまちづくり行動計画の実施"),
        (59, m("5-1", "①"), "市民提案型協働のまちづくり支援事業の実施"),
        (60, m("5-1", "②"), "市民活動支援センター設置運営"),
        (60, m("5-1", "②"), "協働のまちづくり推進協議会の運営支援"),
        (60, m("5-1", "②"), "コミュニティの設立支援"),
        (61, m("5-1", "③"), "自治会が行う地域事業に対する補助金の交付"),
        (62, m("5-1", "④"), "行政と自治会長連絡協議会との連携強化"),
        (62, m("5-1", "④"), "市民への啓発活動実施"),
        // The HTML list inside the cell of line 108.
        (108, m("5-2", "①"), "結婚サポートセンター設置運営"),
        (108, m("5-2", "①"), "結婚相談"),
        (108, m("5-2", "①"), "マッチング"),
        (108, m("5-2", "①"), "婚活セミナー"),
        (108, m("5-2", "①"), "婚活イベント"),
        (108, m("5-2", "①"), "支援事業の官民連携"),
        (108, m("5-2", "①"), "結婚新生活の支援の検討"),
        (108, m("5-2", "①"), "とちぎ結婚支援センター県北地区サイトの誘致"),
    ];
    assert_eq!(l.actions.len(), expected.len());
    for (a, (line, policy, description)) in l.actions.iter().zip(expected) {
        assert_eq!((a.source_line, &a.policy_id, a.description.as_str()), (Some(line), &policy, description));
        // 取組内容 says what will be done, not what was: nothing is recorded yet.
        assert_eq!((a.status, a.first_year, a.record.as_str()), (Status::Planned, None, ""));
        assert_eq!(a.department, "市民協働推進課");
    }
}

#[test]
fn seed_002_sections_and_related_plans_are_kept_as_information() {
    let l = read(&seed(F002));
    let msg = |line: u32, code: &str| {
        l.diagnostics
            .iter()
            .find(|d| d.line == Some(line) && d.code == code)
            .map(|d| (d.severity, d.message.clone()))
            .unwrap_or_else(|| panic!("no {code} at line {line}"))
    };
    let (sev, m) = msg(36, "plan-section");
    assert_eq!(sev, Severity::Info);
    assert!(m.contains("5-1 課題") && m.ends_with("市民が主体的に参画できる地域づくりの推進"), "{m}");
    assert!(msg(93, "plan-section").1.contains("5-2 課題: 出会いの機会の創出"));
    assert!(msg(26, "plan-section").1.contains("5-1 現状"));
    assert!(msg(70, "related-plan").1.contains("協働のまちづくり指針 (FY2011–)"));
    assert!(msg(72, "related-plan").1.contains("協働のまちづくり行動計画 (FY2017–2021)"));
    assert!(msg(116, "related-plan").1.contains("結婚サポート総合戦略 (FY2017–2021)"));
    assert_eq!(msg(74, "footnote").0, Severity::Info);
    // No warnings or errors on a clean plan, apart from the unnamed municipality.
    let loud: Vec<_> = l.diagnostics.iter().filter(|d| d.severity != Severity::Info).map(|d| &d.code).collect();
    assert_eq!(loud, vec!["no-municipality"]);
}

#[test]
fn seed_003_seven_actions() {
    let l = read(&seed(F003));
    assert_eq!(l.actions.len(), 7);
    let measure = node(&l, PolicyKind::Measure, "(1)", None);
    assert_eq!(measure.title, "小学校区を基礎としたまちづくり組織の設立");
    assert_eq!(measure.source_line, Some(70));
    // (number, line, status, first, last, description starts with, record)
    let expected = [
        (
            "①",
            72,
            Status::Done,
            fy(2013),
            fy(2016),
            "自治会等長意見交換会をきっかけとして",
            "・小学校区単位のまちづくり意見交換会の実施(平成 25~28 年度)",
        ),
        ("②", 73, Status::NotStarted, None, None, "小学校区などの広域なエリアで", "・未実施"),
        ("③", 74, Status::NotStarted, None, None, "市民が、地域や地域の特徴について", "・未実施"),
        (
            "④",
            75,
            Status::Done,
            fy(2015),
            fy(2015),
            "小学校区などの地域で、地域を担う",
            "・池の上、南山小学校区合同で地域フォーラムの実施 1回開催(平成 27 年度)",
        ),
        ("⑤", 76, Status::NotStarted, None, None, "地域のまちづくりについて、課題をもとに", "・未実施"),
        ("⑥", 77, Status::NotStarted, None, None, "各小学校区に地域担当職員を配置し", "・未実施"),
        ("⑦", 78, Status::NotStarted, None, None, "市が地域に交付している様々な補助金・交付金を一括化し", "・未実施"),
    ];
    for (a, (number, line, status, first, last, desc, record)) in l.actions.iter().zip(expected) {
        assert_eq!(a.number, number);
        assert_eq!(a.source_line, Some(line), "{number}");
        assert_eq!(a.status, status, "{number}");
        assert_eq!((a.first_year, a.last_year), (first, last), "{number}");
        assert!(a.description.starts_with(desc), "{number}: {}", a.description);
        assert_eq!(a.record, record, "{number}");
        // The department cell of row ① is merged over ②–⑦; `市民活動 支援課` is one name wrapped.
        assert_eq!(a.department, "市民活動支援課 企画政策課", "{number}");
        assert_eq!(a.policy_id.as_deref(), Some(measure.id.as_str()), "{number}");
    }
    assert_eq!(l.actions[6].description, "市が地域に交付している様々な補助金・交付金を一括化し、地域が自由に利用することができる交付金の制度への見直し検討");
}

#[test]
fn seed_003_policy_tree() {
    let l = read(&seed(F003));
    let s = node(&l, PolicyKind::Policy, "3-2", None);
    assert_eq!((s.title.as_str(), s.source_line), ("地域拠点がにぎわうまちづくり", Some(13)));
    for (code, title, line) in [
        ("(1)", "小学校区を基本的な単位としたまちづくり協議会の設立の推進", 22),
        ("(2)", "市内の様々な場における世代に関係なく利用できる居場所や交流の場づくり", 26),
        ("(3)", "地域の人々が地域のために身近な生活サービスを提供する地域拠点づくり", 31),
        ("(4)", "地域の人や団体を活かした生きがいづくりや健康づくりの場の充実", 35),
    ] {
        let n = node(&l, PolicyKind::Measure, code, Some("3-2"));
        assert_eq!((n.title.as_str(), n.source_line), (title, Some(line)), "{code}");
    }
    // `(2) 取り` on line 39 restarts the numbering: not a measure.
    assert_eq!(l.policies.len(), 6);
    assert!(l.diagnostics.iter().any(|d| d.line == Some(39) && d.code == "skipped-line"));
    // The action table's measure shares the code (1) with 戦略3-2's but not the title: said, not merged.
    assert!(l.diagnostics.iter().any(|d| d.line == Some(70) && d.code == "measure-mismatch"));
    assert!(l.kpis.is_empty());
}

#[test]
fn records_keep_their_lines_and_the_ledger_is_whole() {
    for f in [F002, F003] {
        let src = seed(f);
        let l = read(&src);
        assert_eq!(l.documents.len(), 1);
        assert!(l.projects.is_empty() && l.amounts.is_empty());
        assert_eq!(l.check_integrity(&KnownIds::default()), vec![], "{f}");
        let text_at =
            |line: Option<u32>| src.line(line.expect("source_line")).map(|l| l.norm().to_string()).unwrap_or_default();
        for k in &l.kpis {
            assert!(text_at(k.source_line).contains(&k.indicator), "{f}: {k:?}");
        }
        for a in &l.actions {
            assert!(text_at(a.source_line).contains(&a.description), "{f}: {a:?}");
        }
        for p in &l.policies {
            assert!(text_at(p.source_line).contains(&p.title), "{f}: {p:?}");
        }
    }
}

#[test]
fn layout_not_line_numbers() {
    // The same document shifted down, with CRLF line ends and full-width digits in the headings, reads the same.
    let text = std::fs::read_to_string(test_data(&format!("seeds/{F002}"))).expect("seed");
    let shifted = format!("\n\n\n{}", text.replace("基本施策 5-", "基本施策 ５－").replace('\n', "\r\n"));
    let a = read(&seed(F002));
    let b = read(&SourceText::from_str("shifted.txt", &shifted));
    let strip = |l: &Ledger| {
        (
            l.policies.iter().map(|p| (p.kind, p.code.clone(), p.title.clone())).collect::<Vec<_>>(),
            l.kpis
                .iter()
                .map(|k| (k.indicator.clone(), k.baseline_value.clone(), k.target_value.clone()))
                .collect::<Vec<_>>(),
            l.actions.iter().map(|a| a.description.clone()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(b.kpis[0].source_line, Some(62));
}

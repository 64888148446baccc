//! The budget reader against the seed `001` and the sample layouts. Expected values were typed by reading
//! the documents (line numbers in comments), never copied from the reader's output.

use machi_domain::{Ledger, Phase, ScopeKind};
use machi_read::{budget, ReadOptions, SourceText};

const SEED: &str = include_str!("../../../test_data/seeds/001_dfc7a35a737f6b56.txt");

fn read(name: &str, text: &str) -> Ledger {
    budget::read(&SourceText::from_str(name, text), &ReadOptions::default()).expect("reads")
}

const I: Phase = Phase::Initial;
const SEP: Phase = Phase::Revised { month: 9 };
const FEB: Phase = Phase::Revised { month: 2 };
const S: Phase = Phase::Settled;

/// (area, fund, number, name, [(phase, 千円)]). `None` value = not checked / not placed.
type Exp = (&'static str, &'static str, &'static str, &'static str, &'static [(Phase, i64)]);

const KITA: &[Exp] = &[
    (
        "北区",
        "復興支援自治推進経費",
        "①",
        "地域コミュニティ形成・強化支援経費",
        &[(I, 2899), (SEP, 2899), (FEB, 2793), (S, 2746)],
    ),
    (
        "北区",
        "復興支援自治推進経費",
        "②",
        "地域コミュニティ形成・強化支援経費",
        &[(I, 2600), (SEP, 2600), (FEB, 969), (S, 965)],
    ),
    ("北区", "復興支援自治推進経費", "③", "地域防災力強化経費", &[(I, 2361), (SEP, 2361), (FEB, 2105), (S, 1751)]),
    (
        "北区",
        "復興支援自治推進経費",
        "④",
        "地域コミュニティセンター災害対応機能強化経費",
        &[(I, 0), (SEP, 0), (FEB, 2094), (S, 1581)],
    ),
    (
        "北区",
        "復興支援自治推進経費",
        "⑤",
        "家庭訪問型子育て支援事業(ホームスタート事業)",
        &[(I, 1000), (SEP, 1000), (FEB, 0), (S, 0)],
    ),
    (
        "北区",
        "復興支援自治推進経費",
        "⑥",
        "避難所運営委員会設立及び活動助成経費",
        &[(I, 1140), (SEP, 1140), (FEB, 780), (S, 600)],
    ),
    ("北区", "まちづくり推進経費", "①", "北区笑顔交流プロジェクト", &[(I, 3100), (SEP, 500), (FEB, 0), (S, 0)]),
    ("北区", "まちづくり推進経費", "②", "北区居場所づくりプロジェクト", &[(I, 327), (SEP, 0), (FEB, 0), (S, 0)]),
    ("北区", "まちづくり推進経費", "③", "北区健康・支え合いプロジェクト", &[(I, 2107), (SEP, 0), (FEB, 0), (S, 0)]),
    ("北区", "まちづくり推進経費", "④", "北区安全・安心プロジェクト", &[(I, 1420), (SEP, 538), (FEB, 538), (S, 0)]),
    (
        "北区",
        "まちづくり推進経費",
        "⑤",
        "自主自立のまちづくり推進プロジェクト",
        &[(I, 5578), (SEP, 4140), (FEB, 2631), (S, 2373)],
    ),
    ("北区", "まちづくり推進経費", "⑥", "「北区の魅力」発信事業!", &[(I, 2158), (SEP, 649), (FEB, 649), (S, 867)]),
    ("北区", "まちづくり推進経費", "⑦", "緊急課題対応費", &[(I, 2000), (SEP, 2000), (FEB, 2291), (S, 1817)]),
    ("北区", "まちづくり推進経費", "⑧", "北区まちづくり懇話会", &[(I, 310), (SEP, 310), (FEB, 310), (S, 152)]),
];

// 南区 lines 1071–1103: parents, their line items, (17), and the (2)–(5) rows of the recovery table. The
// parents print no number: (14), (15), (16) are printed alone at lines 1169–1173, and only with them does
// the theme エリア特性を活かしたまちづくりの推進 (8,249, line 1285) add up: (12) 2,041 + (13) 230 + 2,581 +
// 739 + 2,658.
const MINAMI: &[Exp] = &[
    (
        "南区",
        "まちづくり推進経費",
        "(14)",
        "地域力活性化・強化支援事業",
        &[(I, 2581), (SEP, 2113), (FEB, 2110), (S, 1571)],
    ),
    ("南区", "", "①", "花のまちづくり事業", &[(I, 412), (SEP, 376), (FEB, 376), (S, 129)]),
    ("南区", "", "②", "地域再発見交流事業", &[(I, 189), (SEP, 0), (FEB, 0), (S, 0)]),
    ("南区", "", "③", "幸田さるいて守る事業", &[(I, 409), (SEP, 245), (FEB, 245), (S, 242)]),
    ("南区", "", "④", "城南ブランド力向上推進経費", &[(I, 1181), (SEP, 1181), (FEB, 1178), (S, 988)]),
    ("南区", "", "⑤", "地域課題解決ワークショップ等開催経費", &[(I, 214), (SEP, 147), (FEB, 147), (S, 72)]),
    ("南区", "", "⑥", "富合校区地域活動支援事業", &[(I, 176), (SEP, 164), (FEB, 164), (S, 140)]),
    (
        "南区",
        "まちづくり推進経費",
        "(15)",
        "地域のまちづくり担い手育成事業",
        &[(I, 739), (SEP, 344), (FEB, 344), (S, 311)],
    ),
    ("南区", "", "①", "まちづくり担い手育成事業", &[(I, 500), (SEP, 344), (FEB, 344), (S, 199)]),
    ("南区", "", "②", "まちづくり地域活動支援事業", &[(I, 239), (SEP, 0), (FEB, 0), (S, 112)]),
    ("南区", "まちづくり推進経費", "(16)", "地域防災力強化支援事業", &[(I, 2658), (SEP, 116), (FEB, 116), (S, 80)]),
    ("南区", "", "①", "みんながつながる「わがまち」支援事業", &[(I, 635), (SEP, 116), (FEB, 116), (S, 80)]),
    ("南区", "", "②", "ささえあい防災まちづくり事業", &[(I, 534), (SEP, 0), (FEB, 0), (S, 0)]),
    ("南区", "", "③", "地域防災力向上支援事業", &[(I, 399), (SEP, 0), (FEB, 0), (S, 0)]),
    ("南区", "", "④", "防災塾開催経費", &[(I, 1090), (SEP, 0), (FEB, 0), (S, 0)]),
    (
        "南区",
        "まちづくり推進経費",
        "(17)",
        "南区まちづくり懇話会開催経費",
        &[(I, 457), (SEP, 313), (FEB, 313), (S, 93)],
    ),
    (
        "南区",
        "復興支援自治推進経費",
        "（4）",
        "地域防災力強化経費(災害(天災)から『命を守る行動』推進強化のため、防災教育等実施)",
        &[(I, 1184), (SEP, 1184), (FEB, 1292), (S, 1105)],
    ),
    (
        "南区",
        "復興支援自治推進経費",
        "（5）",
        "校区防災連絡会及び活動助成経費",
        &[(I, 1200), (SEP, 1200), (FEB, 1200), (S, 1170)],
    ),
    // Lines 1098–1100: the first rows of the recovery table.
    (
        "南区",
        "復興支援自治推進経費",
        "（2）",
        "復興版地域コミュニティづくり支援補助金(復興のための地域の課題解決等の取組み支援)",
        &[(I, 1500), (SEP, 1500), (FEB, 1479), (S, 1479)],
    ),
    (
        "南区",
        "復興支援自治推進経費",
        "（3）",
        "地域コミュニティ形成・強化支援経費(新たな地域コミュニティ形成を支援するための取組み)",
        &[(I, 1200), (SEP, 1200), (FEB, 531), (S, 531)],
    ),
];

// 南区 lines 1155–1226: rows under the theme headings `…（N千円） 当初予算`, one initial amount each.
// 情報受発信の充実 (1,668) = (1) 633 + (2) 686 + (3) 349; 人材育成の充実 (2,090) = (4) 363 + (5) 1,046 +
// (6) 681; the five themes add up to the fund's 17,000 (line 1283). (3) 349 = ① 131 + ② 218 (line 1185).
const MINAMI_THEMES: &[Exp] = &[
    ("南区", "まちづくり推進経費", "(1)", "南区PRグッズ作成経費", &[(I, 633)]),
    ("南区", "まちづくり推進経費", "(2)", "南区の“たからもの”活用事業", &[(I, 686)]),
    ("南区", "まちづくり推進経費", "(3)", "南区の魅力発信バスツアー開催経費", &[(I, 349)]),
    ("南区", "まちづくり推進経費", "①", "史跡や豊かな自然を巡るバスツアー", &[(I, 131)]),
    ("南区", "まちづくり推進経費", "②", "おいしいもの収穫体験・料理教室ツアー", &[(I, 218)]),
    ("南区", "まちづくり推進経費", "(4)", "防災のまちづくりリーダー育成事業", &[(I, 363)]),
    ("南区", "まちづくり推進経費", "(5)", "南区防災で繋ぐ世代間交流プロジェクト", &[(I, 1046)]),
    ("南区", "まちづくり推進経費", "(6)", "地域ICT利活用促進経費", &[(I, 681)]),
    // The names of (7)–(13) are printed as one block at lines 1050–1069, in table order; their figures at
    // lines 1157, 1159, 1151, 1153 and 1287. (9) and (13) print no figure with their number: テーマ (4,536)
    // leaves 789 for (9) (line 1149) and エリア (8,249) leaves 230 for (13) (line 1293).
    ("南区", "まちづくり推進経費", "(7)", "南区“いきいき”スポーツ大会開催経費", &[(I, 400)]),
    ("南区", "まちづくり推進経費", "(8)", "南区防災バスツアー開催経費", &[(I, 466)]),
    ("南区", "まちづくり推進経費", "(9)", "南区避難所運営訓練(実践編)", &[(I, 789)]),
    ("南区", "まちづくり推進経費", "(10)", "南区ウォーキングキャンペーン実施事業", &[(I, 1576)]),
    ("南区", "まちづくり推進経費", "(11)", "家庭訪問型子育て支援事業", &[(I, 1305)]),
    ("南区", "まちづくり推進経費", "(12)", "地域コミュニティづくり支援補助金", &[(I, 2041)]),
    ("南区", "まちづくり推進経費", "(13)", "地域交流事業支援", &[(I, 230)]),
];

// 東区 lines 400–616: columns R2当初 / 2月補正後 / R2決算, the 9月補正後 value glued to the last cell.
const HIGASHI: &[Exp] = &[
    ("東区", "まちづくり推進経費", "2", "東区地域コミュニティづくり支援補助金", &[(I, 2200), (FEB, 1640), (S, 1474)]),
    ("東区", "まちづくり推進経費", "8", "安全安心のまちづくり事業", &[(I, 427), (FEB, 132), (S, 126), (SEP, 132)]),
    ("東区", "まちづくり推進経費", "9", "地域防災合同訓練事業", &[(I, 2776), (FEB, 1000), (S, 967), (SEP, 1000)]),
    ("東区", "まちづくり推進経費", "12", "地域ささえあい推進事業", &[(I, 1676), (FEB, 250), (S, 234), (SEP, 250)]),
    ("東区", "まちづくり推進経費", "18", "東区地域活性化支援事業", &[(I, 1000), (FEB, 2350), (S, 2006), (SEP, 2200)]),
    ("東区", "まちづくり推進経費", "17", "まちづくり懇話会開催経費", &[(I, 350), (FEB, 250), (S, 233), (SEP, 290)]),
    (
        "東区",
        "復興支援自治推進経費",
        "1",
        "復興版地域コミュニティづくり支援補助金",
        &[(I, 2000), (FEB, 1956), (S, 1956), (SEP, 2000)],
    ),
    ("東区", "復興支援自治推進経費", "6", "地域防災力強化経費", &[(I, 1380), (FEB, 2004), (S, 1857), (SEP, 1380)]),
];

fn check(l: &Ledger, exp: &[Exp]) {
    let by = l.amounts_by_project();
    for (area, fund, number, name, vals) in exp {
        let p = l
            .projects
            .iter()
            .find(|p| p.area == *area && p.number == *number && p.name == *name && (fund.is_empty() || p.fund == *fund))
            .unwrap_or_else(|| panic!("no project {area} {fund} {number} {name}"));
        let got = by.get(p.id.as_str()).cloned().unwrap_or_default();
        for (ph, v) in *vals {
            let a = got.iter().find(|a| a.phase == *ph).unwrap_or_else(|| panic!("{name}: no {ph}"));
            assert_eq!(a.amount.map(|y| y.get()), Some(v * 1000), "{area} {number} {name} {ph}");
        }
        // Precision: no placed value other than the expected ones.
        for a in &got {
            if let Some((_, v)) = vals.iter().find(|(ph, _)| *ph == a.phase) {
                assert_eq!(a.amount.map(|y| y.get()), Some(v * 1000), "{name} {}", a.phase);
            } else if *area != "東区" {
                panic!("{name}: unexpected {} amount {:?}", a.phase, a.amount);
            }
        }
    }
}

#[test]
fn kita_ku_all_projects_and_totals() {
    let l = read("001.txt", SEED);
    check(&l, KITA);
    assert_eq!(l.projects.iter().filter(|p| p.area == "北区").count(), 14);
    let fund = |f: &str, ph: Phase| {
        l.totals
            .iter()
            .find(|t| t.area == "北区" && t.scope_kind == ScopeKind::Fund && t.scope == f && t.phase == ph)
            .and_then(|t| t.stated)
            .map(|y| y.get() / 1000)
    };
    assert_eq!(
        [I, SEP, FEB, S].map(|p| fund("復興支援自治推進経費", p)),
        [Some(10000), Some(10000), Some(8741), Some(7643)]
    );
    assert_eq!(
        [I, SEP, FEB, S].map(|p| fund("まちづくり推進経費", p)),
        [Some(17000), Some(8137), Some(6419), Some(5209)]
    );
}

#[test]
fn minami_ku_rows_parents_and_sums() {
    let l = read("001.txt", SEED);
    check(&l, MINAMI);
    let parent = l.projects.iter().find(|p| p.name == "地域力活性化・強化支援事業").expect("parent");
    let items: Vec<_> = l.projects.iter().filter(|p| p.parent_id.as_deref() == Some(parent.id.as_str())).collect();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0].tags, vec!["幸田".to_string()]);
    let by = l.amounts_by_project();
    for ph in [I, SEP, FEB, S] {
        let sum: i64 = items
            .iter()
            .map(|p| by[p.id.as_str()].iter().find(|a| a.phase == ph).and_then(|a| a.amount).map_or(0, |y| y.get()))
            .sum();
        let stated = l
            .totals
            .iter()
            .find(|t| t.scope_kind == ScopeKind::Project && t.scope == parent.id && t.phase == ph)
            .and_then(|t| t.stated)
            .expect("parent total");
        assert_eq!(sum, stated.get(), "{ph}");
    }
    let theme = l.policies.iter().find(|n| n.title == "テーマに応じたまちづくりの推進").expect("theme");
    assert_eq!(theme.stated_amount.map(|y| y.get()), Some(4_536_000));
    assert!(l.areas.iter().any(|a| a.name == "幸田" && a.kind == machi_domain::AreaKind::Other));
}

#[test]
fn minami_ku_scrambled_themes_funds_and_totals() {
    let l = read("001.txt", SEED);
    check(&l, MINAMI_THEMES);
    let fund = |f: &str| {
        l.totals
            .iter()
            .find(|t| t.area == "南区" && t.scope_kind == ScopeKind::Fund && t.scope == f && t.phase == I)
            .map(|t| (t.stated.map(|y| y.get() / 1000), t.source_line))
    };
    assert_eq!(fund("まちづくり推進経費"), Some((Some(17000), Some(1283))));
    assert_eq!(fund("復興支援自治推進経費"), Some((Some(10000), Some(1210))));
    // ① and ② are the items of (3), whichever line they are printed on.
    let p3 = l.projects.iter().find(|p| p.area == "南区" && p.number == "(3)").expect("(3)");
    let items: Vec<&str> = l
        .projects
        .iter()
        .filter(|p| p.parent_id.as_deref() == Some(p3.id.as_str()))
        .map(|p| p.number.as_str())
        .collect();
    assert_eq!(items, vec!["②", "①"]);
    let by = l.amounts_by_project();
    // Every theme holds its rows and adds up; (9) is new (`（新規）` in its name); (14)–(16) are printed
    // alone and stored once, as the parents they number.
    let initial_sum = |ps: &[&machi_domain::Project]| -> i64 {
        ps.iter()
            .filter_map(|p| by[p.id.as_str()].iter().find(|a| a.phase == I).and_then(|a| a.amount))
            .map(|y| y.get() / 1000)
            .sum()
    };
    let theme = |t: &str| -> (Vec<&str>, i64) {
        let ps: Vec<_> =
            l.projects.iter().filter(|p| p.area == "南区" && p.pillar == t && p.parent_id.is_none()).collect();
        let mut nums: Vec<&str> = ps.iter().map(|p| p.number.as_str()).collect();
        nums.sort_by_key(|n| n.trim_matches(|c| c == '(' || c == ')').parse::<u32>().unwrap_or(0));
        (nums, initial_sum(&ps))
    };
    assert_eq!(theme("情報受発信の充実"), (vec!["(1)", "(2)", "(3)"], 1668));
    assert_eq!(theme("テーマに応じたまちづくりの推進"), (vec!["(7)", "(8)", "(9)", "(10)", "(11)"], 4536));
    assert_eq!(theme("人材育成の充実"), (vec!["(4)", "(5)", "(6)"], 2090));
    assert_eq!(theme("エリア特性を活かしたまちづくりの推進"), (vec!["(12)", "(13)", "(14)", "(15)", "(16)"], 8249));
    assert_eq!(theme("区民参画と協働のまちづくりの推進"), (vec!["(17)"], 457));
    let p9 = l.projects.iter().find(|p| p.area == "南区" && p.number == "(9)").expect("(9)");
    assert!(p9.is_new);
    assert_eq!(p9.description, "実践的な避難所訓練により避難所運営の態勢を確認する。");
    for n in ["(14)", "(15)", "(16)"] {
        assert_eq!(l.projects.iter().filter(|p| p.area == "南区" && p.number == n).count(), 1, "{n}");
    }
    let fund: Vec<_> = l
        .projects
        .iter()
        .filter(|p| p.area == "南区" && p.fund == "まちづくり推進経費" && p.parent_id.is_none())
        .collect();
    assert_eq!(fund.len(), 17);
    assert_eq!(initial_sum(&fund), 17000);
    assert!(!l.projects.iter().any(|p| p.name.is_empty() && by.get(p.id.as_str()).is_none_or(|a| a.is_empty())));
}

#[test]
fn higashi_ku_glued_column_resolved_by_totals() {
    let l = read("001.txt", SEED);
    check(&l, HIGASHI);
    // Row 1 prints `267 0`: which column the 0 is in is not certain, so only 267 is placed.
    let p = l.projects.iter().find(|p| p.name == "地域活動理解促進事業").expect("row 1");
    let by = l.amounts_by_project();
    let got: Vec<_> = by[p.id.as_str()].iter().map(|a| (a.phase, a.amount.map(|y| y.get()))).collect();
    assert_eq!(got, vec![(I, Some(267_000))]);
    assert!(l.diagnostics.iter().any(|d| d.line == Some(421) && d.code == "unplaced-number"));
}

#[test]
fn wards_and_document_facts() {
    let l = read("001.txt", SEED);
    let d = &l.documents[0];
    assert_eq!(d.municipality, "熊本市");
    assert_eq!(d.fiscal_year.map(|y| y.year()), Some(2020));
    for (w, code) in
        [("中央区", "431010"), ("東区", "431028"), ("西区", "431036"), ("南区", "431044"), ("北区", "431052")]
    {
        let a = l.areas.iter().find(|a| a.name == w).expect(w);
        assert_eq!(a.lg_code.map(|c| c.as_str().to_string()).as_deref(), Some(code));
    }
    assert!(l.check_integrity(&Default::default()).is_empty());
}

#[test]
fn sample_four_phase_runs_decided_by_totals() {
    let l = read("s.txt", include_str!("../../../test_data/samples/four_phase_sakura.txt"));
    check(
        &l,
        &[
            (
                "さくら区",
                "まちづくり推進経費",
                "1",
                "花いっぱい運動事業",
                &[(I, 1200), (SEP, 1100), (FEB, 1000), (S, 935)],
            ),
            (
                "さくら区",
                "まちづくり推進経費",
                "2",
                "防犯パトロール支援事業",
                &[(I, 800), (SEP, 750), (FEB, 700), (S, 640)],
            ),
            (
                "さくら区",
                "まちづくり推進経費",
                "3",
                "ふれあい音楽会開催経費",
                &[(I, 1300), (SEP, 1100), (FEB, 1100), (S, 1040)],
            ),
        ],
    );
}

#[test]
fn sample_newsletter_items_and_no_phone_numbers() {
    let text = include_str!("../../../test_data/samples/newsletter_aoba.txt");
    let l = read("n.txt", text);
    let got: Vec<(String, i64)> = l
        .projects
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                l.amounts.iter().find(|a| a.project_id == p.id).and_then(|a| a.amount).map_or(-1, |y| y.get()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("親子ひろばの開設".to_string(), 3_800_000),
            ("子ども食堂への支援".to_string(), 1_250_000),
            ("散策マップの作成".to_string(), 950_000)
        ]
    );
    assert_eq!(l.policies[0].stated_amount.map(|y| y.get()), Some(21_400_000));
    assert_eq!(l.projects[0].area, "あおば区");
    // Each amount prints its unit, `(380万円)`: the document's unit is 万円, and it is not reported missing.
    assert_eq!(l.documents[0].unit, Some(machi_domain::Unit::TenThousand));
    assert!(!l.diagnostics.iter().any(|d| d.code == "no-unit"), "{:#?}", l.diagnostics);
}

#[test]
fn group_headings_printed_without_figures_give_the_theme() {
    let l = read("001.txt", SEED);
    let pillar = |area: &str, number: &str| {
        l.projects
            .iter()
            .find(|p| p.area == area && p.number == number && p.parent_id.is_none())
            .map(|p| p.pillar.clone())
            .unwrap_or_else(|| panic!("no {area} {number}"))
    };
    // 南区 line 1107 `健康・子育て支援　（健康・生活支援）` heads row （7） (line 1108); 防災・減災 (line 1101)
    // holds only （4） and （5）.
    assert_eq!(pillar("南区", "（7）"), "健康・子育て支援(健康・生活支援)");
    assert_eq!(pillar("南区", "（5）"), "防災・減災");
    let bousai: Vec<&str> =
        l.projects.iter().filter(|p| p.area == "南区" && p.pillar == "防災・減災").map(|p| p.number.as_str()).collect();
    assert_eq!(bousai, vec!["（4）", "（5）"]);
    // 中央区 line 102 `生きがいとしての地域活動` before row 2 (line 104); line 126 `おたがいさまで支えあう地域づくり`
    // before row 5 (line 128).
    assert_eq!(pillar("中央区", "1"), "地域活動の負担軽減");
    assert_eq!(pillar("中央区", "2"), "生きがいとしての地域活動");
    assert_eq!(pillar("中央区", "4"), "生きがいとしての地域活動");
    assert_eq!(pillar("中央区", "5"), "おたがいさまで支えあう地域づくり");
}

#[test]
fn vision_text_and_vertical_headings_are_not_projects() {
    let l = read("001.txt", SEED);
    // 東区 lines 617–701 are the vision and basic policies: the table holds rows 1–18 and 1–7 only.
    assert!(!l.projects.iter().any(|p| p.area == "東区" && (617..=701).contains(&p.source_line.unwrap_or(0))));
    assert_eq!(l.projects.iter().filter(|p| p.area == "東区").count(), 25);
    assert!(!l.areas.iter().any(|a| a.name == "美しい自然を守り育てふれあえるまち"));
    // The stray `２` (line 659) is still reported.
    assert!(l.diagnostics.iter().any(|d| d.line == Some(659) && d.code == "unplaced-number"));
    // 西区: `№` (line 830) is a column label, lines 873–901 and 933–960 are policies printed sideways.
    for line in [828, 873, 933] {
        assert!(!l.projects.iter().any(|p| p.source_line == Some(line)), "{line}");
        assert!(l.diagnostics.iter().any(|d| d.line == Some(line) && d.code == "not-a-row"), "{line}");
    }
    // The 西区 rows after its vision (line 702) are still read.
    for name in ["西区地域コミュニティづくり支援事業", "地域ニーズ対応経費", "大学連携まちづくり推進経費"]
    {
        assert!(l.projects.iter().any(|p| p.area == "西区" && p.name == name), "{name}");
    }
}

#[test]
fn minami_ku_recovery_rows_without_figures_are_stored_without_amounts() {
    let l = read("001.txt", SEED);
    // Lines 1096, 1105, 1208: the names of （1）, （6）, （8） are printed, their figures are not next to
    // them; the full-width sequence is the recovery table (10,000, line 1210).
    check(
        &l,
        &[
            (
                "南区",
                "復興支援自治推進経費",
                "（1）",
                "災害公営住宅入居者交流支援経費(入居者同士及び地域住民等とのコミュニティ形成支援)",
                &[],
            ),
            (
                "南区",
                "復興支援自治推進経費",
                "（6）",
                "復興賑わいづくり支援助成経費(復興のための賑わい創出を目的とした取組み支援)",
                &[],
            ),
            ("南区", "復興支援自治推進経費", "（8）", "仮設住宅等入居者・退去者交流支援経費", &[]),
        ],
    );
    let pillar = |n: &str| l.projects.iter().find(|p| p.area == "南区" && p.number == n).map(|p| p.pillar.as_str());
    // Line 1104 `賑わい創出` heads （6）; （8） sits among the (N) rows of 人材育成の充実, a theme of the other table.
    assert_eq!(pillar("（6）"), Some("賑わい創出"));
    assert_eq!(pillar("（8）"), Some(""));
    assert!(l.diagnostics.iter().any(|d| d.line == Some(1208) && d.code == "theme-unknown"));
}

/// 中央区 (lines 95–333): one row per number block, names wrapped in a 13-character column with a blank
/// line between the parts (`避難所運営委員会活動支援助` line 175, `成金` line 177), one initial figure after
/// each description. Rows with `【復興支援自治推進経費】` are the recovery fund's (6, 7, 8, 9, 10, 11, 16:
/// 10,000), the others まちづくり推進経費 (17,000); the totals `17,000 8,600 7,088` and `10,000 10,000 6,422`
/// (lines 331, 333) are printed before their labels (lines 335–341).
const CHUO: &[Exp] = &[
    // `1,5001 地域リーダー応援事業` (line 97): 1,500 glued in front of row 1.
    ("中央区", "まちづくり推進経費", "1", "地域リーダー応援事業", &[(I, 1500)]),
    ("中央区", "まちづくり推進経費", "2", "校区の魅力発見発信事業", &[(I, 1000)]),
    ("中央区", "まちづくり推進経費", "3", "中央区スポーツ交流事業", &[(I, 150)]),
    ("中央区", "まちづくり推進経費", "4", "地域デビュー応援事業", &[(I, 1000)]),
    ("中央区", "まちづくり推進経費", "5", "お互いさまのまちづくり研修会", &[(I, 1300)]),
    ("中央区", "復興支援自治推進経費", "6", "被災者健康・介護相談事業", &[(I, 1600)]),
    ("中央区", "復興支援自治推進経費", "7", "地域防災力強化経費", &[(I, 2530)]),
    ("中央区", "復興支援自治推進経費", "9", "災害公営住宅入居者交流支援事業", &[(I, 1000)]),
    ("中央区", "復興支援自治推進経費", "8", "避難所運営委員会活動支援助成金", &[(I, 870)]),
    ("中央区", "復興支援自治推進経費", "10", "仮設住宅等入居者・退去者交流支援事業", &[(I, 1000)]),
    ("中央区", "まちづくり推進経費", "13", "中央区多文化共生推進事業", &[(I, 300)]),
    ("中央区", "まちづくり推進経費", "12", "マンション・コミュニティ形成支援事業", &[(I, 300)]),
    // Lines 214–221 print a row without its number; `14` stands alone at line 323.
    ("中央区", "まちづくり推進経費", "14", "運動でつながる中央区事業", &[(I, 1300)]),
    ("中央区", "復興支援自治推進経費", "16", "被災者健康・子育て支援経費", &[(I, 1400)]),
    ("中央区", "復興支援自治推進経費", "11", "地域コミュニティセンター災害対応機能強化経費", &[(I, 1600)]),
    ("中央区", "まちづくり推進経費", "21", "中央区課題対応経費", &[(I, 1850)]),
    ("中央区", "まちづくり推進経費", "19", "中央区地域課題調査分析等経費", &[(I, 3000)]),
    ("中央区", "まちづくり推進経費", "20", "地域コミュニティづくり支援補助金", &[(I, 3100)]),
    ("中央区", "まちづくり推進経費", "15", "中学生と乳幼児の交流事業", &[(I, 1200)]),
    ("中央区", "まちづくり推進経費", "17", "中央区まちづくりスクール事業", &[(I, 1000)]),
];

#[test]
fn chuo_ku_names_wrapped_over_a_blank_line_initial_amounts_and_funds_confirmed_by_totals_printed_apart() {
    let l = read("001.txt", SEED);
    check(&l, CHUO);
    let p = |n: &str| l.projects.iter().find(|p| p.area == "中央区" && p.number == n).expect(n);
    // The tail of a wrapped name is not the description's start (line 179 starts the description).
    assert!(p("8").description.starts_with("自主防災組織の活動支援のため"), "{}", p("8").description);
    assert!(p("20").description.starts_with("地域が行う課題解決"), "{}", p("20").description);
    // A name as wide as the column that did not wrap keeps its description (line 226, then 228).
    assert!(p("16").description.starts_with("子育て世帯を中心に"), "{}", p("16").description);
    // Row 18 prints `―` (line 299): no value, not zero.
    let by = l.amounts_by_project();
    let a18: Vec<_> = by.get(p("18").id.as_str()).cloned().unwrap_or_default();
    assert_eq!(a18.len(), 1);
    assert_eq!((a18[0].phase, a18[0].amount), (I, None));
    assert!([("4", true), ("19", true), ("15", true), ("13", true), ("12", false)]
        .iter()
        .all(|(n, new)| p(n).is_new == *new));
}

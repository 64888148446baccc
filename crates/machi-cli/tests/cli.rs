//! Integration tests that run the real `machi` binary against the hand-typed 北区 fixture
//! (`test_data/interchange/kita`, values typed from lines 1327–1530 of `001_dfc7a35a737f6b56.txt`).

mod common;

use common::manifest_dir;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    manifest_dir().join("../..")
}

fn kita() -> PathBuf {
    repo().join("test_data/interchange/kita")
}

struct Machi {
    dir: tempfile::TempDir,
}

impl Machi {
    fn new() -> Machi {
        Machi { dir: tempfile::tempdir().expect("tempdir") }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("machi.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_machi")).args(args).env("MACHI_DB", self.db()).output().expect("run machi")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "machi {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// The whole store as one JSON document, to compare before and after.
    fn snapshot(&self) -> String {
        self.ok(&["export", "--format", "json", "--out", "-"])
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn read_dir_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn check_reports_eight_matching_fund_totals_for_kita() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let out = m.run(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().filter(|l| l.ends_with("  match")).count(), 8, "{text}");
    assert!(text.contains("8 totals: 8 match, 0 rounding, 0 mismatch, 0 incomplete"), "{text}");
    // The values are the document's: まちづくり推進経費 17,000 / 8,137 / 6,419 / 5,209 千円.
    for v in ["17,000", "8,137", "6,419", "5,209", "10,000", "8,741", "7,643"] {
        assert!(text.contains(v), "{v} missing from\n{text}");
    }
    let json: serde_json::Value = serde_json::from_str(&m.ok(&["check", "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r["status"] == "match"));
}

#[test]
fn a_changed_amount_is_a_mismatch_with_its_difference_and_exit_1() {
    let m = Machi::new();
    let dir = m.path("kita");
    copy_dir(&kita(), &dir);
    // ⑧ 北区まちづくり懇話会: 決算額 152 千円 becomes 52 千円 (a difference of 100 千円 is more than
    // rounding eight rows to 千円 can explain).
    let amounts = fs::read_to_string(dir.join("amounts.csv")).unwrap();
    let changed = amounts.replace("doc-f67e94715163-p014,settled,152000,", "doc-f67e94715163-p014,settled,52000,");
    assert_ne!(amounts, changed);
    fs::write(dir.join("amounts.csv"), changed).unwrap();
    m.ok(&["import", dir.to_str().unwrap()]);
    let out = m.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let bad: Vec<&str> = text.lines().filter(|l| l.ends_with("mismatch")).collect();
    assert_eq!(bad.len(), 1, "{text}");
    assert!(bad[0].contains("まちづくり推進経費") && bad[0].contains("決算額"), "{}", bad[0]);
    assert!(bad[0].contains("5,209") && bad[0].contains("5,109") && bad[0].contains("△100"), "{}", bad[0]);
    let json: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&m.run(&["check", "--json"]).stdout)).unwrap();
    let row = json.as_array().unwrap().iter().find(|r| r["status"] == "mismatch").unwrap();
    assert_eq!(row["difference_yen"], -100_000);
    assert_eq!(row["stated_yen"], 5_209_000);
}

#[test]
fn export_import_export_is_byte_identical() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    // Plans with policy trees, KPIs and actions, and KPI observations, travel the same way.
    m.ok(&["import", &seed("002_4a7a9acf42a67d2d.txt"), &seed("003_eb512b28accc4bfd.txt")]);
    m.ok(&["import", repo().join("test_data/interchange/kpi-observations").to_str().unwrap()]);
    let first = m.path("first");
    m.ok(&["export", "--format", "csv", "--out", first.to_str().unwrap()]);

    let m2 = Machi::new();
    m2.ok(&["import", first.join("datapackage.json").to_str().unwrap()]);
    let second = m2.path("second");
    m2.ok(&["export", "--format", "csv", "--out", second.to_str().unwrap()]);

    let a = read_dir_bytes(&first);
    let b = read_dir_bytes(&second);
    assert_eq!(a.len(), 11, "ten CSV files and datapackage.json");
    assert_eq!(a, b);
    let totals = String::from_utf8(a.iter().find(|(n, _)| n == "totals.csv").unwrap().1.clone()).unwrap();
    assert!(totals.contains(",fund,まちづくり推進経費,initial,17000000,17000000,match,1524"), "{totals}");
    let package: serde_json::Value =
        serde_json::from_slice(&a.iter().find(|(n, _)| n == "datapackage.json").unwrap().1).unwrap();
    assert_eq!(package["resources"].as_array().unwrap().len(), 10);
    let count = |name: &str| String::from_utf8_lossy(&a.iter().find(|(n, _)| n == name).unwrap().1).lines().count() - 1;
    assert_eq!((count("kpis.csv"), count("kpi_observations.csv")), (5, 6));
    assert!(count("policies.csv") > 10 && count("actions.csv") >= 7);
}

#[test]
fn reimporting_the_same_source_replaces_it() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let before = m.snapshot();
    m.ok(&["import", kita().to_str().unwrap()]);
    assert_eq!(m.snapshot(), before);
}

#[test]
fn list_and_show_print_the_documents_values() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let list = m.ok(&["list", "--area", "北区", "--year", "令和2年度"]);
    assert!(list.contains("14 projects"), "{list}");
    let line = list.lines().find(|l| l.contains("自主自立のまちづくり推進プロジェクト")).unwrap();
    for v in ["5,578", "4,140", "2,631", "2,373"] {
        assert!(line.contains(v), "{line}");
    }
    let none = m.ok(&["list", "--area", "南区"]);
    assert!(none.contains("0 projects"));
    let show = m.ok(&["show", "doc-f67e94715163-p005"]);
    assert!(show.contains("家庭訪問型子育て支援事業(ホームスタート事業)"), "{show}");
    assert!(show.contains("1,000") && show.contains("1436"), "{show}");
    let json: serde_json::Value = serde_json::from_str(&m.ok(&["show", "doc-f67e94715163-p001", "--json"])).unwrap();
    assert_eq!(json["name"], "地域コミュニティ形成・強化支援経費");
    assert_eq!(json["amounts"][0]["amount_yen"], 2_899_000);
    let missing = m.run(&["show", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// Break one file of a copy of the fixture and import it over a store that holds the original: the
/// import fails naming file, line and column, and the store is exactly as it was.
fn rejects(file: &str, edit: impl Fn(&str) -> String, expect: &[&str]) {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let before = m.snapshot();
    let dir = m.path("bad");
    copy_dir(&kita(), &dir);
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let broken = edit(&text);
    assert_ne!(text, broken, "the edit must change {file}");
    fs::write(dir.join(file), broken).unwrap();
    // Change a document field too, so that a partial write would show.
    let docs = fs::read_to_string(dir.join("documents.csv")).unwrap();
    fs::write(dir.join("documents.csv"), docs.replace("2026-11-24T00:00:00Z", "2030-01-01T00:00:00Z")).unwrap();
    let out = m.run(&["import", dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert_eq!(m.snapshot(), before, "a failed import must leave the store as it was");
}

#[test]
fn bad_input_is_rejected_with_file_line_and_column() {
    rejects("amounts.csv", |t| t.replacen(",initial,2899000,", ",initial,2,899,000,", 1), &["amounts.csv:2", "fields"]);
    rejects(
        "amounts.csv",
        |t| t.replacen(",revised_09,", ",revised_9,", 1),
        &["amounts.csv:3", "column phase", "revised_9"],
    );
    rejects(
        "amounts.csv",
        |t| t.replacen(",2899000,", ",2899000.5,", 1),
        &["amounts.csv:2", "column amount_yen", "not a whole number"],
    );
    rejects(
        "projects.csv",
        |t| t.replacen(",description,", ",descr,", 1),
        &["projects.csv:1", "missing column \"description\""],
    );
    rejects(
        "projects.csv",
        |t| t.replacen("doc-f67e94715163-p002,", "doc-f67e94715163-p001,", 1),
        &["projects.csv:3", "column project_id", "duplicate"],
    );
    rejects(
        "amounts.csv",
        |t| t.replacen("doc-f67e94715163-p003,", "doc-f67e94715163-p999,", 1),
        &["amounts.csv:10", "column project_id", "p999"],
    );
    rejects(
        "projects.csv",
        |t| t.replacen(",false,planned,", ",false,finished,", 1),
        &["projects.csv:2", "column status", "finished"],
    );
}

#[test]
fn a_file_that_is_not_utf8_is_rejected() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let before = m.snapshot();
    let dir = m.path("sjis");
    copy_dir(&kita(), &dir);
    let text = fs::read_to_string(dir.join("projects.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    // Line 4 re-encoded as Shift_JIS, as Excel would save it.
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(std::str::from_utf8(&lines[3]).unwrap());
    lines[3] = sjis.into_owned();
    let bytes: Vec<u8> = lines.join(&b'\n').into_iter().chain(std::iter::once(b'\n')).collect();
    fs::write(dir.join("projects.csv"), bytes).unwrap();
    let out = m.run(&["import", dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("projects.csv:4") && err.contains("not UTF-8"), "{err}");
    assert_eq!(m.snapshot(), before);
}

#[test]
fn json_export_is_one_document_with_typed_values() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&m.snapshot()).unwrap();
    assert_eq!(v["format"], "machi-ledger");
    assert_eq!(v["projects"].as_array().unwrap().len(), 14);
    assert_eq!(v["projects"][0]["is_new"], false);
    assert_eq!(v["amounts"][0]["amount_yen"], 2_899_000);
    assert_eq!(v["projects"][0]["parent_project_id"], serde_json::Value::Null);
}

#[test]
fn excel_variant_has_a_bom_and_guards_formulas() {
    let m = Machi::new();
    m.ok(&["import", kita().to_str().unwrap()]);
    let out = m.path("excel");
    m.ok(&["export", "--format", "csv", "--excel", "--out", out.to_str().unwrap()]);
    let bytes = fs::read(out.join("projects.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let sj = m.path("sjis");
    m.ok(&["export", "--format", "csv", "--encoding", "shift_jis", "--out", sj.to_str().unwrap()]);
    let bytes = fs::read(sj.join("projects.csv")).unwrap();
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    assert!(text.contains("北区笑顔交流プロジェクト"));
}

fn seed(name: &str) -> String {
    repo().join("test_data/seeds").join(name).to_string_lossy().into_owned()
}

#[test]
fn kpi_progress_on_a_fixture_with_observations() {
    let m = Machi::new();
    m.ok(&["import", &seed("002_4a7a9acf42a67d2d.txt")]);
    m.ok(&["import", repo().join("test_data/interchange/kpi-observations").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&m.ok(&["kpi", "--json"])).unwrap();
    let kpis = v["kpis"].as_array().unwrap();
    assert_eq!(kpis.len(), 5);
    let by = |ind: &str| kpis.iter().find(|k| k["indicator"] == ind).unwrap_or_else(|| panic!("{ind}")).clone();
    // (93 − 77) / (110 − 77) = 0.485; a straight path from 2014 to 2022 expects 0.75 by 2020.
    let k = by("「協働」による事業実施数");
    assert!((k["progress"].as_f64().unwrap() - 16.0 / 33.0).abs() < 1e-9);
    assert_eq!(k["status"], "behind");
    assert_eq!(by("市民活動支援センターの設置")["status"], "achieved");
    // (94.4 − 92.6) / (95 − 92.6) = 0.75, exactly on the path.
    let k = by("補助金交付自治会の割合");
    assert!((k["progress"].as_f64().unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(k["status"], "on_track");
    // 2018 is more than a year behind the ledger's latest year (2020).
    let k = by("自治会加入率");
    assert!((k["progress"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(k["stale"], true);
    // Cumulative: 100 + 90 = 190 of 300.
    let k = by("マッチング件数(累計)");
    assert_eq!(k["latest"], 190.0);
    assert_eq!(k["status"], "caution");
    let text = m.ok(&["kpi"]);
    assert!(text.contains("on_track (stale)") && text.contains("190組 (2020)"), "{text}");
}

#[test]
fn plans_export_their_kpis_and_actions_exactly() {
    let m = Machi::new();
    m.ok(&["import", &seed("002_4a7a9acf42a67d2d.txt"), &seed("003_eb512b28accc4bfd.txt")]);
    let out = m.path("out");
    m.ok(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    let kpis = fs::read_to_string(out.join("kpis.csv")).unwrap();
    // Typed from 002: indicator, unit, cumulative, baseline year and value, target year and value, department.
    for row in [
        ",「協働」による事業実施数,事業/年,false,2014,77,2022,110,市民協働推進課,",
        ",市民活動支援センターの設置,,false,2014,未設置,2022,設置,市民協働推進課,",
        ",補助金交付自治会の割合,%,false,2014,92.6,2022,95,市民協働推進課,",
        ",自治会加入率,%,false,2014,66.4,2022,70,市民協働推進課,",
        ",マッチング件数(累計),組,true,2014,,2022,300,市民協働推進課,",
    ] {
        assert!(kpis.contains(row), "{row} not in\n{kpis}");
    }
    assert_eq!(kpis.lines().count(), 6);
    let actions = fs::read_to_string(out.join("actions.csv")).unwrap();
    let numbered: Vec<&str> = actions
        .lines()
        .filter(|l| {
            l.contains(",①,")
                || l.contains(",②,")
                || l.contains(",③,")
                || l.contains(",④,")
                || l.contains(",⑤,")
                || l.contains(",⑥,")
                || l.contains(",⑦,")
        })
        .collect();
    assert_eq!(numbered.len(), 7, "{actions}");
    // ① done 2013–2016, ④ done 2015, the rest not started; the merged department cell is inherited.
    assert!(numbered[0].contains(",done,2013,2016,"), "{}", numbered[0]);
    assert!(numbered[3].contains(",done,2015,2015,"), "{}", numbered[3]);
    for (i, l) in numbered.iter().enumerate() {
        assert!(l.contains("市民活動支援課"), "{l}");
        if i != 0 && i != 3 {
            assert!(l.contains(",not_started,,,"), "{l}");
        }
    }
}

/// The README's check of the whole seed: nothing read from it contradicts a stated total, and 中央区's
/// totals printed before their labels (lines 331–341) match their rows.
#[test]
fn check_of_the_whole_seed_has_no_mismatch_and_chuo_ku_funds_match() {
    let m = Machi::new();
    m.ok(&["import", &seed("001_dfc7a35a737f6b56.txt"), "--municipality", "熊本市"]);
    let out = m.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("44 totals: 39 match, 0 rounding, 0 mismatch, 5 incomplete"), "{text}");
    let chuo: Vec<&str> = text.lines().filter(|l| l.contains("中央区") && l.contains("fund ")).collect();
    assert_eq!(chuo.len(), 2, "{text}");
    for (fund, total) in [("まちづくり推進経費", "17,000"), ("復興支援自治推進経費", "10,000")] {
        let line = chuo.iter().find(|l| l.contains(fund)).unwrap_or_else(|| panic!("{fund}: {text}"));
        assert!(line.contains(total) && line.ends_with("match"), "{line}");
    }
}

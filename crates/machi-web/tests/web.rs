//! In-process tests of every route, HTML and JSON, against the fixture that `serve --demo` shows: the
//! hand-written interchange folder for 熊本市北区 令和2年度 (`test_data/interchange/kita`), plus a small
//! synthetic 令和3年度 document with a renamed project, a policy tree, a KPI and an action, so that
//! lineage, plans and comparison have something to show. Values are checked against the document.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use machi_domain::{Action, FiscalYear, Kpi, KpiObservation, KpiValue, Ledger, PolicyKind, PolicyNode, Status};
use machi_store::Store;
use serde_json::Value;
use tower::ServiceExt;

/// The crate's folder, read when the test runs: a test binary reused from a build of another checkout
/// (a shared target folder) must not read that checkout's files.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
}

const KITA: &str = "/areas/%E5%8C%97%E5%8C%BA/2020";

fn kita() -> Ledger {
    let dir = manifest_dir().join("../../test_data/interchange/kita");
    machi_interchange::read_dir(&dir, &Default::default()).expect("kita interchange folder reads")
}

/// The same ward a year later, written by hand: ids renamed, one project renamed, plans and a KPI added.
fn synthetic_2021(base: &Ledger) -> Ledger {
    let doc = "doc-synthetic2021";
    let mut l = Ledger::default();
    let mut d = base.documents[0].clone();
    d.id = doc.into();
    d.title = "令和3年度 北区まちづくりの取組（テスト用）".into();
    d.fiscal_year = FiscalYear::new(2021);
    d.source_sha256 = "0".repeat(64);
    d.source_name = "synthetic-2021.txt".into();
    l.documents.push(d);
    for p in base.projects.iter().filter(|p| p.fund == "まちづくり推進経費").take(3) {
        let mut q = p.clone();
        q.id = format!("{doc}-{}", p.id);
        q.document_id = doc.into();
        q.fiscal_year = FiscalYear::new(2021);
        if q.name == "北区笑顔交流プロジェクト" {
            q.name = "北区笑顔交流事業".into();
            q.status = Status::Cancelled;
        }
        if q.number == "②" {
            q.description = "<script>alert(1)</script>防災の居場所".into();
        }
        for a in base.amounts.iter().filter(|a| a.project_id == p.id) {
            let mut b = a.clone();
            b.project_id = q.id.clone();
            l.amounts.push(b);
        }
        l.projects.push(q);
    }
    let node = |id: &str, parent: Option<&str>, kind, code: &str, title: &str| PolicyNode {
        id: id.into(),
        document_id: doc.into(),
        parent_id: parent.map(Into::into),
        kind,
        code: code.into(),
        title: title.into(),
        stated_amount: None,
        source_line: Some(10),
    };
    l.policies = vec![
        node("pol-v", None, PolicyKind::Vision, "", "みんなで創る北区"),
        node("pol-1", Some("pol-v"), PolicyKind::Policy, "1", "地域の絆づくり"),
        node("pol-1-1", Some("pol-1"), PolicyKind::Measure, "1-1", "自治会加入の促進"),
    ];
    l.kpis = vec![Kpi {
        id: "kpi-1".into(),
        document_id: doc.into(),
        policy_id: Some("pol-1-1".into()),
        indicator: "自治会加入率".into(),
        unit: "%".into(),
        cumulative: false,
        baseline_year: FiscalYear::new(2014),
        baseline_value: KpiValue::parse("60"),
        target_year: FiscalYear::new(2022),
        target_value: KpiValue::parse("70"),
        department: "北区総務企画課".into(),
        source_line: Some(20),
    }];
    l.observations = vec![KpiObservation {
        kpi_id: "kpi-1".into(),
        fiscal_year: FiscalYear::new(2020).expect("year"),
        value: KpiValue::parse("65").expect("value"),
        source_line: Some(21),
    }];
    l.actions = vec![Action {
        id: "act-1".into(),
        document_id: doc.into(),
        policy_id: Some("pol-1-1".into()),
        number: "①".into(),
        description: "加入促進チラシの配布".into(),
        department: "北区総務企画課".into(),
        status: Status::Done,
        first_year: FiscalYear::new(2020),
        last_year: FiscalYear::new(2021),
        record: "全戸配布".into(),
        source_line: Some(30),
    }];
    l
}

struct Fixture {
    _dir: tempfile::TempDir,
    app: Router,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("machi.db");
    {
        let mut store = machi_store_sqlite::SqliteStore::open(&db).expect("open store");
        let base = kita();
        store.import(&base).expect("import kita");
        // The synthetic document comes with its text, as a published-text import would, so the project
        // page can show the lines its values were read from.
        let mut text: Vec<String> = (1..=1470).map(|n| format!("（{n}行目）")).collect();
        text[1459] = "① 北区笑顔交流事業 地域間及び世代間の親睦や交流を促進".into();
        text[1463] = "3,100 500 0 0 <b>中止</b>".into();
        let src = machi_store::SourceFile { document_id: "doc-synthetic2021".into(), text: text.join("\n") };
        store.import_with_sources(&synthetic_2021(&base), &[src]).expect("import synthetic");
    }
    let state = machi_web::AppState::open(&db).expect("app state");
    Fixture { _dir: dir, app: machi_web::app(state) }
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
}

async fn call(app: &Router, req: Request<Body>) -> Resp {
    let r = app.clone().oneshot(req).await.expect("infallible");
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.expect("body").to_bytes().to_vec();
    Resp { status, headers, body }
}

async fn get(app: &Router, uri: &str) -> Resp {
    call(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn ok(app: &Router, uri: &str) -> Resp {
    let r = get(app, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
    r
}

#[tokio::test]
async fn the_overview_sums_each_area_and_year() {
    let f = fixture();
    let html = ok(&f.app, "/").await.text();
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("北区") && html.contains("2020（令和2年度）"));
    // 10,000 + 17,000 千円 initial across both funds.
    assert!(html.contains("27,000"), "{html}");
    assert!(html.contains("index.json\" type=\"application/json\""), "the HTML links its JSON twin");
    let j = ok(&f.app, "/index.json").await.json();
    let row = &j["rows"][0];
    assert_eq!(row["area"], "北区");
    assert_eq!(row["fiscal_year"], 2020);
    assert_eq!(row["initial_yen"], 27_000_000);
    assert_eq!(row["settled_yen"], 7_643_000 + 5_209_000);
    assert_eq!(row["last_budget_yen"], 8_741_000 + 6_419_000);
    assert_eq!(row["unspent_yen"], 8_741_000 + 6_419_000 - 7_643_000 - 5_209_000);
    assert_eq!(row["totals_ok"], 8);
    assert_eq!(row["totals_ng"], 0);
    assert_eq!(row["projects"], 14);
    assert_eq!(j["rows"][1]["cancelled"], 1);
    let csv = ok(&f.app, "/index.csv").await;
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"), "CSV has a BOM for Excel");
    assert!(csv.text().contains("北区"));
}

#[tokio::test]
async fn the_area_sheet_shows_the_published_figures_and_checks_totals() {
    let f = fixture();
    let html = ok(&f.app, KITA).await.text();
    for v in ["17,000", "8,137", "6,419", "5,209", "10,000", "7,643", "単位：千円", "9月補正後", "2月補正後", "決算額"]
    {
        assert!(html.contains(v), "area sheet lacks {v}");
    }
    assert!(html.contains("✓"));
    assert!(!html.contains("✗ 不一致"), "every stated total of 北区 R2 reconciles");
    assert!(html.contains("<canvas") && html.contains("chart-area"));
    assert!(html.contains("北区笑顔交流プロジェクト"));
    let j = ok(&f.app, &format!("{KITA}.json")).await.json();
    let phases: Vec<&str> = j["phases"].as_array().expect("phases").iter().filter_map(|p| p["code"].as_str()).collect();
    assert_eq!(phases, ["initial", "revised_09", "revised_02", "settled"]);
    let fund = j["funds"].as_array().expect("funds").iter().find(|f| f["fund"] == "まちづくり推進経費").expect("fund");
    let stated: Vec<i64> =
        fund["totals"][0]["cells"].as_array().expect("cells").iter().filter_map(|c| c["stated_yen"].as_i64()).collect();
    assert_eq!(stated, [17_000_000, 8_137_000, 6_419_000, 5_209_000]);
    assert!(fund["totals"][0]["cells"].as_array().expect("cells").iter().all(|c| c["mark"] == "✓"));
    assert_eq!(fund["totals"][0]["ok"], true);
    let csv = ok(&f.app, &format!("{KITA}.csv")).await;
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"));
    assert!(csv.text().contains("北区笑顔交流プロジェクト") && csv.text().contains("3,100"));
    assert_eq!(get(&f.app, "/areas/%E5%8C%97%E5%8C%BA/1999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&f.app, "/areas/%E5%8C%97%E5%8C%BA/abc").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_project_page_shows_every_phase_its_lineage_and_sources() {
    let f = fixture();
    let id = "doc-f67e94715163-p007";
    let html = ok(&f.app, &format!("/projects/{id}")).await.text();
    assert!(html.contains("北区笑顔交流プロジェクト"));
    assert!(html.contains("3,100") && html.contains("△2,600"), "the September revision cut 2,600 千円");
    assert!(html.contains("chart-project"));
    assert!(html.contains("001_dfc7a35a737f6b56.txt") && html.contains("1464"), "source file and line shown");
    let j = ok(&f.app, &format!("/projects/{id}.json")).await.json();
    assert_eq!(j["steps"][1]["change_yen"], -2_600_000);
    assert_eq!(j["steps"][1]["phase"], "revised_09");
    let lineage = j["lineage"].as_array().expect("lineage");
    assert_eq!(lineage.len(), 1, "{lineage:?}");
    assert_eq!(lineage[0]["fiscal_year"], 2021);
    assert_eq!(lineage[0]["name"], "北区笑顔交流事業");
    assert!(lineage[0]["score"].as_f64().expect("score") >= 0.5);
    assert_eq!(get(&f.app, "/projects/nope").await.status, StatusCode::NOT_FOUND);
    // With source text in the store, the lines around the values are shown, the value lines highlighted.
    let html = ok(&f.app, "/projects/doc-synthetic2021-doc-f67e94715163-p007").await.text();
    assert!(html.contains("<pre class=\"source\">"), "{html}");
    assert!(html.contains("<span class=\"hl\"><span class=\"ln\">1464</span>3,100 500 0 0 &lt;b&gt;"), "{html}");
    assert!(html.contains("<span class=\"ln\">1462</span>（1462行目）"));
    let j = ok(&f.app, "/projects/doc-synthetic2021-doc-f67e94715163-p007.json").await.json();
    assert_eq!(j["source_text"].as_array().expect("lines").len(), 9, "1458..=1466");
}

#[tokio::test]
async fn plans_show_the_tree_kpis_with_progress_and_actions() {
    let f = fixture();
    let html = ok(&f.app, "/plans").await.text();
    for v in ["みんなで創る北区", "自治会加入の促進", "自治会加入率", "加入促進チラシの配布", "<progress"]
    {
        assert!(html.contains(v), "plans lack {v}");
    }
    let j = ok(&f.app, "/plans.json").await.json();
    let k = &j["kpis"][0];
    assert_eq!(k["latest_value"], "65");
    assert_eq!(k["progress_pct"], 50.0, "(65 − 60) / (70 − 60)");
    assert_eq!(j["documents"][0]["nodes"][2]["depth"], 2);
}

#[tokio::test]
async fn compare_puts_areas_or_years_side_by_side() {
    let f = fixture();
    let by_area = ok(&f.app, "/compare.json?area=%E5%8C%97%E5%8C%BA").await.json();
    let years: Vec<i64> =
        by_area["rows"].as_array().expect("rows").iter().filter_map(|r| r["fiscal_year"].as_i64()).collect();
    assert_eq!(years, [2020, 2021]);
    let html = ok(&f.app, "/compare?year=2020").await.text();
    assert!(html.contains("27,000") && html.contains("chart-compare"));
    ok(&f.app, "/compare").await;
    assert_eq!(get(&f.app, "/compare?year=x").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn search_finds_two_character_words_half_width_kana_and_escapes_hits() {
    let f = fixture();
    let j = ok(&f.app, "/search.json?q=%E9%98%B2%E7%81%BD").await.json(); // 防災
    assert!(j["total"].as_u64().expect("total") >= 3, "{j}");
    let html = ok(&f.app, "/search?q=%E9%98%B2%E7%81%BD").await.text();
    assert!(html.contains("<mark>防災</mark>"));
    // ﾜｰｸｼｮｯﾌﾟ (half-width) finds ワークショップ in 北区まちづくり懇話会.
    let j = ok(&f.app, "/search.json?q=%EF%BE%9C%EF%BD%B0%EF%BD%B8%EF%BD%BC%EF%BD%AE%EF%BD%AF%EF%BE%8C%EF%BE%9F")
        .await
        .json();
    assert!(j["hits"].as_array().expect("hits").iter().any(|h| h["id"] == "doc-f67e94715163-p014"), "{j}");
    // Filters.
    let j = ok(&f.app, "/search.json?q=%E9%98%B2%E7%81%BD&year=2021").await.json();
    assert!(j["hits"].as_array().expect("hits").iter().all(|h| h["fiscal_year"] == 2021));
    // A description with markup is shown as text.
    let html = ok(&f.app, "/search?q=script").await.text();
    assert!(html.contains("&lt;") && !html.contains("<script>alert"), "hits are escaped");
    assert_eq!(get(&f.app, &format!("/search?q={}", "a".repeat(300))).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&f.app, "/search?q=x&status=bogus").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn documents_list_their_diagnostics_and_projects() {
    let f = fixture();
    let html = ok(&f.app, "/documents").await.text();
    assert!(html.contains("令和2年度 北区まちづくりの取組"));
    let j = ok(&f.app, "/documents.json").await.json();
    assert_eq!(j["documents"][0]["projects"], 14);
    let one = ok(&f.app, "/documents/doc-f67e94715163").await.text();
    assert!(one.contains("取込時の指摘") && one.contains("地域防災力強化経費"));
    ok(&f.app, "/documents/doc-f67e94715163.json").await;
    ok(&f.app, "/documents/doc-f67e94715163.csv").await;
    assert_eq!(get(&f.app, "/documents/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_filters_pages_and_validates() {
    let f = fixture();
    let j = ok(&f.app, "/api/v1/projects?area=%E5%8C%97%E5%8C%BA&year=2020&limit=5&offset=10").await.json();
    assert_eq!(j["total"], 14);
    assert_eq!(j["items"].as_array().expect("items").len(), 4);
    assert_eq!(j["offset"], 10);
    let j = ok(&f.app, "/api/v1/projects?status=cancelled").await.json();
    assert_eq!(j["total"], 1);
    let j = ok(&f.app, "/api/v1/projects/doc-f67e94715163-p007").await.json();
    assert_eq!(j["project"]["amounts"][0]["amount_yen"], 3_100_000);
    let j = ok(&f.app, "/api/v1/amounts?year=2020&limit=500").await.json();
    assert_eq!(j["total"], 56);
    let j = ok(&f.app, "/api/v1/totals?year=2020").await.json();
    assert_eq!(j["items"].as_array().expect("items").len(), 8);
    assert!(j["items"].as_array().expect("items").iter().all(|t| t["ok"] == true));
    let j = ok(&f.app, "/api/v1/areas").await.json();
    assert_eq!(j["areas"][0]["lg_code"], "431052");
    ok(&f.app, "/api/v1/kpis").await;
    let j = ok(&f.app, "/api/v1/search?q=%E5%9C%B0%E5%9F%9F").await.json(); // 地域
    assert!(j["total"].as_u64().expect("total") > 0);
    for bad in ["/api/v1/projects?year=20x0", "/api/v1/projects?limit=0", "/api/v1/projects?limit=100000"] {
        assert_eq!(get(&f.app, bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(get(&f.app, "/api/v1/projects/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn responses_carry_etags_security_headers_and_answer_304() {
    let f = fixture();
    let r = ok(&f.app, &format!("{KITA}.json")).await;
    let etag = r.header("etag");
    assert!(etag.starts_with('"'));
    assert_eq!(r.header("cache-control"), "no-cache");
    let csp = r.header("content-security-policy");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("http"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    let again = call(
        &f.app,
        Request::get(format!("{KITA}.json")).header(header::IF_NONE_MATCH, &etag).body(Body::empty()).expect("req"),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let long = format!("/search?q={}", "x".repeat(5000));
    assert_eq!(get(&f.app, &long).await.status, StatusCode::URI_TOO_LONG);
    let post = call(&f.app, Request::post("/").body(Body::from("x")).expect("req")).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    let asset = ok(&f.app, "/assets/chart.umd.min.js").await;
    assert!(asset.text().contains("Chart.js v4"));
    assert_eq!(get(&f.app, "/assets/../Cargo.toml").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn english_is_a_switch_remembered_in_a_cookie() {
    let f = fixture();
    let r = ok(&f.app, "/?lang=en").await;
    assert!(r.text().contains("<html lang=\"en\">") && r.text().contains("Initial budget"));
    assert!(r.header("set-cookie").starts_with("lang=en"));
    let r = call(&f.app, Request::get(KITA).header(header::COOKIE, "lang=en").body(Body::empty()).expect("req")).await;
    assert!(r.text().contains("Unit: ¥1,000") && r.text().contains("17,000"));
    let ja = ok(&f.app, KITA).await.text();
    assert!(ja.contains("単位：千円"));
}

#[tokio::test]
async fn the_whole_ledger_downloads_as_a_zipped_interchange_folder() {
    let f = fixture();
    let r = ok(&f.app, "/download/machi-interchange.zip").await;
    assert_eq!(r.header("content-type"), "application/zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.clone())).expect("a zip archive");
    let names: Vec<String> = zip.file_names().map(|n| n.expect("an entry name").into_owned()).collect();
    for name in
        ["machi-interchange/projects.csv", "machi-interchange/amounts.csv", "machi-interchange/datapackage.json"]
    {
        assert!(names.iter().any(|n| n == name), "zip lacks {name}: {names:?}");
    }
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        use std::io::Read as _;
        let mut f = zip.by_name(name).expect(name);
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{name}");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("UTF-8 text");
        text
    };
    let projects = read(&mut zip, "machi-interchange/projects.csv");
    assert!(projects.starts_with("project_id,"), "{}", &projects[..80.min(projects.len())]);
    assert!(projects.contains("北区笑顔交流プロジェクト"));
    let dp: Value = serde_json::from_str(&read(&mut zip, "machi-interchange/datapackage.json")).expect("JSON");
    assert!(dp["resources"].as_array().is_some_and(|r| r.len() + 1 == names.len()), "{names:?}");
    // The same ledger downloads as the same bytes (no clock in the archive).
    assert_eq!(ok(&f.app, "/download/machi-interchange.zip").await.body, r.body);
}

// ---- OpenAPI -------------------------------------------------------------------------------------

/// Check `v` against a JSON Schema subset (type incl. `[t, "null"]`, required, properties, items, enum,
/// `$ref` into components). Returns the first mismatch, with its JSON path.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: dangling $ref {r}"));
        }
        return check(doc, target, v, at);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |ty: &str| match ty {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| fits(t)) {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(obj), Some(req)) = (v.as_object(), schema.get("required").and_then(Value::as_array)) {
        for r in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                return Err(format!("{at}: missing required {r}"));
            }
        }
    }
    if let (Some(obj), Some(props)) = (v.as_object(), schema.get("properties").and_then(Value::as_object)) {
        for (k, s) in props {
            if let Some(x) = obj.get(k) {
                check(doc, s, x, &format!("{at}.{k}"))?;
            }
        }
        for k in obj.keys() {
            if !props.contains_key(k) {
                return Err(format!("{at}: field {k} is not in the schema"));
            }
        }
    }
    if let (Some(arr), Some(items)) = (v.as_array(), schema.get("items")) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_route_is_in_the_openapi_document_and_json_routes_match_their_schemas() {
    let f = fixture();
    let doc = ok(&f.app, "/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for r in machi_web::ROUTES {
        assert!(paths.contains_key(*r), "{r} is not in the OpenAPI document");
    }
    for p in paths.keys() {
        assert!(machi_web::ROUTES.contains(&p.as_str()), "{p} is documented but not a route");
    }
    // Every route answers (its documented example instance).
    let example = |r: &str| {
        r.replace("{area}", "%E5%8C%97%E5%8C%BA")
            .replace("{year}", "2020")
            .replace("{id}", if r.starts_with("/documents") { "doc-f67e94715163" } else { "doc-f67e94715163-p007" })
            .replace("{name}", "app.css")
    };
    for r in machi_web::ROUTES {
        ok(&f.app, &example(r)).await;
    }
    let cases = [
        ("/api/v1/areas", "/api/v1/areas"),
        ("/api/v1/projects?limit=3", "/api/v1/projects"),
        ("/api/v1/projects/doc-f67e94715163-p007", "/api/v1/projects/{id}"),
        ("/api/v1/amounts?limit=10", "/api/v1/amounts"),
        ("/api/v1/totals", "/api/v1/totals"),
        ("/api/v1/kpis", "/api/v1/kpis"),
        ("/api/v1/search?q=%E6%94%AF%E6%8F%B4", "/api/v1/search"),
    ];
    for (uri, path) in cases {
        let v = ok(&f.app, uri).await.json();
        let schema = &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{path} has no response schema");
        if let Err(e) = check(&doc, schema, &v, path) {
            panic!("{uri} does not match its schema: {e}");
        }
    }
}

//! The contract test: one story (import, query, replace, fail without a trace, read back) that every
//! [`Store`] backend must pass. Backends call [`run`] from their own tests with a fresh, empty store.

use machi_domain::{
    Amount, Area, AreaKind, Document, FiscalYear, Ledger, Phase, Project, ScopeKind, StatedTotal, Status, Unit, Yen,
};

use crate::{ProjectFilter, SourceFile, Store};

/// A small ledger: one document, two projects (one with a line item), amounts and a total.
pub fn sample(sha: &str) -> Ledger {
    let doc = format!("doc-{}", &sha[..sha.len().min(12)]);
    let project = |n: usize, parent: Option<usize>, name: &str| Project {
        id: format!("{doc}-p{n:03}"),
        document_id: doc.clone(),
        parent_id: parent.map(|p| format!("{doc}-p{p:03}")),
        municipality: "熊本市".into(),
        area: "北区".into(),
        fiscal_year: FiscalYear::new(2020),
        fund: "まちづくり推進経費".into(),
        pillar: "地域を支える土台づくり".into(),
        number: format!("{n}"),
        name: name.into(),
        description: "説明".into(),
        is_new: n == 1,
        status: if n == 2 { Status::Cancelled } else { Status::Planned },
        status_note: String::new(),
        department: String::new(),
        tags: vec!["幸田".into()],
        source_line: Some(n as u32 * 10),
    };
    let amount = |n: usize, phase: Phase, yen: Option<i64>| Amount {
        project_id: format!("{doc}-p{n:03}"),
        phase,
        amount: yen.map(Yen::new),
        source_line: Some(n as u32 * 10 + 1),
    };
    Ledger {
        documents: vec![Document {
            id: doc.clone(),
            title: "令和2年度 北区まちづくりの取組".into(),
            municipality_code: machi_domain::LgCode::parse("431001").ok(),
            municipality: "熊本市".into(),
            fiscal_year: FiscalYear::new(2020),
            unit: Some(Unit::Thousand),
            source_name: "sample.txt".into(),
            source_sha256: sha.into(),
            imported_at: "2026-11-24T00:00:00Z".into(),
        }],
        areas: vec![Area {
            id: "area-431052".into(),
            municipality: "熊本市".into(),
            kind: AreaKind::Ward,
            name: "北区".into(),
            parent_id: None,
            lg_code: machi_domain::LgCode::parse("431052").ok(),
        }],
        projects: vec![
            project(1, None, "北区笑顔交流プロジェクト"),
            project(2, None, "居場所"),
            project(3, Some(2), "内訳"),
        ],
        amounts: vec![
            amount(1, Phase::Initial, Some(3_100_000)),
            amount(1, Phase::Settled, Some(0)),
            amount(1, Phase::Revised { month: 9 }, Some(500_000)),
            amount(2, Phase::Initial, Some(327_000)),
            amount(2, Phase::Settled, None),
            amount(3, Phase::Initial, Some(327_000)),
        ],
        totals: vec![StatedTotal {
            document_id: doc.clone(),
            area: "北区".into(),
            scope_kind: ScopeKind::Fund,
            scope: "まちづくり推進経費".into(),
            phase: Phase::Initial,
            stated: Some(Yen::new(3_427_000)),
            source_line: Some(99),
        }],
        ..Default::default()
    }
}

/// Run the story against a fresh, empty store. Panics (as a test) on the first broken promise.
pub fn run(store: &mut dyn Store) {
    assert!(store.ledger().expect("empty ledger").documents.is_empty(), "the store must start empty");

    // Import, then read back exactly what went in.
    let a = sample("aaaaaaaaaaaaaaaa");
    let summary = store.import(&a).expect("import");
    assert_eq!((summary.documents, summary.projects, summary.amounts), (1, 3, 6));
    let back = store.ledger().expect("ledger");
    assert_eq!(back.documents, a.documents);
    assert_eq!(back.projects, a.projects);
    assert_eq!(back.amounts, a.amounts, "amounts come back in the order written, `―` as None");
    assert_eq!(back.totals, a.totals);
    assert_eq!(back.areas, a.areas);

    // Queries.
    let top = store.projects(&ProjectFilter::default()).expect("projects");
    assert_eq!(top.len(), 2, "line items are left out by default");
    assert_eq!(
        top[0].amounts.iter().map(|a| a.phase).collect::<Vec<_>>(),
        [Phase::Initial, Phase::Revised { month: 9 }, Phase::Settled]
    );
    let cancelled = store.projects(&ProjectFilter { status: Some(Status::Cancelled), ..Default::default() }).unwrap();
    assert_eq!(cancelled.len(), 1);
    let none = store.projects(&ProjectFilter { area: Some("南区".into()), ..Default::default() }).unwrap();
    assert!(none.is_empty());
    let all = store.projects(&ProjectFilter { include_line_items: true, ..Default::default() }).unwrap();
    assert_eq!(all.len(), 3);
    let paged =
        store.projects(&ProjectFilter { include_line_items: true, limit: 1, offset: 1, ..Default::default() }).unwrap();
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].project.id, all[1].project.id);
    let detail = store.project(&a.projects[1].id).expect("project").expect("found");
    assert_eq!(detail.line_items.len(), 1);
    assert_eq!(detail.document.id, a.documents[0].id);
    assert!(store.project("nope").unwrap().is_none());

    // Re-importing the same source replaces it and never duplicates.
    store.import(&a).expect("re-import");
    let back = store.ledger().unwrap();
    assert_eq!(back.documents.len(), 1);
    assert_eq!(back.projects.len(), 3);
    assert_eq!(back.amounts.len(), 6);

    // A failing import leaves the store exactly as it was.
    let before = store.ledger().unwrap();
    let mut bad = sample("bbbbbbbbbbbbbbbb");
    bad.amounts.push(bad.amounts[0].clone());
    assert!(store.import(&bad).is_err(), "a duplicate amount must fail");
    let mut dangling = sample("cccccccccccccccc");
    dangling.projects[2].parent_id = Some("missing".into());
    assert!(store.import(&dangling).is_err(), "a dangling parent must fail");
    assert_eq!(store.ledger().unwrap(), before, "nothing written by failed imports");

    // Source text comes back by line; a document without text has none.
    let doc = a.documents[0].id.clone();
    let text = SourceFile { document_id: doc.clone(), text: "一行目\n二行目\n三行目".into() };
    store.import_with_sources(&a, &[text]).expect("import with source");
    assert_eq!(store.source_lines(&doc, 2, 9).unwrap(), [(2, "二行目".to_string()), (3, "三行目".to_string())]);
    store.import(&a).unwrap();
    assert!(store.source_lines(&doc, 1, 3).unwrap().is_empty(), "replacing a document drops its old text");

    // A line item may come before its parent project.
    let mut reordered = sample("eeeeeeeeeeeeeeee");
    reordered.projects.swap(1, 2);
    store.import(&reordered).expect("a line item listed before its parent");
    let detail = store.project(&reordered.projects[2].id).unwrap().unwrap();
    assert_eq!(detail.line_items.len(), 1);

    // A second document sits beside the first.
    store.import(&sample("dddddddddddddddd")).unwrap();
    assert_eq!(store.documents().unwrap().len(), 3);
    let known = store.known_ids().unwrap();
    assert!(known.documents.contains(&a.documents[0].id));
}

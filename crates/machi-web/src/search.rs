//! Full-text search over project names and descriptions, policies, KPIs and actions, in Japanese.
//!
//! Japanese has no spaces and the words people look for are often two characters (防災, 地域, 支援), which
//! an FTS5 trigram index cannot find. At a city's scale the simplest correct thing is a substring scan over
//! an in-memory index: every text is NFKC-normalised (so `ﾜｰｸｼｮｯﾌﾟ` finds `ワークショップ`) and ASCII
//! lower-cased — both kept byte-for-byte aligned with the displayed text, so hits can be highlighted in
//! it. The index is part of the snapshot and rebuilt whenever the database changes.

use machi_domain::text::nfkc;
use machi_domain::Ledger;
use serde::Serialize;

use crate::figures::enc;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Project,
    Policy,
    Kpi,
    Action,
}

/// One searchable record.
pub(crate) struct Entry {
    pub kind: Kind,
    pub id: String,
    pub url: String,
    /// NFKC display forms.
    pub title: String,
    pub body: String,
    /// Same bytes as `title`/`body`, ASCII lower-cased.
    norm_title: String,
    norm_body: String,
    pub fiscal_year: Option<i32>,
    pub area: String,
    pub fund: String,
    pub status: String,
}

#[derive(Default)]
pub(crate) struct SearchIndex {
    pub entries: Vec<Entry>,
}

/// The form text is matched in.
pub(crate) fn normalize(s: &str) -> String {
    nfkc(s).to_ascii_lowercase()
}

fn entry(kind: Kind, id: &str, url: String, title: &str, body: &str) -> Entry {
    let title = nfkc(title);
    let body = nfkc(body);
    Entry {
        kind,
        id: id.to_string(),
        url,
        norm_title: title.to_ascii_lowercase(),
        norm_body: body.to_ascii_lowercase(),
        title,
        body,
        fiscal_year: None,
        area: String::new(),
        fund: String::new(),
        status: String::new(),
    }
}

impl SearchIndex {
    pub fn build(l: &Ledger) -> SearchIndex {
        let mut entries = Vec::new();
        let doc_year = |id: &str| l.documents.iter().find(|d| d.id == id).and_then(|d| d.fiscal_year).map(|y| y.year());
        for p in &l.projects {
            let mut e = entry(Kind::Project, &p.id, format!("/projects/{}", enc(&p.id)), &p.name, &p.description);
            e.fiscal_year = p.fiscal_year.map(|y| y.year());
            e.area = p.area.clone();
            e.fund = p.fund.clone();
            e.status = p.status.code().into();
            entries.push(e);
        }
        for n in &l.policies {
            let mut e = entry(Kind::Policy, &n.id, "/plans".into(), &n.title, &n.code);
            e.fiscal_year = doc_year(&n.document_id);
            entries.push(e);
        }
        for k in &l.kpis {
            let mut e = entry(Kind::Kpi, &k.id, "/plans".into(), &k.indicator, &k.department);
            e.fiscal_year = doc_year(&k.document_id);
            entries.push(e);
        }
        for a in &l.actions {
            let body = format!("{} {}", a.record, a.department);
            let mut e = entry(Kind::Action, &a.id, "/plans".into(), &a.description, &body);
            e.fiscal_year = doc_year(&a.document_id);
            e.status = a.status.code().into();
            entries.push(e);
        }
        SearchIndex { entries }
    }

    /// Entries containing every term of `query` (in title or body) that pass `keep`, in index order.
    pub fn search<'a>(&'a self, query: &str, keep: impl Fn(&Entry) -> bool) -> Vec<Hit<'a>> {
        let terms: Vec<String> = normalize(query).split_whitespace().map(String::from).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter(|e| keep(e))
            .filter(|e| terms.iter().all(|t| e.norm_title.contains(t.as_str()) || e.norm_body.contains(t.as_str())))
            .map(|e| Hit {
                entry: e,
                title: segments(&e.title, &e.norm_title, &terms),
                body: segments(&e.body, &e.norm_body, &terms),
            })
            .collect()
    }
}

/// A hit with its highlighted text.
pub(crate) struct Hit<'a> {
    pub entry: &'a Entry,
    pub title: Vec<Segment>,
    pub body: Vec<Segment>,
}

/// A piece of text, highlighted or not. The template escapes `text`; only the `<mark>` around it is markup.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Split `display` at the matches of `terms` in `norm` (same byte layout).
fn segments(display: &str, norm: &str, terms: &[String]) -> Vec<Segment> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for t in terms {
        let mut from = 0;
        while let Some(i) = norm[from..].find(t.as_str()) {
            let s = from + i;
            ranges.push((s, s + t.len()));
            from = s + t.len().max(1);
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in merged {
        // Terms are whole normalised strings, so match ends are char boundaries; `get` guards anyway.
        if let (Some(before), Some(mid)) = (display.get(at..s), display.get(s..e)) {
            if !before.is_empty() {
                out.push(Segment { text: before.to_string(), hit: false });
            }
            out.push(Segment { text: mid.to_string(), hit: true });
            at = e;
        }
    }
    if let Some(rest) = display.get(at..) {
        if !rest.is_empty() {
            out.push(Segment { text: rest.to_string(), hit: false });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_character_words_and_half_width_katakana_are_found() {
        let mut l = Ledger::default();
        l.projects.push(machi_store::contract::sample("aaaaaaaaaaaaaaaa").projects[0].clone());
        l.projects[0].name = "地域防災ワークショップ".into();
        l.projects[0].description = "Wi-Fi 整備".into();
        let idx = SearchIndex::build(&l);
        assert_eq!(idx.search("防災", |_| true).len(), 1);
        assert_eq!(idx.search("ﾜｰｸｼｮｯﾌﾟ", |_| true).len(), 1);
        assert_eq!(idx.search("wi-fi", |_| true).len(), 1);
        assert_eq!(idx.search("防災 無関係", |_| true).len(), 0);
        let h = &idx.search("防災", |_| true)[0];
        assert_eq!(
            h.title,
            vec![
                Segment { text: "地域".into(), hit: false },
                Segment { text: "防災".into(), hit: true },
                Segment { text: "ワークショップ".into(), hit: false }
            ]
        );
    }
}

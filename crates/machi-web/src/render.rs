//! One view model, three representations: a page handler builds one `Serialize` value and [`respond`]
//! renders it as HTML (a minijinja template, autoescaped), JSON, or CSV (UTF-8 with a BOM, for Excel).
//! Templates and filters are compiled into the binary; nothing is read from disk at run time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use machi_domain::{Unit, Yen};
use minijinja::{context, Environment, Value};
use serde::Serialize;

use crate::error::AppError;
use crate::i18n;
use crate::state::AppState;

/// How a page is represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Html,
    Json,
    Csv,
}

/// The language of a page's labels (the data stays as printed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// What the front middleware learnt about the request.
#[derive(Debug, Clone)]
pub(crate) struct ReqInfo {
    pub format: Format,
    pub lang: Lang,
    /// The path without its `.json`/`.csv` suffix, as sent (percent-encoded).
    pub path: String,
    /// The raw query string.
    pub query: String,
    /// `?lang=` was given: remember it in a cookie.
    pub set_cookie: Option<Lang>,
}

impl<S: Send + Sync> FromRequestParts<S> for ReqInfo {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ReqInfo>().cloned().unwrap_or_else(|| ReqInfo {
            format: Format::Html,
            lang: Lang::Ja,
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            set_cookie: None,
        }))
    }
}

impl ReqInfo {
    /// The query without `lang=`, with a leading `?` when not empty.
    fn query_suffix(&self) -> String {
        let q: Vec<&str> = self.query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("lang=")).collect();
        if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        }
    }

    /// The same page in another representation.
    pub fn twin(&self, ext: &str) -> String {
        let base = if self.path == "/" { "/index" } else { self.path.as_str() };
        format!("{base}.{ext}{}", self.query_suffix())
    }

    /// The same page in the other language.
    fn switch_lang(&self) -> String {
        let other = if self.lang == Lang::Ja { "en" } else { "ja" };
        let q = self.query_suffix();
        if q.is_empty() {
            format!("{}?lang={other}", self.path)
        } else {
            format!("{}{q}&lang={other}", self.path)
        }
    }
}

/// A table for the `.csv` representation.
pub(crate) struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A page: its view model, the template that renders it, and optionally its main table.
pub(crate) trait Page: Serialize {
    const TEMPLATE: &'static str;
    /// The page's title in the request's language.
    fn title(&self, lang: Lang) -> String;
    /// The page's main table, for `.csv`.
    fn table(&self) -> Option<Table> {
        None
    }
}

/// Render `page` as the request asked.
pub(crate) fn respond<P: Page>(state: &AppState, info: &ReqInfo, page: &P) -> Result<Response, AppError> {
    match info.format {
        Format::Json => json(page),
        Format::Csv => match page.table() {
            Some(t) => csv(&t),
            None => Err(AppError::NotFound("this page has no table to download as CSV".into())),
        },
        Format::Html => {
            let tmpl = state.inner.templates.get_template(P::TEMPLATE)?;
            let has_csv = page.table().is_some();
            let body = tmpl.render(context! {
                page => Value::from_serialize(page),
                title => page.title(info.lang),
                t => i18n::texts(info.lang),
                lang => info.lang.code(),
                json_url => info.twin("json"),
                csv_url => if has_csv { Some(info.twin("csv")) } else { None },
                lang_url => info.switch_lang(),
                path => info.path.clone(),
            })?;
            Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], body).into_response())
        }
    }
}

/// A JSON response.
pub(crate) fn json<T: Serialize>(v: &T) -> Result<Response, AppError> {
    let body = serde_json::to_vec(v)?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

/// A CSV response: UTF-8 with a BOM so that Excel reads the Japanese right.
pub(crate) fn csv(t: &Table) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let io = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(&t.headers).map_err(io)?;
    for r in &t.rows {
        w.write_record(r).map_err(io)?;
    }
    let body = w.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response())
}

/// 千円 with separators, `―` for no value: what the published tables print.
pub(crate) fn sen(yen: Option<i64>) -> String {
    match yen {
        Some(y) => Yen::new(y).display_in(Unit::Thousand),
        None => "―".to_string(),
    }
}

fn filter_sen(v: Value) -> String {
    if v.is_none() || v.is_undefined() {
        return "―".into();
    }
    match i64::try_from(v) {
        Ok(y) => sen(Some(y)),
        Err(_) => "―".into(),
    }
}

/// A change in 千円 with its sign: `+1,200` or `△2,600`.
fn filter_delta(v: Value) -> String {
    match i64::try_from(v) {
        Ok(0) => "±0".into(),
        Ok(y) if y > 0 => format!("+{}", sen(Some(y))),
        Ok(y) => sen(Some(y)),
        Err(_) => String::new(),
    }
}

fn filter_pct(v: Value) -> String {
    match f64::try_from(v) {
        Ok(f) => format!("{f:.1}%"),
        Err(_) => "―".into(),
    }
}

/// The template environment: every template is compiled in with `include_str!`.
pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // `.html` names turn on HTML autoescaping (minijinja's default rule); keep every template `.html`.
    let templates: &[(&str, &str)] = &[
        ("base.html", include_str!("../templates/base.html")),
        ("macros.html", include_str!("../templates/macros.html")),
        ("overview.html", include_str!("../templates/overview.html")),
        ("area.html", include_str!("../templates/area.html")),
        ("project.html", include_str!("../templates/project.html")),
        ("plans.html", include_str!("../templates/plans.html")),
        ("compare.html", include_str!("../templates/compare.html")),
        ("search.html", include_str!("../templates/search.html")),
        ("documents.html", include_str!("../templates/documents.html")),
        ("document.html", include_str!("../templates/document.html")),
    ];
    for (name, src) in templates {
        // A broken template is a bug caught by every test; failing loudly at start-up is right.
        if let Err(e) = env.add_template(name, src) {
            panic!("template {name}: {e:#}");
        }
    }
    env.add_filter("sen", filter_sen);
    env.add_filter("delta", filter_delta);
    env.add_filter("pct", filter_pct);
    env.add_filter("urlencode", |s: String| crate::figures::enc(&s));
    env
}

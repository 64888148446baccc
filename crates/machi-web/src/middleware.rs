//! The front of every request: limits, the `.json`/`.csv` suffix and the language, the response cache
//! with ETag/304, and security headers. It runs *before* routing (see `crate::app`), because it rewrites
//! the path that the router then matches.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cache::{etag_of, Cached};
use crate::error::AppError;
use crate::render::{Format, Lang, ReqInfo};
use crate::state::AppState;

/// Longest path and query accepted; search terms and filters fit easily.
const MAX_URI: usize = 2048;
/// Largest response body buffered into the cache (the whole-ledger zip is bigger and not cached).
const MAX_CACHED_BODY: usize = 8 * 1024 * 1024;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub(crate) async fn front(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut resp = match handle(&state, &mut req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let h = resp.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    resp
}

async fn handle(state: &AppState, req: &mut Request, next: Next) -> Result<Response, AppError> {
    let uri = req.uri().clone();
    if uri.path_and_query().map(|p| p.as_str().len()).unwrap_or(0) > MAX_URI {
        return Err(AppError::UriTooLong);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        // Read-only: nothing here accepts a body.
        return Ok((StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response());
    }
    let info = request_info(req);
    if info.format != Format::Html || info.path != uri.path() {
        let pq = match uri.query() {
            Some(q) => format!("{}?{q}", info.path),
            None => info.path.clone(),
        };
        let new_uri: Uri = pq.parse().map_err(|_| AppError::BadRequest("malformed path".into()))?;
        *req.uri_mut() = new_uri;
    }
    let key = format!("{:?}|{:?}|{}", info.format, info.lang, uri);
    let set_cookie = info.set_cookie;
    req.extensions_mut().insert(info);

    let version = state.snapshot().await?.version;
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let cached = match state.inner.cache.get(&key, version) {
        Some(c) => c,
        None => {
            let resp = next.run(std::mem::take(req)).await;
            if resp.status() != StatusCode::OK || uri.path().starts_with("/download/") {
                return Ok(resp);
            }
            let (parts, body) = resp.into_parts();
            let body = axum::body::to_bytes(body, MAX_CACHED_BODY)
                .await
                .map_err(|e| AppError::Internal(format!("buffering response: {e}")))?;
            let mut headers = parts.headers;
            let cc = if uri.path().starts_with("/assets/") { "public, max-age=86400" } else { "no-cache" };
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cc));
            headers.insert(header::VARY, HeaderValue::from_static("Cookie, Accept"));
            if let Some(lang) = set_cookie {
                let c = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
                if let Ok(v) = HeaderValue::from_str(&c) {
                    headers.insert(header::SET_COOKIE, v);
                }
            }
            let etag = etag_of(&body);
            headers.insert(header::ETAG, etag.clone());
            state.inner.cache.put(key, Cached { status: parts.status, headers, body, etag, version })
        }
    };
    if let Some(inm) = if_none_match {
        let matches = inm.to_str().map(|s| s.split(',').any(|t| t.trim() == cached.etag || t.trim() == "*"));
        if matches.unwrap_or(false) {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            for k in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(v) = cached.headers.get(&k) {
                    r.headers_mut().insert(k, v.clone());
                }
            }
            return Ok(r);
        }
    }
    let mut r = Response::new(Body::from(cached.body.clone()));
    *r.status_mut() = cached.status;
    *r.headers_mut() = cached.headers.clone();
    Ok(r)
}

/// Work out format and language, and the path the router should see.
fn request_info(req: &Request) -> ReqInfo {
    let path = req.uri().path();
    let passthrough = path.starts_with("/api/") || path.starts_with("/assets/") || path.starts_with("/download/");
    let (path, mut format) = if passthrough {
        (path.to_string(), Format::Html)
    } else if let Some(p) = path.strip_suffix(".json") {
        (p.to_string(), Format::Json)
    } else if let Some(p) = path.strip_suffix(".csv") {
        (p.to_string(), Format::Csv)
    } else {
        (path.to_string(), Format::Html)
    };
    let path = if path == "/index" || path.is_empty() { "/".to_string() } else { path };
    if format == Format::Html && !passthrough {
        let wants_json = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"));
        if wants_json {
            format = Format::Json;
        }
    }
    let from_query = req.uri().query().and_then(|q| {
        q.split('&').find_map(|kv| match kv {
            "lang=en" => Some(Lang::En),
            "lang=ja" => Some(Lang::Ja),
            _ => None,
        })
    });
    let from_cookie = req.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.split(';').find_map(|kv| match kv.trim() {
            "lang=en" => Some(Lang::En),
            "lang=ja" => Some(Lang::Ja),
            _ => None,
        })
    });
    let lang = from_query.or(from_cookie).unwrap_or(Lang::Ja);
    let raw_query = req.uri().query().unwrap_or("").to_string();
    ReqInfo { format, lang, path, query: raw_query, set_cookie: from_query }
}

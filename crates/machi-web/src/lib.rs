//! The machi web app and JSON API: server-rendered pages in Japanese (English as a second language), each
//! also available as JSON (`.json`) and, where it has a table, CSV for Excel (`.csv`); a JSON API under
//! `/api/v1/` described by OpenAPI at `/api/openapi.json`; the whole ledger as a zipped interchange folder.
//!
//! Entry points: [`AppState::open`] on a database file, [`app`] for the router (testable in-process),
//! [`serve`] to bind and run until Ctrl-C.
//!
//! Architecture invariant: this crate talks to the ledger only through the `machi_store::Store` trait;
//! it names the SQLite backend only in [`AppState::open`]. It is read-only: no route writes, and only GET
//! and HEAD are answered. All assets (CSS, JavaScript, Chart.js) are compiled into the binary, and pages
//! load nothing from another origin.
#![deny(missing_docs)]

mod api;
mod assets;
mod cache;
mod chart;
mod download;
mod error;
mod figures;
mod i18n;
mod lineage;
mod middleware;
mod openapi;
mod render;
mod search;
mod state;
mod views;

use std::net::SocketAddr;
use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;

pub use error::AppError;
pub use state::AppState;

/// Every route, as written in the OpenAPI document (a test checks both ways).
pub const ROUTES: &[&str] = &[
    "/",
    "/areas/{area}/{year}",
    "/projects/{id}",
    "/plans",
    "/compare",
    "/search",
    "/documents",
    "/documents/{id}",
    "/download/machi-interchange.zip",
    "/assets/{name}",
    "/api/openapi.json",
    "/api/v1/areas",
    "/api/v1/projects",
    "/api/v1/projects/{id}",
    "/api/v1/amounts",
    "/api/v1/totals",
    "/api/v1/kpis",
    "/api/v1/search",
];

/// The whole app. The front middleware wraps the router from outside (as the fallback service of an
/// empty router) because it rewrites `/x.json` to `/x` before routing.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(views::overview::page))
        .route("/areas/{area}/{year}", get(views::area::page))
        .route("/projects/{id}", get(views::project::page))
        .route("/plans", get(views::plans::page))
        .route("/compare", get(views::compare::page))
        .route("/search", get(views::search::page))
        .route("/documents", get(views::documents::list))
        .route("/documents/{id}", get(views::documents::one))
        .route("/download/machi-interchange.zip", get(download::interchange_zip))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/openapi.json", get(|| async { render::json(&openapi::document()) }))
        .route("/api/v1/areas", get(api::areas))
        .route("/api/v1/projects", get(api::projects))
        .route("/api/v1/projects/{id}", get(api::project))
        .route("/api/v1/amounts", get(api::amounts))
        .route("/api/v1/totals", get(api::totals))
        .route("/api/v1/kpis", get(api::kpis))
        .route("/api/v1/search", get(api::search))
        .fallback(|| async { AppError::NotFound("no such page".into()) })
        .with_state(state.clone());
    // `Router::layer` would run after routing; wrapping the router as a service runs before it.
    let front = axum::middleware::from_fn_with_state(state, middleware::front);
    let service = tower::ServiceBuilder::new().layer(front).service(routes);
    Router::new().fallback_service(service).layer(DefaultBodyLimit::max(1024))
}

/// Serve the ledger at `db` on `addr` until Ctrl-C.
pub async fn serve(db: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    use anyhow::Context;
    let state = AppState::open(db)?;
    // Build the snapshot before accepting requests, so a broken database fails here, not on first visit.
    state.snapshot().await.map_err(|e| anyhow::anyhow!("loading {}: {e:?}", db.display()))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    eprintln!("machi: serving {} at http://{local}/ (Ctrl-C to stop)", db.display());
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
}

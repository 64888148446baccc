//! The one error type of the web layer. Client mistakes become a 4xx with a message the user can act on;
//! everything else becomes an opaque 5xx whose cause is logged, never shown (it may name files or SQL).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use machi_store::StoreError;

/// What a handler can fail with.
#[derive(Debug)]
pub enum AppError {
    /// No such page or record.
    NotFound(String),
    /// The request cannot be answered as asked (bad parameter).
    BadRequest(String),
    /// The URI is longer than we are willing to read.
    UriTooLong,
    /// A store query ran past its time limit.
    Timeout,
    /// The store failed.
    Store(StoreError),
    /// Something else went wrong on our side.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Internal(format!("json: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, msg) = match self {
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, format!("見つかりません / Not found: {m}")),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, format!("不正なリクエスト / Bad request: {m}")),
            AppError::UriTooLong => (StatusCode::URI_TOO_LONG, "URI too long".to_string()),
            AppError::Timeout => {
                eprintln!("machi-web: a store query ran past its time limit");
                (StatusCode::SERVICE_UNAVAILABLE, "混雑しています / The store is busy; try again".to_string())
            }
            AppError::Store(e) => {
                eprintln!("machi-web: store error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_string())
            }
            AppError::Internal(e) => {
                eprintln!("machi-web: internal error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_string())
            }
        };
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], msg).into_response()
    }
}

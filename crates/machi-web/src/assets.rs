//! The CSS and JavaScript the pages load, compiled into the binary so that the app needs no network and
//! no files at run time. Chart.js is the upstream UMD build from npm (MIT, licence beside it).

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::AppError;

const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("chart.umd.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/chart.umd.min.js")),
    ("chart.js-LICENSE.md", "text/plain; charset=utf-8", include_bytes!("../assets/chart.js-LICENSE.md")),
];

pub(crate) async fn asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let (_, ty, body) =
        ASSETS.iter().find(|(n, _, _)| *n == name).ok_or_else(|| AppError::NotFound(format!("asset {name}")))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(ty))], *body).into_response())
}

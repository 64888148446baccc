//! The pages. Each file builds one view model per page (a `Serialize` struct) from the snapshot and hands
//! it to `crate::render::respond`; none of them writes HTML or talks to a backend directly.

pub(crate) mod area;
pub(crate) mod compare;
pub(crate) mod documents;
pub(crate) mod overview;
pub(crate) mod plans;
pub(crate) mod project;
pub(crate) mod search;

/// Parse an optional query value, with a 400 naming the parameter when it does not parse.
pub(crate) fn parse_opt<T: std::str::FromStr>(name: &str, v: &Option<String>) -> Result<Option<T>, crate::AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| crate::AppError::BadRequest(format!("{name}={s:?}"))),
    }
}

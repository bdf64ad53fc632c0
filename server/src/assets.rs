//! The command-centre page: every file of `server/assets/`, embedded at
//! build time (see `build.rs`), served at `/` (`index.html`) and
//! `/assets/{file}`.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::ApiError;

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn serve(name: &str) -> Result<Response, ApiError> {
    let &(_, content_type, bytes) = ASSETS.iter().find(|a| a.0 == name).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no asset `{name}`"),
        )
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        bytes,
    )
        .into_response())
}

pub(crate) async fn index() -> Result<Response, ApiError> {
    serve("index.html")
}

pub(crate) async fn file(
    name: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::bad_request("invalid_path", e.body_text()))?;
    serve(&name)
}

/// The names of the embedded files.
///
/// # Examples
///
/// ```
/// assert!(xzqh_server::asset_names().any(|n| n == "index.html"));
/// ```
pub fn asset_names() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.0)
}

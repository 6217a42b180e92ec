//! Conditional GET for feeds (`/feed.xml`, a tag's or source's feed, a
//! search's): every answer carries a weak `ETag` (a hash of its body) and,
//! when the caller knows it, `Last-Modified`; a repeat that names them
//! (`If-None-Match`, or `If-Modified-Since` alone, as RFC 9110 §13.2.2
//! orders) gets `304 Not Modified` without the body.

use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// A body and what identifies its version.
pub struct Versioned {
    pub body: String,
    pub content_type: &'static str,
    /// When what the body shows last changed, if known.
    pub last_modified: Option<SystemTime>,
}

impl Versioned {
    /// The full answer, or `304` when the request already holds this version.
    pub fn respond(self, request: &HeaderMap) -> Response {
        let etag = etag(&self.body);
        // HTTP dates have whole seconds: compare at that precision.
        let modified = self.last_modified.map(whole_seconds);
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        if let Some(value) =
            modified.and_then(|t| HeaderValue::from_str(&httpdate::fmt_http_date(t)).ok())
        {
            headers.insert(header::LAST_MODIFIED, value);
        }
        // Caches may keep it but must ask again each time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if not_modified(request, &etag, modified) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        (headers, self.body).into_response()
    }
}

/// A weak validator: compression changes the bytes, not the content.
fn etag(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs)
}

/// Whether the request's validators match the current version.
fn not_modified(request: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        let Ok(tags) = tags.to_str() else {
            return false;
        };
        let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        let ours = opaque(etag);
        return tags
            .split(',')
            .any(|t| t.trim() == "*" || opaque(t) == ours);
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    matches!((since, modified), (Some(since), Some(modified)) if modified <= since)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(request: &HeaderMap) -> Response {
        Versioned {
            body: "<feed/>".to_owned(),
            content_type: "application/atom+xml",
            last_modified: Some(
                SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_752_400_000),
            ),
        }
        .respond(request)
    }

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn a_repeat_with_the_etag_is_not_modified() {
        let first = answer(&HeaderMap::new());
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert!(tag.starts_with("W/\""), "{tag}");
        let again = answer(&with(header::IF_NONE_MATCH, &tag));
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], tag.as_str());
        let strong = tag.trim_start_matches("W/");
        let listed = format!("\"other\", {strong}");
        assert_eq!(
            answer(&with(header::IF_NONE_MATCH, &listed)).status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            answer(&with(header::IF_NONE_MATCH, "\"other\"")).status(),
            StatusCode::OK
        );
    }

    #[test]
    fn if_modified_since_counts_only_without_an_etag() {
        let last = answer(&HeaderMap::new()).headers()[header::LAST_MODIFIED]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(last, "Sun, 13 Jul 2025 09:46:40 GMT");
        let same = with(header::IF_MODIFIED_SINCE, &last);
        assert_eq!(answer(&same).status(), StatusCode::NOT_MODIFIED);
        let older = with(header::IF_MODIFIED_SINCE, "Sat, 12 Jul 2025 00:00:00 GMT");
        assert_eq!(answer(&older).status(), StatusCode::OK);
        let mut both = same.clone();
        both.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"stale\""));
        assert_eq!(answer(&both).status(), StatusCode::OK, "the ETag decides");
    }
}

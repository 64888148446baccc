//! Rendered responses kept in memory, keyed by what decides their bytes (format, language, path and
//! query) and dropped whenever the snapshot is rebuilt. With the ETag this is what makes repeat requests
//! cheap: a hit is a hash-map lookup and a copy of shared bytes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode};

/// Most entries kept; when full the cache starts over (simple, and a city's pages number in the hundreds).
const MAX_ENTRIES: usize = 4096;

/// One stored response.
pub(crate) struct Cached {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub etag: HeaderValue,
    /// The snapshot version it was rendered from.
    pub version: u64,
}

#[derive(Default)]
pub(crate) struct ResponseCache {
    map: RwLock<HashMap<String, Arc<Cached>>>,
}

impl ResponseCache {
    pub fn get(&self, key: &str, version: u64) -> Option<Arc<Cached>> {
        let m = self.map.read().ok()?;
        m.get(key).filter(|c| c.version == version).cloned()
    }

    pub fn put(&self, key: String, c: Cached) -> Arc<Cached> {
        let c = Arc::new(c);
        if let Ok(mut m) = self.map.write() {
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(key, c.clone());
        }
        c
    }

    pub fn clear(&self) {
        if let Ok(mut m) = self.map.write() {
            m.clear();
        }
    }
}

/// A strong ETag from the body's bytes.
pub(crate) fn etag_of(body: &[u8]) -> HeaderValue {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    let tag = format!("\"{:016x}-{:x}\"", h.finish(), body.len());
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

//! [`AppState`]: how handlers reach the store, and the in-memory snapshot of the ledger they render from.
//!
//! The ledger of one city is small, so every page is computed from a [`Snapshot`] built once from
//! `Store::ledger()` and rebuilt when the database's version (file mtime and size, WAL included) changes.
//! Store calls run on the blocking pool under a time limit. This module must not name a backend except in
//! [`AppState::open`], which is the one place the SQLite file is chosen.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use machi_analysis::reconcile::{check_totals, TotalCheck};
use machi_domain::{Amount, Ledger, Phase, Project, Yen};
use machi_store::{Store, StoreError};

use crate::cache::ResponseCache;
use crate::error::AppError;
use crate::search::SearchIndex;

/// How long one store call may take before the request answers 503.
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the database file is looked at for changes. A stat per request would be cheap too, but at
/// thousands of requests a second this keeps the hot path free of system calls.
const VERSION_CHECK_EVERY: Duration = Duration::from_millis(500);

type VersionFn = Box<dyn Fn() -> u64 + Send + Sync>;

/// Everything the handlers need: a small pool of read-only stores, the current snapshot, the templates
/// and the cache of rendered responses. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pool: Vec<Mutex<Box<dyn Store + Send>>>,
    next: AtomicUsize,
    version: VersionFn,
    started: Instant,
    last_check_ms: AtomicU64,
    last_version: AtomicU64,
    snap: RwLock<Option<Arc<Snapshot>>>,
    reload: tokio::sync::Mutex<()>,
    pub(crate) cache: ResponseCache,
    pub(crate) templates: minijinja::Environment<'static>,
}

impl AppState {
    /// Serve the SQLite ledger at `db`, read-only, with two connections.
    pub fn open(db: &Path) -> anyhow::Result<AppState> {
        use anyhow::Context;
        if !db.is_file() {
            anyhow::bail!("{}: no such database file (run `machi import` first)", db.display());
        }
        let mut stores: Vec<Box<dyn Store + Send>> = Vec::new();
        for _ in 0..2 {
            let s = machi_store_sqlite::SqliteStore::open_read_only(db)
                .with_context(|| format!("opening {} read-only", db.display()))?;
            stores.push(Box::new(s));
        }
        let path = db.to_path_buf();
        Ok(AppState::from_stores(stores, move || file_version(&path)))
    }

    /// Serve any backend: `stores` are interchangeable read-only handles on one ledger (at least one),
    /// `version` changes whenever the ledger may have changed (the snapshot and caches are rebuilt then).
    pub fn from_stores(
        stores: Vec<Box<dyn Store + Send>>,
        version: impl Fn() -> u64 + Send + Sync + 'static,
    ) -> AppState {
        assert!(!stores.is_empty(), "AppState needs at least one store");
        let first = version();
        AppState {
            inner: Arc::new(Inner {
                pool: stores.into_iter().map(Mutex::new).collect(),
                next: AtomicUsize::new(0),
                version: Box::new(version),
                started: Instant::now(),
                last_check_ms: AtomicU64::new(0),
                last_version: AtomicU64::new(first),
                snap: RwLock::new(None),
                reload: tokio::sync::Mutex::new(()),
                cache: ResponseCache::default(),
                templates: crate::render::environment(),
            }),
        }
    }

    /// The ledger's current version, looking at the file at most every [`VERSION_CHECK_EVERY`].
    fn current_version(&self) -> u64 {
        let i = &self.inner;
        let now = i.started.elapsed().as_millis() as u64;
        let last = i.last_check_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= VERSION_CHECK_EVERY.as_millis() as u64 || last == 0 {
            i.last_check_ms.store(now.max(1), Ordering::Relaxed);
            let v = (i.version)();
            i.last_version.store(v, Ordering::Relaxed);
            v
        } else {
            i.last_version.load(Ordering::Relaxed)
        }
    }

    /// The snapshot for the current version, building it (once, even under concurrent requests) if needed.
    pub(crate) async fn snapshot(&self) -> Result<Arc<Snapshot>, AppError> {
        let v = self.current_version();
        if let Some(s) = self.cached_snapshot(v) {
            return Ok(s);
        }
        let _only_one = self.inner.reload.lock().await;
        if let Some(s) = self.cached_snapshot(v) {
            return Ok(s);
        }
        let ledger = self.with_store(|s| s.ledger()).await?;
        let snap = tokio::task::spawn_blocking(move || Arc::new(Snapshot::build(ledger, v)))
            .await
            .map_err(|e| AppError::Internal(format!("building snapshot: {e}")))?;
        self.inner.cache.clear();
        if let Ok(mut w) = self.inner.snap.write() {
            *w = Some(snap.clone());
        }
        Ok(snap)
    }

    fn cached_snapshot(&self, v: u64) -> Option<Arc<Snapshot>> {
        let r = self.inner.snap.read().ok()?;
        r.as_ref().filter(|s| s.version == v).cloned()
    }

    /// Run `f` against one store of the pool, on the blocking pool, under the time limit. The limit stops
    /// the request from waiting; the query itself runs on to completion (SQLite has no cancel through
    /// the `Store` trait), holding its connection until then.
    pub(crate) async fn with_store<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        let n = inner.next.fetch_add(1, Ordering::Relaxed) % inner.pool.len();
        let task = tokio::task::spawn_blocking(move || {
            let guard = inner.pool[n].lock().map_err(|_| StoreError::Backend("store lock poisoned".into()))?;
            f(guard.as_ref())
        });
        match tokio::time::timeout(QUERY_TIMEOUT, task).await {
            Err(_) => Err(AppError::Timeout),
            Ok(Err(e)) => Err(AppError::Internal(format!("store task: {e}"))),
            Ok(Ok(r)) => r.map_err(AppError::Store),
        }
    }
}

/// The version of an SQLite file: mtimes and sizes of the file and its WAL, hashed. An import in WAL
/// mode may touch only the `-wal` file until a checkpoint, so both are looked at.
fn file_version(db: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    for p in [db.to_path_buf(), wal.into()] {
        if let Ok(m) = std::fs::metadata(&p) {
            m.len().hash(&mut h);
            if let Ok(t) = m.modified() {
                t.hash(&mut h);
            }
        }
    }
    // 0 is reserved for "never looked"; a real hash of 0 is vanishingly unlikely and harmless.
    h.finish() | 1
}

/// The ledger with the indexes the pages need, for one version of the database.
pub(crate) struct Snapshot {
    pub version: u64,
    pub ledger: Ledger,
    pub checks: Vec<TotalCheck>,
    pub project_idx: HashMap<String, usize>,
    pub amounts: HashMap<String, Vec<Amount>>,
    pub doc_idx: HashMap<String, usize>,
    pub search: SearchIndex,
}

impl Snapshot {
    pub fn build(ledger: Ledger, version: u64) -> Snapshot {
        let checks = check_totals(&ledger);
        let project_idx = ledger.projects.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        let mut amounts: HashMap<String, Vec<Amount>> = HashMap::new();
        for a in &ledger.amounts {
            amounts.entry(a.project_id.clone()).or_default().push(a.clone());
        }
        for v in amounts.values_mut() {
            v.sort_by_key(|a| a.phase);
        }
        let doc_idx = ledger.documents.iter().enumerate().map(|(i, d)| (d.id.clone(), i)).collect();
        let search = SearchIndex::build(&ledger);
        Snapshot { version, ledger, checks, project_idx, amounts, doc_idx, search }
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        self.project_idx.get(id).map(|&i| &self.ledger.projects[i])
    }

    pub fn amounts_of(&self, id: &str) -> &[Amount] {
        self.amounts.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The amount stated for `phase`: `None` = no row, `Some(None)` = printed `―`.
    pub fn amount(&self, id: &str, phase: Phase) -> Option<Option<Yen>> {
        self.amounts_of(id).iter().find(|a| a.phase == phase).map(|a| a.amount)
    }

    /// The last budget before settlement: the latest revision, else the initial budget.
    pub fn last_budget(&self, id: &str) -> Option<Option<Yen>> {
        self.amounts_of(id).iter().filter(|a| a.phase != Phase::Settled).max_by_key(|a| a.phase).map(|a| a.amount)
    }

    pub fn document(&self, id: &str) -> Option<&machi_domain::Document> {
        self.doc_idx.get(id).map(|&i| &self.ledger.documents[i])
    }
}

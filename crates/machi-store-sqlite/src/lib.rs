//! The SQLite backend of the machi store: one file (`./machi.db` by default), foreign keys on, WAL,
//! schema by versioned migrations (`PRAGMA user_version`), and every import in one transaction through
//! cached prepared statements, so that a national-scale load is one pass of batched inserts.
//!
//! Architecture invariant: all SQL of the SQLite backend lives in this crate; nothing here knows about
//! documents, the web or the CLI.
#![deny(missing_docs)]

mod convert;

use std::collections::HashSet;
use std::path::Path;

use machi_domain::{KnownIds, Ledger};
use machi_store::{ImportSummary, ProjectDetail, ProjectFilter, ProjectRow, SourceFile, Store, StoreError};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use convert::*;

/// Migrations in order; the database's `user_version` is how many have been applied.
const MIGRATIONS: &[&str] =
    &[include_str!("../migrations/0001_ledger.sql"), include_str!("../migrations/0002_sources.sql")];

/// A ledger in an SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
        SqliteStore::setup(conn, true)
    }

    /// Open an existing store read-only (for serving). Fails if the file does not exist.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?;
        SqliteStore::setup(conn, false)
    }

    /// A store in memory (tests, `--dry-run`).
    pub fn in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::setup(Connection::open_in_memory().map_err(backend)?, true)
    }

    fn setup(conn: Connection, writable: bool) -> Result<SqliteStore, StoreError> {
        conn.pragma_update(None, "foreign_keys", true).map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(backend)?;
        // 64 MiB of page cache (the default is 2 MiB): a national-scale import keeps its indexes in memory.
        conn.pragma_update(None, "cache_size", -65_536).map_err(backend)?;
        if writable {
            // WAL lets readers (the web app) run while an import writes. In-memory databases answer
            // "memory"; that is fine.
            let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(backend)?;
            conn.pragma_update(None, "synchronous", "NORMAL").map_err(backend)?;
        }
        let mut store = SqliteStore { conn };
        store.migrate(writable)?;
        Ok(store)
    }

    fn migrate(&mut self, writable: bool) -> Result<(), StoreError> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(backend)?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        if version == known {
            return Ok(());
        }
        if !writable {
            return Err(StoreError::Backend(format!(
                "the database schema is version {version}; run an import to upgrade it"
            )));
        }
        let tx = self.conn.transaction().map_err(backend)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(|e| StoreError::Backend(format!("migration {}: {e}", i + 1)))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(backend)?;
        }
        tx.commit().map_err(backend)
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(backend)
    }

    /// Run `f` with the raw connection, for the few read-only queries that only a backend can answer well
    /// (the web layer's aggregate queries go through `Store` methods instead).
    fn amounts_of(&self, ids: &[String]) -> Result<Vec<Vec<machi_domain::Amount>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT project_id, phase, amount_yen, source_line FROM amounts WHERE project_id = ?1")
            .map_err(backend)?;
        ids.iter()
            .map(|id| {
                let mut v = stmt
                    .query_map([id], amount_from_row)
                    .map_err(backend)?
                    .collect::<Result<Result<Vec<_>, _>, _>>()
                    .map_err(backend)??;
                v.sort_by_key(|a| a.phase);
                Ok(v)
            })
            .collect()
    }
}

fn write_err(table: &'static str, e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Integrity(format!("{table}: {}", msg.clone().unwrap_or_else(|| e.to_string())))
        }
        _ => StoreError::Backend(format!("{table}: {e}")),
    }
}

impl Store for SqliteStore {
    fn import_with_sources(&mut self, batch: &Ledger, sources: &[SourceFile]) -> Result<ImportSummary, StoreError> {
        let tx = self.conn.transaction().map_err(backend)?;
        // References are checked when the import is complete, not row by row: a reader may list a line
        // item before the parent project it belongs to.
        tx.pragma_update(None, "defer_foreign_keys", true).map_err(backend)?;
        let mut summary = ImportSummary::default();
        {
            // Replace documents already stored with the same content (or the same id).
            let mut find =
                tx.prepare_cached("SELECT id FROM documents WHERE source_sha256 = ?1 OR id = ?2").map_err(backend)?;
            let mut delete = tx.prepare_cached("DELETE FROM documents WHERE id = ?1").map_err(backend)?;
            for d in &batch.documents {
                let old: Vec<String> = find
                    .query_map(params![d.source_sha256, d.id], |r| r.get(0))
                    .map_err(backend)?
                    .collect::<Result<_, _>>()
                    .map_err(backend)?;
                for id in old {
                    delete.execute([id]).map_err(|e| write_err("documents", e))?;
                    summary.replaced += 1;
                }
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO documents (id, title, municipality_code, municipality, fiscal_year, unit, source_name, source_sha256, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            ).map_err(backend)?;
            for d in &batch.documents {
                st.execute(params![
                    d.id,
                    d.title,
                    d.municipality_code.map(|c| c.to_string()),
                    d.municipality,
                    d.fiscal_year.map(|y| y.year()),
                    d.unit.map(|u| u.code()),
                    d.source_name,
                    d.source_sha256,
                    d.imported_at
                ])
                .map_err(|e| write_err("documents", e))?;
            }
            summary.documents = batch.documents.len();

            let mut st = tx.prepare_cached(
                "INSERT INTO areas (id, municipality, kind, name, parent_id, lg_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET municipality = excluded.municipality, kind = excluded.kind,
                   name = excluded.name, parent_id = excluded.parent_id, lg_code = excluded.lg_code",
            ).map_err(backend)?;
            for a in &batch.areas {
                st.execute(params![
                    a.id,
                    a.municipality,
                    a.kind.code(),
                    a.name,
                    a.parent_id,
                    a.lg_code.map(|c| c.to_string())
                ])
                .map_err(|e| write_err("areas", e))?;
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO policies (id, document_id, parent_id, kind, code, title, stated_amount_yen, source_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            ).map_err(backend)?;
            for p in &batch.policies {
                st.execute(params![
                    p.id,
                    p.document_id,
                    p.parent_id,
                    p.kind.code(),
                    p.code,
                    p.title,
                    p.stated_amount.map(|y| y.get()),
                    p.source_line
                ])
                .map_err(|e| write_err("policies", e))?;
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO projects (id, document_id, parent_id, municipality, area, fiscal_year, fund, pillar, number, name,
                   description, is_new, status, status_note, department, tags, source_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            ).map_err(backend)?;
            for p in &batch.projects {
                st.execute(params![
                    p.id,
                    p.document_id,
                    p.parent_id,
                    p.municipality,
                    p.area,
                    p.fiscal_year.map(|y| y.year()),
                    p.fund,
                    p.pillar,
                    p.number,
                    p.name,
                    p.description,
                    p.is_new,
                    p.status.code(),
                    p.status_note,
                    p.department,
                    p.tags.join(";"),
                    p.source_line
                ])
                .map_err(|e| write_err("projects", e))?;
            }
            summary.projects = batch.projects.len();

            let mut st = tx
                .prepare_cached(
                    "INSERT INTO amounts (project_id, phase, amount_yen, source_line) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(backend)?;
            for a in &batch.amounts {
                st.execute(params![a.project_id, a.phase.code(), a.amount.map(|y| y.get()), a.source_line])
                    .map_err(|e| write_err("amounts", e))?;
            }
            summary.amounts = batch.amounts.len();

            let mut st = tx.prepare_cached(
                "INSERT INTO totals (document_id, area, scope_kind, scope, phase, stated_yen, source_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            ).map_err(backend)?;
            for t in &batch.totals {
                st.execute(params![
                    t.document_id,
                    t.area,
                    t.scope_kind.code(),
                    t.scope,
                    t.phase.code(),
                    t.stated.map(|y| y.get()),
                    t.source_line
                ])
                .map_err(|e| write_err("totals", e))?;
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO kpis (id, document_id, policy_id, indicator, unit, cumulative, baseline_year, baseline_value,
                   target_year, target_value, department, source_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            ).map_err(backend)?;
            for k in &batch.kpis {
                st.execute(params![
                    k.id,
                    k.document_id,
                    k.policy_id,
                    k.indicator,
                    k.unit,
                    k.cumulative,
                    k.baseline_year.map(|y| y.year()),
                    k.baseline_value.as_ref().map(|v| v.to_string()),
                    k.target_year.map(|y| y.year()),
                    k.target_value.as_ref().map(|v| v.to_string()),
                    k.department,
                    k.source_line
                ])
                .map_err(|e| write_err("kpis", e))?;
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO kpi_observations (kpi_id, fiscal_year, value, source_line) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(kpi_id, fiscal_year) DO UPDATE SET value = excluded.value, source_line = excluded.source_line",
            ).map_err(backend)?;
            let mut seen = HashSet::new();
            for o in &batch.observations {
                if !seen.insert((o.kpi_id.as_str(), o.fiscal_year)) {
                    return Err(StoreError::Integrity(format!(
                        "kpi_observations: two values for KPI {:?} in {}",
                        o.kpi_id, o.fiscal_year
                    )));
                }
                st.execute(params![o.kpi_id, o.fiscal_year.year(), o.value.to_string(), o.source_line])
                    .map_err(|e| write_err("kpi_observations", e))?;
            }

            let mut st = tx.prepare_cached(
                "INSERT INTO actions (id, document_id, policy_id, number, description, department, status, first_year,
                   last_year, record, source_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            ).map_err(backend)?;
            for a in &batch.actions {
                st.execute(params![
                    a.id,
                    a.document_id,
                    a.policy_id,
                    a.number,
                    a.description,
                    a.department,
                    a.status.code(),
                    a.first_year.map(|y| y.year()),
                    a.last_year.map(|y| y.year()),
                    a.record,
                    a.source_line
                ])
                .map_err(|e| write_err("actions", e))?;
            }

            let mut st = tx
                .prepare_cached(
                    "INSERT INTO diagnostics (document_id, line, severity, code, message) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(backend)?;
            for d in &batch.diagnostics {
                st.execute(params![d.document_id, d.line, d.severity.code(), d.code, d.message])
                    .map_err(|e| write_err("diagnostics", e))?;
            }

            let mut st = tx
                .prepare_cached(
                    "INSERT INTO sources (document_id, text) VALUES (?1, ?2)
                     ON CONFLICT(document_id) DO UPDATE SET text = excluded.text",
                )
                .map_err(backend)?;
            for s in sources {
                st.execute(params![s.document_id, s.text]).map_err(|e| write_err("sources", e))?;
            }
        }
        summary.rows = batch.documents.len()
            + batch.areas.len()
            + batch.policies.len()
            + batch.projects.len()
            + batch.amounts.len()
            + batch.totals.len()
            + batch.kpis.len()
            + batch.observations.len()
            + batch.actions.len()
            + batch.diagnostics.len();
        // Deferred foreign keys would fail the commit with no detail; name the first broken reference.
        let broken: Option<(String, String)> = tx
            .query_row("SELECT \"table\", parent FROM pragma_foreign_key_check LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(backend)?;
        if let Some((table, parent)) = broken {
            return Err(StoreError::Integrity(format!("{table}: a row refers to a missing row of {parent}")));
        }
        tx.commit().map_err(backend)?;
        Ok(summary)
    }

    fn ledger(&self) -> Result<Ledger, StoreError> {
        let c = &self.conn;
        Ok(Ledger {
            documents: select(c, &format!("{DOCUMENT_COLUMNS} ORDER BY rowid"), [], document_from_row)?,
            areas: select(c, "SELECT id, municipality, kind, name, parent_id, lg_code FROM areas ORDER BY rowid", [], area_from_row)?,
            policies: select(
                c,
                "SELECT id, document_id, parent_id, kind, code, title, stated_amount_yen, source_line FROM policies ORDER BY rowid",
                [],
                policy_from_row,
            )?,
            projects: select(c, &format!("{PROJECT_COLUMNS} ORDER BY rowid"), [], project_from_row)?,
            amounts: select(c, "SELECT project_id, phase, amount_yen, source_line FROM amounts ORDER BY rowid", [], amount_from_row)?,
            totals: select(
                c,
                "SELECT document_id, area, scope_kind, scope, phase, stated_yen, source_line FROM totals ORDER BY rowid",
                [],
                total_from_row,
            )?,
            kpis: select(
                c,
                "SELECT id, document_id, policy_id, indicator, unit, cumulative, baseline_year, baseline_value, target_year,
                   target_value, department, source_line FROM kpis ORDER BY rowid",
                [],
                kpi_from_row,
            )?,
            observations: select(
                c,
                "SELECT kpi_id, fiscal_year, value, source_line FROM kpi_observations ORDER BY rowid",
                [],
                observation_from_row,
            )?,
            actions: select(
                c,
                "SELECT id, document_id, policy_id, number, description, department, status, first_year, last_year, record,
                   source_line FROM actions ORDER BY rowid",
                [],
                action_from_row,
            )?,
            diagnostics: select(
                c,
                "SELECT document_id, line, severity, code, message FROM diagnostics ORDER BY rowid",
                [],
                diagnostic_from_row,
            )?,
        })
    }

    fn projects(&self, f: &ProjectFilter) -> Result<Vec<ProjectRow>, StoreError> {
        // One fixed statement with optional parameters: no SQL is built from user input.
        let sql = format!(
            "{PROJECT_COLUMNS} WHERE (?1 IS NULL OR municipality = ?1 OR document_id IN
                 (SELECT id FROM documents WHERE municipality_code = ?1))
               AND (?2 IS NULL OR area = ?2)
               AND (?3 IS NULL OR fiscal_year = ?3)
               AND (?4 IS NULL OR fund = ?4)
               AND (?5 IS NULL OR status = ?5)
               AND (?6 IS NULL OR document_id = ?6)
               AND (?7 OR parent_id IS NULL)
             ORDER BY rowid LIMIT ?8 OFFSET ?9"
        );
        let limit = if f.limit == 0 { -1 } else { f.limit as i64 };
        let projects = select(
            &self.conn,
            &sql,
            params![
                f.municipality,
                f.area,
                f.fiscal_year.map(|y| y.year()),
                f.fund,
                f.status.map(|s| s.code()),
                f.document_id,
                f.include_line_items,
                limit,
                f.offset as i64
            ],
            project_from_row,
        )?;
        let ids: Vec<String> = projects.iter().map(|p| p.id.clone()).collect();
        let amounts = self.amounts_of(&ids)?;
        Ok(projects.into_iter().zip(amounts).map(|(project, amounts)| ProjectRow { project, amounts }).collect())
    }

    fn project(&self, id: &str) -> Result<Option<ProjectDetail>, StoreError> {
        let one = |sql: &str, arg: &str| -> Result<Option<machi_domain::Project>, StoreError> {
            let mut st = self.conn.prepare_cached(sql).map_err(backend)?;
            st.query_row([arg], project_from_row).optional().map_err(backend)?.transpose()
        };
        let Some(project) = one(&format!("{PROJECT_COLUMNS} WHERE id = ?1"), id)? else {
            return Ok(None);
        };
        let parent = match &project.parent_id {
            Some(p) => one(&format!("{PROJECT_COLUMNS} WHERE id = ?1"), p)?,
            None => None,
        };
        let items = select(
            &self.conn,
            &format!("{PROJECT_COLUMNS} WHERE parent_id = ?1 ORDER BY rowid"),
            [id],
            project_from_row,
        )?;
        let mut st = self.conn.prepare_cached(&format!("{DOCUMENT_COLUMNS} WHERE id = ?1")).map_err(backend)?;
        let document = st.query_row([&project.document_id], document_from_row).map_err(backend)??;
        let item_ids: Vec<String> = items.iter().map(|p| p.id.clone()).collect();
        let item_amounts = self.amounts_of(&item_ids)?;
        let amounts = self.amounts_of(std::slice::from_ref(&project.id))?.pop().unwrap_or_default();
        Ok(Some(ProjectDetail {
            row: ProjectRow { project, amounts },
            document,
            parent,
            line_items: items
                .into_iter()
                .zip(item_amounts)
                .map(|(project, amounts)| ProjectRow { project, amounts })
                .collect(),
        }))
    }

    fn source_lines(&self, document_id: &str, first: u32, last: u32) -> Result<Vec<(u32, String)>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT text FROM sources WHERE document_id = ?1").map_err(backend)?;
        let text: Option<String> = st.query_row([document_id], |r| r.get(0)).optional().map_err(backend)?;
        let Some(text) = text else { return Ok(Vec::new()) };
        Ok(text
            .lines()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l.to_string()))
            .filter(|(n, _)| *n >= first && *n <= last)
            .collect())
    }

    fn documents(&self) -> Result<Vec<machi_domain::Document>, StoreError> {
        select(&self.conn, &format!("{DOCUMENT_COLUMNS} ORDER BY rowid"), [], document_from_row)
    }

    fn known_ids(&self) -> Result<KnownIds, StoreError> {
        let ids = |sql: &str| -> Result<HashSet<String>, StoreError> {
            let mut st = self.conn.prepare_cached(sql).map_err(backend)?;
            let v = st.query_map([], |r| r.get(0)).map_err(backend)?.collect::<Result<_, _>>().map_err(backend)?;
            Ok(v)
        };
        Ok(KnownIds {
            documents: ids("SELECT id FROM documents")?,
            areas: ids("SELECT id FROM areas")?,
            kpis: ids("SELECT id FROM kpis")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_passes_the_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("machi.db")).unwrap();
        machi_store::contract::run(&mut store);
    }

    #[test]
    fn migrations_are_applied_once_and_reopen_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("machi.db");
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        s.import(&machi_store::contract::sample("0123456789abcdef")).unwrap();
        drop(s);
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.ledger().unwrap().projects.len(), 3);
        let ro = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(ro.documents().unwrap().len(), 1);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("machi.db");
        drop(SqliteStore::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        assert!(matches!(SqliteStore::open(&path), Err(StoreError::TooNew { found: 99, .. })));
    }
}

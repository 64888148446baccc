//! The storage contract: [`Store`] is what every backend (SQLite now, PostgreSQL later) implements, and
//! [`contract::run`] is the one story test every backend must pass.
//!
//! Architecture invariant: this crate contains no SQL and names no backend. The web layer and the CLI
//! talk to a `dyn Store`; only the binary chooses the backend.
#![deny(missing_docs)]

pub mod contract;

use machi_domain::{Amount, Document, FiscalYear, KnownIds, Ledger, Project, Status};
use serde::Serialize;
use thiserror::Error;

/// What went wrong in a store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The backend failed (I/O, SQL, connection).
    #[error("store backend: {0}")]
    Backend(String),
    /// A record breaks a key or reference; nothing was written.
    #[error("integrity: {0}")]
    Integrity(String),
    /// The stored data could not be read back as ledger values.
    #[error("stored value in {table}.{field} is not valid: {value:?}")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        field: &'static str,
        /// The value found.
        value: String,
    },
    /// The database was written by a newer machi.
    #[error("the database schema is version {found}, newer than this machi knows ({known}); upgrade machi")]
    TooNew {
        /// Version in the database.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Documents written.
    pub documents: usize,
    /// Of those, how many replaced a stored document with the same content hash.
    pub replaced: usize,
    /// Projects written.
    pub projects: usize,
    /// Amounts written.
    pub amounts: usize,
    /// All rows written, every table.
    pub rows: usize,
}

/// Which projects to list. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    /// Municipality name or code.
    pub municipality: Option<String>,
    /// Area name (`北区`).
    pub area: Option<String>,
    /// Fiscal year.
    pub fiscal_year: Option<FiscalYear>,
    /// Fund name.
    pub fund: Option<String>,
    /// Status.
    pub status: Option<Status>,
    /// Only this document's projects.
    pub document_id: Option<String>,
    /// Include line items (projects with a parent). Default: top-level only.
    pub include_line_items: bool,
    /// Most rows to return (0 = no limit).
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
}

/// A project with its amounts, ordered along the fiscal calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectRow {
    /// The project.
    pub project: Project,
    /// Its amounts, by phase.
    pub amounts: Vec<Amount>,
}

/// One project with everything around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectDetail {
    /// The project and its amounts.
    pub row: ProjectRow,
    /// The document it was read from.
    pub document: Document,
    /// The project it is a line item of.
    pub parent: Option<Project>,
    /// Its own line items.
    pub line_items: Vec<ProjectRow>,
}

/// The decoded text of a source document, kept so values can be shown with their lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The document it belongs to.
    pub document_id: String,
    /// The decoded text (lines as read, `\n` separated).
    pub text: String,
}

/// The ledger's storage. Every import is all or nothing.
pub trait Store {
    /// Write a ledger fragment without source texts; see [`Store::import_with_sources`].
    fn import(&mut self, batch: &Ledger) -> Result<ImportSummary, StoreError> {
        self.import_with_sources(batch, &[])
    }

    /// Write a ledger fragment and the source texts of its documents in one transaction. A document whose `source_sha256` (or id) is already
    /// stored is replaced with everything read from it; areas are upserted; KPI observations replace
    /// the stored value for the same KPI and year. On any error nothing is written.
    fn import_with_sources(&mut self, batch: &Ledger, sources: &[SourceFile]) -> Result<ImportSummary, StoreError>;

    /// Lines `first..=last` (1-based) of a document's source text, with their numbers; empty when the
    /// store has no text for it (an interchange import).
    fn source_lines(&self, document_id: &str, first: u32, last: u32) -> Result<Vec<(u32, String)>, StoreError>;

    /// The whole ledger, each table in a stable order (the order rows were written).
    fn ledger(&self) -> Result<Ledger, StoreError>;

    /// Projects matching `filter`, in document order.
    fn projects(&self, filter: &ProjectFilter) -> Result<Vec<ProjectRow>, StoreError>;

    /// One project by id.
    fn project(&self, id: &str) -> Result<Option<ProjectDetail>, StoreError>;

    /// Every stored document.
    fn documents(&self) -> Result<Vec<Document>, StoreError>;

    /// Ids already stored, for checking the references of a partial ledger before import.
    fn known_ids(&self) -> Result<KnownIds, StoreError>;
}

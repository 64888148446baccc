//! The open-data interchange (`interchange.md`): the public contract of machi. A folder of CSV files
//! with a `datapackage.json` (Frictionless Data Package, Table Schema with primary and foreign keys),
//! and one JSON document of the whole ledger for scripts.
//!
//! Architecture invariant: the interchange changes only by adding columns or files. Columns are read by
//! name, so a newer file with extra columns still reads; a missing column is an error.
#![deny(missing_docs)]

pub mod read;
pub mod schema;
pub mod write;

use std::fmt;
use std::path::PathBuf;

pub use read::read_dir;
pub use write::{to_json, write_dir, WriteOptions};

/// Why an interchange folder cannot be read or written. Every variant names the file; cell errors name
/// the line and column too.
#[derive(Debug, thiserror::Error)]
pub enum InterchangeError {
    /// A bad cell.
    #[error("{}:{line}: column {column}: {message}", path.display())]
    Field {
        /// File.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A bad row or header.
    #[error("{}:{line}: {message}", path.display())]
    Row {
        /// File.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A file or folder that cannot be read.
    #[error("{}: {message}", path.display())]
    File {
        /// File or folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file that cannot be written.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Output formats of `machi export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The CSV folder.
    Csv,
    /// One JSON document.
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Json => "json",
        })
    }
}

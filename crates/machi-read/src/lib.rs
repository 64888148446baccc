//! Readers: published まちづくり documents (the text PDF extractors make of them) into ledger records.
//!
//! Bytes are decoded once, at the edge ([`source::SourceText::decode`]); every reader then works on lines
//! and returns a [`machi_domain::Ledger`] fragment with its diagnostics. A reader never fails on messy
//! content and never invents a number: what it cannot place becomes a [`machi_domain::Diagnostic`] naming
//! the line.
//!
//! Architecture invariant: this crate depends only on `machi-domain`; it does no file or database I/O
//! (callers hand it bytes).
#![deny(missing_docs)]

pub mod budget;
pub mod plan;
pub mod source;

pub use source::{ReadError, ReadOptions, SourceText};

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

/// Read published text of any known kind: a plan (policy tree, KPI and action tables) or a budget
/// sheet. The choice is made from the text itself; a layout neither reader knows is read as a budget
/// sheet, which stores what it is sure of and reports the rest by line.
pub fn read_text(src: &SourceText, opts: &ReadOptions) -> Result<machi_domain::Ledger, ReadError> {
    if plan::looks_like(src) {
        plan::read(src, opts)
    } else {
        budget::read(src, opts)
    }
}

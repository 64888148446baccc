//! Analysis: what machi computes from the ledger — reconciliation of stated totals against their projects,
//! KPI progress and status, execution rates.
//!
//! Architecture invariant: pure functions over `machi-domain` types. No I/O, no SQL, no formatting for a
//! particular output (the CLI and web render the results).
#![deny(missing_docs)]

pub mod progress;
pub mod reconcile;

//! The machi ledger's domain model.
//!
//! Everything machi knows about まちづくり documents lives here as types that carry their meaning:
//! [`Yen`], [`Unit`], [`FiscalYear`], [`Phase`], [`LgCode`], and the records of the ledger
//! ([`Project`], [`StatedTotal`], [`Kpi`], ...). Text that comes from documents is parsed into these
//! types once, at the edge of the system.
//!
//! Architecture invariant: this crate does no I/O (no files, no network, no database) and depends on no
//! other machi crate. The bundled local-government code list is compiled in, not read at run time.
#![deny(missing_docs)]

pub mod ids;
pub mod lgcode;
pub mod model;
pub mod money;
pub mod number;
pub mod phase;
pub mod text;
pub mod year;

pub use lgcode::{LgCode, LgCodeError, Municipality};
pub use model::*;
pub use money::{AmountError, Unit, Yen};
pub use number::{Decimal, ItemNumber, ItemNumberStyle, Quantity};
pub use phase::{Phase, PhaseError};
pub use year::{FiscalYear, FiscalYearRange, YearError, YearMonth, YearSpan};

//! One module per command. Each takes its parsed arguments and the opened store.

mod check;
mod export;
pub mod import;
mod kpi;
mod list;
mod serve;
mod show;

use std::process::ExitCode;

use anyhow::{Context, Result};
use machi_domain::{FiscalYear, Phase, Yen};
use machi_store_sqlite::SqliteStore;

use crate::{Cli, Command};

/// Run the chosen command; `Ok` carries the exit code (1 for `check` with a mismatch).
pub fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Import(a) => import::run(cli, a),
        Command::Export(a) => export::run(&open(cli)?, cli, a),
        Command::Check(a) => check::run(&open(cli)?, a),
        Command::List(a) => list::run(&open(cli)?, a),
        Command::Show(a) => show::run(&open(cli)?, a),
        Command::Kpi(a) => kpi::run(&open(cli)?, a),
        Command::Serve(a) => serve::run(cli, a),
    }
}

/// Open the store for reading and writing, creating it if needed.
pub fn open(cli: &Cli) -> Result<SqliteStore> {
    SqliteStore::open(&cli.db).with_context(|| format!("opening the store {}", cli.db.display()))
}

/// Read a fiscal year as users type it: `2020`, `令和2年度`, `R2`.
pub fn parse_year(s: &str) -> Result<FiscalYear> {
    FiscalYear::parse(s).map(|p| p.value).with_context(|| format!("{s:?} is not a fiscal year (2020, 令和2年度, R2)"))
}

/// An amount in 千円 with separators, or `―` for a printed "no value".
pub fn sen(y: Option<Yen>) -> String {
    y.map(|y| y.display_in(machi_domain::Unit::Thousand)).unwrap_or_else(|| "―".into())
}

/// The phases that occur in `amounts`, in fiscal order.
pub fn phases_of<'a>(amounts: impl Iterator<Item = &'a machi_domain::Amount>) -> Vec<Phase> {
    let mut v: Vec<Phase> = amounts.map(|a| a.phase).collect();
    v.sort();
    v.dedup();
    v
}

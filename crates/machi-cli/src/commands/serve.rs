//! `machi serve`: the web app on a store file, or with `--demo` on the bundled documents imported into
//! a temporary store that is removed on exit.

use std::process::ExitCode;

use anyhow::{Context, Result};
use machi_store_sqlite::SqliteStore;

use crate::{Cli, ServeArgs};

pub fn run(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    // Kept alive until the server stops, then removed with the demo store in it.
    let mut _demo_dir = None;
    let db = if args.demo {
        let dir = tempfile::tempdir().context("creating a folder for the demo store")?;
        let db = dir.path().join("demo.db");
        let mut store = SqliteStore::open(&db)?;
        let n = crate::demo::load(&mut store, dir.path(), &crate::clock::now_rfc3339())?;
        drop(store);
        if !cli.quiet {
            eprintln!("demo: {n} projects from the bundled documents in {}", db.display());
        }
        _demo_dir = Some(dir);
        db
    } else {
        cli.db.clone()
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(machi_web::serve(&db, args.addr))?;
    Ok(ExitCode::SUCCESS)
}

//! Serve a machi database file with the web app, for trying the pages and for the browser test before (or
//! without) the `machi` CLI: `cargo run -p machi-web --example serve_db -- DB [ADDR] [--import DIR]...`.
//! `--import DIR` first loads an interchange folder into DB (created if missing), as `machi import` would.

use std::net::SocketAddr;
use std::path::PathBuf;

use machi_store::Store;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut db: Option<PathBuf> = None;
    let mut addr: SocketAddr = "127.0.0.1:8080".parse()?;
    let mut imports: Vec<PathBuf> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--import" => imports.push(args.next().ok_or_else(|| anyhow::anyhow!("--import needs a folder"))?.into()),
            _ if db.is_none() => db = Some(a.into()),
            _ => addr = a.parse()?,
        }
    }
    let db = db.ok_or_else(|| anyhow::anyhow!("usage: serve_db DB [ADDR] [--import DIR]..."))?;
    if !imports.is_empty() {
        let mut store = machi_store_sqlite::SqliteStore::open(&db)?;
        for dir in imports {
            let known = store.known_ids()?;
            let ledger = machi_interchange::read_dir(&dir, &known)?;
            let s = store.import(&ledger)?;
            eprintln!("imported {}: {} projects", dir.display(), s.projects);
        }
    }
    machi_web::serve(&db, addr).await
}

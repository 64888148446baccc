//! `machi export`: the interchange folder (CSV + datapackage.json) or one JSON document.

use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use machi_interchange::WriteOptions;
use machi_store::Store;
use machi_store_sqlite::SqliteStore;

use crate::{Cli, Encoding, ExportArgs, ExportFormat};

pub fn run(store: &SqliteStore, cli: &Cli, args: &ExportArgs) -> Result<ExitCode> {
    let ledger = store.ledger().context("reading the store")?;
    match args.format {
        ExportFormat::Csv => {
            let opts = WriteOptions { excel: args.excel, shift_jis: args.encoding == Encoding::ShiftJis };
            let bar = if cli.quiet { ProgressBar::hidden() } else { ProgressBar::new(11) };
            let files = machi_interchange::write_dir(&ledger, &args.out, opts, &mut |file, rows| {
                bar.set_message(format!("{file} ({rows} rows)"));
                bar.inc(1);
            })?;
            bar.finish_and_clear();
            if !cli.quiet {
                println!("wrote {} files to {}", files.len(), args.out.display());
            }
        }
        ExportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&machi_interchange::to_json(&ledger))?;
            text.push('\n');
            if args.out.as_os_str() == "-" {
                print!("{text}");
            } else {
                std::fs::write(&args.out, text).with_context(|| format!("writing {}", args.out.display()))?;
                if !cli.quiet {
                    println!("wrote {}", args.out.display());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

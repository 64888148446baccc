//! `machi`: the command line over the まちづくり ledger. A thin shell: it parses arguments, opens the
//! store the user chose, calls the readers, store, analysis and interchange, and prints the results.
//! It holds no domain rules of its own.

mod clock;
mod commands;
mod demo;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

// Reading a large document makes millions of small allocations: see `machi_alloc` (`bench_read` uses it too).
#[global_allocator]
static GLOBAL: machi_alloc::Allocator = machi_alloc::Allocator;

/// machi — the ledger of Japanese community-development (まちづくり) plans, projects, budgets and KPIs.
#[derive(Parser)]
#[command(name = "machi", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The store: an SQLite file.
    #[arg(long, global = true, env = "MACHI_DB", default_value = "machi.db")]
    pub db: PathBuf,

    /// Print only results and errors (no progress bars or summaries).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  machi import budget.txt --municipality 熊本市     read a published budget sheet (PDF text)
  machi import open-data/                            read an interchange folder
  machi check                                        reconcile stated totals; exit 1 on a mismatch
  machi list --area 北区 --year 2020                 projects with amounts in 千円
  machi show doc-f67e94715163-p007 --explain         one project, every phase, its source lines
  machi kpi                                          KPI progress against baseline and target
  machi export --format csv --out open-data/         write the open-data folder with datapackage.json";

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Read published text (.txt), interchange folders or datapackage.json into the store.
    ///
    /// Every PATH is read first; if any cannot be read, nothing is written. Re-importing a file with
    /// the same content (sha256) replaces what it brought before.
    #[command(after_help = "Examples:
  machi import 001_dfc7a35a737f6b56.txt --municipality 熊本市
  machi import --dry-run plan.txt
  machi import export-dir/datapackage.json")]
    Import(ImportArgs),

    /// Write the whole ledger: the CSV folder with datapackage.json, or one JSON document.
    #[command(after_help = "Examples:
  machi export --format csv --out open-data/
  machi export --format csv --excel --out for-excel/
  machi export --format json --out ledger.json")]
    Export(ExportArgs),

    /// Reconcile every stated total with the sum of its projects, per phase. Exit status 1 on a mismatch.
    #[command(after_help = "Examples:
  machi check
  machi check --json | jq '.[] | select(.status != \"match\")'")]
    Check(CheckArgs),

    /// List projects with their amounts per phase (千円).
    #[command(after_help = "Examples:
  machi list --area 北区 --year 2020
  machi list --status cancelled --json")]
    List(ListArgs),

    /// Show one project: every phase, its line items, and where each value was read.
    #[command(after_help = "Examples:
  machi show doc-f67e94715163-p007
  machi show doc-f67e94715163-p007 --explain")]
    Show(ShowArgs),

    /// List KPIs with baseline, target, latest value, progress and status (on track, caution, behind).
    #[command(after_help = "Examples:
  machi kpi
  machi kpi --json")]
    Kpi(KpiArgs),

    /// Serve the web app and JSON API (read-only) on the store, or on the bundled demo documents.
    #[command(after_help = "Examples:
  machi serve --demo                    the bundled documents in a temporary store
  machi serve --db ward.db --addr 127.0.0.1:3000")]
    Serve(ServeArgs),
}

/// `machi import`
#[derive(Args)]
pub struct ImportArgs {
    /// Files or folders to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The municipality, when the document does not name it (name such as 熊本市, or its code).
    #[arg(long)]
    pub municipality: Option<String>,
    /// The fiscal year, when the document does not state it (2020, 令和2年度, R2).
    #[arg(long)]
    pub fiscal_year: Option<String>,
    /// Read and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also print the notes (info diagnostics): section texts kept, lines skipped.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Export formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The interchange folder: CSV files and datapackage.json.
    Csv,
    /// One JSON document of the whole ledger.
    Json,
}

/// CSV encodings.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (the open-data contract).
    #[value(name = "utf-8")]
    Utf8,
    /// CP932, for older Excel.
    #[value(name = "shift_jis")]
    ShiftJis,
}

/// `machi export`
#[derive(Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Output folder (csv) or file (json; `-` for standard output).
    #[arg(long)]
    pub out: PathBuf,
    /// For Excel: a BOM, and a leading ' on cells that would be taken for formulas.
    #[arg(long)]
    pub excel: bool,
    /// CSV encoding.
    #[arg(long, value_enum, default_value = "utf-8")]
    pub encoding: Encoding,
}

/// `machi check`
#[derive(Args)]
pub struct CheckArgs {
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `machi list`
#[derive(Args)]
pub struct ListArgs {
    /// Municipality name or code.
    #[arg(long)]
    pub municipality: Option<String>,
    /// Area name (北区).
    #[arg(long)]
    pub area: Option<String>,
    /// Fiscal year (2020, 令和2年度, R2).
    #[arg(long, alias = "fiscal-year")]
    pub year: Option<String>,
    /// Fund name.
    #[arg(long)]
    pub fund: Option<String>,
    /// Status: planned, done, cancelled, postponed, not_started.
    #[arg(long)]
    pub status: Option<String>,
    /// Include line items of parent projects.
    #[arg(long)]
    pub all: bool,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `machi show`
#[derive(Args)]
pub struct ShowArgs {
    /// Project id (see `machi list`).
    pub id: String,
    /// Print each value with the source line it was read from.
    #[arg(long)]
    pub explain: bool,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `machi kpi`
#[derive(Args)]
pub struct KpiArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `machi serve`
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; put a reverse proxy in front for the public).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Import the bundled example documents into a temporary store and serve that instead of --db.
    #[arg(long)]
    pub demo: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A one-shot command reuses what it frees and maps huge pages; the server keeps the defaults.
    if !matches!(cli.command, Command::Serve(_)) {
        machi_alloc::tune_for_one_shot_command();
    }
    match commands::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

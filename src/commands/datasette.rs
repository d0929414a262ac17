//! `parley datasette`: writes a Datasette metadata file for the archive (canned queries from the
//! saved reports, label columns, facets, full-text search).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use parley::store::Archive;

/// Write a Datasette metadata file: `datasette parley.db -m metadata.yml` then browses the archive
/// with every saved report as a canned query.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley datasette && datasette parley.db -m metadata.yml\n  parley datasette -o - --reports my-reports/ > metadata.json"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// Where to write it, or - for standard output. JSON is written in either case (JSON is YAML,
    /// so a .yml name works as well).
    #[arg(long, short = 'o', default_value = "metadata.yml")]
    output: PathBuf,
    /// A folder of your own reports (*.sql), besides the shipped ones.
    #[arg(long, env = "PARLEY_REPORTS")]
    reports: Option<PathBuf>,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let tables = parley::read::datasette::tables(archive.connection())
        .context("cannot read the archive's tables")?;
    let reports = super::report::load_catalogue(args.reports.as_deref())?.reports;
    // Datasette names a database after its file's stem.
    let name = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "parley".into());
    let metadata = parley::read::datasette::metadata(&name, &reports, &tables);
    let mut text = serde_json::to_string_pretty(&metadata)?;
    text.push('\n');
    if args.output.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    } else {
        std::fs::write(&args.output, text)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!(
            "{}: {} canned queries; browse with: datasette {} -m {}",
            args.output.display(),
            reports.len(),
            db.display(),
            args.output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

//! `parley check`: audits an archive (SQLite's integrity and foreign-key checks, orphan rows, spans,
//! parser versions) without changing it. Findings go to stdout, one a line; the summary to stderr;
//! the exit status is non-zero when anything is wrong.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use parley::store::Archive;

/// Check the archive: integrity, foreign keys, orphan rows, spans and parser versions.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley check\n  parley check --db other.db    # exit 1 when anything is wrong"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
}

pub fn run(db: &Path, _args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let report = archive.check()?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    for finding in &report.findings {
        writeln!(out, "{}: {}", finding.kind.as_str(), finding.message)?;
    }
    for (kind, more) in &report.unlisted {
        writeln!(out, "{}: ... and {more} more", kind.as_str())?;
    }
    out.flush()?;
    if report.is_healthy() {
        eprintln!(
            "{}: {} articles checked, no problems found",
            db.display(),
            report.articles
        );
        Ok(ExitCode::SUCCESS)
    } else {
        let problems =
            report.findings.len() as u64 + report.unlisted.iter().map(|(_, n)| n).sum::<u64>();
        eprintln!(
            "{}: {} articles checked, {problems} problems found",
            db.display(),
            report.articles
        );
        Ok(ExitCode::FAILURE)
    }
}

//! `parley reparse`: re-derives every extracted row from the stored text with the current parser,
//! through the library's batch runner ([`parley::pipeline::reparse`]).

use std::path::Path;
use std::process::ExitCode;

use parley::pipeline::{self, Observer, Phase};
use parley::store::Archive;

/// Re-derive meetings, people and quotes from the stored text with this parley's parser.
#[derive(clap::Args)]
pub struct Args {
    /// Only articles whose rows came from an older parser version.
    #[arg(long)]
    stale: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mut archive = Archive::open(db)?;
    let (total, stale) = archive.parser_versions()?;
    let todo = if args.stale { stale } else { total };
    let progress = Progress(super::progress(
        Some(todo.max(0) as u64),
        args.quiet,
        "reparsing",
    ));
    let counts = pipeline::reparse(&mut archive, args.stale, &progress)?;
    progress.0.finish_and_clear();
    eprintln!(
        "{}: {} articles reparsed with parser version {}, {} people no longer mentioned removed",
        db.display(),
        counts.articles,
        parley::parse::PARSER_VERSION,
        counts.people_removed
    );
    Ok(ExitCode::SUCCESS)
}

struct Progress(indicatif::ProgressBar);

impl Observer for Progress {
    fn phase(&self, phase: Phase) {
        self.0.set_message(phase.as_str());
    }

    fn advanced(&self) {
        self.0.inc(1);
    }
}

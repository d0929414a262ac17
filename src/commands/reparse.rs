//! `parley reparse`: re-derives every extracted row from the stored text with the current parser.

use std::path::Path;
use std::process::ExitCode;

use parley::model::Parsed;
use parley::store::Archive;
use rayon::prelude::*;

const BATCH: usize = 512;

/// Re-derive meetings, people and quotes from the stored text with this parley's parser.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  parley reparse\n  parley reparse --stale --quiet")]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
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
    let progress = super::progress(Some(todo.max(0) as u64), args.quiet, "reparsing");
    let mut after = 0;
    let mut articles = 0u64;
    // The batch parsed last: its rows are replaced while the next batch is parsed, so that the
    // single writer and the parser overlap instead of taking turns.
    let mut pending: Vec<(i64, Parsed)> = Vec::new();
    loop {
        let stored = archive.articles_to_reparse(after, BATCH, args.stale)?;
        if let Some(last) = stored.last() {
            after = last.id;
        }
        let archive = &mut archive;
        let (replaced, parsed) = rayon::join(
            || {
                if pending.is_empty() {
                    Ok(())
                } else {
                    archive.replace_derived(&pending)
                }
            },
            || {
                stored
                    .par_iter()
                    .map(|a| (a.id, parley::parse::parse(&a.text, &a.meta)))
                    .collect::<Vec<_>>()
            },
        );
        replaced?;
        articles += pending.len() as u64;
        progress.inc(pending.len() as u64);
        if parsed.is_empty() {
            break;
        }
        pending = parsed;
    }
    progress.finish_and_clear();
    let removed = archive.remove_orphan_participants()?;
    archive.recount_people()?;
    eprintln!(
        "{}: {articles} articles reparsed with parser version {}, {removed} people no longer mentioned removed",
        db.display(),
        parley::parse::PARSER_VERSION
    );
    Ok(ExitCode::SUCCESS)
}

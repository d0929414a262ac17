//! `parley import`: reads articles, parses them on every core and stores them with a single writer,
//! in batches. Re-importing an article whose normalized text is stored already changes nothing.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use parley::import::{self, Source};
use parley::model::ArticleMeta;
use parley::store::{Archive, ImportedArticle, StoreOutcome, content_hash};
use rayon::prelude::*;

/// Articles read, parsed and stored per transaction.
const BATCH: usize = 256;

/// Import articles (files, folders of *.txt, or - for standard input) into the archive.
#[derive(clap::Args)]
pub struct Args {
    /// Files, folders (searched recursively for *.txt) or - for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Publication date of the article(s) given (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_date)]
    published: Option<NaiveDate>,
    /// The outlet that published the article(s).
    #[arg(long)]
    source: Option<String>,
    /// The article's address.
    #[arg(long)]
    url: Option<String>,
    /// Print what was extracted from each article (title, meetings, quotes).
    #[arg(long)]
    show: bool,
}

#[derive(Default)]
struct Counts {
    inserted: u64,
    unchanged: u64,
    failed: u64,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mut archive = Archive::open(db)?;
    let meta = ArticleMeta { published: args.published, source: args.source, url: args.url, title: None };
    let sources = import::expand(&args.paths);
    let mut counts = Counts::default();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());

    for chunk in sources.chunks(BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for (source, failure) in chunk {
            let text = match failure {
                Some(err) => Err(err.to_string()),
                None => import::read(source).map_err(|e| e.to_string()),
            };
            match text {
                Ok(text) => batch.push((source, text)),
                Err(reason) => {
                    counts.failed += 1;
                    eprintln!("parley: {}: {reason}", source.label());
                }
            }
        }
        // Skip the parser for articles the archive already holds.
        let hashes: Vec<String> = batch.par_iter().map(|(_, text)| content_hash(&parley::parse::normalize(text))).collect();
        let mut fresh = Vec::with_capacity(batch.len());
        for ((source, text), hash) in batch.into_iter().zip(hashes) {
            if archive.contains(&hash)? {
                counts.unchanged += 1;
            } else {
                fresh.push((source, text));
            }
        }
        let parsed: Vec<ImportedArticle> = fresh.into_par_iter().map(|(source, text)| prepare(source, text, &meta)).collect();
        let outcomes = archive.store_batch(&parsed)?;
        for (item, outcome) in parsed.iter().zip(outcomes) {
            match outcome {
                Ok(StoreOutcome::Inserted(_)) => counts.inserted += 1,
                Ok(StoreOutcome::Unchanged(_)) => counts.unchanged += 1,
                Err(err) => {
                    counts.failed += 1;
                    eprintln!("parley: {}: {err}", item.path.as_deref().unwrap_or("<stdin>"));
                }
            }
            if args.show {
                parley::output::write_digest(&item.parsed, &mut out)?;
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{}: {} inserted, {} unchanged, {} failed",
        db.display(),
        counts.inserted,
        counts.unchanged,
        counts.failed
    );
    Ok(if counts.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn prepare(source: &Source, raw: String, meta: &ArticleMeta) -> ImportedArticle {
    let parsed = parley::parse::parse(&raw, meta);
    let raw = (raw != parsed.article.text).then_some(raw);
    ImportedArticle { parsed, raw, raw_format: "text", path: source.path() }
}

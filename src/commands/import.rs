//! `parley import`: reads articles, parses them on every core and stores them with a single writer,
//! in batches. Re-importing an article whose normalized text is stored already changes nothing.
//! Files are text or, for `*.html`/`*.htm`, web pages whose main text is extracted; `--jsonl` reads a
//! JSON Lines dump, one article per line, where a bad line is reported with its number and skipped.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use parley::input::files::{self, Source};
use parley::input::resolve::{Incoming, Ready};
use parley::model::ArticleMeta;
use parley::store::{Archive, ImportedArticle, StoreOutcome};
use rayon::prelude::*;

/// Articles read, parsed and stored per transaction.
const BATCH: usize = 1024;

/// Import articles (files, folders of *.txt/*.html, - for standard input, or a JSON Lines dump).
#[derive(clap::Args)]
pub struct Args {
    /// Files, folders (searched recursively for *.txt, *.html, *.htm) or - for standard input.
    #[arg(required_unless_present = "jsonl")]
    paths: Vec<PathBuf>,
    /// A JSON Lines file (one article per line, with "text" or "html"), or - for standard input.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
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
    /// No progress bar and no summary line (errors are still reported).
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Default)]
struct Counts {
    inserted: u64,
    unchanged: u64,
    failed: u64,
}

/// One input as read: its label for messages, and the article or why it could not be read.
type Item = (String, Result<Incoming, String>);

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mut archive = Archive::open(db)?;
    let meta = ArticleMeta {
        published: args.published,
        source: args.source,
        url: args.url,
        title: None,
    };
    let sources = files::expand(&args.paths);
    let mut counts = Counts::default();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let progress = super::progress(
        (args.jsonl.is_none()).then_some(sources.len() as u64),
        args.quiet,
        "importing",
    );
    let mut importer = Importer {
        archive: &mut archive,
        meta: &meta,
        show: args.show,
        counts: &mut counts,
        out: &mut out,
        progress: progress.clone(),
        pending: Vec::new(),
        pending_inputs: 0,
    };

    for chunk in sources.chunks(BATCH) {
        let items: Vec<Item> = chunk
            .iter()
            .map(|(source, failure)| {
                let read = match failure {
                    Some(err) => Err(err.to_string()),
                    None => files::read(source).map_err(|e| e.to_string()),
                };
                let item = read.map(|raw| match source {
                    Source::File(path) => Incoming::file(raw, path),
                    Source::Stdin => Incoming::sniff(raw, None),
                });
                (source.label(), item)
            })
            .collect();
        importer.store(items)?;
    }
    if let Some(dump) = &args.jsonl {
        importer.store_jsonl(dump)?;
    }
    importer.finish()?;
    out.flush()?;
    progress.finish_and_clear();
    if !args.quiet {
        eprintln!(
            "{}: {} inserted, {} unchanged, {} failed",
            db.display(),
            counts.inserted,
            counts.unchanged,
            counts.failed
        );
    }
    Ok(if counts.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

struct Importer<'a> {
    archive: &'a mut Archive,
    meta: &'a ArticleMeta,
    show: bool,
    counts: &'a mut Counts,
    out: &'a mut dyn Write,
    progress: indicatif::ProgressBar,
    /// The batch parsed last: it is stored while the next one is parsed.
    pending: Vec<ImportedArticle>,
    /// How many inputs that batch came from, for the progress bar.
    pending_inputs: u64,
}

impl Importer<'_> {
    fn fail(&mut self, label: &str, reason: &dyn std::fmt::Display) {
        self.counts.failed += 1;
        self.progress
            .suspend(|| eprintln!("parley: {label}: {reason}"));
    }

    /// Extracts and parses one batch while the batch before it is stored (the single writer and
    /// the parser overlap instead of taking turns); failures are reported and counted, never fatal.
    /// Call [`Importer::finish`] to store the last batch.
    fn store(&mut self, items: Vec<Item>) -> anyhow::Result<()> {
        let batch = items.len() as u64;
        let mut read = Vec::with_capacity(items.len());
        for (label, item) in items {
            match item {
                Ok(incoming) => read.push((label, incoming)),
                Err(reason) => self.fail(&label, &reason),
            }
        }
        let meta = self.meta;
        let resolved: Vec<(String, Result<Ready, _>)> = read
            .into_par_iter()
            .map(|(label, incoming)| (label, incoming.resolve(meta)))
            .collect();
        let mut fresh = Vec::with_capacity(resolved.len());
        for (label, ready) in resolved {
            match ready {
                // Skip the parser for articles the archive already holds.
                Ok(ready) if self.archive.contains(&ready.content_hash())? => {
                    self.counts.unchanged += 1
                }
                Ok(ready) => fresh.push(ready),
                Err(err) => self.fail(&label, &err),
            }
        }
        let pending = std::mem::take(&mut self.pending);
        let archive = &mut *self.archive;
        let (outcomes, parsed) = rayon::join(
            || store_batch(archive, &pending),
            || {
                fresh
                    .into_par_iter()
                    .map(Ready::parse)
                    .collect::<Vec<ImportedArticle>>()
            },
        );
        self.report(&pending, outcomes?)?;
        self.progress.inc(self.pending_inputs);
        self.pending = parsed;
        self.pending_inputs = batch;
        Ok(())
    }

    /// Stores the last parsed batch.
    fn finish(&mut self) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let outcomes = store_batch(self.archive, &pending)?;
        self.report(&pending, outcomes)?;
        self.progress.inc(std::mem::take(&mut self.pending_inputs));
        Ok(())
    }

    /// Counts a stored batch's outcomes, reports its failures and prints its digests (`--show`).
    fn report(
        &mut self,
        parsed: &[ImportedArticle],
        outcomes: Vec<parley::store::Result<StoreOutcome>>,
    ) -> anyhow::Result<()> {
        for (item, outcome) in parsed.iter().zip(outcomes) {
            match outcome {
                Ok(StoreOutcome::Inserted(_)) => self.counts.inserted += 1,
                Ok(StoreOutcome::Unchanged(_)) => self.counts.unchanged += 1,
                Ok(StoreOutcome::Updated(id)) => {
                    // Stored already: counted as unchanged text, with its new metadata said.
                    self.counts.unchanged += 1;
                    eprintln!(
                        "{}: stored already as article {id}; its metadata (published, source, url) is updated",
                        item.path.as_deref().unwrap_or("<stdin>")
                    );
                }
                Err(err) => self.fail(item.path.as_deref().unwrap_or("<stdin>"), &err),
            }
            if self.show {
                parley::output::write_digest(&item.parsed, &mut *self.out)?;
            }
        }
        Ok(())
    }

    /// Reads a JSON Lines dump line by line, storing it in batches. A line that is not UTF-8, not
    /// JSON or has no text is reported as `FILE:LINE` and skipped.
    fn store_jsonl(&mut self, dump: &Path) -> anyhow::Result<()> {
        let name = if dump.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            dump.display().to_string()
        };
        let reader: Box<dyn BufRead> = if dump.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(io::BufReader::new(
                std::fs::File::open(dump).with_context(|| format!("cannot read {name}"))?,
            ))
        };
        let mut lines = parley::input::jsonl::Lines::new(reader);
        loop {
            let mut items = Vec::with_capacity(BATCH);
            for line in lines.by_ref().take(BATCH) {
                let line = line.with_context(|| format!("cannot read {name}"))?;
                let label = format!("{name}:{}", line.number);
                let item = line
                    .article
                    .map(|article| Incoming::json(article, line.text, Some(label.clone())))
                    .map_err(|e| e.to_string());
                items.push((label, item));
            }
            if items.is_empty() {
                return Ok(());
            }
            self.store(items)?;
        }
    }
}

/// Stores a batch; an empty one (nothing new) does not take the write lock.
fn store_batch(
    archive: &mut Archive,
    batch: &[ImportedArticle],
) -> parley::store::Result<Vec<parley::store::Result<StoreOutcome>>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    archive.store_batch(batch)
}

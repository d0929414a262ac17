//! `parley import`: reads articles and hands them to the library's batch runner
//! ([`parley::pipeline`]), which parses them on every core and stores them with a single writer.
//! Re-importing an article whose normalized text is stored already changes nothing. Files are text
//! or, for `*.html`/`*.htm`, web pages whose main text is extracted; `--jsonl` reads a JSON Lines
//! dump, one article per line, where a bad line is reported with its number and skipped.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use parley::input::files::{self, Encoding, Source};
use parley::input::jsonl;
use parley::input::resolve::Incoming;
use parley::pipeline::{self, ImportError, Input, Observer, Phase};
use parley::store::{Archive, ImportedArticle};

/// Import articles (files, folders of *.txt/*.html, - for standard input, or a JSON Lines dump).
///
/// Re-importing the same text (after normalisation) changes nothing and counts as unchanged. Files
/// that are empty, binary, not UTF-8, larger than 8 MiB or unreadable, and bad lines of a dump, are
/// reported with their path (or line) and reason; the others are still imported, and the exit
/// status is 1. Each article is stored whole or not at all.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley import examples/articles/\n  parley import page.html --source \"Atlantic Ledger\"\n  parley import - --published 2020-11-12 --source PressTV < article.txt\n  parley import --jsonl dump.jsonl --quiet"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// Files, folders (searched recursively for *.txt, *.html, *.htm) or - for standard input.
    #[arg(required_unless_present = "jsonl")]
    paths: Vec<PathBuf>,
    /// A JSON Lines file (one article per line, with "text" or "html"), or - for standard input.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    #[command(flatten)]
    meta: super::MetaArgs,
    /// Print what was extracted from each article (title, meetings, quotes).
    #[arg(long)]
    show: bool,
    /// No progress bar and no summary line (errors are still reported).
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let mut archive = Archive::open(db)?;
    let sources = files::expand(&args.paths);
    let total = files::count(&args.paths);
    let dump = match &args.jsonl {
        Some(path) => Some(open_dump(path)?),
        None => None,
    };
    let progress = super::progress(
        dump.is_none().then_some(total as u64),
        args.quiet,
        "importing",
    );
    let shown = Shown {
        progress: progress.clone(),
        show: args
            .show
            .then(|| Mutex::new(io::BufWriter::new(io::stdout()))),
    };
    if args.meta.published.is_some() && total > 1 {
        // A date given on the command line is the user's correction, so it wins over what each page
        // declares: worth a word when it is about to stamp many articles at once.
        eprintln!("parley: warning: --published stamps all {total} inputs with the same date");
    }
    let files = sources.into_iter().map(|(source, failure)| {
        let read = match failure {
            Some(err) => Err(err.to_string()),
            None => files::read_detailed(&source)
                .map(|decoded| {
                    if decoded.encoding != Encoding::Utf8 {
                        shown.note(&source.label(), "decoded from UTF-16 (stored as UTF-8)");
                    }
                    decoded.text
                })
                .map_err(|e| e.to_string()),
        };
        let article = read.map(|raw| match &source {
            Source::File(path) => Incoming::file(raw, path),
            Source::Stdin => Incoming::sniff(raw, None),
        });
        Ok(Input {
            label: source.label(),
            article,
        })
    });
    let lines = dump.into_iter().flat_map(|(name, reader)| {
        jsonl::Lines::new(reader).map(move |line| {
            let line = line.map_err(|e| ImportError::Read {
                name: name.clone(),
                reason: super::io_cause(&e),
            })?;
            let label = format!("{name}:{}", line.number);
            let article = line
                .article
                .map(|article| Incoming::json(article, line.text, Some(label.clone())))
                .map_err(|e| e.to_string());
            Ok(Input { label, article })
        })
    });
    let counts = pipeline::import(&mut archive, files.chain(lines), &args.meta.into(), &shown)?;
    if let Some(out) = &shown.show {
        out.lock().unwrap_or_else(|e| e.into_inner()).flush()?;
    }
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

/// A JSON Lines dump's name for messages and its reader (`-` is standard input).
fn open_dump(path: &Path) -> anyhow::Result<(String, Box<dyn BufRead>)> {
    if path.as_os_str() == "-" {
        return Ok(("<stdin>".to_string(), Box::new(io::stdin().lock())));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot read {name}: {}", super::io_cause(&e)))?;
    Ok((name, Box::new(io::BufReader::new(file))))
}

/// The progress bar, failure messages and `--show`'s digests.
struct Shown {
    progress: indicatif::ProgressBar,
    show: Option<Mutex<io::BufWriter<io::Stdout>>>,
}

impl Shown {
    /// Something worth knowing about one input that is not a failure.
    fn note(&self, label: &str, what: &str) {
        self.progress
            .suspend(|| eprintln!("parley: note: {label}: {what}"));
    }
}

impl Observer for Shown {
    fn phase(&self, phase: Phase) {
        self.progress.set_message(phase.as_str());
    }

    fn advanced(&self) {
        self.progress.inc(1);
    }

    fn failed(&self, label: &str, reason: &str) {
        self.progress
            .suspend(|| eprintln!("parley: error: {label}: {reason}"));
    }

    fn updated(&self, label: &str, id: i64) {
        self.progress.suspend(|| {
            eprintln!(
                "parley: note: {label}: stored already as article {id}; its new metadata (published, source, url) replaces the old"
            )
        });
    }

    fn stored(&self, article: &ImportedArticle) -> io::Result<()> {
        match &self.show {
            Some(out) => {
                let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
                parley::output::write_digest(&article.parsed, &mut *out)
            }
            None => Ok(()),
        }
    }
}

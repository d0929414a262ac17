//! `parley parse`: parses one article without any database and prints its record.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use parley::input::files::{self, Source};
use parley::input::resolve::Incoming;
use parley::model::ArticleMeta;

/// Parse one article (text, or a saved web page) and print what parley extracts from it (no database involved).
#[derive(clap::Args)]
pub struct Args {
    /// The article file (`*.html`/`*.htm` are web pages), or - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    #[command(flatten)]
    meta: super::MetaArgs,
    /// json: the parse record (the contract score.py reads); digest: a short summary to read.
    #[arg(long, value_enum, default_value = "json")]
    format: ParseFormat,
    /// Print each person, meeting and quote with the rule that produced it and the sentence it came
    /// from, to audit an extraction (instead of --format).
    #[arg(long, conflicts_with = "format")]
    explain: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ParseFormat {
    Json,
    Digest,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let source = if args.file.as_os_str() == "-" {
        Source::Stdin
    } else {
        Source::File(args.file.clone())
    };
    let raw = files::read(&source).with_context(|| source.label())?;
    let meta: ArticleMeta = args.meta.into();
    // A saved page is previewed as import would store it: its main text and what it declares.
    let incoming = match &source {
        Source::File(path) => Incoming::file(raw, path),
        Source::Stdin => Incoming::sniff(raw, None),
    };
    let ready = incoming.resolve(&meta).with_context(|| source.label())?;
    let parsed = ready.parse().parsed;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        _ if args.explain => parley::output::write_explain(&parsed, &mut out)?,
        ParseFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &parsed)?;
            writeln!(out)?;
        }
        ParseFormat::Digest => parley::output::write_digest(&parsed, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

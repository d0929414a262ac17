//! `parley parse`: parses one article without any database and prints its record.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use parley::input::files::{self, Source};
use parley::input::resolve::Incoming;
use parley::model::ArticleMeta;

/// Parse one article (text, or a saved web page) and print what parley extracts from it (no database involved).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley parse examples/article.txt --format digest\n  parley parse page.html | jq .meetings\n  cat article.txt | parley parse - --published 2020-11-12"
)]
pub struct Args {
    /// The article file (`*.html`/`*.htm` are web pages), or - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// The article's publication date (YYYY-MM-DD); relative dates resolve against it.
    #[arg(long, value_parser = super::parse_date)]
    published: Option<NaiveDate>,
    /// The outlet that published it.
    #[arg(long)]
    source: Option<String>,
    /// Where it was published.
    #[arg(long)]
    url: Option<String>,
    /// json: the parse record (the contract score.py reads); digest: a short summary to read.
    #[arg(long, value_enum, default_value = "json")]
    format: ParseFormat,
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
    let meta = ArticleMeta {
        published: args.published,
        source: args.source,
        url: args.url,
        title: None,
    };
    // A saved page is previewed as import would store it: its main text and what it declares.
    let incoming = match &source {
        Source::File(path) => Incoming::file(raw, path),
        Source::Stdin => Incoming::sniff(raw, None),
    };
    let ready = incoming.resolve(&meta).with_context(|| source.label())?;
    let parsed = ready.parse().parsed;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ParseFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &parsed)?;
            writeln!(out)?;
        }
        ParseFormat::Digest => parley::output::write_digest(&parsed, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

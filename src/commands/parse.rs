//! `parley parse`: parses one article without any database and prints its record.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use parley::import::{self, Source};
use parley::model::ArticleMeta;

/// Parse one article and print what parley extracts from it (no database involved).
#[derive(clap::Args)]
pub struct Args {
    /// The article file, or - for standard input.
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
    let text = import::read(&source).with_context(|| source.label())?;
    let meta = ArticleMeta {
        published: args.published,
        source: args.source,
        url: args.url,
        title: None,
    };
    let parsed = parley::parse::parse(&text, &meta);
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

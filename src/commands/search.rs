//! `parley search`: full-text search over article text or quotes, best matches first.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use parley::output::Format;
use parley::read::search::{self, Search, Target};
use parley::store::Archive;

/// Search article text or quotes (ranked, with highlighted snippets).
///
/// Words must all match (stemmed: "meeting" finds "meet"); use "a phrase", prefix*, OR, NOT,
/// NEAR(a b), or title:word. Names with punctuation (Al-Jubeir) are searched as phrases.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley search fisheries --since 2024-01-01\n  parley search '\"trade office\"' --in quotes --speaker Errazabal\n  parley search water OR river -n 5 -f json"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// The words to search for.
    #[arg(required = true, num_args = 1..)]
    terms: Vec<String>,
    /// What to search: article titles and text, or quotes.
    #[arg(long = "in", value_enum, default_value = "articles")]
    target: Target,
    /// Search quotes (the same as --in quotes).
    #[arg(long, conflicts_with = "target")]
    quotes: bool,
    /// How many results at most.
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: usize,
    /// Only quotes by this person, or articles that mention them (any form of the name).
    #[arg(long)]
    speaker: Option<String>,
    /// Only quotes by, or articles mentioning, someone of this country (ISO 3166-1 alpha-3, e.g. IRN).
    #[arg(long)]
    country: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_date)]
    since: Option<NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_date)]
    until: Option<NaiveDate>,
    /// The marks put around matched words in snippets.
    #[arg(long, num_args = 2, value_names = ["OPEN", "CLOSE"], default_values = ["[", "]"])]
    mark: Vec<String>,
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let search = Search {
        terms: args.terms,
        target: if args.quotes {
            Target::Quotes
        } else {
            args.target
        },
        limit: args.limit,
        speaker: args.speaker,
        country: args.country,
        since: args.since,
        until: args.until,
        mark: (args.mark[0].clone(), args.mark[1].clone()),
    };
    let table = search::search(archive.connection(), &search)?;
    super::print_table(&table, args.format)?;
    Ok(ExitCode::SUCCESS)
}

//! `parley stats`: what the archive holds, at a glance.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use parley::output::{Cell, Format, Table};
use parley::read::stats::{self, Count};
use parley::store::Archive;

/// Show counts per table, the range of publication dates, top sources and countries.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  parley stats\n  parley stats --top 3 --format json")]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// How many sources and countries to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// text: sections to read; json: one object for programs.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: StatsFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StatsFormat {
    Text,
    Json,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let stats = stats::collect(archive.connection(), args.top)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &stats)?;
            writeln!(out)?;
        }
        StatsFormat::Text => {
            let range = match (&stats.first_published, &stats.last_published) {
                (Some(first), Some(last)) => format!("published {first} to {last}"),
                _ => "no publication dates".to_string(),
            };
            writeln!(out, "{}: {range}, {} undated", db.display(), stats.undated)?;
            writeln!(
                out,
                "parser version {}: {} article(s) parsed by an older version{}",
                stats.parser_version,
                stats.stale,
                if stats.stale > 0 {
                    " (run `parley reparse --stale`)"
                } else {
                    ""
                }
            )?;
            for (heading, counts) in [
                ("table", &stats.tables),
                ("format", &stats.formats),
                ("source", &stats.top_sources),
                ("country", &stats.top_countries),
            ] {
                if counts.is_empty() {
                    continue;
                }
                writeln!(out)?;
                let unit = match heading {
                    "table" => "rows",
                    "country" => "meetings",
                    _ => "articles",
                };
                section(heading, unit, counts).write(Format::Table, &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn section(heading: &str, unit: &str, counts: &[Count]) -> Table {
    Table {
        columns: vec![heading.to_string(), unit.to_string()],
        rows: counts
            .iter()
            .map(|c| vec![Cell::Text(c.name.clone()), Cell::Integer(c.count)])
            .collect(),
    }
}

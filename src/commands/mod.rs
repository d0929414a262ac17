//! One module per subcommand: each holds its `Args` and a `run` that calls the library.

pub mod check;
pub mod datasette;
pub mod export;
pub mod import;
pub mod migrate;
pub mod parse;
pub mod query;
pub mod reparse;
pub mod report;
pub mod search;
pub mod stats;

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;
use parley::output::{Format, Table};

/// Reads `YYYY-MM-DD` for `--published`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date of the form YYYY-MM-DD"))
}

/// Writes a table to stdout in the format asked for, or the default for where stdout goes.
pub fn print_table(table: &Table, format: Option<Format>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let format = format.unwrap_or_else(|| Format::default_for(stdout.is_terminal()));
    let mut out = io::BufWriter::new(stdout.lock());
    table.write(format, &mut out)?;
    out.flush()?;
    Ok(())
}

/// `-p NAME VALUE` pairs as clap collects them (a flat list).
pub fn pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0].clone(), c[1].clone())).collect()
}

//! One module per subcommand: each holds its `Args` and a `run` that calls the library.

pub mod check;
pub mod completions;
pub mod datasette;
pub mod export;
pub mod graph;
pub mod import;
pub mod migrate;
pub mod parse;
pub mod people;
pub mod query;
pub mod reparse;
pub mod report;
pub mod search;
pub mod stats;

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;
use parley::output::{Format, Table};

/// `--db`, on the commands that open an archive (`parse` and `completions` never do, so they do not
/// offer it). Global within its command, so `parley people list --db x.db` works as well.
#[derive(clap::Args)]
pub struct Db {
    /// The archive file [default: $PARLEY_DB, else parley.db].
    #[arg(id = "archive", long = "db", global = true, value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

impl Db {
    /// The archive: `--db` after the command, else `--db` before it (`parley --db x.db query`, the
    /// older spelling, still accepted), else `PARLEY_DB`, else `parley.db`.
    pub fn path(&self, before_command: Option<&std::path::Path>) -> std::path::PathBuf {
        self.file
            .clone()
            .or_else(|| before_command.map(std::path::Path::to_path_buf))
            .or_else(|| {
                std::env::var_os("PARLEY_DB")
                    .filter(|v| !v.is_empty())
                    .map(std::path::PathBuf::from)
            })
            .unwrap_or_else(|| "parley.db".into())
    }
}

/// Reads `YYYY-MM-DD` for `--published`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date of the form YYYY-MM-DD"))
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

/// A progress bar on stderr for `len` items (`None`: a running count), drawn only when stderr is a
/// terminal and `quiet` is not set, and without colour when `NO_COLOR` is set (no-color.org).
pub fn progress(len: Option<u64>, quiet: bool, what: &str) -> indicatif::ProgressBar {
    if !show_progress(quiet, io::stderr().is_terminal()) {
        return indicatif::ProgressBar::hidden();
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let template = match (len.is_some(), color) {
        (true, true) => {
            "{spinner:.green} {msg} [{bar:32.cyan/blue}] {pos}/{len} ({per_sec}, {eta} left)"
        }
        (true, false) => "{spinner} {msg} [{bar:32}] {pos}/{len} ({per_sec}, {eta} left)",
        (false, true) => "{spinner:.green} {msg} {pos} ({per_sec})",
        (false, false) => "{spinner} {msg} {pos} ({per_sec})",
    };
    let bar = len.map_or_else(
        indicatif::ProgressBar::no_length,
        indicatif::ProgressBar::new,
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Progress is for a person watching: never in a pipe or a log file, never when asked to be quiet.
fn show_progress(quiet: bool, stderr_is_terminal: bool) -> bool {
    stderr_is_terminal && !quiet
}

/// `-p NAME VALUE` pairs as clap collects them (a flat list).
pub fn pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

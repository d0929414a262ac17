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
use parley::model::ArticleMeta;
use parley::output::{Format, Stream, Table};

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

/// What the command line says about the article(s) given, declared once for `import` and `parse`.
#[derive(clap::Args)]
pub struct MetaArgs {
    /// Publication date of the article(s) (YYYY-MM-DD); relative dates resolve against it.
    #[arg(long, value_parser = parse_date)]
    pub published: Option<NaiveDate>,
    /// The outlet that published the article(s).
    #[arg(long)]
    source: Option<String>,
    /// The article's address.
    #[arg(long)]
    url: Option<String>,
}

impl From<MetaArgs> for ArticleMeta {
    fn from(args: MetaArgs) -> ArticleMeta {
        ArticleMeta {
            published: args.published,
            source: args.source,
            url: args.url,
            title: None,
        }
    }
}

/// An I/O error's cause in words ("no such file or folder"), without the "(os error 2)" of its
/// `Display`.
pub fn io_cause(err: &io::Error) -> String {
    parley::input::files::io_cause(err)
}

/// Writes a table to stdout in the format asked for, or the default for where stdout goes.
pub fn print_table(table: &Table, format: Option<Format>) -> anyhow::Result<()> {
    let mut rows = stdout_rows(format);
    table.write_to(&mut rows)?;
    Ok(())
}

/// Rows written to stdout as they come, in the format asked for or the default for where stdout
/// goes: give it to a reader that streams ([`parley::read::query::stream`]).
pub fn stdout_rows(format: Option<Format>) -> Stream<io::Stdout> {
    let stdout = io::stdout();
    let format = format.unwrap_or_else(|| Format::default_for(stdout.is_terminal()));
    Stream::new(format, stdout)
}

/// Writes `text` to stdout (for outputs that are one piece, not rows).
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// A progress bar on stderr for `len` items (`None`: a running count), drawn only when stderr is a
/// terminal and `quiet` is not set, and without colour when `NO_COLOR` is set (no-color.org). It
/// reads "importing: parsing [===   ] 120/5280 (318/s, 15s left)": set the phase as its message.
pub fn progress(len: Option<u64>, quiet: bool, what: &str) -> indicatif::ProgressBar {
    if !show_progress(quiet, io::stderr().is_terminal()) {
        return indicatif::ProgressBar::hidden();
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let template = match (len.is_some(), color) {
        (true, true) => {
            "{spinner:.green} {prefix}: {msg:9} [{bar:32.cyan/blue}] {pos}/{len} ({rate}, {eta} left)"
        }
        (true, false) => "{spinner} {prefix}: {msg:9} [{bar:32}] {pos}/{len} ({rate}, {eta} left)",
        (false, true) => "{spinner:.green} {prefix}: {msg:9} {pos} ({rate})",
        (false, false) => "{spinner} {prefix}: {msg:9} {pos} ({rate})",
    };
    let bar =
        indicatif::ProgressBar::with_draw_target(len, indicatif::ProgressDrawTarget::hidden());
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> ").with_key("rate", rate));
    }
    // The command ("importing") as the prefix, the phase ("parsing") as the message; both set
    // before the bar is drawn, so that its first frame has them.
    bar.set_prefix(what.to_string());
    bar.set_message("reading");
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Articles a second, rounded: "318/s", not indicatif's "318.0087/s".
fn rate(state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write) {
    let _ = write!(out, "{}/s", rounded_rate(state.per_sec()));
}

fn rounded_rate(per_sec: f64) -> String {
    if per_sec.is_finite() && per_sec >= 0.0 {
        format!("{per_sec:.0}")
    } else {
        "0".to_string()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_whole_articles_a_second() {
        assert_eq!(rounded_rate(318.0087), "318");
        assert_eq!(rounded_rate(0.4), "0");
        assert_eq!(rounded_rate(f64::NAN), "0");
    }
}

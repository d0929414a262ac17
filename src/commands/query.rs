//! `parley query`: runs one read-only SQL statement over the archive.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use parley::output::Format;
use parley::store::Archive;

/// Run a read-only SQL query over the archive (tables and views; see the README).
///
/// Named parameters: -p NAME VALUE binds :NAME (values that read as numbers are bound as numbers).
/// Statements that would write are refused. A query that reads for longer than --timeout is stopped
/// with an error (exit status 1).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley query \"SELECT * FROM person_pairs ORDER BY meetings DESC LIMIT 10\"\n  parley query \"SELECT * FROM meeting_attendance WHERE place = :p\" -p p Oslo -f csv\n  parley query - < question.sql | jq ."
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// The SQL, or - to read it from standard input.
    sql: String,
    /// A named parameter: -p name value binds :name.
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    params: Vec<String>,
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    timeout: Timeout,
}

/// `--timeout`, for `query` and `report run`.
#[derive(clap::Args)]
pub struct Timeout {
    /// Stop the query once it has read for this long (500ms, 30s, 10m, 2h; 0 for no limit). The
    /// default ends it before an import waiting for it (up to 10 minutes) would give up.
    #[arg(long = "timeout", value_name = "DURATION", default_value = parley::read::query::DEFAULT_TIMEOUT, value_parser = read_timeout)]
    limit: Limit,
}

/// A time limit, or none (`--timeout 0`).
#[derive(Clone, Copy)]
struct Limit(Option<Duration>);

fn read_timeout(text: &str) -> Result<Limit, String> {
    parley::read::query::parse_timeout(text).map(Limit)
}

impl Timeout {
    pub fn limit(&self) -> Option<Duration> {
        self.limit.0
    }
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let sql = if args.sql == "-" {
        let mut sql = String::new();
        std::io::stdin()
            .read_to_string(&mut sql)
            .context("cannot read SQL from standard input")?;
        sql
    } else {
        args.sql
    };
    let archive = Archive::open_read_only(db)?;
    let conn = archive.connection();
    let mut rows = super::stdout_rows(args.format);
    let params = super::pairs(&args.params);
    parley::read::query::within(conn, args.timeout.limit(), || {
        parley::read::query::stream(conn, &sql, &params, &mut rows)
    })?;
    Ok(ExitCode::SUCCESS)
}

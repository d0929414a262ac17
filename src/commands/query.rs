//! `parley query`: runs one read-only SQL statement over the archive.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use parley::output::Format;
use parley::store::Archive;

/// Run a read-only SQL query over the archive (tables and views; see the README).
#[derive(clap::Args)]
pub struct Args {
    /// The SQL, or - to read it from standard input.
    sql: String,
    /// A named parameter: -p name value binds :name.
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    params: Vec<String>,
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
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
    let mut rows = super::stdout_rows(args.format);
    parley::read::query::stream(
        archive.connection(),
        &sql,
        &super::pairs(&args.params),
        &mut rows,
    )?;
    Ok(ExitCode::SUCCESS)
}

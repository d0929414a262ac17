//! The `parley` binary: parses the command line and dispatches to one file per subcommand in
//! `commands/`. Errors are printed once, here, with their context, and give a non-zero exit.

mod commands;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "parley",
    version,
    about = "Turn news articles about diplomacy into a queryable SQLite archive"
)]
struct Cli {
    /// `--db` before the command, as parley once had it: still accepted, no longer shown (each
    /// command that opens an archive offers its own `--db`).
    #[arg(long = "db", hide = true, value_name = "FILE")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Import(commands::import::Args),
    Parse(commands::parse::Args),
    Query(commands::query::Args),
    Report(commands::report::Args),
    Migrate(commands::migrate::Args),
    Reparse(commands::reparse::Args),
    Search(commands::search::Args),
    Stats(commands::stats::Args),
    Export(commands::export::Args),
    Graph(commands::graph::Args),
    Datasette(commands::datasette::Args),
    Completions(commands::completions::Args),
    People(commands::people::Args),
    Check(commands::check::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let before = cli.db.as_deref();
    let result = match cli.command {
        Command::Import(args) => commands::import::run(&args.db.path(before), args),
        Command::Parse(args) => commands::parse::run(args),
        Command::Query(args) => commands::query::run(&args.db.path(before), args),
        Command::Report(args) => commands::report::run(&args.db.path(before), args),
        Command::Migrate(args) => commands::migrate::run(&args.db.path(before), args),
        Command::Reparse(args) => commands::reparse::run(&args.db.path(before), args),
        Command::Search(args) => commands::search::run(&args.db.path(before), args),
        Command::Stats(args) => commands::stats::run(&args.db.path(before), args),
        Command::Export(args) => commands::export::run(&args.db.path(before), args),
        Command::Graph(args) => commands::graph::run(&args.db.path(before), args),
        Command::Datasette(args) => commands::datasette::run(&args.db.path(before), args),
        Command::Completions(args) => commands::completions::run(args, Cli::command()),
        Command::People(args) => commands::people::run(&args.db.path(before), args),
        Command::Check(args) => commands::check::run(&args.db.path(before), args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("parley: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `parley query ... | head` closes the pipe early: that is not an error worth a message.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

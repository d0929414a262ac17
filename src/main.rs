//! The `parley` binary: parses the command line and dispatches to one file per subcommand in
//! `commands/`. Errors are printed once, here, on one line with their context (`parley: error: ...`),
//! and give exit status 1 (2 for a command line that does not parse); a closed output pipe ends the
//! command quietly with status 0.

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
    /// The archive file.
    #[arg(long, global = true, env = "PARLEY_DB", default_value = "parley.db")]
    db: PathBuf,

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
    Datasette(commands::datasette::Args),
    Completions(commands::completions::Args),
    People(commands::people::Args),
    Check(commands::check::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let result = match cli.command {
        Command::Import(args) => commands::import::run(&cli.db, args),
        Command::Parse(args) => commands::parse::run(args),
        Command::Query(args) => commands::query::run(&cli.db, args),
        Command::Report(args) => commands::report::run(&cli.db, args),
        Command::Migrate(args) => commands::migrate::run(&cli.db, args),
        Command::Reparse(args) => commands::reparse::run(&cli.db, args),
        Command::Search(args) => commands::search::run(&cli.db, args),
        Command::Stats(args) => commands::stats::run(&cli.db, args),
        Command::Export(args) => commands::export::run(&cli.db, args),
        Command::Datasette(args) => commands::datasette::run(&cli.db, args),
        Command::Completions(args) => commands::completions::run(args, &mut Cli::command()),
        Command::People(args) => commands::people::run(&cli.db, args),
        Command::Check(args) => commands::check::run(&cli.db, args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("parley: error: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// A command line clap refuses, as one line with parley's prefix (exit status 2); help and the
/// version are printed as clap has them.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return match err.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    // `parley` alone, or `parley report` without an action: the help is the answer.
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = err.print();
        return ExitCode::from(2);
    }
    // clap renders a message (over one or more lines), tips, a usage section and a pointer to
    // --help: keep the message and the tips, on one line, and point at the help of the command given.
    let rendered = err.render().to_string();
    let mut message = String::new();
    for line in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        let (separator, text) = match line.strip_prefix("tip:") {
            Some(tip) => ("; ", tip.trim()),
            None => (" ", line.strip_prefix("error:").unwrap_or(line).trim()),
        };
        if !message.is_empty() && !message.ends_with(' ') {
            message.push_str(separator);
        }
        message.push_str(text);
    }
    let command = Cli::command();
    let subcommand = std::env::args()
        .skip(1)
        .find(|arg| command.get_subcommands().any(|s| s.get_name() == arg));
    let help = match subcommand {
        Some(name) => format!("parley {name} --help"),
        None => "parley --help".to_string(),
    };
    eprintln!("parley: error: {message} (see `{help}`)");
    ExitCode::from(2)
}

/// The error and its causes on one line, each said once: rusqlite repeats SQLite's message in its
/// source, and SQLite's "Error code 1: SQL logic error" adds nothing to the message above it; an
/// I/O error is said in words ("no such file or folder"), without its "(os error 2)".
fn one_line(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        if cause.downcast_ref::<rusqlite::ffi::Error>().is_some() && !message.is_empty() {
            continue;
        }
        let text = match cause.downcast_ref::<io::Error>() {
            Some(io) => parley::input::files::io_cause(io),
            None => cause.to_string(),
        };
        if text.is_empty() || message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message.replace(['\n', '\r'], " ")
}

/// `parley query ... | head` closes the pipe early: that is not an error worth a message. The write
/// that failed may be wrapped in another error (JSON, CSV, the library's own).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |kind: Option<io::ErrorKind>| kind == Some(io::ErrorKind::BrokenPipe);
    err.chain().any(|cause| {
        broken(cause.downcast_ref::<io::Error>().map(io::Error::kind))
            || broken(
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind),
            )
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe))
    })
}

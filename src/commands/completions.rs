//! `parley completions`: prints a shell completion script generated from the command line's own
//! definition, so it never falls out of date.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser};

/// Print a completion script for a shell, e.g. `parley completions bash > ~/.local/share/bash-completion/completions/parley`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley completions bash > ~/.local/share/bash-completion/completions/parley\n  parley completions zsh > ~/.zfunc/_parley\n  parley completions fish > ~/.config/fish/completions/parley.fish"
)]
pub struct Args {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: Args, cli: clap::Command) -> anyhow::Result<ExitCode> {
    let mut cli = with_report_names(cli);
    // Generated into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "parley", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The command line with the report names (the shipped ones, and those of `PARLEY_REPORTS` if set)
/// as the values of `report run NAME` and `report show NAME`, so that the script completes them.
/// Only the script sees this list: parsing still takes any name, since user reports come and go.
fn with_report_names(cli: clap::Command) -> clap::Command {
    let dir = std::env::var_os("PARLEY_REPORTS").map(std::path::PathBuf::from);
    let Ok(catalogue) = parley::read::report::Catalogue::load(dir.as_deref()) else {
        return cli;
    };
    let names: Vec<PossibleValue> = catalogue
        .reports
        .into_iter()
        .map(|r| PossibleValue::new(r.name).help(r.title))
        .collect();
    let named = |cmd: clap::Command| {
        cmd.mut_arg("name", |arg| {
            arg.value_parser(PossibleValuesParser::new(names.clone()))
        })
    };
    cli.mut_subcommand("report", |report| {
        report
            .mut_subcommand("run", named)
            .mut_subcommand("show", named)
    })
}

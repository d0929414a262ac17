//! `parley completions`: prints a shell completion script generated from the command line's own
//! definition, so it never falls out of date.

use std::io::{self, Write};
use std::process::ExitCode;

/// Print a completion script for a shell, e.g. `parley completions bash > ~/.local/share/bash-completion/completions/parley`.
#[derive(clap::Args)]
pub struct Args {
    /// bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: Args, cli: &mut clap::Command) -> anyhow::Result<ExitCode> {
    // Generated into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, cli, "parley", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

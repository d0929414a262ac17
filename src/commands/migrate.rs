//! `parley migrate`: applies pending schema migrations, or lists them.

use std::path::Path;
use std::process::ExitCode;

use parley::store::Archive;

/// Apply pending schema migrations (commands that write do this themselves), or list them.
#[derive(clap::Args)]
pub struct Args {
    /// List applied and pending migrations without changing anything.
    #[arg(long)]
    list: bool,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    if !args.list {
        Archive::open(db)?;
        eprintln!(
            "{}: schema at version {}",
            db.display(),
            parley::store::latest_version()
        );
    }
    let mut out = String::new();
    for state in Archive::migration_states(db)? {
        let status = state
            .applied_on
            .map_or_else(|| "pending".to_string(), |on| format!("applied {on}"));
        out.push_str(&format!("V{}__{}  {status}\n", state.version, state.name));
    }
    super::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

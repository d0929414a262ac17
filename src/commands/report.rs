//! `parley report`: lists, shows and runs saved SQL reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parley::output::{Cell, Format, Table};
use parley::read::report;
use parley::store::Archive;

/// Saved reports: named SQL queries with parameters.
#[derive(clap::Args)]
pub struct Args {
    /// A folder of your own reports (*.sql), besides the shipped ones.
    #[arg(long, global = true, env = "PARLEY_REPORTS")]
    reports: Option<PathBuf>,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List the reports with their parameters.
    List {
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// Print a report's SQL.
    Show { name: String },
    /// Run a report.
    Run {
        name: String,
        /// A parameter: -p name value.
        #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
        params: Vec<String>,
        /// Output format [default: table on a terminal, json otherwise].
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.reports.as_deref();
    match args.action {
        Action::List { format } => {
            let reports = report::catalogue(dir)?;
            let table = Table {
                columns: vec![
                    "name".into(),
                    "title".into(),
                    "parameters".into(),
                    "description".into(),
                ],
                rows: reports
                    .iter()
                    .map(|r| {
                        let params = r
                            .params
                            .iter()
                            .map(|p| match &p.default {
                                Some(d) => format!("{}={d}", p.name),
                                None => p.name.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ");
                        vec![
                            Cell::Text(r.name.clone()),
                            Cell::Text(r.title.clone()),
                            Cell::Text(params),
                            Cell::Text(r.description.clone()),
                        ]
                    })
                    .collect(),
            };
            super::print_table(&table, format)?;
        }
        Action::Show { name } => {
            super::print(&report::find(dir, &name)?.sql)?;
        }
        Action::Run {
            name,
            params,
            format,
        } => {
            let report = report::find(dir, &name)?;
            let archive = Archive::open_read_only(db)?;
            let mut rows = super::stdout_rows(format);
            report.stream(archive.connection(), &super::pairs(&params), &mut rows)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `parley report`: lists, shows and runs saved SQL reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use parley::output::{Cell, Format, Table};
use parley::read::report;
use parley::store::Archive;

/// Saved reports: named SQL queries with parameters.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley report list\n  parley report run person-meetings -p name Lindqvist\n  parley report run most-quoted -p limit 5 -f csv\n  parley report --reports my-reports/ run my-report"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
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
        /// Output format [default: table on a terminal, json otherwise].
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// Print a report's SQL.
    Show {
        /// The report's name (see `parley report list`).
        name: String,
    },
    /// Run a report with its parameters (-p NAME VALUE); `report list` shows what each takes.
    #[command(
        after_help = "Examples:\n  parley report run person-meetings -p name Lindqvist\n  parley report run country-pair-monthly -p a NOR -p b CAN -f csv"
    )]
    Run {
        /// The report's name (see `parley report list`); without it, the reports are listed.
        name: Option<String>,
        /// A parameter: -p name value.
        #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
        params: Vec<String>,
        /// Output format [default: table on a terminal, json otherwise].
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
        #[command(flatten)]
        timeout: super::query::Timeout,
    },
}

/// The shipped reports and the user's, each notice about the user's folder told on stderr.
pub fn load_catalogue(dir: Option<&Path>) -> anyhow::Result<report::Catalogue> {
    let catalogue = report::Catalogue::load(dir)?;
    for notice in &catalogue.notices {
        eprintln!("parley: warning: {notice}");
    }
    Ok(catalogue)
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let catalogue = load_catalogue(args.reports.as_deref())?;
    match args.action {
        Action::List { format } => {
            let reports = &catalogue.reports;
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
            super::print(&catalogue.find(&name)?.sql)?;
        }
        Action::Run {
            name,
            params,
            format,
            timeout,
        } => {
            let Some(name) = name else {
                eprintln!("parley: error: report run needs a report name; the reports are:");
                for report in &catalogue.reports {
                    eprintln!("  {:<24} {}", report.name, report.title);
                }
                return Ok(ExitCode::from(2));
            };
            let report = catalogue.find(&name)?;
            let archive = Archive::open_read_only(db)?;
            let mut rows = super::stdout_rows(format);
            report.stream(
                archive.connection(),
                &super::pairs(&params),
                &mut rows,
                timeout.limit(),
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

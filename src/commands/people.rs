//! `parley people`: who is who across the archive, and the analyst's corrections (stored as rules
//! that every later import and reparse applies).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use parley::output::{Cell, Format, Table};
use parley::store::{Archive, Registry};

/// People across the archive: list them, correct who is who, share the registry.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley people list --format csv\n  parley people list --ambiguous\n  parley people merge \"J. Kerry\" \"John Kerry\"\n  parley people split Lindqvist --article 12\n  parley people export > people.json && parley people import people.json --db other.db"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List people (from the `people` view), or with --ambiguous the mentions kept apart.
    List {
        /// Mentions that could be several known people, kept apart until you decide.
        #[arg(long)]
        ambiguous: bool,
        /// Output format [default: table on a terminal, json otherwise].
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// Pairs of people who may be one, with the reason and the `merge` command to run.
    Suspects {
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// FROM and INTO are one person: every name FROM was written as now means INTO.
    /// People are named by any form of their name, or by #ID where names are shared.
    Merge {
        /// The person whose names move (any form of the name, or #ID).
        from: String,
        /// The person they now belong to (any form of the name, or #ID).
        into: String,
    },
    /// Give a person another name.
    Rename {
        /// The person (any form of the name, or #ID).
        name: String,
        /// The name to show from now on.
        new_name: String,
    },
    /// The person written as NAME in article ARTICLE is someone else.
    Split {
        /// The name as written in the article.
        name: String,
        /// The article's id (the `article_id` of the views, or `parley people list --ambiguous`).
        #[arg(long, value_name = "ID")]
        article: i64,
    },
    /// Record the country (ISO 3166-1 alpha-3) a person represents.
    SetCountry {
        /// The person (any form of the name, or #ID).
        name: String,
        /// ISO 3166-1 alpha-3, e.g. NOR.
        country: String,
    },
    /// Record the office a person holds.
    SetTitle {
        /// The person (any form of the name, or #ID).
        name: String,
        /// The office, e.g. "Foreign Minister".
        title: String,
    },
    /// Write the person registry (people, their name forms, the rules) as JSON.
    Export,
    /// Take a registry written by `people export` (a file, or - for stdin).
    Import {
        /// The registry file, or - for standard input.
        file: PathBuf,
    },
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::List {
            ambiguous: false,
            format,
        } => {
            let archive = Archive::open_read_only(db)?;
            let mut rows = super::stdout_rows(format);
            parley::read::query::stream(
                archive.connection(),
                parley::store::PEOPLE_LIST,
                &[],
                &mut rows,
            )?;
        }
        Action::List {
            ambiguous: true,
            format,
        } => {
            let archive = Archive::open_read_only(db)?;
            let mentions = archive.ambiguous_mentions()?;
            let table = Table {
                columns: ["article_id", "written_as", "country", "could_be"]
                    .map(String::from)
                    .to_vec(),
                rows: mentions
                    .into_iter()
                    .map(|m| {
                        vec![
                            Cell::Integer(m.article_id),
                            Cell::Text(m.written_as),
                            m.country.map_or(Cell::Null, Cell::Text),
                            Cell::Text(m.could_be),
                        ]
                    })
                    .collect(),
            };
            super::print_table(&table, format)?;
        }
        Action::Suspects { format } => {
            let suspects = Archive::open_read_only(db)?.suspects()?;
            let table = Table {
                columns: ["from_id", "from", "into_id", "into", "reason", "command"]
                    .map(String::from)
                    .to_vec(),
                rows: suspects
                    .into_iter()
                    .map(|s| {
                        vec![
                            Cell::Integer(s.from_id),
                            Cell::Text(s.from_name),
                            Cell::Integer(s.into_id),
                            Cell::Text(s.into_name),
                            Cell::Text(s.reason),
                            Cell::Text(s.command),
                        ]
                    })
                    .collect(),
            };
            super::print_table(&table, format)?;
        }
        Action::Merge { from, into } => {
            let name = Archive::open(db)?.merge_people(&from, &into)?;
            eprintln!("{from} is now {name}");
        }
        Action::Rename { name, new_name } => {
            Archive::open(db)?.rename_person(&name, &new_name)?;
            eprintln!("{name} is now {new_name}");
        }
        Action::Split { name, article } => {
            let id = Archive::open(db)?.split_person(&name, article)?;
            eprintln!("{name} in article {article} is now person #{id}");
        }
        Action::SetCountry { name, country } => {
            if country.len() != 3 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
                anyhow::bail!(
                    "{country:?} is not an ISO 3166-1 alpha-3 code (such as USA, IRN, GBR)"
                );
            }
            let person = Archive::open(db)?.set_person_attribute(&name, "set-country", &country)?;
            eprintln!("{person}: country {}", country.to_uppercase());
        }
        Action::SetTitle { name, title } => {
            let person = Archive::open(db)?.set_person_attribute(&name, "set-title", &title)?;
            eprintln!("{person}: title {title}");
        }
        Action::Export => {
            let registry = Archive::open_read_only(db)?.export_registry()?;
            let mut text = serde_json::to_string_pretty(&registry)?;
            text.push('\n');
            super::print(&text)?;
        }
        Action::Import { file } => {
            let mut text = String::new();
            if file.as_os_str() == "-" {
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("cannot read the registry from standard input")?;
            } else {
                text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
            }
            let registry: Registry = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a parley person registry", file.display()))?;
            let added = Archive::open(db)?.import_registry(&registry)?;
            eprintln!(
                "{added} rules added; run `parley reparse` to apply them to the articles already stored"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

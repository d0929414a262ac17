//! `parley graph`: writes the meeting network (who met whom) as GraphML or DOT.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use parley::read::graph::{self, Filter};
use parley::store::Archive;

/// Write the meeting network (who met whom) as GraphML or DOT.
///
/// People are nodes (name, country, office); each pair of people who took part in the same held
/// meeting is an edge weighted by how many meetings they shared, with the first and last day.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  parley graph > meetings.graphml\n  parley graph --format dot | dot -Tsvg -o graph.svg\n  parley graph --person Lindqvist --depth 2 --since 2024-01-01 -f dot\n  parley graph --country NOR --country CHL"
)]
pub struct Args {
    #[command(flatten)]
    pub db: super::Db,
    /// graphml (Gephi, networkx, Cytoscape) or dot (Graphviz).
    #[arg(long, short = 'f', value_enum, default_value = "graphml")]
    format: GraphFormat,
    /// Only meetings on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_date)]
    since: Option<NaiveDate>,
    /// Only meetings on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_date)]
    until: Option<NaiveDate>,
    /// Only meetings where someone of this country took part (ISO 3166-1 alpha-3, e.g. NOR);
    /// repeat for several.
    #[arg(long, value_name = "ISO3")]
    country: Vec<String>,
    /// Only the people around this person (any form of the name, or #ID); repeat for several.
    #[arg(long, value_name = "NAME")]
    person: Vec<String>,
    /// With --person: how many meetings away to go (1: whom they met; 2: also whom those met).
    #[arg(long, default_value_t = 1, requires = "person")]
    depth: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum GraphFormat {
    /// GraphML, for Gephi, networkx, Cytoscape and yEd.
    Graphml,
    /// DOT, for Graphviz: `parley graph -f dot | dot -Tsvg -o graph.svg`.
    Dot,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let people = args
        .person
        .iter()
        .map(|name| archive.find_person(name).map(|(id, _)| id))
        .collect::<Result<Vec<_>, _>>()?;
    let filter = Filter {
        since: args.since.map(|d| d.to_string()),
        until: args.until.map(|d| d.to_string()),
        countries: args.country,
        people,
        depth: args.depth,
    };
    let network = graph::read(archive.connection(), &filter)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        GraphFormat::Graphml => network.write_graphml(&mut out)?,
        GraphFormat::Dot => network.write_dot(&mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

//! `parley export`: writes the archive out, as parse records (JSON Lines) or as flat CSV tables.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use parley::output::{Format, Stream};
use parley::read::export::{self, Records};
use parley::store::Archive;

/// Write the archive to standard output: one parse record per article (jsonl), or a view as CSV.
///
/// The JSON Lines are the shape `parley parse --format json` prints, one per line, so an archive can
/// be rebuilt elsewhere (`parley export | parley import --jsonl -`) or fed to other tools.
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, short = 'f', value_enum, default_value = "jsonl")]
    format: ExportFormat,
    /// For csv: which records, one row each.
    #[arg(long, value_enum, default_value = "meetings")]
    records: Records,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// One parse record per article, one per line.
    Jsonl,
    /// The chosen --records as CSV with a header line.
    Csv,
}

pub fn run(db: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_read_only(db)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ExportFormat::Jsonl => {
            export::for_each_record(archive.connection(), |record| {
                serde_json::to_writer(&mut out, &record).map_err(io::Error::from)?;
                writeln!(out)?;
                Ok(())
            })?;
        }
        ExportFormat::Csv => export::stream_table(
            archive.connection(),
            args.records,
            &mut Stream::new(Format::Csv, &mut out),
        )?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

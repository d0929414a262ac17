//! Output: the only place that formats results. A [`Table`] (from `query` or `report`) is written as
//! an aligned text table, CSV, TSV, a JSON array of objects or JSON Lines.

use std::io::{self, Write};

use serde_json::{Map, Value};

/// One cell of a result, as SQLite typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Integer(n) => Value::from(*n),
            Cell::Real(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Cell::Text(s) => Value::from(s.as_str()),
            Cell::Blob(bytes) => Value::from(hex(bytes)),
        }
    }

    fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(n) => n.to_string(),
            Cell::Real(x) => x.to_string(),
            Cell::Text(s) => s.clone(),
            Cell::Blob(bytes) => hex(bytes),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The rows of a query, with their column names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    Table,
    /// Comma-separated values with a header line (RFC 4180).
    Csv,
    /// Tab-separated values with a header line.
    Tsv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The default when no format is asked for: a table for a person at a terminal, JSON for a program.
    pub fn default_for(stdout_is_terminal: bool) -> Format {
        if stdout_is_terminal {
            Format::Table
        } else {
            Format::Json
        }
    }
}

/// Longest cell shown in full in table output; longer text is cut with an ellipsis.
const TABLE_CELL_WIDTH: usize = 60;

impl Table {
    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => self.write_table(out),
            Format::Csv => self.write_delimited(b',', out),
            Format::Tsv => self.write_delimited(b'\t', out),
            Format::Json => self.write_json(out),
            Format::Jsonl => self.write_jsonl(out),
        }
    }

    fn object(&self, row: &[Cell]) -> Value {
        let mut object = Map::with_capacity(self.columns.len());
        for (column, cell) in self.columns.iter().zip(row) {
            object.insert(column.clone(), cell.to_json());
        }
        Value::Object(object)
    }

    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows: Vec<Value> = self.rows.iter().map(|row| self.object(row)).collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)
    }

    fn write_jsonl(&self, out: &mut dyn Write) -> io::Result<()> {
        for row in &self.rows {
            serde_json::to_writer(&mut *out, &self.object(row))?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn write_delimited(&self, delimiter: u8, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out);
        writer.write_record(&self.columns)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(Cell::to_text))?;
        }
        writer.flush()
    }

    fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let shown: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| fit(&cell.to_text(), TABLE_CELL_WIDTH))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &shown {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut dyn Write| -> io::Result<()> {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
                .collect();
            writeln!(out, "{}", padded.join("  ").trim_end())
        };
        line(&self.columns, out)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, out)?;
        for row in &shown {
            line(row, out)?;
        }
        Ok(())
    }
}

/// One line of at most `width` characters: newlines folded to spaces, the rest cut with an ellipsis.
fn fit(text: &str, width: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= width {
        flat
    } else {
        let mut cut: String = flat.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

/// A short human-readable account of one parsed article: its title, meetings and quotes.
pub fn write_digest(parsed: &crate::model::Parsed, out: &mut dyn Write) -> io::Result<()> {
    let article = &parsed.article;
    writeln!(out, "{}", article.title.as_deref().unwrap_or("(untitled)"))?;
    if let Some(published) = article.published {
        writeln!(out, "  published {published}")?;
    }
    for person in &parsed.participants {
        let office = match (&person.title, &person.country) {
            (Some(title), Some(country)) => format!(", {title} ({country})"),
            (Some(title), None) => format!(", {title}"),
            (None, Some(country)) => format!(" ({country})"),
            (None, None) => String::new(),
        };
        writeln!(out, "  person: {}{office}", person.name)?;
    }
    let held = parsed
        .meetings
        .iter()
        .filter(|m| m.status == crate::model::MeetingStatus::Held);
    for meeting in held {
        let place = meeting
            .place
            .as_deref()
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();
        let date = meeting.date.map(|d| format!(" on {d}")).unwrap_or_default();
        let mode = match meeting.mode {
            crate::model::MeetingMode::InPerson => "met",
            crate::model::MeetingMode::Phone => "spoke by phone",
            crate::model::MeetingMode::Video => "spoke by video",
        };
        writeln!(
            out,
            "  meeting: {} {mode}{place}{date}",
            meeting.participants.join(" and ")
        )?;
    }
    for quote in parsed
        .quotes
        .iter()
        .filter(|q| q.kind == crate::model::QuoteKind::Direct)
    {
        let speaker = quote.speaker.as_deref().unwrap_or("(unnamed)");
        writeln!(
            out,
            "  quote: {speaker}: \u{201c}{}\u{201d}",
            fit(&quote.text, 100)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            columns: vec!["name".into(), "meetings".into(), "note".into()],
            rows: vec![
                vec![
                    Cell::Text("Ann, \"A\"".into()),
                    Cell::Integer(3),
                    Cell::Null,
                ],
                vec![
                    Cell::Text("Bo".into()),
                    Cell::Real(1.5),
                    Cell::Text("x".repeat(100)),
                ],
            ],
        }
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        sample().write(format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_cells_that_need_it() {
        assert_eq!(
            render(Format::Csv).lines().nth(1).unwrap(),
            "\"Ann, \"\"A\"\"\",3,"
        );
    }

    #[test]
    fn json_lines_keep_sqlite_types() {
        let first: Value =
            serde_json::from_str(render(Format::Jsonl).lines().next().unwrap()).unwrap();
        assert_eq!(
            first,
            serde_json::json!({"name": "Ann, \"A\"", "meetings": 3, "note": null})
        );
    }

    #[test]
    fn tables_align_columns_and_cut_long_cells() {
        let text = render(Format::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("name      meetings  note"),
            "{}",
            lines[0]
        );
        assert!(lines[3].ends_with('…'));
        assert_eq!(
            lines[3].chars().count(),
            "Ann, \"A\"  meetings  ".len() + TABLE_CELL_WIDTH
        );
    }
}

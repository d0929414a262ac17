//! Output: the only place that formats results. Rows (from `query`, `report`, `export`...) are written
//! as they come ([`Stream`]), or collected into a [`Table`] first, as an aligned text table, CSV, TSV,
//! a JSON array of objects or JSON Lines.

use std::io::{self, Write};
use std::time::{Duration, Instant};

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
    Csv,
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

/// How many rows a table looks at before it fixes its column widths and starts printing: the widths
/// fit these rows; a wider cell further down pushes the rest of its line to the right (cells are cut
/// at [`TABLE_CELL_WIDTH`] characters anyway). Other formats need no look-ahead.
pub const TABLE_LOOK_AHEAD: usize = 1000;

/// The look-ahead also ends after this long, so that a slow query shows its first rows.
const TABLE_LOOK_AHEAD_TIME: Duration = Duration::from_millis(500);

/// Output is flushed at least this often while rows come, so that a reader (`| head`) sees them.
const FLUSH_EVERY: Duration = Duration::from_millis(100);

/// Where a reader's rows go as they are read: a [`Table`] collects them, a [`Stream`] writes them.
pub trait Rows {
    /// The column names, once, before any row.
    fn columns(&mut self, columns: &[String]) -> io::Result<()>;
    fn row(&mut self, cells: &[Cell]) -> io::Result<()>;
    /// After the last row.
    fn finish(&mut self) -> io::Result<()>;
}

impl Rows for Table {
    fn columns(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.rows.push(cells.to_vec());
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Table {
    /// Writes the table in `format`.
    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        self.write_to(&mut Stream::new(format, out))
    }

    /// Gives the table's columns and rows to `rows`.
    pub fn write_to(&self, rows: &mut dyn Rows) -> io::Result<()> {
        rows.columns(&self.columns)?;
        for row in &self.rows {
            rows.row(row)?;
        }
        rows.finish()
    }
}

/// Rows written as they come in one of the [`Format`]s, holding at most a table's look-ahead: a
/// query of a million rows takes no more memory than one of ten, and `| head` sees the first rows
/// at once. The output is the same as if the rows had been collected first (for a table, as long
/// as they are within the look-ahead).
pub struct Stream<W: Write> {
    format: Format,
    out: io::BufWriter<W>,
    columns: Vec<String>,
    rows: u64,
    /// CSV and TSV: one record is encoded into `record`, then copied out.
    csv: Option<csv::Writer<Shared>>,
    record: Shared,
    /// Table: the rows read before the widths are fixed, as shown; `None` once they are.
    ahead: Option<Vec<Vec<String>>>,
    widths: Vec<usize>,
    started: Instant,
    flushed: Instant,
}

impl<W: Write> Stream<W> {
    pub fn new(format: Format, out: W) -> Stream<W> {
        let record = Shared::default();
        let csv = match format {
            Format::Csv => Some(b','),
            Format::Tsv => Some(b'\t'),
            _ => None,
        }
        .map(|delimiter| {
            csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(record.clone())
        });
        Stream {
            format,
            out: io::BufWriter::new(out),
            columns: Vec::new(),
            rows: 0,
            csv,
            record,
            ahead: (format == Format::Table).then(Vec::new),
            widths: Vec::new(),
            started: Instant::now(),
            flushed: Instant::now(),
        }
    }

    fn object(&self, row: &[Cell]) -> Value {
        let mut object = Map::with_capacity(self.columns.len());
        for (column, cell) in self.columns.iter().zip(row) {
            object.insert(column.clone(), cell.to_json());
        }
        Value::Object(object)
    }

    fn record(&mut self, cells: impl IntoIterator<Item = String>) -> io::Result<()> {
        let Some(writer) = self.csv.as_mut() else {
            return Ok(());
        };
        writer.write_record(cells)?;
        writer.flush()?;
        let mut record = self.record.0.borrow_mut();
        self.out.write_all(&record)?;
        record.clear();
        Ok(())
    }

    /// One line of a table, each cell padded to its column's width.
    fn line(&mut self, cells: &[String]) -> io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(&self.widths)
            .map(|(cell, width)| {
                let pad = width.saturating_sub(cell.chars().count());
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        writeln!(self.out, "{}", padded.join("  ").trim_end())
    }

    /// Ends a table's look-ahead: fixes the widths and prints the header, the rule and the rows held.
    fn print_ahead(&mut self) -> io::Result<()> {
        let Some(ahead) = self.ahead.take() else {
            return Ok(());
        };
        self.widths = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &ahead {
            for (width, cell) in self.widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let columns = self.columns.clone();
        self.line(&columns)?;
        let rule: Vec<String> = self.widths.iter().map(|w| "-".repeat(*w)).collect();
        self.line(&rule)?;
        for row in &ahead {
            self.line(row)?;
        }
        Ok(())
    }
}

/// A buffer the CSV writer encodes into and the stream copies from (the writer keeps its own).
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Rows for Stream<W> {
    fn columns(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        self.started = Instant::now();
        if self.csv.is_some() {
            self.record(columns.to_vec())?;
        }
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.rows += 1;
        match self.format {
            Format::Table => {
                let shown: Vec<String> = cells
                    .iter()
                    .map(|cell| fit(&cell.to_text(), TABLE_CELL_WIDTH))
                    .collect();
                match self.ahead.as_mut() {
                    Some(ahead) => {
                        ahead.push(shown);
                        if ahead.len() >= TABLE_LOOK_AHEAD
                            || self.started.elapsed() >= TABLE_LOOK_AHEAD_TIME
                        {
                            self.print_ahead()?;
                        } else {
                            return Ok(());
                        }
                    }
                    None => self.line(&shown)?,
                }
            }
            Format::Csv | Format::Tsv => self.record(cells.iter().map(Cell::to_text))?,
            Format::Json => {
                self.out
                    .write_all(if self.rows == 1 { b"[\n" } else { b",\n" })?;
                // The array's pretty form, one element at a time: each object as serde_json
                // prints it, indented one level (JSON strings hold no raw line ends).
                let object = serde_json::to_string_pretty(&self.object(cells))?;
                for (i, line) in object.lines().enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"  ")?;
                    self.out.write_all(line.as_bytes())?;
                }
            }
            Format::Jsonl => {
                let object = self.object(cells);
                serde_json::to_writer(&mut self.out, &object)?;
                self.out.write_all(b"\n")?;
            }
        }
        if self.rows == 1 || self.flushed.elapsed() >= FLUSH_EVERY {
            self.out.flush()?;
            self.flushed = Instant::now();
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.format {
            Format::Table => self.print_ahead()?,
            Format::Json if self.rows == 0 => self.out.write_all(b"[]\n")?,
            Format::Json => self.out.write_all(b"\n]\n")?,
            _ => {}
        }
        self.out.flush()
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
    fn a_json_array_written_row_by_row_is_serde_json_s_pretty_form() {
        let rows: Vec<Value> = sample()
            .rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (column, cell) in sample().columns.iter().zip(row) {
                    object.insert(column.clone(), cell.to_json());
                }
                Value::Object(object)
            })
            .collect();
        let expected = serde_json::to_string_pretty(&rows).unwrap() + "\n";
        assert_eq!(render(Format::Json), expected);
        let mut empty = Vec::new();
        Table {
            columns: vec!["a".into()],
            rows: vec![],
        }
        .write(Format::Json, &mut empty)
        .unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), "[]\n");
    }

    #[test]
    fn a_table_longer_than_its_look_ahead_keeps_the_widths_it_fixed() {
        let mut rows: Vec<Vec<Cell>> = (0..TABLE_LOOK_AHEAD)
            .map(|_| vec![Cell::Text("ab".into()), Cell::Integer(1)])
            .collect();
        rows.push(vec![Cell::Text("abcdef".into()), Cell::Integer(2)]);
        let table = Table {
            columns: vec!["x".into(), "n".into()],
            rows,
        };
        let mut out = Vec::new();
        table.write(Format::Table, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "x   n");
        assert_eq!(lines[2], "ab  1");
        assert_eq!(lines.last().unwrap(), &"abcdef  2");
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

/// The explanation of a parse record (`parley parse --explain`): every person, meeting and quote with
/// the rule that produced it and the sentence of the text it came from, so a user can audit an
/// extraction and see which pattern to blame for a wrong one.
pub fn write_explain(parsed: &crate::model::Parsed, out: &mut dyn Write) -> io::Result<()> {
    use crate::model::{MeetingMode, MeetingStatus, QuoteKind};
    let text = parsed.article.text.as_str();
    let rule = |rule: &str| {
        if rule.is_empty() {
            "(no rule recorded)".to_string()
        } else {
            rule.to_string()
        }
    };
    writeln!(
        out,
        "{}",
        parsed.article.title.as_deref().unwrap_or("(untitled)")
    )?;
    let people = (parsed.participants.iter().map(|p| ("person", p)))
        .chain(parsed.prospective.iter().map(|p| ("prospective person", p)));
    for (what, person) in people {
        let office = [person.title.as_deref(), person.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let office = if office.is_empty() {
            String::new()
        } else {
            format!(" ({office})")
        };
        writeln!(out, "\n{what}: {}{office}", person.name)?;
        writeln!(out, "  rule: {}", rule(&person.rule))?;
        write_evidence(out, text, person.span)?;
    }
    for meeting in &parsed.meetings {
        let mode = match meeting.mode {
            MeetingMode::InPerson => "in person",
            MeetingMode::Phone => "by phone",
            MeetingMode::Video => "by video",
        };
        let status = match meeting.status {
            MeetingStatus::Held => "held",
            MeetingStatus::Planned => "planned",
            MeetingStatus::Cancelled => "cancelled",
        };
        writeln!(
            out,
            "\nmeeting ({status}, {mode}): {}",
            meeting.participants.join(", ")
        )?;
        if let Some(place) = &meeting.place {
            writeln!(out, "  place: {place}")?;
        }
        if let Some(date) = meeting.date {
            writeln!(out, "  date: {date}")?;
        }
        writeln!(out, "  rule: {}", rule(&meeting.rule))?;
        write_evidence(out, text, meeting.span)?;
    }
    for quote in &parsed.quotes {
        let kind = match quote.kind {
            QuoteKind::Direct => "quote",
            QuoteKind::Reported => "reported speech",
        };
        let speaker = quote.speaker.as_deref().unwrap_or("(no speaker)");
        writeln!(out, "\n{kind} by {speaker}: {}", one_line(&quote.text))?;
        writeln!(out, "  rule: {}", rule(&quote.rule))?;
        write_evidence(out, text, quote.span)?;
    }
    for issue in &parsed.issues {
        writeln!(out, "\nissue [{}]: {}", issue.rule, issue.message)?;
        if let Some(span) = issue.span {
            write_evidence(out, text, span)?;
        }
    }
    Ok(())
}

fn write_evidence(out: &mut dyn Write, text: &str, span: crate::model::Span) -> io::Result<()> {
    match evidence_sentence(text, span) {
        Some(sentence) => writeln!(out, "  evidence: {}", one_line(sentence)),
        None => writeln!(out, "  evidence: (none: the span is outside the text)"),
    }
}

/// The sentence (or sentences) around a span: from the end of the sentence before it to the end of
/// the sentence it ends in. Sentence ends are a full stop, question or exclamation mark followed by
/// white space, or a blank line; good enough to show a reader where a fact came from.
pub fn evidence_sentence(text: &str, span: crate::model::Span) -> Option<&str> {
    if span.start > span.end
        || span.end > text.len()
        || !text.is_char_boundary(span.start)
        || !text.is_char_boundary(span.end)
    {
        return None;
    }
    let bytes = text.as_bytes();
    let ends_sentence = |i: usize| {
        let after_mark = matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
        let blank_line = bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n');
        after_mark || blank_line || (bytes[i] == b'\n' && i + 1 == bytes.len())
    };
    let mut start = span.start;
    while start > 0 && !ends_sentence(start - 1) {
        start -= 1;
    }
    let mut end = span.end.max(start);
    // A span that already ends a sentence is the sentence.
    let ends_at_mark = end > start && ends_sentence(end - 1);
    if !ends_at_mark {
        while end < bytes.len() && !ends_sentence(end) {
            end += 1;
        }
        end = (end + 1).min(bytes.len());
    }
    text.get(start..end).map(str::trim)
}

/// A text on one line: runs of white space (newlines of wrapped wire copy included) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod explain_tests {
    use super::evidence_sentence;
    use crate::model::Span;

    fn span_of(text: &str, part: &str) -> Span {
        let start = text.find(part).unwrap();
        Span {
            start,
            end: start + part.len(),
        }
    }

    #[test]
    fn the_evidence_of_a_name_is_the_sentence_it_stands_in() {
        let text = "First sentence here. Then Ona Vell met Ilo Brandt in Sarn. Last one.";
        let sentence = evidence_sentence(text, span_of(text, "Ona Vell"));
        assert_eq!(sentence, Some("Then Ona Vell met Ilo Brandt in Sarn."));
    }

    #[test]
    fn a_span_that_is_a_sentence_is_its_own_evidence() {
        let text = "Intro.\n\nOna Vell met Ilo Brandt. After.";
        let sentence = evidence_sentence(text, span_of(text, "Ona Vell met Ilo Brandt."));
        assert_eq!(sentence, Some("Ona Vell met Ilo Brandt."));
    }

    #[test]
    fn evidence_stops_at_a_blank_line_and_survives_accents_before_it() {
        let text = "Café “déjà vu” headline\n\nRéne Sørli spoke";
        let sentence = evidence_sentence(text, span_of(text, "Sørli"));
        assert_eq!(sentence, Some("Réne Sørli spoke"));
    }

    #[test]
    fn a_span_outside_the_text_has_no_evidence() {
        assert_eq!(evidence_sentence("short", Span { start: 2, end: 40 }), None);
    }
}

//! Parses JSON Lines of articles (`{"id", "title", "published", "source", "text"}`) from standard
//! input and prints one line per article: `{"id": ..., "parsed": <the parse record>}`. The reading
//! side of `tools/probe_meetings.py`, which measures recall and precision on a bulk corpus.

use std::io::{BufRead, Write};

use parley::model::ArticleMeta;
use serde_json::{Value, json};

fn main() {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let meta = ArticleMeta {
            published: field("published")
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            source: field("source"),
            url: None,
            title: field("title"),
        };
        let parsed = parley::parse::parse(&field("text").unwrap_or_default(), &meta);
        if writeln!(out, "{}", json!({"id": v.get("id"), "parsed": parsed})).is_err() {
            break;
        }
    }
}

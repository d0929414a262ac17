//! The parser: article text in, [`Parsed`] records out. Pure: no files, no database, no clock, and it
//! never fails; what it cannot settle becomes a [`ParseIssue`]. Storage and the CLI call only
//! [`parse`], [`normalize`] and [`PARSER_VERSION`].

use crate::model::{Article, ArticleMeta, Parsed};

/// Bumped whenever the rules change what is extracted, so `parley reparse` knows which rows are stale.
pub const PARSER_VERSION: u32 = 1;

/// The stored form of an article's text: byte-order mark and NUL bytes dropped, CRLF and CR line ends
/// made LF, trailing white space trimmed. Spans index into this text, and the content hash is over it.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\0' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                text.push('\n');
            }
            c => text.push(c),
        }
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text
}

/// Parses one article. `raw` may be anything; the result's `article.text` is `normalize(raw)`.
pub fn parse(raw: &str, meta: &ArticleMeta) -> Parsed {
    let text = normalize(raw);
    Parsed {
        article: Article {
            title: meta.title.clone(),
            published: meta.published,
            source: meta.source.clone(),
            url: meta.url.clone(),
            categories: Vec::new(),
            text,
            dateline_place: None,
            published_from: meta.published.map(|_| "given".to_string()),
        },
        participants: Vec::new(),
        meetings: Vec::new(),
        quotes: Vec::new(),
        issues: Vec::new(),
    }
}

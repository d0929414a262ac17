//! JSON Lines dumps in: one article per line, as scrapers such as news-please and trafilatura write
//! them, or as `parley export` writes them. Each line is read on its own, so a bad line is reported
//! with its number and the others still import. Pure: the `import` command reads the lines and hands
//! each [`JsonArticle`] to [`crate::input::resolve`].
//!
//! Fields (others are ignored):
//!
//! | field        | also read from                                  | value                                 |
//! |--------------|-------------------------------------------------|---------------------------------------|
//! | `text`       | `maintext` (news-please), `raw_text`            | the article's plain text              |
//! | `html`       | `raw_html`                                      | the page, when there is no `text`     |
//! | `url`        | `source_url`                                    |                                       |
//! | `title`      |                                                 |                                       |
//! | `published`  | `date`, `date_publish`, `published_at`, `datePublished` | `YYYY-MM-DD` or an ISO date-time |
//! | `source`     | `sitename`, `source_domain`, `hostname`         | the outlet                            |
//! | `categories` | `category`, `section`                           | a list, or one string split at `;`    |
//!
//! A parse record (`{"article": {...}, ...}`, one line of `parley export`) is read from its `article`.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use thiserror::Error;

/// One article as a JSON line gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonArticle {
    pub text: Option<String>,
    pub html: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum JsonlError {
    #[error("too large: the line is longer than {0} bytes")]
    TooLarge(u64),
    #[error("not UTF-8: invalid byte at offset {0} of the line")]
    NotUtf8(usize),
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a JSON object (each line must be one article as an object)")]
    NotAnObject,
    #[error("no article text: the object has neither \"text\" nor \"html\" (or they are empty)")]
    NoText,
    #[error("field {field:?}: {message}")]
    Field { field: String, message: String },
}

/// One non-blank line of a dump: its number (from 1), its text, and the article it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
    pub article: Result<JsonArticle, JsonlError>,
}

/// The non-blank lines of a JSON Lines stream, each read on its own: a line that is not UTF-8 or not
/// an article is an `Err` in its [`Line`], and reading goes on. Only an I/O error stops the iterator.
pub struct Lines<R> {
    reader: R,
    number: usize,
    buffer: Vec<u8>,
    /// The longest line read whole; a longer one is skipped (so a stray huge line cannot exhaust memory).
    limit: u64,
}

impl<R: std::io::BufRead> Lines<R> {
    /// Lines of up to [`crate::input::files::MAX_ARTICLE_BYTES`], the limit of an article file.
    pub fn new(reader: R) -> Self {
        Lines::with_limit(reader, crate::input::files::MAX_ARTICLE_BYTES)
    }

    pub fn with_limit(reader: R, limit: u64) -> Self {
        Lines {
            reader,
            number: 0,
            buffer: Vec::new(),
            limit,
        }
    }

    /// Reads one line, at most `limit` bytes of it; `Ok(None)` at the end. A longer line is read
    /// to its end and dropped, and comes back as `Err(TooLarge)` in its slot.
    fn read_line(&mut self) -> std::io::Result<Option<Result<Vec<u8>, JsonlError>>> {
        use std::io::{BufRead, Read};
        self.buffer.clear();
        let read = (&mut self.reader)
            .take(self.limit + 1)
            .read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            return Ok(None);
        }
        let body = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
        if body.len() as u64 <= self.limit {
            return Ok(Some(Ok(std::mem::take(&mut self.buffer))));
        }
        let mut ended = self.buffer.last() == Some(&b'\n');
        while !ended {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let (used, found) = match available.iter().position(|b| *b == b'\n') {
                Some(at) => (at + 1, true),
                None => (available.len(), false),
            };
            self.reader.consume(used);
            ended = found;
        }
        Ok(Some(Err(JsonlError::TooLarge(self.limit))))
    }
}

impl<R: std::io::BufRead> Iterator for Lines<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let bytes = match self.read_line() {
                Ok(None) => return None,
                Ok(Some(Ok(bytes))) => bytes,
                Ok(Some(Err(too_large))) => {
                    self.number += 1;
                    return Some(Ok(Line {
                        number: self.number,
                        text: String::new(),
                        article: Err(too_large),
                    }));
                }
                Err(e) => return Some(Err(e)),
            };
            self.number += 1;
            let (text, article) = match String::from_utf8(bytes) {
                Ok(text) => {
                    let trimmed = text.trim();
                    if trimmed.is_empty() {
                        continue;
                    }
                    let article = parse_line(trimmed);
                    (trimmed.to_string(), article)
                }
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    (
                        String::from_utf8_lossy(e.as_bytes()).trim().to_string(),
                        Err(JsonlError::NotUtf8(at)),
                    )
                }
            };
            return Some(Ok(Line {
                number: self.number,
                text,
                article,
            }));
        }
    }
}

const TEXT_KEYS: [&str; 3] = ["text", "maintext", "raw_text"];
const HTML_KEYS: [&str; 2] = ["html", "raw_html"];
const URL_KEYS: [&str; 2] = ["url", "source_url"];
const TITLE_KEYS: [&str; 1] = ["title"];
const PUBLISHED_KEYS: [&str; 5] = [
    "published",
    "date",
    "date_publish",
    "published_at",
    "datePublished",
];
const SOURCE_KEYS: [&str; 4] = ["source", "sitename", "source_domain", "hostname"];
const CATEGORY_KEYS: [&str; 3] = ["categories", "category", "section"];

/// Reads one line. Blank lines are not articles: the caller skips them before calling this.
pub fn parse_line(line: &str) -> Result<JsonArticle, JsonlError> {
    let value: Value = serde_json::from_str(line).map_err(|e| JsonlError::Json(e.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(JsonlError::NotAnObject);
    };
    // A parse record: the article's own fields sit under "article".
    if let Some(Value::Object(article)) = object.remove("article") {
        let given_date = article
            .get("published_from")
            .and_then(Value::as_str)
            .is_none_or(|from| from == "given");
        let mut parsed = read_object(&article)?;
        // A date the parser found in the text is found again; only a date given from outside is carried.
        if !given_date {
            parsed.published = None;
        }
        return Ok(parsed);
    }
    read_object(&object)
}

fn read_object(object: &Map<String, Value>) -> Result<JsonArticle, JsonlError> {
    let article = JsonArticle {
        text: string_field(object, &TEXT_KEYS)?.filter(|t| !t.trim().is_empty()),
        html: string_field(object, &HTML_KEYS)?.filter(|t| !t.trim().is_empty()),
        url: string_field(object, &URL_KEYS)?.and_then(|s| tidy(&s)),
        title: string_field(object, &TITLE_KEYS)?.and_then(|s| tidy(&s)),
        published: date_field(object)?,
        source: string_field(object, &SOURCE_KEYS)?.and_then(|s| tidy(&s)),
        categories: categories_field(object)?,
    };
    if article.text.is_none() && article.html.is_none() {
        return Err(JsonlError::NoText);
    }
    Ok(article)
}

/// The first of `keys` present and not null, as a string.
fn string_field(
    object: &Map<String, Value>,
    keys: &[&'static str],
) -> Result<Option<String>, JsonlError> {
    match first_present(object, keys) {
        None => Ok(None),
        Some((_, Value::String(s))) => Ok(Some(s.clone())),
        Some((key, other)) => Err(JsonlError::Field {
            field: key.to_string(),
            message: format!("expected a string, found {}", kind(other)),
        }),
    }
}

fn date_field(object: &Map<String, Value>) -> Result<Option<NaiveDate>, JsonlError> {
    match first_present(object, &PUBLISHED_KEYS) {
        None => Ok(None),
        Some((_, Value::String(s))) if s.trim().is_empty() => Ok(None),
        Some((key, Value::String(s))) => {
            crate::input::html::date_prefix(s)
                .map(Some)
                .ok_or_else(|| JsonlError::Field {
                    field: key.to_string(),
                    message: format!("{s:?} is not a date (YYYY-MM-DD or an ISO 8601 date-time)"),
                })
        }
        Some((key, other)) => Err(JsonlError::Field {
            field: key.to_string(),
            message: format!("expected a date string, found {}", kind(other)),
        }),
    }
}

fn categories_field(object: &Map<String, Value>) -> Result<Vec<String>, JsonlError> {
    let mut categories: Vec<String> = match first_present(object, &CATEGORY_KEYS) {
        None => Vec::new(),
        Some((_, Value::String(s))) => s.split(';').filter_map(tidy).collect(),
        Some((key, Value::Array(items))) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(tidy(s)),
                other => Err(JsonlError::Field {
                    field: key.to_string(),
                    message: format!("expected a list of strings, found {} in it", kind(other)),
                }),
            })
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?,
        Some((key, other)) => {
            return Err(JsonlError::Field {
                field: key.to_string(),
                message: format!("expected a list of strings, found {}", kind(other)),
            });
        }
    };
    let mut seen = std::collections::HashSet::new();
    categories.retain(|c| seen.insert(c.to_lowercase()));
    Ok(categories)
}

fn first_present<'a>(
    object: &'a Map<String, Value>,
    keys: &[&'static str],
) -> Option<(&'static str, &'a Value)> {
    keys.iter()
        .find_map(|key| object.get(*key).filter(|v| !v.is_null()).map(|v| (*key, v)))
}

fn tidy(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_every_field_is_read() -> Result<(), JsonlError> {
        let article = parse_line(
            r#"{"text": "Body.", "url": "https://x.example/a", "title": " T ", "published": "2024-02-01", "source": "Wire", "categories": ["World", "Asia"]}"#,
        )?;
        assert_eq!(
            article,
            JsonArticle {
                text: Some("Body.".into()),
                html: None,
                url: Some("https://x.example/a".into()),
                title: Some("T".into()),
                published: NaiveDate::from_ymd_opt(2024, 2, 1),
                source: Some("Wire".into()),
                categories: vec!["World".into(), "Asia".into()],
            }
        );
        Ok(())
    }

    #[test]
    fn news_please_field_names_are_understood() -> Result<(), JsonlError> {
        let article = parse_line(
            r#"{"maintext": "Body.", "date_publish": "2019-03-12 10:00:00", "source_domain": "news.example", "title": "T"}"#,
        )?;
        assert_eq!(article.text.as_deref(), Some("Body."));
        assert_eq!(article.published, NaiveDate::from_ymd_opt(2019, 3, 12));
        assert_eq!(article.source.as_deref(), Some("news.example"));
        Ok(())
    }

    #[test]
    fn categories_may_be_one_string_split_at_semicolons() -> Result<(), JsonlError> {
        let article =
            parse_line(r#"{"text": "x", "categories": "Politics; Middle East;;politics"}"#)?;
        assert_eq!(
            article.categories,
            vec!["Politics".to_string(), "Middle East".to_string()]
        );
        Ok(())
    }

    #[test]
    fn a_line_without_text_or_html_is_an_error() {
        assert_eq!(
            parse_line(r#"{"title": "T", "text": "  "}"#),
            Err(JsonlError::NoText)
        );
    }

    #[test]
    fn a_bad_date_names_its_field() {
        let err = parse_line(r#"{"text": "x", "date": "yesterday"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"field "date": "yesterday" is not a date (YYYY-MM-DD or an ISO 8601 date-time)"#
        );
    }

    #[test]
    fn wrong_types_and_broken_json_are_errors() {
        assert!(
            matches!(parse_line(r#"{"text": 42}"#), Err(JsonlError::Field { field, .. }) if field == "text")
        );
        assert!(matches!(
            parse_line(r#"["text"]"#),
            Err(JsonlError::NotAnObject)
        ));
        assert!(matches!(
            parse_line(r#"{"text": "x""#),
            Err(JsonlError::Json(_))
        ));
    }

    #[test]
    fn lines_are_numbered_blank_lines_skipped_and_bad_lines_kept_as_errors() {
        let input: &[u8] =
            b"{\"text\": \"one\"}\n\n  \nnot json\n{\"text\": \"caf\xe9\"}\n{\"text\": \"four\"}";
        let lines: Vec<Line> = Lines::new(input).collect::<std::io::Result<_>>().unwrap();
        let numbers: Vec<usize> = lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 4, 5, 6]);
        assert!(lines[0].article.is_ok());
        assert!(matches!(lines[1].article, Err(JsonlError::Json(_))));
        assert_eq!(lines[2].article, Err(JsonlError::NotUtf8(13)));
        assert_eq!(
            lines[3].article.as_ref().unwrap().text.as_deref(),
            Some("four")
        );
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_whole_and_reading_goes_on() {
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(100));
        let input = format!("{{\"text\": \"a\"}}\n{long}\n{{\"text\": \"b\"}}");
        let lines: Vec<Line> =
            Lines::with_limit(std::io::BufReader::with_capacity(16, input.as_bytes()), 40)
                .collect::<std::io::Result<_>>()
                .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].article, Err(JsonlError::TooLarge(40)));
        assert_eq!(lines[2].number, 3);
        assert_eq!(
            lines[2].article.as_ref().unwrap().text.as_deref(),
            Some("b")
        );
    }

    #[test]
    fn a_parse_record_is_read_from_its_article_keeping_only_a_given_date() -> Result<(), JsonlError>
    {
        let given = parse_line(
            r#"{"article": {"text": "x", "published": "2020-01-02", "published_from": "given", "categories": ["A"]}, "quotes": []}"#,
        )?;
        assert_eq!(given.published, NaiveDate::from_ymd_opt(2020, 1, 2));
        assert_eq!(given.categories, vec!["A".to_string()]);
        let found = parse_line(
            r#"{"article": {"text": "x", "published": "2020-01-02", "published_from": "caption"}}"#,
        )?;
        assert_eq!(found.published, None);
        Ok(())
    }
}

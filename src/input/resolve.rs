//! From what was read to what is stored: an [`Incoming`] article (a text file, a web page or a JSON
//! line) is resolved into the text the parser reads plus its metadata, then parsed into an
//! [`ImportedArticle`] for `store`. Pure: no files, no database; `import` does the reading.
//!
//! Metadata precedence: for a file, the command line's `--published`, `--source` and `--url` win over
//! what a page declares (they are the user's correction); for a JSON line, the line's own fields win
//! and the flags fill what it lacks (they are defaults for the whole dump).

use thiserror::Error;

use crate::input::html::{self, HtmlError};
use crate::input::jsonl::JsonArticle;
use crate::model::ArticleMeta;
use crate::store::{ImportedArticle, content_hash};

/// What an input holds before extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Body {
    Text(String),
    Html(String),
}

/// One article as read, not yet parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    body: Body,
    /// Kept in `articles.raw`: the file as read, or the JSON line.
    raw: Option<String>,
    raw_format: &'static str,
    /// What the input itself says about the article.
    meta: ArticleMeta,
    categories: Vec<String>,
    /// Whether the input's own metadata wins over the command line's.
    own_meta_wins: bool,
    path: Option<String>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("{0}")]
    Html(#[from] HtmlError),
}

/// An article ready for the parser: its text, and everything known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ready {
    text: String,
    raw: Option<String>,
    raw_format: &'static str,
    meta: ArticleMeta,
    categories: Vec<String>,
    path: Option<String>,
}

impl Incoming {
    /// A plain-text article file (or standard input).
    pub fn text(raw: String, path: Option<String>) -> Incoming {
        Incoming {
            body: Body::Text(raw),
            raw: None,
            raw_format: "text",
            meta: ArticleMeta::default(),
            categories: Vec::new(),
            own_meta_wins: false,
            path,
        }
    }

    /// A saved web page; the HTML is kept as the raw input.
    pub fn html(raw: String, path: Option<String>) -> Incoming {
        Incoming {
            body: Body::Html(raw.clone()),
            raw: Some(raw),
            raw_format: "html",
            meta: ArticleMeta::default(),
            categories: Vec::new(),
            own_meta_wins: false,
            path,
        }
    }

    /// A file by its name: `.html` and `.htm` are web pages, anything else is text.
    pub fn file(raw: String, path: &std::path::Path) -> Incoming {
        let is_html = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm"));
        let label = Some(path.display().to_string());
        if is_html {
            Incoming::html(raw, label)
        } else {
            Incoming::text(raw, label)
        }
    }

    /// Standard input, whose kind is told from its start: a page begins with `<!doctype html` or `<html`.
    pub fn sniff(raw: String, path: Option<String>) -> Incoming {
        let head: String = raw
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .take(14)
            .collect::<String>()
            .to_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Incoming::html(raw, path)
        } else {
            Incoming::text(raw, path)
        }
    }

    /// One line of a JSON Lines dump; the line is kept as the raw input. `path` names the line
    /// ("dump.jsonl:12").
    pub fn json(article: JsonArticle, line: String, path: Option<String>) -> Incoming {
        let body = match (article.text, article.html) {
            (Some(text), _) => Body::Text(text),
            (None, Some(html)) => Body::Html(html),
            // `jsonl::parse_line` refuses a line with neither.
            (None, None) => Body::Text(String::new()),
        };
        Incoming {
            body,
            raw: Some(line),
            raw_format: "json",
            meta: ArticleMeta {
                published: article.published,
                source: article.source,
                url: article.url,
                title: article.title,
            },
            categories: article.categories,
            own_meta_wins: true,
            path,
        }
    }

    /// Bytes held: the text or page, and the raw input where it is kept apart (a JSON line). The
    /// pipeline bounds its batches by this.
    pub fn size(&self) -> usize {
        let body = match &self.body {
            Body::Text(text) | Body::Html(text) => text.len(),
        };
        // A page's raw form is the page itself (shared in size, if not in memory).
        body + self.raw.as_ref().map_or(0, String::len)
    }

    /// Extracts the text of a page and merges the metadata with the command line's `flags`.
    pub fn resolve(self, flags: &ArticleMeta) -> Result<Ready, IngestError> {
        let Incoming {
            body,
            raw,
            raw_format,
            mut meta,
            mut categories,
            own_meta_wins,
            path,
        } = self;
        let text = match body {
            Body::Text(text) => text,
            Body::Html(page) => {
                let page = html::extract(&page)?;
                let from_page = ArticleMeta {
                    published: page.published,
                    source: page.site_name,
                    url: page.url,
                    title: page.title,
                };
                meta = prefer(meta, from_page);
                categories.extend(page.section);
                page.text
            }
        };
        let meta = if own_meta_wins {
            prefer(meta, flags.clone())
        } else {
            prefer(flags.clone(), meta)
        };
        Ok(Ready {
            text,
            raw,
            raw_format,
            meta,
            categories,
            path,
        })
    }
}

impl Ready {
    /// The content hash the stored article will have, to skip parsing what the archive holds.
    /// Whether the input came with a publication date, a source or a URL: a text stored already may
    /// then have new metadata for the store to take.
    pub fn carries_metadata(&self) -> bool {
        self.meta.published.is_some() || self.meta.source.is_some() || self.meta.url.is_some()
    }

    pub fn content_hash(&self) -> String {
        content_hash(&crate::parse::normalize(&self.text))
    }

    /// Bytes held: the text, and the raw input where it is kept apart. The pipeline parses a batch
    /// this large alone.
    pub fn size(&self) -> usize {
        self.text.len() + self.raw.as_ref().map_or(0, String::len)
    }

    /// The label of the input in messages: its path, or standard input.
    pub fn label(&self) -> &str {
        self.path.as_deref().unwrap_or("<stdin>")
    }

    /// Parses the text. Categories the input gave come first, then those the parser found.
    pub fn parse(self) -> ImportedArticle {
        let mut parsed = crate::parse::parse(&self.text, &self.meta);
        if !self.categories.is_empty() {
            let found = std::mem::take(&mut parsed.article.categories);
            let mut seen = std::collections::HashSet::new();
            parsed.article.categories = self
                .categories
                .into_iter()
                .chain(found)
                .filter(|c| seen.insert(c.to_lowercase()))
                .collect();
        }
        let raw = match self.raw {
            Some(raw) => Some(raw),
            None => (self.text != parsed.article.text).then_some(self.text),
        };
        ImportedArticle {
            parsed,
            raw,
            raw_format: self.raw_format,
            path: self.path,
        }
    }
}

/// Each field from `first` where it has one, else from `second`.
fn prefer(first: ArticleMeta, second: ArticleMeta) -> ArticleMeta {
    ArticleMeta {
        published: first.published.or(second.published),
        source: first.source.or(second.source),
        url: first.url.or(second.url),
        title: first.title.or(second.title),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn flags() -> ArticleMeta {
        ArticleMeta {
            published: NaiveDate::from_ymd_opt(2001, 1, 1),
            source: Some("Flag Source".into()),
            url: None,
            title: None,
        }
    }

    #[test]
    fn a_json_line_s_own_fields_win_over_the_flags() -> Result<(), IngestError> {
        let line = JsonArticle {
            text: Some("Body text.".into()),
            published: NaiveDate::from_ymd_opt(2020, 5, 6),
            ..Default::default()
        };
        let article = Incoming::json(line, "{}".into(), Some("d.jsonl:1".into()))
            .resolve(&flags())?
            .parse();
        assert_eq!(
            article.parsed.article.published,
            NaiveDate::from_ymd_opt(2020, 5, 6)
        );
        assert_eq!(
            article.parsed.article.source.as_deref(),
            Some("Flag Source")
        );
        assert_eq!(article.raw.as_deref(), Some("{}"));
        assert_eq!(article.raw_format, "json");
        Ok(())
    }

    #[test]
    fn flags_win_over_what_a_page_declares() -> Result<(), IngestError> {
        let page = "<html><head><meta property=\"article:published_time\" content=\"2024-05-14\">\
            <meta property=\"og:site_name\" content=\"Page Site\"><meta property=\"article:section\" content=\"World\"></head>\
            <body><article><p>Foreign ministers of two countries met on Monday in a long and detailed meeting about trade and borders, officials said.</p>\
            <p>They agreed to meet again next year in the other capital, according to a statement released after the talks ended.</p></article></body></html>";
        let article = Incoming::html(page.into(), Some("p.html".into()))
            .resolve(&flags())?
            .parse();
        assert_eq!(
            article.parsed.article.published,
            NaiveDate::from_ymd_opt(2001, 1, 1)
        );
        assert_eq!(
            article.parsed.article.source.as_deref(),
            Some("Flag Source")
        );
        assert_eq!(article.parsed.article.categories, vec!["World".to_string()]);
        assert_eq!(article.raw.as_deref(), Some(page));
        assert_eq!(article.raw_format, "html");
        assert!(article.parsed.article.text.starts_with("Foreign ministers"));
        Ok(())
    }

    #[test]
    fn a_text_file_keeps_its_raw_form_only_when_normalising_changed_it() -> Result<(), IngestError>
    {
        let clean = Incoming::text("Line one.\nLine two.".into(), None)
            .resolve(&ArticleMeta::default())?
            .parse();
        assert_eq!(clean.raw, None);
        let crlf = Incoming::text("Line one.\r\nLine two.\r\n".into(), None)
            .resolve(&ArticleMeta::default())?
            .parse();
        assert_eq!(crlf.raw.as_deref(), Some("Line one.\r\nLine two.\r\n"));
        Ok(())
    }

    #[test]
    fn standard_input_that_starts_like_a_page_is_a_page() {
        assert_eq!(
            Incoming::sniff("\n  <!DOCTYPE html><html></html>".into(), None).raw_format,
            "html"
        );
        assert_eq!(
            Incoming::sniff("<HTML><body></body></HTML>".into(), None).raw_format,
            "html"
        );
        assert_eq!(
            Incoming::sniff("Ministers met <b>today</b>.".into(), None).raw_format,
            "text"
        );
    }

    #[test]
    fn the_content_hash_is_the_stored_text_s() -> Result<(), IngestError> {
        let ready =
            Incoming::text("Some text.\r\n".into(), None).resolve(&ArticleMeta::default())?;
        assert_eq!(ready.content_hash(), content_hash("Some text."));
        Ok(())
    }
}

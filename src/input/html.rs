//! Web pages in, article text out: finds the main text of a saved news page and the metadata the page
//! declares (title, publication date, author, canonical address, site name, section), so that the
//! text can go through the same parser as a `.txt` article. Pure: a string of HTML in, an
//! [`HtmlArticle`] out; nothing here reads files or touches the database.
//!
//! The main text comes from [`dom_smoothie`] (a port of Mozilla's Readability, the reader view of
//! Firefox) in its formatted mode, which keeps paragraphs apart with blank lines, as the parser's
//! header pass expects. The page is parsed once with `dom_query` (the DOM `dom_smoothie` itself uses)
//! to read what Readability does not report: `<link rel="canonical">`, `article:section` and the
//! JSON-LD `articleSection`.

use chrono::NaiveDate;
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use thiserror::Error;

/// Fewer words than this is a page's chrome (a menu, a cookie notice), not an article: Readability
/// returns its best guess even for an index page.
const MIN_WORDS: usize = 12;

/// What a web page says about its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The main text, paragraphs separated by blank lines.
    pub text: String,
    pub title: Option<String>,
    /// The publication day, from `article:published_time` and similar meta tags or JSON-LD `datePublished`.
    pub published: Option<NaiveDate>,
    pub author: Option<String>,
    /// `<link rel="canonical">`, else `og:url` or the JSON-LD `url`.
    pub url: Option<String>,
    /// `og:site_name` or the JSON-LD publisher.
    pub site_name: Option<String>,
    /// `article:section` or the JSON-LD `articleSection`.
    pub section: Option<String>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum HtmlError {
    #[error(
        "no article text found in the page (is it a saved article, not an index page or a script shell?)"
    )]
    NoText,
    #[error("cannot extract the article: {0}")]
    Extraction(String),
}

/// How deep elements may nest before the extractor flattens them. Readability scores each node by
/// walking its ancestors and reading its descendants' text, so its time grows with nodes times
/// depth: 8,000 nested `<div><p><span>` took 40 s. Real pages nest a few dozen levels.
pub const MAX_DEPTH: usize = 128;

/// Elements that never have children (HTML's void elements): they do not open a level.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag HTML lets a page leave out (a new `<p>` closes the open one): counted as
/// levels they would make `<p>a<p>b<p>c` look ever deeper, so they do not open one.
const OPTIONAL_END: [&str; 17] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb",
    "rt", "rp", "colgroup", "caption",
];

/// Elements whose content is raw text (a `<` inside a script is not a tag).
const RAW_TEXT: [&str; 5] = ["script", "style", "textarea", "title", "xmp"];

/// The page with every tag nested deeper than `max` levels removed (a space left in its place so
/// that words on either side stay apart) and the text kept. A page that never nests deeper is
/// returned as it is. The depth is counted on the tags as written, in one pass: a start tag opens a
/// level unless it is void, self-closing or of an element whose end tag may be left out; an end
/// tag closes one.
pub fn bound_depth(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut depth = 0usize;
    let mut copied = 0usize;
    let mut at = 0usize;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        let start = at + offset;
        let Some(tag) = scan_tag(bytes, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        let drop = match tag.kind {
            TagKind::Other => false,
            TagKind::Start {
                ref name,
                self_closing,
            } => {
                if RAW_TEXT.contains(&name.as_str()) {
                    // Skip to the matching end tag, whatever the content holds.
                    let close = format!("</{name}");
                    at = find_ignore_case(bytes, tag.end, close.as_bytes()).unwrap_or(bytes.len());
                    false
                } else if self_closing
                    || VOID.contains(&name.as_str())
                    || OPTIONAL_END.contains(&name.as_str())
                {
                    depth >= max
                } else {
                    depth += 1;
                    depth > max
                }
            }
            // A raw-text element's start tag is always kept, so its end tag must be too: without
            // it a script or title would swallow the rest of the page.
            TagKind::End { ref name } if RAW_TEXT.contains(&name.as_str()) => false,
            TagKind::End { ref name } => {
                if VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) {
                    depth >= max
                } else {
                    let deep = depth > max;
                    depth = depth.saturating_sub(1);
                    deep
                }
            }
        };
        if drop {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            // One space for a run of removed tags: a long run of white space costs Readability dearly.
            if !out.ends_with(' ') {
                out.push(' ');
            }
            copied = tag.end;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'<')
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| from + i)
}

enum TagKind {
    Start {
        name: String,
        self_closing: bool,
    },
    End {
        name: String,
    },
    /// A comment, doctype or processing instruction: no level.
    Other,
}

struct Tag {
    kind: TagKind,
    /// Just past the tag's `>`.
    end: usize,
}

/// The tag starting at `bytes[start]` (a `<`), or `None` when the `<` is text.
fn scan_tag(bytes: &[u8], start: usize) -> Option<Tag> {
    let rest = &bytes[start + 1..];
    if rest.starts_with(b"!--") {
        let end = find_ignore_case(bytes, start + 4, b"-->").map_or(bytes.len(), |i| i + 3);
        return Some(Tag {
            kind: TagKind::Other,
            end,
        });
    }
    if rest.first().is_some_and(|b| *b == b'!' || *b == b'?') {
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(bytes.len(), |i| start + i + 1);
        return Some(Tag {
            kind: TagKind::Other,
            end,
        });
    }
    let (closing, name_at) = if rest.first() == Some(&b'/') {
        (true, start + 2)
    } else {
        (false, start + 1)
    };
    let name_len = bytes[name_at..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
        .count();
    if name_len == 0 || !bytes[name_at].is_ascii_alphabetic() {
        return None;
    }
    let name = String::from_utf8_lossy(&bytes[name_at..name_at + name_len]).to_ascii_lowercase();
    // The tag ends at the first `>` outside a quoted attribute value.
    let mut quote = None;
    let mut i = name_at + name_len;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => break,
            _ => {}
        }
        i += 1;
    }
    let end = (i + 1).min(bytes.len());
    let self_closing = i > 0 && bytes.get(i - 1) == Some(&b'/');
    let kind = if closing {
        TagKind::End { name }
    } else {
        TagKind::Start { name, self_closing }
    };
    Some(Tag { kind, end })
}

/// Extracts the main text and metadata of one page.
pub fn extract(html: &str) -> Result<HtmlArticle, HtmlError> {
    let html = bound_depth(html, MAX_DEPTH);
    let document = Document::from(html.as_ref());
    let canonical = attr_of(&document, r#"link[rel="canonical"]"#, "href");
    let section = attr_of(&document, r#"meta[property="article:section"]"#, "content")
        .or_else(|| json_ld_string(&document, "articleSection"));
    let og_title = attr_of(&document, r#"meta[property="og:title"]"#, "content");
    // Readability reads JSON-LD only at the top level; many sites nest their article in `@graph`.
    let ld_published = json_ld_string(&document, "datePublished");

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut readability = Readability::with_document(document, None, Some(config))
        .map_err(|e| HtmlError::Extraction(e.to_string()))?;
    let article = readability.parse().map_err(|e| match e {
        dom_smoothie::ReadabilityError::GrabFailed => HtmlError::NoText,
        other => HtmlError::Extraction(other.to_string()),
    })?;
    let text = tidy_text(&article.text_content);
    if text.split_whitespace().count() < MIN_WORDS {
        return Err(HtmlError::NoText);
    }
    let site_name = article.site_name.as_deref().and_then(non_empty);
    let title = og_title.or_else(|| non_empty(article.title.as_str()));
    Ok(HtmlArticle {
        text,
        title: title.map(|t| without_site_name(&t, site_name.as_deref())),
        published: article
            .published_time
            .as_deref()
            .or(ld_published.as_deref())
            .and_then(date_prefix),
        author: article.byline.as_deref().and_then(non_empty),
        url: canonical.or(article.url.as_deref().and_then(non_empty)),
        site_name,
        section,
    })
}

/// Reads the day from an ISO 8601 date or date-time ("2021-03-04T10:00:00+04:30" gives 2021-03-04):
/// the day the page states, without converting time zones.
pub fn date_prefix(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// "Talks resume | The Ledger" without " | The Ledger" when that is the site's name. Readability
/// keeps the suffix on short titles, where it cannot tell a site name from part of the headline.
fn without_site_name(title: &str, site_name: Option<&str>) -> String {
    let Some(site) = site_name else {
        return title.to_string();
    };
    for separator in [
        " | ",
        " - ",
        " \u{2013} ",
        " \u{2014} ",
        " :: ",
        " \u{00bb} ",
    ] {
        let head = title
            .strip_suffix(site)
            .and_then(|rest| rest.strip_suffix(separator));
        if let Some(head) = head.map(str::trim).filter(|head| !head.is_empty()) {
            return head.to_string();
        }
    }
    title.to_string()
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!trimmed.is_empty()).then_some(trimmed)
}

fn attr_of(document: &Document, selector: &str, attr: &str) -> Option<String> {
    document
        .select(selector)
        .iter()
        .find_map(|node| node.attr(attr).and_then(|value| non_empty(&value)))
}

/// The first string (or first string of a list) under `key` in any JSON-LD block of the page,
/// looking inside `@graph` too.
fn json_ld_string(document: &Document, key: &str) -> Option<String> {
    document
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
        .find_map(|script| {
            let value: serde_json::Value = serde_json::from_str(script.text().trim()).ok()?;
            find_string(&value, key)
        })
}

fn find_string(value: &serde_json::Value, key: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let direct = match map.get(key) {
                Some(Value::String(s)) => non_empty(s),
                Some(Value::Array(items)) => items
                    .iter()
                    .find_map(|item| item.as_str().and_then(non_empty)),
                _ => None,
            };
            direct.or_else(|| map.get("@graph").and_then(|graph| find_string(graph, key)))
        }
        Value::Array(items) => items.iter().find_map(|item| find_string(item, key)),
        _ => None,
    }
}

/// Readability's formatted text keeps the page's line structure; this trims each line, drops runs of
/// blank lines down to one, and trims the ends, so paragraphs are separated by exactly one blank line.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank_run = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html>
<html lang="en"><head>
<title>Ministers meet in Oslo | The Northern Ledger</title>
<meta property="og:site_name" content="The Northern Ledger">
<meta property="article:published_time" content="2024-05-14T09:30:00+02:00">
<meta property="article:section" content="Diplomacy">
<meta name="author" content="Ingrid Vale">
<link rel="canonical" href="https://ledger.example/2024/05/ministers-meet-oslo">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Ministers meet in Oslo</h1>
<p>Norwegian Foreign Minister Halvard Brekke met his Canadian counterpart Elise Marchand in Oslo on Tuesday to discuss Arctic shipping lanes and fisheries.</p>
<p>"We have agreed to keep talking," Brekke told reporters after the meeting, adding that both governments would publish a joint statement later this week.</p>
<p>Marchand said the two countries shared an interest in a stable and open Arctic, and invited Brekke to visit Ottawa in the autumn.</p>
</article>
<footer>Copyright The Northern Ledger. All rights reserved.</footer>
</body></html>"#;

    #[test]
    fn a_news_page_gives_its_text_and_metadata() -> Result<(), HtmlError> {
        let page = extract(PAGE)?;
        assert_eq!(page.title.as_deref(), Some("Ministers meet in Oslo"));
        assert_eq!(page.published, NaiveDate::from_ymd_opt(2024, 5, 14));
        assert_eq!(
            page.url.as_deref(),
            Some("https://ledger.example/2024/05/ministers-meet-oslo")
        );
        assert_eq!(page.site_name.as_deref(), Some("The Northern Ledger"));
        assert_eq!(page.section.as_deref(), Some("Diplomacy"));
        assert_eq!(page.author.as_deref(), Some("Ingrid Vale"));
        assert!(
            page.text
                .contains("Halvard Brekke met his Canadian counterpart"),
            "{}",
            page.text
        );
        assert!(
            !page.text.contains("Sport"),
            "navigation leaked into the text: {}",
            page.text
        );
        assert!(
            !page.text.contains("All rights reserved"),
            "footer leaked into the text: {}",
            page.text
        );
        Ok(())
    }

    #[test]
    fn paragraphs_stay_apart_with_one_blank_line() -> Result<(), HtmlError> {
        let page = extract(PAGE)?;
        assert!(
            page.text.contains("fisheries.\n\n\u{201c}We have agreed")
                || page.text.contains("fisheries.\n\n\"We have agreed"),
            "{}",
            page.text
        );
        assert!(!page.text.contains("\n\n\n"));
        Ok(())
    }

    #[test]
    fn json_ld_gives_the_date_and_section_when_meta_tags_do_not() -> Result<(), HtmlError> {
        let page = PAGE
            .replace(r#"<meta property="article:published_time" content="2024-05-14T09:30:00+02:00">"#, "")
            .replace(r#"<meta property="article:section" content="Diplomacy">"#, "")
            .replace(
                "</head>",
                r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Ministers meet in Oslo","datePublished":"2024-05-13","articleSection":["Politics","Europe"]}]}</script></head>"#,
            );
        let page = extract(&page)?;
        assert_eq!(page.published, NaiveDate::from_ymd_opt(2024, 5, 13));
        assert_eq!(page.section.as_deref(), Some("Politics"));
        Ok(())
    }

    #[test]
    fn a_page_without_text_is_refused() {
        assert_eq!(
            extract("<html><head><title>x</title></head><body></body></html>"),
            Err(HtmlError::NoText)
        );
        let menu = "<html><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World news</a></nav></body></html>";
        assert_eq!(extract(menu), Err(HtmlError::NoText));
    }

    #[test]
    fn the_site_name_is_cut_from_the_end_of_a_title_only() {
        assert_eq!(
            without_site_name("Talks resume | The Ledger", Some("The Ledger")),
            "Talks resume"
        );
        assert_eq!(
            without_site_name("Talks resume \u{2013} The Ledger", Some("The Ledger")),
            "Talks resume"
        );
        assert_eq!(
            without_site_name("The Ledger", Some("The Ledger")),
            "The Ledger"
        );
        assert_eq!(
            without_site_name("Talks resume | Ledger", None),
            "Talks resume | Ledger"
        );
    }

    #[test]
    fn a_page_that_nests_no_deeper_than_the_bound_is_left_as_it_is() {
        let page = "<html><body><div><p>One<p>Two<br><img src='a>b'></div><script>if (a<b) x('</div>');</script></body></html>";
        assert!(matches!(
            bound_depth(page, 4),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(bound_depth(page, 3), std::borrow::Cow::Owned(_)));
    }

    #[test]
    fn tags_nested_past_the_bound_are_removed_and_their_text_kept() {
        let page = format!(
            "<body>{}Ana Ruiz met Li Wen.{}</body>",
            "<div>".repeat(10),
            "</div>".repeat(10)
        );
        let bounded = bound_depth(&page, 4);
        assert_eq!(bounded.matches("<div>").count(), 3);
        assert_eq!(bounded.matches("</div>").count(), 3);
        assert!(bounded.contains("Ana Ruiz met Li Wen."));
        assert!(bounded.ends_with("</div></div></div></body>"), "{bounded}");
    }

    #[test]
    fn extraction_time_grows_with_the_page_not_with_its_depth_squared() {
        // 8,000 levels of `<div><p><span>` took 40 s before the depth was bounded: four times the
        // depth took sixteen times as long. A ratio, not a wall-clock limit: the machine may be busy.
        let page = |levels: usize| {
            format!(
                "<html><body>{}<p>Foreign Minister Ana Ruiz met envoy Li Wen in Lima on Monday to discuss trade and fisheries.</p></body></html>",
                "<div><p><span>".repeat(levels)
            )
        };
        let fastest = |html: &str| {
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    let _ = extract(html);
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        let (small, large) = (fastest(&page(4000)), fastest(&page(16000)));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        assert!(
            ratio < 10.0,
            "4x the depth took {ratio:.1}x as long ({small:?} -> {large:?})"
        );
    }

    #[test]
    fn dates_are_read_from_the_start_of_a_date_time() {
        assert_eq!(
            date_prefix("2021-03-04T23:10:00-05:00"),
            NaiveDate::from_ymd_opt(2021, 3, 4)
        );
        assert_eq!(
            date_prefix("2021-03-04"),
            NaiveDate::from_ymd_opt(2021, 3, 4)
        );
        assert_eq!(date_prefix("March 4, 2021"), None);
    }
}

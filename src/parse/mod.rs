//! The parser: article text in, [`Parsed`] records out. Pure: no files, no database, no clock, and it
//! never fails; what it cannot settle becomes a [`ParseIssue`]. Storage and the CLI call only
//! [`parse`], [`normalize`] and [`PARSER_VERSION`].
//!
//! The work is a sequence of named passes, each in its own module:
//! [`text`] (blocks and boilerplate) -> [`header`] (categories, title, dateline, reference date) ->
//! [`tokens`] and [`doc`] (tokens and sentences) -> [`quotes`] (quotation spans) -> [`people`]
//! (names, titles, countries) -> [`coref`] (pronouns and descriptions) -> [`quotes`] (speakers) ->
//! [`meetings`] (encounters, with [`dates`] for their day) -> participants.

pub mod coref;
pub mod dates;
pub mod doc;
pub mod header;
pub mod meetings;
mod name_index;
pub mod people;
pub mod quotes;
pub mod text;
pub mod tokens;

use crate::model::{Article, ArticleMeta, ParseIssue, Parsed, Participant, Span};

/// Bumped whenever the rules change what is extracted, so `parley reparse` knows which rows are stale.
pub const PARSER_VERSION: u32 = 4;

/// The stored form of an article's text: byte-order marks at its start and NUL bytes dropped, CRLF
/// and CR line ends made LF, trailing white space trimmed. Spans index into this text, and the
/// content hash is over it. Normalizing a normalized text changes nothing (so a stored text parses
/// to the records it was stored with): every leading mark goes, also a second one, or one that
/// stood after a NUL.
pub fn normalize(raw: &str) -> String {
    let bytes = raw.as_bytes();
    // Most texts have neither NUL nor CR (`<[u8]>::contains` of a byte is a memchr).
    if !bytes.contains(&b'\0') && !bytes.contains(&b'\r') {
        return raw.trim_start_matches('\u{feff}').trim_end().to_string();
    }
    let mut text = String::with_capacity(raw.len());
    // NUL and CR are ASCII, so cutting the text at them leaves whole characters on either side:
    // copy the runs between them instead of pushing the text character by character.
    let mut rest = raw;
    while let Some(at) = rest.bytes().position(|b| b == b'\0' || b == b'\r') {
        text.push_str(&rest[..at]);
        let cr = rest.as_bytes()[at] == b'\r';
        rest = &rest[at + 1..];
        if cr {
            text.push('\n');
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
    }
    text.push_str(rest);
    let marks = text.len() - text.trim_start_matches('\u{feff}').len();
    text.drain(..marks);
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text
}

/// Texts longer than this are parsed in windows of at most this many bytes, cut at paragraph
/// boundaries (see [`windows`]), so the parser's working memory (tokens, sentences, word classes:
/// about sixteen times the bytes it reads) is bounded by the window, not by the article. News articles
/// are far shorter (the longest seen are about 100 kB); only hostile or mistaken inputs (a book, a
/// whole dump in one file) reach it.
pub const WINDOW: usize = 1 << 20;

/// Parses one article. `raw` may be anything; the result's `article.text` is `normalize(raw)`.
///
/// A text longer than [`WINDOW`] is parsed window by window: the header (title, dateline, reference
/// date) is read from the first window, each window's records are found as if it were the whole
/// text and their spans moved back to the article's offsets, and a person named in several windows
/// is listed once (the first window's record). A short form in one window does not resolve to a full
/// name in an earlier one.
pub fn parse(raw: &str, meta: &ArticleMeta) -> Parsed {
    let text = normalize(raw);
    let cuts = windows(&text, WINDOW);
    let first = &text[..cuts[0]];
    let blocks = text::blocks(first);
    let head = header::read(first, &blocks);
    let (reference, published_from) = header::reference_date(&head, meta.published);
    let skip: Vec<usize> = head.category_block.into_iter().collect();
    let ctx = Context {
        reference,
        dateline_place: head.dateline_place.clone(),
        dateline_day: head.dateline_day,
    };
    let mut found = extract(first, blocks, head.dateline_end, &skip, &ctx);
    if cuts.len() > 1 {
        let mut named: std::collections::HashSet<String> =
            found.participants.iter().map(|p| p.name.clone()).collect();
        let mut planned: std::collections::HashSet<String> =
            found.prospective.iter().map(|p| p.name.clone()).collect();
        for w in cuts.windows(2) {
            let (from, to) = (w[0], w[1]);
            let window = &text[from..to];
            let more = extract(window, text::blocks(window), None, &[], &ctx).shifted(from);
            for p in more.participants {
                if named.insert(p.name.clone()) {
                    found.participants.push(p);
                }
            }
            for p in more.prospective {
                if planned.insert(p.name.clone()) {
                    found.prospective.push(p);
                }
            }
            found.meetings.extend(more.meetings);
            found.quotes.extend(more.quotes);
            found.issues.extend(more.issues);
        }
        // Named in a later window's meeting only, but a participant in another window.
        found.prospective.retain(|p| !named.contains(&p.name));
    }
    Parsed {
        article: Article {
            title: meta.title.clone().or(head.title),
            published: reference,
            source: meta.source.clone(),
            url: meta.url.clone(),
            categories: head.categories,
            dateline_place: head.dateline_place,
            published_from: published_from.map(str::to_string),
            text,
        },
        participants: found.participants,
        prospective: found.prospective,
        meetings: found.meetings,
        quotes: found.quotes,
        issues: found.issues,
    }
}

/// Where `text` is cut into windows of at most `limit` bytes: the end of each window, the last
/// being `text.len()` (one window, the whole text, when it is no longer than `limit`). A window ends
/// after the last blank line in its second half, else after its last line end, else after its last
/// space, else at the character boundary nearest `limit`; each search looks at half a window, so
/// cutting is linear in the text.
pub fn windows(text: &str, limit: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut start = 0;
    while text.len() - start > limit {
        let mut end = start + limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut half = start + limit / 2;
        while !text.is_char_boundary(half) {
            half -= 1;
        }
        let tail = &text[half..end];
        let cut = tail
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| tail.rfind('\n').map(|i| i + 1))
            .or_else(|| tail.rfind(' ').map(|i| i + 1))
            .map_or(end, |i| half + i);
        // `half` is past `start` for any limit above 3 bytes (a character's longest encoding).
        let cut = cut.max(start + 1);
        let cut = (cut..=text.len())
            .find(|&c| text.is_char_boundary(c))
            .unwrap_or(text.len());
        cuts.push(cut);
        start = cut;
    }
    cuts.push(text.len());
    cuts
}

/// What one window of the text yields, its spans relative to the window.
struct Found {
    participants: Vec<Participant>,
    prospective: Vec<Participant>,
    meetings: Vec<crate::model::Meeting>,
    quotes: Vec<crate::model::Quote>,
    issues: Vec<ParseIssue>,
}

impl Found {
    /// The same records with every span moved `by` bytes on (a window's offset in the article).
    fn shifted(mut self, by: usize) -> Found {
        let shift = |s: &mut Span| *s = Span::new(s.start + by, s.end + by);
        for p in self.participants.iter_mut().chain(&mut self.prospective) {
            shift(&mut p.span);
        }
        for m in &mut self.meetings {
            shift(&mut m.span);
        }
        for q in &mut self.quotes {
            shift(&mut q.span);
        }
        for i in &mut self.issues {
            if let Some(s) = &mut i.span {
                shift(s);
            }
        }
        self
    }
}

/// The passes after the header over one text (the article, or one window of it): tokens and
/// sentences, quotation spans, people, coreference, speakers, meetings, then the participants.
fn extract(
    text: &str,
    blocks: Vec<text::Block>,
    skip_to: Option<usize>,
    skip: &[usize],
    ctx: &Context,
) -> Found {
    let mut issues: Vec<ParseIssue> = Vec::new();
    let mut doc = doc::Doc::new(text, blocks, skip_to, skip);
    let spans = quotes::find_spans(&mut doc, &mut issues);
    let mut people = people::find(&doc);
    coref::resolve(&doc, &mut people);
    people::dateline_countries(&doc, &mut people, ctx.dateline_place.as_deref());
    let quotes = quotes::attribute(&doc, &mut people, &spans, &mut issues);
    let meetings = meetings::find(&doc, &mut people, ctx, &mut issues);
    // Participants: people in held meetings, speakers of quotes and of reported speech.
    let mut wanted = vec![false; people.persons.len()];
    for m in &meetings.found {
        if m.status == crate::model::MeetingStatus::Held {
            for &p in &m.people {
                wanted[p] = true;
            }
        }
    }
    for q in &quotes.found {
        if let Some(p) = q.person {
            wanted[p] = true;
        }
    }
    for &p in &quotes.reported {
        wanted[p] = true;
    }
    let is_participant = |i: usize| wanted[i] && !people.persons[i].journalist;
    let mut in_meetings = vec![false; people.persons.len()];
    for m in &meetings.found {
        for &p in &m.people {
            in_meetings[p] = true;
        }
    }
    let record = |(_, p): (usize, &people::Person)| Participant {
        name: p.name.clone(),
        title: p.title.clone(),
        country: p.country.clone(),
        aliases: p.aliases.clone(),
        span: Span::new(p.span.0, p.span.1),
        rule: p.rule.to_string(),
    };
    let participants: Vec<Participant> = people
        .persons
        .iter()
        .enumerate()
        .filter(|(i, _)| is_participant(*i))
        .map(record)
        .collect();
    // Named in a meeting but no participant: the people of planned or cancelled meetings.
    let prospective: Vec<Participant> = people
        .persons
        .iter()
        .enumerate()
        .filter(|(i, _)| in_meetings[*i] && !is_participant(*i))
        .map(record)
        .collect();
    let name_of = |p: usize| people.persons[p].name.clone();
    let out_meetings = meetings
        .found
        .iter()
        .map(|m| m.to_record(&name_of))
        .collect();
    let out_quotes = quotes.found.iter().map(|q| q.to_record(&name_of)).collect();
    Found {
        participants,
        prospective,
        meetings: out_meetings,
        quotes: out_quotes,
        issues,
    }
}

/// What the meeting and date rules need from the header.
pub struct Context {
    pub reference: Option<chrono::NaiveDate>,
    pub dateline_place: Option<String>,
    pub dateline_day: Option<(u32, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_a_normalized_text_changes_nothing() {
        for raw in [
            "\u{feff}\u{feff} ",
            "\0\u{feff}Kessler met Moor.\r\n",
            "\u{feff}\r\u{feff}x",
            "a\r\nb\rc\0 \n",
        ] {
            let once = normalize(raw);
            assert_eq!(normalize(&once), once, "{raw:?}");
            assert!(!once.starts_with('\u{feff}'), "{raw:?}");
        }
        assert_eq!(normalize("\u{feff}a\r\nb\rc\0 \n"), "a\nb\nc");
    }

    #[test]
    fn a_text_within_the_limit_is_one_window() {
        assert_eq!(windows("Kessler met Moor.", 100), vec![17]);
        assert_eq!(windows("", 100), vec![0]);
    }

    #[test]
    fn windows_end_after_a_blank_line_else_a_line_else_a_space_else_anywhere() {
        let paras = "aaaa bbbb\n\ncccc\ndddd eeee";
        assert_eq!(windows(paras, 16), vec![11, 25]);
        let lines = "aaaa bbbb\ncccc dddd";
        assert_eq!(windows(lines, 16), vec![10, 19]);
        let words = "aaaa bbbb cccc dddd";
        assert_eq!(windows(words, 16), vec![15, 19]);
        let one = "a".repeat(40);
        assert_eq!(windows(&one, 16), vec![16, 32, 40]);
    }

    #[test]
    fn windows_cover_the_text_on_character_boundaries_within_the_limit() {
        let text = "Ämter über Ödland — «Größe»\n\n".repeat(50) + &"ß".repeat(200);
        for limit in [7, 16, 33, 100] {
            let cuts = windows(&text, limit);
            let mut start = 0;
            for &cut in &cuts {
                assert!(text.is_char_boundary(cut), "limit {limit}, cut {cut}");
                assert!(cut > start && cut - start <= limit, "limit {limit}");
                start = cut;
            }
            assert_eq!(start, text.len());
        }
    }

    #[test]
    fn a_text_longer_than_a_window_is_parsed_whole_with_spans_into_the_article() {
        let para = "Norland's Foreign Minister Arvid Kessler met Lena Moor, the Ostrian envoy, \
                    in Vellmar on Monday. \"We agreed on much,\" Kessler said after the talks.\n\n";
        let text = format!(
            "Talks in Vellmar go well\n\n{}",
            para.repeat(WINDOW * 5 / 2 / para.len())
        );
        let parsed = parse(&text, &ArticleMeta::default());
        assert_eq!(parsed.article.text.len(), text.trim_end().len());
        assert_eq!(
            parsed.article.title.as_deref(),
            Some("Talks in Vellmar go well")
        );
        // One record per person however many windows name them.
        let names: Vec<&str> = parsed
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(names.len(), unique.len(), "{names:?}");
        assert!(names.contains(&"Arvid Kessler"), "{names:?}");
        // The repeated meeting and quote are each found once per window, and the later windows'
        // records point at their own words in the article.
        let cuts = windows(&parsed.article.text, WINDOW);
        assert!(cuts.len() > 2);
        assert_eq!(parsed.meetings.len(), cuts.len());
        assert_eq!(parsed.quotes.len(), cuts.len());
        let last = parsed.meetings.last().expect("meetings found");
        assert!(last.span.start >= cuts[cuts.len() - 2]);
        assert!(parsed.article.text[last.span.start..last.span.end].contains("met"));
        let quote = parsed.quotes.last().expect("quotes found");
        assert!(quote.span.start >= cuts[cuts.len() - 2]);
        assert!(parsed.article.text[quote.span.start..quote.span.end].contains("We agreed"));
    }
}

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
pub const PARSER_VERSION: u32 = 3;

/// The stored form of an article's text: byte-order mark and NUL bytes dropped, CRLF and CR line ends
/// made LF, trailing white space trimmed. Spans index into this text, and the content hash is over it.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let bytes = raw.as_bytes();
    // Most texts have neither NUL nor CR (`<[u8]>::contains` of a byte is a memchr).
    if !bytes.contains(&b'\0') && !bytes.contains(&b'\r') {
        return raw.trim_end().to_string();
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
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text
}

/// Parses one article. `raw` may be anything; the result's `article.text` is `normalize(raw)`.
pub fn parse(raw: &str, meta: &ArticleMeta) -> Parsed {
    let text = normalize(raw);
    let mut issues: Vec<ParseIssue> = Vec::new();
    let blocks = text::blocks(&text);
    let head = header::read(&text, &blocks);
    let (reference, published_from) = header::reference_date(&head, meta.published);
    let skip: Vec<usize> = head.category_block.into_iter().collect();
    let mut doc = doc::Doc::new(&text, blocks, head.dateline_end, &skip);
    let spans = quotes::find_spans(&mut doc, &mut issues);
    let mut people = people::find(&doc);
    coref::resolve(&doc, &mut people);
    people::dateline_countries(&doc, &mut people, head.dateline_place.as_deref());
    let ctx = Context {
        reference,
        dateline_place: head.dateline_place.clone(),
        dateline_day: head.dateline_day,
    };
    let quotes = quotes::attribute(&doc, &mut people, &spans, &mut issues);
    let meetings = meetings::find(&doc, &mut people, &ctx, &mut issues);

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
    Parsed {
        article: Article {
            title: meta.title.clone().or(head.title.clone()),
            published: reference,
            source: meta.source.clone(),
            url: meta.url.clone(),
            categories: head.categories.clone(),
            dateline_place: head.dateline_place.clone(),
            published_from: published_from.map(str::to_string),
            text: text.clone(),
        },
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

//! The records that flow through the pipeline: what the parser produces from one article and what
//! storage persists. `parley parse --format json` prints a [`Parsed`] as it is, so the field names
//! here are a public contract (`score.py` and users' scripts read them): add fields, never rename.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Byte offsets into the article's stored (normalized) text, `start..end`, on character boundaries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// What the caller knows about an article besides its text (from flags, page metadata or a JSON line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    /// Publication date: given by the caller, else fixed from the text (a dated photo caption or dateline).
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub categories: Vec<String>,
    /// The stored text: the raw text normalized (see `parse::normalize`). Every span indexes into it.
    pub text: String,
    /// The city of the dateline ("WASHINGTON, March 11 -"), if the article has one.
    #[serde(default)]
    pub dateline_place: Option<String>,
    /// Where `published` came from: "given", "caption", "dateline" or null.
    #[serde(default)]
    pub published_from: Option<String>,
}

/// One person as the article presents them, merged over all their mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The fullest form of the name the article gives, without titles or honorifics.
    pub name: String,
    /// The office at the time of the events ("Foreign Minister"), without the country adjective.
    pub title: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country the person represents.
    pub country: Option<String>,
    /// Other forms of the name used in the article ("Zarif", "Javad Zarif").
    pub aliases: Vec<String>,
    /// The first mention of the full name.
    #[serde(default)]
    pub span: Span,
    /// The pattern that found the person ("person.title-name", "person.full-name"): provenance, so
    /// a user auditing the archive sees which rule to blame. Empty where the store does not keep it.
    #[serde(default)]
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingMode {
    InPerson,
    Phone,
    Video,
}

impl MeetingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingMode::InPerson => "in_person",
            MeetingMode::Phone => "phone",
            MeetingMode::Video => "video",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Held,
    Planned,
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Held => "held",
            MeetingStatus::Planned => "planned",
            MeetingStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Names of participants (each the `name` of a [`Participant`]).
    pub participants: Vec<String>,
    /// The city where it happened.
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    /// The phrase the date was read from ("on Wednesday", "March 11").
    pub date_text: Option<String>,
    /// The date `date_text` was resolved against (publication date, caption or dateline).
    #[serde(default)]
    pub date_anchor: Option<NaiveDate>,
    pub mode: MeetingMode,
    pub status: MeetingStatus,
    /// The sentence that reports the meeting (its first mention).
    pub span: Span,
    /// The pattern that found it ("meeting.verb", "meeting.event-noun", "meeting.call", ...): its
    /// provenance, for auditing the archive. Empty where unknown (rows stored before it existed).
    #[serde(default)]
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    Direct,
    Reported,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Reported => "reported",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// A participant's name, an organisation's name ("White House"), or null for an unnamed source.
    pub speaker: Option<String>,
    pub kind: QuoteKind,
    /// The quoted words, without the quotation marks and the closing comma or full stop.
    pub text: String,
    /// The quoted words in the stored text (for a quote split by its attribution: first to last piece).
    pub span: Span,
    /// The pattern that named the speaker ("quote.said-after", "quote.pronoun-chain"), or
    /// "quote.no-speaker": provenance for audits. Empty where the store does not keep it.
    #[serde(default)]
    pub rule: String,
}

/// Something the parser noticed but could not settle; stored with the article instead of failing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParseIssue {
    /// A short stable identifier of the rule ("unbalanced-quote", "no-reference-date").
    pub rule: String,
    pub message: String,
    pub span: Option<Span>,
}

/// Everything the parser extracts from one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub article: Article,
    /// People who took part in a held meeting or who speak (a quote or reported speech).
    pub participants: Vec<Participant>,
    /// Other people named in a meeting: those of planned or cancelled meetings only (and the outlet's
    /// own journalists, who are never participants). They are kept
    /// so that every name in a meeting is one of the article's people, but they took part in no
    /// encounter, so they are not participants.
    #[serde(default)]
    pub prospective: Vec<Participant>,
    pub meetings: Vec<Meeting>,
    pub quotes: Vec<Quote>,
    pub issues: Vec<ParseIssue>,
}

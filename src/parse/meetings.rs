//! Meetings pass: finds encounters between named people. A trigger from the lexicon ("met",
//! "held talks with", "talks ... with", "spoke by phone", "called X", "hosted X", "shake hands
//! with") joins the people before it in its clause (the subject, or "the two men") with the people
//! after it (up to the next trigger, clause or attribution); "meetings with A, B and C" are one
//! encounter per person. Status cues before the trigger ("will", "expected to", "cancelled") mark
//! planned and cancelled meetings. The place comes from a venue ("State Department"), "in X" or
//! "city of X" in the clause, a "meeting in X" in the next sentence, or the dateline for
//! in-person meetings that are the day's news; the date from a date phrase in the sentence, an
//! earlier sentence of the paragraph, or the lead. One record per encounter: the same people with
//! the same status are merged. Relies on people, coreference and quotation marks.

use super::Context;
use super::dates::{self, DateSense};
use super::doc::Doc;
use super::people::{Mention, People};
use super::text::BlockKind;
use super::tokens::Kind;
use crate::lexicon::{self, CountryForm, TriggerShape};
use crate::model::{Meeting, MeetingMode, MeetingStatus, ParseIssue, Span};
use chrono::NaiveDate;

/// A meeting found in the text, with people as indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub people: Vec<usize>,
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    pub date_text: Option<String>,
    pub date_anchor: Option<NaiveDate>,
    pub mode: MeetingMode,
    pub status: MeetingStatus,
    pub span: (usize, usize),
}

impl Found {
    pub fn to_record(&self, name_of: &dyn Fn(usize) -> String) -> Meeting {
        Meeting {
            participants: self.people.iter().map(|&p| name_of(p)).collect(),
            place: self.place.clone(),
            date: self.date,
            date_text: self.date_text.clone(),
            date_anchor: self.date_anchor,
            mode: self.mode,
            status: self.status,
            span: Span::new(self.span.0, self.span.1),
        }
    }
}

/// The meetings of an article.
#[derive(Debug, Clone, Default)]
pub struct Meetings {
    pub found: Vec<Found>,
}

struct Trig {
    start: usize,
    end: usize,
    mode: &'static str,
    shape: TriggerShape,
}

const CLAUSE_BREAKS: [&str; 8] = [
    "but", "while", "as", "when", "because", "although", "whereas", "that",
];

/// Words that may not stand between a verb and its object: "met a cool reception from X".
const NOT_GAP: [&str; 16] = [
    "a", "an", "the", "from", "for", "to", "of", "by", "about", "at", "in", "into", "and", "or",
    "that", "but",
];

/// Words that may stand between a verb and its object: "met Tuesday morning with X".
const GAP_WORDS: [&str; 18] = [
    "with",
    "on",
    "today",
    "yesterday",
    "morning",
    "evening",
    "afternoon",
    "night",
    "separately",
    "privately",
    "briefly",
    "also",
    "again",
    "later",
    "here",
    "there",
    "earlier",
    "then",
];
/// "the two men met", "both leaders": the two people spoken of last met one another.
const PAIR_PHRASES: [&str; 20] = [
    "the two men",
    "both men",
    "the two leaders",
    "both leaders",
    "the two officials",
    "both officials",
    "the two ministers",
    "both ministers",
    "the two presidents",
    "both presidents",
    "the two diplomats",
    "both diplomats",
    "the two women",
    "both women",
    "the two heads",
    "both heads",
    "the two envoys",
    "both envoys",
    "the two sides",
    "both sides",
];
const OBJECT_STOPS: [&str; 12] = [
    "said", "says", "told", "saying", "that", "but", "where", "when", "because", "while",
    "although", "after",
];

fn token_at(doc: &Doc, from: usize, to: usize, byte: usize) -> Option<usize> {
    let i = from + doc.tokens[from..to].partition_point(|t| t.start < byte);
    (i < to && doc.tokens[i].start == byte).then_some(i)
}

fn token_ending_at(doc: &Doc, from: usize, to: usize, byte: usize) -> Option<usize> {
    let i = from + doc.tokens[from..to].partition_point(|t| t.end < byte);
    (i < to && doc.tokens[i].end == byte).then_some(i)
}

/// Sentences longer than this are not prose (a page without punctuation) and hold no meetings.
const LONGEST_SENTENCE: usize = 400;

fn triggers(doc: &Doc, s: usize, e: usize) -> Vec<Trig> {
    let base = doc.tokens[s].start;
    let mut out: Vec<Trig> = Vec::new();
    for (a, b, t) in lexicon::find_triggers(doc.slice_ascii_lower(s, e)) {
        let (Some(ta), Some(tb)) = (
            token_at(doc, s, e, base + a),
            token_ending_at(doc, s, e, base + b).map(|i| i + 1),
        ) else {
            continue;
        };
        if doc.in_quote[ta] {
            continue;
        }
        out.push(Trig {
            start: ta,
            end: tb,
            mode: t.mode,
            shape: t.shape,
        });
    }
    // "talks on Wednesday with X", "a meeting can be arranged between X and Y".
    for i in s..e {
        // Only words of these lengths can be these nouns; the others need not be looked at.
        let tok = doc.tokens[i];
        if !tok.is_word() || !matches!(tok.end - tok.start, 4 | 5 | 7 | 8 | 10) {
            continue;
        }
        let lw = doc.lower(i);
        if !matches!(
            lw,
            "talks" | "meeting" | "meetings" | "call" | "calls" | "conference"
        ) || doc.in_quote[i]
        {
            continue;
        }
        let bare = |t: &Trig| t.start == i && t.end == i + 1;
        if out.iter().any(|t| t.start <= i && i < t.end && !bare(t)) {
            continue;
        }
        if let Some(w) =
            (i + 2..(i + 6).min(e)).find(|&k| matches!(doc.lower(k), "with" | "between"))
        {
            if (i + 1..w).any(|k| matches!(doc.tokens[k].kind, Kind::Punct(_) | Kind::Quote(_))) {
                continue;
            }
            let shape = if lw == "meetings" {
                TriggerShape::Plural
            } else {
                TriggerShape::Noun
            };
            let mode = if lw.starts_with("call") {
                "phone"
            } else {
                "in_person"
            };
            out.retain(|t| !bare(t));
            out.push(Trig {
                start: i,
                end: w + 1,
                mode,
                shape,
            });
        } else if lw != "conference" && i > s {
            // "held a trilateral meeting", "had talks": the people who held it met.
            let held = (i.saturating_sub(4).max(s)..i)
                .find(|&k| matches!(doc.lower(k), "held" | "had" | "hold" | "holds" | "holding"));
            if let Some(h) = held
                && (h + 1..i).all(|k| doc.tokens[k].is_word() && !doc.is_cap(k))
                && !out.iter().any(|t| t.start <= h && h < t.end)
            {
                out.retain(|t| !bare(t));
                out.push(Trig {
                    start: h,
                    end: i + 1,
                    mode: if lw.starts_with("call") {
                        "phone"
                    } else {
                        "in_person"
                    },
                    shape: TriggerShape::Verb,
                });
            }
        }
    }
    out.sort_by_key(|t| t.start);
    // "met and held talks with": one trigger.
    let mut merged: Vec<Trig> = Vec::new();
    for t in out {
        if let Some(last) = merged.last_mut()
            && t.start <= last.end + 1
            && (t.start == last.end || doc.lower(last.end) == "and")
        {
            last.end = t.end.max(last.end);
            if t.mode != "in_person" {
                last.mode = t.mode;
            }
            last.shape = t.shape;
            continue;
        }
        merged.push(t);
    }
    merged
}

fn usable(m: &Mention) -> bool {
    !m.in_quote && !m.possessive
}

/// Finds meetings sentence by sentence and merges repeated mentions of one encounter.
pub fn find(
    doc: &Doc,
    people: &mut People,
    ctx: &Context,
    issues: &mut Vec<ParseIssue>,
) -> Meetings {
    let mut found: Vec<Found> = Vec::new();
    let first_body = doc.blocks.iter().position(|b| b.kind == BlockKind::Body);
    let mut date_cache = DateCache::default();
    for (si, sent) in doc.sents.iter().enumerate() {
        if doc.blocks[sent.block].kind == BlockKind::Boilerplate {
            continue;
        }
        let (s, e) = (sent.start, sent.end);
        if e - s > LONGEST_SENTENCE || s == e {
            continue;
        }
        let trigs = triggers(doc, s, e);
        if trigs.is_empty() {
            continue;
        }
        let in_sent: Vec<&Mention> = super::people::mentions_in(&people.mentions, s, e)
            .iter()
            .filter(|m| usable(m))
            .collect();
        let mut prev_objects: Vec<usize> = Vec::new();
        for (ti, t) in trigs.iter().enumerate() {
            let next_start = trigs.get(ti + 1).map_or(e, |n| n.start);
            // Objects: people after the trigger, up to a stop.
            let mut obj_end = t.end;
            while obj_end < next_start {
                let lw = doc.lower(obj_end);
                let tk = doc.tokens[obj_end].kind;
                if super::tokens::is_stop(doc.text, &doc.tokens, obj_end)
                    || doc.in_quote[obj_end] && obj_end > t.end + 1
                {
                    break;
                }
                if OBJECT_STOPS.contains(&lw) {
                    break;
                }
                // "met X and apologized": a new verb phrase.
                if lw == "and" && obj_end > t.end {
                    let next = doc.lower(obj_end + 1);
                    let nt = doc.tokens.get(obj_end + 1);
                    if nt.is_some_and(|t| t.is_word())
                        && !doc.is_cap(obj_end + 1)
                        && !matches!(
                            next,
                            "his"
                                | "her"
                                | "their"
                                | "the"
                                | "a"
                                | "an"
                                | "its"
                                | "other"
                                | "then"
                                | "former"
                        )
                    {
                        break;
                    }
                }
                if tk == Kind::Punct(',') {
                    // ", Kessler told reporters": an attribution, not an object.
                    if let Some(m) = in_sent.iter().find(|m| m.start == obj_end + 1)
                        && super::people::before_reporting_verb(doc, m.end)
                    {
                        break;
                    }
                }
                obj_end += 1;
            }
            let objects: Vec<&Mention> = in_sent
                .iter()
                .copied()
                .filter(|m| m.start >= t.end && m.start < obj_end)
                .collect();
            if matches!(t.shape, TriggerShape::Call | TriggerShape::Verb) {
                // A person follows the verb directly ("called Prime Minister X", "met Tuesday with
                // X", "meeting France's X"), or the people before it met one another ("X and Y met").
                // "spoke to his Indian counterpart, X": a counterpart phrase may stand between.
                let via_counterpart = objects.first().is_some_and(|m| {
                    m.start <= t.end + 6 && doc.slice_lower(t.end, m.start).contains("counterpart")
                });
                let direct = via_counterpart
                    || objects.first().is_some_and(|m| {
                        (t.end..m.start).all(|k| {
                            let tk = doc.tokens[k];
                            let w = doc.word(k);
                            tk.kind == Kind::Poss
                                || tk.is_word()
                                    && !doc.is_cap(k)
                                    && !lexicon::with_lower(w, |l| NOT_GAP.contains(&l))
                                    && m.start - t.end <= 3
                                || tk.is_word()
                                    && (lexicon::with_lower(w, |l| GAP_WORDS.contains(&l))
                                        || dates::weekday(w).is_some()
                                        || lexicon::countries().lookup(w).is_some())
                        })
                    });
                let needs_object = t.shape == TriggerShape::Call || doc.lower(t.start) == "meeting";
                if !direct && (needs_object || !objects.is_empty()) {
                    continue;
                }
            }
            // Subjects: people before the trigger in its clause, other than earlier objects.
            let mut clause_start = s;
            for k in (s..t.start).rev() {
                if doc.in_quote[k] {
                    continue;
                }
                let lw = doc.lower(k);
                if doc.tokens[k].is_punct(';') || CLAUSE_BREAKS.contains(&lw) && !doc.is_cap(k) {
                    clause_start = k + 1;
                    break;
                }
            }
            let mut subjects: Vec<usize> = in_sent
                .iter()
                .filter(|m| {
                    m.end <= t.start && m.start >= clause_start && !prev_objects.contains(&m.person)
                })
                .map(|m| m.person)
                .collect();
            if subjects.is_empty() {
                let before = doc.slice_lower(clause_start, t.start);
                let pair = PAIR_PHRASES.iter().any(|p| before.contains(p));
                if pair && !before.contains("sides") {
                    subjects = recent_two(people, si);
                } else if t.start <= s + 3
                    || doc.lower(s).ends_with("ing")
                    || matches!(
                        doc.lower(s),
                        "after" | "during" | "following" | "before" | "in"
                    )
                {
                    // "After talks with X, Kessler said": the main clause's subject.
                    if let Some(m) = in_sent.iter().find(|m| m.start >= obj_end) {
                        subjects.push(m.person);
                    }
                }
            }
            // Status from cues before the trigger.
            let cue_text_start = doc.tokens[clause_start.min(t.start)].start;
            let cue_slice = &doc.lower_text()[cue_text_start..doc.tokens[t.start].end];
            // Cancellation may come after the trigger: "a meeting with X was cancelled".
            let tail_end = doc.tokens[obj_end.min(e - 1).max(t.end.min(e - 1))].end;
            let tail = &doc.lower_text()[doc.tokens[t.start].start..tail_end];
            let cancelled_after = lexicon::find_status_cues(tail)
                .iter()
                .any(|(_, st)| *st == "cancelled");
            let mut status = MeetingStatus::Held;
            let quoted = |off: usize| {
                let byte = cue_text_start + off;
                (clause_start..=t.start).any(|k| {
                    doc.in_quote[k] && doc.tokens[k].start <= byte && byte < doc.tokens[k].end
                })
            };
            for (_, st) in lexicon::find_status_cues(cue_slice)
                .into_iter()
                .filter(|(off, _)| !quoted(*off))
            {
                status = match st {
                    "cancelled" => MeetingStatus::Cancelled,
                    _ if status == MeetingStatus::Cancelled => status,
                    _ => MeetingStatus::Planned,
                };
            }
            if cancelled_after {
                status = MeetingStatus::Cancelled;
            }
            let mode = match t.mode {
                "phone" => MeetingMode::Phone,
                "video" => MeetingMode::Video,
                _ => {
                    let tail = doc.slice_lower(t.start, obj_end.min(e));
                    if tail.contains("by phone")
                        || tail.contains("by telephone")
                        || tail.contains("phone call")
                    {
                        MeetingMode::Phone
                    } else {
                        MeetingMode::InPerson
                    }
                }
            };
            let object_ids: Vec<usize> = objects.iter().map(|m| m.person).collect();
            prev_objects.extend(&object_ids);
            let with_unnamed = object_ids.is_empty()
                && doc
                    .slice_lower(t.start, obj_end.min(e))
                    .contains("counterpart");
            if with_unnamed && mode == MeetingMode::Phone {
                continue;
            }
            let groups: Vec<Vec<usize>> = if t.shape == TriggerShape::Plural && !subjects.is_empty()
            {
                object_ids.iter().map(|&o| vec![subjects[0], o]).collect()
            } else {
                let mut all = subjects.clone();
                all.extend(&object_ids);
                vec![all]
            };
            let place = if mode == MeetingMode::InPerson {
                place_in(doc, people, clause_start, obj_end.max(t.end).min(e) + 6, e)
                    .or_else(|| place_next_sentence(doc, si))
            } else {
                None
            };
            let in_lead = first_body.is_some_and(|fb| sent.block == fb);
            let mut who = subjects.clone();
            who.extend(&object_ids);
            let (mut date, date_text) = date_for(
                &mut date_cache,
                doc,
                people,
                ctx,
                si,
                (clause_start.min(t.start), (obj_end + 4).min(e)),
                status == MeetingStatus::Planned,
                in_lead,
                &who,
            );
            if status == MeetingStatus::Cancelled {
                // A day near "cancelled" is the day of the cancellation, not of the meeting.
                date = None;
            }
            if date.is_none()
                && status != MeetingStatus::Cancelled
                && ctx.reference.is_none()
                && let Some(phrase) = &date_text
            {
                issues.push(ParseIssue {
                    rule: "no-reference-date".into(),
                    message: format!(
                        "no publication or caption date to resolve \"{phrase}\" against"
                    ),
                    span: Some(Span::new(doc.tokens[s].start, doc.tokens[e - 1].end)),
                });
            }
            let place = place.or_else(|| {
                let here = doc
                    .slice(s, e)
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "here" || w == "today");
                let dateline_day = ctx.dateline_day.zip(ctx.reference).and_then(|((m, d), r)| {
                    NaiveDate::from_ymd_opt(chrono::Datelike::year(&r), m, d)
                });
                let todays = date.is_some() && (date == ctx.reference || date == dateline_day);
                (mode == MeetingMode::InPerson
                    && (here || in_lead || todays)
                    && doc.blocks[sent.block].kind == BlockKind::Body)
                    .then(|| ctx.dateline_place.clone())
                    .flatten()
            });
            for mut group in groups {
                let mut seen = Vec::new();
                group.retain(|p| {
                    let keep = !seen.contains(p) && !people.persons[*p].journalist;
                    seen.push(*p);
                    keep
                });
                if group.len() < 2 {
                    continue;
                }
                found.push(Found {
                    people: group,
                    place: place.clone(),
                    date,
                    date_text: date_text.clone(),
                    date_anchor: ctx.reference,
                    mode,
                    status,
                    span: (doc.tokens[s].start, doc.tokens[e - 1].end),
                });
            }
        }
    }
    let mut merged = merge(found);
    visit_places(doc, people, &mut merged);
    host_countries(people, &merged);
    Meetings { found: merged }
}

fn recent_two(people: &People, si: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let before = people.mentions.partition_point(|m| m.sent < si);
    for m in people.mentions[..before]
        .iter()
        .rev()
        .take(200)
        .filter(|m| usable(m))
    {
        if !out.contains(&m.person) {
            out.push(m.person);
            if out.len() == 2 {
                break;
            }
        }
    }
    out
}

/// A city named in tokens `a..b`: a venue's city, "city of X", or "in X".
fn place_in(doc: &Doc, people: &People, a: usize, b: usize, sent_end: usize) -> Option<String> {
    let b = b.min(sent_end);
    if a >= b {
        return None;
    }
    let span = doc.slice(a, b);
    if let Some((_, _, city)) = lexicon::find_venue(span) {
        return Some(city.to_string());
    }
    for i in a..b {
        if doc.in_quote[i] {
            continue;
        }
        let lw = doc.lower(i);
        let start = if lw == "city" && doc.lower(i + 1) == "of" {
            i + 2
        } else if lw == "in" || lw == "to" && i > a && doc.lower(i - 1) == "visit" {
            i + 1
        } else {
            continue;
        };
        if let Some(city) = city_at(doc, people, start, b) {
            return Some(city);
        }
    }
    None
}

fn city_at(doc: &Doc, people: &People, start: usize, b: usize) -> Option<String> {
    let mut j = start;
    while j < b && doc.is_cap(j) {
        j += 1;
    }
    if j == start {
        return None;
    }
    let name = doc.slice(start, j);
    let words: Vec<&str> = (start..j).map(|k| doc.word(k)).collect();
    if (start..j).any(|k| {
        let class = doc.class(k);
        class.stopword() || class.nonperson() || class.title_head()
    }) {
        return None;
    }
    if let Some((_, form)) = lexicon::countries().lookup(name) {
        return (form == CountryForm::Capital).then(|| name.to_string());
    }
    if words.iter().any(|w| {
        lexicon::countries()
            .lookup(w)
            .is_some_and(|(_, f)| f != CountryForm::Capital)
    }) {
        return None;
    }
    let around = super::people::mentions_in(&people.mentions, start.saturating_sub(12), start + 1);
    if around.iter().any(|m| m.start <= start && start < m.end) {
        return None;
    }
    Some(name.to_string())
}

/// "The Treasury described the meeting as "a private meeting in Frankfurt"": the next sentence's
/// "meeting in X" or "talks in X", quoted or not.
fn place_next_sentence(doc: &Doc, si: usize) -> Option<String> {
    let next = doc.sents.get(si + 1)?;
    for i in next.start..next.end.saturating_sub(1) {
        if matches!(doc.lower(i), "meeting" | "talks") && doc.lower(i + 1) == "in" {
            let mut j = i + 2;
            while j < next.end && j < i + 8 && doc.is_cap(j) {
                j += 1;
            }
            if j > i + 2 {
                let name = doc.slice(i + 2, j);
                if lexicon::countries()
                    .lookup(name)
                    .is_none_or(|(_, f)| f == CountryForm::Capital)
                {
                    return Some(name.to_string());
                }
            }
        }
    }
    None
}

/// Date phrases of token ranges, each range read once: the meetings of an article look at the same
/// sentences, paragraphs and lead again and again.
#[derive(Default)]
struct DateCache(lexicon::FastMap<(usize, usize), Vec<dates::DatePhrase>>);

impl DateCache {
    fn find(&mut self, doc: &Doc, from: usize, to: usize) -> &[dates::DatePhrase] {
        self.0
            .entry((from, to))
            .or_insert_with(|| dates::find(doc.text, doc.lower_text(), &doc.tokens, from, to))
    }
}

#[allow(clippy::too_many_arguments)]
fn date_for(
    cache: &mut DateCache,
    doc: &Doc,
    people: &People,
    ctx: &Context,
    si: usize,
    (lo, hi): (usize, usize),
    future: bool,
    in_lead: bool,
    who: &[usize],
) -> (Option<NaiveDate>, Option<String>) {
    let sent = doc.sents[si];
    let outside = |p: &dates::DatePhrase| !doc.in_quote[p.tok_start];
    // Phrases of the meeting's own clause; a date in what someone said is about something else.
    let mut phrases: Vec<dates::DatePhrase> = cache
        .find(doc, sent.start, sent.end)
        .iter()
        .copied()
        .filter(outside)
        .filter(|p| p.tok_start >= lo && p.tok_start < hi)
        .collect();
    // The phrase nearest the trigger.
    let trig = lo;
    phrases.sort_by_key(|p| (p.tok_start as i64 - trig as i64).abs());
    let pick = |p: &dates::DatePhrase| -> (Option<NaiveDate>, Option<String>) {
        (
            dates::resolve(p.sense, ctx.reference, future),
            Some(doc.text[p.start..p.end].to_string()),
        )
    };
    if let Some(p) = phrases.first() {
        return pick(p);
    }
    // An earlier sentence of the same paragraph.
    let block = sent.block;
    for prev in (si.saturating_sub(8)..si).rev() {
        let ps = doc.sents[prev];
        if ps.block != block {
            break;
        }
        let found: Vec<_> = cache
            .find(doc, ps.start, ps.end)
            .iter()
            .copied()
            .filter(outside)
            .collect();
        if let Some(p) = found.last() {
            if p.sense != DateSense::Vague {
                return pick(p);
            }
            return (None, None);
        }
    }
    if future {
        return (None, None);
    }
    // The paragraph before, where it speaks of the same people ("X said Monday ..." then "After
    // talks with Y, X said ...").
    if let Some(pb) = (0..block)
        .rev()
        .find(|&b| doc.block_tokens[b].0 < doc.block_tokens[b].1)
    {
        let (f, t) = doc.block_tokens[pb];
        let same_people = t - f < LONGEST_SENTENCE
            && super::people::mentions_in(&people.mentions, f, t)
                .iter()
                .any(|m| who.contains(&m.person));
        if same_people && doc.blocks[pb].kind == BlockKind::Body {
            let found: Vec<_> = cache
                .find(doc, f, t)
                .iter()
                .copied()
                .filter(outside)
                .collect();
            if let Some(p) = found.last().filter(|p| p.sense != DateSense::Vague) {
                return pick(p);
            }
        }
    }
    // The day of the story: the lead's first date, else the dateline's day.
    let lead = doc.blocks.iter().position(|b| b.kind == BlockKind::Body);
    if let Some(lb) = lead.filter(|&lb| lb != block || !in_lead) {
        let (f, t) = doc.block_tokens[lb];
        let t = t.min(f + LONGEST_SENTENCE);
        let found: Vec<_> = cache
            .find(doc, f, t)
            .iter()
            .copied()
            .filter(outside)
            .collect();
        if let Some(p) = found.first() {
            return if p.sense == DateSense::Vague {
                (None, None)
            } else {
                pick(p)
            };
        }
    }
    if let (Some((m, d)), Some(r)) = (ctx.dateline_day, ctx.reference) {
        let day = NaiveDate::from_ymd_opt(chrono::Datelike::year(&r), m, d);
        return (day, Some("dateline".to_string()));
    }
    (None, None)
}

/// One record per encounter: the same people with the same status.
fn merge(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut by_key: std::collections::HashMap<(Vec<usize>, &'static str), usize> =
        std::collections::HashMap::new();
    for f in found {
        let mut key = f.people.clone();
        key.sort_unstable();
        let key = (key, f.status.as_str());
        if let Some(o) = by_key.get(&key).map(|&i| &mut out[i]) {
            if o.place.is_none() {
                o.place = f.place;
            }
            if o.date.is_none() && f.date.is_some() {
                o.date = f.date;
                o.date_text = f.date_text;
            }
            continue;
        }
        by_key.insert(key, out.len());
        out.push(f);
    }
    out
}

/// "X arrived in Oslo", "X, who is in Islamabad on an official visit", "X's visit to Hanoi": the
/// city a visitor is in gives the place of their in-person meetings that have none.
fn visit_places(doc: &Doc, people: &People, meetings: &mut [Found]) {
    let mut visiting: Vec<(usize, String)> = Vec::new();
    for m in people.mentions.iter().filter(|m| usable(m) || m.possessive) {
        let sent_end = doc.sents[m.sent].end;
        let mut k = m.end;
        let stop = (k + 8).min(sent_end);
        while k < stop {
            let lw = doc.lower(k);
            let at_city = match lw {
                "arrived" | "arrives" | "arriving" if doc.lower(k + 1) == "in" => Some(k + 2),
                "is" | "was" | "were" if doc.lower(k + 1) == "in" => Some(k + 2),
                "visit" | "trip" if doc.lower(k + 1) == "to" => Some(k + 2),
                _ => None,
            };
            if let Some(c) = at_city {
                if let Some(city) = city_at(doc, people, c, sent_end) {
                    visiting.push((m.person, city));
                }
                break;
            }
            if matches!(doc.tokens[k].kind, Kind::Punct('.' | ';')) {
                break;
            }
            k += 1;
        }
    }
    for f in meetings.iter_mut().filter(|f| {
        f.place.is_none() && f.mode == MeetingMode::InPerson && f.status == MeetingStatus::Held
    }) {
        if let Some((_, city)) = visiting.iter().rev().find(|(p, _)| f.people.contains(p)) {
            f.place = Some(city.clone());
        }
    }
}

/// A participant without a country in a meeting held in another participant's host country takes
/// the host's country: "Zarif, in Islamabad, met X" makes X Pakistani.
fn host_countries(people: &mut People, meetings: &[Found]) {
    for m in meetings.iter().filter(|m| m.status == MeetingStatus::Held) {
        let Some(place) = &m.place else { continue };
        let Some(iso) = lexicon::place_country(place) else {
            continue;
        };
        let visitor = m.people.iter().any(|&p| {
            people.persons[p]
                .country
                .as_deref()
                .is_some_and(|x| x != iso)
        });
        if visitor {
            for &p in &m.people {
                if people.persons[p].country.is_none() {
                    people.persons[p].set_country(iso, 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{coref, people, quotes, text};

    /// Participants, place, date and status of a meeting, as the test expects them.
    type Expected<'a> = (&'a [&'a str], Option<&'a str>, Option<&'a str>, &'a str);
    type Row = (Vec<String>, Option<String>, Option<String>, String);

    fn check(input: &str, published: &str, expected: &[Expected]) {
        let blocks = text::blocks(input);
        let mut doc = Doc::new(input, blocks, None, &[]);
        let mut issues = Vec::new();
        quotes::find_spans(&mut doc, &mut issues);
        let mut p = people::find(&doc);
        coref::resolve(&doc, &mut p);
        let ctx = Context {
            reference: NaiveDate::parse_from_str(published, "%Y-%m-%d").ok(),
            dateline_place: None,
            dateline_day: None,
        };
        let m = find(&doc, &mut p, &ctx, &mut issues);
        let got: Vec<Row> = m
            .found
            .iter()
            .map(|f| {
                (
                    f.people
                        .iter()
                        .map(|&i| p.persons[i].name.clone())
                        .collect(),
                    f.place.clone(),
                    f.date.map(|d| d.to_string()),
                    f.status.as_str().to_string(),
                )
            })
            .collect();
        let want: Vec<Row> = expected
            .iter()
            .map(|(ps, pl, d, s)| {
                (
                    ps.iter().map(|x| x.to_string()).collect(),
                    pl.map(str::to_string),
                    d.map(str::to_string),
                    s.to_string(),
                )
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_meeting_has_its_people_place_and_day() {
        check(
            "Foreign Minister Arvid Kessler met and held talks with Lena Moor in Oslo on Wednesday.",
            "2020-11-12",
            &[(
                &["Arvid Kessler", "Lena Moor"],
                Some("Oslo"),
                Some("2020-11-11"),
                "held",
            )],
        );
    }

    #[test]
    fn a_planned_meeting_is_not_held() {
        check(
            "Secretary of State Arvid Kessler and Foreign Minister Lena Moor will meet in Oslo in April.",
            "1987-03-06",
            &[(
                &["Arvid Kessler", "Lena Moor"],
                Some("Oslo"),
                None,
                "planned",
            )],
        );
    }

    #[test]
    fn meetings_with_several_people_are_one_encounter_each() {
        check(
            "After a day of meetings with Vice President Tom Harlow and Commerce Secretary Ann Brill, Foreign Secretary Joe Kessler told a press conference he was pleased.",
            "1987-03-11",
            &[
                (&["Joe Kessler", "Tom Harlow"], None, None, "held"),
                (&["Joe Kessler", "Ann Brill"], None, None, "held"),
            ],
        );
    }

    #[test]
    fn a_phone_call_has_no_place_and_repeats_merge() {
        check(
            "President Tom Harlow on Saturday called Prime Minister Ahmet Kaya to discuss the crisis. Harlow spoke with Kaya by phone again.",
            "2016-02-15",
            &[(
                &["Tom Harlow", "Ahmet Kaya"],
                None,
                Some("2016-02-13"),
                "held",
            )],
        );
    }

    #[test]
    fn a_venue_fixes_the_city() {
        check(
            "Minister Ana Brill held talks with President Tom Harlow at the State Department.",
            "2016-02-15",
            &[(
                &["Ana Brill", "Tom Harlow"],
                Some("Washington"),
                None,
                "held",
            )],
        );
    }

    #[test]
    fn a_visitor_s_city_is_the_place_of_their_meetings() {
        check(
            "Foreign Minister Lena Moor arrived in Oslo on Monday. Moor held talks with Prime Minister Arvid Kessler on Tuesday.",
            "2021-10-05",
            &[(
                &["Lena Moor", "Arvid Kessler"],
                Some("Oslo"),
                Some("2021-10-05"),
                "held",
            )],
        );
    }

    #[test]
    fn the_people_who_held_a_meeting_met_one_another() {
        check(
            "Chancellor Anna Vogt and President Luc Moreau held a trilateral meeting with Prime Minister Paolo Ferrante on Thursday.",
            "2021-10-08",
            &[(
                &["Anna Vogt", "Luc Moreau", "Paolo Ferrante"],
                None,
                Some("2021-10-07"),
                "held",
            )],
        );
    }

    #[test]
    fn a_cancellation_after_the_trigger_cancels_the_meeting() {
        check(
            "A proposed meeting between President Luc Moreau and Chancellor Anna Vogt was cancelled on Monday.",
            "2021-10-08",
            &[(&["Luc Moreau", "Anna Vogt"], None, None, "cancelled")],
        );
    }
}

//! Meetings, gathering sub-pass: a summit, conference or ministerial that the article reports is one
//! multilateral record listing every named person the text places there. A sentence names the
//! gathering (a noun of `data/gathering_words.tsv`, not "news conference"); where it also holds an
//! attendance cue ("attended by", "opened the summit", "present at", "told the conference",
//! "including") and no status or absence cue ("will", "missed", "not"), the people of that sentence
//! were there. Three or more such people make the record (two are an ordinary meeting, found by the
//! triggers). Place: "in <City>" or a venue in those sentences, else the dateline city where one of
//! them says "here" or is the lead; date: the first day those sentences fix.

use super::super::Context;
use super::super::dates;
use super::super::doc::Doc;
use super::super::people::People;
use super::super::text::BlockKind;
use super::date::DateCache;
use super::place::place_in;
use super::{Found, LONGEST_SENTENCE, usable};
use crate::lexicon::{self, GatheringRole};
use crate::model::{MeetingMode, MeetingStatus};

/// The fewest people that make a gathering.
const FEWEST: usize = 3;

/// Whether token `i` names a gathering: a gathering noun not after "news", "press" and the like.
fn gathering_noun(doc: &Doc, s: usize, i: usize) -> bool {
    doc.tokens[i].is_word()
        && !doc.in_quote[i]
        && lexicon::gathering_role(doc.lower(i)) == Some(GatheringRole::Noun)
        && !(i > s && lexicon::gathering_role(doc.lower(i - 1)) == Some(GatheringRole::NotBefore))
}

/// The gathering of the article, if its sentences place at least three named people there.
pub(super) fn find(
    doc: &Doc,
    people: &People,
    ctx: &Context,
    cache: &mut DateCache,
    first_body: Option<usize>,
) -> Option<Found> {
    // Most articles name no gathering: one pass over the lower-case text settles that.
    let lower = doc.lower_text();
    // Where the gathering nouns and presence cues occur, found in one pass over the text.
    let (noun_at, presence_at) = lexicon::gathering_hits(lower);
    if noun_at.is_empty() {
        return None;
    }
    let any_in = |hits: &[usize], a: usize, b: usize| {
        let k = hits.partition_point(|&h| h < a);
        k < hits.len() && hits[k] < b
    };
    let mut who: Vec<usize> = Vec::new();
    // The first sentence that named the gathering (not necessarily with people in it).
    let mut named: Option<(usize, usize)> = None;
    let mut first_span: Option<(usize, usize)> = None;
    let mut place: Option<String> = None;
    let mut here = false;
    let mut in_lead = false;
    let mut date = None;
    let mut date_text = None;
    for sent in &doc.sents {
        let (s, e) = (sent.start, sent.end);
        if s == e || e - s > LONGEST_SENTENCE || doc.blocks[sent.block].kind != BlockKind::Body {
            continue;
        }
        let role = |i: usize| {
            (doc.tokens[i].is_word() && !doc.in_quote[i])
                .then(|| lexicon::gathering_role(doc.lower(i)))
                .flatten()
        };
        // Once the gathering is named, "were present at the opening" needs no noun of its own.
        let (a, b) = (doc.tokens[s].start, doc.tokens[e - 1].end);
        let text = &lower[a..b];
        let names_it = any_in(&noun_at, a, b) && (s..e).any(|i| gathering_noun(doc, s, i));
        let presence = named.is_some()
            && any_in(&presence_at, a, b)
            && (s..e).any(|i| {
                role(i) == Some(GatheringRole::Attend)
                    && lexicon::GATHERING_PRESENCE.contains(&doc.lower(i))
            });
        if !names_it && !presence {
            continue;
        }
        if names_it {
            named.get_or_insert((s, e));
        }
        let attends = (s..e).any(|i| role(i) == Some(GatheringRole::Attend));
        let absent = (s..e).any(|i| role(i) == Some(GatheringRole::Absent));
        let unsure = !lexicon::find_status_cues(text).is_empty();
        if !attends || absent || unsure {
            continue;
        }
        let mut any = false;
        for m in super::super::people::mentions_in(&people.mentions, s, e) {
            if usable(m) && !people.persons[m.person].journalist && !who.contains(&m.person) {
                who.push(m.person);
                any = true;
            }
        }
        if !any {
            continue;
        }
        let span = (doc.tokens[s].start, doc.tokens[e - 1].end);
        first_span.get_or_insert(span);
        if place.is_none() {
            place = place_in(doc, people, s, e, e);
        }
        here |= (s..e).any(|i| doc.lower(i) == "here");
        in_lead |= first_body == Some(sent.block);
        if date.is_none()
            && let Some(p) = cache
                .find(doc, s, e)
                .iter()
                .find(|p| !doc.in_quote[p.tok_start])
        {
            date = dates::resolve(p.sense, ctx.reference, false);
            date_text = date.map(|_| doc.text[p.start..p.end].to_string());
        }
    }
    if who.len() < FEWEST {
        return None;
    }
    let place = place.or_else(|| {
        (here || in_lead)
            .then(|| ctx.dateline_place.clone())
            .flatten()
    });
    Some(Found {
        people: who,
        place,
        date,
        date_text,
        date_anchor: ctx.reference,
        mode: MeetingMode::InPerson,
        status: MeetingStatus::Held,
        span: first_span?,
        rule: "meeting.gathering",
    })
}

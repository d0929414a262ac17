//! Meetings, date sub-pass: the day of an encounter, from a date phrase in its clause, an earlier
//! sentence of its paragraph, the paragraph before (where it speaks of the same people), the lead,
//! or the dateline's day. Relies on [`crate::parse::dates`] for the phrases and their resolution.

use super::super::Context;
use super::super::dates::{self, DateSense};
use super::super::doc::Doc;
use super::super::people::People;
use super::super::text::BlockKind;
use super::LONGEST_SENTENCE;
use crate::lexicon;
use chrono::NaiveDate;

/// Date phrases of token ranges, each range read once: the meetings of an article look at the same
/// sentences, paragraphs and lead again and again.
#[derive(Default)]
pub(super) struct DateCache(lexicon::FastMap<(usize, usize), Vec<dates::DatePhrase>>);

impl DateCache {
    pub(super) fn find(&mut self, doc: &Doc, from: usize, to: usize) -> &[dates::DatePhrase] {
        self.0
            .entry((from, to))
            .or_insert_with(|| dates::find(doc.text, doc.lower_text(), &doc.tokens, from, to))
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn date_for(
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
            && super::super::people::mentions_in(&people.mentions, f, t)
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

//! Meetings, place sub-pass: the city of an encounter, from a venue that fixes the city
//! (`data/venues.tsv`), "in X", "city of X" or "visit to X" in the meeting's clause, a "meeting in X"
//! in the next sentence, or the city a visitor is in ("X arrived in Oslo"). A country or region
//! alone is no place.

use super::super::doc::Doc;
use super::super::people::People;
use super::super::tokens::Kind;
use super::{Found, usable};
use crate::lexicon::{self, CountryForm};
use crate::model::{MeetingMode, MeetingStatus};

/// A city named in tokens `a..b`: a venue's city, "city of X", or "in X".
pub(super) fn place_in(
    doc: &Doc,
    people: &People,
    a: usize,
    b: usize,
    sent_end: usize,
) -> Option<String> {
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

pub(super) fn city_at(doc: &Doc, people: &People, start: usize, b: usize) -> Option<String> {
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
    let around =
        super::super::people::mentions_in(&people.mentions, start.saturating_sub(12), start + 1);
    if around.iter().any(|m| m.start <= start && start < m.end) {
        return None;
    }
    Some(name.to_string())
}

/// "The Treasury described the meeting as "a private meeting in Frankfurt"": the next sentence's
/// "meeting in X" or "talks in X", quoted or not.
pub(super) fn place_next_sentence(doc: &Doc, si: usize) -> Option<String> {
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

/// "X arrived in Oslo", "X, who is in Islamabad on an official visit", "X's visit to Hanoi": the
/// city a visitor is in gives the place of their in-person meetings that have none.
pub(super) fn visit_places(doc: &Doc, people: &People, meetings: &mut [Found]) {
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

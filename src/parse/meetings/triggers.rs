//! Meetings, first sub-pass: triggers. Finds the predicates of encounters in a sentence: the
//! verbs, event nouns and call phrases of the lexicon (`data/meeting_triggers.tsv`), event nouns
//! followed shortly by "with"/"between" ("talks on Wednesday with X"), and "held a <adjective>
//! meeting". Hands [`Trig`]s (token ranges with a mode, a shape and a rule name) to the arguments
//! sub-pass.

use super::super::doc::Doc;
use super::super::tokens::Kind;
use crate::lexicon::{self, TriggerShape};

/// A predicate of an encounter: tokens `start..end`, the mode it gives, its shape and the name of
/// the rule that found it (the meeting's provenance).
pub(super) struct Trig {
    pub start: usize,
    pub end: usize,
    pub mode: &'static str,
    pub shape: TriggerShape,
    pub rule: &'static str,
}

pub(super) fn token_at(doc: &Doc, from: usize, to: usize, byte: usize) -> Option<usize> {
    let i = from + doc.tokens[from..to].partition_point(|t| t.start < byte);
    (i < to && doc.tokens[i].start == byte).then_some(i)
}

pub(super) fn token_ending_at(doc: &Doc, from: usize, to: usize, byte: usize) -> Option<usize> {
    let i = from + doc.tokens[from..to].partition_point(|t| t.end < byte);
    (i < to && doc.tokens[i].end == byte).then_some(i)
}

pub(super) fn triggers(doc: &Doc, s: usize, e: usize) -> Vec<Trig> {
    let base = doc.tokens[s].start;
    let mut out: Vec<Trig> = Vec::new();
    for (a, b, t) in lexicon::find_triggers(doc.slice_ascii_lower(s, e)) {
        let (Some(ta), Some(tb)) = (
            token_at(doc, s, e, base + a),
            token_ending_at(doc, s, e, base + b).map(|i| i + 1),
        ) else {
            continue;
        };
        if doc.in_quote[ta] || naming_called(doc, s, ta, t.phrase) {
            continue;
        }
        out.push(Trig {
            start: ta,
            end: tb,
            mode: t.mode,
            shape: t.shape,
            rule: t.rule,
        });
    }
    // "talks on Wednesday with X", "a meeting can be arranged between X and Y".
    for i in s..e {
        // Only words of these lengths can be these nouns; the others need not be looked at.
        let tok = doc.tokens[i];
        if !tok.is_word() || !matches!(tok.end - tok.start, 4 | 5 | 7 | 8 | 9 | 10) {
            continue;
        }
        let lw = doc.lower(i);
        // "discussed the killing on Monday by phone with X": the call is in the adverbial.
        // (Read here rather than in the trigger file: a pattern opening with "by" would slow
        // the automaton's prefilter on every sentence.)
        if matches!(lw, "phone" | "telephone")
            && i > s
            && doc.lower(i - 1) == "by"
            && doc.lower(i + 1) == "with"
            && i + 1 < e
            && !doc.in_quote[i]
            && !out.iter().any(|t| t.start < i + 2 && i - 1 < t.end)
        {
            out.push(Trig {
                start: i - 1,
                end: i + 2,
                mode: "phone",
                shape: TriggerShape::Verb,
                rule: "meeting.call",
            });
            continue;
        }
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
                rule: match (mode, doc.lower(w)) {
                    ("phone", _) => "meeting.call",
                    (_, "between") => "meeting.event-noun-between",
                    _ => "meeting.event-noun-with",
                },
            });
        } else if matches!(lw, "talks" | "meeting")
            && i > s + 1
            && matches!(doc.lower(i - 1), "the" | "their")
            && matches!(doc.lower(i - 2), "after" | "following" | "during")
            && doc.tokens.get(i + 1).is_some_and(|t| t.is_punct(','))
            && !out.iter().any(|t| t.start <= i && i < t.end && !bare(t))
        {
            // "after the talks, Yeltsin and Kuchma called": the event the main clause's
            // subjects took part in.
            out.retain(|t| !bare(t));
            out.push(Trig {
                start: i,
                end: i + 1,
                mode: "in_person",
                shape: TriggerShape::Noun,
                rule: "meeting.after-event-noun",
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
                    rule: "meeting.held-event-noun",
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

/// "a venture called Screen Gems", "to be called Diamond R", "the system, called CD-I": "called"
/// naming a thing, not a call.
/// A call's "called" follows its subject (a name), a date or a before-called word of
/// `data/frame_words.tsv`.
fn naming_called(doc: &Doc, s: usize, at: usize, phrase: &str) -> bool {
    if phrase != "called" || at == s {
        return false;
    }
    let prev = at - 1;
    let w = doc.word(prev);
    // "the system, called CD-I": an apposition names a thing.
    doc.tokens[prev].is_punct(',')
        || doc.tokens[prev].is_word()
            && !doc.is_cap(prev)
            && !lexicon::with_lower(w, |l| super::words::is(super::words::Role::BeforeCalled, l))
            && super::super::dates::weekday(w).is_none()
}

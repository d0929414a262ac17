//! Meetings pass: finds encounters between named people, as named sub-passes with explicit data
//! between them:
//! [`triggers`] (predicates: verbs, event nouns and call phrases of the lexicon, as [`triggers::Trig`])
//! -> arguments (here: the people of each trigger's frame: the subject list before it in its clause,
//! or "the two men"; the objects after it up to the next trigger, clause or attribution; "meetings
//! with A, B and C" and "X met A, B and C" are one encounter per object) -> status and mode (status
//! cues of `data/status_cues.tsv` before the trigger mark planned and cancelled meetings; "by phone")
//! -> [`place`] (venue, "in X", next sentence, visitor's city, dateline) -> [`date`] -> [`merge`]
//! (one record per encounter: the same people with the same status). Each record names the rule of
//! its trigger (`rule`). Relies on people, coreference and quotation marks.

mod date;
mod gathering;
mod merge;
mod place;
mod triggers;
mod words;

use super::Context;
use super::dates;
use super::doc::Doc;
use super::people::{Mention, People};
use super::text::BlockKind;
use super::tokens::Kind;
use crate::lexicon::{self, TriggerShape};
use crate::model::{Meeting, MeetingMode, MeetingStatus, ParseIssue, Span};
use chrono::NaiveDate;
use date::{DateCache, date_for};
use merge::{host_countries, merge};
use place::{place_in, place_next_sentence, visit_places};
use triggers::triggers;
use words::{Role, is, words};

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
    /// The rule that found it (the trigger's pattern).
    pub rule: &'static str,
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
            rule: self.rule.to_string(),
        }
    }
}

/// The meetings of an article.
#[derive(Debug, Clone, Default)]
pub struct Meetings {
    pub found: Vec<Found>,
}

/// Sentences longer than this are not prose (a page without punctuation) and hold no meetings.
pub(super) const LONGEST_SENTENCE: usize = 400;

pub(super) fn usable(m: &Mention) -> bool {
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
                if is(Role::ObjectStop, lw) {
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
                if tk == Kind::Punct(',')
                    && doc.tokens.get(obj_end + 1).is_some_and(|t| t.is_word())
                    && !doc.is_cap(obj_end + 1)
                    && (doc.lower(obj_end + 1).ends_with("ing")
                        || doc.lower(obj_end + 1).ends_with("ed"))
                {
                    // ", stressing ..." (a participial clause), ", pledged to ..." (the predicate
                    // after an apposition): the objects end.
                    break;
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
            // "After talks with A, B and C, X said": in a fronted phrase the objects end at the
            // comma before the main clause's subject (a name followed by its verb, not by "and").
            if fronted(doc, s, t.start)
                && let Some(m) = in_sent.iter().find(|m| {
                    m.start > t.end
                        && m.start < obj_end
                        && doc.tokens[m.start - 1].is_punct(',')
                        && doc.tokens.get(m.end).is_some_and(|n| n.is_word())
                        && !matches!(doc.lower(m.end), "and" | "or")
                        && !doc.is_cap(m.end)
                })
            {
                obj_end = m.start - 1;
            }
            let objects: Vec<&Mention> = in_sent
                .iter()
                .copied()
                .filter(|m| m.start >= t.end && m.start < obj_end)
                .collect();
            // Whether the objects met the subject together (else "X met A, B and C" is one
            // encounter per object).
            let mut together = false;
            if matches!(t.shape, TriggerShape::Call | TriggerShape::Verb) {
                // A person follows the verb directly ("called Prime Minister X", "met Tuesday with
                // X", "meeting France's X"), or the people before it met one another ("X and Y met").
                // "spoke to his Indian counterpart, X": a counterpart phrase may stand between.
                // "held talks here on Saturday with his Swedish counterpart X": room for the
                // adverbs of place and time as well.
                let via_counterpart = objects.first().is_some_and(|m| {
                    m.start <= t.end + 9
                        && doc.slice_lower(t.end, m.start).contains("counterpart")
                        && !(t.end..m.start)
                            .any(|k| super::tokens::is_stop(doc.text, &doc.tokens, k))
                });
                // "met with the three members of the coalition, A, B and C": a counted group set
                // out by name after a comma is the object.
                let via_group = objects
                    .first()
                    .is_some_and(|m| counted_group(doc, t.end, m.start));
                together |= via_group;
                let direct = via_counterpart
                    || via_group
                    || objects.first().is_some_and(|m| {
                        (t.end..m.start).all(|k| {
                            let tk = doc.tokens[k];
                            let w = doc.word(k);
                            tk.kind == Kind::Poss
                                || tk.is_word()
                                    && !doc.is_cap(k)
                                    && !lexicon::with_lower(w, |l| is(Role::NotGap, l))
                                    && m.start - t.end <= 3
                                    // "hosted then-Republican contender X", not "to see how
                                    // exactly X planned": no question word or adverb.
                                    && (t.shape != TriggerShape::Call
                                        || !lexicon::with_lower(w, |l| {
                                            is(Role::CallNotGap, l) || l.ends_with("ly")
                                        }))
                                || tk.is_word()
                                    && (lexicon::with_lower(w, |l| is(Role::Gap, l))
                                        || dates::weekday(w).is_some()
                                        || lexicon::countries().lookup(w).is_some())
                        })
                    });
                let needs_object = t.shape == TriggerShape::Call || doc.lower(t.start) == "meeting";
                // "their meeting": the possessive names the parties, no object is needed.
                let owned = possessed(doc, s, t.start) && objects.is_empty();
                if !direct && (needs_object || !objects.is_empty()) && !owned {
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
                // "was quoted as saying at a meeting with Y": "as" before a gerund opens no clause.
                let gerund_as = lw == "as" && doc.lower(k + 1).ends_with("ing");
                // "She noted X met Y", "A added that ...": a reporting verb opens the reported
                // clause; "X left after Y and Z started talks": so does "after" before a name.
                // Only where a new subject follows: not "told reporters after talks with X".
                let reporting = doc.tokens[k].is_word()
                    && doc.class(k).reporting_verb()
                    && in_sent.iter().any(|m| m.start > k && m.end <= t.start);
                let before_clause = matches!(lw, "after" | "before" | "until" | "since")
                    && in_sent.iter().any(|m| m.start == k + 1);
                if doc.tokens[k].is_punct(';')
                    || (is(Role::ClauseBreak, lw) || reporting || before_clause)
                        && !doc.is_cap(k)
                        && !gerund_as
                {
                    clause_start = k + 1;
                    break;
                }
            }
            // "a summit meeting between A and B": "between" names every party, so a subject
            // before it ("He said the move was related to ...") is none of them.
            let between = doc.lower(t.end - 1) == "between" && objects.len() >= 2;
            let mut subjects: Vec<usize> = in_sent
                .iter()
                .filter(|m| {
                    !between
                        && m.end <= t.start
                        && m.start >= clause_start
                        && !prev_objects.contains(&m.person)
                })
                .map(|m| m.person)
                .collect();
            // "A said B said in a telephone conversation that ...": an event noun without its
            // "with" argument inside reported speech; the speakers before "said" are its parties.
            let reported = clause_start > s
                && doc.tokens[clause_start - 1].is_word()
                && doc.class(clause_start - 1).reporting_verb();
            // Not where the noun's own "with" found no named person ("at a meeting with industry
            // representatives"): the speaker reports the meeting, he was not at it.
            let open_slot = matches!(doc.lower(t.end - 1), "with" | "between" | "on");
            if reported
                && t.shape == TriggerShape::Noun
                && objects.is_empty()
                && subjects.len() < 2
                && !open_slot
            {
                for m in in_sent.iter().rev().filter(|m| m.end < clause_start) {
                    if subjects.len() < 2 && !subjects.contains(&m.person) {
                        subjects.insert(0, m.person);
                    }
                }
            }
            if subjects.is_empty() {
                let before = doc.slice_lower(clause_start, t.start);
                let pair = words(Role::Pair).iter().any(|p| before.contains(p));
                if pair && !before.contains("sides") {
                    subjects = recent_two(people, si);
                } else if possessed(doc, s, t.start) && objects.is_empty() {
                    // "Kessler and Moor agreed ... During their meeting, the two ...": the pair
                    // named together just before.
                    subjects = recent_pair_together(people, si);
                } else if t.start <= s + 3 || fronted(doc, s, t.start) {
                    // "After talks with X, Kessler said": the main clause's subject; "after the
                    // talks, Yeltsin and Kuchma called": all of a coordinated subject.
                    if let Some(i) = in_sent.iter().position(|m| m.start >= obj_end) {
                        subjects.push(in_sent[i].person);
                        if objects.is_empty() {
                            let mut j = i;
                            while let Some(next) = in_sent.get(j + 1)
                                && doc.lower(in_sent[j].end) == "and"
                                && next.start == in_sent[j].end + 1
                            {
                                subjects.push(next.person);
                                j += 1;
                            }
                        }
                    }
                } else if after_event(doc, clause_start, t.start) {
                    // "Kessler said Friday after a telephone discussion with X", "He spoke after
                    // paying a courtesy call on X": the main clause's subject, before the trigger.
                    if let Some(m) = in_sent
                        .iter()
                        .find(|m| m.end <= t.start && !prev_objects.contains(&m.person))
                    {
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
            // "Following his meeting with X, Y is to be received ...": the main clause's tense is
            // the fronted event's too.
            // Only the verb group after the main subject counts ("Y is to be", not what Y said).
            let main_subject = in_sent.iter().find(|m| m.start >= obj_end);
            if status == MeetingStatus::Held
                && fronted(doc, s, t.start)
                && let Some(m) = main_subject
                && m.end < e
                && !super::people::before_reporting_verb(doc, m.end)
            {
                let to = (m.end + 4).min(e);
                let main = &doc.lower_text()[doc.tokens[m.end].start..doc.tokens[to - 1].end];
                if lexicon::find_status_cues(main)
                    .iter()
                    .any(|(_, st)| *st == "planned")
                {
                    status = MeetingStatus::Planned;
                }
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
            // "X met A, B and C" is one encounter per object unless the text puts them together:
            // an event noun ("talks with A, B and C" are one round of talks), "between", a held
            // summit or trilateral, a counted group.
            let separate = subjects.len() == 1
                && object_ids.len() >= 2
                && !together
                && matches!(t.shape, TriggerShape::Verb | TriggerShape::Call)
                && t.rule != "meeting.held-event-noun"
                && !doc.slice_lower(t.start, t.end).contains("between");
            let groups: Vec<Vec<usize>> =
                if (t.shape == TriggerShape::Plural || separate) && !subjects.is_empty() {
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
                    rule: t.rule,
                });
            }
        }
    }
    // The article's summit or conference, one record, besides its side meetings.
    if let Some(g) = gathering::find(doc, people, ctx, &mut date_cache, first_body) {
        found.push(g);
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

/// "their meeting", "their talks": an encounter whose parties a plural possessive names.
fn possessed(doc: &Doc, s: usize, t: usize) -> bool {
    t > s && doc.lower(t - 1) == "their"
}

/// The two people spoken of last, where one of the two sentences before `si` names both of them
/// ("Kessler and Moor exchanged views"); else nobody.
fn recent_pair_together(people: &People, si: usize) -> Vec<usize> {
    let two = recent_two(people, si);
    if two.len() != 2 {
        return Vec::new();
    }
    let from = people.mentions.partition_point(|m| m.sent + 2 < si);
    let to = people.mentions.partition_point(|m| m.sent < si);
    let window = &people.mentions[from..to];
    let together = window.iter().any(|a| {
        a.person == two[0]
            && usable(a)
            && window
                .iter()
                .any(|b| b.person == two[1] && b.sent == a.sent && usable(b))
    });
    if together { two } else { Vec::new() }
}

/// The sentence opens with a fronted phrase ("After talks with X,", "Meeting X,", "In their
/// statement issued after the talks,") that holds the trigger at `t`.
fn fronted(doc: &Doc, s: usize, t: usize) -> bool {
    (doc.lower(s).ends_with("ing") || is(Role::Fronted, doc.lower(s)))
        && !(s..t).any(|k| doc.tokens[k].is_punct(','))
}

/// Tokens `a..b` between a trigger and its first object read "(with) the three <nouns> ... ,": a
/// counted group whose members follow by name.
fn counted_group(doc: &Doc, a: usize, b: usize) -> bool {
    let mut k = a;
    if k < b && doc.lower(k) == "with" {
        k += 1;
    }
    if k < b && doc.lower(k) == "the" {
        k += 1;
    }
    b > k + 1
        && b - a <= 14
        && is(Role::Count, doc.lower(k))
        && doc.tokens[b - 1].is_punct(',')
        && (k + 1..b - 1).all(|i| doc.tokens[i].is_word())
}

/// The trigger at `t` is the object of "after", "during" and the like, closely (within three words:
/// "after a telephone discussion", "after paying a courtesy call").
fn after_event(doc: &Doc, clause_start: usize, t: usize) -> bool {
    (t.saturating_sub(3).max(clause_start)..t).any(|k| is(Role::AroundEvent, doc.lower(k)))
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

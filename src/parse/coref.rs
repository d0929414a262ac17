//! Coreference pass: resolves "he"/"she" and descriptions such as "the minister", "the Pakistani
//! foreign minister" or "the prime minister" to people named earlier, by recency, office and
//! country, and adds them as mentions. A pronoun goes to the first person named earlier in its
//! sentence, else to the first person named in the nearest sentence before it; a description goes
//! to the latest person whose office has its head word (and whose country fits its adjective).
//! Words inside quotations are neither resolved nor used as antecedents. Relies on the people pass.

use super::doc::Doc;
use super::people::{Mention, MentionKind, People};
use super::tokens::Kind;
use crate::lexicon::{self, CountryForm};

/// How far back (in sentences) a pronoun looks for its antecedent.
const PRONOUN_REACH: usize = 6;

/// How many of the latest mentions pronouns and descriptions look at.
const RECENT: usize = 64;

/// Adds resolved pronoun and description mentions to `people`.
pub fn resolve(doc: &Doc, people: &mut People) {
    let named: Vec<Mention> = people.mentions.clone();
    let mut resolved: Vec<Mention> = Vec::new();
    // Antecedents outside quotations, in text order, as they become known.
    let mut known: Vec<(usize, usize, usize)> = Vec::new(); // (token, sentence, person)
    let mut rank: Vec<u8> = Vec::new(); // how subject-like each known mention is, 0 best
    let mut next_named = 0;
    let mut i = 0;
    let n = doc.tokens.len();
    while i < n {
        while next_named < named.len() && named[next_named].start <= i {
            let m = &named[next_named];
            // Headlines and captions are not where a pronoun's person was last spoken of.
            if !m.in_quote && doc.block_kind(m.sent) == super::text::BlockKind::Body {
                known.push((m.start, m.sent, m.person));
                rank.push(subject_rank(doc, m.start, m.end, m.possessive));
            }
            next_named += 1;
        }
        if doc.in_quote[i] || doc.tokens[i].kind != Kind::Word {
            i += 1;
            continue;
        }
        let si = doc.sent_of[i];
        let lw = doc.lower(i);
        if lw == "he" || lw == "she" {
            // "He Jianxiong" is a name, already taken by the people pass.
            if next_named > 0 && named[next_named - 1].start <= i && i < named[next_named - 1].end {
                i += 1;
                continue;
            }
            if let Some(p) = pronoun_antecedent(&known, &rank, si) {
                resolved.push(Mention {
                    person: p,
                    start: i,
                    end: i + 1,
                    sent: si,
                    kind: MentionKind::Pronoun,
                    in_quote: false,
                    possessive: false,
                });
                known.push((i, si, p));
                rank.push(subject_rank(doc, i, i + 1, false));
            }
            i += 1;
            continue;
        }
        // "Iran's foreign minister says ...", "A spokeswoman for an aid agency says ...": a
        // description that may name the person of the next sentences.
        // (A plain loop over the next three tokens: this runs for every token, and a possessive
        // ending is rare.)
        let mut possessive_country = None;
        for p in i + 1..(i + 4).min(n) {
            if !matches!(doc.tokens[p].kind, Kind::Poss) {
                continue;
            }
            if let Some((c, f)) = lexicon::countries().lookup(doc.slice(i, p))
                && f != CountryForm::Adjective
            {
                possessive_country = Some((p + 1, c.iso3));
                break;
            }
        }
        if possessive_country.is_some() || matches!(lw, "a" | "an") {
            let (from, owner) = possessive_country.map_or((i + 1, None), |(f, iso)| (f, Some(iso)));
            if let Some((end, head, iso)) =
                (from < n).then(|| description_from(doc, from)).flatten()
            {
                let iso = iso.or(owner);
                let mut p = None;
                if owner.is_some() {
                    p = description_antecedent(
                        doc,
                        people,
                        &known,
                        si,
                        &head,
                        iso,
                        from - 1,
                        end,
                        false,
                    );
                }
                if p.is_none() {
                    p = cataphora(doc, people, &named, si, (i, end), from, iso);
                }
                if let Some(p) = p {
                    resolved.push(Mention {
                        person: p,
                        start: i,
                        end,
                        sent: si,
                        kind: MentionKind::Description,
                        in_quote: false,
                        possessive: false,
                    });
                    known.push((i, si, p));
                    rank.push(subject_rank(doc, i, end, false));
                }
                i = end;
                continue;
            }
        }
        if lw == "the"
            && let Some((end, head, iso)) = description_at(doc, i)
        {
            if let Some(p) =
                description_antecedent(doc, people, &known, si, &head, iso, i, end, true)
            {
                let poss = doc.tokens.get(end).is_some_and(|t| t.kind == Kind::Poss);
                resolved.push(Mention {
                    person: p,
                    start: i,
                    end,
                    sent: si,
                    kind: MentionKind::Description,
                    in_quote: false,
                    possessive: poss,
                });
                known.push((i, si, p));
                rank.push(subject_rank(doc, i, end, poss));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    people.mentions.extend(resolved);
    people.mentions.sort_by_key(|m| (m.start, m.end));
}

/// How subject-like a mention is: 0 when a reporting verb follows it, 1 when no preposition stands
/// before it, 2 for a possessive or a prepositional object ("talks with X").
pub fn subject_rank(doc: &Doc, start: usize, end: usize, possessive: bool) -> u8 {
    if possessive {
        return 3;
    }
    if super::people::before_reporting_verb(doc, end) {
        return 0;
    }
    let prev = if start > 0 && doc.sent_of.get(start - 1) == doc.sent_of.get(start) {
        doc.lower(start - 1)
    } else {
        ""
    };
    const PREPS: [&str; 22] = [
        "with",
        "of",
        "for",
        "to",
        "by",
        "from",
        "about",
        "after",
        "against",
        "at",
        "between",
        "on",
        "including",
        "than",
        "like",
        "into",
        "toward",
        "towards",
        "over",
        "among",
        "as",
        "and",
    ];
    if PREPS.contains(&prev) { 2 } else { 1 }
}

fn pronoun_antecedent(known: &[(usize, usize, usize)], rank: &[u8], si: usize) -> Option<usize> {
    // The most subject-like person named earlier in this sentence, else in the nearest sentence
    // before with one; the earliest among equals.
    // Only the last antecedents matter; this keeps the search short in very long texts.
    let from = known.len().saturating_sub(RECENT);
    let (known, rank) = (&known[from..], &rank[from..]);
    let best_in = |sent: usize, max_rank: u8| -> Option<usize> {
        known
            .iter()
            .zip(rank)
            .filter(|(k, r)| k.1 == sent && **r <= max_rank)
            .min_by_key(|(k, r)| (**r, k.0))
            .map(|(k, _)| k.2)
    };
    if let Some(p) = best_in(si, 1) {
        return Some(p);
    }
    let prev = known
        .iter()
        .rev()
        .find(|k| k.1 < si && si - k.1 <= PRONOUN_REACH)?
        .1;
    best_in(prev, 3)
}

/// A description starting at "the" (token `i`): its end, head word and country.
pub fn description_at(doc: &Doc, i: usize) -> Option<(usize, String, Option<&'static str>)> {
    description_from(doc, i + 1)
}

/// A description whose words start at token `j` (after "the", "a" or "Iran's").
fn description_from(doc: &Doc, j: usize) -> Option<(usize, String, Option<&'static str>)> {
    let si = doc.sent_of[j.min(doc.tokens.len() - 1)];
    let end = doc.sents[si].end;
    let start = j;
    let mut j = j;
    let mut iso = None;
    // "visiting", "newly elected" and other participles may come first.
    while j < end
        && j - start < 3
        && doc.tokens[j].kind == Kind::Word
        && doc.lower(j).ends_with("ing")
        && !doc.class(j).title_word()
    {
        j += 1;
    }
    for len in (1..=2).rev() {
        if j + len <= end
            && let Some((c, CountryForm::Adjective)) =
                lexicon::countries().lookup(doc.slice(j, j + len))
        {
            iso = Some(c.iso3);
            j += len;
            break;
        }
    }
    let words_start = j;
    let mut last_head = None;
    while j < end && doc.tokens[j].kind == Kind::Word && j - words_start < 8 {
        let class = doc.class(j);
        if class.title_head() {
            last_head = Some(j);
            j += 1;
        } else if class.title_word() && !doc.is_cap(j) {
            j += 1;
        } else {
            break;
        }
    }
    let h = last_head?;
    if h + 1 != j || j == words_start {
        return None;
    }
    // "the Foreign Minister Arvid Kessler": a name follows; that is the people pass's business.
    if j < end && doc.is_cap(j) && !doc.class(j).stopword() {
        return None;
    }
    let head = doc.lower(h);
    if matches!(
        head,
        "official" | "officials" | "witness" | "head" | "chief" | "general"
    ) {
        return None;
    }
    Some((j, head.to_string(), iso))
}

#[allow(clippy::too_many_arguments)]
fn description_antecedent(
    doc: &Doc,
    people: &mut People,
    known: &[(usize, usize, usize)],
    si: usize,
    head: &str,
    iso: Option<&str>,
    start: usize,
    end: usize,
    fallback: bool,
) -> Option<usize> {
    let title_fits = |t: &Option<String>| {
        t.as_deref().is_some_and(|t| {
            t.split([' ', '-']).any(|w| w.eq_ignore_ascii_case(head))
                || t.to_lowercase().contains(head)
        })
    };
    let country_fits = |c: &Option<String>| iso.is_none_or(|iso| c.as_deref() == Some(iso));
    let mut seen = Vec::new();
    // "the Iraqi president" of a president the text gave no country: the description ties one.
    let mut unplaced = None;
    let own_office = || strip_country(doc.slice(start + 1, end));
    let mut office_words: Option<String> = None;
    for &(_, _, p) in known.iter().rev().take(RECENT * 4) {
        if seen.contains(&p) {
            continue;
        }
        seen.push(p);
        let person = &people.persons[p];
        if title_fits(&person.title) && country_fits(&person.country) {
            return Some(p);
        }
        if unplaced.is_none()
            && fallback
            && iso.is_some()
            && person.country.is_none()
            && person.title.as_deref().is_some_and(|t| {
                t.eq_ignore_ascii_case(office_words.get_or_insert_with(own_office).trim())
            })
        {
            unplaced = Some(p);
        }
    }
    if let (Some(p), Some(iso)) = (unplaced, iso) {
        people.persons[p].set_country(iso, 2);
        return Some(p);
    }
    let office = doc.slice(start + 1, end).to_string();
    // "the French leader": a generic head matches on the country alone.
    if let Some(iso) = iso
        && matches!(
            head,
            "leader" | "head" | "chief" | "official" | "diplomat" | "envoy"
        )
        && let Some(&p) = seen
            .iter()
            .find(|&&p| people.persons[p].country.as_deref() == Some(iso))
    {
        return Some(p);
    }
    if !fallback {
        return None;
    }
    if let Some(iso) = iso {
        for &p in &seen {
            let person = &people.persons[p];
            if person.country.as_deref() == Some(iso) && person.title.is_none() {
                let office = strip_country(&office);
                people.persons[p].set_title(&office, 2);
                return Some(p);
            }
        }
        return None;
    }
    // "the prime minister said": the one person of the last sentences without an office.
    if super::people::before_reporting_verb(doc, end) {
        let recent: Vec<usize> = known
            .iter()
            .rev()
            .take_while(|k| si - k.1 <= 3)
            .map(|k| k.2)
            .filter(|&p| people.persons[p].title.is_none())
            .collect();
        if let Some(&p) = recent.first()
            && recent.iter().all(|&q| q == p)
        {
            people.persons[p].set_title(&office, 2);
            return Some(p);
        }
    }
    None
}

/// The person named first in the next sentences, without an office of their own and of a fitting
/// country, whom a description before the name introduces; takes the description's office.
fn cataphora(
    doc: &Doc,
    people: &mut People,
    named: &[Mention],
    si: usize,
    (start, end): (usize, usize),
    from: usize,
    iso: Option<&str>,
) -> Option<usize> {
    // Only a description that speaks ("A spokeswoman for the agency says") or is spoken to or met
    // ("X told France's foreign minister") introduces someone.
    let speaks = (end..(end + 8).min(doc.sents[si].end))
        .take_while(|&k| !matches!(doc.tokens[k].kind, Kind::Punct(_) | Kind::Quote(_)))
        .any(|k| doc.tokens[k].is_word() && !doc.is_cap(k) && doc.class(k).reporting_verb());
    let addressed =
        start >= 1 && matches!(doc.lower(start - 1), "told" | "met" | "with" | "meeting");
    if !speaks && !addressed {
        return None;
    }
    let first = named.partition_point(|m| m.sent <= si);
    let m = named[first..]
        .iter()
        .take_while(|m| m.sent <= si + 3)
        .filter(|m| !m.in_quote && !m.possessive)
        .find(|m| doc.block_kind(m.sent) == super::text::BlockKind::Body)?;
    let person = &people.persons[m.person];
    if person.title.is_some()
        || iso.is_some_and(|iso| person.country.as_deref().is_some_and(|c| c != iso))
    {
        return None;
    }
    let office = super::people::office_words(doc, from, end);
    let p = m.person;
    people.persons[p].set_title(&office, 2);
    if let Some(iso) = iso {
        people.persons[p].set_country(iso, 2);
    }
    Some(p)
}

fn strip_country(office: &str) -> String {
    let c = lexicon::countries();
    office
        .split(' ')
        .filter(|w| c.lookup(w).is_none())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{people, text};

    fn check(input: &str, expected: &[(&str, &str)]) {
        let blocks = text::blocks(input);
        let doc = Doc::new(input, blocks, None, &[]);
        let mut p = people::find(&doc);
        resolve(&doc, &mut p);
        let got: Vec<(String, String)> = p
            .mentions
            .iter()
            .filter(|m| m.kind != MentionKind::Name)
            .map(|m| {
                (
                    doc.slice(m.start, m.end).to_string(),
                    p.persons[m.person].name.clone(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_pronoun_goes_to_the_subject_of_the_sentence_before() {
        check(
            "Arvid Kessler met President Lena Moor. He said so.",
            &[("He", "Arvid Kessler")],
        );
    }

    #[test]
    fn a_description_goes_to_the_person_with_that_office_and_country() {
        check(
            "Iranian Foreign Minister Arvid Kessler met Pakistani Foreign Minister Omar Latif. Later the Pakistani foreign minister said no.",
            &[("the Pakistani foreign minister", "Omar Latif")],
        );
    }

    #[test]
    fn an_untitled_speaker_takes_the_office_of_a_description() {
        check(
            "Tom Harlow spoke. \"Fine,\" the prime minister said.",
            &[("the prime minister", "Tom Harlow")],
        );
    }
}

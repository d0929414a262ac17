//! People pass: finds the people an article names and merges their mentions into one [`Person`]
//! each. A name is a run of capitalised words (with particles such as "von", "al", "da"); the
//! office words before it ("West German Finance Minister", "Kremlin spokesman"), an apposition
//! after it ("Ivan Kessler, director of ..."), or before it ("his Pakistani counterpart, X") give
//! the title and country, as does a possessive country ("Iran's Zarif"). A one-word name counts
//! when a title or honorific stands before it, when it is a part of a fuller name in the article,
//! or when it is the subject of a reporting verb ("Erdogan said"). Relies on the document's tokens
//! and sentences; pronouns and descriptions are left to the coreference pass.

use super::doc::Doc;
use super::tokens::Kind;
use crate::lexicon::{self, CountryForm};

/// How a mention refers to its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Pronoun,
    /// "the Pakistani foreign minister", "the prime minister".
    Description,
}

/// One mention of a person, as a token range (descriptor and name).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub person: usize,
    pub start: usize,
    pub end: usize,
    pub sent: usize,
    pub kind: MentionKind,
    pub in_quote: bool,
    /// Followed by a possessive "'s": names an owner, not an actor.
    pub possessive: bool,
}

/// A person of the article, merged over all their mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    pub name: String,
    /// Folded words of `name`, for matching shorter forms.
    pub words: Vec<String>,
    pub aliases: Vec<String>,
    pub title: Option<String>,
    pub title_prio: u8,
    pub country: Option<String>,
    pub country_prio: u8,
    /// Byte span of the first mention of the fullest name.
    pub span: (usize, usize),
    /// One of the outlet's own journalists ("the BBC's X"): never a participant.
    pub journalist: bool,
    /// "his Iranian counterpart, X": the person X is the counterpart of.
    pub counterpart_of: Option<usize>,
}

impl Person {
    pub fn set_title(&mut self, title: &str, prio: u8) {
        let t = title.trim();
        if !t.is_empty() && prio > self.title_prio {
            self.title = Some(t.to_string());
            self.title_prio = prio;
        }
    }
    pub fn set_country(&mut self, iso3: &str, prio: u8) {
        if prio > self.country_prio {
            self.country = Some(iso3.to_string());
            self.country_prio = prio;
        }
    }
}

/// People and their mentions, in text order.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub persons: Vec<Person>,
    pub mentions: Vec<Mention>,
}

/// Lower-case words of a name without honorifics, as the scorer folds them.
pub fn fold_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .filter(|w| !lexicon::is_honorific(w))
        .collect()
}

fn fold(w: &str) -> String {
    // The accents below are not ASCII, and ASCII lower-cases the same either way.
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The most tokens an office and a name take together.
const MAX_CHAIN: usize = 14;

const PARTICLES: [&str; 22] = [
    "von", "van", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "bin", "ibn",
    "al", "el", "dos", "das", "ter", "ben", "abu", "bint",
];

fn is_particle(w: &str) -> bool {
    PARTICLES.contains(&w)
}

/// A country form made of the tokens `a..b`.
fn country_of(doc: &Doc, a: usize, b: usize) -> Option<(&'static str, CountryForm)> {
    lexicon::countries()
        .lookup(doc.slice(a, b))
        .map(|(c, f)| (c.iso3, f))
}

/// The first country named anywhere in tokens `a..b`.
fn first_country(doc: &Doc, a: usize, b: usize) -> Option<&'static str> {
    let s = doc.slice(a, b);
    lexicon::countries()
        .find_all(s)
        .next()
        .map(|(_, _, c, _)| c.iso3)
}

/// Words of `a..b` that are not country forms, determiners or possessives: the office.
fn title_text(doc: &Doc, a: usize, b: usize) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut lw = String::new();
    let mut i = a;
    while i < b {
        let mut skipped = false;
        for len in (1..=3).rev() {
            // Country names and adjectives go; seats of power stay ("Kremlin spokesman").
            if i + len <= b
                && country_of(doc, i, i + len).is_some_and(|(_, f)| f != CountryForm::Capital)
            {
                i += len;
                skipped = true;
                break;
            }
        }
        if skipped {
            continue;
        }
        let t = doc.tokens[i];
        let w = doc.word(i);
        lexicon::lower_into(w, &mut lw);
        if t.kind == Kind::Poss
            || matches!(
                lw.as_str(),
                "the" | "a" | "an" | "his" | "her" | "its" | "their" | "whose" | "one"
            ) && words.is_empty()
        {
            i += 1;
            continue;
        }
        if t.kind == Kind::Punct('.') && !words.is_empty() {
            // The dot of "Sen." or "Gen.".
            i += 1;
            continue;
        }
        if matches!(t.kind, Kind::Punct(_) | Kind::Quote(_)) {
            break;
        }
        if lw == "and" || lw == "who" || lw == "which" {
            break;
        }
        words.push(w);
        i += 1;
    }
    // The office ends at a head word that no other office word follows, or at the end of an
    // "of ..." complement.
    let is_office_word = |w: &str| lexicon::is_title_head(w) || lexicon::is_title_word(w);
    let mut end_at = None;
    for (h, w) in words.iter().enumerate() {
        if !lexicon::is_title_head(w) {
            continue;
        }
        match words.get(h + 1) {
            Some(&("of" | "for" | "at" | "to")) => {
                end_at = Some(words.len());
                break;
            }
            Some(next) if is_office_word(next) => end_at = Some(h + 1),
            _ => {
                end_at = Some(h + 1);
                break;
            }
        }
    }
    match end_at {
        Some(end) => {
            let mut w = &words[..end];
            while w
                .last()
                .is_some_and(|l| matches!(*l, "of" | "for" | "at" | "to" | "in" | "the"))
            {
                w = &w[..w.len() - 1];
            }
            w.join(" ")
        }
        None => String::new(),
    }
}

/// Gives people without a country the country the article speaks of most (outside quotations),
/// unless their office is an international one. Run after every other source of countries.
pub fn default_countries(doc: &Doc, people: &mut People) {
    let wants_default = |p: &Person| {
        p.country.is_none()
            && !p.journalist
            && !p.title.as_deref().is_some_and(lexicon::is_international)
    };
    // Counting the countries of every sentence is the costly part: skip it when nobody needs them.
    if !people.persons.iter().any(wants_default) {
        return;
    }
    // Country words of each sentence, counted once. An article names few countries, so the
    // counts are short lists rather than hash maps.
    let per_sentence: Vec<Vec<(&'static str, usize)>> = (0..doc.sents.len())
        .map(|si| {
            let mut counts = Vec::new();
            count_sentence(doc, si, &mut counts);
            counts
        })
        .collect();
    let count_in = |sents: &mut dyn Iterator<Item = usize>| -> Vec<(&'static str, usize)> {
        let mut ranked: Vec<(&'static str, usize)> = Vec::new();
        for si in sents {
            for &(iso, n) in &per_sentence[si] {
                add_count(&mut ranked, iso, n);
            }
        }
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked
    };
    let unique_top = |ranked: &[(&'static str, usize)]| -> Option<&'static str> {
        let &(top, n) = ranked.first()?;
        (ranked.get(1).is_none_or(|&(_, m)| m < n)).then_some(top)
    };
    let article = unique_top(&count_in(&mut (0..doc.sents.len())));
    let mut sents_of: Vec<Vec<usize>> = vec![Vec::new(); people.persons.len()];
    for m in people.mentions.iter().filter(|m| !m.in_quote) {
        if sents_of[m.person].last() != Some(&m.sent) {
            sents_of[m.person].push(m.sent);
        }
    }
    for (pid, own_sents) in sents_of.into_iter().enumerate() {
        if !wants_default(&people.persons[pid]) {
            continue;
        }
        // The country spoken of most where the person is, else in the whole article.
        let own = unique_top(&count_in(&mut own_sents.into_iter()));
        if let Some(iso) = own.or(article) {
            people.persons[pid].set_country(iso, 1);
        }
    }
}

fn add_count(counts: &mut Vec<(&'static str, usize)>, iso: &'static str, n: usize) {
    match counts.iter_mut().find(|(k, _)| *k == iso) {
        Some((_, c)) => *c += n,
        None => counts.push((iso, n)),
    }
}

fn count_sentence(doc: &Doc, si: usize, counts: &mut Vec<(&'static str, usize)>) {
    {
        let s = &doc.sents[si];
        if doc.blocks[s.block].kind != super::text::BlockKind::Body || s.start >= s.end {
            return;
        }
        let base = doc.tokens[s.start].start;
        let text = doc.slice(s.start, s.end);
        let toks = &doc.tokens[s.start..s.end];
        for (a, _, c, _) in lexicon::countries().find_all(text) {
            let t = s.start + toks.partition_point(|t| t.start < base + a);
            let quoted = t < s.end && doc.in_quote[t];
            if !quoted {
                add_count(counts, c.iso3, 1);
            }
        }
    }
}

/// True for a headline in title case: most words of four letters or more capitalised.
fn title_cased(doc: &Doc, a: usize, b: usize) -> bool {
    let long: Vec<usize> = (a..b)
        .filter(|&i| doc.tokens[i].is_word() && doc.word(i).chars().count() >= 4)
        .collect();
    long.len() >= 3 && long.iter().filter(|&&i| doc.is_cap(i)).count() * 10 >= long.len() * 8
}

/// The office named by tokens `a..b` ("foreign minister" of "Iran's foreign minister").
pub fn office_words(doc: &Doc, a: usize, b: usize) -> String {
    title_text(doc, a, b)
}

/// True when token `x` is part of a country, capital or city name ("Port" of "Port Vila").
fn in_place_name(doc: &Doc, x: usize) -> bool {
    let n = doc.tokens.len();
    let spans = [
        (x, x + 1),
        (x.saturating_sub(1), x + 1),
        (x, (x + 2).min(n)),
        (x.saturating_sub(2), x + 1),
    ];
    spans.iter().any(|&(a, b)| {
        let s = doc.slice(a, b);
        !s.is_empty()
            && (lexicon::countries().lookup(s).is_some() || lexicon::city_country(s).is_some())
    })
}

/// A name-candidate found by the scanner.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    name_start: usize,
    name_end: usize,
    sent: usize,
    strong: bool,
    title: Option<(String, u8)>,
    country: Option<(&'static str, u8)>,
    possessive: bool,
    journalist: bool,
    counterpart_of_mention: Option<usize>,
}

/// "al-Assad", "el-Sisi": a lower-case particle glued to a capitalised name.
fn is_particle_name(w: &str) -> bool {
    w.split_once('-')
        .is_some_and(|(p, rest)| is_particle(p) && rest.starts_with(|c: char| c.is_uppercase()))
}

fn valid_name_token(doc: &Doc, i: usize) -> bool {
    let t = doc.tokens[i];
    let w = doc.word(i);
    if t.kind != Kind::Word {
        return false;
    }
    if is_particle(w) || is_particle_name(w) {
        return true;
    }
    let class = doc.class(i);
    if !doc.is_cap(i) || class.title_head() || class.nonperson() || class.honorific() {
        return false;
    }
    if w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-') {
        return false;
    }
    if w.contains('.')
        || crate::parse::dates::weekday(w).is_some()
        || crate::parse::dates::month_number(w).is_some() && w.len() > 3
    {
        return false;
    }
    lexicon::countries().lookup(w).is_none() && !class.media() && lexicon::city_country(w).is_none()
}

/// Finds people and their named mentions.
pub fn find(doc: &Doc) -> People {
    let mut cands: Vec<Cand> = Vec::new();
    for (si, s) in doc.sents.iter().enumerate() {
        if doc.blocks[s.block].kind == super::text::BlockKind::Heading
            && title_cased(doc, s.start, s.end)
        {
            // "Obama Meets Merkel In Berlin": capitals say nothing about names here.
            continue;
        }
        scan_sentence(doc, si, s.start, s.end, &mut cands);
    }
    let mut people = People::default();
    // Strong candidates make people; weak ones join them or stand alone before a reporting verb.
    let mut cand_person: Vec<Option<usize>> = vec![None; cands.len()];
    let mut index = NameIndex::default();
    // Every candidate is looked at in at least one pass: fold its name once.
    let cand_words: Vec<Vec<String>> = cands
        .iter()
        .map(|c| fold_words(doc.slice(c.name_start, c.name_end)))
        .collect();
    for pass in 0..3 {
        for (ci, c) in cands.iter().enumerate() {
            if c.strong != (pass == 0) || cand_person[ci].is_some() {
                continue;
            }
            let name = doc.slice(c.name_start, c.name_end);
            let words = &cand_words[ci];
            if words.is_empty() {
                continue;
            }
            let found = index.find(&people, words);
            let pid = match found {
                Some(p) => p,
                None => {
                    if !c.strong
                        && (pass == 2 || !before_reporting_verb(doc, c.name_end) || c.possessive)
                    {
                        continue;
                    }
                    people.persons.push(Person {
                        name: name.to_string(),
                        words: words.clone(),
                        span: (
                            doc.tokens[c.name_start].start,
                            doc.tokens[c.name_end - 1].end,
                        ),
                        ..Person::default()
                    });
                    people.persons.len() - 1
                }
            };
            let p = &mut people.persons[pid];
            if words.len() > p.words.len() && words.iter().all(|w| !w.is_empty()) {
                if !p.aliases.contains(&p.name) {
                    let old = std::mem::take(&mut p.name);
                    p.aliases.push(old);
                }
                p.name = name.to_string();
                p.words = words.clone();
                p.span = (
                    doc.tokens[c.name_start].start,
                    doc.tokens[c.name_end - 1].end,
                );
            } else if name != p.name && !p.aliases.iter().any(|a| a == name) {
                p.aliases.push(name.to_string());
            }
            if let Some((t, prio)) = &c.title {
                p.set_title(t, *prio);
            }
            if let Some((iso, prio)) = c.country {
                p.set_country(iso, prio);
            }
            p.journalist |= c.journalist;
            index.add(pid, &people.persons[pid].words);
            index.touch(pid);
            cand_person[ci] = Some(pid);
            people.mentions.push(Mention {
                person: pid,
                start: c.start,
                end: c.name_end,
                sent: c.sent,
                kind: MentionKind::Name,
                in_quote: doc.in_quote.get(c.name_start).copied().unwrap_or(false),
                possessive: c.possessive,
            });
        }
    }
    // Counterparts: "X and his Iranian counterpart, Y".
    for (ci, c) in cands.iter().enumerate() {
        if let (Some(pid), Some(other_ci)) = (cand_person[ci], c.counterpart_of_mention)
            && let Some(other) = cand_person.get(other_ci).copied().flatten()
            && other != pid
        {
            people.persons[pid].counterpart_of = Some(other);
        }
    }
    for p in &mut people.persons {
        if p.country.is_none()
            && let Some(iso) = p.title.as_deref().and_then(lexicon::title_country)
        {
            p.set_country(iso, 1);
        }
    }
    people.mentions.sort_by_key(|m| (m.start, m.end));
    people
}

/// Finds people by the words of their names, preferring an exact name, then the most recently
/// mentioned person whose words contain these words or are contained by them.
#[derive(Default)]
struct NameIndex {
    by_word: lexicon::FastMap<String, Vec<usize>>,
    last_seen: Vec<usize>,
    clock: usize,
}

impl NameIndex {
    fn add(&mut self, pid: usize, words: &[String]) {
        if self.last_seen.len() <= pid {
            self.last_seen.resize(pid + 1, 0);
        }
        for w in words {
            // A word already indexed needs no new key.
            match self.by_word.get_mut(w) {
                Some(v) => {
                    if !v.contains(&pid) {
                        v.push(pid);
                    }
                }
                None => {
                    self.by_word.insert(w.clone(), vec![pid]);
                }
            }
        }
    }
    fn touch(&mut self, pid: usize) {
        self.clock += 1;
        if self.last_seen.len() <= pid {
            self.last_seen.resize(pid + 1, 0);
        }
        self.last_seen[pid] = self.clock;
    }
    fn find(&self, people: &People, words: &[String]) -> Option<usize> {
        let fits = |p: &Person| {
            words.iter().all(|w| p.words.contains(w)) || p.words.iter().all(|w| words.contains(w))
        };
        let mut cands: Vec<usize> = words
            .iter()
            .filter_map(|w| self.by_word.get(w))
            .flatten()
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        if let Some(&p) = cands.iter().find(|&&p| people.persons[p].words == words) {
            return Some(p);
        }
        cands
            .into_iter()
            .filter(|&p| fits(&people.persons[p]))
            .max_by_key(|&p| (self.last_seen.get(p).copied().unwrap_or(0), usize::MAX - p))
    }
}

/// Mentions whose first token lies in `from..to`; `mentions` is sorted by start.
pub fn mentions_in(mentions: &[Mention], from: usize, to: usize) -> &[Mention] {
    let a = mentions.partition_point(|m| m.start < from);
    let b = mentions.partition_point(|m| m.start < to);
    &mentions[a..b.max(a)]
}

/// True when a reporting verb follows the name, allowing an adverb, a date or an apposition between.
pub fn before_reporting_verb(doc: &Doc, end: usize) -> bool {
    let sent_end = doc.sents[doc.sent_of.get(end.saturating_sub(1)).copied().unwrap_or(0)].end;
    let mut i = end;
    let mut steps = 0;
    let mut lw = String::new();
    while i < sent_end && steps < 16 {
        let w = doc.word(i);
        if doc.tokens[i].kind == Kind::Word && doc.class(i).reporting_verb() && !doc.is_cap(i) {
            // "added 25 points" is no speech.
            return !doc
                .tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == Kind::Number);
        }
        if doc.tokens[i].kind == Kind::Poss {
            return false;
        }
        lexicon::lower_into(w, &mut lw);
        // "X, said": a comma right before the verb.
        if doc.tokens[i].is_punct(',')
            && doc.tokens.get(i + 1).is_some_and(|t| t.is_word())
            && !doc.is_cap(i + 1)
            && doc.class(i + 1).reporting_verb()
            && matches!(
                doc.lower(i + 1),
                "said" | "says" | "told" | "added" | "warned" | "stressed"
            )
        {
            return !doc
                .tokens
                .get(i + 2)
                .is_some_and(|t| t.kind == Kind::Number);
        }
        if doc.tokens[i].is_punct(',') && steps < 6 {
            // An apposition or a "who" clause: skip to its closing comma.
            let mut j = i + 1;
            while j < sent_end && !doc.tokens[j].is_punct(',') && j - i < 18 {
                j += 1;
            }
            if j < sent_end && doc.tokens[j].is_punct(',') {
                i = j + 1;
                steps += 1;
                continue;
            }
            if doc.lower(i + 1) == "who" {
                i += 2;
                steps += 1;
                continue;
            }
            return false;
        }
        if lw == "who" {
            // "X who is based in Y says", "X, who helped draft it, said": a relative clause.
            let mut j = i + 1;
            while j < sent_end
                && j - i < 20
                && !matches!(
                    doc.tokens[j].kind,
                    Kind::Punct('.' | ';' | ':') | Kind::Quote(_)
                )
            {
                if doc.tokens[j].kind == Kind::Word
                    && doc.class(j).reporting_verb()
                    && !doc.is_cap(j)
                    && j > i + 2
                {
                    return !doc
                        .tokens
                        .get(j + 1)
                        .is_some_and(|t| t.kind == Kind::Number);
                }
                j += 1;
            }
        }
        let skippable = matches!(
            lw.as_str(),
            "also"
                | "later"
                | "earlier"
                | "then"
                | "on"
                | "last"
                | "this"
                | "has"
                | "had"
                | "have"
                | "was"
                | "is"
                | "who"
                | "week"
                | "month"
                | "year"
                | "night"
                | "quickly"
                | "again"
                | "repeatedly"
                | "publicly"
                | "previously"
                | "once"
                | "today"
                | "yesterday"
        ) || crate::parse::dates::weekday(w).is_some();
        if !skippable {
            return false;
        }
        i += 1;
        steps += 1;
    }
    false
}

fn scan_sentence(doc: &Doc, si: usize, s: usize, e: usize, out: &mut Vec<Cand>) {
    let mut possessor_country: Option<(usize, &'static str)> = None;
    let mut possessor_media: Option<usize> = None;
    let mut i = s;
    while i < e {
        if !doc.is_cap(i) {
            i += 1;
            continue;
        }
        // The chain of capitalised words, particles and "of" complements of an office.
        let mut j = i;
        while j < e {
            if doc.is_cap(j) {
                j += 1;
                // "Mr. X", "Sen. X", "George W. X": a dot after an honorific, office or initial.
                // (The word lists are asked only where a dot and a capital follow.)
                let abbreviation = || {
                    let prev = doc.word(j - 1);
                    doc.class(j - 1).honorific()
                        || lexicon::is_title_head_dotted(prev)
                        || prev.chars().count() == 1 && prev.chars().all(char::is_uppercase)
                };
                if j < e && doc.tokens[j].is_punct('.') && doc.is_cap(j + 1) && abbreviation() {
                    j += 1;
                }
                continue;
            }
            let lw = doc.lower(j);
            if j > i
                && is_particle(lw)
                && j + 1 < e
                && doc.is_cap(j + 1)
                && doc.tokens[j].kind == Kind::Word
            {
                j += 1;
                continue;
            }
            if j > i && is_particle_name(doc.word(j)) {
                j += 1;
                continue;
            }
            if j > i && lw == "of" && doc.class(j - 1).title_head() {
                if doc.is_cap(j + 1) && j + 1 < e {
                    j += 1;
                    continue;
                }
                if doc.lower(j + 1) == "the" && doc.is_cap(j + 2) && j + 2 < e {
                    j += 2;
                    continue;
                }
            }
            break;
        }
        let chain_end = j;
        let possessive = chain_end < e && doc.tokens[chain_end].kind == Kind::Poss;
        if chain_end - i > MAX_CHAIN {
            // A run of capitalised words this long is a headline or a list, not a name.
            i = chain_end;
            continue;
        }
        analyze_chain(
            doc,
            si,
            i,
            chain_end,
            possessive,
            &mut possessor_country,
            &mut possessor_media,
            out,
        );
        i = if possessive {
            chain_end + 1
        } else {
            chain_end.max(i + 1)
        };
    }
}

#[allow(clippy::too_many_arguments)]
fn analyze_chain(
    doc: &Doc,
    si: usize,
    chain_start: usize,
    b: usize,
    possessive: bool,
    possessor_country: &mut Option<(usize, &'static str)>,
    possessor_media: &mut Option<usize>,
    out: &mut Vec<Cand>,
) {
    let mut a = chain_start;
    let mut honorific = false;
    while a < b {
        let w = doc.word(a);
        if doc.class(a).honorific() {
            honorific = true;
            a += 1;
            if a < b && doc.tokens[a].is_punct('.') {
                a += 1;
            }
            continue;
        }
        // "He Jianxiong": a pronoun-like surname before another capitalised word stays.
        let he_surname =
            w == "He" && a + 1 < b && valid_name_token(doc, a + 1) && !doc.class(a + 1).stopword();
        if doc.class(a).stopword() && !he_surname {
            a += 1;
            continue;
        }
        break;
    }
    if a >= b {
        return;
    }
    let chain_text = doc.slice(a, b);
    // A one-word chain's classes are the token's, already looked up.
    let chain_is_media = if b == a + 1 {
        doc.class(a).media()
    } else {
        lexicon::is_media(chain_text)
    };
    if possessive {
        if let Some((iso, form)) = country_of(doc, a, b)
            && form != CountryForm::Adjective
        {
            *possessor_country = Some((b + 1, iso));
            return;
        }
        if chain_is_media {
            *possessor_media = Some(b + 1);
            return;
        }
    }
    if chain_is_media {
        return;
    }
    // The office: up to the last head word that still leaves a name after it.
    let mut name_start = a;
    let mut has_head = false;
    let mut k = a;
    while k < b {
        let abbreviated_head = doc.tokens.get(k + 1).is_some_and(|t| t.is_punct('.'))
            && lexicon::is_title_head_dotted(doc.word(k));
        if doc.class(k).title_head() || abbreviated_head {
            let mut after = k + 1;
            if doc.lower(after) == "of" {
                after += if doc.lower(after + 1) == "the" { 3 } else { 2 };
            }
            while after < b && (doc.class(after).honorific() || doc.tokens[after].is_punct('.')) {
                honorific = true;
                after += 1;
            }
            if after < b && valid_name_token(doc, after) {
                name_start = after;
                has_head = true;
            }
        }
        k += 1;
    }
    if !has_head {
        // Leading country words: "Russian Irina Kessler".
        for len in (1..=3).rev() {
            if a + len < b && country_of(doc, a, a + len).is_some() {
                name_start = a + len;
                break;
            }
        }
    }
    // Leading words that cannot be names ("Witness", "Activist", org names) end the office part.
    let mut name_end = name_start;
    while name_end < b {
        let initial_dot = doc.tokens[name_end].is_punct('.')
            && name_end > name_start
            && doc.word(name_end - 1).chars().count() == 1
            && name_end + 1 < b
            && valid_name_token(doc, name_end + 1);
        if !(valid_name_token(doc, name_end) || initial_dot) {
            break;
        }
        name_end += 1;
    }
    // Trailing particles are not names.
    while name_end > name_start && is_particle(doc.word(name_end - 1)) {
        name_end -= 1;
    }
    if name_end == name_start || (name_end < b && doc.class(name_end).nonperson()) {
        return;
    }
    // A country or city inside the chain ("Saudi Arabia", "Port Vila", "New York") is no name.
    let name_text = doc.slice(name_start, name_end);
    if lexicon::city_country(name_text).is_some() {
        return;
    }
    {
        let base = doc.tokens[a].start;
        let (ns, ne) = (
            doc.tokens[name_start].start - base,
            doc.tokens[name_end - 1].end - base,
        );
        if lexicon::countries()
            .find_all(chain_text)
            .any(|(x, y, _, f)| f != CountryForm::Adjective && x < ne && y > ns)
        {
            return;
        }
    }
    if name_end < b && !has_head && name_start == a {
        // A run like "Lula Monday" keeps "Lula"; a run ending in an org word was rejected above.
    }
    // Office words in lower case before the chain: "Kremlin spokesman Dmitry Kessler".
    let mut desc_start = a;
    if name_start == a {
        let sent_start = doc.sents[si].start;
        let mut k = a;
        let mut saw_lower_title = false;
        let mut lw = String::new();
        while k > sent_start && a - k < 12 {
            let w = doc.word(k - 1);
            let t = doc.tokens[k - 1];
            if t.kind != Kind::Word {
                break;
            }
            lexicon::lower_into(w, &mut lw);
            // The token's classes are those of its lower-case form (lower-casing twice changes
            // nothing).
            let class = doc.class(k - 1);
            if class.title_head() || class.title_word() {
                saw_lower_title |= !doc.is_cap(k - 1) || class.title_head();
                k -= 1;
                continue;
            }
            if lw == "of"
                && k >= 2
                && (doc.class(k - 2).title_head() || doc.class(k - 2).title_word())
                && saw_lower_title
            {
                k -= 1;
                continue;
            }
            if saw_lower_title
                && (doc.is_cap(k - 1) || lexicon::countries().lookup(w).is_some())
                && !class.stopword()
            {
                k -= 1;
                continue;
            }
            break;
        }
        if k < a && (a - k >= 1) && (k..a).any(|x| doc.class(x).title_head()) {
            desc_start = k;
            has_head = true;
        }
    }
    let name_len = name_end - name_start;
    // "the Treasury", "of New Kessler", "in Cuzco": a place or an organisation, unless an office
    // or honorific says otherwise.
    if !has_head && !honorific && desc_start == name_start && name_start == a {
        let prev = if a > doc.sents[si].start {
            doc.lower(a - 1)
        } else {
            ""
        };
        if matches!(prev, "the" | "of" | "in" | "at" | "near" | "from" | "for") {
            return;
        }
    }
    let strong = name_len >= 2 || honorific || has_head;
    let mut title = None;
    let mut country: Option<(&'static str, u8)> = None;
    let desc_from = desc_start.min(a);
    if has_head {
        let t = title_text(doc, desc_from, name_start);
        if !t.is_empty() {
            title = Some((t, 4));
        }
    }
    if let Some(iso) = first_country(doc, desc_from, name_start) {
        country = Some((iso, 4));
    }
    if let Some((at, iso)) = *possessor_country {
        // "Iran's Zarif", "Russia's Foreign Minister X": the owner stands right before the name.
        if at <= desc_from
            && (at..desc_from).all(|k| doc.tokens[k].is_word())
            && desc_from - at <= 3
        {
            country = country.or(Some((iso, 4)));
        }
        *possessor_country = None;
    }
    let journalist = possessor_media.is_some_and(|at| at == desc_from);
    // "British hurdler Sarah Kessler", "his Pakistani counterpart Shah Kessler".
    let mut counterpart_of_mention = None;
    if desc_from >= 2
        && doc.tokens[desc_from - 1].kind == Kind::Word
        && !doc.is_cap(desc_from - 1)
        && let Some((iso, f)) = country_of(doc, desc_from - 2, desc_from - 1)
        && f == CountryForm::Adjective
    {
        country = country.or(Some((iso, 2)));
    }
    let before = |k: usize| -> String {
        if k > 0 {
            doc.lower(k - 1).to_string()
        } else {
            String::new()
        }
    };
    let mut appos_desc: Option<(usize, usize)> = None;
    if desc_from > 0 && before(desc_from).starts_with("counterpart") {
        counterpart_of_mention = counterpart_owner(doc, si, desc_from - 1, out);
        if desc_from >= 2
            && let Some((iso, _)) = country_of(doc, desc_from - 2, desc_from - 1)
        {
            country = country.or(Some((iso, 3)));
        }
    } else if desc_from > 1 && doc.tokens[desc_from - 1].is_punct(',') && title.is_none() {
        // "his Pakistani counterpart, Shah Kessler": the description before the comma.
        let sent_start = doc.sents[si].start;
        let mut k = desc_from - 1;
        let stop = k.saturating_sub(10).max(sent_start);
        while k > stop {
            let lw = doc.lower(k - 1);
            if matches!(
                lw,
                "the"
                    | "a"
                    | "an"
                    | "his"
                    | "her"
                    | "their"
                    | "its"
                    | "whose"
                    | "one"
                    | "with"
                    | "by"
                    | "and"
            ) || doc.tokens[k - 1].kind == Kind::Poss
                || matches!(doc.tokens[k - 1].kind, Kind::Punct(_) | Kind::Quote(_))
            {
                break;
            }
            k -= 1;
        }
        let office_like = (k..desc_from - 1)
            .any(|x| doc.class(x).title_head() || doc.lower(x).starts_with("counterpart"))
            && !(k..desc_from - 1).any(|x| {
                valid_name_token(doc, x) && !doc.class(x).title_word() && !in_place_name(doc, x)
            });
        if k < desc_from - 1 && office_like {
            appos_desc = Some((k, desc_from - 1));
            if (k..desc_from - 1).any(|x| doc.lower(x).starts_with("counterpart")) {
                counterpart_of_mention = counterpart_owner(doc, si, k, out);
            }
            if k > 1 && doc.tokens[k - 1].kind == Kind::Poss {
                let mut p = k - 1;
                while p > sent_start && doc.is_cap(p - 1) {
                    p -= 1;
                }
                if let Some((iso, _)) = country_of(doc, p, k - 1) {
                    country = country.or(Some((iso, 3)));
                }
            }
        }
    }
    // "King Fahd of Saudi Arabia", "Arvid Kessler of Norway".
    if name_end + 1 < doc.sents[si].end && doc.lower(name_end) == "of" {
        for len in (1..=4).rev() {
            if let Some((iso, CountryForm::Name)) = country_of(
                doc,
                name_end + 1,
                (name_end + 1 + len).min(doc.sents[si].end),
            ) {
                country = Some((iso, 4));
                break;
            }
        }
    }
    // An apposition after the name: "X, an Israeli cabinet minister close to Y,".
    if !possessive && name_end < doc.sents[si].end && doc.tokens[name_end].is_punct(',') {
        let s_end = doc.sents[si].end;
        let first = name_end + 1;
        if first < s_end
            && (!doc.is_cap(first)
                || matches!(doc.word(first), "A" | "An" | "The")
                || doc
                    .tokens
                    .get(first + 1)
                    .is_some_and(|t| t.kind == Kind::Poss))
        {
            let mut k = first;
            while k < s_end && k - first < 16 {
                let t = doc.tokens[k];
                let lw = doc.lower(k);
                if matches!(
                    t.kind,
                    Kind::Punct(',' | '.' | ';' | '(' | ')') | Kind::Quote(_)
                ) || matches!(
                    lw,
                    "who" | "which" | "whose" | "said" | "says" | "told" | "and"
                ) {
                    break;
                }
                k += 1;
            }
            if k > first {
                appos_desc = appos_desc.or(Some((first, k)));
            }
        }
    }
    if let Some((x, y)) = appos_desc {
        if title.is_none() {
            let t = title_text(doc, x, y);
            if !t.is_empty() && !t.to_lowercase().starts_with("counterpart") {
                title = Some((t, 3));
            }
        }
        if let Some(iso) = first_country(doc, x, y) {
            country = country.or(Some((iso, 3)));
        }
    }
    let in_quote = doc.in_quote.get(name_start).copied().unwrap_or(false);
    let _ = in_quote;
    out.push(Cand {
        start: desc_from,
        name_start,
        name_end,
        sent: si,
        strong,
        title,
        country,
        possessive,
        journalist,
        counterpart_of_mention,
    });
}

/// The candidate index of the person whose counterpart a description at token `at` names: the owner
/// in "Kerry's counterpart", else the first person named earlier in the sentence.
fn counterpart_owner(doc: &Doc, si: usize, at: usize, out: &[Cand]) -> Option<usize> {
    let sent_start = doc.sents[si].start;
    out.iter()
        .enumerate()
        .rev()
        .take_while(|(_, c)| c.sent == si)
        .filter(|(_, c)| c.name_end <= at && c.name_start >= sent_start)
        .last()
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::text;

    fn people(input: &str) -> Vec<(String, Option<String>, Option<String>)> {
        let blocks = text::blocks(input);
        let doc = Doc::new(input, blocks, None, &[]);
        let p = find(&doc);
        p.persons
            .into_iter()
            .map(|p| (p.name, p.title, p.country))
            .collect()
    }

    fn check(input: &str, expected: &[(&str, Option<&str>, Option<&str>)]) {
        let want: Vec<(String, Option<String>, Option<String>)> = expected
            .iter()
            .map(|(n, t, c)| (n.to_string(), t.map(str::to_string), c.map(str::to_string)))
            .collect();
        assert_eq!(people(input), want);
    }

    #[test]
    fn an_office_before_the_name_gives_title_and_country() {
        check(
            "West German Finance Minister Arvid Kessler met Lena Moor.",
            &[
                ("Arvid Kessler", Some("Finance Minister"), Some("DEU")),
                ("Lena Moor", None, None),
            ],
        );
    }

    #[test]
    fn a_possessive_country_gives_the_country() {
        check(
            "Norway's Arvid Kessler said no.",
            &[("Arvid Kessler", None, Some("NOR"))],
        );
    }

    #[test]
    fn a_short_form_joins_the_full_name() {
        let p = people("Arvid Kessler arrived. Kessler said no.");
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn lower_case_offices_and_org_names_before_the_name_count() {
        check(
            "Kremlin spokesman Pyotr Antonov said so.",
            &[("Pyotr Antonov", Some("Kremlin spokesman"), Some("RUS"))],
        );
    }

    #[test]
    fn an_apposition_after_the_name_gives_the_office() {
        check(
            "Zeev Korin, an Israeli cabinet minister close to the premier, said so.",
            &[("Zeev Korin", Some("cabinet minister"), Some("ISR"))],
        );
    }

    #[test]
    fn a_counterpart_before_the_name_gives_the_country() {
        check(
            "Foreign Minister Arvid Kessler met his Pakistani counterpart, Shah Omar Latif, in Islamabad.",
            &[
                ("Arvid Kessler", Some("Foreign Minister"), None),
                ("Shah Omar Latif", None, Some("PAK")),
            ],
        );
    }

    #[test]
    fn honorifics_and_sentence_openers_are_not_names() {
        check("But Mr. Kessler said so.", &[("Kessler", None, None)]);
    }

    #[test]
    fn names_with_particles_stay_whole() {
        check(
            "President Richard von Kessler met Ana da Silva Lopes.",
            &[
                ("Richard von Kessler", Some("President"), None),
                ("Ana da Silva Lopes", None, None),
            ],
        );
    }

    #[test]
    fn organisations_are_not_people() {
        check("The Syrian Observatory for Human Rights said so.", &[]);
    }

    #[test]
    fn a_country_after_the_name_gives_the_country() {
        check(
            "Foreign Minister Arvid Kessler of Norway said so.",
            &[("Arvid Kessler", Some("Foreign Minister"), Some("NOR"))],
        );
    }

    #[test]
    fn places_in_capitals_are_not_names() {
        check("Envoys met in Port Vila and New York.", &[]);
    }

    #[test]
    fn initials_and_abbreviated_offices_stay_with_the_name() {
        check(
            "President George W. Kessler met Sen. John Moor.",
            &[
                ("George W. Kessler", Some("President"), None),
                ("John Moor", Some("Sen"), None),
            ],
        );
    }
}

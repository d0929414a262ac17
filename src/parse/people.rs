//! People pass: finds the people an article names and merges their mentions into one [`Person`]
//! each, as four sub-passes with a value handed from each to the next:
//!
//! - **scan** (`Scan`: name `Chain`s and organisation words): runs of capitalised words (with
//!   particles such as "von", "de la", "al-"; regnal numbers "Abdullah II"; names hard-wrapped across
//!   a line) and where the name lies in them. Runs that name no person are dropped here: places,
//!   outlets, an organisation's noun before or after ("Spanish daily El Pais", "Svenska Dagbladet
//!   daily"), an office's organisation ("Lib Dem foreign affairs spokesman X").
//! - **office** (`Cand`): the title and country the words around each name give: the office before
//!   it ("West German Finance Minister", "Kremlin spokesman"), an apposition before or after ("his
//!   Pakistani counterpart, X", "X, who is U.S. Undersecretary of State"), a possessive country
//!   ("Iran's Zarif"), "X of Norway", a plural office shared by coordinated names ("Presidents X of A
//!   and Y of B").
//! - **merge** ([`People`]): candidates become people; shorter forms join the fullest name. A
//!   one-word name counts with a title or honorific, as part of a fuller name, or as the subject of
//!   a reporting verb, unless the text shows the word to be an organisation's or a common word.
//! - **countries**: what the text ties to a person beyond their own mentions (an office that names
//!   its country, the counterpart convention). Nobody gets a country the text does not tie to them.
//!
//! Each person records the pattern that found them (`rule`). Relies on the document's tokens and
//! sentences; pronouns and descriptions are left to the coreference pass.

use super::doc::Doc;
use super::name_index::NameIndex;
use super::tokens::Kind;
use crate::lexicon::{self, CountryForm};
use crate::names;

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
    /// "Kessler's spokesman X": the person whose office X holds an aide's post in.
    pub aide_of: Option<usize>,
    /// The office is another's ("the North's Vice Minister X", "his counterpart X") or held by a
    /// visitor ("visiting Prime Minister X"): a dateline says nothing of this person's country.
    pub foreign_office: bool,
    /// The pattern that found the person ("person.title-name"): provenance for the record.
    pub rule: &'static str,
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

/// Lower-case words of a name without honorifics, read through the pipeline's one name normaliser
/// ([`crate::names::fold_words`]: accents, dots and apostrophes do not change who is named).
pub fn fold_words(name: &str) -> Vec<String> {
    if !name.is_ascii() {
        let mut words = names::fold_words(name);
        words.retain(|w| !lexicon::is_honorific(w));
        return words;
    }
    // An ASCII name (most are) in one pass, one string per word: the words `names::fold_words`
    // gives (lower case, split at what is not a letter, digit, dot or apostrophe, dots and
    // apostrophes dropped), without its lower-cased copy of the whole name.
    let mut words = Vec::with_capacity(4);
    for piece in name.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '\''))) {
        let mut word = String::with_capacity(piece.len());
        word.extend(
            piece
                .bytes()
                .filter(|b| !matches!(b, b'.' | b'\''))
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        if !word.is_empty() && !lexicon::is_honorific(&word) {
            words.push(word);
        }
    }
    words
}

/// The most tokens an office and a name take together.
const MAX_CHAIN: usize = 14;

/// A country form made of the tokens `a..b`.
fn country_of(doc: &Doc, a: usize, b: usize) -> Option<(&'static str, CountryForm)> {
    lexicon::countries()
        .lookup(doc.slice(a, b))
        .map(|(c, f)| (c.iso3, f))
}

/// The first country in tokens `a..b` that says whose the person is: not one that says where they
/// are or are sent ("a photojournalist in Ankara", "ambassador to Zimbabwe"), which follows a
/// locative word after a common noun (the token before `a` counts).
fn identity_country(doc: &Doc, a: usize, b: usize) -> Option<&'static str> {
    if a >= b {
        return None;
    }
    let base = doc.tokens[a].start;
    lexicon::countries()
        .find_all(doc.slice(a, b))
        .find(|&(x, y, _, _)| {
            let k = (a..b)
                .find(|&k| doc.tokens[k].start - base >= x)
                .unwrap_or(a);
            // After an organisation's name, the place is the organisation's, and so the
            // person's ("director of the Center for Trend Studies in Moscow").
            let locative = k > 0 && matches!(doc.lower(k - 1), "in" | "at" | "to" | "near");
            // "spoke to US President X": a country opening the office words modifies them.
            let modifier = k == a
                && (a..b)
                    .find(|&e| doc.tokens[e].start - base >= y)
                    .is_some_and(|e| doc.class(e).title_head() || doc.class(e).title_word());
            !locative || modifier || k >= 2 && doc.is_cap(k - 2)
        })
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
        if !lexicon::is_title_head(w) && !is_office_compound(w) {
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

/// What the scan pass hands to the office pass: a name in a run of capitalised words, with the
/// office words around it located but not yet read.
#[derive(Debug, Clone)]
struct Chain {
    /// First token of the office words before the name (`name_start` where there are none).
    desc_from: usize,
    name_start: usize,
    name_end: usize,
    sent: usize,
    /// An office head word stands before the name ("Foreign Minister X").
    has_head: bool,
    honorific: bool,
    /// A roman numeral ends the name ("Abdullah II").
    regnal: bool,
    possessive: bool,
    journalist: bool,
    /// "Iran's X": the country of a possessive right before, as (first token after it, country).
    possessor: Option<(usize, &'static str)>,
}

impl Chain {
    /// Two or more name words, an office or an honorific: enough to make a person on its own.
    fn strong(&self) -> bool {
        self.name_end - self.name_start >= 2 || self.honorific || self.has_head
    }

    /// The pattern that found the name, for provenance.
    fn rule(&self) -> &'static str {
        if self.regnal {
            "person.regnal-name"
        } else if self.has_head {
            "person.title-name"
        } else if self.honorific {
            "person.honorific-name"
        } else if self.name_end - self.name_start >= 2 {
            "person.full-name"
        } else {
            "person.reporting-subject"
        }
    }
}

/// What the scan pass finds: the name chains, and single words the text shows to be organisations
/// ("German airline Lufthansa", "Yonhap News Agency"), which never become people on their own.
#[derive(Debug, Default)]
struct Scan {
    chains: Vec<Chain>,
    org_words: Vec<String>,
}

/// What the office pass hands to the merge pass: a chain with the title and country its
/// surroundings give.
#[derive(Debug, Clone)]
struct Cand {
    chain: Chain,
    title: Option<(String, u8)>,
    country: Option<(&'static str, u8)>,
    /// "X met his Iranian counterpart, Y": the chain index of X, for Y.
    counterpart_of: Option<usize>,
    /// "X's spokesman Y": the chain index of X, for Y.
    aide_of: Option<usize>,
    /// "Presidents X of A and Y of B": a plural office shared by the coordinated names after it.
    shared_title: Option<String>,
    /// The office is another's or a visitor's (see [`Person::foreign_office`]).
    foreign_office: bool,
}

/// "al-Assad", "el-Sisi": a lower-case particle glued to a capitalised name.
fn is_particle_name(w: &str) -> bool {
    // Asked of every lower-case word: the hyphen must come right after a particle's 2 to 4 letters.
    let b = w.as_bytes();
    let Some(at) = (2..=4).find(|&k| b.get(k) == Some(&b'-')) else {
        return false;
    };
    let (p, rest) = (&w[..at], &w[at + 1..]);
    rest.starts_with(|c: char| c.is_uppercase()) && lexicon::is_particle(p)
}

/// "II", "XVI": a regnal number after a ruler's name.
fn is_roman_numeral(w: &str) -> bool {
    !w.is_empty()
        && w.len() <= 5
        && w.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
        && !matches!(w, "V" | "X")
}

/// "Minister-designate", "President-elect": an office head with a suffix of its holder's status.
fn is_office_compound(w: &str) -> bool {
    // Asked of every capitalised word: the suffix is compared before anything is looked up.
    ["-designate", "-elect", "-Designate", "-Elect"]
        .iter()
        .find(|s| w.ends_with(*s))
        .is_some_and(|s| lexicon::is_title_head(&w[..w.len() - s.len()]))
}

/// "British-owned", "Iranian-backed": a country word glued to a lower-case one is an adjective.
fn is_country_compound(w: &str) -> bool {
    w.split_once('-').is_some_and(|(c, rest)| {
        rest.starts_with(|c: char| c.is_lowercase()) && lexicon::countries().lookup(c).is_some()
    })
}

fn valid_name_token(doc: &Doc, i: usize) -> bool {
    let t = doc.tokens[i];
    let w = doc.word(i);
    if t.kind != Kind::Word {
        return false;
    }
    let class = doc.class(i);
    if class.particle() || is_particle_name(w) {
        return true;
    }
    if !doc.is_cap(i)
        || class.title_head()
        || class.nonperson()
        || class.honorific()
        || is_office_compound(w)
    {
        return false;
    }
    if w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-') {
        return false;
    }
    if w.contains('.')
        || w.bytes().any(|b| b.is_ascii_digit())
        || crate::parse::dates::weekday(w).is_some()
        || crate::parse::dates::month_number(w).is_some() && w.len() > 3
        || w.contains('-') && is_country_compound(w)
    {
        return false;
    }
    if class.media() {
        return false;
    }
    (lexicon::countries().lookup(w).is_none() && lexicon::city_country(w).is_none())
        || family_name_after_particle(doc, i)
}

/// "Miguel de la Madrid", "Ana de Paris": a place's name after the particles of a name is a family
/// name. The particles are lower case and follow a given name that is no office, place or
/// organisation.
fn family_name_after_particle(doc: &Doc, i: usize) -> bool {
    let mut k = i;
    while k > 0
        && i - k < 3
        && doc.tokens[k - 1].is_word()
        && !doc.is_cap(k - 1)
        && doc.class(k - 1).particle()
    {
        k -= 1;
    }
    if k == i || k == 0 {
        return false;
    }
    let g = k - 1;
    let given = doc.word(g);
    let class = doc.class(g);
    doc.tokens[g].is_word()
        && doc.is_cap(g)
        && doc.sent_of[g] == doc.sent_of[i]
        && !(class.title_head() || class.nonperson() || class.honorific() || class.stopword())
        && !class.org_noun()
        && lexicon::countries().lookup(given).is_none()
        && lexicon::city_country(given).is_none()
}

/// Finds people and their named mentions: scan -> office -> merge -> countries.
pub fn find(doc: &Doc) -> People {
    let scanned = scan(doc);
    let cands = office(doc, scanned.chains);
    let mut people = merge(doc, &cands, &scanned.org_words);
    countries(&mut people);
    people
}

/// Scan pass: the runs of capitalised words of every sentence that hold a name.
fn scan(doc: &Doc) -> Scan {
    let mut out = Scan::default();
    for (si, s) in doc.sents.iter().enumerate() {
        if doc.blocks[s.block].kind == super::text::BlockKind::Heading
            && title_cased(doc, s.start, s.end)
        {
            // "Obama Meets Merkel In Berlin": capitals say nothing about names here.
            continue;
        }
        scan_sentence(doc, si, s.start, s.end, &mut out);
    }
    out
}

/// Merge pass: candidates become people, shorter forms joining the fullest name. Strong
/// candidates make people; weak ones (one word, no office) join them, or stand alone as the subject
/// of a reporting verb unless the text shows the word to be an organisation's.
fn merge(doc: &Doc, cands: &[Cand], org_words: &[String]) -> People {
    let mut people = People::default();
    let mut cand_person: Vec<Option<usize>> = vec![None; cands.len()];
    let mut index = NameIndex::default();
    // Every candidate is looked at in at least one pass: fold its name once.
    let cand_words: Vec<Vec<String>> = cands
        .iter()
        .map(|c| fold_words(doc.slice(c.chain.name_start, c.chain.name_end)))
        .collect();
    for pass in 0..3 {
        for (ci, cand) in cands.iter().enumerate() {
            let c = &cand.chain;
            if c.strong() != (pass == 0) || cand_person[ci].is_some() {
                continue;
            }
            let name = name_text(doc.slice(c.name_start, c.name_end));
            let words = &cand_words[ci];
            if words.is_empty() {
                continue;
            }
            let found = index.find(&people.persons, words);
            let pid = match found {
                Some(p) => p,
                None => {
                    if !c.strong()
                        && (pass == 2
                            || !before_reporting_verb(doc, c.name_end)
                            || c.possessive
                            || org_words.contains(&words[0])
                            || common_word(doc, c))
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
                        rule: c.rule(),
                        ..Person::default()
                    });
                    people.persons.len() - 1
                }
            };
            // Whether the person's words are new to the index (a new person or a fuller name):
            // indexing unchanged words again would change nothing.
            let mut renamed = found.is_none();
            let p = &mut people.persons[pid];
            if words.len() > p.words.len() && words.iter().all(|w| !w.is_empty()) {
                renamed = true;
                if !p.aliases.contains(&p.name) {
                    let old = std::mem::take(&mut p.name);
                    p.aliases.push(old);
                }
                p.name = name.into_owned();
                p.words = words.clone();
                p.span = (
                    doc.tokens[c.name_start].start,
                    doc.tokens[c.name_end - 1].end,
                );
                if c.strong() {
                    p.rule = c.rule();
                }
            } else if name != p.name && !p.aliases.iter().any(|a| *a == name) {
                p.aliases.push(name.into_owned());
            }
            if let Some((t, prio)) = &cand.title {
                p.set_title(t, *prio);
            }
            if let Some((iso, prio)) = cand.country {
                p.set_country(iso, prio);
            }
            p.journalist |= c.journalist;
            p.foreign_office |= cand.foreign_office;
            if renamed {
                index.add(pid, &people.persons[pid].words);
            }
            index.touch(pid);
            cand_person[ci] = Some(pid);
            people.mentions.push(Mention {
                person: pid,
                start: c.desc_from,
                end: c.name_end,
                sent: c.sent,
                kind: MentionKind::Name,
                in_quote: doc.in_quote.get(c.name_start).copied().unwrap_or(false),
                possessive: c.possessive,
            });
        }
    }
    // Aides: "X's spokesman Y".
    for (ci, c) in cands.iter().enumerate() {
        if let (Some(pid), Some(owner_ci)) = (cand_person[ci], c.aide_of)
            && let Some(owner) = cand_person.get(owner_ci).copied().flatten()
            && owner != pid
        {
            people.persons[pid].aide_of = Some(owner);
        }
    }
    // Counterparts: "X and his Iranian counterpart, Y".
    for (ci, c) in cands.iter().enumerate() {
        if let (Some(pid), Some(other_ci)) = (cand_person[ci], c.counterpart_of)
            && let Some(other) = cand_person.get(other_ci).copied().flatten()
            && other != pid
        {
            people.persons[pid].counterpart_of = Some(other);
        }
    }
    people.mentions.sort_by_key(|m| (m.start, m.end));
    people
}

/// A one-word name that opens its sentence and stands in lower case elsewhere in the article
/// ("Firms said ... Many firms have"): a common word capitalised by its place, not a name.
fn common_word(doc: &Doc, c: &Chain) -> bool {
    if c.name_start != doc.sents[c.sent].start || c.name_end != c.name_start + 1 {
        return false;
    }
    let t = doc.tokens[c.name_start];
    let lower = &doc.lower_text()[t.start..t.end];
    let bytes = doc.text.as_bytes();
    doc.lower_text().match_indices(lower).any(|(at, _)| {
        at != t.start
            && bytes[at].is_ascii_lowercase()
            && lexicon::word_boundary(doc.text, at, at + lower.len())
    })
}

/// Countries pass, on what the text ties to each person beyond their own mentions: an office that
/// names its country by itself ("Secretary of State"), and the counterpart convention ("his Swiss
/// counterpart" holds the other person's office; a Secretary of State's counterpart is a Foreign
/// Minister). Nobody gets a country the text does not tie to them.
fn countries(people: &mut People) {
    for i in 0..people.persons.len() {
        if people.persons[i].title.is_none()
            && let Some(other) = people.persons[i].counterpart_of
            && let Some(office) = people.persons[other].title.clone()
            && !lexicon::is_international(&office)
        {
            let office = lexicon::counterpart_office(&office);
            people.persons[i].set_title(&office, 1);
        }
        // An aide speaks for the owner's country ("Yeltsin's spokesman", "Kessler spokeswoman").
        let owner = people.persons[i]
            .aide_of
            .or_else(|| office_owner(people, i));
        if people.persons[i].country.is_none()
            && let Some(owner) = owner
            && let Some(iso) = people.persons[owner].country.clone()
        {
            people.persons[i].set_country(&iso, 1);
        }
        let p = &mut people.persons[i];
        if p.country.is_none()
            && let Some(iso) = p.title.as_deref().and_then(lexicon::title_country)
        {
            p.set_country(iso, 1);
        }
    }
}

/// "Kessler spokeswoman X": the person whose surname opens an aide's office, where the article
/// names one.
fn office_owner(people: &People, i: usize) -> Option<usize> {
    let title = people.persons[i].title.as_deref()?;
    let (first, _) = title.split_once(' ')?;
    if !first.starts_with(|c: char| c.is_uppercase()) || !lexicon::is_aide_office(title) {
        return None;
    }
    let first = names::fold(first);
    (0..people.persons.len()).find(|&o| {
        o != i
            && people.persons[o].words.len() >= 2
            && people.persons[o].words.last() == Some(&first)
    })
}

/// Dateline pass, after coreference: in a story datelined in a capital, a state office written bare
/// before a name ("Finance Minister X", "President Y") is the dateline country's own, as wire copy
/// names the country of every other government's officials ("Japanese Prime Minister X"). Not for
/// an office another person holds for that country by the text ("Azeri President X" makes a bare
/// "President Y" someone else's), nor for another's or a visitor's office, nor for someone a
/// sentence places in another country's city ("In Paris, trade minister X said" under BRUSSELS).
pub fn dateline_countries(doc: &Doc, people: &mut People, dateline_place: Option<&str>) {
    let Some(place) = dateline_place else { return };
    let Some((country, CountryForm::Capital)) = lexicon::countries().lookup(place) else {
        return;
    };
    let iso = country.iso3;
    let held: Vec<String> = people
        .persons
        .iter()
        .filter(|p| p.country.as_deref() == Some(iso) && p.country_prio >= 2)
        .filter_map(|p| p.title.as_deref().map(str::to_lowercase))
        .collect();
    let bare = |p: &Person| {
        (p.country.is_none() && !p.foreign_office)
            .then_some(p.title.as_deref())
            .flatten()
            .filter(|t| lexicon::is_state_office(t))
            .map(str::to_lowercase)
    };
    let offices: Vec<Option<String>> = people.persons.iter().map(bare).collect();
    let mut elsewhere = vec![false; people.persons.len()];
    for m in people
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
    {
        elsewhere[m.person] |= placed_elsewhere(doc, m.sent, iso);
    }
    for ((p, office), elsewhere) in people.persons.iter_mut().zip(&offices).zip(elsewhere) {
        let Some(office) = office else { continue };
        if elsewhere {
            continue;
        }
        // One country, one holder of an office: two bare "Foreign Minister"s are of two countries.
        let twice = offices
            .iter()
            .filter(|o| o.as_ref() == Some(office))
            .count()
            > 1;
        if !twice && !held.contains(office) {
            p.set_country(iso, 1);
        }
    }
}

/// Sentence `si` opens with "In <place>," naming a place of another country than `iso`.
fn placed_elsewhere(doc: &Doc, si: usize, iso: &str) -> bool {
    let (s, e) = (doc.sents[si].start, doc.sents[si].end);
    if s >= e || doc.lower(s) != "in" {
        return false;
    }
    let Some(comma) = (s + 2..(s + 5).min(e)).find(|&k| doc.tokens[k].is_punct(',')) else {
        return false;
    };
    (s + 1..comma).all(|k| doc.is_cap(k))
        && lexicon::place_country(doc.slice(s + 1, comma)).is_some_and(|c| c != iso)
}

/// A name as printed, on one line: a name hard-wrapped in wire copy ("Noboru\n    Takeshita")
/// keeps one space between its words.
fn name_text(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains(['\n', '\t']) && !raw.contains("  ") {
        return std::borrow::Cow::Borrowed(raw);
    }
    std::borrow::Cow::Owned(raw.split_whitespace().collect::<Vec<_>>().join(" "))
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
    let mut lower_buf = String::new();
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
        // An ASCII word's lower case is the document's lower-cased copy (no string to fill).
        let lw: &str = if w.is_ascii() {
            doc.lower(i)
        } else {
            lexicon::lower_into(w, &mut lower_buf);
            &lower_buf
        };
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
            // "..., said Prime Minister X": the verb is X's, inverted.
            return !doc
                .tokens
                .get(i + 2)
                .is_some_and(|t| t.kind == Kind::Number)
                && !doc.is_cap(i + 2);
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
        // "X of Norway and Y of Sweden said": a country complement.
        if lw == "of"
            && let Some(len) = (1..=3).rev().find(|&len| {
                i + 1 + len <= sent_end
                    && country_of(doc, i + 1, i + 1 + len)
                        .is_some_and(|(_, f)| f == CountryForm::Name)
            })
        {
            i += 1 + len;
            steps += 1;
            continue;
        }
        // "X first announced", "X angrily denied", "X to say".
        let adverb = lw.len() > 4 && lw.ends_with("ly") && !doc.is_cap(i);
        let to_say = lw == "to"
            && doc.tokens.get(i + 1).is_some_and(|t| t.is_word())
            && doc.class(i + 1).reporting_verb();
        let skippable = adverb
            || to_say
            || matches!(
                lw,
                "first"
                    | "also"
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
            )
            || crate::parse::dates::weekday(w).is_some();
        if !skippable {
            return false;
        }
        i += 1;
        steps += 1;
    }
    false
}

fn scan_sentence(doc: &Doc, si: usize, s: usize, e: usize, out: &mut Scan) {
    let mut possessor_country: Option<(usize, &'static str)> = None;
    let mut possessor_media: Option<usize> = None;
    let mut i = s;
    while i < e {
        // "<Cie Generale de Constructions Telephoniques>": wire copy marks a company's name with
        // angle brackets; what stands inside them is an organisation, never a person.
        if doc.tokens[i].is_punct('<') {
            i = (i + 1..e)
                .find(|&k| doc.tokens[k].is_punct('>'))
                .map_or(i + 1, |k| k + 1);
            continue;
        }
        // "said al-Khatib": a name may open with a particle glued to it.
        if !(doc.is_cap(i) || doc.tokens[i].is_word() && is_particle_name(doc.word(i))) {
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
            if j > i && doc.tokens[j].kind == Kind::Word {
                // "Miguel de la Madrid", "Ludwig van der Berg": a run of particles between capitals.
                let mut k = j;
                while k < e && k - j < 3 && doc.tokens[k].is_word() && doc.class(k).particle() {
                    k += 1;
                }
                if k > j && k < e && doc.is_cap(k) {
                    j = k;
                    continue;
                }
            }
            if is_particle_name(doc.word(j)) {
                j += 1;
                continue;
            }
            let lw = doc.lower(j);
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
        let bounds = ChainBounds {
            sent: si,
            start: i,
            end: chain_end,
            possessive,
        };
        if let Some(chain) = scan_chain(
            doc,
            bounds,
            &mut possessor_country,
            &mut possessor_media,
            &mut out.org_words,
        ) {
            out.chains.push(chain);
        }
        i = if possessive {
            chain_end + 1
        } else {
            chain_end.max(i + 1)
        };
    }
}

/// A run of capitalised words `start..end` of sentence `sent`, and whether a possessive follows.
#[derive(Debug, Clone, Copy)]
struct ChainBounds {
    sent: usize,
    start: usize,
    end: usize,
    possessive: bool,
}

/// Where the name lies in a run of capitalised words, and the office words before it; None for a
/// run that names no person (a place, an outlet, an organisation, an office alone).
fn scan_chain(
    doc: &Doc,
    bounds: ChainBounds,
    possessor_country: &mut Option<(usize, &'static str)>,
    possessor_media: &mut Option<usize>,
    org_words: &mut Vec<String>,
) -> Option<Chain> {
    let ChainBounds {
        sent: si,
        start: chain_start,
        end: b,
        possessive,
    } = bounds;
    let mut a = chain_start;
    let mut honorific = false;
    // "Presidents Ivan Kessler of A and ...": a plural office opens the chain; the office pass reads
    // it.
    if b - a >= 2 && plural_head(doc, a).is_some() {
        a += 1;
    }
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
        // "US President X": a country's upper-case abbreviation is no stopword "us".
        let country_code = w.len() >= 2
            && w.bytes().all(|b| b.is_ascii_uppercase())
            && country_of(doc, a, a + 1).is_some();
        if doc.class(a).stopword() && !he_surname && !country_code {
            a += 1;
            continue;
        }
        break;
    }
    if a >= b {
        return None;
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
            return None;
        }
        if chain_is_media {
            *possessor_media = Some(b + 1);
            return None;
        }
    }
    if chain_is_media {
        return None;
    }
    // The office: up to the last head word that still leaves a name after it.
    let mut name_start = a;
    let mut has_head = false;
    let mut k = a;
    while k < b {
        let abbreviated_head = doc.tokens.get(k + 1).is_some_and(|t| t.is_punct('.'))
            && lexicon::is_title_head_dotted(doc.word(k));
        if doc.class(k).title_head() || abbreviated_head || is_office_compound(doc.word(k)) {
            let mut after = k + 1;
            if doc.lower(after) == "of" {
                let org = after + if doc.lower(after + 1) == "the" { 2 } else { 1 };
                after = org + 1;
                // "Chairman of the Expediency Council X": the complement runs to its last
                // organisation noun.
                if let Some(m) = (org..(org + 5).min(b))
                    .take_while(|&m| doc.is_cap(m))
                    .filter(|&m| doc.class(m).nonperson() || doc.class(m).org_noun())
                    .last()
                {
                    after = m + 1;
                }
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
    let mut regnal = false;
    while name_end < b {
        let initial_dot = doc.tokens[name_end].is_punct('.')
            && name_end > name_start
            && doc.word(name_end - 1).chars().count() == 1
            && name_end + 1 < b
            && valid_name_token(doc, name_end + 1);
        // "Abdullah II", "Benedict XVI": a ruler's number ends the name.
        let numeral = name_end > name_start && is_roman_numeral(doc.word(name_end));
        if numeral {
            regnal = true;
            name_end += 1;
            break;
        }
        if !(valid_name_token(doc, name_end) || initial_dot) {
            break;
        }
        name_end += 1;
    }
    // Trailing particles are not names.
    while name_end > name_start && doc.class(name_end - 1).particle() {
        name_end -= 1;
    }
    if name_end == name_start {
        return None;
    }
    if name_end < b && doc.class(name_end).nonperson() {
        // "Yonhap News Agency": the word before an organisation's noun is the organisation's.
        if name_end - name_start == 1 && !has_head && !honorific {
            org_words.push(names::fold(doc.word(name_start)));
        }
        return None;
    }
    // A country or city inside the chain ("Saudi Arabia", "Port Vila", "New York") is no name.
    let name_text = doc.slice(name_start, name_end);
    if lexicon::city_country(name_text).is_some() {
        return None;
    }
    {
        let base = doc.tokens[a].start;
        let (ns, ne) = (
            doc.tokens[name_start].start - base,
            doc.tokens[name_end - 1].end - base,
        );
        let family_name = |x: usize| {
            (name_start..name_end)
                .find(|&k| doc.tokens[k].start - base == x)
                .is_some_and(|k| family_name_after_particle(doc, k))
        };
        if lexicon::countries()
            .find_all(chain_text)
            .any(|(x, y, _, f)| f != CountryForm::Adjective && x < ne && y > ns && !family_name(x))
        {
            return None;
        }
    }
    let sent_start = doc.sents[si].start;
    let sent_end = doc.sents[si].end;
    // An organisation's noun right before or after the name: "Spanish daily El Pais", "German
    // airline Lufthansa", "Svenska Dagbladet daily said". An office or honorific says otherwise.
    if !has_head && !honorific && name_start == a {
        let org_before = a > sent_start
            && doc.tokens[a - 1].is_word()
            && !doc.is_cap(a - 1)
            && doc.class(a - 1).org_noun();
        let org_after = name_end == b
            && b < sent_end
            && doc.tokens[b].is_word()
            && !doc.is_cap(b)
            && doc.class(b).org_noun();
        if org_before || org_after {
            if org_before && name_end - name_start == 1 {
                org_words.push(names::fold(doc.word(name_start)));
            }
            return None;
        }
        // "Lib Dem foreign affairs spokesman Menzies Kessler": a name followed by lower-case office
        // words and their head is the office's organisation; the name comes after.
        if name_end == b {
            let mut k = b;
            while k < sent_end && k - b < 5 && doc.tokens[k].is_word() && !doc.is_cap(k) {
                let class = doc.class(k);
                if class.title_head() {
                    if doc.is_cap(k + 1) && k + 1 < sent_end {
                        return None;
                    }
                    break;
                }
                if !class.title_word() {
                    break;
                }
                k += 1;
            }
        }
    }
    // Office words in lower case before the chain: "Kremlin spokesman Dmitry Kessler".
    let mut desc_start = a;
    if name_start == a {
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
    // "the Treasury", "of New Kessler", "in Cuzco": a place or an organisation, unless an office
    // or honorific says otherwise.
    if !has_head && !honorific && desc_start == name_start && name_start == a {
        let prev = if a > sent_start { doc.lower(a - 1) } else { "" };
        // "an operation codenamed Alba": the name of a thing.
        if matches!(
            prev,
            "the" | "of" | "in" | "at" | "near" | "from" | "for" | "codenamed" | "code-named"
        ) {
            return None;
        }
    }
    let desc_from = desc_start.min(a);
    let journalist = possessor_media.is_some_and(|at| at == desc_from);
    let mut possessor = None;
    if let Some((at, iso)) = *possessor_country {
        // "Iran's Zarif", "Russia's Foreign Minister X": the owner stands right before the name.
        if at <= desc_from
            && (at..desc_from).all(|k| doc.tokens[k].is_word())
            && desc_from - at <= 3
        {
            possessor = Some((at, iso));
        }
        *possessor_country = None;
    }
    Some(Chain {
        desc_from,
        name_start,
        name_end,
        sent: si,
        has_head,
        honorific,
        regnal,
        possessive,
        journalist,
        possessor,
    })
}

/// Office pass: the title and country that the words around each name give it (the office before
/// it, an apposition before or after it, a possessive country, "of <Country>", a counterpart).
fn office(doc: &Doc, chains: Vec<Chain>) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::with_capacity(chains.len());
    for (ci, chain) in chains.iter().enumerate() {
        let cand = office_of(doc, chain, &chains[..ci], out.last());
        out.push(cand);
    }
    out
}

/// The title and country of one chain; `before` are the chains before it in text order and `prev`
/// the candidate made of the last of them.
fn office_of(doc: &Doc, c: &Chain, before: &[Chain], prev: Option<&Cand>) -> Cand {
    let si = c.sent;
    let (name_start, name_end, desc_from) = (c.name_start, c.name_end, c.desc_from);
    let sent_start = doc.sents[si].start;
    let s_end = doc.sents[si].end;
    let mut title = None;
    let mut shared_title = None;
    let mut country: Option<(&'static str, u8)> = None;
    if c.has_head {
        let t = title_text(doc, desc_from, name_start);
        if !t.is_empty() {
            title = Some((t, 4));
        }
    } else if desc_from == name_start
        && name_start > sent_start
        && let Some(head) = plural_head(doc, plural_at(doc, name_start - 1, sent_start))
    {
        // "Presidents Leonid Kessler of Norland and ...": a plural office before the names.
        title = Some((head.clone(), 4));
        shared_title = Some(head);
    }
    if let Some(iso) = identity_country(doc, desc_from, name_start) {
        country = Some((iso, 4));
    }
    // "the Malaysian ambassador to Zimbabwe X": the country after "to" is where the envoy is sent;
    // the adjective before the office is theirs.
    if desc_from >= sent_start + 3
        && doc.lower(desc_from - 1) == "to"
        && doc.tokens[desc_from - 2].is_word()
        && !doc.is_cap(desc_from - 2)
        && doc.class(desc_from - 2).title_head()
        && let Some((iso, CountryForm::Adjective)) = country_of(doc, desc_from - 3, desc_from - 2)
    {
        country = country.or(Some((iso, 4)));
        if title.is_none() {
            title = Some((doc.word(desc_from - 2).to_string(), 3));
        }
    }
    if let Some((_, iso)) = c.possessor {
        country = country.or(Some((iso, 4)));
    }
    // "Presidents X of A and Y of B", "five presidents, including X of A, Y of B and Z of C": the
    // names coordinated after a plural office share it.
    if title.is_none()
        && let Some(p) = prev
        && p.chain.sent == si
        && let Some(shared) = &p.shared_title
        && coordinated(doc, p.chain.name_end, desc_from)
    {
        title = Some((shared.clone(), 3));
        shared_title = Some(shared.clone());
    }
    // "British hurdler Sarah Kessler", "his Pakistani counterpart Shah Kessler".
    let mut counterpart_of = None;
    // (Both words in this sentence: a headline's last words are no office of the body's first name.)
    if desc_from >= sent_start + 2
        && doc.tokens[desc_from - 1].kind == Kind::Word
        && !doc.is_cap(desc_from - 1)
        && let Some((iso, f)) = country_of(doc, desc_from - 2, desc_from - 1)
        && f == CountryForm::Adjective
    {
        country = country.or(Some((iso, 2)));
    }
    let before_word = |k: usize| -> String {
        if k > sent_start {
            doc.lower(k - 1).to_string()
        } else {
            String::new()
        }
    };
    let mut appos_desc: Option<(usize, usize)> = None;
    // "the North's Vice Minister X", "Olmert's spokeswoman X", "visiting Prime Minister X".
    // (A possessive before a bare name, "Ontario's X", says nothing of an office.)
    let mut foreign_office = desc_from < name_start
        && (desc_from > sent_start && doc.tokens[desc_from - 1].kind == Kind::Poss
            || (desc_from.saturating_sub(1).max(sent_start)..name_start)
                .any(|k| doc.lower(k) == "visiting"));
    if desc_from > 0 && before_word(desc_from).starts_with("counterpart") {
        counterpart_of = counterpart_owner(doc, si, desc_from - 1, before);
        foreign_office = true;
        if desc_from >= sent_start + 2
            && let Some((iso, _)) = country_of(doc, desc_from - 2, desc_from - 1)
        {
            country = country.or(Some((iso, 3)));
        }
    } else if desc_from > sent_start + 1
        && doc.tokens[desc_from - 1].is_punct(',')
        && title.is_none()
    {
        // "his Pakistani counterpart, Shah Kessler": the description before the comma.
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
                counterpart_of = counterpart_owner(doc, si, k, before);
                foreign_office = true;
            }
            if k > 1 && doc.tokens[k - 1].kind == Kind::Poss {
                foreign_office = true;
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
    // "King Fahd of Saudi Arabia", "Arvid Kessler of Norway", "X of the Republic of Y".
    if name_end + 1 < s_end && doc.lower(name_end) == "of" {
        let from = if doc.lower(name_end + 1) == "the" {
            name_end + 2
        } else {
            name_end + 1
        };
        for len in (1..=4).rev() {
            let to = (from + len).min(s_end);
            if to <= from {
                continue;
            }
            if let Some((iso, CountryForm::Name)) = country_of(doc, from, to) {
                country = Some((iso, 4));
                break;
            }
            // "the Republic of Congo": the country after a state's noun.
            if len == 1
                && to + 1 < s_end
                && doc.class(from).nonperson()
                && doc.lower(to) == "of"
                && let Some((iso, CountryForm::Name)) = country_of(doc, to + 1, to + 2)
            {
                country = Some((iso, 4));
                break;
            }
        }
    }
    // An apposition after the name: "X, an Israeli cabinet minister close to Y,", "X, who is
    // U.S. Undersecretary of State,".
    if !c.possessive && name_end < s_end && doc.tokens[name_end].is_punct(',') {
        let mut first = name_end + 1;
        let relative = doc.lower(first) == "who" && matches!(doc.lower(first + 1), "is" | "was");
        if relative {
            first += 2;
        }
        if first < s_end
            && (!doc.is_cap(first)
                || matches!(doc.word(first), "A" | "An" | "The")
                || doc.class(first).title_head()
                || doc.class(first).title_word()
                || country_of(doc, first, first + 1).is_some()
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
            // A capitalised apposition is an office, not the next name of a list ("X, Foreign
            // Minister Y and Z").
            // "X, who is U.S. Undersecretary of State for Political Affairs,": a relative clause
            // describes X, whatever capitals its office holds.
            let names_nobody = !doc.is_cap(first)
                || relative
                || (first..k).all(|x| {
                    !valid_name_token(doc, x) || doc.class(x).title_word() || in_place_name(doc, x)
                });
            if k > first && names_nobody {
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
        if let Some(iso) = identity_country(doc, x, y) {
            country = country.or(Some((iso, 3)));
        }
    }
    // "Yeltsin's spokesman Sergei X": an aide's office owned by the person named right before.
    let aide_of = title
        .as_ref()
        .filter(|(t, _)| lexicon::is_aide_office(t))
        .and_then(|_| {
            let poss = desc_from.checked_sub(1)?;
            if doc.tokens[poss].kind != Kind::Poss {
                return None;
            }
            let (i, owner) = before.iter().enumerate().next_back()?;
            (owner.sent == si && owner.possessive && owner.name_end == poss).then_some(i)
        });
    Cand {
        chain: c.clone(),
        title,
        country,
        foreign_office: foreign_office || counterpart_of.is_some(),
        counterpart_of,
        aide_of,
        shared_title,
    }
}

/// The token where a plural office before a name would stand: right before it, or before ",
/// including" ("five presidents, including X").
fn plural_at(doc: &Doc, k: usize, sent_start: usize) -> usize {
    if doc.lower(k) == "including" && k > sent_start + 1 {
        if doc.tokens[k - 1].is_punct(',') {
            return k - 2;
        }
        return k - 1;
    }
    k
}

/// "Presidents", "foreign ministers": a plural office head at token `k`, as its singular office
/// ("President", "foreign minister").
fn plural_head(doc: &Doc, k: usize) -> Option<String> {
    let w = doc.word(k);
    if !doc.tokens[k].is_word() || w.len() < 4 || !w.ends_with('s') {
        return None;
    }
    let singular = &w[..w.len() - 1];
    if !lexicon::is_title_head(singular) || lexicon::is_title_head(w) {
        return None;
    }
    // The office words before the head: "foreign ministers" -> "foreign minister".
    let sent_start = doc.sents[doc.sent_of[k]].start;
    let mut a = k;
    while a > sent_start && doc.tokens[a - 1].is_word() && doc.class(a - 1).title_word() {
        a -= 1;
    }
    let mut office = doc.slice(a, k).to_string();
    if !office.is_empty() {
        office.push(' ');
    }
    office.push_str(singular);
    Some(office)
}

/// True when tokens `from..to` join two coordinated names: ", " or "and" with at most an "of
/// <Country>" complement before.
fn coordinated(doc: &Doc, from: usize, to: usize) -> bool {
    if to <= from || to - from > 8 {
        return false;
    }
    let last = doc.lower(to - 1);
    (last == "and" || doc.tokens[to - 1].is_punct(','))
        && (from..to - 1).all(|k| {
            !matches!(
                doc.tokens[k].kind,
                Kind::Punct('.' | ';' | ':') | Kind::Quote(_)
            )
        })
}

/// The chain index of the person whose counterpart a description at token `at` names: the owner
/// in "Kerry's counterpart", else the first person named earlier in the sentence.
fn counterpart_owner(doc: &Doc, si: usize, at: usize, before: &[Chain]) -> Option<usize> {
    let sent_start = doc.sents[si].start;
    before
        .iter()
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

    #[test]
    fn an_ascii_name_folds_to_the_words_the_shared_normaliser_gives() {
        for name in [
            "",
            "Mr. Arvid O'Kessler-Vell",
            "U.S. envoy J.R. Moor Jr.",
            "  Dr  Lena   d'Ormo, 3rd ",
            "...'' -- Ona",
            "Sen. Tavi al-Rami (ret.)",
        ] {
            let mut expected = names::fold_words(name);
            expected.retain(|w| !lexicon::is_honorific(w));
            assert_eq!(fold_words(name), expected, "{name:?}");
        }
    }

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

    /// People with the dateline pass run for a story datelined in `place`.
    fn datelined(input: &str, place: &str) -> Vec<(String, Option<String>)> {
        let blocks = text::blocks(input);
        let doc = Doc::new(input, blocks, None, &[]);
        let mut p = find(&doc);
        dateline_countries(&doc, &mut p, Some(place));
        p.persons.into_iter().map(|p| (p.name, p.country)).collect()
    }

    fn country_of_name(people: &[(String, Option<String>)], name: &str) -> Option<String> {
        people
            .iter()
            .find(|p| p.0 == name)
            .and_then(|p| p.1.clone())
    }

    #[test]
    fn a_bare_state_office_in_a_capitals_dateline_is_that_countrys() {
        let p = datelined(
            "Finance Minister Arvid Kessler said no. Swedish Finance Minister Lena Moor agreed.",
            "Lisbon",
        );
        assert_eq!(country_of_name(&p, "Arvid Kessler").as_deref(), Some("PRT"));
        assert_eq!(country_of_name(&p, "Lena Moor").as_deref(), Some("SWE"));
    }

    #[test]
    fn someone_a_sentence_places_in_another_countrys_city_takes_no_dateline_country() {
        let p = datelined(
            "In Paris, Trade Minister Arvid Kessler said no.",
            "Brussels",
        );
        assert_eq!(country_of_name(&p, "Arvid Kessler"), None);
        let p = datelined(
            "In Brussels, Trade Minister Arvid Kessler said no.",
            "Brussels",
        );
        assert_eq!(country_of_name(&p, "Arvid Kessler").as_deref(), Some("BEL"));
    }

    #[test]
    fn two_bare_holders_of_one_office_take_no_dateline_country() {
        let p = datelined(
            "Foreign Minister Arvid Kessler spoke with Foreign Minister Oskar Lind.",
            "Valletta",
        );
        assert_eq!(country_of_name(&p, "Arvid Kessler"), None);
        assert_eq!(country_of_name(&p, "Oskar Lind"), None);
    }

    #[test]
    fn an_office_the_text_gives_the_dateline_country_leaves_the_bare_one_foreign() {
        let p = datelined(
            "Azeri President Ilham Kessler said no. President Pyotr Antonov urged calm.",
            "Baku",
        );
        assert_eq!(country_of_name(&p, "Ilham Kessler").as_deref(), Some("AZE"));
        assert_eq!(country_of_name(&p, "Pyotr Antonov"), None);
    }

    #[test]
    fn a_company_president_or_a_city_dateline_gives_no_country() {
        let p = datelined("MCI president Tom Reyes said no.", "Washington");
        assert_eq!(country_of_name(&p, "Tom Reyes"), None);
        let p = datelined("Finance Minister Arvid Kessler said no.", "Munich");
        assert_eq!(country_of_name(&p, "Arvid Kessler"), None);
    }

    #[test]
    fn a_visitor_or_a_counterpart_takes_no_dateline_country() {
        let p = datelined(
            "Visiting Prime Minister Arvid Kessler met his counterpart Tom Reyes. Kessler said so.",
            "Lisbon",
        );
        assert_eq!(country_of_name(&p, "Arvid Kessler"), None);
        assert_eq!(country_of_name(&p, "Tom Reyes"), None);
    }

    #[test]
    fn a_headlines_last_words_are_no_office_of_the_body_name() {
        check(
            "Kessler meets Serbian leaders\n\nArvid Kessler said no.",
            &[("Arvid Kessler", None, None)],
        );
    }

    #[test]
    fn a_country_code_opening_an_office_after_a_preposition_is_the_persons() {
        check(
            "He spoke to US President Tom Reyes on Monday.",
            &[("Tom Reyes", Some("President"), Some("USA"))],
        );
    }

    #[test]
    fn a_place_after_a_names_particles_is_a_family_name() {
        check(
            "Mexican President Rafael de la Lima said no.",
            &[("Rafael de la Lima", Some("President"), Some("MEX"))],
        );
    }

    #[test]
    fn an_office_of_an_organisation_runs_to_the_organisations_noun() {
        let p = people("Kessler met Chairman of the Guardian Council Omid Farsi.");
        assert!(p.iter().any(|p| p.0 == "Omid Farsi"), "{p:?}");
    }

    #[test]
    fn an_aide_office_named_after_its_owner_gives_the_owners_country() {
        check(
            "Israeli Prime Minister Arvid Kessler left. Kessler spokeswoman Lena Moor said so.",
            &[
                ("Arvid Kessler", Some("Prime Minister"), Some("ISR")),
                ("Lena Moor", Some("Kessler spokeswoman"), Some("ISR")),
            ],
        );
    }

    #[test]
    fn a_codenamed_thing_is_no_person() {
        let p = people("The mission, codenamed Dawnlight, was peaceful, he said.");
        assert!(p.is_empty(), "{p:?}");
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
    fn a_counterpart_before_the_name_gives_the_country_and_the_office() {
        check(
            "Foreign Minister Arvid Kessler met his Pakistani counterpart, Shah Omar Latif, in Islamabad.",
            &[
                ("Arvid Kessler", Some("Foreign Minister"), None),
                // A counterpart holds the other person's office.
                ("Shah Omar Latif", Some("Foreign Minister"), Some("PAK")),
            ],
        );
    }

    #[test]
    fn a_name_with_and_without_its_accents_is_one_person() {
        let p = people("Søren Kessler arrived. Soren Kessler said no. Mr. Kessler left.");
        assert_eq!(p.len(), 1);
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

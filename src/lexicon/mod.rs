//! Lexicons: the named word lists the parser reads, kept as data files under `data/` and compiled in
//! with `include_str!`. Each list is parsed once, on first use, into sets, maps and Aho-Corasick
//! automata (leftmost-longest, so "West German" wins over "German" and "Secretary of State" over
//! "Secretary"). Nothing here knows about articles: the parser asks questions such as "is this word a
//! title head?" or "which country does this phrase name?".

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: word lists hash short keys many times per article; SipHash's strength is not needed here.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastSet<T> = HashSet<T, BuildHasherDefault<Fnv>>;
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
use std::sync::LazyLock;

/// How a phrase names a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    /// "Pakistan", "U.S.", "Soviet Union".
    Name,
    /// "Pakistani", "West German", "Soviet".
    Adjective,
    /// "Islamabad", or a seat of government such as "Kremlin".
    Capital,
}

/// One country (or historic state) with the forms that name it.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso3: &'static str,
    pub names: Vec<&'static str>,
    pub adjectives: Vec<&'static str>,
    pub capitals: Vec<&'static str>,
}

/// Countries, their forms, and an automaton over every form.
pub struct Countries {
    pub list: Vec<Country>,
    forms: Vec<(usize, CountryForm)>,
    by_form: FastMap<&'static str, (usize, CountryForm)>,
    automaton: AhoCorasick,
}

impl Countries {
    /// The country and form named by exactly this phrase ("Pakistani" -> PAK, Adjective).
    pub fn lookup(&self, phrase: &str) -> Option<(&Country, CountryForm)> {
        self.by_form.get(phrase).map(|&(i, f)| (&self.list[i], f))
    }

    /// Every whole-word country form in `text`, leftmost-longest, as (start, end, country, form).
    pub fn find_all<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, &'a Country, CountryForm)> + 'a {
        self.automaton.find_iter(text).filter_map(move |m| {
            if !word_boundary(text, m.start(), m.end()) {
                return None;
            }
            let (i, f) = self.forms[m.pattern().as_usize()];
            Some((m.start(), m.end(), &self.list[i], f))
        })
    }
}

/// True when `text[start..end]` is not glued to letters on either side.
pub fn word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| {
    let mut list = Vec::new();
    for line in data_lines(include_str!("../../data/countries.tsv")) {
        let mut cols = line.split('\t');
        let iso3 = cols.next().unwrap_or("").trim();
        if iso3.len() != 3 {
            continue;
        }
        let mut field = || -> Vec<&'static str> {
            cols.next()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        };
        let names = field();
        let adjectives = field();
        let capitals = field();
        list.push(Country {
            iso3,
            names,
            adjectives,
            capitals,
        });
    }
    let mut forms = Vec::new();
    let mut patterns = Vec::new();
    let mut by_form = FastMap::default();
    for (i, c) in list.iter().enumerate() {
        let all = c
            .names
            .iter()
            .map(|n| (*n, CountryForm::Name))
            .chain(c.adjectives.iter().map(|a| (*a, CountryForm::Adjective)))
            .chain(c.capitals.iter().map(|a| (*a, CountryForm::Capital)));
        for (form, kind) in all {
            by_form.entry(form).or_insert((i, kind));
            patterns.push(form);
            forms.push((i, kind));
        }
    }
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("country automaton builds");
    Countries {
        list,
        forms,
        by_form,
        automaton,
    }
});

/// The countries lexicon (`data/countries.tsv`).
pub fn countries() -> &'static Countries {
    &COUNTRIES
}

fn data_lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Calls `f` with the lower-case form of `word`, without allocating for short ASCII words.
pub fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 40];
    if word.len() <= buf.len() && word.is_ascii() {
        for (b, c) in buf.iter_mut().zip(word.bytes()) {
            *b = c.to_ascii_lowercase();
        }
        // ASCII bytes lower-cased stay valid UTF-8.
        f(std::str::from_utf8(&buf[..word.len()]).unwrap_or(""))
    } else {
        f(&word.to_lowercase())
    }
}

fn lower_set(data: &'static str) -> FastSet<String> {
    data_lines(data).map(|l| l.trim().to_lowercase()).collect()
}

macro_rules! word_list {
    ($(#[$doc:meta])* $fn_name:ident, $static_name:ident, $file:literal) => {
        static $static_name: LazyLock<FastSet<String>> =
            LazyLock::new(|| lower_set(include_str!($file)));
        $(#[$doc])*
        pub fn $fn_name(word: &str) -> bool {
            with_lower(word, |w| $static_name.contains(w))
        }
    };
}

word_list!(
    /// A word that heads an office or role: "Minister", "spokesman", "President".
    is_title_head, TITLE_HEADS, "../../data/title_heads.txt"
);
word_list!(
    /// A word that may stand inside an office before its head: "Foreign", "Vice", "Cabinet".
    is_title_word, TITLE_WORDS, "../../data/title_words.txt"
);
word_list!(
    /// A verb that attributes speech: "said", "told", "added".
    is_reporting_verb, REPORTING_VERBS, "../../data/reporting_verbs.txt"
);
word_list!(
    /// An honorific that is not part of a name: "Mr", "Dr".
    is_honorific, HONORIFICS, "../../data/honorifics.txt"
);
word_list!(
    /// A capitalised word that marks an organisation, place or thing: "Ministry", "Front".
    is_nonperson_word, NONPERSON_WORDS, "../../data/nonperson_words.txt"
);
word_list!(
    /// A capitalised word that never begins a person's name: "The", "However", month and day names.
    is_stopword, STOPWORDS, "../../data/stopwords.txt"
);

static MEDIA: LazyLock<FastSet<String>> =
    LazyLock::new(|| lower_set(include_str!("../../data/media.txt")));

/// A news outlet ("BBC", "Reuters"); matched on the whole phrase, case-insensitively.
pub fn is_media(phrase: &str) -> bool {
    MEDIA.contains(phrase.to_lowercase().as_str())
}

static CITIES: LazyLock<FastMap<&'static str, &'static str>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/cities.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, iso)| (c.trim(), iso.trim()))
        .collect()
});

/// The country of a city that is not a capital ("Frankfurt" -> DEU), from `data/cities.tsv`.
pub fn city_country(name: &str) -> Option<&'static str> {
    CITIES.get(name).copied()
}

/// The country a place name puts an encounter in: a capital, a listed city, or a country.
pub fn place_country(name: &str) -> Option<&'static str> {
    city_country(name).or_else(|| countries().lookup(name).map(|(c, _)| c.iso3))
}

static TITLE_COUNTRIES: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/title_countries.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(t, iso)| (t.trim().to_lowercase(), iso.trim()))
        .collect()
});

/// The country an office implies by itself ("Secretary of State" -> USA), where the list has it.
pub fn title_country(title: &str) -> Option<&'static str> {
    let t = title.to_lowercase();
    TITLE_COUNTRIES
        .iter()
        .find(|(k, _)| t.contains(k.as_str()))
        .map(|(_, iso)| *iso)
}

static INTERNATIONAL: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let pats: Vec<&str> = data_lines(include_str!("../../data/international.txt"))
        .map(str::trim)
        .collect();
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .expect("international automaton builds")
});

/// True when an office names an international organisation ("U.N. Secretary-General").
pub fn is_international(office: &str) -> bool {
    INTERNATIONAL
        .find_iter(office)
        .any(|m| word_boundary(office, m.start(), m.end()))
}

static VENUES: LazyLock<(AhoCorasick, Vec<&'static str>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut cities = Vec::new();
    for line in data_lines(include_str!("../../data/venues.tsv")) {
        if let Some((venue, city)) = line.split_once('\t') {
            pats.push(venue.trim());
            cities.push(city.trim());
        }
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .expect("venue automaton builds");
    (ac, cities)
});

/// The city of the first venue named in `text` ("the State Department" -> "Washington"), with the
/// venue's byte range.
pub fn find_venue(text: &str) -> Option<(usize, usize, &'static str)> {
    let (ac, cities) = &*VENUES;
    ac.find_iter(text)
        .find(|m| word_boundary(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end(), cities[m.pattern().as_usize()]))
}

/// How a meeting trigger relates its participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerShape {
    /// "X met Y", "X held talks with Y": subject and object.
    Verb,
    /// "talks with Y", "calls between X and Y": participants after the noun, plus the subject.
    Noun,
    /// "meetings with A, B and C": one bilateral encounter per object.
    Plural,
    /// "X called Y", "X hosted Y": only when a person follows directly.
    Call,
}

/// A meeting trigger phrase with its mode ("in_person", "phone", "video") and shape.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    pub phrase: &'static str,
    pub mode: &'static str,
    pub shape: TriggerShape,
}

static TRIGGERS: LazyLock<(AhoCorasick, Vec<Trigger>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut triggers = Vec::new();
    for line in data_lines(include_str!("../../data/meeting_triggers.tsv")) {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 3 {
            continue;
        }
        let shape = match cols[2] {
            "noun" => TriggerShape::Noun,
            "plural" => TriggerShape::Plural,
            "call" => TriggerShape::Call,
            _ => TriggerShape::Verb,
        };
        pats.push(cols[0]);
        triggers.push(Trigger {
            phrase: cols[0],
            mode: cols[1],
            shape,
        });
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&pats)
        .expect("trigger automaton builds");
    (ac, triggers)
});

/// Every whole-word meeting trigger in `text`, as (start, end, trigger).
pub fn find_triggers(text: &str) -> Vec<(usize, usize, Trigger)> {
    let (ac, triggers) = &*TRIGGERS;
    ac.find_iter(text)
        .filter(|m| word_boundary(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end(), triggers[m.pattern().as_usize()]))
        .collect()
}

static STATUS: LazyLock<(AhoCorasick, Vec<&'static str>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut statuses = Vec::new();
    for line in data_lines(include_str!("../../data/status_cues.tsv")) {
        if let Some((cue, status)) = line.split_once('\t') {
            pats.push(cue.trim());
            statuses.push(status.trim());
        }
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&pats)
        .expect("status automaton builds");
    (ac, statuses)
});

/// Status cues ("will", "cancelled") in `text`, as (start, status).
pub fn find_status_cues(text: &str) -> Vec<(usize, &'static str)> {
    let (ac, statuses) = &*STATUS;
    ac.find_iter(text)
        .filter(|m| word_boundary(text, m.start(), m.end()))
        .map(|m| (m.start(), statuses[m.pattern().as_usize()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_forms_resolve_to_iso_codes() {
        let c = countries();
        assert_eq!(c.lookup("Pakistani").map(|(c, _)| c.iso3), Some("PAK"));
        assert_eq!(c.lookup("West German").map(|(c, _)| c.iso3), Some("DEU"));
        assert_eq!(c.lookup("Soviet").map(|(c, _)| c.iso3), Some("SUN"));
        assert_eq!(c.lookup("Holy See").map(|(c, _)| c.iso3), Some("VAT"));
        assert_eq!(
            c.lookup("Kremlin").map(|(_, f)| f),
            Some(CountryForm::Capital)
        );
    }

    #[test]
    fn country_search_prefers_the_longest_form_on_word_boundaries() {
        let found: Vec<_> = countries()
            .find_all("The West German and Nigerian envoys met in Niger.")
            .map(|(_, _, c, _)| c.iso3)
            .collect();
        assert_eq!(found, vec!["DEU", "NGA", "NER"]);
    }

    #[test]
    fn word_lists_are_case_insensitive() {
        assert!(is_title_head("Minister"));
        assert!(is_title_head("spokesman"));
        assert!(is_reporting_verb("said"));
        assert!(is_honorific("Mr"));
        assert!(!is_title_head("Zarif"));
    }

    #[test]
    fn venues_fix_their_city() {
        assert_eq!(
            find_venue("talks at the State Department").map(|v| v.2),
            Some("Washington")
        );
    }
}

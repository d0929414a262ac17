//! Lexicons: the named word lists the parser reads, kept as data files under `data/` and compiled in
//! with `include_str!`. Each list is parsed once, on first use, into sets, maps and Aho-Corasick
//! automata (leftmost-longest, so "West German" wins over "German" and "Secretary of State" over
//! "Secretary"). Nothing here knows about articles: the parser asks questions such as "is this word a
//! title head?" or "which country does this phrase name?".

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Maps and sets keyed by short words and phrases, looked up many times per article: FxHash, as
/// SipHash's resistance to chosen keys is not needed for word lists and the parser's own tables.
pub type FastSet<T> = rustc_hash::FxHashSet<T>;
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
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
    /// The shapes of the forms: most phrases asked about are none, and most of those have a
    /// shape no form has.
    shapes: Shapes,
    automaton: AhoCorasick,
}

impl Countries {
    /// The country and form named by exactly this phrase ("Pakistani" -> PAK, Adjective).
    pub fn lookup(&self, phrase: &str) -> Option<(&Country, CountryForm)> {
        if !self.shapes.may_hold_key(phrase.as_bytes()) {
            return None;
        }
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
    // A DFA: every sentence is searched for countries, and the builder would otherwise pick a
    // slower NFA for this many patterns. The matches are the same whichever automaton finds them.
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .expect("country automaton builds");
    let shapes = Shapes::of(by_form.keys().map(|k| k.as_bytes()));
    Countries {
        list,
        forms,
        by_form,
        shapes,
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
    if word.is_ascii() {
        // Most words of running text are lower case already.
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(word);
        }
        if word.len() <= buf.len() {
            let buf = &mut buf[..word.len()];
            buf.copy_from_slice(word.as_bytes());
            buf.make_ascii_lowercase();
            // ASCII bytes lower-cased stay valid UTF-8.
            return f(std::str::from_utf8(buf).unwrap_or(""));
        }
    }
    f(&word.to_lowercase())
}

/// [`with_lower`] for byte-keyed lookups: the lower-case bytes, without the UTF-8 check a `&str`
/// of a stack buffer needs.
pub fn with_lower_bytes<R>(word: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0u8; 40];
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(word.as_bytes());
        }
        if word.len() <= buf.len() {
            let buf = &mut buf[..word.len()];
            buf.copy_from_slice(word.as_bytes());
            buf.make_ascii_lowercase();
            return f(buf);
        }
    }
    f(word.to_lowercase().as_bytes())
}

/// `text.to_lowercase()`, faster for long texts with a few non-ASCII characters (a paragraph with
/// curly quotes): runs of ASCII are copied and lower-cased in bulk, the other characters one by one.
/// `str::to_lowercase` maps every character on its own except the capital sigma, whose lower case
/// depends on its neighbours; a text with one is left to it.
pub fn lower_case(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..ascii]);
        out[from..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            out.extend(c.to_lowercase());
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Writes the lower-case form of `word` into `buf` (cleared first), reusing its allocation.
pub fn lower_into(word: &str, buf: &mut String) {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        // `str::to_lowercase`, not per character: it lowers a final sigma by its context.
        buf.push_str(&word.to_lowercase());
    }
}

fn lower_set(data: &'static str) -> impl Iterator<Item = String> {
    data_lines(data).map(|l| l.trim().to_lowercase())
}

/// The word lists a word (or, for outlets, a phrase) belongs to, as a set of flags. Every list is
/// matched case-insensitively, so one lookup of the lower-case form answers them all; the document
/// keeps each token's classes so the passes do not look words up again and again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordClass(u16);

impl WordClass {
    const TITLE_HEAD: u16 = 1;
    const TITLE_WORD: u16 = 1 << 1;
    const REPORTING_VERB: u16 = 1 << 2;
    const HONORIFIC: u16 = 1 << 3;
    const NONPERSON: u16 = 1 << 4;
    const STOPWORD: u16 = 1 << 5;
    const MEDIA: u16 = 1 << 6;
    const ORG_NOUN: u16 = 1 << 7;
    const PARTICLE: u16 = 1 << 8;
    const QUOTE_VERB: u16 = 1 << 9;
    const UNNAMED_SOURCE: u16 = 1 << 10;
    const BACK_REFERENCE: u16 = 1 << 11;
    const SPEECH_NOUN: u16 = 1 << 12;

    /// A word that heads an office or role: "Minister", "spokesman", "President".
    pub fn title_head(self) -> bool {
        self.0 & Self::TITLE_HEAD != 0
    }
    /// A word that may stand inside an office before its head: "Foreign", "Vice", "Cabinet".
    pub fn title_word(self) -> bool {
        self.0 & Self::TITLE_WORD != 0
    }
    /// A verb that attributes speech: "said", "told", "added".
    pub fn reporting_verb(self) -> bool {
        self.0 & Self::REPORTING_VERB != 0
    }
    /// An honorific that is not part of a name: "Mr", "Dr".
    pub fn honorific(self) -> bool {
        self.0 & Self::HONORIFIC != 0
    }
    /// A capitalised word that marks an organisation, place or thing: "Ministry", "Front".
    pub fn nonperson(self) -> bool {
        self.0 & Self::NONPERSON != 0
    }
    /// A capitalised word that never begins a person's name: "The", "However", month and day names.
    pub fn stopword(self) -> bool {
        self.0 & Self::STOPWORD != 0
    }
    /// A news outlet ("BBC", "Reuters").
    pub fn media(self) -> bool {
        self.0 & Self::MEDIA != 0
    }
    /// A common noun that names an organisation: "daily", "airline", "ministry" ("Spanish daily
    /// El Pais", "the ministry said").
    pub fn org_noun(self) -> bool {
        self.0 & Self::ORG_NOUN != 0
    }
    /// A particle inside a name: "von", "de", "bin", "al".
    pub fn particle(self) -> bool {
        self.0 & Self::PARTICLE != 0
    }
    /// A verb that introduces quoted words without being a speech verb: "describing X as",
    /// "dubbed".
    pub fn quote_verb(self) -> bool {
        self.0 & Self::QUOTE_VERB != 0
    }
    /// The head of an unnamed source: "officials", "diplomats", "sources".
    pub fn unnamed_source(self) -> bool {
        self.0 & Self::UNNAMED_SOURCE != 0
    }
    /// A word that refers back to the organisation or statement quoted last: "it", "statement".
    pub fn back_reference(self) -> bool {
        self.0 & Self::BACK_REFERENCE != 0
    }
    /// A noun of speech whose "by" names the speaker: "statements by X", "remarks by X".
    pub fn speech_noun(self) -> bool {
        self.0 & Self::SPEECH_NOUN != 0
    }
}

struct WordClasses {
    /// Lower-case word -> flags; byte keys, so a lower-cased stack buffer can be looked up as is.
    by_word: FastMap<Box<[u8]>, u16>,
    /// The short ASCII keys again, as [`pack_short`] packs them: nearly every lookup is of such a
    /// word, and an integer key is cheaper to lower-case and hash than a byte string.
    short: FastMap<u128, u16>,
    /// The longest key, in bytes: a longer ASCII word is in no list.
    longest: usize,
    /// The shapes of the keys: most words of an article are in no list, and this turns them away
    /// without lower-casing or hashing them.
    shapes: Shapes,
}

/// The longest ASCII word [`pack_short`] packs.
const SHORT: usize = 15;

/// An ASCII word of at most [`SHORT`] bytes, lower-cased, as one integer: its bytes and, in the
/// last byte, its length (so the packing tells all such words apart).
fn pack_short(word: &[u8]) -> u128 {
    // Shifted into a register byte by byte: writing a stack buffer and reading it back as one
    // integer stalls the CPU's store forwarding, which cost more than the whole lookup.
    let mut packed = (word.len() as u128) << (8 * SHORT);
    for (i, &b) in word.iter().enumerate() {
        packed |= u128::from(b.to_ascii_lowercase()) << (8 * i);
    }
    packed
}

/// The shapes (length, first byte, last byte) of a set of keys, as a one-hash Bloom filter: a
/// lookup whose key has a shape no key has can be answered "absent" without hashing the key.
/// Lookups of words of running text miss far more often than they hit.
struct Shapes(Vec<u64>);

impl Shapes {
    const BITS: usize = 1 << 14;

    fn bit(len: usize, first: u8, last: u8) -> usize {
        (len.wrapping_mul(0x9E37) ^ usize::from(first).wrapping_mul(0x2F5) ^ usize::from(last))
            % Self::BITS
    }

    fn of<'a>(keys: impl Iterator<Item = &'a [u8]>) -> Self {
        let mut bits = vec![0u64; Self::BITS / 64];
        for key in keys {
            if let (Some(&first), Some(&last)) = (key.first(), key.last()) {
                let bit = Self::bit(key.len(), first, last);
                bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        Shapes(bits)
    }

    /// False only when no key has the shape of a key of `len` bytes from `first` to `last`. (An
    /// empty key is never turned away.)
    fn may_hold(&self, len: usize, first: u8, last: u8) -> bool {
        let bit = Self::bit(len, first, last);
        len == 0 || self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// [`Shapes::may_hold`] for `key` as it is.
    fn may_hold_key(&self, key: &[u8]) -> bool {
        match (key.first(), key.last()) {
            (Some(&first), Some(&last)) => self.may_hold(key.len(), first, last),
            _ => true,
        }
    }
}

impl WordClasses {
    /// False only when no key has the shape of `word`, an ASCII word, lower-cased: it is in no
    /// list.
    fn may_hold(&self, word: &[u8]) -> bool {
        match (word.first(), word.last()) {
            (Some(first), Some(last)) => self.shapes.may_hold(
                word.len(),
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase(),
            ),
            _ => true,
        }
    }
}

static WORD_CLASSES: LazyLock<WordClasses> = LazyLock::new(|| {
    let lists = [
        (
            WordClass::TITLE_HEAD,
            include_str!("../../data/title_heads.txt"),
        ),
        (
            WordClass::TITLE_WORD,
            include_str!("../../data/title_words.txt"),
        ),
        (
            WordClass::REPORTING_VERB,
            include_str!("../../data/reporting_verbs.txt"),
        ),
        (
            WordClass::HONORIFIC,
            include_str!("../../data/honorifics.txt"),
        ),
        (
            WordClass::NONPERSON,
            include_str!("../../data/nonperson_words.txt"),
        ),
        (
            WordClass::STOPWORD,
            include_str!("../../data/stopwords.txt"),
        ),
        (WordClass::MEDIA, include_str!("../../data/media.txt")),
        (
            WordClass::ORG_NOUN,
            include_str!("../../data/org_nouns.txt"),
        ),
        (
            WordClass::PARTICLE,
            include_str!("../../data/particles.txt"),
        ),
        (
            WordClass::QUOTE_VERB,
            include_str!("../../data/quote_verbs.txt"),
        ),
        (
            WordClass::UNNAMED_SOURCE,
            include_str!("../../data/unnamed_sources.txt"),
        ),
        (
            WordClass::BACK_REFERENCE,
            include_str!("../../data/back_references.txt"),
        ),
        (
            WordClass::SPEECH_NOUN,
            include_str!("../../data/speech_nouns.txt"),
        ),
    ];
    let mut by_word: FastMap<Box<[u8]>, u16> = FastMap::default();
    for (flag, data) in lists {
        for word in lower_set(data) {
            *by_word
                .entry(word.into_bytes().into_boxed_slice())
                .or_default() |= flag;
        }
    }
    let longest = by_word.keys().map(|k| k.len()).max().unwrap_or(0);
    let short = by_word
        .iter()
        .filter(|(k, _)| k.len() <= SHORT && k.is_ascii())
        .map(|(k, &flags)| (pack_short(k), flags))
        .collect();
    let shapes = Shapes::of(by_word.keys().map(|k| &k[..]));
    WordClasses {
        by_word,
        short,
        longest,
        shapes,
    }
});

/// The word lists `word` is in, compared case-insensitively.
pub fn word_class(word: &str) -> WordClass {
    let classes = &*WORD_CLASSES;
    // ASCII keeps its length and its shape when lower-cased.
    if word.is_ascii() {
        if word.len() > classes.longest || !classes.may_hold(word.as_bytes()) {
            return WordClass::default();
        }
        if word.len() <= SHORT {
            let flags = classes.short.get(&pack_short(word.as_bytes()));
            return WordClass(flags.copied().unwrap_or(0));
        }
    }
    with_lower_bytes(word, |w| {
        WordClass(classes.by_word.get(w).copied().unwrap_or(0))
    })
}

/// A word that heads an office or role: "Minister", "spokesman", "President".
pub fn is_title_head(word: &str) -> bool {
    word_class(word).title_head()
}

/// [`is_title_head`] of the word with a full stop after it ("Sen" as "Sen."), without allocating.
pub fn is_title_head_dotted(word: &str) -> bool {
    let mut buf = [0u8; 40];
    if word.len() < buf.len() && word.is_ascii() {
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf[word.len()] = b'.';
        // ASCII bytes and a full stop are valid UTF-8.
        is_title_head(std::str::from_utf8(&buf[..=word.len()]).unwrap_or(""))
    } else {
        is_title_head(&format!("{word}."))
    }
}

/// A word that may stand inside an office before its head: "Foreign", "Vice", "Cabinet".
pub fn is_title_word(word: &str) -> bool {
    word_class(word).title_word()
}

/// A verb that attributes speech: "said", "told", "added".
pub fn is_reporting_verb(word: &str) -> bool {
    word_class(word).reporting_verb()
}

/// An honorific that is not part of a name: "Mr", "Dr".
pub fn is_honorific(word: &str) -> bool {
    word_class(word).honorific()
}

/// A particle inside a name ("von", "de", "bin"), compared case-insensitively.
pub fn is_particle(word: &str) -> bool {
    word_class(word).particle()
}

/// A news outlet ("BBC", "Reuters"); matched on the whole phrase, case-insensitively.
pub fn is_media(phrase: &str) -> bool {
    word_class(phrase).media()
}

static CITIES: LazyLock<(FastMap<&'static str, &'static str>, Shapes)> = LazyLock::new(|| {
    let cities: FastMap<&'static str, &'static str> =
        data_lines(include_str!("../../data/cities.tsv"))
            .filter_map(|l| l.split_once('\t'))
            .map(|(c, iso)| (c.trim(), iso.trim()))
            .collect();
    let shapes = Shapes::of(cities.keys().map(|k| k.as_bytes()));
    (cities, shapes)
});

/// The country of a city that is not a capital ("Frankfurt" -> DEU), from `data/cities.tsv`.
pub fn city_country(name: &str) -> Option<&'static str> {
    let (cities, shapes) = &*CITIES;
    if !shapes.may_hold_key(name.as_bytes()) {
        return None;
    }
    cities.get(name).copied()
}

static NEUTRAL_VENUES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/neutral_venues.txt"))
        .map(str::trim)
        .collect()
});

/// True for a city where governments meet on neutral ground (a seat of international
/// organisations: "Geneva", "Vienna"), from `data/neutral_venues.txt`: meeting there says nothing
/// of whose country it is.
pub fn is_neutral_venue(place: &str) -> bool {
    NEUTRAL_VENUES.iter().any(|v| v.eq_ignore_ascii_case(place))
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

static COUNTERPART_OFFICES: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/counterpart_offices.tsv"))
        .map(|l| {
            let (office, theirs) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("counterpart_offices.tsv: no tab in {l:?}"));
            (office.trim().to_lowercase(), theirs.trim())
        })
        .collect()
});

/// The office of someone's counterpart, given that person's office: the same office, or its name
/// in other countries ("Secretary of State" -> "Foreign Minister").
pub fn counterpart_office(office: &str) -> String {
    let lower = office.to_lowercase();
    COUNTERPART_OFFICES
        .iter()
        .find(|(k, _)| lower.ends_with(k.as_str()))
        .map_or_else(|| office.to_string(), |(_, theirs)| theirs.to_string())
}

/// Offices that speak or act for their owner, from `data/aide_offices.txt`.
static AIDE_OFFICES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/aide_offices.txt"))
        .map(str::trim)
        .collect()
});

/// Whether an office speaks or acts for the person who owns it ("spokesman", "chief of staff"):
/// compared case-insensitively with the whole office, or its last word ("press spokesman").
pub fn is_aide_office(office: &str) -> bool {
    let lower = office.trim().to_lowercase();
    let last = lower.rsplit(' ').next().unwrap_or("");
    AIDE_OFFICES.iter().any(|&a| a == lower || a == last)
}

/// Head words of a state government's offices, from `data/state_offices.txt`.
static STATE_OFFICES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    data_lines(include_str!("../../data/state_offices.txt"))
        .map(str::trim)
        .collect()
});

/// Whether an office is one of a state's government ("Finance Minister", "Ontario Premier"): one
/// of its words is a state office's head word, and it names neither an international body nor an
/// organisation ("central bank president", "party secretary"). A president is a state's only
/// where no name stands beside the office ("MCI president" heads a company).
pub fn is_state_office(office: &str) -> bool {
    let words = || office.split([' ', '-']).filter(|w| !w.is_empty());
    let named = || {
        words().any(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                && !STATE_OFFICES.iter().any(|s| s.eq_ignore_ascii_case(w))
                && !word_class(w).title_word()
        })
    };
    let state = words().any(|w| STATE_OFFICES.iter().any(|s| s.eq_ignore_ascii_case(w)));
    let organisation = words().any(|w| word_class(w).org_noun());
    let company_president = words().any(|w| w.eq_ignore_ascii_case("president")) && named();
    state && !is_international(office) && !organisation && !company_president
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

/// A meeting trigger phrase with its mode ("in_person", "phone", "video"), shape and rule (the name
/// of the pattern, recorded with each meeting it finds: "meeting.verb", "meeting.hosting").
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    pub phrase: &'static str,
    pub mode: &'static str,
    pub shape: TriggerShape,
    pub rule: &'static str,
}

/// The rule a trigger row names in its fourth column, else the one its mode and shape give.
fn trigger_rule(named: Option<&str>, mode: &str, shape: TriggerShape) -> &'static str {
    match (named, mode, shape) {
        (Some("hosting"), ..) => "meeting.hosting",
        (Some("courtesy-call"), ..) => "meeting.courtesy-call",
        (Some("visit"), ..) => "meeting.visit",
        (Some(other), ..) => panic!("meeting_triggers.tsv: unknown rule {other:?}"),
        (None, "phone" | "video", _) => "meeting.call",
        (None, _, TriggerShape::Verb) => "meeting.verb",
        (None, _, TriggerShape::Noun) => "meeting.event-noun",
        (None, _, TriggerShape::Plural) => "meeting.event-noun-plural",
        (None, _, TriggerShape::Call) => "meeting.verb-object",
    }
}

static TRIGGERS: LazyLock<(AhoCorasick, Vec<Trigger>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut triggers = Vec::new();
    for line in data_lines(include_str!("../../data/meeting_triggers.tsv")) {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        assert!(cols.len() >= 3, "meeting_triggers.tsv: short row {line:?}");
        // An unknown value in the data file is an error (at the first use, so in the tests).
        let shape = match cols[2] {
            "verb" => TriggerShape::Verb,
            "noun" => TriggerShape::Noun,
            "plural" => TriggerShape::Plural,
            "call" => TriggerShape::Call,
            other => panic!("meeting_triggers.tsv: unknown shape {other:?}"),
        };
        assert!(
            matches!(cols[1], "in_person" | "phone" | "video"),
            "meeting_triggers.tsv: unknown mode {:?}",
            cols[1]
        );
        let rule = trigger_rule(cols.get(3).copied(), cols[1], shape);
        pats.push(cols[0].to_ascii_lowercase());
        triggers.push(Trigger {
            phrase: cols[0],
            mode: cols[1],
            shape,
            rule,
        });
    }
    // Case-sensitive over lower-case patterns: callers search ASCII-lower-cased text (see
    // `find_triggers`).
    // A full DFA: every sentence is searched, and the table of ~120 short phrases is small.
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&pats)
        .expect("trigger automaton builds");
    (ac, triggers)
});

/// Every whole-word meeting trigger in `text`, as (start, end, trigger), ignoring ASCII case.
///
/// `text` must be lower-cased with `to_ascii_lowercase` (the document keeps such a copy): the
/// patterns are lower case, so this finds exactly what an ASCII-case-insensitive search of the
/// original finds, and lets the automaton skip ahead with its SIMD prefilter, which it cannot do
/// when ignoring case itself.
pub fn find_triggers(text: &str) -> Vec<(usize, usize, Trigger)> {
    let (ac, triggers) = &*TRIGGERS;
    ac.find_iter(text)
        .filter(|m| word_boundary(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end(), triggers[m.pattern().as_usize()]))
        .collect()
}

/// What a word does for a gathering (a summit, a conference): see `data/gathering_words.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatheringRole {
    /// Names a gathering: "summit", "conference".
    Noun,
    /// Before a gathering noun, makes it none: "news conference".
    NotBefore,
    /// Places the people of its clause at the gathering: "attended", "opened", "present".
    Attend,
    /// Takes the people of its sentence out: "missed", "boycotted", "not".
    Absent,
}

static GATHERING: LazyLock<FastMap<&'static str, GatheringRole>> = LazyLock::new(|| {
    let mut words = FastMap::default();
    for line in data_lines(include_str!("../../data/gathering_words.tsv")) {
        let (word, role) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("gathering_words.tsv: no role in {line:?}"));
        let role = match role.trim() {
            "noun" => GatheringRole::Noun,
            "not-before" => GatheringRole::NotBefore,
            "attend" => GatheringRole::Attend,
            "absent" => GatheringRole::Absent,
            other => panic!("gathering_words.tsv: unknown role {other:?}"),
        };
        words.insert(word.trim(), role);
    }
    words
});

/// One substring searcher per gathering noun and presence cue (whether it is a noun), for a scan of
/// an article's lower-case text before the word-by-word reading. A dozen SIMD substring searches
/// (memchr's `memmem`) cost a fifth of one overlapping automaton pass, which reads every byte.
static GATHERING_SCAN: LazyLock<Vec<(memchr::memmem::Finder<'static>, bool)>> =
    LazyLock::new(|| {
        let nouns = GATHERING
            .iter()
            .filter(|(_, r)| **r == GatheringRole::Noun)
            .map(|(w, _)| (*w, true));
        let presence = GATHERING_PRESENCE.iter().map(|w| (*w, false));
        nouns
            .chain(presence)
            .map(|(w, is_noun)| (memchr::memmem::Finder::new(w.as_bytes()), is_noun))
            .collect()
    });

/// Attendance cues that place people at a gathering already named without naming it again ("were
/// present at the opening"); each is also an `attend` word of `data/gathering_words.tsv`.
pub const GATHERING_PRESENCE: [&str; 6] = [
    "present",
    "presence",
    "attended",
    "attending",
    "attendance",
    "gathered",
];

/// Byte offsets in `lower` (ASCII-lower-cased text) where a gathering noun and where a presence
/// cue occur (as substrings; callers read the words themselves).
pub fn gathering_hits(lower: &str) -> (Vec<usize>, Vec<usize>) {
    let (mut nouns, mut presence) = (Vec::new(), Vec::new());
    let hay = lower.as_bytes();
    for (finder, is_noun) in GATHERING_SCAN.iter() {
        let out = if *is_noun { &mut nouns } else { &mut presence };
        // Every occurrence, overlapping ones too: the next search starts one byte on.
        let mut from = 0;
        while let Some(at) = finder.find(&hay[from..]) {
            out.push(from + at);
            from += at + 1;
        }
    }
    nouns.sort_unstable();
    presence.sort_unstable();
    (nouns, presence)
}

/// The gathering role of a lower-case word, if it has one.
pub fn gathering_role(lower: &str) -> Option<GatheringRole> {
    GATHERING.get(lower).copied()
}

static STATUS: LazyLock<(AhoCorasick, Vec<&'static str>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut statuses = Vec::new();
    for line in data_lines(include_str!("../../data/status_cues.tsv")) {
        if let Some((cue, status)) = line.split_once('\t') {
            pats.push(cue.trim().to_ascii_lowercase());
            statuses.push(status.trim());
        }
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&pats)
        .expect("status automaton builds");
    (ac, statuses)
});

/// Status cues ("will", "cancelled") in `text`, as (start, status), ignoring ASCII case.
///
/// `text` must be lower-cased with `to_ascii_lowercase`, as for [`find_triggers`].
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
    fn an_aide_office_is_told_from_offices_of_another_side() {
        assert!(is_aide_office("spokesman"));
        assert!(is_aide_office("Press Secretary"));
        assert!(is_aide_office("deputy spokeswoman"));
        assert!(!is_aide_office("counterpart"));
        assert!(!is_aide_office("rival"));
    }

    #[test]
    fn every_meeting_word_file_parses_into_known_values() {
        assert!(!find_triggers("they met").is_empty());
        assert_eq!(gathering_role("summit"), Some(GatheringRole::Noun));
        assert_eq!(gathering_role("attended"), Some(GatheringRole::Attend));
        let hosted = find_triggers("hosted").first().map(|(_, _, t)| t.rule);
        assert_eq!(hosted, Some("meeting.hosting"));
    }

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
    fn lower_case_is_to_lowercase() {
        for text in [
            "",
            "Plain ASCII Text",
            "“Quoted” — Dash, ÉTÉ, İstanbul, \u{212A}elvin, STRASSE, ǅ, ΑΣ ΟΔΟΣ",
            "ÀÉÎÕÜ and more ASCII after",
            "ΣΙΣΥΦΟΣ",
            "ends in non-ASCII É",
        ] {
            assert_eq!(lower_case(text), text.to_lowercase(), "{text}");
        }
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
    fn a_counterpart_holds_the_office_by_its_name_elsewhere() {
        assert_eq!(counterpart_office("Secretary of State"), "Foreign Minister");
        assert_eq!(counterpart_office("Finance Minister"), "Finance Minister");
    }

    #[test]
    fn every_word_list_of_the_people_and_quotes_passes_loads() {
        assert!(is_particle("von") && is_particle("De"));
        assert!(word_class("daily").org_noun());
        assert!(word_class("dubbed").quote_verb());
        assert!(word_class("diplomats").unnamed_source());
        assert!(word_class("statement").back_reference());
    }

    #[test]
    fn venues_fix_their_city() {
        assert_eq!(
            find_venue("talks at the State Department").map(|v| v.2),
            Some("Washington")
        );
    }
}

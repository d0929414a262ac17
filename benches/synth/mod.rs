//! Synthetic diplomatic news for the archive benchmark: deterministic, distinct articles in the style
//! of wire copy ("Foreign Minister X met his Y counterpart Z in City on Tuesday... 'quote,' he said."),
//! each with the extraction a careful reader would make (a [`Parsed`] with spans into the text).
//!
//! People are invented (syllable names); countries, their adjectives and cities are real. A few
//! officials per country appear often and a long tail appears once, as in a real archive. The text is
//! what `parley import` reads; the expected [`Parsed`] lets the benchmark fill an archive with
//! realistic derived rows whatever state the parser is in.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use parley::model::{
    Article, Meeting, MeetingMode, MeetingStatus, Parsed, Participant, Quote, QuoteKind, Span,
};

/// Bumped whenever the generated text changes, so cached corpora are rebuilt.
pub const GENERATOR_VERSION: u32 = 1;

/// SplitMix64: small, fast and the same on every machine, so a corpus is reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// Skewed towards 0: a few items are drawn often, most rarely.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Country {
    name: &'static str,
    adjective: &'static str,
    code: &'static str,
    cities: &'static [&'static str],
}

const fn c(
    name: &'static str,
    adjective: &'static str,
    code: &'static str,
    cities: &'static [&'static str],
) -> Country {
    Country {
        name,
        adjective,
        code,
        cities,
    }
}

const COUNTRIES: &[Country] = &[
    c("Iran", "Iranian", "IRN", &["Tehran", "Isfahan", "Mashhad"]),
    c(
        "Pakistan",
        "Pakistani",
        "PAK",
        &["Islamabad", "Karachi", "Lahore"],
    ),
    c(
        "India",
        "Indian",
        "IND",
        &["New Delhi", "Mumbai", "Bengaluru"],
    ),
    c(
        "China",
        "Chinese",
        "CHN",
        &["Beijing", "Shanghai", "Xiamen"],
    ),
    c("Japan", "Japanese", "JPN", &["Tokyo", "Osaka", "Hiroshima"]),
    c(
        "Russia",
        "Russian",
        "RUS",
        &["Moscow", "Sochi", "St. Petersburg"],
    ),
    c(
        "the United States",
        "U.S.",
        "USA",
        &["Washington", "New York", "Camp David"],
    ),
    c("Britain", "British", "GBR", &["London", "Edinburgh"]),
    c("France", "French", "FRA", &["Paris", "Marseille", "Lyon"]),
    c("Germany", "German", "DEU", &["Berlin", "Munich", "Bonn"]),
    c("Italy", "Italian", "ITA", &["Rome", "Milan"]),
    c("Spain", "Spanish", "ESP", &["Madrid", "Barcelona"]),
    c(
        "Turkey",
        "Turkish",
        "TUR",
        &["Ankara", "Istanbul", "Antalya"],
    ),
    c("Egypt", "Egyptian", "EGY", &["Cairo", "Sharm el-Sheikh"]),
    c("Saudi Arabia", "Saudi", "SAU", &["Riyadh", "Jeddah"]),
    c("Qatar", "Qatari", "QAT", &["Doha"]),
    c(
        "the United Arab Emirates",
        "Emirati",
        "ARE",
        &["Abu Dhabi", "Dubai"],
    ),
    c("Israel", "Israeli", "ISR", &["Jerusalem", "Tel Aviv"]),
    c("Jordan", "Jordanian", "JOR", &["Amman", "Aqaba"]),
    c("Iraq", "Iraqi", "IRQ", &["Baghdad", "Basra"]),
    c("Afghanistan", "Afghan", "AFG", &["Kabul", "Herat"]),
    c(
        "Brazil",
        "Brazilian",
        "BRA",
        &["Brasilia", "Rio de Janeiro", "Sao Paulo"],
    ),
    c(
        "Argentina",
        "Argentine",
        "ARG",
        &["Buenos Aires", "Cordoba"],
    ),
    c("Mexico", "Mexican", "MEX", &["Mexico City", "Guadalajara"]),
    c(
        "Canada",
        "Canadian",
        "CAN",
        &["Ottawa", "Toronto", "Montreal"],
    ),
    c(
        "Australia",
        "Australian",
        "AUS",
        &["Canberra", "Sydney", "Melbourne"],
    ),
    c("Indonesia", "Indonesian", "IDN", &["Jakarta", "Bali"]),
    c(
        "Vietnam",
        "Vietnamese",
        "VNM",
        &["Hanoi", "Ho Chi Minh City"],
    ),
    c("South Korea", "South Korean", "KOR", &["Seoul", "Busan"]),
    c("Nigeria", "Nigerian", "NGA", &["Abuja", "Lagos"]),
    c("Kenya", "Kenyan", "KEN", &["Nairobi", "Mombasa"]),
    c("Ethiopia", "Ethiopian", "ETH", &["Addis Ababa"]),
    c(
        "South Africa",
        "South African",
        "ZAF",
        &["Pretoria", "Cape Town", "Johannesburg"],
    ),
    c("Poland", "Polish", "POL", &["Warsaw", "Krakow"]),
    c("Ukraine", "Ukrainian", "UKR", &["Kyiv", "Lviv", "Odesa"]),
    c("Norway", "Norwegian", "NOR", &["Oslo", "Bergen"]),
    c("Sweden", "Swedish", "SWE", &["Stockholm", "Gothenburg"]),
    c("Kazakhstan", "Kazakh", "KAZ", &["Astana", "Almaty"]),
    c("Algeria", "Algerian", "DZA", &["Algiers", "Oran"]),
    c("Chile", "Chilean", "CHL", &["Santiago", "Valparaiso"]),
];

const TITLES: &[&str] = &[
    "Foreign Minister",
    "Foreign Minister",
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Defence Minister",
    "Trade Minister",
    "Deputy Foreign Minister",
    "Special Envoy",
    "National Security Adviser",
];

const FORENAMES_M: &[&str] = &[
    "Arvid", "Benedek", "Casimir", "Dariusz", "Emeric", "Faramund", "Gavril", "Halvard", "Ilario",
    "Jovan", "Kasimir", "Leandro", "Marek", "Nandor", "Orrin", "Piero", "Quillon", "Radomir",
    "Sandor", "Tancred", "Ulric", "Valerian", "Wendel", "Xander", "Yusril", "Zoltan", "Anselm",
    "Bertil", "Corvin", "Dragan",
];
const FORENAMES_F: &[&str] = &[
    "Adela",
    "Brisa",
    "Calista",
    "Dagny",
    "Elvira",
    "Fenna",
    "Ginevra",
    "Hedda",
    "Isaura",
    "Jorunn",
    "Kalina",
    "Liesel",
    "Mireya",
    "Nadira",
    "Odalys",
    "Perpetua",
    "Ravenna",
    "Solveig",
    "Tamsin",
    "Ulla",
    "Vesna",
    "Wilhelmina",
    "Yara",
    "Zdenka",
];
const SYLLABLES: &[&str] = &[
    "kar", "vel", "ost", "an", "mir", "ez", "dov", "ul", "tar", "sen", "ba", "lo", "rin", "ush",
    "ek", "ga", "mon", "tis", "va", "ri", "hol", "zen", "pra", "dim", "or", "ke", "sal", "qu",
    "ber", "ny",
];

const TOPICS: &[&str] = &[
    "bilateral trade",
    "energy cooperation",
    "border security",
    "climate finance",
    "a new visa regime",
    "maritime security",
    "the nuclear file",
    "grain exports",
    "investment in infrastructure",
    "counter-terrorism cooperation",
    "regional stability",
    "refugee returns",
    "a free trade agreement",
    "cultural exchanges",
];
const SUBJECTS: &[&str] = &[
    "The two sides",
    "Both ministers",
    "Officials from both countries",
    "The delegations",
    "The two governments",
    "Diplomats familiar with the talks",
];
const VERBS: &[&str] = &[
    "discussed",
    "reviewed progress on",
    "stressed the importance of",
    "agreed to expand",
    "called for closer work on",
    "exchanged views on",
    "signed a memorandum on",
    "set up a joint committee on",
];
const MODIFIERS: &[&str] = &[
    "over the coming year",
    "in line with earlier agreements",
    "according to a statement released after the talks",
    "amid rising tensions in the region",
    "ahead of a summit planned for the autumn",
    "after months of stalled negotiations",
    "as part of a broader push to deepen ties",
    "despite differences over sanctions",
];
const QUOTE_OPENINGS: &[&str] = &[
    "We have agreed to",
    "Our two countries will",
    "We are determined to",
    "There is no alternative but to",
    "My government is ready to",
    "It is time for both of us to",
    "We came here to",
    "Nobody should doubt our will to",
];
const QUOTE_ACTIONS: &[&str] = &[
    "strengthen cooperation on",
    "find a lasting solution for",
    "make real progress on",
    "work together on",
    "open a new chapter in",
    "settle our differences over",
];
const QUOTE_ENDINGS: &[&str] = &[
    "",
    " in the months ahead",
    " without further delay",
    " for the benefit of our peoples",
    " step by step",
    " whatever the obstacles",
];
const REPORTED: &[&str] = &[
    "the talks had been frank and constructive",
    "his country wanted a peaceful settlement",
    "the agreement would be signed before the end of the year",
    "both sides were committed to dialogue",
    "sanctions were hurting ordinary people",
    "a joint commission would meet next month",
];
const SPEECH_VERBS: &[&str] = &["said", "told reporters", "said in a statement", "added"];
const AGENCIES: &[&str] = &["Reuters", "AFP", "AP", "IRNA", "Xinhua"];

#[derive(Debug, Clone)]
struct Person {
    forename: String,
    surname: String,
    title: &'static str,
    country: usize,
    female: bool,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.forename, self.surname)
    }
    fn possessive(&self) -> &'static str {
        if self.female { "her" } else { "his" }
    }
    fn pronoun(&self) -> &'static str {
        if self.female { "she" } else { "he" }
    }
}

/// One generated article: the file text and what should be extracted from it.
pub struct Generated {
    pub text: String,
    pub expected: Parsed,
}

/// Officials who recur, per country.
const REGULARS_PER_COUNTRY: usize = 40;

pub struct Synth {
    rng: Rng,
    regulars: Vec<Vec<Person>>,
    seen: HashSet<u64>,
}

/// Text being written, with the spans of what was written into it.
struct Doc {
    text: String,
}

impl Doc {
    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        Span::new(start, self.text.len())
    }
}

/// What an article says about one person, gathered while writing it.
struct Cast {
    people: Vec<(Person, Span)>,
}

impl Cast {
    fn mention(&mut self, person: &Person, span: Span) {
        if !self.people.iter().any(|(p, _)| p.full() == person.full()) {
            self.people.push((person.clone(), span));
        }
    }
}

impl Synth {
    pub fn new(seed: u64) -> Synth {
        let mut rng = Rng::new(seed);
        let regulars = (0..COUNTRIES.len())
            .map(|country| {
                (0..REGULARS_PER_COUNTRY)
                    .map(|_| invent(&mut rng, country))
                    .collect()
            })
            .collect();
        Synth {
            rng,
            regulars,
            seen: HashSet::new(),
        }
    }

    /// The next article, distinct from every article this generator made before.
    pub fn article(&mut self) -> Generated {
        loop {
            let generated = self.compose();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            generated.text.hash(&mut hasher);
            if self.seen.insert(hasher.finish()) {
                return generated;
            }
        }
    }

    fn person(&mut self, country: usize) -> Person {
        if self.rng.chance(25) {
            invent(&mut self.rng, country)
        } else {
            let i = self.rng.skewed(REGULARS_PER_COUNTRY);
            self.regulars[country][i].clone()
        }
    }

    fn two_countries(&mut self) -> (usize, usize) {
        let a = self.rng.skewed(COUNTRIES.len());
        let mut b = self.rng.below(COUNTRIES.len());
        while b == a {
            b = self.rng.below(COUNTRIES.len());
        }
        (a, b)
    }

    fn compose(&mut self) -> Generated {
        let published = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
            + Duration::days(self.rng.below(3650) as i64);
        let (ca, cb) = self.two_countries();
        let a = self.person(ca);
        let b = self.person(cb);
        let host = if self.rng.chance(50) { ca } else { cb };
        let city = self.rng.pick(COUNTRIES[host].cities).to_string();
        let topic = *self.rng.pick(TOPICS);
        let mut doc = Doc {
            text: String::with_capacity(4096),
        };
        let mut cast = Cast { people: Vec::new() };
        let mut meetings = Vec::new();
        let mut quotes = Vec::new();

        // Header: a title, sometimes a date line, then the lead paragraph (with a dateline half the time).
        let title = match self.rng.below(3) {
            0 => format!(
                "{} FM {} meets {} counterpart in {city}",
                COUNTRIES[ca].adjective, a.surname, COUNTRIES[cb].adjective
            ),
            1 => format!("{} and {} discuss {topic}", a.full(), b.full()),
            _ => format!(
                "{}, {} agree to boost {topic}",
                capitalize(COUNTRIES[ca].name),
                COUNTRIES[cb].name
            ),
        };
        doc.push(&title);
        doc.push("\n\n");
        if self.rng.chance(50) {
            doc.push(&published.format("%B %-d, %Y").to_string());
            doc.push("\n\n");
        }
        if self.rng.chance(50) {
            let agency = self.rng.pick(AGENCIES);
            doc.push(&format!(
                "{}, {} ({agency}) - ",
                city.to_uppercase(),
                published.format("%b %-d")
            ));
        }
        let (when, date) = self.when(published);
        let meeting_start = doc.text.len();
        let (mode, status, place) =
            self.lead(&mut doc, &mut cast, &a, &b, ca, cb, &city, &when, topic);
        let meeting_span = Span::new(meeting_start, doc.text.len());
        doc.push("\n\n");
        meetings.push(Meeting {
            participants: vec![a.full(), b.full()],
            place,
            date: if status == MeetingStatus::Planned {
                None
            } else {
                date
            },
            date_text: Some(when.clone()),
            date_anchor: Some(published),
            mode,
            status,
            span: meeting_span,
            rule: String::new(),
        });

        // Body: background paragraphs with quotes from the two principals between them.
        let paragraphs = 3 + self.rng.below(6);
        for i in 0..paragraphs {
            self.background(&mut doc, ca, cb);
            doc.push("\n\n");
            if i % 2 == 0 {
                let speaker = if self.rng.chance(50) { &a } else { &b };
                self.quote(&mut doc, &mut quotes, speaker);
                doc.push("\n\n");
            }
        }

        // Sometimes a second meeting with a third person, from a third country.
        if self.rng.chance(30) {
            let cc = self.rng.below(COUNTRIES.len());
            let c3 = self.person(cc);
            if c3.full() != a.full() && c3.full() != b.full() {
                let place = self.rng.pick(COUNTRIES[cc].cities).to_string();
                let start = doc.text.len();
                doc.push(&format!("Later in the day, {} also met ", a.surname));
                doc.push(&format!("{} {} ", COUNTRIES[cc].adjective, c3.title));
                let span = doc.push(&c3.full());
                cast.mention(&c3, span);
                doc.push(&format!(
                    " in {place} to discuss {}.",
                    self.rng.pick(TOPICS)
                ));
                meetings.push(Meeting {
                    participants: vec![a.full(), c3.full()],
                    place: Some(place),
                    date,
                    date_text: Some("Later in the day".into()),
                    date_anchor: Some(published),
                    mode: MeetingMode::InPerson,
                    status: MeetingStatus::Held,
                    span: Span::new(start, doc.text.len()),
                    rule: String::new(),
                });
                doc.push(" ");
                self.quote(&mut doc, &mut quotes, &c3);
                doc.push("\n\n");
            }
        }
        doc.push(&format!(
            "The two ministers are expected to meet again in {} {}.",
            self.rng.pick(COUNTRIES[cb].cities),
            if self.rng.chance(50) {
                "next year"
            } else {
                "later this year"
            }
        ));
        let text = doc.text.trim_end().to_string();

        let participants = cast
            .people
            .iter()
            .map(|(p, span)| Participant {
                name: p.full(),
                title: Some(p.title.to_string()),
                country: Some(COUNTRIES[p.country].code.to_string()),
                aliases: vec![p.surname.clone()],
                span: *span,
                rule: String::new(),
            })
            .collect();
        let expected = Parsed {
            article: Article {
                title: Some(title),
                published: Some(published),
                source: None,
                url: None,
                categories: Vec::new(),
                text: text.clone(),
                dateline_place: None,
                published_from: Some("given".into()),
            },
            participants,
            prospective: Vec::new(),
            meetings,
            quotes,
            issues: Vec::new(),
        };
        Generated { text, expected }
    }

    /// A day phrase and the date it means: a weekday of the week before publication, or a date.
    fn when(&mut self, published: NaiveDate) -> (String, Option<NaiveDate>) {
        let back = self.rng.below(6) as i64 + 1;
        let day = published - Duration::days(back);
        if self.rng.chance(60) {
            (format!("on {}", weekday_name(day.weekday())), Some(day))
        } else {
            (format!("on {}", day.format("%B %-d")), Some(day))
        }
    }

    /// The lead sentence reporting the meeting; returns its mode, status and place.
    #[allow(clippy::too_many_arguments)]
    fn lead(
        &mut self,
        doc: &mut Doc,
        cast: &mut Cast,
        a: &Person,
        b: &Person,
        ca: usize,
        cb: usize,
        city: &str,
        when: &str,
        topic: &str,
    ) -> (MeetingMode, MeetingStatus, Option<String>) {
        let (adj_a, adj_b) = (COUNTRIES[ca].adjective, COUNTRIES[cb].adjective);
        match self.rng.below(10) {
            0..=3 => {
                doc.push(&format!("{adj_a} {} ", a.title));
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(&format!(" met {} {adj_b} counterpart ", a.possessive()));
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(
                    " in {city} {when}, and the two discussed {topic}."
                ));
                (
                    MeetingMode::InPerson,
                    MeetingStatus::Held,
                    Some(city.into()),
                )
            }
            4 | 5 => {
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(&format!(
                    ", the {adj_a} {}, held talks with {} ",
                    a.title, b.title
                ));
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(
                    " of {} in {city} {when}, officials said.",
                    COUNTRIES[cb].name
                ));
                (
                    MeetingMode::InPerson,
                    MeetingStatus::Held,
                    Some(city.into()),
                )
            }
            6 => {
                doc.push(&format!("{adj_a} {} ", a.title));
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(" spoke by telephone with ");
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(", the {adj_b} {}, {when} about {topic}.", b.title));
                (MeetingMode::Phone, MeetingStatus::Held, None)
            }
            7 => {
                doc.push(&format!("{adj_a} {} ", a.title));
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(&format!(" and {adj_b} {} ", b.title));
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(
                    " held a video conference {when} to discuss {topic}."
                ));
                (MeetingMode::Video, MeetingStatus::Held, None)
            }
            8 => {
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(&format!(
                    ", the {adj_a} {}, will travel to {city} next week for talks with {} ",
                    a.title, b.title
                ));
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(
                    ", the {} foreign ministry said {when}.",
                    adj_a.to_lowercase()
                ));
                (
                    MeetingMode::InPerson,
                    MeetingStatus::Planned,
                    Some(city.into()),
                )
            }
            _ => {
                doc.push(&format!("A meeting between {adj_a} {} ", a.title));
                let s = doc.push(&a.full());
                cast.mention(a, s);
                doc.push(&format!(" and {} {adj_b} counterpart ", a.possessive()));
                let s = doc.push(&b.full());
                cast.mention(b, s);
                doc.push(&format!(
                    ", planned for {city} {when}, was called off at short notice."
                ));
                (
                    MeetingMode::InPerson,
                    MeetingStatus::Cancelled,
                    Some(city.into()),
                )
            }
        }
    }

    fn background(&mut self, doc: &mut Doc, ca: usize, cb: usize) {
        let sentences = 2 + self.rng.below(3);
        for i in 0..sentences {
            if i > 0 {
                doc.push(" ");
            }
            let subject = *self.rng.pick(SUBJECTS);
            let verb = *self.rng.pick(VERBS);
            let topic = *self.rng.pick(TOPICS);
            let modifier = *self.rng.pick(MODIFIERS);
            match self.rng.below(3) {
                0 => doc.push(&format!("{subject} {verb} {topic} {modifier}.")),
                1 => doc.push(&format!(
                    "Trade between {} and {} reached {}.{} billion dollars last year, {modifier}.",
                    COUNTRIES[ca].name,
                    COUNTRIES[cb].name,
                    1 + self.rng.below(90),
                    self.rng.below(10)
                )),
                _ => doc.push(&format!(
                    "{subject} {verb} {topic} and the situation in {}, {modifier}.",
                    self.rng.pick(COUNTRIES).name
                )),
            };
        }
    }

    fn quote(&mut self, doc: &mut Doc, quotes: &mut Vec<Quote>, speaker: &Person) {
        let topic = *self.rng.pick(TOPICS);
        let words = format!(
            "{} {} {topic}{}",
            self.rng.pick(QUOTE_OPENINGS),
            self.rng.pick(QUOTE_ACTIONS),
            self.rng.pick(QUOTE_ENDINGS)
        );
        match self.rng.below(4) {
            0 | 1 => {
                doc.push("\u{201c}");
                let span = doc.push(&words);
                doc.push(&format!(
                    ",\u{201d} {} {}.",
                    speaker.surname,
                    self.rng.pick(SPEECH_VERBS)
                ));
                quotes.push(Quote {
                    speaker: Some(speaker.full()),
                    kind: QuoteKind::Direct,
                    text: words,
                    span,
                    rule: String::new(),
                });
            }
            2 => {
                doc.push(&format!("{} spoke of {topic}. \u{201c}", speaker.surname));
                let span = doc.push(&words);
                doc.push(&format!(",\u{201d} {} said.", speaker.pronoun()));
                quotes.push(Quote {
                    speaker: Some(speaker.full()),
                    kind: QuoteKind::Direct,
                    text: words,
                    span,
                    rule: String::new(),
                });
            }
            _ => {
                let clause = self
                    .rng
                    .pick(REPORTED)
                    .replace("his country", &format!("{} country", speaker.possessive()));
                doc.push(&format!("{} said that ", speaker.surname));
                let span = doc.push(&clause);
                doc.push(".");
                quotes.push(Quote {
                    speaker: Some(speaker.full()),
                    kind: QuoteKind::Reported,
                    text: clause,
                    span,
                    rule: String::new(),
                });
            }
        }
    }
}

fn invent(rng: &mut Rng, country: usize) -> Person {
    let female = rng.chance(35);
    let forename = if female {
        rng.pick(FORENAMES_F)
    } else {
        rng.pick(FORENAMES_M)
    }
    .to_string();
    let parts = 2 + rng.below(2);
    let surname = capitalize(&(0..parts).map(|_| *rng.pick(SYLLABLES)).collect::<String>());
    Person {
        forename,
        surname,
        title: TITLES[rng.below(TITLES.len())],
        country,
        female,
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Checks that every expected span covers the words it describes, so the expected records are
/// trustworthy; the benchmark runs it before measuring anything.
pub fn check_spans(generated: &Generated) -> Result<(), String> {
    let text = &generated.text;
    for p in &generated.expected.participants {
        if text.get(p.span.start..p.span.end) != Some(p.name.as_str()) {
            return Err(format!("participant {:?} has span {:?}", p.name, p.span));
        }
    }
    for q in &generated.expected.quotes {
        if text.get(q.span.start..q.span.end) != Some(q.text.as_str()) {
            return Err(format!("quote {:?} has span {:?}", q.text, q.span));
        }
    }
    Ok(())
}

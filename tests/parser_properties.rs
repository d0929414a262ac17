//! Properties of the parser over generated inputs (proptest), the fuzzers' crashers kept as
//! regression tests, and linear-time smoke tests over hostile shapes of input.
//!
//! The invariants themselves live in `fuzz/invariants.rs`, shared with the fuzz targets. The smoke
//! tests only check that parsing finishes (within a generous limit, so that a hang fails instead of
//! stalling CI) and that the record is still sound; the full sizes of the issue (a 20 MB article, a
//! 10 MB line) and the slope of time against size are in the ignored benchmark at the end:
//!
//! ```text
//! cargo test --release --test parser_properties -- --ignored --nocapture
//! ```

#[path = "../fuzz/invariants.rs"]
mod invariants;

use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use parley::model::{ArticleMeta, Parsed};
use proptest::prelude::*;

fn parse(raw: &str) -> Parsed {
    parley::parse::parse(raw, &ArticleMeta::default())
}

/// Parses and checks every invariant; proptest shrinks the input when one breaks.
fn sound(raw: &str, meta: &ArticleMeta) -> Result<Parsed, TestCaseError> {
    let parsed = parley::parse::parse(raw, meta);
    invariants::check(raw, meta, &parsed).map_err(TestCaseError::fail)?;
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Pieces of text that exercise the parser's rules, its lexicons and its byte arithmetic: quotation
/// marks of every kind, titles, reporting and meeting verbs, dates, line ends, a byte-order mark, NUL,
/// right-to-left and combining characters, and letters whose lower case has another byte length.
const FRAGMENTS: &[&str] = &[
    "\"",
    "\"",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    ",",
    ".",
    ":",
    ";",
    " - ",
    "—",
    "(",
    ")",
    "?",
    "!",
    "...",
    "…",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    "\0",
    "\u{a0}",
    "\u{200d}",
    "\u{202e}",
    "said",
    "says",
    "told",
    "told reporters",
    "added",
    "saying",
    "according to",
    "met",
    "meets",
    "will meet",
    "held talks with",
    "talks",
    "a phone call with",
    "spoke by phone with",
    "video conference",
    "visit",
    "cancelled",
    "postponed",
    "counterpart",
    "his",
    "her",
    "their",
    "he",
    "she",
    "they",
    "it",
    "the",
    "and",
    "with",
    "in",
    "on",
    "that",
    "Foreign Minister",
    "Minister",
    "President",
    "Prime Minister",
    "Ambassador",
    "Secretary of State",
    "envoy",
    "spokesman",
    "Mr.",
    "Dr.",
    "U.S.",
    "Norwegian",
    "Chilean",
    "Iranian",
    "Pakistani",
    "Kenyan",
    "Oslo",
    "OSLO",
    "Islamabad",
    "Tehran",
    "Nairobi",
    "Arvid Kessler",
    "Kessler",
    "Paula Errazuriz",
    "Errazuriz",
    "Kofi Mensah",
    "Mensah",
    "the Foreign Ministry",
    "White House",
    "Reuters",
    "on Tuesday",
    "Wednesday",
    "March 4",
    "4 March 2024",
    "2024-03-05",
    "last week",
    "next month",
    "Back to top button",
    "Photo:",
    "in a post on his Twitter page",
    "PoliticsWorldAsia",
    "وزير الخارجية",
    "שלום",
    "Зариф",
    "外交部",
    "é",
    "e\u{301}",
    "İstanbul",
    "ß",
    "ﬁ",
    "🇮🇷",
    "👍🏽",
    "Ⅻ",
    "ǅ",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", " ", "", "\n", ", "];

/// Text made of fragments: mostly nonsense, but nonsense in the parser's own vocabulary.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(FRAGMENTS),
            prop::sample::select(SEPARATORS),
        ),
        0..160,
    )
    .prop_map(|parts| parts.into_iter().flat_map(|(f, s)| [f, s]).collect())
}

/// Invented people with real countries; the tests know every form of their names.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("Arvid", "Kessler", "Norwegian"),
    ("Paula", "Errazuriz", "Chilean"),
    ("Kofi", "Mensah", "Ghanaian"),
    ("Lena", "Varga", "Hungarian"),
    ("Tomas", "Lindqvist", "Swedish"),
    ("Mira", "Okonjo", "Kenyan"),
];
const CITIES: &[&str] = &[
    "Oslo",
    "Santiago",
    "Accra",
    "Budapest",
    "Stockholm",
    "Nairobi",
    "Geneva",
];
const DAYS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "last week",
    "on March 3",
    "yesterday",
    "",
];
const WORDS: &[&str] = &[
    "we",
    "have",
    "agreed",
    "to",
    "open",
    "a",
    "new",
    "chapter",
    "in",
    "our",
    "relations",
    "the",
    "talks",
    "were",
    "frank",
    "and",
    "useful",
    "trade",
    "fisheries",
    "will",
    "grow",
    "peace",
    "is",
    "possible",
    "nobody",
    "wants",
    "war",
];

fn person() -> impl Strategy<Value = usize> {
    0..PEOPLE.len()
}

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..14).prop_map(|w| {
        let mut s = w.join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    })
}

/// One paragraph of a news article about two invented people.
fn paragraph() -> impl Strategy<Value = String> {
    (person(), person(), prop::sample::select(CITIES), prop::sample::select(DAYS), words(), words(), 0..10usize).prop_map(
        |(a, b, city, day, w1, w2, shape)| {
            let (fa, la, ca) = PEOPLE[a];
            let (fb, lb, cb) = PEOPLE[b];
            match shape {
                0 => format!("{ca} Foreign Minister {fa} {la} met his {cb} counterpart {fb} {lb} in {city} {day}."),
                1 => format!("\"{w1},\" {la} told reporters after the talks."),
                2 => format!("\"{w1},\" said {fb} {lb}. \"{w2}.\""),
                3 => format!("{fa} {la} said: \"{w1}.\""),
                4 => format!("\"{w1},\" {la} said, \"{w2}.\""),
                5 => format!("{la} will travel to {city} next week to meet {fb} {lb}."),
                6 => format!("{fa} {la} held a phone call with {cb} President {fb} {lb} {day}."),
                7 => format!("The {ca} Foreign Ministry said it {w1}."),
                8 => format!("{lb} said the two countries {w2}."),
                _ => format!("“{w1}” {la} said in a post on his Twitter page."),
            }
        },
    )
}

/// A whole article: maybe a glued category line, a title, a dateline, paragraphs, boilerplate.
fn article() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::sample::select(CITIES),
        1..28u32,
        prop::collection::vec(paragraph(), 1..8),
        any::<bool>(),
        prop::sample::select(&["\n", "\r\n"][..]),
    )
        .prop_map(
            |(categories, city, day, paragraphs, boilerplate, line_end)| {
                let mut text = String::new();
                if categories {
                    text.push_str("PoliticsWorldEurope\n\n");
                }
                text.push_str("Ministers meet to deepen ties\n\n");
                text.push_str(&format!("{}, March {day} - ", city.to_uppercase()));
                text.push_str(&paragraphs.join("\n\n"));
                if boilerplate {
                    text.push_str("\n\nBack to top button");
                }
                text.replace('\n', line_end)
            },
        )
}

/// Every form in which the generated articles name a person: full name and surname.
fn person_forms() -> Vec<String> {
    PEOPLE
        .iter()
        .flat_map(|(f, l, _)| [format!("{f} {l}"), l.to_string()])
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_string_parses_into_a_sound_record(raw in any::<String>()) {
        sound(&raw, &ArticleMeta::default())?;
    }

    #[test]
    fn text_in_the_parsers_vocabulary_parses_into_a_sound_record(raw in soup()) {
        sound(&raw, &ArticleMeta::default())?;
    }

    #[test]
    fn a_given_publication_date_keeps_the_record_sound(raw in soup(), days in 0..20_000i64) {
        let published = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(days);
        let meta = ArticleMeta { published: Some(published), ..ArticleMeta::default() };
        let parsed = sound(&raw, &meta)?;
        prop_assert_eq!(parsed.article.published, Some(published));
    }

    #[test]
    fn generated_articles_parse_into_sound_records(raw in article()) {
        sound(&raw, &ArticleMeta::default())?;
    }

    #[test]
    fn people_named_as_speakers_are_participants(raw in article()) {
        let parsed = parse(&raw);
        let names: Vec<&str> = parsed.participants.iter().map(|p| p.name.as_str()).collect();
        let forms = person_forms();
        for quote in &parsed.quotes {
            if let Some(speaker) = &quote.speaker {
                prop_assert!(
                    names.contains(&speaker.as_str()) || !forms.contains(speaker),
                    "speaker {:?} of {:?} is a person but not a participant ({:?})", speaker, quote.text, names
                );
            }
        }
    }

    #[test]
    fn line_ends_a_byte_order_mark_and_nul_bytes_do_not_change_the_records(raw in article()) {
        let unix = raw.replace("\r\n", "\n");
        let variant = format!("\u{feff}{}", unix.replace('\n', "\r\n").replacen(' ', " \0", 3));
        prop_assert_eq!(parse(&unix), parse(&variant));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn names_in_meetings_are_the_articles_people(raw in article()) {
        invariants::check_names(&parse(&raw)).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn the_people_of_a_planned_meeting_are_the_articles_people() {
    for raw in [
        "Ministers meet to deepen ties\n\nOSLO, March 1 - Okonjo will travel to Oslo next week to meet Arvid Kessler.\n\nKessler will travel to Oslo next week to meet Paula Errazuriz.",
        "Arvid Kessler the Foreign Ministrysaid will meet ",
    ] {
        if let Err(e) = invariants::check_names(&parse(raw)) {
            panic!("{e}\ninput: {raw:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs found by the fuzzers (fuzz/regressions/*/), and by proptest, that once broke the parser.

fn regression_inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_none_or(|ext| ext != "md"))
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_crasher_the_parse_fuzzer_found_now_parses_soundly() {
    for (name, bytes) in regression_inputs("parse") {
        let raw = String::from_utf8_lossy(&bytes);
        let parsed = finishes(&name, raw.to_string());
        if let Err(e) = invariants::check(&raw, &ArticleMeta::default(), &parsed) {
            panic!("fuzz/regressions/parse/{name}: {e}");
        }
    }
}

#[test]
fn every_crasher_the_jsonl_fuzzer_found_now_imports_soundly() {
    for (name, bytes) in regression_inputs("jsonl") {
        for line in parley::input::jsonl::Lines::new(bytes.as_slice()) {
            let Ok(parley::input::jsonl::Line {
                article: Ok(article),
                text,
                ..
            }) = line
            else {
                continue;
            };
            let Ok(ready) = parley::input::resolve::Incoming::json(article, text, None)
                .resolve(&ArticleMeta::default())
            else {
                continue;
            };
            let imported = ready.parse();
            if let Err(e) = invariants::check_record(&imported.parsed) {
                panic!("fuzz/regressions/jsonl/{name}: {e}");
            }
        }
    }
}

#[test]
fn every_crasher_the_html_fuzzer_found_now_extracts_soundly() {
    use parley::input::html::{MAX_DEPTH, bound_depth, extract};
    for (name, bytes) in regression_inputs("html") {
        let page = String::from_utf8_lossy(&bytes).into_owned();
        let bounded = bound_depth(&page, MAX_DEPTH);
        assert_eq!(
            bound_depth(&bounded, MAX_DEPTH),
            bounded,
            "fuzz/regressions/html/{name}: bounding the depth twice changed the page again"
        );
        let Ok(article) = extract(&page) else {
            continue;
        };
        let parsed = finishes(&name, article.text.clone());
        if let Err(e) = invariants::check(&article.text, &ArticleMeta::default(), &parsed) {
            panic!("fuzz/regressions/html/{name}: {e}");
        }
    }
}

/// The html fuzzer's finding of 2026-12-08 (12 crashes in ten minutes, all this one), minimised: past
/// the depth bound, `bound_depth` removes the end tag of a raw-text element (`</title>`,
/// `</script>`) but never its start tag, so the element swallows the rest of the page.
#[test]
fn a_script_nested_past_the_depth_bound_keeps_its_end_tag_and_the_text_after_it() {
    use parley::input::html::{MAX_DEPTH, bound_depth, extract};
    let found = format!("{}<title></title><script</title", "<d>".repeat(MAX_DEPTH));
    let bounded = bound_depth(&found, MAX_DEPTH);
    assert_eq!(bound_depth(&bounded, MAX_DEPTH), bounded);
    let page = format!(
        "<html><body>{}<script>var a = 1;</script><p>Foreign Minister Ana Ruiz met envoy Li Wen in Lima on Monday to discuss trade and fisheries with officials.</p>{}</body></html>",
        "<div>".repeat(MAX_DEPTH + 2),
        "</div>".repeat(MAX_DEPTH + 2)
    );
    let article = extract(&page).expect("the text after the script was lost");
    assert!(article.text.contains("Ana Ruiz"), "{}", article.text);
}

// ---------------------------------------------------------------------------------------------
// Linear time: each hostile shape must parse; a hang fails after a generous limit instead of
// stalling the run. Sizes here are what a debug build parses in seconds; the benchmark below runs
// the issue's full sizes and prints the time per size.

/// The most any smoke test may take, debug build included, before it counts as a hang.
const HANG_LIMIT: Duration = Duration::from_secs(120);

/// Parses `raw` on another thread and returns the record, or fails if it takes past [`HANG_LIMIT`].
fn finishes(name: &str, raw: String) -> Parsed {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let parsed = parse(&raw);
        let _ = tx.send(parsed);
    });
    match rx.recv_timeout(HANG_LIMIT) {
        Ok(parsed) => parsed,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: parsing did not finish in {HANG_LIMIT:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the parser panicked"),
    }
}

fn finishes_soundly(name: &str, raw: String) -> Parsed {
    let parsed = finishes(name, raw);
    if let Err(e) = invariants::check_record(&parsed) {
        panic!("{name}: {e}");
    }
    parsed
}

/// The example article, repeated to `bytes` (paragraphs stay paragraphs).
fn long_article(bytes: usize) -> String {
    let example = include_str!("../examples/zarif-islamabad.txt");
    let mut text = String::with_capacity(bytes + example.len());
    while text.len() < bytes {
        text.push_str(example);
        text.push_str("\n\n");
    }
    text
}

fn unbalanced_quotes(marks: usize) -> String {
    let mut text = String::from("Kessler said ");
    for i in 0..marks {
        text.push_str(["\"", "“", "”", "‘", "«"][i % 5]);
        text.push_str(if i % 7 == 0 {
            "Kessler told reporters, "
        } else {
            "word "
        });
    }
    text
}

fn single_line(bytes: usize) -> String {
    let sentence = "Norwegian Foreign Minister Arvid Kessler met Chilean Foreign Minister Paula Errazuriz in Oslo on Tuesday, \"and we agreed,\" Kessler said. ";
    sentence.repeat(bytes / sentence.len() + 1)
}

fn capitalised_words(count: usize) -> String {
    let names = [
        "Arvid",
        "Kessler",
        "Paula",
        "Errazuriz",
        "Foreign",
        "Minister",
        "Oslo",
        "Norwegian",
        "President",
        "Kofi",
    ];
    let mut text = String::from("OSLO, March 4 - ");
    for i in 0..count {
        text.push_str(names[i % names.len()]);
        text.push(' ');
    }
    text.push_str("met in Oslo.");
    text
}

fn mixed_scripts(bytes: usize) -> String {
    let paragraph = "وزير الخارجية الإيراني محمد جواد ظريف met \u{202b}Pakistani Foreign Minister Shah Mahmood Qureshi\u{202c} in Islamabad on Wednesday. \"שלום עליכם,\" Qureshi said. 外交部 Зариф e\u{301}e\u{301} İİ ßß 🇮🇷👍🏽\u{200f}\u{200e}\n\n";
    paragraph.repeat(bytes / paragraph.len() + 1)
}

#[test]
fn a_long_article_parses() {
    let parsed = finishes_soundly("long article", long_article(2 << 20));
    assert!(parsed.article.text.len() >= 2 << 20);
}

#[test]
fn a_hundred_thousand_unbalanced_quotation_marks_parse() {
    finishes_soundly("unbalanced quotation marks", unbalanced_quotes(100_000));
}

#[test]
fn a_single_line_of_a_megabyte_parses() {
    finishes_soundly("single line", single_line(1 << 20));
}

#[test]
fn thousands_of_capitalised_words_in_a_row_parse() {
    finishes_soundly("capitalised words", capitalised_words(20_000));
}

#[test]
fn nul_bytes_are_dropped_and_the_rest_parses() {
    let raw = long_article(64 << 10)
        .replace('e', "e\0")
        .replace("\n\n", "\0\0\0\n\n");
    let parsed = finishes_soundly("NUL bytes", raw);
    assert!(!parsed.article.text.contains('\0'));
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_give_the_same_records_as_plain_text() {
    let plain = long_article(64 << 10);
    let windows = format!("\u{feff}{}", plain.replace('\n', "\r\n"));
    let old_mac = plain.replace('\n', "\r");
    let plain = finishes_soundly("plain", plain);
    assert_eq!(finishes_soundly("BOM and CRLF", windows), plain);
    assert_eq!(finishes_soundly("CR", old_mac), plain);
}

#[test]
fn right_to_left_and_mixed_scripts_parse() {
    finishes_soundly("mixed scripts", mixed_scripts(256 << 10));
}

#[test]
fn a_byte_order_mark_alone_and_nul_bytes_alone_parse_to_nothing() {
    for raw in [
        "\u{feff}",
        "\0\0\0",
        "\u{feff}\0\r\n\r\n",
        "\"",
        "“",
        "\n\n\n",
    ] {
        let parsed = finishes_soundly("almost empty", raw.to_string());
        assert!(
            parsed.meetings.is_empty()
                && parsed.quotes.is_empty()
                && parsed.participants.is_empty(),
            "{raw:?}"
        );
    }
}

/// The issue's sizes, with the time per size for each shape: the slope should stay flat (time per
/// megabyte roughly constant as the size doubles). Run with
/// `cargo test --release --test parser_properties -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark: full sizes; run in release with --ignored --nocapture"]
fn benchmark_parse_time_grows_linearly_with_size() {
    type Shape = (&'static str, fn(usize) -> String, [usize; 4]);
    let shapes: [Shape; 5] = [
        (
            "article (bytes)",
            long_article,
            [2_500_000, 5_000_000, 10_000_000, 20_000_000],
        ),
        (
            "unbalanced quotation marks (marks)",
            unbalanced_quotes,
            [12_500, 25_000, 50_000, 100_000],
        ),
        (
            "single line (bytes)",
            single_line,
            [1_250_000, 2_500_000, 5_000_000, 10_000_000],
        ),
        (
            "capitalised words (words)",
            capitalised_words,
            [5_000, 10_000, 20_000, 40_000],
        ),
        (
            "mixed scripts (bytes)",
            mixed_scripts,
            [1_250_000, 2_500_000, 5_000_000, 10_000_000],
        ),
    ];
    for (name, make, sizes) in shapes {
        let mut previous: Option<f64> = None;
        for size in sizes {
            let raw = make(size);
            let started = Instant::now();
            let parsed = finishes(name, raw);
            let seconds = started.elapsed().as_secs_f64();
            let ratio = previous.map_or(String::new(), |p| {
                format!("  x{:.2} for x2 size", seconds / p)
            });
            println!(
                "{name:38} {size:>10}  {seconds:8.3} s  {:>6} quotes{ratio}",
                parsed.quotes.len()
            );
            previous = Some(seconds);
        }
    }
}

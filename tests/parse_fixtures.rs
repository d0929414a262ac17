//! Data-driven parser tests: every `tests/parser_fixtures/NAME.txt` is parsed (with the
//! `published` date of `NAME.expected.json`, where it has one) and must give exactly the
//! participants, held meetings and direct quotes that the expected file lists, in the shape of the
//! corpus gold files. Each fixture shows one phenomenon, with invented people.

use parley::model::{ArticleMeta, MeetingStatus, QuoteKind};
use serde_json::{Value, json};
use std::path::Path;

fn actual(text: &str, published: Option<&str>) -> Value {
    let meta = ArticleMeta {
        published: published.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        ..ArticleMeta::default()
    };
    let parsed = parley::parse::parse(text, &meta);
    json!({
        "published": parsed.article.published.map(|d| d.to_string()),
        "participants": parsed.participants.iter().map(|p| json!({
            "name": p.name, "title": p.title, "country": p.country,
        })).collect::<Vec<_>>(),
        "meetings": parsed.meetings.iter().filter(|m| m.status == MeetingStatus::Held).map(|m| json!({
            "participants": m.participants, "place": m.place, "date": m.date.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "quotes": parsed.quotes.iter().filter(|q| q.kind == QuoteKind::Direct).map(|q| json!({
            "speaker": q.speaker, "kind": "direct", "text": q.text,
        })).collect::<Vec<_>>(),
    })
}

/// Titles are compared without regard to case, as the scorer does.
fn fold_titles(mut v: Value) -> Value {
    if let Some(ps) = v.get_mut("participants").and_then(Value::as_array_mut) {
        for p in ps {
            if let Some(t) = p
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_lowercase)
            {
                p["title"] = Value::String(t);
            }
        }
    }
    v
}

#[test]
fn every_fixture_article_parses_to_its_expected_records() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser_fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let expected_path = path.with_extension("expected.json");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected file"))
                .expect("expected JSON");
        let published = expected.get("published").and_then(Value::as_str);
        let got = fold_titles(actual(&text, published));
        let want = fold_titles(expected.clone());
        if got != want {
            failures.push(format!(
                "{}:\n  expected {}\n  got      {}",
                path.display(),
                want,
                got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_huge_article_full_of_unbalanced_quotation_marks_parses() {
    let mut text = String::new();
    for i in 0..4_000 {
        text.push_str(if i % 3 == 0 {
            "\u{201c}Arvid Kessler said "
        } else {
            "\" met Lena Moor "
        });
        if i % 50 == 0 {
            text.push_str("\n\n");
        }
    }
    let parsed = parley::parse::parse(&text, &ArticleMeta::default());
    for q in &parsed.quotes {
        assert!(q.span.start <= q.span.end && q.span.end <= parsed.article.text.len());
    }
}

#[test]
fn strange_inputs_never_panic_and_spans_stay_inside_the_text() {
    let inputs = [
        "",
        "\u{feff}",
        "\"",
        "'s",
        "Mr.",
        "He",
        "WASHINGTON, March 99 -",
        "Port Vila : ",
        "\u{201c}\u{201d}\u{2018}\u{2019}«»„",
        "Ünal Çelik said: “Ça va.” Æsir Þór met Ōta Kōji in Kyōto on Wednesday.",
        "President\n\n\n\n",
        "A (L) and B (R) meet in C on February 30, 2020. (Photo by D)",
        "@highlight\n\n@highlight",
        "the the the the the the Minister Minister Minister said said",
        "\r\n\r\n    OSLO, Jan 1 -\r\n\r\n Reuter",
    ];
    for input in inputs {
        let parsed = parley::parse::parse(input, &ArticleMeta::default());
        let n = parsed.article.text.len();
        for q in &parsed.quotes {
            assert!(q.span.end <= n, "{input:?}");
        }
        for m in &parsed.meetings {
            assert!(m.span.end <= n, "{input:?}");
        }
        for p in &parsed.participants {
            assert!(p.span.end <= n, "{input:?}");
        }
    }
}

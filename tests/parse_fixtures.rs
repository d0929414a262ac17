//! Golden tests, the parser's contract: every `tests/parser_fixtures/NAME.txt` is parsed as
//! `parley parse --format json NAME.txt` would parse it, and the whole record must equal
//! `NAME.expected.json`. Each fixture shows one phenomenon, with invented people.
//!
//! The publication date handed to the parser is the expected record's `article.published` where its
//! `published_from` is "given" (as `--published` would give it). To add a fixture, write `NAME.txt`
//! (and, for a publication date, a stub `NAME.expected.json` holding
//! `{"article": {"published": "YYYY-MM-DD", "published_from": "given"}}`), then run
//! `UPDATE_EXPECT=1 cargo test --test parse_fixtures` and review the record it writes: a snapshot is
//! reviewed, never edited by hand. A plain run fails on any difference and prints a line diff.

use parley::ingest::Incoming;
use parley::model::ArticleMeta;
use serde_json::Value;
use std::path::Path;

/// The publication date a fixture is parsed against, read from its expected record.
fn given_published(expected: Option<&Value>) -> Option<chrono::NaiveDate> {
    let article = expected?.get("article")?;
    if article.get("published_from").and_then(Value::as_str) != Some("given") {
        return None;
    }
    let day = article.get("published").and_then(Value::as_str)?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The record `parley parse --format json` prints for the file, as pretty JSON with a final newline.
fn record(path: &Path, published: Option<chrono::NaiveDate>) -> String {
    let raw = std::fs::read_to_string(path).expect("fixture text");
    let meta = ArticleMeta {
        published,
        ..ArticleMeta::default()
    };
    let parsed = Incoming::file(raw, path)
        .resolve(&meta)
        .expect("a text fixture resolves")
        .parse()
        .parsed;
    let mut out = serde_json::to_string_pretty(&parsed).expect("record serializes");
    out.push('\n');
    out
}

/// A line diff of two texts (longest common subsequence): `-` lines expected, `+` lines got.
fn line_diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("  {:>4} - {}\n", i + 1, a[i]));
            i += 1;
        } else {
            out.push_str(&format!("  {:>4} + {}\n", j + 1, b[j]));
            j += 1;
        }
    }
    out
}

#[test]
fn every_fixture_article_parses_to_its_expected_record() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser_fixtures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v != "0");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in paths {
        let expected_path = path.with_extension("expected.json");
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: Option<Value> = serde_json::from_str(&want).ok();
        let got = record(&path, given_published(expected.as_ref()));
        if got == want {
            continue;
        }
        if update {
            std::fs::write(&expected_path, &got).expect("write expected record");
            eprintln!("updated {}", expected_path.display());
        } else {
            failures.push(format!(
                "{} differs from {} (- expected, + got; UPDATE_EXPECT=1 rewrites it):\n{}",
                path.display(),
                expected_path.display(),
                line_diff(&want, &got)
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

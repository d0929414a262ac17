use super::*;

fn parse_json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("parley")
        .unwrap()
        .arg("parse")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_record_has_every_field_of_the_contract() {
    let record = parse_json(&[EXAMPLE, "--published", "2020-11-12"]);
    let article = &record["article"];
    for field in ["title", "published", "source", "url", "categories", "text"] {
        assert!(article.get(field).is_some(), "article.{field} is missing");
    }
    assert_eq!(article["published"], "2020-11-12");
    for list in ["participants", "meetings", "quotes", "issues"] {
        assert!(record[list].is_array(), "{list} is not a list");
    }
    for meeting in record["meetings"].as_array().unwrap() {
        for field in [
            "participants",
            "place",
            "date",
            "date_text",
            "mode",
            "status",
            "span",
        ] {
            assert!(meeting.get(field).is_some(), "meeting.{field} is missing");
        }
    }
}

#[test]
fn the_example_article_gives_its_two_meetings_and_two_quotes() {
    let record = parse_json(&[EXAMPLE]);
    let meetings: Vec<(Vec<String>, Value, Value)> = record["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "held")
        .map(|m| {
            let mut people: Vec<String> = m["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_string())
                .collect();
            people.sort();
            (people, m["place"].clone(), m["date"].clone())
        })
        .collect();
    assert_eq!(meetings.len(), 2, "{meetings:?}");
    for (people, place, date) in &meetings {
        assert!(
            people.contains(&"Mohammad Javad Zarif".to_string()),
            "{people:?}"
        );
        assert_eq!(place, "Islamabad");
        assert_eq!(date, "2020-11-11");
    }
    let quotes: Vec<&Value> = record["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["kind"] == "direct")
        .collect();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(record["article"]["categories"].as_array().unwrap().len(), 4);
}

#[test]
fn spans_index_the_text_that_is_printed() {
    let record = parse_json(&[fixture("norland-talks.txt").to_str().unwrap()]);
    let text = record["article"]["text"].as_str().unwrap();
    for quote in record["quotes"].as_array().unwrap() {
        let (start, end) = (
            quote["span"]["start"].as_u64().unwrap() as usize,
            quote["span"]["end"].as_u64().unwrap() as usize,
        );
        let covered = text.get(start..end).expect("span on character boundaries");
        assert!(
            covered.contains(
                quote["text"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .next()
                    .unwrap()
            )
        );
    }
}

#[test]
fn a_saved_page_is_previewed_as_import_would_store_it() {
    let page = fixture("inputs/pages/oslo-talks.html");
    let record = parse_json(&[page.to_str().unwrap()]);
    let text = record["article"]["text"].as_str().unwrap();
    assert!(
        !text.contains('<'),
        "the page's main text, not its markup: {text}"
    );
    assert!(record["article"]["title"].is_string());
    assert!(!record["participants"].as_array().unwrap().is_empty());
}

#[test]
fn standard_input_is_parsed_when_no_file_is_given() {
    let out = Command::cargo_bin("parley")
        .unwrap()
        .arg("parse")
        .write_stdin("Hello there.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["article"]["text"], "Hello there.");
}

#[test]
fn an_empty_article_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let out = Command::cargo_bin("parley")
        .unwrap()
        .arg("parse")
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("empty.txt: empty"), "{stderr}");
}

#[test]
fn a_missing_file_is_one_line_that_says_so_in_words() {
    let sb = Sandbox::new();
    let (ok, _, stderr) = sb.run(&["parse", "no-such-article.txt"]);
    assert!(!ok);
    assert_eq!(
        stderr,
        "parley: error: no-such-article.txt: cannot read: no such file or folder\n"
    );
}

#[test]
fn explain_prints_each_record_with_its_rule_and_evidence_sentence() {
    let sb = Sandbox::new();
    let article = sb.path("talks.txt");
    fs::write(
        &article,
        "Foreign Minister Ilsa Varro of Norland met Prime Minister Tomas Keel of Estmark in Valdur on Monday.\n\n\
         \u{201c}We agreed on a new border commission,\u{201d} Varro told reporters after the talks.\n",
    )
    .unwrap();
    let out = sb.ok(&[
        "parse",
        "--explain",
        "--published",
        "2021-03-03",
        article.to_str().unwrap(),
    ]);
    let meeting = out
        .split("\n\n")
        .find(|block| block.starts_with("meeting (held"))
        .unwrap_or_else(|| panic!("no held meeting explained:\n{out}"));
    assert!(
        meeting.contains("Ilsa Varro") && meeting.contains("Tomas Keel"),
        "{meeting}"
    );
    assert!(meeting.contains("\n  rule: meeting."), "{meeting}");
    assert!(
        meeting.contains("evidence: Foreign Minister Ilsa Varro of Norland met Prime Minister Tomas Keel of Estmark in Valdur on Monday."),
        "{meeting}"
    );
    let quote = out
        .split("\n\n")
        .find(|block| block.starts_with("quote by"))
        .unwrap_or_else(|| panic!("no quote explained:\n{out}"));
    assert!(
        quote.starts_with("quote by Ilsa Varro: We agreed on a new border commission"),
        "{quote}"
    );
    assert!(quote.contains("\n  rule: quote."), "{quote}");
}

#[test]
fn the_archive_keeps_the_rule_of_every_meeting_quote_and_person() {
    let sb = archive();
    let empty: i64 = sb.sql(
        "SELECT (SELECT count(*) FROM meetings WHERE rule = '')
              + (SELECT count(*) FROM quotes WHERE rule = '')
              + (SELECT count(*) FROM article_participants WHERE rule = '')",
    );
    assert_eq!(empty, 0);
    let meeting_rules: i64 = sb.sql("SELECT count(*) FROM meetings WHERE rule LIKE 'meeting.%'");
    assert!(meeting_rules > 0);
    // The export's parse records carry the stored rules, as `parley parse` prints them.
    let export = sb.ok(&["export", "--format", "jsonl"]);
    let first: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    let rules: Vec<&str> = first["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().all(|r| r.starts_with("meeting.")), "{rules:?}");
}

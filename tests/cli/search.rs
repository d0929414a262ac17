use super::*;

#[test]
fn matching_articles_come_back_ranked_with_marked_snippets() {
    let sandbox = explored();
    let rows = json_array(&sandbox.ok(&["search", "fisheries", "--format", "json"]));
    let titles: Vec<&str> = rows.iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Fisheries talks in Tokyo",
            "Norway and Canada hold Arctic talks"
        ]
    );
    assert!(
        rows[0]["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("[fisheries]"),
        "{rows:?}"
    );
    assert!(rows[0]["score"].as_f64().unwrap() >= rows[1]["score"].as_f64().unwrap());
}

#[test]
fn words_are_stemmed_and_all_must_match() {
    let sandbox = explored();
    let rows = json_array(&sandbox.ok(&["search", "meeting", "bridge", "--format", "json"]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["title"], "Talks in Quito");
}

#[test]
fn dates_narrow_the_search_and_limit_caps_it() {
    let sandbox = explored();
    let all = json_array(&sandbox.ok(&["search", "minister", "--format", "json"]));
    assert_eq!(all.len(), 6);
    let recent = json_array(&sandbox.ok(&[
        "search",
        "minister",
        "--since",
        "2023-01-01",
        "--format",
        "json",
    ]));
    let days: Vec<&str> = recent
        .iter()
        .map(|r| r["published"].as_str().unwrap())
        .collect();
    assert_eq!(days.len(), 2, "{days:?}");
    assert!(days.iter().all(|d| *d >= "2023-01-01"));
    let old = json_array(&sandbox.ok(&[
        "search",
        "minister",
        "--until",
        "2021-12-31",
        "-n",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(old.len(), 1);
    assert!(old[0]["published"].as_str().unwrap() <= "2021-12-31");
}

#[test]
fn every_output_format_of_query_is_offered() {
    let sandbox = explored();
    let csv = sandbox.ok(&["search", "Quito", "--format", "csv"]);
    assert!(
        csv.starts_with("article_id,published,source,title,snippet,score\n"),
        "{csv}"
    );
    let jsonl = sandbox.ok(&[
        "search", "Quito", "--format", "jsonl", "--mark", "<b>", "</b>",
    ]);
    let line: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert!(
        line["snippet"].as_str().unwrap().contains("<b>Quito</b>"),
        "{line}"
    );
    let table = sandbox.ok(&["search", "Quito", "--format", "table"]);
    assert!(
        table.lines().nth(1).unwrap().starts_with("----------"),
        "{table}"
    );
}

#[test]
fn names_with_hyphens_are_searched_as_phrases() {
    let sandbox = explored();
    let rows = json_array(&sandbox.ok(&["search", "Min-jun", "--format", "json"]));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["title"], "Fisheries talks in Tokyo");
}

#[test]
fn a_query_fts5_cannot_read_is_explained() {
    let sandbox = explored();
    let (ok, _, stderr) = sandbox.run(&["search", "(fisheries"]);
    assert!(!ok);
    assert!(stderr.contains("not valid FTS5 syntax"), "{stderr}");
}

#[test]
fn searching_leaves_the_archive_untouched() {
    let sandbox = explored();
    let before = std::fs::read(sandbox.db()).unwrap();
    sandbox.ok(&["search", "talks", "--quotes", "--format", "json"]);
    sandbox.ok(&[
        "search",
        "talks",
        "--speaker",
        "Brekke",
        "--country",
        "NOR",
        "--format",
        "json",
    ]);
    assert_eq!(std::fs::read(sandbox.db()).unwrap(), before);
}

#[test]
fn datasette_finds_the_indexes_by_their_content_option() {
    let sandbox = explored();
    let sql: String = sandbox.sql("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'");
    assert!(sql.contains("content=\"articles\""), "{sql}");
    let sql: String = sandbox.sql("SELECT sql FROM sqlite_schema WHERE name = 'quotes_fts'");
    assert!(sql.contains("content=\"quotes\""), "{sql}");
}

#[test]
fn a_closed_pipe_ends_search_and_stats_quietly_with_status_zero() {
    let sb = Sandbox::new();
    sb.import_many(150);
    for args in [
        &["search", "Geneva", "-n", "1000", "-f", "jsonl"][..],
        &["search", "--quotes", "agreed", "-n", "1000", "-f", "csv"][..],
        &["stats"][..],
    ] {
        let (status, first, stderr) = sb.piped_to_head(args);
        assert_eq!(status, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        assert!(!first.is_empty(), "{args:?}");
    }
}

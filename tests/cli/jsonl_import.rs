use super::*;

#[test]
fn good_lines_are_imported_and_bad_ones_named_by_line_number() {
    let sandbox = Sandbox::new();
    let dump = input_fixture("dump.jsonl");
    let (ok, _, stderr) = sandbox.run(&["import", "--jsonl", dump.to_str().unwrap()]);
    assert!(!ok, "a dump with bad lines must exit non-zero");
    assert!(stderr.contains("dump.jsonl:2: not valid JSON"), "{stderr}");
    assert!(stderr.contains("dump.jsonl:4: no article text"), "{stderr}");
    assert!(
        stderr.contains("3 inserted, 0 unchanged, 2 failed"),
        "{stderr}"
    );
    assert_eq!(
        sandbox.sql::<i64>("SELECT count(*) FROM articles WHERE raw_format = 'json'"),
        3
    );
}

#[test]
fn each_line_keeps_its_metadata_and_its_line_as_raw_input() {
    let sandbox = Sandbox::new();
    sandbox.run(&[
        "import",
        "--jsonl",
        input_fixture("dump.jsonl").to_str().unwrap(),
    ]);
    let rows = sandbox.rows("SELECT title, published, source, url, path FROM articles ORDER BY id");
    assert_eq!(
        rows[0][..4],
        [
            "Kenya and Ethiopia discuss water",
            "2022-08-19",
            "Rift Wire",
            "https://rift.example/water"
        ]
        .map(String::from)
    );
    assert!(rows[0][4].ends_with("dump.jsonl:1"), "{:?}", rows[0]);
    assert_eq!(
        rows[1][..3],
        ["Fisheries talks in Tokyo", "2021-03-10", "pacific.example"].map(String::from)
    );
    let categories = sandbox.rows(
        "SELECT group_concat(category, '|') FROM (SELECT category FROM article_categories WHERE article_id = 2 ORDER BY position)",
    );
    assert_eq!(categories[0][0], "Asia|Diplomacy");
    let raw: String = sandbox.sql("SELECT raw FROM articles WHERE id = 1");
    assert!(
        raw.starts_with("{\"text\": \"Kenyan Foreign Minister"),
        "{raw}"
    );
}

#[test]
fn a_line_with_html_is_extracted_like_a_page() {
    let sandbox = Sandbox::new();
    sandbox.run(&[
        "import",
        "--jsonl",
        input_fixture("dump.jsonl").to_str().unwrap(),
    ]);
    let rows = sandbox.rows(
        "SELECT title, published, source, url, substr(text, 1, 30) FROM articles WHERE id = 3",
    );
    assert_eq!(
        rows[0],
        [
            "Talks in Quito",
            "2020-06-01",
            "Andes Daily",
            "https://andes.example/quito",
            "Ecuadorian Foreign Minister Ca"
        ]
        .map(String::from)
    );
}

#[test]
fn reimporting_the_same_dump_changes_nothing() {
    let sandbox = Sandbox::new();
    let dump = input_fixture("dump.jsonl");
    sandbox.run(&["import", "--jsonl", dump.to_str().unwrap()]);
    let (_, _, stderr) = sandbox.run(&["import", "--jsonl", dump.to_str().unwrap()]);
    assert!(
        stderr.contains("0 inserted, 3 unchanged, 2 failed"),
        "{stderr}"
    );
    assert_eq!(sandbox.sql::<i64>("SELECT count(*) FROM articles"), 3);
}

#[test]
fn a_dump_is_read_from_standard_input_and_flags_fill_what_lines_lack() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .parley()
        .args(["import", "--jsonl", "-", "--source", "Flag Wire", "--published", "2019-01-01"])
        .write_stdin("{\"text\": \"Irish Foreign Minister Siobhan Byrne met her Danish counterpart in Dublin on Monday.\"}\n{\"text\": \"Second article about talks in Rome between two ministers.\", \"source\": \"Own Wire\"}\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = sandbox.rows("SELECT source, published, path FROM articles ORDER BY id");
    assert_eq!(
        rows,
        vec![
            vec![
                "Flag Wire".to_string(),
                "2019-01-01".into(),
                "<stdin>:1".into()
            ],
            vec![
                "Own Wire".to_string(),
                "2019-01-01".into(),
                "<stdin>:2".into()
            ],
        ]
    );
}

#[test]
fn a_missing_dump_is_an_error_that_names_it() {
    let sandbox = Sandbox::new();
    let (ok, _, stderr) = sandbox.run(&["import", "--jsonl", "nowhere.jsonl"]);
    assert!(!ok);
    assert!(stderr.contains("cannot read nowhere.jsonl"), "{stderr}");
}

use super::*;

#[test]
fn a_page_is_imported_with_its_metadata_and_its_html_kept() {
    let sandbox = Sandbox::new();
    sandbox.ok(&[
        "import",
        input_fixture("pages/oslo-talks.html").to_str().unwrap(),
    ]);
    let rows = sandbox.rows("SELECT title, published, source, url, raw_format FROM articles");
    assert_eq!(
        rows[0],
        [
            "Norway and Canada hold Arctic talks",
            "2024-05-14",
            "The Northern Ledger",
            "https://ledger.example/2024/05/arctic-talks",
            "html"
        ]
        .map(String::from)
    );
    let text: String = sandbox.sql("SELECT text FROM articles");
    assert!(
        text.contains("Halvard Brekke met Canadian Foreign Minister Elise Marchand"),
        "{text}"
    );
    for boilerplate in [
        "Most read",
        "Ferry timetable",
        "All rights reserved",
        "Business",
    ] {
        assert!(
            !text.contains(boilerplate),
            "{boilerplate:?} leaked into the text: {text}"
        );
    }
    let raw: String = sandbox.sql("SELECT raw FROM articles");
    assert!(raw.starts_with("<!doctype html>"));
    assert_eq!(
        sandbox.sql::<String>("SELECT category FROM article_categories WHERE position = 0"),
        "Diplomacy"
    );
}

#[test]
fn a_folder_gives_its_html_and_htm_pages_besides_text_files() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", input_fixture("pages").to_str().unwrap()]);
    let rows = sandbox.rows("SELECT raw_format, published, source FROM articles ORDER BY path");
    assert_eq!(
        rows,
        vec![
            vec![
                "html".to_string(),
                "2023-11-02".into(),
                "Atlantic Wire".into()
            ],
            vec!["text".to_string(), String::new(), String::new()],
            vec![
                "html".to_string(),
                "2024-05-14".into(),
                "The Northern Ledger".into()
            ],
        ]
    );
}

#[test]
fn the_command_line_wins_over_what_the_page_declares() {
    let sandbox = Sandbox::new();
    sandbox.ok(&[
        "import",
        input_fixture("pages/oslo-talks.html").to_str().unwrap(),
        "--published",
        "2024-05-15",
        "--source",
        "Ledger (print)",
    ]);
    let rows = sandbox.rows("SELECT published, source FROM articles");
    assert_eq!(rows[0], ["2024-05-15", "Ledger (print)"].map(String::from));
}

#[test]
fn a_page_with_no_article_text_is_reported_and_the_rest_imported() {
    let sandbox = Sandbox::new();
    let empty = sandbox.path("empty.html");
    std::fs::write(&empty, "<html><head><title>Index</title></head><body><nav><a href=\"/\">Home</a></nav></body></html>").unwrap();
    let (ok, _, stderr) = sandbox.run(&[
        "import",
        empty.to_str().unwrap(),
        input_fixture("pages/lisbon-call.htm").to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("empty.html: no article text found"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 inserted, 0 unchanged, 1 failed"),
        "{stderr}"
    );
}

#[test]
fn a_page_on_standard_input_is_recognised() {
    let sandbox = Sandbox::new();
    let page = std::fs::read_to_string(input_fixture("pages/oslo-talks.html")).unwrap();
    let out = sandbox
        .parley()
        .args(["import", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        sandbox.sql::<String>("SELECT raw_format FROM articles"),
        "html"
    );
}

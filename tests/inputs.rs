//! Real-world inputs and exploration, end to end through the built binary: web pages and JSON Lines
//! dumps in; full-text search, stats, export and the Datasette metadata out. Each test runs in its
//! own temporary folder with its own archive. Fixtures are invented articles (tests/fixtures/inputs).

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::Sandbox;

fn fixture(name: &str) -> PathBuf {
    common::fixture("inputs").join(name)
}

mod jsonl_import {
    use super::*;

    #[test]
    fn good_lines_are_imported_and_bad_ones_named_by_line_number() {
        let sandbox = Sandbox::new();
        let dump = fixture("dump.jsonl");
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
        sandbox.run(&["import", "--jsonl", fixture("dump.jsonl").to_str().unwrap()]);
        let rows =
            sandbox.rows("SELECT title, published, source, url, path FROM articles ORDER BY id");
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
        sandbox.run(&["import", "--jsonl", fixture("dump.jsonl").to_str().unwrap()]);
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
        let dump = fixture("dump.jsonl");
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
}

mod html_import {
    use super::*;

    #[test]
    fn a_page_is_imported_with_its_metadata_and_its_html_kept() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["import", fixture("pages/oslo-talks.html").to_str().unwrap()]);
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
        sandbox.ok(&["import", fixture("pages").to_str().unwrap()]);
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
            fixture("pages/oslo-talks.html").to_str().unwrap(),
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
            fixture("pages/lisbon-call.htm").to_str().unwrap(),
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
        let page = std::fs::read_to_string(fixture("pages/oslo-talks.html")).unwrap();
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
}

fn json_array(text: &str) -> Vec<Value> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not a JSON array ({e}): {text}"))
}

/// An archive with the three good articles of the dump and two pages.
fn explored() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.run(&["import", "--jsonl", fixture("dump.jsonl").to_str().unwrap()]);
    sandbox.ok(&["import", fixture("pages").to_str().unwrap()]);
    sandbox
}

mod search {
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
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zarif-islamabad.txt");

mod stats {
    use super::*;

    #[test]
    fn stats_give_rows_per_table_the_date_range_and_top_sources() {
        let sandbox = explored();
        let stats: Value =
            serde_json::from_str(&sandbox.ok(&["stats", "--format", "json"])).unwrap();
        let articles = stats["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "articles")
            .unwrap();
        assert_eq!(articles["count"], 6);
        assert_eq!(stats["first_published"], "2020-06-01");
        assert_eq!(stats["last_published"], "2024-05-14");
        assert_eq!(stats["undated"], 1);
        let formats: Vec<(&str, i64)> = stats["formats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap(), f["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(formats, [("json", 3), ("html", 2), ("text", 1)]);
        assert_eq!(stats["top_sources"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn stats_as_text_show_each_section_as_a_table() {
        let sandbox = explored();
        let text = sandbox.ok(&["stats"]);
        assert!(
            text.contains("published 2020-06-01 to 2024-05-14, 1 undated"),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("articles ") && l.trim_end().ends_with(" 6")),
            "{text}"
        );
        assert!(text.lines().any(|l| l.starts_with("source ")), "{text}");
    }
}

mod export {
    use super::*;

    #[test]
    fn an_exported_article_is_the_record_parse_prints() {
        let sandbox = Sandbox::new();
        sandbox.ok(&["import", EXAMPLE]);
        let exported = sandbox.ok(&["export"]);
        assert_eq!(exported.lines().count(), 1);
        let exported: Value = serde_json::from_str(exported.lines().next().unwrap()).unwrap();
        let mut parsed: Value = serde_json::from_str(&sandbox.ok(&["parse", EXAMPLE])).unwrap();
        // The archive has no column for a meeting's rule yet (issue 14: a migration adds it);
        // until then export gives it empty.
        for m in parsed["meetings"].as_array_mut().unwrap() {
            m["rule"] = Value::String(String::new());
        }
        for field in ["article", "meetings", "quotes", "issues"] {
            assert_eq!(exported[field], parsed[field], "{field} differs");
        }
        let people = |record: &Value| -> Vec<Value> {
            record["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| serde_json::json!([p["name"], p["title"], p["country"], p["span"]]))
                .collect()
        };
        assert_eq!(people(&exported), people(&parsed));
        for (mine, theirs) in exported["participants"]
            .as_array()
            .unwrap()
            .iter()
            .zip(parsed["participants"].as_array().unwrap())
        {
            let mut a: Vec<&str> = mine["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let mut b: Vec<&str> = theirs["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            a.sort();
            b.sort();
            b.retain(|alias| *alias != theirs["name"]);
            assert_eq!(a, b, "aliases of {}", mine["name"]);
        }
    }

    #[test]
    fn an_export_rebuilds_the_archive_elsewhere() {
        let sandbox = explored();
        sandbox.ok(&["import", EXAMPLE]);
        let exported = sandbox.ok(&["export"]);
        assert_eq!(exported.lines().count(), 7);
        let out = sandbox
            .parley()
            .args(["--db", "copy.db", "import", "--jsonl", "-"])
            .write_stdin(exported.clone())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = sandbox.ok(&["--db", "copy.db", "export"]);
        assert_eq!(again, exported);
    }

    #[test]
    fn csv_exports_write_a_view_with_its_header() {
        let sandbox = explored();
        let csv = sandbox.ok(&["export", "--format", "csv", "--records", "articles"]);
        let mut lines = csv.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("id,published,source,title,url,path,raw_format,categories"),
            "{csv}"
        );
        assert_eq!(lines.count(), 6);
        let quotes = sandbox.ok(&["export", "--format", "csv", "--records", "quotes"]);
        assert!(quotes.starts_with("quote_id,article_id"), "{quotes}");
    }
}

mod datasette {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn the_metadata_names_every_report_with_its_parameters() {
        let sandbox = explored();
        sandbox.ok(&["datasette", "-o", "meta.json"]);
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(sandbox.path("meta.json")).unwrap())
                .unwrap();
        let reports = json_array(&sandbox.ok(&["report", "list", "--format", "json"]));
        let queries = meta["databases"]["parley"]["queries"].as_object().unwrap();
        assert_eq!(queries.len(), reports.len());
        for report in &reports {
            let query = &queries[report["name"].as_str().unwrap()];
            assert_eq!(query["title"], report["title"]);
            assert!(
                query["description"]
                    .as_str()
                    .unwrap()
                    .starts_with(report["description"].as_str().unwrap())
            );
        }
        assert_eq!(
            meta["databases"]["parley"]["tables"]["participants"]["label_column"],
            "name"
        );
    }

    /// `datasette` on PATH, if any: this test installs nothing (CI pip-installs it).
    fn find_datasette() -> Option<PathBuf> {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join("datasette"))
            .find(|p| p.is_file())
    }

    struct Server(Child);

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// GET over plain HTTP/1.0 on loopback (no chunked bodies): (status, body).
    fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok((status, body.to_string()))
    }

    /// A value for a report's required parameter: a name or a country the test archive has.
    fn value_for(param: &str) -> &'static str {
        match param {
            "a" | "country" => "IRN",
            "b" => "PAK",
            _ => "Zarif",
        }
    }

    #[test]
    fn datasette_serves_every_saved_report_as_parley_runs_it() {
        let Some(datasette) = find_datasette() else {
            eprintln!("skipped: datasette is not on PATH (pip install datasette to run this test)");
            return;
        };
        let sandbox = explored();
        sandbox.ok(&["import", EXAMPLE]);
        sandbox.ok(&["datasette", "-o", "metadata.yml"]);
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(sandbox.path("datasette.log")).unwrap();
        let _server = Server(
            std::process::Command::new(datasette)
                .current_dir(sandbox.dir.path())
                .args([
                    "serve",
                    "parley.db",
                    "-m",
                    "metadata.yml",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                ])
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap(),
        );
        let started = Instant::now();
        while !matches!(get(port, "/-/versions.json"), Ok((200, _))) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "datasette did not start: {}",
                std::fs::read_to_string(sandbox.path("datasette.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }

        let reports = json_array(&sandbox.ok(&["report", "list", "--format", "json"]));
        assert!(reports.len() >= 5);
        for report in &reports {
            let name = report["name"].as_str().unwrap();
            let required: Vec<&str> = report["parameters"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .filter(|p| !p.contains('='))
                .collect();
            let mut url = format!("/parley/{name}.json?_shape=array");
            let mut run = vec!["report", "run", name, "--format", "json"];
            for param in &required {
                url.push_str(&format!("&{param}={}", value_for(param)));
                run.extend(["-p", param, value_for(param)]);
            }
            let (status, body) = get(port, &url).unwrap();
            assert_eq!(status, 200, "{url}: {body}");
            let served = json_array(&body);
            let expected = json_array(&sandbox.ok(&run));
            assert_eq!(
                served, expected,
                "report {name}: Datasette and parley disagree"
            );
        }
        let (status, body) =
            get(port, "/parley/articles.json?_search=fisheries&_shape=array").unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            json_array(&body).len(),
            2,
            "Datasette's search box uses the FTS index"
        );
    }
}

mod ergonomics {
    use super::*;

    #[test]
    fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
        let sandbox = Sandbox::new();
        let (_, _, stderr) =
            sandbox.run(&["import", "--jsonl", fixture("dump.jsonl").to_str().unwrap()]);
        assert!(!stderr.contains("importing"), "{stderr}");
        assert!(
            !stderr.contains('\u{1b}'),
            "escape codes in a pipe: {stderr:?}"
        );
        assert_eq!(
            stderr.lines().count(),
            3,
            "two bad lines and the summary: {stderr}"
        );
    }

    #[test]
    fn quiet_imports_and_reparses_report_only_failures() {
        let sandbox = Sandbox::new();
        let (_, _, stderr) = sandbox.run(&[
            "import",
            "-q",
            "--jsonl",
            fixture("dump.jsonl").to_str().unwrap(),
        ]);
        assert_eq!(stderr.lines().count(), 2, "{stderr}");
        assert!(
            stderr.lines().all(|l| l.contains("dump.jsonl:")),
            "{stderr}"
        );
        let (ok, _, stderr) = sandbox.run(&["reparse", "--quiet"]);
        assert!(ok, "{stderr}");
    }

    #[test]
    fn completions_are_generated_for_each_shell_and_know_the_subcommands() {
        let sandbox = Sandbox::new();
        let bash = sandbox.ok(&["completions", "bash"]);
        for word in ["search", "export", "datasette", "--jsonl"] {
            assert!(bash.contains(word), "bash completion lacks {word}");
        }
        for shell in ["zsh", "fish", "elvish", "powershell"] {
            assert!(
                sandbox.ok(&["completions", shell]).contains("parley"),
                "{shell}"
            );
        }
        let (ok, _, stderr) = sandbox.run(&["completions", "tcsh"]);
        assert!(!ok);
        assert!(stderr.contains("possible values"), "{stderr}");
    }

    /// Runs parley on a pseudo-terminal with util-linux `script`, returning what the terminal got;
    /// `None` (with a notice) where `script` is missing.
    fn on_a_terminal(sandbox: &Sandbox, args: &[&str], no_color: bool) -> Option<String> {
        if !Path::new("/usr/bin/script").exists() {
            eprintln!("skipped: util-linux script is not installed");
            return None;
        }
        let binary = assert_cmd::cargo::cargo_bin("parley");
        let command = std::iter::once(binary.to_str().unwrap())
            .chain(args.iter().copied())
            .map(|word| format!("'{}'", word.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ");
        let mut script = std::process::Command::new("/usr/bin/script");
        script
            .current_dir(sandbox.dir.path())
            .args(["-qec", &command, "/dev/null"])
            .env_remove("PARLEY_DB");
        if no_color {
            script.env("NO_COLOR", "1");
        } else {
            script.env_remove("NO_COLOR");
        }
        let out = script.stdin(std::process::Stdio::null()).output().unwrap();
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn a_terminal_sees_a_progress_bar_coloured_unless_no_color_is_set() {
        let sandbox = Sandbox::new();
        let dump = fixture("dump.jsonl");
        let Some(coloured) = on_a_terminal(
            &sandbox,
            &["import", "--jsonl", dump.to_str().unwrap()],
            false,
        ) else {
            return;
        };
        assert!(coloured.contains("importing"), "{coloured:?}");
        assert!(coloured.contains("\u{1b}[32m"), "{coloured:?}");
        let plain = on_a_terminal(&sandbox, &["reparse"], true).unwrap();
        assert!(plain.contains("reparsing"), "{plain:?}");
        assert!(
            !plain.contains("\u{1b}[3"),
            "colour despite NO_COLOR: {plain:?}"
        );
        let help = on_a_terminal(&sandbox, &["search", "--help"], true).unwrap();
        assert!(
            help.contains("--speaker") && !help.contains("\u{1b}["),
            "{help:?}"
        );
        let quiet = on_a_terminal(&sandbox, &["reparse", "--quiet"], false).unwrap();
        assert!(!quiet.contains("reparsing"), "{quiet:?}");
    }
}

mod other_clients {
    use super::*;

    /// A tiny SQLite client compiled from the amalgamation that rusqlite bundles, without FTS5 (the
    /// amalgamation leaves it out unless asked), so the test sees what such a client sees.
    const CLIENT: &str = r#"
#include <stdio.h>
#include "sqlite3.h"
static int row(void *u, int n, char **v, char **c) {
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", v[i] ? v[i] : "");
  printf("\n");
  return 0;
}
int main(int argc, char **argv) {
  sqlite3 *db;
  char *err = 0;
  printf("fts5=%d\n", sqlite3_compileoption_used("ENABLE_FTS5"));
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) return 2;
  for (int i = 2; i < argc; i++) {
    printf("> %s\n", argv[i]);
    if (sqlite3_exec(db, argv[i], row, 0, &err) != SQLITE_OK) { printf("ERROR %s\n", err); sqlite3_free(err); }
  }
  return sqlite3_close(db);
}
"#;

    fn bundled_amalgamation() -> Option<PathBuf> {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
        let mut found = Vec::new();
        for registry in std::fs::read_dir(cargo_home.join("registry/src"))
            .ok()?
            .flatten()
        {
            for package in std::fs::read_dir(registry.path()).ok()?.flatten() {
                let source = package.path().join("sqlite3/sqlite3.c");
                if package
                    .file_name()
                    .to_string_lossy()
                    .starts_with("libsqlite3-sys-")
                    && source.is_file()
                {
                    found.push(source);
                }
            }
        }
        found.sort();
        found.pop()
    }

    #[test]
    fn a_client_without_fts5_reads_every_table_and_view() {
        let (Some(amalgamation), true) =
            (bundled_amalgamation(), Path::new("/usr/bin/cc").exists())
        else {
            eprintln!("skipped: no C compiler or no bundled SQLite source in the cargo registry");
            return;
        };
        let sandbox = explored();
        sandbox.ok(&["import", EXAMPLE]);
        std::fs::write(sandbox.path("client.c"), CLIENT).unwrap();
        let built = std::process::Command::new("/usr/bin/cc")
            .current_dir(sandbox.dir.path())
            .arg("-I")
            .arg(amalgamation.parent().unwrap())
            .args(["-O0", "-o", "client", "client.c"])
            .arg(&amalgamation)
            .args(["-lpthread", "-ldl", "-lm"])
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );

        let objects = sandbox.rows(
            "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%' ORDER BY name",
        );
        let mut statements: Vec<String> = objects
            .iter()
            .map(|o| format!("SELECT count(*) FROM \"{}\"", o[0]))
            .collect();
        statements.push("SELECT count(*) FROM articles_fts".into());
        let out = std::process::Command::new(sandbox.path("client"))
            .arg(sandbox.db())
            .args(&statements)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.starts_with("fts5=0\n"), "{out}");
        let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("ERROR")).collect();
        assert_eq!(
            errors,
            ["ERROR no such module: fts5"],
            "only the index itself needs FTS5: {out}"
        );
        assert!(objects.len() >= 15, "{objects:?}");
    }
}

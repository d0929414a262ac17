//! The `parley` binary end to end, organised by subcommand. Each test runs the built binary in a
//! temporary folder with its own archive.

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;
use rusqlite::Connection;
use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zarif-islamabad.txt");

mod common;

use common::{Sandbox, fixture};

/// An archive of the example and two fixture articles.
fn archive() -> Sandbox {
    let sb = Sandbox::new();
    sb.import(&[
        Path::new(EXAMPLE),
        &fixture("norland-talks.txt"),
        &fixture("phone-call.txt"),
    ])
    .success();
    sb
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

mod import {
    use super::*;

    #[test]
    fn importing_the_example_stores_it_in_parley_db_by_default() {
        let sb = Sandbox::new();
        sb.import(&[Path::new(EXAMPLE)])
            .success()
            .stderr(predicate::str::contains(
                "1 inserted, 0 unchanged, 0 failed",
            ));
        assert_eq!(sb.sql::<i64>("SELECT count(*) FROM articles"), 1);
        let stored: String = sb.sql("SELECT text FROM articles");
        assert_eq!(stored, fs::read_to_string(EXAMPLE).unwrap().trim_end());
    }

    #[test]
    fn reimporting_the_same_article_changes_nothing() {
        let sb = Sandbox::new();
        sb.import(&[Path::new(EXAMPLE), &fixture("norland-talks.txt")])
            .success();
        let counts = |sb: &Sandbox| -> Vec<i64> {
            [
                "articles",
                "participants",
                "article_participants",
                "meetings",
                "meeting_participants",
                "quotes",
                "parse_issues",
            ]
            .iter()
            .map(|t| sb.sql(&format!("SELECT count(*) FROM {t}")))
            .collect()
        };
        let before = counts(&sb);
        let imported_at: String = sb.sql("SELECT group_concat(imported_at) FROM articles");
        sb.import(&[Path::new(EXAMPLE), &fixture("norland-talks.txt")])
            .success()
            .stderr(predicate::str::contains(
                "0 inserted, 2 unchanged, 0 failed",
            ));
        assert_eq!(counts(&sb), before);
        assert_eq!(
            sb.sql::<String>("SELECT group_concat(imported_at) FROM articles"),
            imported_at
        );
    }

    #[test]
    fn the_same_text_with_other_line_ends_is_the_same_article() {
        let sb = Sandbox::new();
        fs::write(
            sb.path("lf.txt"),
            "Plain text with a Windows line end\nand a second line about nothing.\n",
        )
        .unwrap();
        sb.import(&[&fixture("crlf.txt")]).success();
        sb.import(&[&sb.path("lf.txt")])
            .success()
            .stderr(predicate::str::contains("0 inserted, 1 unchanged"));
        let raw: String = sb.sql("SELECT raw FROM articles");
        assert!(raw.contains("\r\n"), "the raw text is kept verbatim");
        assert!(!sb.sql::<String>("SELECT text FROM articles").contains('\r'));
    }

    #[test]
    fn a_folder_is_searched_recursively_for_text_files() {
        let sb = Sandbox::new();
        let nested = sb.path("in/deeper");
        fs::create_dir_all(&nested).unwrap();
        fs::copy(fixture("norland-talks.txt"), sb.path("in/a.txt")).unwrap();
        fs::copy(fixture("phone-call.txt"), nested.join("b.txt")).unwrap();
        fs::write(nested.join("notes.md"), "not an article").unwrap();
        sb.import(&[&sb.path("in")])
            .success()
            .stderr(predicate::str::contains("2 inserted"));
    }

    #[test]
    fn standard_input_is_read_with_a_dash_and_takes_the_metadata_flags() {
        let sb = Sandbox::new();
        sb.parley()
            .args([
                "import",
                "-",
                "--published",
                "2021-05-06",
                "--source",
                "Wire",
                "--url",
                "https://example.org/a",
            ])
            .write_stdin(fs::read(fixture("phone-call.txt")).unwrap())
            .assert()
            .success();
        let row: (Option<String>, String, String, Option<String>) = Connection::open(sb.db())
            .unwrap()
            .query_row(
                "SELECT published, source, url, path FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                Some("2021-05-06".into()),
                "Wire".into(),
                "https://example.org/a".into(),
                None
            )
        );
    }

    #[test]
    fn bad_files_are_reported_with_their_reason_and_do_not_stop_the_others() {
        let sb = Sandbox::new();
        fs::write(sb.path("empty.txt"), "  \n").unwrap();
        fs::write(
            sb.path("binary.txt"),
            [0u8, 1, 2, 3, 0, 0, 0xff, 0x10, 0, 0, 0, 0],
        )
        .unwrap();
        fs::write(sb.path("latin1.txt"), b"Caf\xe9 diplomacy in Paris").unwrap();
        let assert = sb
            .import(&[
                &sb.path("empty.txt"),
                &sb.path("binary.txt"),
                &fixture("norland-talks.txt"),
                &sb.path("latin1.txt"),
                &sb.path("missing.txt"),
            ])
            .failure();
        let stderr = stderr_of(&assert);
        assert!(stderr.contains("empty.txt: empty"), "{stderr}");
        assert!(stderr.contains("binary.txt: not text"), "{stderr}");
        assert!(
            stderr.contains("latin1.txt: not UTF-8: invalid byte at offset 3"),
            "{stderr}"
        );
        assert!(stderr.contains("missing.txt: no such file"), "{stderr}");
        assert!(
            stderr.contains("1 inserted, 0 unchanged, 4 failed"),
            "{stderr}"
        );
        assert_eq!(sb.sql::<i64>("SELECT count(*) FROM articles"), 1);
    }

    #[test]
    fn a_bad_published_date_is_refused_before_anything_is_written() {
        let sb = Sandbox::new();
        sb.parley()
            .args(["import", EXAMPLE, "--published", "11/11/2020"])
            .assert()
            .failure();
        assert!(!sb.db().exists());
    }

    #[test]
    fn the_database_can_be_chosen_with_the_environment() {
        let sb = Sandbox::new();
        sb.parley()
            .env("PARLEY_DB", sb.path("other.db"))
            .args(["import", EXAMPLE])
            .assert()
            .success();
        assert!(sb.path("other.db").exists());
        assert!(!sb.db().exists());
    }
}

mod parse {
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
}

mod query {
    use super::*;

    #[test]
    fn json_is_the_default_when_stdout_is_not_a_terminal() {
        let sb = archive();
        let out = sb
            .parley()
            .args(["query", "SELECT count(*) AS n FROM articles"])
            .output()
            .unwrap();
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(rows, serde_json::json!([{"n": 3}]));
    }

    #[test]
    fn every_output_format_is_written() {
        let sb = archive();
        let sql = "SELECT 'a,b' AS x, 2 AS y, NULL AS z";
        let run = |format: &str| -> String {
            let out = sb
                .parley()
                .args(["query", "--format", format, sql])
                .output()
                .unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        };
        assert_eq!(run("csv"), "x,y,z\n\"a,b\",2,\n");
        assert_eq!(run("tsv"), "x\ty\tz\na,b\t2\t\n");
        assert_eq!(run("jsonl"), "{\"x\":\"a,b\",\"y\":2,\"z\":null}\n");
        assert_eq!(run("table"), "x    y  z\n---  -  -\na,b  2\n");
    }

    #[test]
    fn named_parameters_are_bound_not_formatted_into_sql() {
        let sb = archive();
        let out = sb
            .parley()
            .args([
                "query",
                "--format",
                "csv",
                "SELECT :who AS who, :n + 1 AS next",
                "-p",
                "who",
                "x'); DROP TABLE articles; --",
                "-p",
                "n",
                "41",
            ])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "who,next\nx'); DROP TABLE articles; --,42\n"
        );
    }

    #[test]
    fn sql_can_come_from_standard_input() {
        let sb = archive();
        sb.parley()
            .args(["query", "--format", "csv", "-"])
            .write_stdin("SELECT count(*) AS n FROM quotes WHERE 0")
            .assert()
            .success()
            .stdout("n\n0\n");
    }

    #[test]
    fn writes_are_refused_and_the_archive_is_untouched() {
        let sb = archive();
        let before = fs::read(sb.db()).unwrap();
        for sql in [
            "DELETE FROM articles",
            "DROP TABLE quotes",
            "UPDATE articles SET title = 'x'",
            "PRAGMA user_version = 7",
        ] {
            let assert = sb.parley().args(["query", sql]).assert().failure();
            let stderr = stderr_of(&assert);
            assert!(
                stderr.contains("only reads") || stderr.contains("readonly"),
                "{sql}: {stderr}"
            );
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
        assert_eq!(fs::read(sb.db()).unwrap(), before);
    }

    #[test]
    fn a_missing_archive_is_a_clear_error_and_is_not_created() {
        let sb = Sandbox::new();
        sb.parley()
            .args(["query", "SELECT 1"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("no archive at"));
        assert!(!sb.db().exists());
    }

    #[test]
    fn bad_sql_says_what_sqlite_says() {
        let sb = archive();
        sb.parley()
            .args(["query", "SELECT nope FROM articles"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("no such column: nope"));
    }

    #[test]
    fn a_closed_pipe_ends_quietly() {
        let sb = archive();
        let out = StdCommand::new("sh")
            .arg("-c")
            .arg(format!(
                "{} --db {} query --format jsonl \"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) SELECT i FROM n\" | head -n 1",
                assert_cmd::cargo::cargo_bin("parley").display(),
                sb.db().display()
            ))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "{\"i\":1}\n");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    }
}

mod report {
    use super::*;

    #[test]
    fn the_list_shows_at_least_five_reports_with_their_parameters() {
        let sb = Sandbox::new();
        let out = sb
            .parley()
            .args(["report", "list", "--format", "json"])
            .output()
            .unwrap();
        let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(reports.len() >= 5);
        assert!(
            reports
                .iter()
                .any(|r| r["name"] == "person-meetings" && r["parameters"] == "name")
        );
    }

    #[test]
    fn every_shipped_report_runs_on_an_archive() {
        let sb = archive();
        let out = sb
            .parley()
            .args(["report", "list", "--format", "json"])
            .output()
            .unwrap();
        let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        for report in reports {
            let name = report["name"].as_str().unwrap();
            let mut cmd = sb.parley();
            cmd.args(["report", "run", name, "--format", "json"]);
            for param in report["parameters"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .filter(|p| !p.contains('='))
            {
                let value = match param {
                    "a" | "country" => "NOR",
                    "b" => "CHL",
                    _ => "Kessler",
                };
                cmd.args(["-p", param, value]);
            }
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap();
        }
    }

    #[test]
    fn an_unknown_report_lists_the_available_ones() {
        let sb = archive();
        sb.parley()
            .args(["report", "run", "nope"])
            .assert()
            .failure()
            .stderr(
                predicate::str::contains("no report named \"nope\" (available: ")
                    .and(predicate::str::contains("person-meetings")),
            );
    }

    #[test]
    fn a_missing_or_unexpected_parameter_lists_what_the_report_takes() {
        let sb = archive();
        sb.parley()
            .args(["report", "run", "person-quotes"])
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "needs parameter name (it takes: name, kind (default direct))",
            ));
        sb.parley()
            .args([
                "report",
                "run",
                "person-quotes",
                "-p",
                "name",
                "X",
                "-p",
                "colour",
                "red",
            ])
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "has no parameter colour (it takes: name, kind (default direct))",
            ));
    }

    #[test]
    fn a_users_reports_folder_adds_reports() {
        let sb = archive();
        let dir = sb.path("my-reports");
        fs::create_dir(&dir).unwrap();
        fs::write(
            dir.join("articles-from.sql"),
            "-- title: Articles from a source\n-- description: Titles of one outlet's articles.\n-- param: source  the outlet\nSELECT title FROM articles WHERE source = :source\n",
        )
        .unwrap();
        sb.parley()
            .args(["report", "--reports"])
            .arg(&dir)
            .args([
                "run",
                "articles-from",
                "-p",
                "source",
                "nobody",
                "--format",
                "csv",
            ])
            .assert()
            .success()
            .stdout("title\n");
    }

    #[test]
    fn the_example_archive_answers_who_met_zarif() {
        let sb = Sandbox::new();
        sb.import(&[Path::new(EXAMPLE)]).success();
        let out = sb
            .parley()
            .args([
                "report",
                "run",
                "person-meetings",
                "-p",
                "name",
                "Zarif",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let mut met: Vec<&str> = rows.iter().map(|r| r["met"].as_str().unwrap()).collect();
        met.sort();
        assert_eq!(met, ["Imran Khan", "Shah Mahmoud Qureshi"]);
        assert!(
            rows.iter()
                .all(|r| r["place"] == "Islamabad" && r["day"] == "2020-11-11")
        );
    }
}

mod migrate {
    use super::*;

    #[test]
    fn listing_a_file_that_does_not_exist_shows_everything_pending_and_creates_nothing() {
        let sb = Sandbox::new();
        sb.parley()
            .args(["migrate", "--list"])
            .assert()
            .success()
            .stdout(predicate::str::contains("V1__create_articles  pending"));
        assert!(!sb.db().exists());
    }

    #[test]
    fn migrating_applies_every_migration_and_stamps_the_header() {
        let sb = Sandbox::new();
        sb.parley().arg("migrate").assert().success();
        let out = sb.parley().args(["migrate", "--list"]).output().unwrap();
        let listing = String::from_utf8(out.stdout).unwrap();
        assert!(!listing.contains("pending"), "{listing}");
        let latest = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
            .unwrap()
            .filter_map(|entry| {
                let name = entry.unwrap().file_name().into_string().unwrap();
                name.strip_prefix('V')?
                    .split("__")
                    .next()?
                    .parse::<i64>()
                    .ok()
            })
            .max()
            .unwrap();
        assert_eq!(sb.sql::<i64>("PRAGMA user_version"), latest);
        assert_eq!(sb.sql::<i64>("PRAGMA application_id"), 0x5052_4C59);
        assert_eq!(sb.sql::<String>("PRAGMA journal_mode"), "delete");
        sb.parley().arg("migrate").assert().success();
    }

    #[test]
    fn a_file_from_a_newer_parley_is_refused_untouched() {
        let sb = Sandbox::new();
        sb.import(&[Path::new(EXAMPLE)]).success();
        {
            let conn = Connection::open(sb.db()).unwrap();
            conn.execute_batch(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'from_the_future', '2030-01-01', '1');
                 PRAGMA user_version = 999;",
            )
            .unwrap();
        }
        let before = fs::read(sb.db()).unwrap();
        for args in [
            vec!["import", "../x.txt"],
            vec!["query", "SELECT 1"],
            vec!["migrate"],
            vec!["reparse"],
        ] {
            let assert = sb.parley().args(&args).assert().failure();
            let stderr = stderr_of(&assert);
            assert!(
                stderr.contains("written by a newer parley (schema version 999"),
                "{args:?}: {stderr}"
            );
        }
        sb.import(&[&fixture("phone-call.txt")]).failure();
        assert_eq!(fs::read(sb.db()).unwrap(), before);
    }

    #[test]
    fn a_foreign_sqlite_file_is_refused_untouched() {
        let sb = Sandbox::new();
        Connection::open(sb.db())
            .unwrap()
            .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
            .unwrap();
        let before = fs::read(sb.db()).unwrap();
        sb.import(&[Path::new(EXAMPLE)])
            .failure()
            .stderr(predicate::str::contains("not a parley archive"));
        sb.parley()
            .args(["query", "SELECT 1"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("not a parley archive"));
        assert_eq!(fs::read(sb.db()).unwrap(), before);
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused_untouched() {
        let sb = Sandbox::new();
        fs::write(sb.db(), "these are my notes, not a database\n".repeat(200)).unwrap();
        let before = fs::read(sb.db()).unwrap();
        sb.import(&[Path::new(EXAMPLE)])
            .failure()
            .stderr(predicate::str::contains("is not a SQLite database"));
        assert_eq!(fs::read(sb.db()).unwrap(), before);
    }
}

mod reparse {
    use super::*;

    #[test]
    fn reparse_rebuilds_the_same_rows_and_records_the_parser_version() {
        let sb = Sandbox::new();
        sb.import(&[Path::new(EXAMPLE), &fixture("norland-talks.txt")])
            .success();
        let snapshot = |sb: &Sandbox| -> Vec<Value> {
            sb.query_json("SELECT meeting_id, name, place, date FROM meeting_attendance ORDER BY meeting_id, name")
                .into_iter()
                .map(|mut row| {
                    row.as_object_mut().unwrap().remove("meeting_id");
                    row
                })
                .collect()
        };
        let before = snapshot(&sb);
        Connection::open(sb.db())
            .unwrap()
            .execute("UPDATE articles SET parser_version = 0 WHERE id = 1", [])
            .unwrap();
        sb.parley()
            .args(["reparse", "--stale"])
            .assert()
            .success()
            .stderr(predicate::str::contains("1 articles reparsed"));
        assert_eq!(
            sb.sql::<i64>("SELECT min(parser_version) FROM articles"),
            sb.sql::<i64>("SELECT max(parser_version) FROM articles")
        );
        sb.parley()
            .arg("reparse")
            .assert()
            .success()
            .stderr(predicate::str::contains("2 articles reparsed"));
        assert_eq!(snapshot(&sb), before);
        assert_eq!(sb.sql::<i64>("SELECT count(*) FROM articles"), 2);
    }
}

mod clients {
    use super::*;

    fn views(sb: &Sandbox) -> Vec<String> {
        let conn = Connection::open(sb.db()).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn the_sqlite3_shell_reads_every_view() {
        let sb = archive();
        let views = views(&sb);
        assert!(views.len() >= 6, "{views:?}");
        for view in views {
            let out = StdCommand::new("sqlite3")
                .arg("-bail")
                .arg(sb.db())
                .arg(format!("SELECT count(*) FROM {view};"))
                .output()
                .expect("the sqlite3 shell is installed (.ci/run installs it)");
            assert!(
                out.status.success(),
                "{view}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    #[test]
    fn pythons_sqlite3_module_reads_every_view() {
        let sb = archive();
        let script = format!(
            "import sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\nfor v in {:?}:\n    rows = con.execute(f'SELECT * FROM {{v}}').fetchall()\n    print(v, len(rows))\n",
            views(&sb)
        );
        let out = StdCommand::new("python3")
            .arg("-c")
            .arg(script)
            .arg(sb.db())
            .output()
            .expect("python3 is installed");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("meeting_attendance"));
    }

    #[test]
    fn the_schema_uses_only_what_every_client_understands() {
        let sb = archive();
        let schema: String =
            sb.sql("SELECT group_concat(sql, char(10)) FROM sqlite_schema WHERE sql IS NOT NULL");
        assert!(
            !schema.to_uppercase().contains("STRICT"),
            "no STRICT tables"
        );
        assert!(
            !schema.to_uppercase().contains("GENERATED ALWAYS"),
            "no generated columns"
        );
        assert!(!schema.contains("->"), "no JSON arrow operators");
        assert_eq!(sb.sql::<String>("PRAGMA journal_mode"), "delete");
        assert_eq!(
            sb.sql::<i64>("SELECT count(*) FROM pragma_foreign_key_check"),
            0
        );
    }

    #[test]
    fn every_foreign_key_is_indexed() {
        let sb = archive();
        let conn = Connection::open(sb.db()).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            )
            .unwrap();
        let keys: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!keys.is_empty());
        for (table, column) in keys {
            let indexed: bool = conn
                .query_row(
                    // An index that starts with the column, or the column is the table's rowid
                    // (a single-column INTEGER PRIMARY KEY).
                    "SELECT EXISTS (SELECT 1 FROM pragma_index_list(?1) l, pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ?2)
                         OR (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1
                            AND EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 AND pk = 1 AND upper(type) = 'INTEGER')",
                    [&table, &column],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(indexed, "{table}.{column} has no index");
        }
    }
}

mod people {
    use super::*;

    fn archive() -> Sandbox {
        let sb = Sandbox::new();
        let dir = fixture("people");
        sb.import(&[
            &dir.join("a-full-names.txt"),
            &dir.join("b-short-forms.txt"),
            &dir.join("c-namesake.txt"),
        ])
        .success();
        sb
    }

    fn names(sb: &Sandbox) -> Vec<String> {
        sb.query_json("SELECT name FROM participants ORDER BY name")
            .into_iter()
            .map(|row| row["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn a_short_form_joins_the_person_and_a_namesake_from_another_country_does_not() {
        let sb = archive();
        let kesslers: Vec<Value> =
            sb.query_json("SELECT written_as, person, country, rule FROM identity_matches WHERE person LIKE '%Kessler' ORDER BY mention_id");
        assert_eq!(kesslers.len(), 3, "{kesslers:?}");
        assert_eq!(
            kesslers[1]["person"], kesslers[0]["person"],
            "Kessler of Norway is Arvid Kessler: {kesslers:?}"
        );
        let ids: Vec<Value> = sb.query_json(
            "SELECT count(DISTINCT participant_id) AS people FROM article_participants WHERE name LIKE '%Kessler'",
        );
        assert_eq!(ids[0]["people"], 2, "the Swedish namesake stays apart");
    }

    #[test]
    fn merge_rename_and_set_country_are_kept_through_reparse() {
        let sb = archive();
        sb.parley()
            .args(["people", "rename", "Paula Errazuriz", "Paula E. Errazuriz"])
            .assert()
            .success();
        sb.parley()
            .args(["people", "set-country", "Mette Lindqvist", "dnk"])
            .assert()
            .success();
        let before = names(&sb);
        assert!(
            before.contains(&"Paula E. Errazuriz".to_string()),
            "{before:?}"
        );
        sb.parley().arg("reparse").assert().success();
        assert_eq!(names(&sb), before);
        let country: Vec<Value> = sb
            .query_json("SELECT country FROM article_participants WHERE name = 'Mette Lindqvist'");
        assert_eq!(country[0]["country"], "DNK");
    }

    #[test]
    fn a_name_that_is_nobody_or_several_people_is_a_clear_error() {
        let sb = archive();
        sb.parley()
            .args(["people", "merge", "Nobody Atall", "Arvid Kessler"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("nobody named \"Nobody Atall\""));
        sb.parley()
            .args(["people", "set-title", "Arvid Kessler", "Envoy"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("could be several people"));
    }

    #[test]
    fn the_registry_round_trips_between_archives() {
        let sb = archive();
        sb.parley()
            .args(["people", "rename", "Paula Errazuriz", "Paula E. Errazuriz"])
            .assert()
            .success();
        let out = sb.parley().args(["people", "export"]).output().unwrap();
        assert!(out.status.success());
        fs::write(sb.path("registry.json"), &out.stdout).unwrap();
        let other = sb.path("other.db");
        sb.parley()
            .arg("--db")
            .arg(&other)
            .args(["people", "import", "registry.json"])
            .assert()
            .success();
        sb.parley()
            .arg("--db")
            .arg(&other)
            .arg("import")
            .arg(fixture("people/a-full-names.txt"))
            .assert()
            .success();
        let out = sb
            .parley()
            .arg("--db")
            .arg(&other)
            .args([
                "query",
                "SELECT name FROM participants ORDER BY name",
                "-f",
                "csv",
            ])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("Paula E. Errazuriz"));
    }

    #[test]
    fn the_ambiguous_list_is_a_table_of_mentions() {
        let sb = archive();
        let out = sb
            .parley()
            .args(["people", "list", "--ambiguous", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap();
    }
}

mod readme {
    use super::*;

    fn readme() -> String {
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
    }

    /// The fenced block that follows the line containing `marker`.
    fn block_after(text: &str, marker: &str) -> String {
        let rest = &text[text
            .find(marker)
            .unwrap_or_else(|| panic!("README has no {marker:?}"))..];
        let fence = rest.find("```").unwrap();
        let start = fence + rest[fence..].find('\n').unwrap() + 1;
        let end = rest[start..].find("```").unwrap();
        rest[start..start + end].to_string()
    }

    #[test]
    fn the_readme_starts_with_the_two_set_up_commands() {
        let text = readme();
        let first_block = block_after(&text, "# parley");
        let commands: Vec<&str> = first_block
            .lines()
            .map(|l| l.split('#').next().unwrap().trim())
            .collect();
        assert_eq!(
            commands,
            [
                "cargo run --release -- import --show examples/zarif-islamabad.txt",
                "cargo test"
            ]
        );
        let ci = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
        assert!(
            ci.lines().any(|l| l.trim().starts_with("cargo test")),
            ".ci/run runs the README's test command"
        );
    }

    #[test]
    fn the_readme_shows_the_real_output_of_the_first_command() {
        let sb = Sandbox::new();
        let out = sb
            .parley()
            .args(["import", "--show", EXAMPLE])
            .output()
            .unwrap();
        assert!(out.status.success());
        let shown = block_after(
            &readme(),
            "prints the people, meetings and quotes it extracted:",
        );
        assert_eq!(
            shown,
            String::from_utf8(out.stdout).unwrap(),
            "update the README's example output"
        );
    }
}

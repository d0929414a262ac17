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

/// A query that would run for a long time: only a reader that stops it ends it.
const ENDLESS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000000) SELECT i, 'a row of some length to fill the pipe' AS pad FROM n";

#[test]
fn a_closed_pipe_ends_every_query_format_quietly_with_status_zero() {
    let sb = archive();
    for format in ["json", "jsonl", "csv", "tsv", "table"] {
        let (status, first, stderr) = sb.piped_to_head(&["query", "-f", format, ENDLESS]);
        assert_eq!(status, Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
        let expected = match format {
            "json" => "[",
            "jsonl" => "{\"i\":1,",
            "csv" => "i,pad",
            "tsv" => "i\tpad",
            _ => "i",
        };
        assert!(first.starts_with(expected), "{format}: {first:?}");
    }
}

#[test]
fn rows_are_written_as_they_come_so_a_reader_sees_the_first_at_once() {
    let sb = archive();
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("parley"))
        .current_dir(sb.dir.path())
        .args(["query", "-f", "jsonl", ENDLESS])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let started = std::time::Instant::now();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    // A hundred million rows take minutes: the first one came before they were all read.
    assert!(child.try_wait().unwrap().is_none());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(first.starts_with("{\"i\":1,"), "{first:?}");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn an_sql_error_is_one_line_with_one_prefix_and_said_once() {
    let sb = archive();
    for sql in ["selec 1", "SELECT * FROM no_such_table"] {
        let (ok, _, stderr) = sb.run(&["query", sql]);
        assert!(!ok);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("parley: error: "), "{stderr}");
        assert!(!stderr.contains("Error code"), "{stderr}");
        let cause = if sql.starts_with("selec ") {
            "syntax error"
        } else {
            "no such table"
        };
        assert_eq!(stderr.matches(cause).count(), 1, "{stderr}");
    }
}

#[test]
fn an_archive_that_is_a_directory_is_called_one() {
    let sb = Sandbox::new();
    for args in [
        &["--db", ".", "query", "SELECT 1"][..],
        &["--db", ".", "import", "-"][..],
    ] {
        let (ok, _, stderr) = sb.run(args);
        assert!(!ok);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("is a directory"), "{stderr}");
        assert!(!stderr.contains("disk I/O"), "{stderr}");
    }
}

#[test]
fn a_command_line_that_does_not_parse_is_one_line_with_status_two() {
    let sb = Sandbox::new();
    let out = sb
        .parley()
        .args(["query", "--formt", "csv", "SELECT 1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("parley: error: "), "{stderr}");
    assert!(stderr.contains("--format"), "{stderr}");
    assert!(stderr.contains("parley query --help"), "{stderr}");
}

/// A query that reads the archive for a minute or more before its one row: a billion steps of
/// counting, with `articles` read first so that the query holds the read lock throughout.
const SLOW: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) AS n FROM n WHERE i > (SELECT count(*) FROM articles)";

#[test]
fn a_query_past_its_timeout_stops_with_one_line_that_says_the_limit_and_how_to_raise_it() {
    let sb = archive();
    let before = fs::read(sb.db()).unwrap();
    let started = std::time::Instant::now();
    let out = sb
        .parley()
        .args(["query", "--timeout", "1s", "-f", "csv", SLOW])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("parley: error: the query was stopped at its time limit of 1s"),
        "{stderr}"
    );
    assert!(stderr.contains("--timeout 4s"), "{stderr}");
    assert!(stderr.contains("--timeout 0"), "{stderr}");
    // The header is all a CSV reader gets: the one row never came.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\n");
    assert_eq!(fs::read(sb.db()).unwrap(), before, "the archive changed");
    for beside in ["parley.db-journal", "parley.db-wal", "parley.db-shm"] {
        assert!(!sb.path(beside).exists(), "{beside} was left");
    }
}

#[test]
fn a_query_that_streams_rows_past_its_timeout_fails_after_the_rows_it_wrote() {
    let sb = archive();
    let out = sb
        .parley()
        .args(["query", "--timeout", "500ms", "-f", "jsonl", ENDLESS])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("time limit of 500ms"), "{stderr}");
    assert!(
        stderr.contains("any rows written are incomplete"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("{\"i\":1,"), "{:?}", &stdout[..50]);
}

#[test]
fn report_run_takes_a_timeout_too() {
    let sb = archive();
    fs::create_dir(sb.path("mine")).unwrap();
    fs::write(
        sb.path("mine/slow.sql"),
        format!("-- title: Counting for a long time\n{SLOW}\n"),
    )
    .unwrap();
    let out = sb
        .parley()
        .args([
            "report",
            "--reports",
            "mine",
            "run",
            "slow",
            "--timeout",
            "1s",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "parley: error: report slow: the query was stopped at its time limit of 1s"
        ),
        "{stderr}"
    );
    // A shipped report within its limit runs as before.
    sb.ok(&[
        "report",
        "run",
        "most-quoted",
        "--timeout",
        "1m",
        "-p",
        "limit",
        "1",
    ]);
}

#[test]
fn a_timeout_of_zero_lifts_the_limit_and_a_bad_one_is_a_usage_error() {
    let sb = archive();
    // Long enough for any 1 ms limit to have fired, had there been one.
    let counted = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) AS n FROM n";
    for lifted in ["0", "none"] {
        assert_eq!(
            sb.ok(&["query", "--timeout", lifted, "-f", "csv", counted]),
            "n\n300000\n"
        );
    }
    let out = sb
        .parley()
        .args(["query", "--timeout", "soon", "SELECT 1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("\"soon\" is not a time limit"), "{stderr}");
}

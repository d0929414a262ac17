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

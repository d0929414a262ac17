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

#[test]
fn a_closed_pipe_ends_report_run_quietly_with_status_zero() {
    let sb = Sandbox::new();
    sb.import(&[Path::new(EXAMPLE)]).success();
    fs::create_dir(sb.path("mine")).unwrap();
    fs::write(
        sb.path("mine/numbers.sql"),
        "-- title: Numbers without end\n\
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000000) SELECT i FROM n\n",
    )
    .unwrap();
    let (status, first, stderr) =
        sb.piped_to_head(&["report", "--reports", "mine", "run", "numbers", "-f", "csv"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(first, "i\n");
}

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

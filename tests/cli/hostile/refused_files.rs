use super::*;

/// Every command that opens the archive, with what it needs besides.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["import", "articles"],
        vec!["query", "SELECT 1"],
        vec!["report", "run", "busiest-diplomats"],
        vec!["migrate"],
        vec!["reparse"],
        vec!["check"],
    ]
}

fn assert_refused_untouched(sb: &Sandbox, message: &str) {
    let before = fs::read(sb.db()).unwrap();
    for args in commands() {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?} accepted the file");
        let err = stderr(&out);
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert_eq!(
            fs::read(sb.db()).unwrap(),
            before,
            "{args:?} changed the file"
        );
        assert!(!sb.journal().exists());
    }
}

#[test]
fn a_foreign_sqlite_file_is_refused_by_every_command_and_left_byte_identical() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO articles (body) VALUES ('mine');")
        .unwrap();
    assert_refused_untouched(&sb, "not a parley archive");
}

#[test]
fn a_sqlite_file_of_another_application_is_refused_even_when_empty() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("PRAGMA application_id = 1234;")
        .unwrap();
    let before = fs::read(sb.db()).unwrap();
    assert!(!before.is_empty());
    let out = sb.run(&["import", "articles"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a parley archive"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(sb.db()).unwrap(), before);
}

#[test]
fn an_archive_from_a_newer_parley_is_refused_by_every_command_and_left_byte_identical() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    Connection::open(sb.db())
        .unwrap()
        .execute_batch(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (9999, 'later', '2031-01-01', '0');
             PRAGMA user_version = 9999;",
        )
        .unwrap();
    assert_refused_untouched(&sb, "written by a newer parley");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_by_every_command_and_left_byte_identical() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    let mut junk = b"SQLite format 3\0".to_vec();
    junk.extend((0..8192u32).map(|i| (i * 7919 % 251) as u8));
    fs::write(sb.db(), junk).unwrap();
    let before = fs::read(sb.db()).unwrap();
    for args in commands() {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?} accepted the file");
        assert_eq!(
            stderr(&out).lines().count(),
            1,
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            fs::read(sb.db()).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

use super::*;

#[test]
fn statements_that_would_change_the_archive_are_refused_and_the_file_is_byte_identical() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..5);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let before = fs::read(sb.db()).unwrap();
    let attempts = [
        "DELETE FROM articles",
        "DROP TABLE quotes",
        "DROP VIEW people",
        "INSERT INTO articles (content_hash, text, parser_version, imported_at, parsed_at) VALUES ('x', 'y', 1, 'n', 'n')",
        "WITH doomed AS (SELECT id FROM articles) DELETE FROM articles WHERE id IN doomed",
        "CREATE TABLE notes (x)",
        "CREATE TEMP TABLE notes AS SELECT * FROM articles",
        "ALTER TABLE articles ADD COLUMN x",
        "PRAGMA user_version = 99",
        "PRAGMA journal_mode = WAL",
        "VACUUM",
        "REINDEX",
        "ATTACH DATABASE 'other.db' AS other",
        "VACUUM INTO 'other.db'",
        "SELECT load_extension('other')",
        "DELETE FROM articles; SELECT 1",
        "SELECT 1; DELETE FROM articles",
    ];
    for sql in attempts {
        let out = sb.run(&["query", "--", sql]);
        assert!(!out.status.success(), "{sql} was run");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{sql}: {err}");
        assert!(err.starts_with("parley: error: "), "{sql}: {err}");
    }
    assert_eq!(fs::read(sb.db()).unwrap(), before);
    assert!(!sb.path("other.db").exists());
    assert_eq!(sb.count("articles"), 5);
}

#[test]
fn delete_and_drop_are_refused_with_a_message_that_says_query_only_reads() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    for (sql, verb) in [
        ("delete from articles", "DELETE"),
        ("  DROP TABLE articles", "DROP"),
    ] {
        let err = stderr(&sb.run(&["query", sql]));
        assert!(
            err.contains(&format!(
                "parley query only reads: this statement would change the archive ({verb})"
            )),
            "{err}"
        );
    }
}

#[test]
fn sql_of_nothing_but_comments_is_called_empty_not_api_misuse() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..1);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    for sql in ["/* x */", "-- nothing\n", " ; /* x */ "] {
        let out = sb.run(&["query", "--", sql]);
        assert!(!out.status.success(), "{sql:?}");
        let err = stderr(&out);
        assert!(err.contains("the SQL is empty"), "{sql:?}: {err}");
        assert!(!err.contains("misuse"), "{sql:?}: {err}");
    }
}

use super::*;

#[test]
fn check_lists_each_kind_of_damage_and_exits_non_zero() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..6);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let out = sb.run(&["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("6 articles checked, no problems found"),
        "{}",
        stderr(&out)
    );

    let conn = Connection::open(sb.db()).unwrap();
    conn.execute_batch(
        "INSERT INTO participants (name, name_key, created_at) VALUES ('Nobody Atall', 'nobody atall', 'now');
         UPDATE articles SET parser_version = parser_version - 1 WHERE id = 2;
         INSERT INTO parse_issues (article_id, rule, message, span_start, span_end) VALUES (3, 'test', 'test', 0, 1000000);
         PRAGMA foreign_keys = OFF;
         INSERT INTO parse_issues (article_id, rule, message) VALUES (4242, 'test', 'test');
         INSERT INTO articles_fts (articles_fts) VALUES ('delete-all');",
    )
    .unwrap();
    drop(conn);
    let before = fs::read(sb.db()).unwrap();
    let out = sb.run(&["check"]);
    assert!(!out.status.success());
    let found = stdout(&out);
    for expected in [
        "integrity: full-text index articles_fts does not match its table",
        "foreign-key: row ",
        "orphan: person ",
        "(Nobody Atall) is mentioned by no article",
        "span: parse issue ",
        "runs past the end of the text",
        "parser-version: article 2 ",
        "(run `parley reparse --stale`)",
    ] {
        assert!(found.contains(expected), "{expected:?} not in:\n{found}");
    }
    assert!(
        stderr(&out).contains("6 articles checked, 5 problems found"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(sb.db()).unwrap(), before, "check changed the file");
}

/// Runs `check` on a copy of a healthy archive after `damage`, and returns its findings (stdout).
fn findings_after(damage: &str) -> String {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..6);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    Connection::open(sb.db())
        .unwrap()
        .execute_batch(damage)
        .unwrap();
    let before = fs::read(sb.db()).unwrap();
    let out = sb.run(&["check"]);
    assert!(
        !out.status.success(),
        "check passed after {damage}:\n{}",
        stderr(&out)
    );
    assert_eq!(fs::read(sb.db()).unwrap(), before, "check changed the file");
    stdout(&out)
}

#[test]
fn a_changed_content_hash_is_found_and_so_is_the_duplicate_a_reimport_then_stores() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..3);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    Connection::open(sb.db())
        .unwrap()
        .execute(
            "UPDATE articles SET content_hash = substr('f' || content_hash, 1, 64) WHERE id = 2",
            [],
        )
        .unwrap();
    let out = sb.run(&["check"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("derived: article 2: content_hash f"),
        "{}",
        stdout(&out)
    );
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let out = sb.run(&["check"]);
    assert!(
        stdout(&out).contains("has the same text as article 2"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_duplicate_text_under_another_hash_is_found() {
    let found = findings_after(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO articles (content_hash, text, title, parser_version, imported_at, parsed_at)
              SELECT printf('%064d', 7), text, title, parser_version, imported_at, parsed_at FROM articles WHERE id = 1;",
    );
    assert!(found.contains("has the same text as article 1"), "{found}");
}

#[test]
fn text_changed_under_the_spans_is_found() {
    // Same length, so every span still fits: only what they cover has changed.
    let found = findings_after("UPDATE articles SET text = upper(text) WHERE id = 1");
    assert!(
        found.contains("not the name (the text was changed under the spans)"),
        "{found}"
    );
    assert!(found.contains("content_hash"), "{found}");
}

#[test]
fn a_dropped_index_is_found() {
    let found = findings_after("DROP INDEX articles_source");
    assert!(
        found.contains("schema: index articles_source is missing"),
        "{found}"
    );
}

#[test]
fn a_dropped_or_redefined_view_is_found() {
    let found = findings_after("DROP VIEW people");
    assert!(found.contains("schema: view people is missing"), "{found}");
    let found = findings_after(
        "DROP VIEW people; CREATE VIEW people AS SELECT id, name FROM participants;",
    );
    assert!(
        found.contains("schema: view people is defined otherwise than the migrations say"),
        "{found}"
    );
}

#[test]
fn a_prospective_person_in_a_held_meeting_is_found() {
    let found = findings_after(
        "UPDATE article_participants SET role = 'prospective'
          WHERE id = (SELECT mp.article_participant_id FROM meeting_participants mp
                        JOIN meetings m ON m.id = mp.meeting_id WHERE m.status = 'held' LIMIT 1)",
    );
    assert!(
        found.contains("is prospective but attends held meeting"),
        "{found}"
    );
}

#[test]
fn an_index_of_the_users_own_is_not_a_problem() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..2);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    Connection::open(sb.db())
        .unwrap()
        .execute_batch("CREATE INDEX my_titles ON articles (title); CREATE TABLE my_notes (x);")
        .unwrap();
    let out = sb.run(&["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

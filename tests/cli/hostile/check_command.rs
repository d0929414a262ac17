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

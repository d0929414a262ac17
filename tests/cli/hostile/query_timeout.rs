//! `query --timeout` against the reproduction of a reader that blocks a writer: a 22-second
//! query made an import fail after 10 s. Now the import waits for the reader, and a query given a
//! time limit lets it through once the limit is reached.

use super::*;

/// Reads `articles` first (so the query holds its read lock throughout), then counts for minutes.
const SLOW: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) AS n FROM n WHERE i > (SELECT count(*) FROM articles)";

#[test]
fn an_import_waiting_for_a_query_past_its_timeout_goes_through_when_the_query_is_stopped() {
    let sb = Sandbox::new();
    write_articles(&sb.path("first"), 0..3);
    write_articles(&sb.path("articles"), 100..150);
    assert!(sb.import(&[Path::new("first")]).status.success());
    let before = fs::read(sb.db()).unwrap();
    let query = sb
        .command()
        .args(["query", "--timeout", "4s", "-f", "csv", SLOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give the query its read lock before the import asks for the write lock.
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(fs::read(sb.db()).unwrap(), before);
    let started = Instant::now();
    let import = sb.spawn_import(&[Path::new("articles")]);
    let queried = query.wait_with_output().unwrap();
    let imported = import.wait_with_output().unwrap();
    let waited = started.elapsed();
    let err = stderr(&queried);
    assert_eq!(queried.status.code(), Some(1), "{err}");
    assert!(err.contains("stopped at its time limit of 4s"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert_eq!(summary(&stderr(&imported)), (50, 0, 0));
    // The import waited for the rest of the query's four seconds, not for its minutes of counting.
    assert!(waited >= Duration::from_secs(2), "{waited:?}");
    assert!(waited < Duration::from_secs(90), "{waited:?}");
    sb.assert_sound();
}

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

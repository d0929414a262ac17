//! Hostile inputs and machine faults, end to end through the built binary: imports killed with
//! SIGKILL, writes cut short with a hot journal, two imports at once, a query during an import, a
//! read-only file, a file size limit hit mid-write, SQL that tries to write, files that are not
//! parley archives, and input files that are not articles. Each test checks that nothing is lost,
//! nothing is half-written and nothing hangs.
//!
//! Articles are generated with invented people (real countries) so that thousands can be imported.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use parley::model::ArticleMeta;
use rusqlite::Connection;
use serde_json::Value;
use tempfile::TempDir;

const PARLEY: &str = env!("CARGO_BIN_EXE_parley");

const COUNTRIES: [(&str, &str, &str); 8] = [
    ("Norway", "Norwegian", "Oslo"),
    ("Chile", "Chilean", "Santiago"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Peru", "Peruvian", "Lima"),
    ("Finland", "Finnish", "Helsinki"),
    ("Ghana", "Ghanaian", "Accra"),
    ("Portugal", "Portuguese", "Lisbon"),
    ("Vietnam", "Vietnamese", "Hanoi"),
];
const FIRST: [&str; 10] = [
    "Arvid", "Paula", "Tomas", "Lena", "Kofi", "Mira", "Jonas", "Elif", "Rafael", "Ingrid",
];
const LAST: [&str; 12] = [
    "Kessler",
    "Errazuriz",
    "Okonjo",
    "Varga",
    "Lindqvist",
    "Mensah",
    "Halvorsen",
    "Quispe",
    "Tavares",
    "Nguyen",
    "Brandt",
    "Achterberg",
];

/// A short news article about a meeting between two invented foreign ministers; `i` makes it unique.
fn article(i: usize) -> String {
    let (c1, adj1, _) = COUNTRIES[i % COUNTRIES.len()];
    let (c2, adj2, city) = COUNTRIES[(i / COUNTRIES.len() + 1 + i) % COUNTRIES.len()];
    let (c2, adj2, city) = if c2 == c1 {
        COUNTRIES[(i + 1) % COUNTRIES.len()]
    } else {
        (c2, adj2, city)
    };
    let a = format!(
        "{} {}",
        FIRST[i % FIRST.len()],
        LAST[(i / FIRST.len()) % LAST.len()]
    );
    let b = format!(
        "{} {}",
        FIRST[(i + 3) % FIRST.len()],
        LAST[(i / 7 + 5) % LAST.len()]
    );
    let last_a = a.split(' ').nth(1).unwrap();
    let last_b = b.split(' ').nth(1).unwrap();
    format!(
        "{c1} and {c2} agree to deepen trade ties\n\n\
         {upper}, March {day} - {adj1} Foreign Minister {a} met {adj2} Foreign Minister {b} in {city} on Tuesday \
         to discuss fisheries and trade.\n\n\
         \"We have agreed to open chapter {i} in our relations,\" {last_a} told reporters after the talks.\n\n\
         {last_b} said the two countries would sign a fisheries accord later this year.\n",
        upper = city.to_uppercase(),
        day = 1 + i % 27,
    )
}

/// Writes `count` generated articles into `dir` as `a00000.txt`, ...
fn write_articles(dir: &Path, range: std::ops::Range<usize>) {
    fs::create_dir_all(dir).unwrap();
    for i in range {
        fs::write(dir.join(format!("a{i:05}.txt")), article(i)).unwrap();
    }
}

/// What the archive must hold for one article: its rows per table, from the parser itself.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rows {
    text: String,
    participants: i64,
    meetings: i64,
    attendees: i64,
    quotes: i64,
    issues: i64,
    categories: i64,
}

impl Rows {
    fn expected(raw: &str) -> Rows {
        let parsed = parley::parse::parse(raw, &ArticleMeta::default());
        let names: HashSet<&str> = parsed
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| !n.trim().is_empty())
            .collect();
        let attendees = parsed
            .meetings
            .iter()
            .map(|m| {
                m.participants
                    .iter()
                    .filter(|n| names.contains(n.as_str()))
                    .collect::<HashSet<_>>()
                    .len() as i64
            })
            .sum();
        Rows {
            participants: names.len() as i64,
            meetings: parsed.meetings.len() as i64,
            attendees,
            quotes: parsed.quotes.len() as i64,
            issues: parsed.issues.len() as i64,
            categories: parsed.article.categories.len() as i64,
            text: parsed.article.text,
        }
    }
}

/// One statement that reads every article's rows at once, so that it sees a single snapshot.
const ROWS_PER_ARTICLE: &str = "
    SELECT a.path AS path, a.text AS text,
           (SELECT count(*) FROM article_participants x WHERE x.article_id = a.id) AS participants,
           (SELECT count(*) FROM meetings x WHERE x.article_id = a.id) AS meetings,
           (SELECT count(*) FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
             WHERE m.article_id = a.id) AS attendees,
           (SELECT count(*) FROM quotes x WHERE x.article_id = a.id) AS quotes,
           (SELECT count(*) FROM parse_issues x WHERE x.article_id = a.id) AS issues,
           (SELECT count(*) FROM article_categories x WHERE x.article_id = a.id) AS categories
      FROM articles a ORDER BY a.id";

fn rows_of(row: &Value) -> (String, Rows) {
    let n = |key: &str| {
        row[key]
            .as_i64()
            .unwrap_or_else(|| panic!("{key} in {row}"))
    };
    let rows = Rows {
        text: row["text"].as_str().unwrap().to_string(),
        participants: n("participants"),
        meetings: n("meetings"),
        attendees: n("attendees"),
        quotes: n("quotes"),
        issues: n("issues"),
        categories: n("categories"),
    };
    (
        row["path"].as_str().expect("a stored path").to_string(),
        rows,
    )
}

struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn db(&self) -> PathBuf {
        self.path("parley.db")
    }

    fn journal(&self) -> PathBuf {
        self.path("parley.db-journal")
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(PARLEY);
        cmd.current_dir(self.dir.path())
            .env_remove("PARLEY_DB")
            .env_remove("PARLEY_REPORTS")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    fn import(&self, paths: &[&Path]) -> Output {
        self.command().arg("import").args(paths).output().unwrap()
    }

    fn spawn_import(&self, paths: &[&Path]) -> Child {
        self.command()
            .arg("import")
            .args(paths)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// `parley query --format json SQL`, which must succeed.
    fn query(&self, sql: &str) -> Vec<Value> {
        let out = self.run(&["query", "--format", "json", sql]);
        assert!(out.status.success(), "query failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        self.query(&format!("SELECT count(*) AS n FROM {table}"))[0]["n"]
            .as_i64()
            .unwrap()
    }

    /// Every stored article, by path, with its rows as one snapshot sees them.
    fn stored_rows(&self) -> Vec<(String, Rows)> {
        self.query(ROWS_PER_ARTICLE).iter().map(rows_of).collect()
    }

    /// SQLite's own checks, run through a plain connection (not parley's), and `parley check`.
    fn assert_sound(&self) {
        let conn = Connection::open(self.db()).unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let violations: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0, "foreign key violations");
        drop(conn);
        let out = self.run(&["check"]);
        assert!(
            out.status.success(),
            "parley check found problems:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("no problems found"),
            "{}",
            stderr(&out)
        );
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The counts of `parley import`'s summary line: inserted, unchanged, failed.
fn summary(stderr: &str) -> (u64, u64, u64) {
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.contains(" inserted, "))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    let numbers: Vec<u64> = line
        .rsplit(": ")
        .next()
        .unwrap()
        .split(", ")
        .map(|part| part.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

/// Asserts that every stored article has exactly the rows its text gives, and returns their paths.
fn assert_whole_articles(
    stored: &[(String, Rows)],
    expected: &HashMap<String, Rows>,
) -> HashSet<String> {
    let mut paths = HashSet::new();
    for (path, rows) in stored {
        let want = expected
            .get(path)
            .unwrap_or_else(|| panic!("unexpected article {path}"));
        assert_eq!(rows, want, "article {path} is not stored whole");
        assert!(paths.insert(path.clone()), "article {path} is stored twice");
    }
    paths
}

/// The rows each generated article must have, keyed by the path `import` records (relative to the sandbox).
fn expected_rows(sb: &Sandbox, folder: &str) -> HashMap<String, Rows> {
    let mut expected = HashMap::new();
    for entry in fs::read_dir(sb.path(folder)).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
        expected.insert(name, Rows::expected(&fs::read_to_string(&path).unwrap()));
    }
    expected
}

/// The generated articles must exercise every kind of row, or the tests below could not fail.
fn assert_fixture_has_rows(expected: &HashMap<String, Rows>) {
    let any = |f: fn(&Rows) -> i64| expected.values().map(f).sum::<i64>() > 0;
    assert!(
        any(|r| r.participants),
        "the parser finds no people in the generated articles"
    );
    assert!(
        any(|r| r.meetings),
        "the parser finds no meetings in the generated articles"
    );
    assert!(
        any(|r| r.quotes),
        "the parser finds no quotes in the generated articles"
    );
}

mod crash_safety {
    use super::*;

    /// Whether the journal is hot: it exists and its header has been written (SQLite rolls back a
    /// journal whose first byte is not zero once no process holds a lock on the database).
    fn hot_journal(sb: &Sandbox) -> bool {
        fs::read(sb.journal()).is_ok_and(|bytes| bytes.first().is_some_and(|&b| b != 0))
    }

    /// Starts the import and kills it with SIGKILL in the middle of writing a batch: once a batch's
    /// journal has its header and the database file has grown under it (so the journal is hot), or
    /// at the fourth batch at the latest. Returns whether the journal left behind is hot.
    fn kill_mid_write(sb: &Sandbox, child: &mut Child) -> bool {
        let deadline = Instant::now() + Duration::from_secs(300);
        let size = || fs::metadata(sb.db()).map(|m| m.len()).unwrap_or(0);
        let (mut batches, mut in_journal, mut size_at_start) = (0, false, 0);
        loop {
            assert!(
                Instant::now() < deadline,
                "the import neither wrote four batches nor finished"
            );
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "the import finished ({status}) before it could be killed: generate more articles"
                );
            }
            let journal = sb.journal().exists();
            if journal && !in_journal {
                batches += 1;
                size_at_start = size();
            }
            in_journal = journal;
            if (batches >= 2 && journal && size() != size_at_start && hot_journal(sb))
                || batches >= 4
            {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        hot_journal(sb)
    }

    #[test]
    fn an_import_killed_mid_write_leaves_whole_articles_and_a_second_import_completes_it() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..2500);
        let expected = expected_rows(&sb, "articles");
        assert_fixture_has_rows(&expected);
        // The schema is in place first, so that every journal seen below belongs to a batch.
        write_articles(&sb.path("first"), 5000..5001);
        assert!(sb.import(&[Path::new("first")]).status.success());

        let mut child = sb.spawn_import(&[Path::new("articles")]);
        let hot = kill_mid_write(&sb, &mut child);
        eprintln!("killed with a hot journal left behind: {hot}");

        // A reader comes first: it must see the last committed state, not a torn one.
        let stored: Vec<_> = sb
            .stored_rows()
            .into_iter()
            .filter(|(path, _)| path.starts_with("articles/"))
            .collect();
        let kept = assert_whole_articles(&stored, &expected);
        assert!(
            kept.len() < expected.len(),
            "the kill came too late to test anything"
        );
        // A hot journal is rolled back by that first read. One killed before its header was written
        // is not hot: SQLite ignores it and the next writer replaces it.
        if hot {
            assert!(
                !sb.journal().exists(),
                "the interrupted write was not rolled back"
            );
        }
        sb.assert_sound();

        let out = sb.import(&[Path::new("articles")]);
        assert!(out.status.success(), "{}", stderr(&out));
        let (inserted, unchanged, failed) = summary(&stderr(&out));
        assert_eq!(
            (inserted + unchanged, unchanged, failed),
            (expected.len() as u64, kept.len() as u64, 0)
        );
        let stored: Vec<_> = sb
            .stored_rows()
            .into_iter()
            .filter(|(path, _)| path.starts_with("articles/"))
            .collect();
        assert_eq!(
            assert_whole_articles(&stored, &expected).len(),
            expected.len()
        );
        assert_eq!(sb.count("articles"), expected.len() as i64 + 1);
        assert!(
            !sb.journal().exists(),
            "a journal outlived the import that completed the archive"
        );
        sb.assert_sound();
    }

    /// Copies the database and its journal while a transaction has spilled pages into the file:
    /// exactly what a machine that lost power at that moment leaves on disk.
    fn crash_image(sb: &Sandbox) -> Vec<u8> {
        let committed = fs::read(sb.db()).unwrap();
        let conn = Connection::open(sb.db()).unwrap();
        conn.execute_batch(
            "PRAGMA cache_size = 2;
             BEGIN;
             UPDATE articles SET title = 'overwritten ' || id;
             INSERT INTO parse_issues (article_id, rule, message)
                  SELECT a.id, 'filler', hex(randomblob(200)) FROM articles a, generate_series(1, 200);",
        )
        .unwrap_or_else(|_| {
            // Without the generate_series extension: a recursive CTE does the same.
            conn.execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                 INSERT INTO parse_issues (article_id, rule, message)
                      SELECT a.id, 'filler', hex(randomblob(200)) FROM articles a, n;",
            )
            .unwrap()
        });
        assert!(!conn.is_autocommit());
        fs::copy(sb.db(), sb.path("crash.db")).unwrap();
        fs::copy(sb.journal(), sb.path("crash.db-journal")).unwrap();
        conn.execute_batch("ROLLBACK").unwrap();
        assert_ne!(
            fs::read(sb.path("crash.db")).unwrap(),
            committed,
            "no page was spilled to the file"
        );
        committed
    }

    #[test]
    fn a_write_cut_short_by_a_crash_is_rolled_back_before_query_reads() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..20);
        assert!(sb.import(&[Path::new("articles")]).status.success());
        let committed = crash_image(&sb);
        fs::rename(sb.path("crash.db"), sb.db()).unwrap();
        fs::rename(sb.path("crash.db-journal"), sb.journal()).unwrap();

        let out = sb.run(&["query", "--format", "csv", "SELECT count(*) AS n, count(*) FILTER (WHERE title LIKE 'overwritten%') AS overwritten FROM articles"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), "n,overwritten\n20,0\n");
        assert!(!sb.journal().exists());
        assert_eq!(
            fs::read(sb.db()).unwrap(),
            committed,
            "the rollback did not restore the committed file"
        );
        sb.assert_sound();
    }

    #[test]
    fn a_read_only_file_left_mid_write_is_refused_with_one_line_and_untouched() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..20);
        assert!(sb.import(&[Path::new("articles")]).status.success());
        crash_image(&sb);
        fs::rename(sb.path("crash.db"), sb.db()).unwrap();
        fs::rename(sb.path("crash.db-journal"), sb.journal()).unwrap();
        fs::set_permissions(sb.db(), fs::Permissions::from_mode(0o444)).unwrap();
        let before = fs::read(sb.db()).unwrap();
        for args in [
            vec!["query", "SELECT 1"],
            vec!["check"],
            vec!["report", "run", "busiest-diplomats"],
        ] {
            let out = sb.run(&args);
            assert!(!out.status.success(), "{args:?}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(
                err.contains("holds a write that was cut short"),
                "{args:?}: {err}"
            );
        }
        assert_eq!(fs::read(sb.db()).unwrap(), before);
        assert!(sb.journal().exists());
    }

    #[test]
    fn an_import_killed_in_its_first_migration_leaves_a_file_parley_still_accepts() {
        let sb = Sandbox::new();
        // What a kill between refinery's history table and the first migration leaves behind.
        Connection::open(sb.db())
            .unwrap()
            .execute_batch(
                "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255),
                                                       applied_on VARCHAR(255), checksum VARCHAR(255));",
            )
            .unwrap();
        let out = sb.run(&["query", "SELECT 1"]);
        assert!(
            stderr(&out).contains("run `parley migrate"),
            "{}",
            stderr(&out)
        );
        write_articles(&sb.path("articles"), 0..3);
        let out = sb.import(&[Path::new("articles")]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(sb.count("articles"), 3);
        sb.assert_sound();
    }
}

mod concurrency {
    use super::*;

    fn wait_output(child: Child) -> Output {
        child.wait_with_output().unwrap()
    }

    #[test]
    fn two_imports_into_one_new_file_at_once_both_finish_without_duplicates() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..700);
        let expected = expected_rows(&sb, "articles");
        for round in 0..3 {
            let _ = fs::remove_file(sb.db());
            let one = sb.spawn_import(&[Path::new("articles")]);
            let two = sb.spawn_import(&[Path::new("articles")]);
            let (one, two) = (wait_output(one), wait_output(two));
            for out in [&one, &two] {
                assert!(out.status.success(), "round {round}: {}", stderr(out));
            }
            let (a, b) = (summary(&stderr(&one)), summary(&stderr(&two)));
            assert_eq!(a.0 + b.0, 700, "round {round}: {a:?} {b:?}");
            assert_eq!((a.0 + a.1, b.0 + b.1, a.2 + b.2), (700, 700, 0));
            assert_eq!(
                assert_whole_articles(&sb.stored_rows(), &expected).len(),
                700
            );
            let people: Vec<Value> = sb.query(
                "SELECT count(*) = count(DISTINCT name_key) AS unique_people FROM participants",
            );
            assert_eq!(people[0]["unique_people"], 1);
            sb.assert_sound();
        }
    }

    #[test]
    fn imports_of_overlapping_folders_at_once_store_each_article_once() {
        let sb = Sandbox::new();
        write_articles(&sb.path("left"), 0..500);
        write_articles(&sb.path("right"), 300..800);
        assert!(sb.import(&[&sb.path("left/a00000.txt")]).status.success());
        let left = sb.spawn_import(&[Path::new("left")]);
        let right = sb.spawn_import(&[Path::new("right")]);
        let (left, right) = (wait_output(left), wait_output(right));
        assert!(
            left.status.success() && right.status.success(),
            "{}{}",
            stderr(&left),
            stderr(&right)
        );
        assert_eq!(sb.count("articles"), 800);
        let distinct = sb.query("SELECT count(DISTINCT content_hash) AS n FROM articles");
        assert_eq!(distinct[0]["n"], 800);
        sb.assert_sound();
    }

    #[test]
    fn a_query_during_an_import_sees_only_whole_articles() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..1500);
        let expected = expected_rows(&sb, "articles");
        assert_fixture_has_rows(&expected);
        write_articles(&sb.path("first"), 5000..5001);
        assert!(sb.import(&[Path::new("first")]).status.success());
        let mut expected_all = expected.clone();
        expected_all.extend(expected_rows(&sb, "first"));

        let mut child = sb.spawn_import(&[Path::new("articles")]);
        let (mut snapshots, mut last) = (0, 0);
        while child.try_wait().unwrap().is_none() {
            let stored = sb.stored_rows();
            let seen = assert_whole_articles(&stored, &expected_all).len();
            assert!(
                seen >= last,
                "a later snapshot lost articles ({last} then {seen})"
            );
            last = seen;
            snapshots += 1;
        }
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(child.wait().unwrap().success(), "{err}");
        assert!(
            snapshots >= 2,
            "only {snapshots} queries ran during the import"
        );
        assert_eq!(
            assert_whole_articles(&sb.stored_rows(), &expected_all).len(),
            1501
        );
    }
}

mod permissions_and_space {
    use super::*;

    #[test]
    fn a_read_only_archive_serves_query_report_and_check_but_import_fails_with_one_line() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..10);
        assert!(sb.import(&[Path::new("articles")]).status.success());
        fs::set_permissions(sb.db(), fs::Permissions::from_mode(0o444)).unwrap();
        let before = fs::read(sb.db()).unwrap();

        assert_eq!(sb.count("articles"), 10);
        let out = sb.run(&["report", "run", "busiest-diplomats", "--format", "json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap();
        assert!(sb.run(&["check"]).status.success());

        write_articles(&sb.path("more"), 10..12);
        for args in [vec!["import", "more"], vec!["reparse"], vec!["migrate"]] {
            let out = sb.run(&args);
            assert!(!out.status.success(), "{args:?}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.contains("parley.db is read-only"), "{args:?}: {err}");
        }
        assert_eq!(fs::read(sb.db()).unwrap(), before);
    }

    /// Runs `parley import` under a file size limit a little above the archive's size, through `sh`
    /// as a user would (`ulimit -f` counts 512-byte blocks in dash and 1024-byte ones in bash, so the
    /// limit is between 64 and 128 KiB above the file either way). `ignore_signal` makes the write
    /// fail with EFBIG instead of killing the process with SIGXFSZ.
    fn import_under_file_size_limit(sb: &Sandbox, folder: &str, ignore_signal: bool) -> Output {
        let blocks = (fs::metadata(sb.db()).unwrap().len() + 64 * 1024) / 512;
        let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{trap}ulimit -f {blocks} && exec \"$0\" import \"$1\""
            ))
            .arg(PARLEY)
            .arg(folder)
            .current_dir(sb.dir.path())
            .env_remove("PARLEY_DB")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn big_articles(sb: &Sandbox) {
        let dir = sb.path("big");
        fs::create_dir_all(&dir).unwrap();
        for i in 0..60 {
            let mut text = article(10_000 + i);
            text.push_str(&format!("\nThe talks also covered item {i} at length. ").repeat(600));
            fs::write(dir.join(format!("big{i:03}.txt")), text).unwrap();
        }
    }

    #[test]
    fn a_write_that_fails_for_lack_of_space_leaves_the_archive_as_it_was() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..5);
        assert!(sb.import(&[Path::new("articles")]).status.success());
        let before = fs::read(sb.db()).unwrap();
        big_articles(&sb);

        let out = import_under_file_size_limit(&sb, "big", true);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("writing failed (the disk is full, a file size limit was reached"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");

        assert_eq!(sb.count("articles"), 5);
        assert!(!sb.journal().exists());
        assert_eq!(fs::read(sb.db()).unwrap(), before, "the archive changed");
        sb.assert_sound();
    }

    #[test]
    fn an_import_killed_by_the_file_size_limit_leaves_the_archive_as_it_was() {
        let sb = Sandbox::new();
        write_articles(&sb.path("articles"), 0..5);
        assert!(sb.import(&[Path::new("articles")]).status.success());
        let before = fs::read(sb.db()).unwrap();
        big_articles(&sb);

        let out = import_under_file_size_limit(&sb, "big", false);
        assert!(
            !out.status.success(),
            "the import was not stopped by the limit"
        );
        assert_eq!(sb.count("articles"), 5);
        assert_eq!(fs::read(sb.db()).unwrap(), before, "the archive changed");
        sb.assert_sound();
        let out = sb.import(&[Path::new("big")]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(sb.count("articles"), 65);
    }
}

mod query_cannot_write {
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
            let out = sb.run(&["query", sql]);
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
}

mod refused_files {
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
}

mod bad_input_files {
    use super::*;

    #[test]
    fn each_bad_file_gets_one_line_with_its_reason_and_the_good_ones_are_stored() {
        let sb = Sandbox::new();
        let dir = sb.path("inbox");
        write_articles(&dir, 0..3);
        fs::write(dir.join("empty.txt"), "").unwrap();
        fs::write(dir.join("blank.txt"), "\u{feff}\n \t\r\n\n").unwrap();
        fs::write(
            dir.join("image.txt"),
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa",
        )
        .unwrap();
        fs::write(
            dir.join("latin1.txt"),
            b"Gespr\xe4che in Z\xfcrich zwischen den Ministern",
        )
        .unwrap();
        let utf16: Vec<u8> = "\u{feff}Talks in Oslo between the ministers."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        fs::write(dir.join("utf16.txt"), utf16).unwrap();
        fs::write(
            dir.join("truncated.txt"),
            [b"Talks in S\xc3".as_slice()].concat(),
        )
        .unwrap();
        // Larger than parley reads (64 MiB), without writing 64 MiB: a sparse file.
        fs::File::create(dir.join("huge.txt"))
            .unwrap()
            .set_len(65 * 1024 * 1024)
            .unwrap();

        let out = sb.import(&[&dir, &sb.path("missing.txt")]);
        assert!(!out.status.success());
        let err = stderr(&out);
        let reasons = [
            ("empty.txt", "empty"),
            ("blank.txt", "empty"),
            ("image.txt", "not text"),
            ("latin1.txt", "not UTF-8: invalid byte at offset 5"),
            ("utf16.txt", "not"),
            ("truncated.txt", "not UTF-8: invalid byte at offset 10"),
            ("huge.txt", "too large"),
            ("missing.txt", "no such file"),
        ];
        for (file, reason) in reasons {
            let lines: Vec<&str> = err.lines().filter(|l| l.contains(file)).collect();
            assert_eq!(lines.len(), 1, "{file}: {err}");
            assert!(
                lines[0].starts_with("parley: ") && lines[0].contains(&format!("{file}: {reason}")),
                "{file}: {err}"
            );
        }
        assert_eq!(summary(&err), (3, 0, 8), "{err}");
        assert_eq!(sb.count("articles"), 3);
    }

    #[test]
    fn nul_bytes_a_byte_order_mark_and_crlf_are_imported_as_the_same_text() {
        let sb = Sandbox::new();
        let text = article(1);
        let dir = sb.path("variants");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("plain.txt"), &text).unwrap();
        fs::write(dir.join("bom.txt"), format!("\u{feff}{text}")).unwrap();
        fs::write(dir.join("crlf.txt"), text.replace('\n', "\r\n")).unwrap();
        fs::write(
            dir.join("nul.txt"),
            text.replacen("Foreign", "For\0eign", 1),
        )
        .unwrap();
        let out = sb.import(&[&dir]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(summary(&stderr(&out)), (1, 3, 0));
    }

    #[test]
    fn a_named_pipe_in_a_folder_is_not_waited_on() {
        let sb = Sandbox::new();
        let dir = sb.path("inbox");
        write_articles(&dir, 0..2);
        let status = Command::new("mkfifo")
            .arg(dir.join("pipe.txt"))
            .status()
            .unwrap();
        assert!(status.success());
        let mut child = sb.spawn_import(&[&dir]);
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("parley import waited for a writer on a named pipe found in a folder");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(sb.count("articles"), 2);
    }
}

mod check_command {
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
}

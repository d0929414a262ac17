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

/// The fastest of five runs of `f`, in seconds: the growth tests compare sizes by their best run,
/// which a busy machine disturbs least.
fn fastest(mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
        .max(1e-4)
}

/// A name word made of letters only, different for every `i` ("b", "c", ..., "ba", ...): a digit in
/// a word ("Ax12") keeps it from being read as a name at all.
fn letters(mut i: usize) -> String {
    let mut word = Vec::new();
    loop {
        word.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    word.reverse();
    String::from_utf8(word).unwrap()
}

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

mod bad_input_files;
mod check_command;
mod concurrency;
mod crash_safety;
mod foreign_files;
mod memory;
mod nesting_and_namesakes;
mod permissions_and_space;
mod quadratic_inputs;
mod query_cannot_write;
mod query_timeout;
mod readers_and_writers;
mod refused_files;

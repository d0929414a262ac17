//! The query plans of the shipped reports, read with `EXPLAIN QUERY PLAN` on a freshly migrated
//! archive: no report may read a whole large table where an index could serve it, so that reports
//! stay fast on an archive of 100,000 articles (BENCHMARKS.md measures them). A report whose purpose
//! is to rank or list the whole archive is allowed its scan, and says why below.

use std::collections::{BTreeSet, HashMap};

use parley::read::report;
use parley::store::Archive;
use rusqlite::Connection;

/// Tables that grow with the archive.
const LARGE_TABLES: &[&str] = &[
    "articles",
    "article_categories",
    "participants",
    "participant_aliases",
    "article_participants",
    "meetings",
    "meeting_participants",
    "quotes",
    "parse_issues",
    "person_counts",
];

/// Full scans a report is allowed, as (report, table, why). A scan that disappears must be taken
/// off this list, so that it cannot come back unnoticed.
const ALLOWED_SCANS: &[(&str, &str, &str)] = &[(
    "people-spellings",
    "article_participants",
    "it lists every person written more than one way: one pass over the mentions in table order \
         is faster than looking each person's mentions up through the participant index",
)];

/// Lower-case identifiers of the SQL, without comments and string literals.
fn words(sql: &str) -> Vec<String> {
    let mut plain = String::with_capacity(sql.len());
    for line in sql.lines() {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => in_string = !in_string,
                '-' if !in_string && chars.peek() == Some(&'-') => break,
                _ if in_string => {}
                c => plain.push(c),
            }
        }
        plain.push('\n');
    }
    plain
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

const KEYWORDS: &[&str] = &[
    "on",
    "where",
    "join",
    "left",
    "right",
    "full",
    "inner",
    "outer",
    "cross",
    "natural",
    "group",
    "order",
    "limit",
    "union",
    "having",
    "window",
    "using",
    "and",
    "or",
    "select",
    "values",
    "except",
    "intersect",
];

/// Which table or view each alias of the SQL names (`FROM meetings m`, `JOIN people AS p`).
fn aliases(sql: &str, into: &mut HashMap<String, BTreeSet<String>>) {
    let words = words(sql);
    for (i, word) in words.iter().enumerate() {
        if word != "from" && word != "join" {
            continue;
        }
        let Some(name) = words.get(i + 1).filter(|n| !KEYWORDS.contains(&n.as_str())) else {
            continue;
        };
        into.entry(name.clone()).or_default().insert(name.clone());
        let alias = match words.get(i + 2).map(String::as_str) {
            Some("as") => words.get(i + 3),
            Some(w) if !KEYWORDS.contains(&w) => words.get(i + 2),
            _ => None,
        };
        if let Some(alias) = alias {
            into.entry(alias.clone()).or_default().insert(name.clone());
        }
    }
}

/// The large tables a statement reads whole, per its query plan.
fn scanned_tables(
    conn: &Connection,
    sql: &str,
    names: &HashMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("the report does not prepare");
    // Parameters are left unbound (NULL): the plan does not depend on their values.
    let mut details = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().unwrap() {
        details.push(row.get::<_, String>(3).unwrap());
    }
    let mut scanned = BTreeSet::new();
    for detail in details {
        let Some(rest) = detail.strip_prefix("SCAN ") else {
            continue;
        };
        let rest = rest.strip_prefix("TABLE ").unwrap_or(rest);
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let candidates = names
            .get(&name)
            .cloned()
            .unwrap_or_else(|| BTreeSet::from([name.clone()]));
        scanned.extend(
            candidates
                .into_iter()
                .filter(|t| LARGE_TABLES.contains(&t.as_str())),
        );
    }
    scanned
}

fn migrated() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(&dir.path().join("plans.db")).expect("cannot create an archive");
    (dir, archive)
}

/// Aliases used anywhere in the schema's views, which the planner reports instead of table names.
fn schema_aliases(conn: &Connection) -> HashMap<String, BTreeSet<String>> {
    let mut names = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'view'")
        .unwrap();
    for sql in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        aliases(&sql.unwrap(), &mut names);
    }
    names
}

#[test]
fn the_large_tables_named_here_exist() {
    let (_dir, archive) = migrated();
    for table in LARGE_TABLES {
        let found: bool = archive
            .connection()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            found,
            "{table} is not a table of the archive: update LARGE_TABLES"
        );
    }
}

#[test]
fn no_shipped_report_scans_a_large_table_an_index_could_serve() {
    let (_dir, archive) = migrated();
    let conn = archive.connection();
    let views = schema_aliases(conn);
    let mut problems = Vec::new();
    for report in report::catalogue(None).unwrap() {
        let mut names = views.clone();
        aliases(&report.sql, &mut names);
        for table in scanned_tables(conn, &report.sql, &names) {
            if !ALLOWED_SCANS
                .iter()
                .any(|(r, t, _)| *r == report.name && *t == table)
            {
                problems.push(format!("report {} reads all of {table}", report.name));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "add an index (a new migration) or rewrite the report:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_allowed_scan_still_happens() {
    let (_dir, archive) = migrated();
    let conn = archive.connection();
    let views = schema_aliases(conn);
    let reports = report::catalogue(None).unwrap();
    for (name, table, _) in ALLOWED_SCANS {
        let report = reports
            .iter()
            .find(|r| r.name == *name)
            .unwrap_or_else(|| panic!("no report {name}"));
        let mut names = views.clone();
        aliases(&report.sql, &mut names);
        assert!(
            scanned_tables(conn, &report.sql, &names).contains(*table),
            "report {name} no longer reads all of {table}: take it off ALLOWED_SCANS"
        );
    }
}

#[test]
fn a_scan_of_a_large_table_is_caught_through_its_alias() {
    let (_dir, archive) = migrated();
    let conn = archive.connection();
    let sql = "SELECT q.text FROM quotes q WHERE q.text LIKE '%peace%'";
    let mut names = HashMap::new();
    aliases(sql, &mut names);
    assert_eq!(
        scanned_tables(conn, sql, &names),
        BTreeSet::from(["quotes".to_string()])
    );
}

#[test]
fn an_indexed_lookup_is_not_a_scan() {
    let (_dir, archive) = migrated();
    let conn = archive.connection();
    let sql = "SELECT m.place FROM meetings m WHERE m.article_id = 7";
    let mut names = HashMap::new();
    aliases(sql, &mut names);
    assert!(scanned_tables(conn, sql, &names).is_empty());
}

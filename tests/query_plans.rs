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
    "person_summaries",
    "person_counterparts",
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

// Reports rewritten for speed return the same rows as the views they replace. Each comparison runs
// on a small archive of invented articles with meetings, quotes, offices and a name written with
// and without its accent.

/// Invented articles: meetings, quotes and offices, accents and curly quotes before the spans.
const SAME_ROWS_ARTICLES: &[&str] = &[
    "Norland and Chile agree to deepen trade ties\n\nOSLO, March 4 - Norwegian Foreign Minister Arvid \
     Kessler met Chilean Foreign Minister Paula Errázuriz in Oslo on Tuesday.\n\n\u{201c}We have agreed \
     to open a new chapter,\u{201d} Kessler told reporters after the talks.\n",
    "Kessler visits Santiago\n\nSANTIAGO, May 12 - Norway's Foreign Minister Kessler held talks with \
     Chilean Foreign Minister Paula Errazuriz and Peruvian Prime Minister Ilo Brandt in Santiago on \
     Monday.\n\n\"The accord is ready,\" Kessler said. \"We agree,\" Brandt said.\n",
    "Señora Müller’s visit\n\nLIMA, June 2 - Peruvian Prime Minister Ilo Brandt met Danish Foreign \
     Minister Mette Lindqvist in Lima on Friday.\n\n\u{201c}Our talks were useful,\u{201d} Lindqvist said.\n",
];

fn archive_of_articles() -> (tempfile::TempDir, Archive) {
    let (dir, mut archive) = migrated();
    let batch: Vec<parley::store::ImportedArticle> = SAME_ROWS_ARTICLES
        .iter()
        .map(|text| parley::store::ImportedArticle {
            parsed: parley::parse::parse(text, &parley::model::ArticleMeta::default()),
            raw: None,
            raw_format: "text",
            path: None,
        })
        .collect();
    for outcome in archive.store_batch(&batch).unwrap() {
        outcome.unwrap();
    }
    (dir, archive)
}

/// The rows of a query as sorted text, to compare row sets whatever their order among ties.
fn row_set(conn: &Connection, sql: &str, params: &[(String, String)]) -> Vec<String> {
    let table = parley::read::query::run(conn, sql, params).unwrap();
    let mut rows: Vec<String> = table.rows.iter().map(|row| format!("{row:?}")).collect();
    rows.sort();
    rows
}

fn report_rows(conn: &Connection, name: &str, params: &[(&str, &str)]) -> Vec<String> {
    let report = report::catalogue(None)
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap();
    let given: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut rows: Vec<String> = report
        .run(conn, &given)
        .unwrap()
        .rows
        .iter()
        .map(|row| format!("{row:?}"))
        .collect();
    rows.sort();
    rows
}

/// Every name form the archive holds, as a report's `name` parameter.
fn every_name(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT DISTINCT alias FROM participant_aliases ORDER BY alias")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

const PERSON_OF_NAME: &str =
    "(SELECT participant_id FROM participant_aliases WHERE alias_key = :key)";

#[test]
fn person_meetings_returns_the_rows_of_meeting_attendance_joined_to_itself() {
    let (_dir, archive) = archive_of_articles();
    let conn = archive.connection();
    let names = every_name(conn);
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let key = vec![("key".to_string(), parley::names::key(&name))];
        let view = row_set(
            conn,
            &format!(
                "SELECT x.day, x.place, x.mode, px.name, y.name, y.title, y.country, x.article_title, x.article_id
                   FROM meeting_attendance x
                   JOIN meeting_attendance y ON y.meeting_id = x.meeting_id AND y.participant_id <> x.participant_id
                   JOIN participants px ON px.id = x.participant_id
                  WHERE x.participant_id IN {PERSON_OF_NAME} AND x.status = 'held'"
            ),
            &key,
        );
        assert!(!view.is_empty(), "{name} met nobody");
        assert_eq!(
            report_rows(conn, "person-meetings", &[("name", &name)]),
            view,
            "{name}"
        );
    }
}

#[test]
fn person_timeline_returns_the_rows_of_the_person_timeline_view() {
    let (_dir, archive) = archive_of_articles();
    let conn = archive.connection();
    for name in every_name(conn) {
        let key = vec![("key".to_string(), parley::names::key(&name))];
        let view = row_set(
            conn,
            &format!(
                "SELECT day, kind, name, detail, article_id FROM person_timeline
                  WHERE participant_id IN {PERSON_OF_NAME}"
            ),
            &key,
        );
        assert_eq!(
            report_rows(conn, "person-timeline", &[("name", &name)]),
            view,
            "{name}"
        );
    }
}

#[test]
fn busiest_diplomats_and_most_quoted_return_the_rows_of_the_people_view() {
    let (_dir, archive) = archive_of_articles();
    let conn = archive.connection();
    for limit in ["1", "2", "20"] {
        let bound = vec![("limit".to_string(), limit.to_string())];
        let busiest = row_set(
            conn,
            "SELECT name, latest_title, latest_country, meetings, counterparts, first_seen, last_seen
               FROM people WHERE meetings > 0
              ORDER BY meetings DESC, counterparts DESC, name LIMIT :limit",
            &bound,
        );
        assert!(!busiest.is_empty());
        assert_eq!(
            report_rows(conn, "busiest-diplomats", &[("limit", limit)]),
            busiest
        );
        let quoted = row_set(
            conn,
            "SELECT name, latest_title, latest_country, quotes, articles, first_seen, last_seen
               FROM people WHERE quotes > 0 ORDER BY quotes DESC, name LIMIT :limit",
            &bound,
        );
        assert!(!quoted.is_empty());
        assert_eq!(
            report_rows(conn, "most-quoted", &[("limit", limit)]),
            quoted
        );
    }
}

#[test]
fn every_meetings_evidence_is_the_bytes_of_its_span() {
    let (_dir, archive) = archive_of_articles();
    let conn = archive.connection();
    let mut stmt = conn
        .prepare(
            "SELECT a.text, m.span_start, m.span_end, s.evidence FROM meeting_summaries s
               JOIN meetings m ON m.id = s.meeting_id JOIN articles a ON a.id = m.article_id",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows.len() >= 3, "{rows:?}");
    for (text, start, end, evidence) in rows {
        assert_eq!(evidence, &text[start as usize..end as usize]);
    }
}

#[test]
fn a_parameter_that_cannot_be_right_is_an_error_saying_what_was_expected() {
    let (_dir, archive) = archive_of_articles();
    let conn = archive.connection();
    let reports = report::catalogue(None).unwrap();
    let run = |name: &str, params: &[(&str, &str)]| {
        let given: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        reports
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .run(conn, &given)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let error = run(
        "country-calendar",
        &[("country", "PER"), ("since", "2006-13-01")],
    )
    .unwrap_err();
    assert!(error.contains("YYYY-MM-DD"), "{error}");
    let error = run("busiest-diplomats", &[("limit", "ten")]).unwrap_err();
    assert!(error.contains("whole number"), "{error}");
    let error = run("offices-held", &[("country", "XYZ")]).unwrap_err();
    assert!(error.contains("ISO 3166-1 alpha-3"), "{error}");
    let error = run("person-meetings", &[("name", "Nobody Atall")]).unwrap_err();
    assert!(error.contains("a person in the archive"), "{error}");
    assert!(run("country-calendar", &[("country", "per")]).is_ok());
    assert!(run("person-meetings", &[("name", "Paula Errázuriz")]).is_ok());
}

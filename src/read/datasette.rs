//! A Datasette metadata file for an archive, so that `datasette parley.db -m metadata.yml` gives a
//! usable browser: every saved report becomes a canned query (title, description, named
//! parameters), tables get label columns (so foreign keys show a name, not a number), facets and
//! the full-text index, and parley's bookkeeping table is hidden.
//!
//! Datasette passes every parameter as text and an omitted one as the empty string, while a report
//! may declare defaults (`-- param: limit = 20`) and compare numbers. In the canned query each
//! parameter with a default is therefore replaced by `COALESCE(NULLIF(:name, ''), default)`, cast
//! to INTEGER or REAL when the default is a number, so that the page and `parley report run` give
//! the same rows. The defaults come from the reports' own headers, never from a user.

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::read::report::Report;

/// The columns that name a row of each table, for Datasette's foreign-key labels.
const LABEL_COLUMNS: [(&str, &str); 5] = [
    ("articles", "title"),
    ("participants", "name"),
    ("article_participants", "name"),
    ("participant_aliases", "alias"),
    ("meetings", "place"),
];

/// Columns offered as facets, per table.
const FACETS: [(&str, &[&str]); 4] = [
    ("articles", &["source", "raw_format"]),
    ("meetings", &["status", "mode", "place"]),
    ("quotes", &["kind"]),
    ("article_participants", &["country", "title"]),
];

/// Tables that are parley's bookkeeping, not data.
const HIDDEN: [&str; 1] = ["refinery_schema_history"];

/// The archive's tables and their columns, as `metadata` needs them.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<(String, Vec<String>)>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut columns = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    names
        .into_iter()
        .map(|name| {
            let cols = columns
                .query_map([&name], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok((name, cols))
        })
        .collect()
}

/// The metadata document for the database `database` (Datasette names a database after its file
/// stem) with the given reports and tables.
pub fn metadata(database: &str, reports: &[Report], tables: &[(String, Vec<String>)]) -> Value {
    let has = |table: &str, column: &str| {
        tables
            .iter()
            .any(|(t, cols)| t == table && cols.iter().any(|c| c == column))
    };
    let mut table_meta = Map::new();
    for (table, _) in tables {
        let mut meta = Map::new();
        if let Some((_, label)) = LABEL_COLUMNS.iter().find(|(t, c)| t == table && has(t, c)) {
            meta.insert("label_column".into(), json!(label));
        }
        if let Some((_, facets)) = FACETS.iter().find(|(t, _)| t == table) {
            let present: Vec<&str> = facets.iter().copied().filter(|c| has(table, c)).collect();
            if !present.is_empty() {
                meta.insert("facets".into(), json!(present));
            }
        }
        if table == "articles" && tables.iter().any(|(t, _)| t == "articles_fts") {
            meta.insert("fts_table".into(), json!("articles_fts"));
            meta.insert("fts_pk".into(), json!("id"));
            meta.insert("sort_desc".into(), json!("published"));
        }
        if table == "quotes" && tables.iter().any(|(t, _)| t == "quotes_fts") {
            meta.insert("fts_table".into(), json!("quotes_fts"));
            meta.insert("fts_pk".into(), json!("id"));
        }
        if HIDDEN.contains(&table.as_str()) {
            meta.insert("hidden".into(), json!(true));
        }
        if !meta.is_empty() {
            table_meta.insert(table.clone(), Value::Object(meta));
        }
    }
    let mut queries = Map::new();
    for report in reports {
        queries.insert(report.name.clone(), canned_query(report));
    }
    json!({
        "title": "parley archive",
        "description": "Meetings, people and quotes that parley extracted from news articles about diplomacy. \
                        The views (meeting_attendance, meeting_summaries, quote_attributions, people, person_pairs, \
                        country_pairs) are the stable interface; the canned queries are parley's saved reports.",
        "databases": {
            database: {
                "tables": table_meta,
                "queries": queries,
            }
        }
    })
}

fn canned_query(report: &Report) -> Value {
    let mut description = report.description.clone();
    if !report.params.is_empty() {
        let params: Vec<String> = report
            .params
            .iter()
            .map(|p| {
                let default = p
                    .default
                    .as_ref()
                    .map(|d| format!(" (default {d})"))
                    .unwrap_or_default();
                format!("{}{default}: {}", p.name, p.description)
            })
            .collect();
        description = format!("{description} Parameters: {}.", params.join("; "));
    }
    json!({
        "title": report.title,
        "description": description.trim(),
        "params": report.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "sql": with_defaults(report),
    })
}

/// The report's SQL with each defaulted parameter replaced by an expression that falls back to the
/// default when Datasette passes an empty string.
pub fn with_defaults(report: &Report) -> String {
    rewrite_parameters(&report.sql, |name| {
        let default = report
            .params
            .iter()
            .find(|p| p.name == name)?
            .default
            .as_ref()?;
        Some(if default.parse::<i64>().is_ok() {
            format!("CAST(COALESCE(NULLIF(:{name}, ''), {default}) AS INTEGER)")
        } else if default.parse::<f64>().is_ok_and(f64::is_finite) {
            format!("CAST(COALESCE(NULLIF(:{name}, ''), {default}) AS REAL)")
        } else {
            format!(
                "COALESCE(NULLIF(:{name}, ''), '{}')",
                default.replace('\'', "''")
            )
        })
    })
}

/// Replaces each `:name` parameter outside string literals, quoted identifiers and comments by what
/// `replace` returns for it (`None` keeps it).
pub fn rewrite_parameters(sql: &str, replace: impl Fn(&str) -> Option<String>) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 64);
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is an escaped one inside the literal.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b':' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && (i == 0
                    || !(bytes[i - 1].is_ascii_alphanumeric()
                        || bytes[i - 1] == b'_'
                        || bytes[i - 1] == b':')) =>
            {
                let start = i;
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if let Some(replacement) = replace(&sql[start + 1..i]) {
                    out.push_str(&sql[copied..start]);
                    out.push_str(&replacement);
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(sql: &str) -> Report {
        Report::from_sql("demo", sql, None).unwrap()
    }

    #[test]
    fn defaulted_parameters_fall_back_when_datasette_sends_an_empty_string() -> rusqlite::Result<()>
    {
        let r = report(
            "-- title: Demo\n-- description: d\n-- param: n = 2  rows\n-- param: kind = direct  kind\n-- param: who  a name\n\
             SELECT :who AS who, :kind AS kind FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) LIMIT :n",
        );
        let sql = with_defaults(&r);
        let conn = Connection::open_in_memory()?;
        let rows: Vec<(String, String)> = conn
            .prepare(&sql)?
            .query_map(
                rusqlite::named_params! {":who": "Ann", ":kind": "", ":n": ""},
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(rows, vec![("Ann".to_string(), "direct".to_string()); 2]);
        let given = conn
            .prepare(&sql)?
            .query_map(
                rusqlite::named_params! {":who": "Bo", ":kind": "x", ":n": "3"},
                |_| Ok(()),
            )?
            .count();
        assert_eq!(given, 3);
        Ok(())
    }

    #[test]
    fn numbers_given_as_text_compare_as_numbers() -> rusqlite::Result<()> {
        let r = report(
            "-- title: Demo\n-- description: d\n-- param: article = 0  id\nSELECT :article = 0 AS latest",
        );
        let conn = Connection::open_in_memory()?;
        let latest: bool = conn.query_row(
            &with_defaults(&r),
            rusqlite::named_params! {":article": "0"},
            |r| r.get(0),
        )?;
        assert!(latest, "'0' from Datasette must equal 0");
        Ok(())
    }

    #[test]
    fn parameters_in_strings_comments_and_identifiers_are_left_alone() {
        let sql =
            "-- param: n = 1 :n\nSELECT ':n', \"a:n\", [b:n], x::n /* :n */, :n, :nn FROM t -- :n";
        let out = rewrite_parameters(sql, |name| (name == "n").then(|| "?".to_string()));
        assert_eq!(
            out,
            "-- param: n = 1 :n\nSELECT ':n', \"a:n\", [b:n], x::n /* :n */, ?, :nn FROM t -- :n"
        );
    }

    #[test]
    fn every_report_is_a_canned_query_and_tables_get_labels() -> rusqlite::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        crate::store::migrations::runner().run(&mut conn).unwrap();
        let reports = crate::read::report::catalogue(None).unwrap();
        let meta = metadata("parley", &reports, &tables(&conn)?);
        let db = &meta["databases"]["parley"];
        assert_eq!(db["queries"].as_object().unwrap().len(), reports.len());
        for report in &reports {
            let query = &db["queries"][&report.name];
            assert_eq!(query["title"], report.title.as_str());
            let params: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(query["params"], json!(params));
            // The rewritten SQL still prepares against the real schema.
            conn.prepare(query["sql"].as_str().unwrap())?;
        }
        assert_eq!(db["tables"]["participants"]["label_column"], "name");
        assert_eq!(db["tables"]["articles"]["label_column"], "title");
        assert_eq!(db["tables"]["articles"]["fts_table"], "articles_fts");
        assert_eq!(db["tables"]["refinery_schema_history"]["hidden"], true);
        Ok(())
    }
}

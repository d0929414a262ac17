//! Running SQL over an archive: binds named `:parameters` from strings, refuses anything that would
//! write, and hands the rows to `output` as they are read ([`stream`]), or collects them into a
//! [`Table`] ([`run`]). Used by `query`, `report` and `export`.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};
use thiserror::Error;

use crate::output::{Cell, Rows, Table};

#[derive(Debug, Error)]
pub enum QueryError {
    #[error("the SQL is empty")]
    Empty,
    #[error("only one SQL statement can be run at a time")]
    SeveralStatements,
    #[error("parley query only reads: this statement would change the archive ({0})")]
    NotReadOnly(String),
    #[error("parameter :{name} is not given (pass it with -p {name} VALUE)")]
    MissingParameter { name: String },
    #[error("parameter {name} is not used by the SQL (it takes: {takes})")]
    UnknownParameter { name: String, takes: String },
    #[error("parameters must be named (:name), not positional ({0})")]
    PositionalParameter(String),
    #[error("{0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// A parameter value from the command line, bound as an integer or real where it reads as one
/// (so that `LIMIT :n` works), else as text.
fn bind_value(value: &str) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    if let Ok(n) = value.parse::<i64>() {
        Value::Integer(n)
    } else if let Some(x) = value
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && value.contains('.'))
    {
        Value::Real(x)
    } else {
        Value::Text(value.to_string())
    }
}

/// The names of the statement's parameters, without their `:`, `@` or `$`.
pub fn parameter_names(stmt: &Statement<'_>) -> Result<Vec<String>, QueryError> {
    (1..=stmt.parameter_count())
        .map(|i| match stmt.parameter_name(i) {
            Some(name) if name.len() > 1 && !name.starts_with('?') => Ok(name[1..].to_string()),
            other => Err(QueryError::PositionalParameter(
                other.unwrap_or("?").to_string(),
            )),
        })
        .collect()
}

/// Runs one read-only statement with named parameters and returns all its rows.
pub fn run(conn: &Connection, sql: &str, params: &[(String, String)]) -> Result<Table, QueryError> {
    let mut table = Table::default();
    stream(conn, sql, params, &mut table)?;
    Ok(table)
}

/// Runs one read-only statement with named parameters, giving each row to `rows` as it is read.
pub fn stream(
    conn: &Connection,
    sql: &str,
    params: &[(String, String)],
    rows: &mut dyn Rows,
) -> Result<(), QueryError> {
    let sql = sql.trim();
    if sql.is_empty() || sql.chars().all(|c| c == ';' || c.is_whitespace()) {
        return Err(QueryError::Empty);
    }
    let mut stmt = conn.prepare(sql).map_err(|e| match e {
        rusqlite::Error::MultipleStatement => QueryError::SeveralStatements,
        other => QueryError::Sql(other),
    })?;
    if !stmt.readonly() {
        let verb = sql.split_whitespace().next().unwrap_or("").to_uppercase();
        return Err(QueryError::NotReadOnly(verb));
    }
    let names = parameter_names(&stmt)?;
    for (name, _) in params {
        let bare = name.trim_start_matches([':', '@', '$']);
        if !names.iter().any(|n| n == bare) {
            let takes = if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            };
            return Err(QueryError::UnknownParameter {
                name: name.clone(),
                takes,
            });
        }
    }
    for (index, name) in names.iter().enumerate() {
        let value = params
            .iter()
            .rev()
            .find(|(given, _)| given.trim_start_matches([':', '@', '$']) == name)
            .ok_or_else(|| QueryError::MissingParameter { name: name.clone() })?;
        stmt.raw_bind_parameter(index + 1, bind_value(&value.1))?;
    }
    let columns: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    stream_rows(&columns, stmt.raw_query(), rows)
}

/// Gives every row of a running statement to `rows`, with the given column names.
pub fn stream_rows(
    columns: &[String],
    mut cursor: rusqlite::Rows<'_>,
    rows: &mut dyn Rows,
) -> Result<(), QueryError> {
    rows.columns(columns)?;
    let mut cells = Vec::with_capacity(columns.len());
    while let Some(row) = cursor.next()? {
        cells.clear();
        for i in 0..columns.len() {
            cells.push(Cell::from(row.get_ref(i)?));
        }
        rows.row(&cells)?;
    }
    rows.finish()?;
    Ok(())
}

/// Reads every row of a running statement into a [`Table`] with the given column names.
pub fn collect_rows(columns: Vec<String>, cursor: rusqlite::Rows<'_>) -> rusqlite::Result<Table> {
    let mut table = Table::default();
    match stream_rows(&columns, cursor, &mut table) {
        Ok(()) => Ok(table),
        Err(QueryError::Sql(e)) => Err(e),
        // Collecting into a table writes nothing, and the statement has run its checks already.
        Err(other) => unreachable!("collecting rows failed: {other}"),
    }
}

impl From<ValueRef<'_>> for Cell {
    fn from(value: ValueRef<'_>) -> Cell {
        match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) => Cell::Integer(n),
            ValueRef::Real(x) => Cell::Real(x),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (name TEXT, n INTEGER); INSERT INTO t VALUES ('a', 1), ('b', 2);",
        )
        .unwrap();
        conn
    }

    fn p(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    #[test]
    fn named_parameters_bind_numbers_as_numbers() -> Result<(), QueryError> {
        let table = run(
            &conn(),
            "SELECT name FROM t WHERE n >= :min ORDER BY name LIMIT :limit",
            &[p("min", "1"), p("limit", "1")],
        )?;
        assert_eq!(table.rows, vec![vec![Cell::Text("a".into())]]);
        Ok(())
    }

    #[test]
    fn a_write_is_refused_before_it_runs() {
        let conn = conn();
        assert!(
            matches!(run(&conn, "DELETE FROM t", &[]), Err(QueryError::NotReadOnly(v)) if v == "DELETE")
        );
        let left: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 2);
    }

    #[test]
    fn unknown_and_missing_parameters_are_named() {
        let err = run(&conn(), "SELECT * FROM t WHERE n = :n", &[p("m", "1")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parameter m is not used by the SQL (it takes: n)"
        );
        let err = run(&conn(), "SELECT * FROM t WHERE n = :n", &[]).unwrap_err();
        assert!(err.to_string().contains(":n is not given"));
    }

    #[test]
    fn several_statements_are_refused() {
        assert!(matches!(
            run(&conn(), "SELECT 1; SELECT 2", &[]),
            Err(QueryError::SeveralStatements)
        ));
    }
}

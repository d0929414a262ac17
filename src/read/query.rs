//! Running SQL over an archive: binds named `:parameters` from strings, refuses anything that would
//! write, and hands the rows to `output` as they are read ([`stream`]), or collects them into a
//! [`Table`] ([`run`]). Used by `query`, `report` and `export`. [`within`] stops a read that runs
//! longer than a time limit (`query --timeout`, `report run --timeout`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, Statement};
use thiserror::Error;

use crate::output::{Cell, Rows, Table};

#[derive(Debug, Error)]
pub enum QueryError {
    #[error("the SQL is empty: it holds no statement, only white space or comments")]
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
    #[error(
        "the query was stopped at its time limit of {} (any rows written are incomplete; the archive is unchanged); raise the limit with --timeout, e.g. --timeout {}, or lift it with --timeout 0",
        show_duration(*limit),
        show_duration(*limit * 4)
    )]
    TimedOut { limit: Duration },
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
    if holds_no_statement(sql) {
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

/// How long `query` and `report run` may read before they are stopped, unless `--timeout` says
/// otherwise: a minute less than a writer waits for readers ([`crate::store::WAIT_LIMIT`]), so that
/// no read makes a waiting import or reparse give up (the minute covers stopping the statement and
/// the process), while a query that merely takes minutes on a large archive still finishes.
pub const DEFAULT_TIMEOUT: &str = "9m";

/// Runs `read`, which runs statements on `conn`, and interrupts them once `limit` has passed (from
/// a timer thread, through SQLite's `sqlite3_interrupt`): the statement then fails, and the failure
/// becomes [`QueryError::TimedOut`]. `None` sets no limit. An interrupted read has written nothing
/// (the connection only reads); rows already handed on stay handed on. SQLite does not interrupt a
/// wait for a lock (the store's busy handler): a query that waits behind a writer's commit past its
/// limit is stopped once it runs again, or finishes if it is short (seen: a count waited 8 s behind
/// an import with a 2 s limit, then answered).
pub fn within<T>(
    conn: &Connection,
    limit: Option<Duration>,
    read: impl FnOnce() -> Result<T, QueryError>,
) -> Result<T, QueryError> {
    let Some(limit) = limit else {
        return read();
    };
    let interrupt = conn.get_interrupt_handle();
    let fired = Arc::new(AtomicBool::new(false));
    let (done, finished) = mpsc::channel::<()>();
    let timer = {
        let fired = Arc::clone(&fired);
        std::thread::spawn(move || {
            // A message or a hang-up both mean the read is over; only the limit interrupts.
            if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(limit) {
                fired.store(true, Ordering::SeqCst);
                interrupt.interrupt();
            }
        })
    };
    let result = read();
    drop(done);
    let _ = timer.join();
    match result {
        Err(QueryError::Sql(e))
            if fired.load(Ordering::SeqCst)
                && e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted) =>
        {
            Err(QueryError::TimedOut { limit })
        }
        other => other,
    }
}

/// Reads a time limit: a number with a unit (`500ms`, `30s`, `10m`, `2h`; a plain number is
/// seconds), or `0` / `none` for no limit (`None`).
pub fn parse_timeout(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "{text:?} is not a time limit: give a number with a unit (500ms, 30s, 10m, 2h), or 0 for none"
        )
    };
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let seconds_per = match unit.trim() {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    let limit = Duration::try_from_secs_f64(number * seconds_per).map_err(|_| bad())?;
    Ok((!limit.is_zero()).then_some(limit))
}

/// A duration as `parse_timeout` reads it: `500ms`, `30s`, `10m`, `2h`, `90s`.
pub fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if !ms.is_multiple_of(1000) {
        format!("{ms}ms")
    } else if ms.is_multiple_of(3_600_000) {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", ms / 1000)
    }
}

/// Whether the SQL is nothing but white space, semicolons and comments. SQLite compiles such SQL to
/// no statement at all, which rusqlite then reports as "API misuse".
fn holds_no_statement(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
        if rest.is_empty() {
            return true;
        }
        if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return false;
        }
    }
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

    /// A statement that counts to a billion: seconds of work before its one row.
    const LONG: &str = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT count(*) FROM c";

    #[test]
    fn a_read_past_its_limit_is_stopped_and_says_the_limit() -> Result<(), QueryError> {
        let conn = conn();
        let started = std::time::Instant::now();
        let err = within(&conn, Some(Duration::from_millis(200)), || {
            run(&conn, LONG, &[])
        })
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(matches!(err, QueryError::TimedOut { .. }), "{err}");
        assert!(err.to_string().contains("time limit of 200ms"), "{err}");
        assert!(err.to_string().contains("--timeout 800ms"), "{err}");
        // The connection is usable afterwards: the interrupt ended with the statement.
        assert_eq!(run(&conn, "SELECT count(*) FROM t", &[])?.rows.len(), 1);
        Ok(())
    }

    #[test]
    fn a_read_within_its_limit_is_not_disturbed_by_the_timer() -> Result<(), QueryError> {
        let conn = conn();
        for _ in 0..20 {
            let table = within(&conn, Some(Duration::from_millis(1)), || {
                run(&conn, "SELECT name FROM t ORDER BY name", &[])
            });
            // With a 1 ms limit the timer may win; then it is a timeout, never another error.
            match table {
                Ok(table) => assert_eq!(table.rows.len(), 2),
                Err(QueryError::TimedOut { .. }) => {}
                Err(other) => panic!("{other}"),
            }
        }
        let table = within(&conn, Some(Duration::from_secs(60)), || {
            run(&conn, "SELECT name FROM t", &[])
        })?;
        assert_eq!(table.rows.len(), 2);
        Ok(())
    }

    #[test]
    fn the_default_limit_ends_a_query_a_minute_before_a_waiting_writer_would_give_up() {
        assert_eq!(
            parse_timeout(DEFAULT_TIMEOUT),
            Ok(Some(crate::store::WAIT_LIMIT - Duration::from_secs(60)))
        );
    }

    #[test]
    fn time_limits_are_read_with_their_units_and_zero_means_none() {
        let s = |n| Some(Duration::from_secs(n));
        assert_eq!(parse_timeout("30"), Ok(s(30)));
        assert_eq!(parse_timeout("30s"), Ok(s(30)));
        assert_eq!(parse_timeout("10m"), Ok(s(600)));
        assert_eq!(parse_timeout("2h"), Ok(s(7200)));
        assert_eq!(parse_timeout("1.5s"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(parse_timeout("250ms"), Ok(Some(Duration::from_millis(250))));
        assert_eq!(parse_timeout("0"), Ok(None));
        assert_eq!(parse_timeout("none"), Ok(None));
        for bad in ["", "s", "ten", "5 weeks", "-3s", "1e9999"] {
            assert!(parse_timeout(bad).is_err(), "{bad:?} was accepted");
        }
        for d in [
            Duration::from_millis(250),
            s(90).unwrap(),
            s(600).unwrap(),
            s(7200).unwrap(),
        ] {
            assert_eq!(parse_timeout(&show_duration(d)), Ok(Some(d)));
        }
    }

    #[test]
    fn several_statements_are_refused() {
        assert!(matches!(
            run(&conn(), "SELECT 1; SELECT 2", &[]),
            Err(QueryError::SeveralStatements)
        ));
    }
}

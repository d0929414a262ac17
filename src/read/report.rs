//! Saved reports: `.sql` files whose header comment gives a title, a description and the named
//! parameters, like Datasette's canned queries. The project's own (`reports/`) are embedded in the
//! binary; a user's come from a folder. Running one checks its parameters, then goes through `query`.
//!
//! ```sql
//! -- title: Everyone a person met
//! -- description: Each held meeting of the person, with the others in it, the date and the place.
//! -- param: name  the person's name or any alias, as stored
//! -- param: limit = 100  how many rows at most
//! SELECT ...
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use thiserror::Error;

use crate::output::{Rows, Table};
use crate::read::query::{self, QueryError};

include!(concat!(env!("OUT_DIR"), "/builtin_reports.rs"));

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportParam {
    pub name: String,
    pub default: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: String,
    pub title: String,
    pub description: String,
    pub params: Vec<ReportParam>,
    pub sql: String,
    /// Where a user's report was read from; `None` for a shipped one.
    pub origin: Option<PathBuf>,
}

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("no report named {name:?} (available: {available})")]
    Unknown { name: String, available: String },
    #[error("report {report} has no parameter {name} (it takes: {takes})")]
    UnexpectedParameter {
        report: String,
        name: String,
        takes: String,
    },
    #[error("report {report} needs parameter {name} (it takes: {takes}); pass -p {name} VALUE")]
    MissingParameter {
        report: String,
        name: String,
        takes: String,
    },
    #[error("report file {path}: {message}")]
    Malformed { path: String, message: String },
    #[error("cannot read reports from {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("report {report}: parameter {name} is {value:?}, but {expected}")]
    BadParameter {
        report: String,
        name: String,
        value: String,
        expected: String,
    },
    #[error("report {report}: {source}")]
    Query {
        report: String,
        #[source]
        source: QueryError,
    },
}

impl Report {
    /// Reads a report from its file text. `name` is the file's stem.
    pub fn from_sql(
        name: &str,
        text: &str,
        origin: Option<PathBuf>,
    ) -> Result<Report, ReportError> {
        let where_from = origin
            .as_ref()
            .map_or_else(|| format!("{name}.sql"), |p| p.display().to_string());
        let malformed = |message: String| ReportError::Malformed {
            path: where_from.clone(),
            message,
        };
        let mut title = None;
        let mut description = String::new();
        let mut params = Vec::new();
        for line in text.lines() {
            let Some(comment) = line.trim_start().strip_prefix("--") else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            let comment = comment.trim();
            if let Some(value) = comment.strip_prefix("title:") {
                title = Some(value.trim().to_string());
            } else if let Some(value) = comment.strip_prefix("description:") {
                description = value.trim().to_string();
            } else if let Some(value) = comment.strip_prefix("param:") {
                params.push(
                    parse_param(value)
                        .ok_or_else(|| malformed(format!("bad parameter line {line:?}")))?,
                );
            } else if !description.is_empty() && !comment.is_empty() && params.is_empty() {
                // A description may run over several comment lines.
                description.push(' ');
                description.push_str(comment);
            }
        }
        let title = title.ok_or_else(|| malformed("the header has no `-- title:` line".into()))?;
        Ok(Report {
            name: name.to_string(),
            title,
            description,
            params,
            sql: text.to_string(),
            origin,
        })
    }

    fn takes(&self) -> String {
        if self.params.is_empty() {
            return "no parameters".into();
        }
        self.params
            .iter()
            .map(|p| match &p.default {
                Some(default) => format!("{} (default {default})", p.name),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Runs the report with the given `(name, value)` parameters; declared defaults fill the rest.
    pub fn run(&self, conn: &Connection, given: &[(String, String)]) -> Result<Table, ReportError> {
        let mut table = Table::default();
        self.stream(conn, given, &mut table, None)?;
        Ok(table)
    }

    /// [`Report::run`], giving each row to `rows` as it is read, and stopping the report's
    /// statement once `limit` has passed (see [`query::within`]).
    pub fn stream(
        &self,
        conn: &Connection,
        given: &[(String, String)],
        rows: &mut dyn Rows,
        limit: Option<Duration>,
    ) -> Result<(), ReportError> {
        for (name, _) in given {
            if !self.params.iter().any(|p| &p.name == name) {
                return Err(ReportError::UnexpectedParameter {
                    report: self.name.clone(),
                    name: name.clone(),
                    takes: self.takes(),
                });
            }
        }
        let mut bound = Vec::with_capacity(self.params.len());
        for param in &self.params {
            let value = given
                .iter()
                .rev()
                .find(|(name, _)| name == &param.name)
                .map(|(_, value)| value.clone())
                .or_else(|| param.default.clone())
                .ok_or_else(|| ReportError::MissingParameter {
                    report: self.name.clone(),
                    name: param.name.clone(),
                    takes: self.takes(),
                })?;
            let value = self.checked_value(conn, param, value)?;
            bound.push((param.name.clone(), value));
        }
        query::within(conn, limit, || query::stream(conn, &self.sql, &bound, rows)).map_err(
            |source| ReportError::Query {
                report: self.name.clone(),
                source,
            },
        )
    }
}

impl Report {
    /// A parameter's value once it is known to make sense, or the error that says what was
    /// expected: a date (`since`, `until`, or "YYYY-MM-DD" in the description) must be a real date;
    /// a count (`limit`, `article`) a whole number; a country ("ISO 3166-1 alpha-3" in the
    /// description) a code parley knows; a person (`name`) someone in the archive. A person's
    /// name is bound as its matching key ([`crate::names::key`]), the form `participant_aliases`
    /// stores, so "François" finds "Francois" too.
    fn checked_value(
        &self,
        conn: &Connection,
        param: &ReportParam,
        value: String,
    ) -> Result<String, ReportError> {
        let bad = |expected: &str| ReportError::BadParameter {
            report: self.name.clone(),
            name: param.name.clone(),
            value: value.clone(),
            expected: expected.to_string(),
        };
        let name = param.name.as_str();
        let description = param.description.as_str();
        if matches!(name, "since" | "until") || description.contains("YYYY-MM-DD") {
            chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
                .map_err(|_| bad("a date is expected, as YYYY-MM-DD (e.g. 2006-11-30)"))?;
            return Ok(value.trim().to_string());
        }
        if matches!(name, "limit" | "article") {
            value
                .trim()
                .parse::<u64>()
                .map_err(|_| bad("a whole number of 0 or more is expected"))?;
            return Ok(value.trim().to_string());
        }
        if description.contains("ISO 3166-1 alpha-3") {
            let code = value.trim().to_uppercase();
            if !crate::lexicon::countries()
                .list
                .iter()
                .any(|c| c.iso3 == code)
            {
                return Err(bad(
                    "an ISO 3166-1 alpha-3 country code is expected (e.g. USA, IRN, GBR)",
                ));
            }
            return Ok(code);
        }
        if name == "name" {
            let key = crate::names::key(&value);
            let known: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM participant_aliases WHERE alias_key = ?1)",
                    [&key],
                    |r| r.get(0),
                )
                .unwrap_or(true);
            if !known {
                return Err(bad(
                    "the name of a person in the archive is expected (`parley people list` shows them)",
                ));
            }
            return Ok(key);
        }
        Ok(value)
    }
}

/// `name  description` or `name = default  description`.
fn parse_param(text: &str) -> Option<ReportParam> {
    let text = text.trim();
    let name_end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    if name.is_empty() {
        return None;
    }
    let rest = text[name_end..].trim_start();
    let (default, description) = match rest.strip_prefix('=') {
        Some(after) => {
            let after = after.trim_start();
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (Some(after[..end].to_string()), after[end..].trim())
        }
        None => (None, rest),
    };
    Some(ReportParam {
        name: name.to_string(),
        default,
        description: description.to_string(),
    })
}

/// Every report a command can run: the shipped ones and a user's, with what loading them noticed.
#[derive(Debug)]
pub struct Catalogue {
    /// Sorted by name.
    pub reports: Vec<Report>,
    /// What the user should hear about their folder: files skipped, shipped reports replaced.
    pub notices: Vec<Notice>,
}

/// Something about a user's report folder worth one line on stderr; none of it stops a command.
#[derive(Debug, Error)]
pub enum Notice {
    /// One bad file must not take the shipped reports (or the user's other files) down with it.
    #[error("skipping {0}")]
    Skipped(ReportError),
    /// A user may replace a shipped report on purpose, but never without being told.
    #[error("report {name} from {} overrides the shipped one", path.display())]
    Overrides { name: String, path: PathBuf },
}

impl Catalogue {
    /// The shipped reports, then the `.sql` files of `user_dir` (a user's report replaces a shipped
    /// one of the same name, and says so). A user's file that cannot be read or has no valid header
    /// is skipped with a notice; only a folder that cannot be listed is an error.
    pub fn load(user_dir: Option<&Path>) -> Result<Catalogue, ReportError> {
        let mut reports: Vec<Report> = BUILTIN_REPORTS
            .iter()
            .map(|(name, sql)| Report::from_sql(name, sql, None))
            .collect::<Result<_, _>>()?;
        let mut notices = Vec::new();
        if let Some(dir) = user_dir {
            let io_err = |source| ReportError::Io {
                path: dir.to_owned(),
                source,
            };
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(io_err)?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
                .collect();
            paths.sort();
            for path in paths {
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let loaded = std::fs::read_to_string(&path)
                    .map_err(|source| ReportError::Io {
                        path: path.clone(),
                        source,
                    })
                    .and_then(|text| Report::from_sql(&name, &text, Some(path.clone())));
                let report = match loaded {
                    Ok(report) => report,
                    Err(err) => {
                        notices.push(Notice::Skipped(err));
                        continue;
                    }
                };
                if let Some(at) = reports.iter().position(|r| r.name == report.name) {
                    if reports[at].origin.is_none() {
                        notices.push(Notice::Overrides {
                            name: report.name.clone(),
                            path: path.clone(),
                        });
                    }
                    reports.remove(at);
                }
                reports.push(report);
            }
        }
        reports.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Catalogue { reports, notices })
    }

    /// The report of that name, or an error listing the available ones.
    pub fn find(&self, name: &str) -> Result<&Report, ReportError> {
        self.reports
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| ReportError::Unknown {
                name: name.to_string(),
                available: self.names().join(", "),
            })
    }

    /// The reports' names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.reports.iter().map(|r| r.name.as_str()).collect()
    }
}

/// The reports of [`Catalogue::load`], without its notices (callers that show none to a user).
pub fn catalogue(user_dir: Option<&Path>) -> Result<Vec<Report>, ReportError> {
    Ok(Catalogue::load(user_dir)?.reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_title_description_and_parameters() -> Result<(), ReportError> {
        let report = Report::from_sql(
            "demo",
            "-- title: Demo\n-- description: Shows\n--   things.\n-- param: who  a name\n-- param: limit = 5  rows\nSELECT :who, :limit",
            None,
        )?;
        assert_eq!(report.title, "Demo");
        assert_eq!(report.description, "Shows things.");
        assert_eq!(
            report.params[0],
            ReportParam {
                name: "who".into(),
                default: None,
                description: "a name".into()
            }
        );
        assert_eq!(report.params[1].default.as_deref(), Some("5"));
        Ok(())
    }

    #[test]
    fn parameters_are_checked_against_the_header() -> Result<(), ReportError> {
        let conn = Connection::open_in_memory().unwrap();
        let report = Report::from_sql(
            "demo",
            "-- title: Demo\n-- param: who  a name\nSELECT :who AS who",
            None,
        )?;
        let err = report
            .run(&conn, &[("whom".into(), "x".into())])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "report demo has no parameter whom (it takes: who)"
        );
        let err = report.run(&conn, &[]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("report demo needs parameter who")
        );
        let table = report.run(&conn, &[("who".into(), "Ann".into())])?;
        assert_eq!(table.rows.len(), 1);
        Ok(())
    }

    #[test]
    fn every_shipped_report_declares_exactly_the_parameters_its_sql_uses() -> Result<(), ReportError>
    {
        let conn = Connection::open_in_memory().unwrap();
        let mut archive_conn = conn;
        crate::store::migrations::runner()
            .run(&mut archive_conn)
            .unwrap();
        let reports = catalogue(None)?;
        assert!(reports.len() >= 5, "only {} shipped reports", reports.len());
        for report in reports {
            let stmt = archive_conn.prepare(&report.sql).unwrap();
            let mut used = query::parameter_names(&stmt).unwrap();
            let mut declared: Vec<String> = report.params.iter().map(|p| p.name.clone()).collect();
            used.sort();
            declared.sort();
            assert_eq!(used, declared, "report {}", report.name);
            assert!(
                !report.description.is_empty(),
                "report {} has no description",
                report.name
            );
        }
        Ok(())
    }

    #[test]
    fn a_bad_user_file_is_skipped_and_an_override_announced() -> Result<(), ReportError> {
        let dir = std::env::temp_dir().join(format!("parley-reports-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("broken.sql"), "SELECT 1\n").unwrap();
        std::fs::write(
            dir.join("most-quoted.sql"),
            "-- title: Mine\n-- description: My own ranking.\nSELECT 1\n",
        )
        .unwrap();
        let catalogue = Catalogue::load(Some(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        let catalogue = catalogue?;
        assert_eq!(catalogue.notices.len(), 2, "{:?}", catalogue.notices);
        assert!(matches!(catalogue.notices[0], Notice::Skipped(_)));
        assert!(matches!(catalogue.notices[1], Notice::Overrides { .. }));
        assert!(catalogue.find("broken").is_err());
        assert_eq!(catalogue.find("most-quoted")?.title, "Mine");
        assert!(catalogue.find("person-meetings")?.origin.is_none());
        Ok(())
    }
}

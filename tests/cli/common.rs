//! What every CLI test binary needs: a temporary folder with its own archive, and the built
//! `parley` run inside it with none of the user's environment.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;
use tempfile::TempDir;

/// A file under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The default archive, `parley.db` in the sandbox.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("parley.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `parley` in the sandbox, without PARLEY_DB, PARLEY_REPORTS or colour from the environment.
    pub fn parley(&self) -> Command {
        let mut cmd = Command::cargo_bin("parley").unwrap();
        cmd.current_dir(self.dir.path())
            .env_remove("PARLEY_DB")
            .env_remove("PARLEY_REPORTS")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn import(&self, paths: &[&Path]) -> assert_cmd::assert::Assert {
        self.parley().arg("import").args(paths).assert()
    }

    /// Runs parley and returns (success, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = self.parley().args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs parley, which must succeed, and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (ok, stdout, stderr) = self.run(args);
        assert!(ok, "parley {args:?} failed: {stderr}");
        stdout
    }

    /// The first column of the first row of `sql` on the archive, read directly.
    pub fn sql<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        Connection::open(self.db())
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }

    /// Every row of `sql` on the archive, each column as text ("" for NULL).
    pub fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let conn = Connection::open(self.db()).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let width = stmt.column_count();
        stmt.query_map([], |r| {
            (0..width)
                .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// `parley query --format json`'s rows.
    pub fn query_json(&self, sql: &str) -> Vec<Value> {
        let out = self
            .parley()
            .args(["query", "--format", "json", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
    }
}

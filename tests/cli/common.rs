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

impl Sandbox {
    /// `parley ARGS | head -n 1` through a real shell pipe: parley's exit status, what `head`
    /// printed, and parley's stderr.
    pub fn piped_to_head(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#""$@" | head -n 1; exit "${PIPESTATUS[0]}""#)
            .arg("bash")
            .arg(assert_cmd::cargo::cargo_bin("parley"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("PARLEY_DB")
            .env_remove("PARLEY_REPORTS")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Imports `count` invented articles, each naming three people of its own: an archive whose
    /// exports are larger than a pipe's buffer.
    pub fn import_many(&self, count: usize) {
        const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo"];
        let name = |n: usize| {
            let word: String = [n % 8, (n / 8) % 8, (n / 64) % 8, (n / 512) % 8]
                .iter()
                .map(|&i| SYLLABLES[i])
                .collect();
            let mut chars = word.chars();
            let first = chars.next().unwrap().to_ascii_uppercase();
            format!("{first}{}", chars.as_str())
        };
        let mut dump = String::new();
        for i in 0..count {
            let (a, b, c) = (name(3 * i), name(3 * i + 1), name(3 * i + 2));
            let text = format!(
                "Foreign ministers meet in Geneva\n\nGENEVA, March 3 - Foreign Minister Tomas {a} of \
                 France met Foreign Minister Ivan {b} of Brazil and Prime Minister Lena {c} of Japan \
                 in Geneva on Monday, officials said. {}\n\n\"We agreed to meet again,\" {a} said \
                 after the talks.\n",
                "The talks covered trade, borders and the weather of the coming season. "
                    .repeat(12)
            );
            let line = serde_json::json!({"text": text, "published": "2024-03-04", "source": "Invented Wire"});
            dump.push_str(&line.to_string());
            dump.push('\n');
        }
        let path = self.path("many.jsonl");
        std::fs::write(&path, dump).unwrap();
        self.ok(&["import", "-q", "--jsonl", path.to_str().unwrap()]);
    }
}

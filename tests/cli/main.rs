//! The `parley` binary end to end, one module per subcommand (in ripgrep's manner) plus `hostile`,
//! the attacker's and unlucky user's harness. Each test runs the built binary in a temporary folder
//! with its own archive; fixtures are invented articles (tests/fixtures).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;
use rusqlite::Connection;
use serde_json::Value;

mod common;
mod hostile;

use common::{Sandbox, fixture};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/zarif-islamabad.txt");

/// An archive of the example and two fixture articles.
fn archive() -> Sandbox {
    let sb = Sandbox::new();
    sb.import(&[
        Path::new(EXAMPLE),
        &fixture("norland-talks.txt"),
        &fixture("phone-call.txt"),
    ])
    .success();
    sb
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// A fixture of the real-world input family (web pages, JSON Lines dumps).
fn input_fixture(name: &str) -> PathBuf {
    common::fixture("inputs").join(name)
}

fn json_array(text: &str) -> Vec<Value> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not a JSON array ({e}): {text}"))
}

/// An archive with the three good articles of the dump and two pages.
fn explored() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.run(&[
        "import",
        "--jsonl",
        input_fixture("dump.jsonl").to_str().unwrap(),
    ]);
    sandbox.ok(&["import", input_fixture("pages").to_str().unwrap()]);
    sandbox
}

mod clients;
mod datasette;
mod ergonomics;
mod export;
mod graph;
mod html_import;
mod import;
mod jsonl_import;
mod migrate;
mod other_clients;
mod parse;
mod people;
mod query;
mod readme;
mod reparse;
mod report;
mod search;
mod stats;

use super::*;

/// A tiny SQLite client compiled from the amalgamation that rusqlite bundles, without FTS5 (the
/// amalgamation leaves it out unless asked), so the test sees what such a client sees.
const CLIENT: &str = r#"
#include <stdio.h>
#include "sqlite3.h"
static int row(void *u, int n, char **v, char **c) {
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", v[i] ? v[i] : "");
  printf("\n");
  return 0;
}
int main(int argc, char **argv) {
  sqlite3 *db;
  char *err = 0;
  printf("fts5=%d\n", sqlite3_compileoption_used("ENABLE_FTS5"));
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) return 2;
  for (int i = 2; i < argc; i++) {
printf("> %s\n", argv[i]);
if (sqlite3_exec(db, argv[i], row, 0, &err) != SQLITE_OK) { printf("ERROR %s\n", err); sqlite3_free(err); }
  }
  return sqlite3_close(db);
}
"#;

fn bundled_amalgamation() -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let mut found = Vec::new();
    for registry in std::fs::read_dir(cargo_home.join("registry/src"))
        .ok()?
        .flatten()
    {
        for package in std::fs::read_dir(registry.path()).ok()?.flatten() {
            let source = package.path().join("sqlite3/sqlite3.c");
            if package
                .file_name()
                .to_string_lossy()
                .starts_with("libsqlite3-sys-")
                && source.is_file()
            {
                found.push(source);
            }
        }
    }
    found.sort();
    found.pop()
}

#[test]
#[cfg_attr(no_cc, ignore = "needs a C compiler (cc) on PATH (CI installs one)")]
fn a_client_without_fts5_reads_every_table_and_view() {
    // rusqlite's bundled build put the amalgamation in the cargo registry: it is there whenever
    // this test was built.
    let amalgamation =
        bundled_amalgamation().expect("the bundled SQLite source is in the cargo registry");
    let sandbox = explored();
    sandbox.ok(&["import", EXAMPLE]);
    std::fs::write(sandbox.path("client.c"), CLIENT).unwrap();
    let built = std::process::Command::new("cc")
        .current_dir(sandbox.dir.path())
        .arg("-I")
        .arg(amalgamation.parent().unwrap())
        .args(["-O0", "-o", "client", "client.c"])
        .arg(&amalgamation)
        .args(["-lpthread", "-ldl", "-lm"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let objects = sandbox.rows(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%' ORDER BY name",
    );
    let mut statements: Vec<String> = objects
        .iter()
        .map(|o| format!("SELECT count(*) FROM \"{}\"", o[0]))
        .collect();
    statements.push("SELECT count(*) FROM articles_fts".into());
    let out = std::process::Command::new(sandbox.path("client"))
        .arg(sandbox.db())
        .args(&statements)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.starts_with("fts5=0\n"), "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(
        errors,
        ["ERROR no such module: fts5"],
        "only the index itself needs FTS5: {out}"
    );
    assert!(objects.len() >= 15, "{objects:?}");
}

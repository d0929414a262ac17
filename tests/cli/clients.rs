use super::*;

fn views(sb: &Sandbox) -> Vec<String> {
    let conn = Connection::open(sb.db()).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_sqlite3_shell_reads_every_view() {
    let sb = archive();
    let views = views(&sb);
    assert!(views.len() >= 6, "{views:?}");
    for view in views {
        let out = StdCommand::new("sqlite3")
            .arg("-bail")
            .arg(sb.db())
            .arg(format!("SELECT count(*) FROM {view};"))
            .output()
            .expect("the sqlite3 shell is installed (.ci/run installs it)");
        assert!(
            out.status.success(),
            "{view}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn pythons_sqlite3_module_reads_every_view() {
    let sb = archive();
    let script = format!(
        "import sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\nfor v in {:?}:\n    rows = con.execute(f'SELECT * FROM {{v}}').fetchall()\n    print(v, len(rows))\n",
        views(&sb)
    );
    let out = StdCommand::new("python3")
        .arg("-c")
        .arg(script)
        .arg(sb.db())
        .output()
        .expect("python3 is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("meeting_attendance"));
}

#[test]
fn the_schema_uses_only_what_every_client_understands() {
    let sb = archive();
    let schema: String =
        sb.sql("SELECT group_concat(sql, char(10)) FROM sqlite_schema WHERE sql IS NOT NULL");
    assert!(
        !schema.to_uppercase().contains("STRICT"),
        "no STRICT tables"
    );
    assert!(
        !schema.to_uppercase().contains("GENERATED ALWAYS"),
        "no generated columns"
    );
    assert!(!schema.contains("->"), "no JSON arrow operators");
    assert_eq!(sb.sql::<String>("PRAGMA journal_mode"), "delete");
    assert_eq!(
        sb.sql::<i64>("SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
}

#[test]
fn every_foreign_key_is_indexed() {
    let sb = archive();
    let conn = Connection::open(sb.db()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        )
        .unwrap();
    let keys: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!keys.is_empty());
    for (table, column) in keys {
        let indexed: bool = conn
            .query_row(
                // An index that starts with the column, or the column is the table's rowid
                // (a single-column INTEGER PRIMARY KEY).
                "SELECT EXISTS (SELECT 1 FROM pragma_index_list(?1) l, pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ?2)
                     OR (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1
                        AND EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 AND pk = 1 AND upper(type) = 'INTEGER')",
                [&table, &column],
                |r| r.get(0),
            )
            .unwrap();
        assert!(indexed, "{table}.{column} has no index");
    }
}

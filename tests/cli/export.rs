use super::*;

#[test]
fn an_exported_article_is_the_record_parse_prints() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", EXAMPLE]);
    let exported = sandbox.ok(&["export"]);
    assert_eq!(exported.lines().count(), 1);
    let exported: Value = serde_json::from_str(exported.lines().next().unwrap()).unwrap();
    let parsed: Value = serde_json::from_str(&sandbox.ok(&["parse", EXAMPLE])).unwrap();
    for field in ["article", "meetings", "quotes", "issues"] {
        assert_eq!(exported[field], parsed[field], "{field} differs");
    }
    let people = |record: &Value| -> Vec<Value> {
        record["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| serde_json::json!([p["name"], p["title"], p["country"], p["span"]]))
            .collect()
    };
    assert_eq!(people(&exported), people(&parsed));
    for (mine, theirs) in exported["participants"]
        .as_array()
        .unwrap()
        .iter()
        .zip(parsed["participants"].as_array().unwrap())
    {
        let mut a: Vec<&str> = mine["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut b: Vec<&str> = theirs["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        a.sort();
        b.sort();
        b.retain(|alias| *alias != theirs["name"]);
        assert_eq!(a, b, "aliases of {}", mine["name"]);
    }
}

#[test]
fn an_export_rebuilds_the_archive_elsewhere() {
    let sandbox = explored();
    sandbox.ok(&["import", EXAMPLE]);
    let exported = sandbox.ok(&["export"]);
    assert_eq!(exported.lines().count(), 7);
    let out = sandbox
        .parley()
        .args(["--db", "copy.db", "import", "--jsonl", "-"])
        .write_stdin(exported.clone())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = sandbox.ok(&["--db", "copy.db", "export"]);
    assert_eq!(again, exported);
}

#[test]
fn csv_exports_write_a_view_with_its_header() {
    let sandbox = explored();
    let csv = sandbox.ok(&["export", "--format", "csv", "--records", "articles"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,published,source,title,url,path,raw_format,categories"),
        "{csv}"
    );
    assert_eq!(lines.count(), 6);
    let quotes = sandbox.ok(&["export", "--format", "csv", "--records", "quotes"]);
    assert!(quotes.starts_with("quote_id,article_id"), "{quotes}");
}

#[test]
fn a_closed_pipe_ends_an_export_quietly_with_status_zero() {
    let sb = Sandbox::new();
    sb.import_many(150);
    for format in ["jsonl", "csv"] {
        let (status, first, stderr) =
            sb.piped_to_head(&["export", "-f", format, "--records", "quotes"]);
        assert_eq!(status, Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
        assert!(!first.is_empty(), "{format}");
    }
}

use super::*;

#[test]
fn stats_give_rows_per_table_the_date_range_and_top_sources() {
    let sandbox = explored();
    let stats: Value = serde_json::from_str(&sandbox.ok(&["stats", "--format", "json"])).unwrap();
    let articles = stats["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "articles")
        .unwrap();
    assert_eq!(articles["count"], 6);
    assert_eq!(stats["first_published"], "2020-06-01");
    assert_eq!(stats["last_published"], "2024-05-14");
    assert_eq!(stats["undated"], 1);
    let formats: Vec<(&str, i64)> = stats["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(formats, [("json", 3), ("html", 2), ("text", 1)]);
    assert_eq!(stats["top_sources"].as_array().unwrap().len(), 5);
}

#[test]
fn stats_as_text_show_each_section_as_a_table() {
    let sandbox = explored();
    let text = sandbox.ok(&["stats"]);
    assert!(
        text.contains("published 2020-06-01 to 2024-05-14, 1 undated"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("articles ") && l.trim_end().ends_with(" 6")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("source ")), "{text}");
}

use super::*;

fn archive() -> Sandbox {
    let sb = Sandbox::new();
    let dir = fixture("people");
    sb.import(&[
        &dir.join("a-full-names.txt"),
        &dir.join("b-short-forms.txt"),
        &dir.join("c-namesake.txt"),
    ])
    .success();
    sb
}

fn names(sb: &Sandbox) -> Vec<String> {
    sb.query_json("SELECT name FROM participants ORDER BY name")
        .into_iter()
        .map(|row| row["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_short_form_joins_the_person_and_a_namesake_from_another_country_does_not() {
    let sb = archive();
    let kesslers: Vec<Value> =
        sb.query_json("SELECT written_as, person, country, rule FROM identity_matches WHERE person LIKE '%Kessler' ORDER BY mention_id");
    assert_eq!(kesslers.len(), 3, "{kesslers:?}");
    assert_eq!(
        kesslers[1]["person"], kesslers[0]["person"],
        "Kessler of Norway is Arvid Kessler: {kesslers:?}"
    );
    let ids: Vec<Value> = sb.query_json(
        "SELECT count(DISTINCT participant_id) AS people FROM article_participants WHERE name LIKE '%Kessler'",
    );
    assert_eq!(ids[0]["people"], 2, "the Swedish namesake stays apart");
}

#[test]
fn merge_rename_and_set_country_are_kept_through_reparse() {
    let sb = archive();
    sb.parley()
        .args(["people", "rename", "Paula Errazuriz", "Paula E. Errazuriz"])
        .assert()
        .success();
    sb.parley()
        .args(["people", "set-country", "Mette Lindqvist", "dnk"])
        .assert()
        .success();
    let before = names(&sb);
    assert!(
        before.contains(&"Paula E. Errazuriz".to_string()),
        "{before:?}"
    );
    sb.parley().arg("reparse").assert().success();
    assert_eq!(names(&sb), before);
    let country: Vec<Value> =
        sb.query_json("SELECT country FROM article_participants WHERE name = 'Mette Lindqvist'");
    assert_eq!(country[0]["country"], "DNK");
}

#[test]
fn a_name_that_is_nobody_or_several_people_is_a_clear_error() {
    let sb = archive();
    sb.parley()
        .args(["people", "merge", "Nobody Atall", "Arvid Kessler"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("nobody named \"Nobody Atall\""));
    sb.parley()
        .args(["people", "set-title", "Arvid Kessler", "Envoy"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("could be several people"));
}

#[test]
fn the_registry_round_trips_between_archives() {
    let sb = archive();
    sb.parley()
        .args(["people", "rename", "Paula Errazuriz", "Paula E. Errazuriz"])
        .assert()
        .success();
    let out = sb.parley().args(["people", "export"]).output().unwrap();
    assert!(out.status.success());
    fs::write(sb.path("registry.json"), &out.stdout).unwrap();
    let other = sb.path("other.db");
    sb.parley()
        .arg("--db")
        .arg(&other)
        .args(["people", "import", "registry.json"])
        .assert()
        .success();
    sb.parley()
        .arg("--db")
        .arg(&other)
        .arg("import")
        .arg(fixture("people/a-full-names.txt"))
        .assert()
        .success();
    let out = sb
        .parley()
        .arg("--db")
        .arg(&other)
        .args([
            "query",
            "SELECT name FROM participants ORDER BY name",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Paula E. Errazuriz"));
}

#[test]
fn the_ambiguous_list_is_a_table_of_mentions() {
    let sb = archive();
    let out = sb
        .parley()
        .args(["people", "list", "--ambiguous", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap();
}

/// The ids of the people named `name`, lowest first.
fn ids_named(sb: &Sandbox, name: &str) -> Vec<i64> {
    sb.query_json(&format!(
        "SELECT id FROM participants WHERE name = '{name}' ORDER BY id"
    ))
    .into_iter()
    .map(|row| row["id"].as_i64().unwrap())
    .collect()
}

#[test]
fn a_merge_of_two_people_sharing_a_name_by_id_survives_reparse_and_the_registry() {
    let sb = archive();
    let ids = ids_named(&sb, "Arvid Kessler");
    assert_eq!(ids.len(), 2, "the namesakes start apart");
    let (from, into) = (format!("#{}", ids[1]), format!("#{}", ids[0]));
    sb.parley()
        .args(["people", "merge", &from, &into])
        .assert()
        .success();
    assert_eq!(ids_named(&sb, "Arvid Kessler"), vec![ids[0]]);
    sb.parley().arg("reparse").assert().success();
    assert_eq!(
        ids_named(&sb, "Arvid Kessler").len(),
        1,
        "the merge is a stored rule"
    );

    let out = sb.parley().args(["people", "export"]).output().unwrap();
    fs::write(sb.path("registry.json"), &out.stdout).unwrap();
    let other = Sandbox::new();
    other
        .parley()
        .args(["people", "import"])
        .arg(sb.path("registry.json"))
        .assert()
        .success();
    let dir = fixture("people");
    other
        .import(&[&dir.join("a-full-names.txt"), &dir.join("c-namesake.txt")])
        .success();
    assert_eq!(ids_named(&other, "Arvid Kessler").len(), 1);
}

#[test]
fn an_ambiguous_name_suggests_the_ids_to_use() {
    let sb = archive();
    sb.parley()
        .args(["people", "set-title", "Arvid Kessler", "Envoy"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("'#"));
}

#[test]
fn suspects_lists_namesakes_with_the_reason_and_the_merge_command() {
    let sb = archive();
    let out = sb
        .parley()
        .args(["people", "suspects", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let kessler = rows
        .iter()
        .find(|r| r["into"] == "Arvid Kessler")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert!(kessler["reason"].as_str().unwrap().starts_with("same name"));
    assert!(
        kessler["command"]
            .as_str()
            .unwrap()
            .starts_with("parley people merge '#")
    );
}

#[test]
fn a_registry_with_an_unknown_rule_action_is_refused_with_its_line() {
    let sb = archive();
    fs::write(
        sb.path("registry.json"),
        "{\n  \"people\": [],\n  \"rules\": [\n    {\"action\": \"rename\", \"name\": \"x\", \"value\": \"y\"}\n  ]\n}\n",
    )
    .unwrap();
    sb.parley()
        .args(["people", "import", "registry.json"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("rename").and(predicate::str::contains("line 4")));
}

#[test]
fn a_closed_pipe_ends_people_export_and_list_quietly_with_status_zero() {
    let sb = Sandbox::new();
    sb.import_many(250);
    for args in [
        &["people", "export"][..],
        &["people", "list", "-f", "csv"][..],
    ] {
        let (status, first, stderr) = sb.piped_to_head(args);
        assert_eq!(status, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        assert!(!first.is_empty(), "{args:?}");
    }
}

#[test]
fn a_familiar_given_name_and_a_respelt_name_with_a_new_office_stay_one_person() {
    let sb = Sandbox::new();
    let dir = fixture("people");
    sb.import(&[&dir.join("d-familiar-and-respelt.txt")])
        .success();
    sb.import(&[&dir.join("e-familiar-and-respelt-later.txt")])
        .success();
    assert_eq!(
        sb.rows("SELECT written_as, rule FROM identity_matches ORDER BY mention_id"),
        [
            ["Timothy Arnesen", "new"],
            ["Pak Gyu Son", "new"],
            ["Pak Kyu Son", "spelling"],
            ["Tim Arnesen", "name-form"],
        ]
    );
    assert_eq!(names(&sb), ["Pak Gyu Son", "Timothy Arnesen"]);
}

#[test]
fn a_surname_spelt_another_way_is_found_among_people_sharing_the_first_name() {
    let sb = Sandbox::new();
    let texts = [
        (
            "one.txt",
            "Ostrovski met Brandt\n\nOSLO, May 4 - Polish Foreign Minister Edvard Ostrovski met Norwegian Trade Minister Ilse Brandt in Oslo on Tuesday.\n",
        ),
        (
            "two.txt",
            "Ostrowski in Lima\n\nLIMA, June 9 - Polish Foreign Minister Edvard Ostrowski met Peruvian Foreign Minister Rosa Quispe in Lima on Friday.\n",
        ),
        (
            "three.txt",
            "Another Edvard\n\nLIMA, June 19 - Polish Foreign Minister Edvard Kostrovsky met Peruvian Foreign Minister Rosa Quispe in Lima on Friday.\n",
        ),
    ];
    for (name, text) in texts {
        fs::write(sb.path(name), text).unwrap();
        sb.import(&[&sb.path(name)]).success();
    }
    assert_eq!(
        sb.rows("SELECT written_as, person, rule FROM identity_matches WHERE written_as LIKE 'Edvard%' ORDER BY mention_id"),
        [
            ["Edvard Ostrovski", "Edvard Ostrovski", "new"],
            ["Edvard Ostrowski", "Edvard Ostrovski", "spelling"],
            // Two letters apart at both ends of the surname: left to `people suspects`.
            ["Edvard Kostrovsky", "Edvard Kostrovsky", "new"],
        ]
    );
}

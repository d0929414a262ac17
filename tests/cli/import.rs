use super::*;

#[test]
fn importing_the_example_stores_it_in_parley_db_by_default() {
    let sb = Sandbox::new();
    sb.import(&[Path::new(EXAMPLE)])
        .success()
        .stderr(predicate::str::contains(
            "1 inserted, 0 unchanged, 0 failed",
        ));
    assert_eq!(sb.sql::<i64>("SELECT count(*) FROM articles"), 1);
    let stored: String = sb.sql("SELECT text FROM articles");
    assert_eq!(stored, fs::read_to_string(EXAMPLE).unwrap().trim_end());
}

#[test]
fn reimporting_the_same_article_changes_nothing() {
    let sb = Sandbox::new();
    sb.import(&[Path::new(EXAMPLE), &fixture("norland-talks.txt")])
        .success();
    let counts = |sb: &Sandbox| -> Vec<i64> {
        [
            "articles",
            "participants",
            "article_participants",
            "meetings",
            "meeting_participants",
            "quotes",
            "parse_issues",
        ]
        .iter()
        .map(|t| sb.sql(&format!("SELECT count(*) FROM {t}")))
        .collect()
    };
    let before = counts(&sb);
    let imported_at: String = sb.sql("SELECT group_concat(imported_at) FROM articles");
    sb.import(&[Path::new(EXAMPLE), &fixture("norland-talks.txt")])
        .success()
        .stderr(predicate::str::contains(
            "0 inserted, 2 unchanged, 0 failed",
        ));
    assert_eq!(counts(&sb), before);
    assert_eq!(
        sb.sql::<String>("SELECT group_concat(imported_at) FROM articles"),
        imported_at
    );
}

#[test]
fn the_same_text_with_other_line_ends_is_the_same_article() {
    let sb = Sandbox::new();
    fs::write(
        sb.path("lf.txt"),
        "Plain text with a Windows line end\nand a second line about nothing.\n",
    )
    .unwrap();
    sb.import(&[&fixture("crlf.txt")]).success();
    sb.import(&[&sb.path("lf.txt")])
        .success()
        .stderr(predicate::str::contains("0 inserted, 1 unchanged"));
    let raw: String = sb.sql("SELECT raw FROM articles");
    assert!(raw.contains("\r\n"), "the raw text is kept verbatim");
    assert!(!sb.sql::<String>("SELECT text FROM articles").contains('\r'));
}

#[test]
fn a_folder_is_searched_recursively_for_text_files() {
    let sb = Sandbox::new();
    let nested = sb.path("in/deeper");
    fs::create_dir_all(&nested).unwrap();
    fs::copy(fixture("norland-talks.txt"), sb.path("in/a.txt")).unwrap();
    fs::copy(fixture("phone-call.txt"), nested.join("b.txt")).unwrap();
    fs::write(nested.join("notes.md"), "not an article").unwrap();
    sb.import(&[&sb.path("in")])
        .success()
        .stderr(predicate::str::contains("2 inserted"));
}

#[test]
fn standard_input_is_read_with_a_dash_and_takes_the_metadata_flags() {
    let sb = Sandbox::new();
    sb.parley()
        .args([
            "import",
            "-",
            "--published",
            "2021-05-06",
            "--source",
            "Wire",
            "--url",
            "https://example.org/a",
        ])
        .write_stdin(fs::read(fixture("phone-call.txt")).unwrap())
        .assert()
        .success();
    let row: (Option<String>, String, String, Option<String>) = Connection::open(sb.db())
        .unwrap()
        .query_row(
            "SELECT published, source, url, path FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            Some("2021-05-06".into()),
            "Wire".into(),
            "https://example.org/a".into(),
            None
        )
    );
}

#[test]
fn bad_files_are_reported_with_their_reason_and_do_not_stop_the_others() {
    let sb = Sandbox::new();
    fs::write(sb.path("empty.txt"), "  \n").unwrap();
    fs::write(
        sb.path("binary.txt"),
        [0u8, 1, 2, 3, 0, 0, 0xff, 0x10, 0, 0, 0, 0],
    )
    .unwrap();
    fs::write(sb.path("latin1.txt"), b"Caf\xe9 diplomacy in Paris").unwrap();
    let assert = sb
        .import(&[
            &sb.path("empty.txt"),
            &sb.path("binary.txt"),
            &fixture("norland-talks.txt"),
            &sb.path("latin1.txt"),
            &sb.path("missing.txt"),
        ])
        .failure();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("empty.txt: empty"), "{stderr}");
    assert!(stderr.contains("binary.txt: not text"), "{stderr}");
    assert!(
        stderr.contains("latin1.txt: not UTF-8: invalid byte at offset 3"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.txt: no such file"), "{stderr}");
    assert!(
        stderr.contains("1 inserted, 0 unchanged, 4 failed"),
        "{stderr}"
    );
    assert_eq!(sb.sql::<i64>("SELECT count(*) FROM articles"), 1);
}

#[test]
fn a_bad_published_date_is_refused_before_anything_is_written() {
    let sb = Sandbox::new();
    sb.parley()
        .args(["import", EXAMPLE, "--published", "11/11/2020"])
        .assert()
        .failure();
    assert!(!sb.db().exists());
}

#[test]
fn the_database_can_be_chosen_with_the_environment() {
    let sb = Sandbox::new();
    sb.parley()
        .env("PARLEY_DB", sb.path("other.db"))
        .args(["import", EXAMPLE])
        .assert()
        .success();
    assert!(sb.path("other.db").exists());
    assert!(!sb.db().exists());
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_followed_once_and_a_dangling_link_reported_once() {
    let sb = Sandbox::new();
    let folder = sb.path("articles");
    fs::create_dir_all(folder.join("inner")).unwrap();
    fs::copy(EXAMPLE, folder.join("inner/zarif.txt")).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("inner/loop")).unwrap();
    std::os::unix::fs::symlink(folder.join("inner"), folder.join("again")).unwrap();
    std::os::unix::fs::symlink(sb.path("gone.txt"), folder.join("inner/gone.txt")).unwrap();
    let (ok, _, stderr) = sb.run(&["import", "articles"]);
    assert!(!ok, "a dangling link is a failed input");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("parley: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("gone.txt: a link to") && errors[0].contains("which does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 inserted, 0 unchanged, 1 failed"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_one_error_line_besides_the_summary() {
    let sb = Sandbox::new();
    let (ok, _, stderr) = sb.run(&["import", "no-such.txt"]);
    assert!(!ok);
    assert_eq!(
        stderr,
        "parley: error: no-such.txt: no such file or folder\nparley.db: 0 inserted, 0 unchanged, 1 failed\n"
    );
}

#[test]
fn a_utf16_article_is_imported_and_the_conversion_is_said() {
    let sb = Sandbox::new();
    let text = "Minister Ona Vell met Minister Ilo Brandt in Sarn on Monday.\n";
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(sb.path("wide.txt"), bytes).unwrap();
    let (ok, _, stderr) = sb.run(&["import", sb.path("wide.txt").to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("parley: note: ") && stderr.contains("wide.txt: decoded from UTF-16"),
        "{stderr}"
    );
    let stored: String = sb.sql("SELECT text FROM articles");
    assert_eq!(stored, text.trim_end());
}

#[test]
fn published_given_for_several_files_warns_that_it_stamps_them_all() {
    let sb = Sandbox::new();
    fs::create_dir(sb.path("many")).unwrap();
    for (name, who) in [("a.txt", "Ona Vell"), ("b.txt", "Ilo Brandt")] {
        fs::write(
            sb.path("many").join(name),
            format!("Minister {who} met Minister Kai Dorn in Sarn.\n"),
        )
        .unwrap();
    }
    let (ok, _, stderr) = sb.run(&[
        "import",
        "--published",
        "2020-01-02",
        sb.path("many").to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("parley: warning: --published stamps all 2 inputs with the same date"),
        "{stderr}"
    );
    let (_, _, single) = sb.run(&[
        "import",
        "--published",
        "2020-01-02",
        sb.path("many/a.txt").to_str().unwrap(),
    ]);
    assert!(!single.contains("warning"), "{single}");
}

use super::*;

#[test]
fn a_read_only_archive_serves_query_report_and_check_but_import_fails_with_one_line() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..10);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    fs::set_permissions(sb.db(), fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(sb.db()).unwrap();

    assert_eq!(sb.count("articles"), 10);
    let out = sb.run(&["report", "run", "busiest-diplomats", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<Value>(&out.stdout).unwrap();
    assert!(sb.run(&["check"]).status.success());

    write_articles(&sb.path("more"), 10..12);
    for args in [vec!["import", "more"], vec!["reparse"], vec!["migrate"]] {
        let out = sb.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("parley.db is read-only"), "{args:?}: {err}");
    }
    assert_eq!(fs::read(sb.db()).unwrap(), before);
}

/// Runs `parley import` under a file size limit a little above the archive's size, through `sh`
/// as a user would (`ulimit -f` counts 512-byte blocks in dash and 1024-byte ones in bash, so the
/// limit is between 64 and 128 KiB above the file either way). `ignore_signal` makes the write
/// fail with EFBIG instead of killing the process with SIGXFSZ.
fn import_under_file_size_limit(sb: &Sandbox, folder: &str, ignore_signal: bool) -> Output {
    let blocks = (fs::metadata(sb.db()).unwrap().len() + 64 * 1024) / 512;
    let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{trap}ulimit -f {blocks} && exec \"$0\" import \"$1\""
        ))
        .arg(PARLEY)
        .arg(folder)
        .current_dir(sb.dir.path())
        .env_remove("PARLEY_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn big_articles(sb: &Sandbox) {
    let dir = sb.path("big");
    fs::create_dir_all(&dir).unwrap();
    for i in 0..60 {
        let mut text = article(10_000 + i);
        text.push_str(&format!("\nThe talks also covered item {i} at length. ").repeat(600));
        fs::write(dir.join(format!("big{i:03}.txt")), text).unwrap();
    }
}

#[test]
fn a_write_that_fails_for_lack_of_space_leaves_the_archive_as_it_was() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..5);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let before = fs::read(sb.db()).unwrap();
    big_articles(&sb);

    let out = import_under_file_size_limit(&sb, "big", true);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("writing failed (the disk is full, a file size limit was reached"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    assert_eq!(sb.count("articles"), 5);
    assert!(!sb.journal().exists());
    assert_eq!(fs::read(sb.db()).unwrap(), before, "the archive changed");
    sb.assert_sound();
}

#[test]
fn an_import_killed_by_the_file_size_limit_leaves_the_archive_as_it_was() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..5);
    assert!(sb.import(&[Path::new("articles")]).status.success());
    let before = fs::read(sb.db()).unwrap();
    big_articles(&sb);

    let out = import_under_file_size_limit(&sb, "big", false);
    assert!(
        !out.status.success(),
        "the import was not stopped by the limit"
    );
    // Killed mid-write, it may leave a hot journal: readers leave it to the next writer.
    if sb.journal().exists() {
        let out = sb.run(&["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(sb.count("articles"), 5);
    assert_eq!(fs::read(sb.db()).unwrap(), before, "the archive changed");
    sb.assert_sound();
    let out = sb.import(&[Path::new("big")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.count("articles"), 65);
}

#[test]
fn an_archive_in_a_read_only_folder_gives_one_error_not_one_per_article() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..40);
    let folder = sb.path("shelf");
    fs::create_dir(&folder).unwrap();
    assert!(
        sb.run(&["--db", "shelf/parley.db", "import", "articles/a00000.txt"])
            .status
            .success()
    );
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let out = sb.run(&["--db", "shelf/parley.db", "import", "articles"]);
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the folder shelf is read-only"), "{err}");
    // Reading still works: a read-only command needs no journal.
    let out = sb.run(&[
        "--db",
        "shelf/parley.db",
        "query",
        "SELECT count(*) AS n FROM articles",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

//! The concurrency model (ARCHITECTURE.md, "Readers and writers") end to end: a long reader makes an
//! import wait, not fail; `check` during an import reports "busy, run it again" or a healthy
//! archive, never the lock as problems; an import started during `check` finishes.

use super::*;

#[test]
fn an_import_waits_for_a_long_reader_instead_of_failing() {
    let sb = Sandbox::new();
    write_articles(&sb.path("first"), 0..3);
    write_articles(&sb.path("articles"), 100..200);
    assert!(sb.import(&[Path::new("first")]).status.success());
    // A reader holding its snapshot for longer than parley's old 10-second lock timeout.
    let reader = Connection::open(sb.db()).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let started = Instant::now();
    let import = sb.spawn_import(&[Path::new("articles")]);
    std::thread::sleep(Duration::from_secs(11));
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let out = import.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "the import failed: {err}");
    assert!(started.elapsed() >= Duration::from_secs(11));
    assert!(err.contains("waiting for parley.db"), "{err}");
    assert_eq!(summary(&err), (100, 0, 0));
    sb.assert_sound();
}

#[test]
fn check_during_an_import_reports_busy_or_a_healthy_archive_never_the_lock_as_problems() {
    let sb = Sandbox::new();
    write_articles(&sb.path("first"), 0..3);
    write_articles(&sb.path("articles"), 100..3100);
    assert!(sb.import(&[Path::new("first")]).status.success());
    let mut import = sb.spawn_import(&[Path::new("articles")]);
    let mut runs = 0;
    while import.try_wait().unwrap().is_none() && runs < 15 {
        let out = sb.run(&["check"]);
        runs += 1;
        let (out_text, err) = (stdout(&out), stderr(&out));
        if out.status.success() {
            assert!(err.contains("no problems found"), "{err}");
        } else {
            assert_eq!(
                out_text, "",
                "check reported the lock as problems:\n{out_text}{err}"
            );
            assert!(err.contains("try again when it has finished"), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    let mut err = String::new();
    import
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(import.wait().unwrap().success(), "{err}");
    assert!(runs > 0, "the import finished before check could run");
    sb.assert_sound();
}

#[test]
fn an_import_started_while_check_runs_finishes() {
    let sb = Sandbox::new();
    write_articles(&sb.path("first"), 0..1500);
    write_articles(&sb.path("articles"), 2000..2200);
    assert!(sb.import(&[Path::new("first")]).status.success());
    let check = sb
        .command()
        .arg("check")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let import = sb.spawn_import(&[Path::new("articles")]);
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let checked = check.wait_with_output().unwrap();
    assert!(
        checked.status.success() || stderr(&checked).contains("try again"),
        "{}{}",
        stdout(&checked),
        stderr(&checked)
    );
    assert_eq!(sb.count("articles"), 1700);
}

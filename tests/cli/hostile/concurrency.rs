use super::*;

fn wait_output(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

#[test]
fn two_imports_into_one_new_file_at_once_both_finish_without_duplicates() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..700);
    let expected = expected_rows(&sb, "articles");
    for round in 0..3 {
        let _ = fs::remove_file(sb.db());
        let one = sb.spawn_import(&[Path::new("articles")]);
        let two = sb.spawn_import(&[Path::new("articles")]);
        let (one, two) = (wait_output(one), wait_output(two));
        for out in [&one, &two] {
            assert!(out.status.success(), "round {round}: {}", stderr(out));
        }
        let (a, b) = (summary(&stderr(&one)), summary(&stderr(&two)));
        assert_eq!(a.0 + b.0, 700, "round {round}: {a:?} {b:?}");
        assert_eq!((a.0 + a.1, b.0 + b.1, a.2 + b.2), (700, 700, 0));
        assert_eq!(
            assert_whole_articles(&sb.stored_rows(), &expected).len(),
            700
        );
        let people: Vec<Value> = sb
            .query("SELECT count(*) = count(DISTINCT name_key) AS unique_people FROM participants");
        assert_eq!(people[0]["unique_people"], 1);
        sb.assert_sound();
    }
}

#[test]
fn imports_of_overlapping_folders_at_once_store_each_article_once() {
    let sb = Sandbox::new();
    write_articles(&sb.path("left"), 0..500);
    write_articles(&sb.path("right"), 300..800);
    assert!(sb.import(&[&sb.path("left/a00000.txt")]).status.success());
    let left = sb.spawn_import(&[Path::new("left")]);
    let right = sb.spawn_import(&[Path::new("right")]);
    let (left, right) = (wait_output(left), wait_output(right));
    assert!(
        left.status.success() && right.status.success(),
        "{}{}",
        stderr(&left),
        stderr(&right)
    );
    assert_eq!(sb.count("articles"), 800);
    let distinct = sb.query("SELECT count(DISTINCT content_hash) AS n FROM articles");
    assert_eq!(distinct[0]["n"], 800);
    sb.assert_sound();
}

#[test]
fn a_query_during_an_import_sees_only_whole_articles() {
    let sb = Sandbox::new();
    write_articles(&sb.path("articles"), 0..1500);
    let expected = expected_rows(&sb, "articles");
    assert_fixture_has_rows(&expected);
    write_articles(&sb.path("first"), 5000..5001);
    assert!(sb.import(&[Path::new("first")]).status.success());
    let mut expected_all = expected.clone();
    expected_all.extend(expected_rows(&sb, "first"));

    let mut child = sb.spawn_import(&[Path::new("articles")]);
    let (mut snapshots, mut last) = (0, 0);
    while child.try_wait().unwrap().is_none() {
        let stored = sb.stored_rows();
        let seen = assert_whole_articles(&stored, &expected_all).len();
        assert!(
            seen >= last,
            "a later snapshot lost articles ({last} then {seen})"
        );
        last = seen;
        snapshots += 1;
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(child.wait().unwrap().success(), "{err}");
    assert!(
        snapshots >= 2,
        "only {snapshots} queries ran during the import"
    );
    assert_eq!(
        assert_whole_articles(&sb.stored_rows(), &expected_all).len(),
        1501
    );
}

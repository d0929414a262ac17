use super::*;

#[test]
fn each_bad_file_gets_one_line_with_its_reason_and_the_good_ones_are_stored() {
    let sb = Sandbox::new();
    let dir = sb.path("inbox");
    write_articles(&dir, 0..3);
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(dir.join("blank.txt"), "\u{feff}\n \t\r\n\n").unwrap();
    fs::write(
        dir.join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa",
    )
    .unwrap();
    fs::write(
        dir.join("latin1.txt"),
        b"Gespr\xe4che in Z\xfcrich zwischen den Ministern",
    )
    .unwrap();
    let utf16: Vec<u8> = "\u{feff}Talks in Oslo between the ministers."
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(dir.join("utf16.txt"), utf16).unwrap();
    fs::write(
        dir.join("truncated.txt"),
        [b"Talks in S\xc3".as_slice()].concat(),
    )
    .unwrap();
    // Larger than parley reads (8 MiB), without writing 8 MiB: a sparse file.
    fs::File::create(dir.join("huge.txt"))
        .unwrap()
        .set_len(9 * 1024 * 1024)
        .unwrap();

    let out = sb.import(&[&dir, &sb.path("missing.txt")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let reasons = [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("image.txt", "not text"),
        ("latin1.txt", "not UTF-8: invalid byte at offset 5"),
        ("truncated.txt", "not UTF-8: invalid byte at offset 10"),
        ("huge.txt", "too large"),
        ("missing.txt", "no such file"),
    ];
    for (file, reason) in reasons {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(file)).collect();
        assert_eq!(lines.len(), 1, "{file}: {err}");
        assert!(
            lines[0].starts_with("parley: ") && lines[0].contains(&format!("{file}: {reason}")),
            "{file}: {err}"
        );
    }
    // UTF-16 with a byte-order mark is decoded, not refused (issue 13): one note says so.
    let utf16_lines: Vec<&str> = err.lines().filter(|l| l.contains("utf16.txt")).collect();
    assert_eq!(
        utf16_lines,
        [format!(
            "parley: note: {}: decoded from UTF-16 (stored as UTF-8)",
            dir.join("utf16.txt").display()
        )],
        "{err}"
    );
    assert_eq!(summary(&err), (4, 0, 7), "{err}");
    assert_eq!(sb.count("articles"), 4);
    let stored = sb.query(
        "SELECT count(*) AS n FROM articles WHERE text = 'Talks in Oslo between the ministers.'",
    );
    assert_eq!(stored[0]["n"], 1);
}

#[test]
fn nul_bytes_a_byte_order_mark_and_crlf_are_imported_as_the_same_text() {
    let sb = Sandbox::new();
    let text = article(1);
    let dir = sb.path("variants");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("plain.txt"), &text).unwrap();
    fs::write(dir.join("bom.txt"), format!("\u{feff}{text}")).unwrap();
    fs::write(dir.join("crlf.txt"), text.replace('\n', "\r\n")).unwrap();
    fs::write(
        dir.join("nul.txt"),
        text.replacen("Foreign", "For\0eign", 1),
    )
    .unwrap();
    let out = sb.import(&[&dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary(&stderr(&out)), (1, 3, 0));
}

#[test]
fn a_named_pipe_in_a_folder_is_not_waited_on() {
    let sb = Sandbox::new();
    let dir = sb.path("inbox");
    write_articles(&dir, 0..2);
    let status = Command::new("mkfifo")
        .arg(dir.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = sb.spawn_import(&[&dir]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("parley import waited for a writer on a named pipe found in a folder");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(sb.count("articles"), 2);
}

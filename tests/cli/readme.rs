use super::*;

fn readme() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced block that follows the line containing `marker`.
fn block_after(text: &str, marker: &str) -> String {
    let rest = &text[text
        .find(marker)
        .unwrap_or_else(|| panic!("README has no {marker:?}"))..];
    let fence = rest.find("```").unwrap();
    let start = fence + rest[fence..].find('\n').unwrap() + 1;
    let end = rest[start..].find("```").unwrap();
    rest[start..start + end].to_string()
}

#[test]
fn the_readme_starts_with_the_two_set_up_commands() {
    let text = readme();
    let first_block = block_after(&text, "# parley");
    let commands: Vec<&str> = first_block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- import --show examples/zarif-islamabad.txt",
            "cargo test"
        ]
    );
    let ci = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim().starts_with("cargo test")),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn the_readme_shows_the_real_output_of_the_first_command() {
    let sb = Sandbox::new();
    let out = sb
        .parley()
        .args(["import", "--show", EXAMPLE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown = block_after(
        &readme(),
        "prints the people, meetings and quotes it extracted:",
    );
    assert_eq!(
        shown,
        String::from_utf8(out.stdout).unwrap(),
        "update the README's example output"
    );
}

/// Copies a folder tree (the examples) into the sandbox.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The texts of an SVG's `<text>` elements, sorted.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut texts: Vec<String> = svg
        .split("<text")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</text>")?;
            Some(rest[start..end].to_string())
        })
        .collect();
    texts.sort();
    texts
}

#[test]
#[cfg_attr(
    no_dot,
    ignore = "needs Graphviz's dot on PATH: the tour draws the graph (CI installs it)"
)]
fn the_tour_runs_as_written_on_a_fresh_clone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sb = Sandbox::new();
    // A fresh clone after the first set-up command: the examples, the built binary where cargo
    // puts it, and parley.db with the example article.
    copy_tree(&root.join("examples"), &sb.path("examples"));
    fs::create_dir_all(sb.path("target/release")).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_parley"),
        sb.path("target/release/parley"),
    )
    .unwrap();
    let text = readme();
    let setup = block_after(&text, "# parley");
    let first = setup.lines().next().unwrap().split('#').next().unwrap();
    let first = first
        .trim()
        .strip_prefix("cargo run --release --")
        .expect("the first set-up command runs parley with cargo run --release --");

    let tour = block_after(&text, "## A short tour");
    let lines: Vec<&str> = tour.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 15, "{tour}");
    let mut script =
        format!("set -o pipefail\ntarget/release/parley {first} >/dev/null || exit 9\n");
    for (i, line) in lines.iter().enumerate() {
        // Each line on its own, so that one failure does not hide the next; the newline ends
        // the line's comment.
        script.push_str(&format!(
            "{{ {line}\n}} >/dev/null || echo \"tour line {i} failed\" >&2\n"
        ));
    }
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(sb.dir.path())
        .env_remove("PARLEY_DB")
        .env_remove("PARLEY_REPORTS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the set-up command failed: {stderr}");
    let failed: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("tour line ")?.strip_suffix(" failed"))
        .map(|i| lines[i.parse::<usize>().unwrap()])
        .collect();
    assert!(
        failed.is_empty(),
        "tour lines failed: {failed:#?}\n{stderr}"
    );

    // The picture in the README is the one the tour draws (the same people and counts; Graphviz
    // versions may place them differently).
    let drawn = fs::read_to_string(sb.path("graph.svg")).expect("the tour drew graph.svg");
    let shipped = fs::read_to_string(root.join("docs/graph.svg")).unwrap();
    assert_eq!(
        svg_texts(&shipped),
        svg_texts(&drawn),
        "docs/graph.svg is out of date: run the tour and copy graph.svg there"
    );
    assert!(text.contains("](docs/graph.svg)"));
}

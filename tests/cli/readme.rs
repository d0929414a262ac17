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

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

const REFERENCE_BEGIN: &str = "<!-- BEGIN COMMAND REFERENCE -->\n";
const REFERENCE_END: &str = "<!-- END COMMAND REFERENCE -->";

/// The subcommands a `--help` lists (its `Commands:` section), without `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The command reference as the binary's `--help` writes it: `parley --help`, then each command's
/// (and each of its subcommands') in a folded section.
fn reference_from_help() -> String {
    let sb = Sandbox::new();
    let help = |words: &[&str]| {
        let mut args = words.to_vec();
        args.push("--help");
        sb.ok(&args)
    };
    let top = help(&[]);
    let mut text = format!("```text\n{top}```\n");
    for command in subcommands(&top) {
        let mut paths = vec![vec![command.clone()]];
        let own = help(&[command.as_str()]);
        paths.extend(
            subcommands(&own)
                .into_iter()
                .map(|sub| vec![command.clone(), sub]),
        );
        for path in paths {
            let words: Vec<&str> = path.iter().map(String::as_str).collect();
            text.push_str(&format!(
                "\n<details><summary><code>parley {} --help</code></summary>\n\n```text\n{}```\n\n</details>\n",
                words.join(" "),
                help(&words)
            ));
        }
    }
    text
}

#[test]
fn the_command_reference_is_the_binarys_help() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = readme();
    let start = text
        .find(REFERENCE_BEGIN)
        .expect("README has the reference markers")
        + REFERENCE_BEGIN.len();
    let end = text
        .find(REFERENCE_END)
        .expect("README has the reference markers");
    let generated = reference_from_help();
    if std::env::var_os("UPDATE_README").is_some_and(|v| v == "1") {
        fs::write(
            &path,
            format!("{}{generated}{}", &text[..start], &text[end..]),
        )
        .unwrap();
        return;
    }
    assert!(
        text[start..end] == generated,
        "the README's command reference differs from --help: run UPDATE_README=1 cargo test readme"
    );
}

#[test]
fn every_command_has_examples_and_only_archive_commands_offer_db() {
    let sb = Sandbox::new();
    let top = sb.ok(&["--help"]);
    assert!(!top.contains("--db"), "--db is not a global flag: {top}");
    for command in subcommands(&top) {
        let help = sb.ok(&[command.as_str(), "--help"]);
        assert!(
            help.contains("\nExamples:\n  parley "),
            "{command} --help has no examples: {help}"
        );
        let opens_archive = !matches!(command.as_str(), "parse" | "completions");
        assert_eq!(
            help.contains("--db <FILE>"),
            opens_archive,
            "{command}: {help}"
        );
        // Every positional argument and every --format says what it is.
        for sub in std::iter::once(vec![command.clone()]).chain(
            subcommands(&help)
                .into_iter()
                .map(|s| vec![command.clone(), s]),
        ) {
            let words: Vec<&str> = sub.iter().map(String::as_str).collect();
            let mut args = words.clone();
            args.push("--help");
            let help = sb.ok(&args);
            let mut options = help.lines().map(str::trim_start);
            if let Some(option) = options
                .by_ref()
                .find(|l| l.starts_with("-f, --format") || l.starts_with("--format <"))
            {
                // Short help puts the description on the option's line, long help below it.
                let next = options.next().unwrap_or("");
                let described = option.trim_end().contains(">  ")
                    || (!next.trim().is_empty() && !next.starts_with('-'));
                assert!(described, "{words:?}: --format is not described: {help}");
            }
            let arguments: Vec<&str> = help
                .lines()
                .skip_while(|l| !l.starts_with("Arguments:"))
                .skip(1)
                .take_while(|l| !l.is_empty())
                .collect();
            let mut lines = arguments.iter().peekable();
            while let Some(line) = lines.next() {
                if line.starts_with("  ") && !line.starts_with("   ") {
                    let described = line.trim().split_once("  ").is_some()
                        || lines.peek().is_some_and(|next| next.starts_with("    "));
                    assert!(described, "{words:?}: {line:?} is not described: {help}");
                }
            }
        }
    }
    sb.parley()
        .env("PARLEY_DB", sb.path("from-env.db"))
        .args(["migrate"])
        .assert()
        .success();
    assert!(
        sb.path("from-env.db").exists(),
        "PARLEY_DB still names the archive"
    );
}

#[test]
fn report_names_complete_in_the_shell() {
    let sb = Sandbox::new();
    // clap_complete's fish script completes no positional values of nested subcommands.
    for shell in ["bash", "zsh"] {
        let script = sb.ok(&["completions", shell]);
        assert!(
            script.contains("person-meetings") && script.contains("busiest-diplomats"),
            "{shell}"
        );
    }
}

use super::*;

#[test]
fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
    let sandbox = Sandbox::new();
    let (_, _, stderr) = sandbox.run(&[
        "import",
        "--jsonl",
        input_fixture("dump.jsonl").to_str().unwrap(),
    ]);
    assert!(!stderr.contains("importing"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "escape codes in a pipe: {stderr:?}"
    );
    assert_eq!(
        stderr.lines().count(),
        3,
        "two bad lines and the summary: {stderr}"
    );
}

#[test]
fn quiet_imports_and_reparses_report_only_failures() {
    let sandbox = Sandbox::new();
    let (_, _, stderr) = sandbox.run(&[
        "import",
        "-q",
        "--jsonl",
        input_fixture("dump.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(
        stderr.lines().all(|l| l.contains("dump.jsonl:")),
        "{stderr}"
    );
    let (ok, _, stderr) = sandbox.run(&["reparse", "--quiet"]);
    assert!(ok, "{stderr}");
}

#[test]
fn completions_are_generated_for_each_shell_and_know_the_subcommands() {
    let sandbox = Sandbox::new();
    let bash = sandbox.ok(&["completions", "bash"]);
    for word in ["search", "export", "datasette", "--jsonl"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        assert!(
            sandbox.ok(&["completions", shell]).contains("parley"),
            "{shell}"
        );
    }
    let (ok, _, stderr) = sandbox.run(&["completions", "tcsh"]);
    assert!(!ok);
    assert!(stderr.contains("possible values"), "{stderr}");
}

/// Runs parley on a pseudo-terminal with util-linux `script`, returning what the terminal got;
/// `None` (with a notice) where `script` is missing.
fn on_a_terminal(sandbox: &Sandbox, args: &[&str], no_color: bool) -> Option<String> {
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: util-linux script is not installed");
        return None;
    }
    let binary = assert_cmd::cargo::cargo_bin("parley");
    let command = std::iter::once(binary.to_str().unwrap())
        .chain(args.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = std::process::Command::new("/usr/bin/script");
    script
        .current_dir(sandbox.dir.path())
        .args(["-qec", &command, "/dev/null"])
        .env_remove("PARLEY_DB");
    if no_color {
        script.env("NO_COLOR", "1");
    } else {
        script.env_remove("NO_COLOR");
    }
    let out = script.stdin(std::process::Stdio::null()).output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_sees_a_progress_bar_coloured_unless_no_color_is_set() {
    let sandbox = Sandbox::new();
    let dump = input_fixture("dump.jsonl");
    let Some(coloured) = on_a_terminal(
        &sandbox,
        &["import", "--jsonl", dump.to_str().unwrap()],
        false,
    ) else {
        return;
    };
    assert!(coloured.contains("importing"), "{coloured:?}");
    // The phase is shown, and rates are whole numbers ("318/s", not "318.0087/s").
    assert!(
        ["reading", "parsing", "storing"]
            .iter()
            .any(|phase| coloured.contains(phase)),
        "{coloured:?}"
    );
    let fractional_rate = coloured.split("/s").any(|before| {
        before
            .rsplit(['(', ' '])
            .next()
            .is_some_and(|n| n.contains('.'))
    });
    assert!(!fractional_rate, "{coloured:?}");
    assert!(coloured.contains("\u{1b}[32m"), "{coloured:?}");
    let plain = on_a_terminal(&sandbox, &["reparse"], true).unwrap();
    assert!(plain.contains("reparsing"), "{plain:?}");
    assert!(
        !plain.contains("\u{1b}[3"),
        "colour despite NO_COLOR: {plain:?}"
    );
    let help = on_a_terminal(&sandbox, &["search", "--help"], true).unwrap();
    assert!(
        help.contains("--speaker") && !help.contains("\u{1b}["),
        "{help:?}"
    );
    let quiet = on_a_terminal(&sandbox, &["reparse", "--quiet"], false).unwrap();
    assert!(!quiet.contains("reparsing"), "{quiet:?}");
}

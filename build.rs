//! Cargo does not notice new files in `migrations/` or `reports/`: rerun when either folder changes,
//! and embed every shipped report (`reports/*.sql`) as `(name, sql)` pairs. Also tells the tests
//! which outside programs they may drive (see `tool_cfgs`).

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=reports");
    tool_cfgs();

    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("reports");
    let mut reports: Vec<_> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
                .collect()
        })
        .unwrap_or_default();
    reports.sort();

    let mut code = String::from(
        "/// Shipped reports as (name, SQL file text), sorted by name.\npub static BUILTIN_REPORTS: &[(&str, &str)] = &[\n",
    );
    for path in &reports {
        let name = path.file_stem().unwrap().to_string_lossy();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_reports.rs"),
        code,
    )
    .unwrap();
}

/// Tests that drive another program (Datasette, util-linux `script`, a C compiler, Graphviz,
/// networkx) are `#[cfg_attr(no_TOOL, ignore = "needs TOOL ...")]`: where the program is missing
/// they show as ignored, saying what they need, never as passed. In CI (`CI=true`) no `no_*` cfg is
/// set, so there they run and fail if `.ci/run` did not install their program.
fn tool_cfgs() {
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CI");
    // A program installed later lands in one of these folders: look again then (networkx, a Python
    // module, is seen on the next change of any of them, or after `touch build.rs`).
    if let Some(paths) = env::var_os("PATH") {
        for dir in env::split_paths(&paths).filter(|dir| dir.is_dir()) {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
    let ci = env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let on_path = |name: &str| {
        env::var_os("PATH")
            .is_some_and(|paths| env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
    };
    let networkx = || {
        std::process::Command::new("python3")
            .args(["-c", "import networkx"])
            .output()
            .is_ok_and(|out| out.status.success())
    };
    for (cfg, present) in [
        ("no_datasette", on_path("datasette")),
        ("no_script", on_path("script")),
        ("no_cc", on_path("cc")),
        ("no_dot", on_path("dot")),
        ("no_networkx", networkx()),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if !present && !ci {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
}

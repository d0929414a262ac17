//! Cargo does not notice new files in `migrations/` or `reports/`: rerun when either folder changes,
//! and embed every shipped report (`reports/*.sql`) as `(name, sql)` pairs.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=reports");

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

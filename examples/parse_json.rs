//! Prints the parse record of one article as JSON, without the CLI: `parse_json FILE
//! [--published=YYYY-MM-DD]`. Used to score the parser while the CLI changes.

use parley::model::ArticleMeta;

fn main() {
    let mut path = None;
    let mut meta = ArticleMeta::default();
    for arg in std::env::args().skip(1) {
        if let Some(d) = arg.strip_prefix("--published=") {
            meta.published = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        } else {
            path = Some(arg);
        }
    }
    let Some(path) = path else {
        eprintln!("usage: parse_json FILE [--published=YYYY-MM-DD]");
        std::process::exit(2);
    };
    let raw = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("parse_json: {path}: {e}");
            std::process::exit(1);
        }
    };
    let parsed = parley::parse::parse(&raw, &meta);
    println!("{}", serde_json::to_string(&parsed).unwrap_or_default());
}

//! Fuzzes the JSON Lines importer: any bytes are read as a dump, line by line; every line that is an
//! article is resolved (its HTML extracted where it has no text) and parsed, and the record must
//! keep the invariants of `fuzz/invariants.rs`. Bad lines must be errors, never panics.
#![no_main]

#[allow(dead_code)]
#[path = "../invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;
use parley::input::resolve::Incoming;
use parley::input::jsonl::{Line, Lines};
use parley::model::ArticleMeta;

fuzz_target!(|data: &[u8]| {
    for line in Lines::new(data) {
        let Ok(Line {
            article: Ok(article),
            text,
            ..
        }) = line
        else {
            continue;
        };
        let Ok(ready) = Incoming::json(article, text, None).resolve(&ArticleMeta::default()) else {
            continue;
        };
        let imported = ready.parse();
        if let Err(e) = invariants::check_record(&imported.parsed) {
            panic!("{e}");
        }
    }
});

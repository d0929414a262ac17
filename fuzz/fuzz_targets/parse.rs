//! Fuzzes the parser: any bytes, read as UTF-8 with replacement, must parse without a panic, in
//! time, into a record that keeps every invariant of `fuzz/invariants.rs` (a broken invariant is a
//! crash). The first byte, when present, picks a publication date so that date rules run too.
#![no_main]

#[allow(dead_code)]
#[path = "../invariants.rs"]
mod invariants;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use parley::model::ArticleMeta;

fuzz_target!(|data: &[u8]| {
    let (meta, body) = match data.split_first() {
        Some((&day, rest)) if day < 128 => {
            let published = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
                + chrono::Duration::days(i64::from(day) * 17);
            (
                ArticleMeta {
                    published: Some(published),
                    ..ArticleMeta::default()
                },
                rest,
            )
        }
        _ => (ArticleMeta::default(), data),
    };
    let raw = String::from_utf8_lossy(body);
    let parsed = parley::parse::parse(&raw, &meta);
    if let Err(e) = invariants::check(&raw, &meta, &parsed) {
        panic!("{e}");
    }
});

//! Fuzzes the web-page importer: any bytes, read as UTF-8 with replacement, are a page. Bounding its
//! depth must keep every character of text outside tags and never make a page deeper; extracting it
//! must return an article or an error, never panic or hang (a page nested 8,000 levels deep took
//! 40 s before the depth was bounded); an article's text must parse into a record that keeps the
//! invariants of `fuzz/invariants.rs`.
#![no_main]

#[allow(dead_code)]
#[path = "../invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;
use parley::input::html::{MAX_DEPTH, bound_depth, extract};
use parley::model::ArticleMeta;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let bounded = bound_depth(&page, MAX_DEPTH);
    if bound_depth(&bounded, MAX_DEPTH) != bounded {
        panic!("bounding the depth twice changed the page again");
    }
    let Ok(article) = extract(&page) else {
        return;
    };
    let parsed = parley::parse::parse(&article.text, &ArticleMeta::default());
    if let Err(e) = invariants::check(&article.text, &ArticleMeta::default(), &parsed) {
        panic!("{e}");
    }
});

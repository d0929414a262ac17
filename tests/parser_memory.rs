//! The parser's memory (issue 13: an import's peak memory must stay under 150 MB plus the largest
//! single article). Without windows the parser held about sixteen bytes per byte of text (tokens,
//! sentences, word classes, a lower-cased copy): a 50 MB text took 619 MB. A text longer than
//! `parse::WINDOW` is now parsed window by window, so the parser's working memory follows the window,
//! and the article itself is held about twice (the normalized text and what is found in it).
//!
//! Measured with a counting global allocator, the bytes live at once, which is exact and does not
//! depend on the machine's load, unlike resident memory. This binary holds this one test, so no other
//! thread allocates while it measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use parley::model::ArticleMeta;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; the counters only watch.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// An invented wire story of `paragraphs` paragraphs, each naming two of a few hundred invented
/// people at a meeting and quoting one of them.
fn story(paragraphs: usize) -> String {
    const SYLLABLES: [&str; 9] = [
        "Kes", "Mor", "Val", "Dren", "Ast", "Lun", "Bor", "Tel", "Sav",
    ];
    let name = |i: usize| {
        format!(
            "{}{}{}",
            SYLLABLES[i % 9],
            SYLLABLES[(i / 9) % 9].to_lowercase(),
            ["son", "ler", "ova"][(i / 81) % 3]
        )
    };
    let mut text = String::from("Ministers meet in Vellmar for a week of talks\n\n");
    for i in 0..paragraphs {
        text.push_str(&format!(
            "Norland's Foreign Minister Arvid {} met Ostrian envoy Lena {} in Vellmar on Monday, \
             the {}th round of talks on the border. \"We have agreed on much, and more remains,\" \
             {} told reporters after the meeting.\n\n",
            name(i),
            name(i + 97),
            i % 90 + 4,
            name(i),
        ));
    }
    text
}

#[test]
fn the_parser_holds_about_twice_a_long_text_not_sixteen_times_it() {
    let text = story(32_000);
    let len = text.len();
    assert!(len > 6 * parley::parse::WINDOW, "{len} bytes");
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let parsed = parley::parse::parse(&text, &ArticleMeta::default());
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert!(!parsed.meetings.is_empty() && !parsed.quotes.is_empty());
    let mib = |b: usize| b as f64 / f64::from(1 << 20);
    eprintln!(
        "{:.1} MiB of text: the parser's peak {:.1} MiB ({:.1} bytes per byte)",
        mib(len),
        mib(peak),
        peak as f64 / len as f64
    );
    // The normalized text and the records found (the quotations are copied out) are about two
    // bytes per byte; the windows' working memory is about sixteen times one window.
    let bound = 2 * len + 24 * parley::parse::WINDOW;
    assert!(
        peak < bound,
        "peak {:.1} MiB, bound {:.1} MiB",
        mib(peak),
        mib(bound)
    );
}

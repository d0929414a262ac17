//! Parse-only measurements without the CLI, for work on the parser's speed:
//!
//! - `parse_speed bench DIR [RUNS]`: parses every `*.txt` under DIR (recursively) RUNS times (5 by
//!   default) on one thread and prints MB per CPU second (the thread's own CPU time) for each run and
//!   their median.
//! - `parse_speed dump DIR OUT`: writes the parse record of every `*.txt` under DIR as one JSON line
//!   to OUT, in path order, so two builds of the parser can be compared byte for byte. With
//!   `--published=YYYY-MM-DD` every article is parsed against that publication date.

use std::path::{Path, PathBuf};
use std::time::Duration;

use parley::model::ArticleMeta;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut meta = ArticleMeta::default();
    let mut rest = Vec::new();
    for arg in args {
        if let Some(d) = arg.strip_prefix("--published=") {
            meta.published = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        } else {
            rest.push(arg);
        }
    }
    match rest
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["bench", dir, runs @ ..] => {
            let runs = runs
                .first()
                .map_or(5, |r| r.parse().expect("RUNS is a number"));
            bench(Path::new(dir), runs, &meta);
        }
        ["dump", dir, out] => dump(Path::new(dir), Path::new(out), &meta),
        _ => {
            eprintln!(
                "usage: parse_speed bench DIR [RUNS] | parse_speed dump DIR OUT [--published=DATE]"
            );
            std::process::exit(2);
        }
    }
}

/// The `*.txt` files under `dir`, sorted by path.
fn articles(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("readable article")).into_owned()
}

fn bench(dir: &Path, runs: usize, meta: &ArticleMeta) {
    let texts: Vec<String> = articles(dir).iter().map(|p| read(p)).collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    // The word lists and automata are built on first use: a first, untimed pass builds them all.
    std::hint::black_box(timed_pass(&texts, meta));
    let mut rates: Vec<f64> = (0..runs)
        .map(|run| {
            let start = thread_cpu_time();
            std::hint::black_box(timed_pass(&texts, meta));
            let cpu = (thread_cpu_time() - start).as_secs_f64();
            eprintln!(
                "run {run}: {:.2} s CPU, {:.1} MB per CPU second",
                cpu,
                mb / cpu
            );
            mb / cpu
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "median {:.1} MB per CPU second ({} articles, {mb:.1} MB, {runs} runs)",
        rates[rates.len() / 2],
        texts.len()
    );
}

/// One pass over the articles (a function of its own, so `valgrind --tool=callgrind
/// --toggle-collect=parse_speed::timed_pass` counts exactly the parsing).
#[inline(never)]
fn timed_pass(texts: &[String], meta: &ArticleMeta) -> usize {
    let mut found = 0;
    for text in texts {
        let parsed = parley::parse::parse(text, meta);
        found += parsed.meetings.len() + parsed.quotes.len() + parsed.participants.len();
    }
    found
}

fn dump(dir: &Path, out: &Path, meta: &ArticleMeta) {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).expect("writable output"));
    for path in articles(dir) {
        let parsed = parley::parse::parse(&read(&path), meta);
        let json = serde_json::to_string(&parsed).expect("serialisable record");
        writeln!(file, "{}\t{json}", path.display()).expect("writable output");
    }
}

/// CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime only writes the timespec it is given.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

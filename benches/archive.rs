//! The archive benchmark (`cargo bench --bench archive`, see BENCHMARKS.md): builds synthetic archives
//! of 10,000 and 100,000 distinct articles and measures, each as the median of several runs, the real
//! `parley import` binary end to end (articles/s, MB/s, peak resident memory, database bytes per
//! article), parse-only throughput on one core, `parley reparse`, and the latency of every view (full
//! scan) and every shipped report on the largest archive. The figures go into BENCHMARKS.md between
//! its `figures` markers, with the machine and the command.
//!
//! Settings (environment): `PARLEY_BENCH_SIZES` (default `10000,100000`), `PARLEY_BENCH_RUNS`
//! (process runs per figure, default 3), `PARLEY_BENCH_QUERY_RUNS` (default 7), `PARLEY_BENCH_OUT`
//! (the Markdown file to update, default BENCHMARKS.md; `-` prints only), `PARLEY_BENCH_ONLY=store`
//! (only fill the archive of expected records and time it: for profiling the storage side),
//! `PARLEY_BENCH_ONLY=growth` (only the growth rows: each hostile input family at 1x, 4x and 16x,
//! run through the binary, with each size's time as a multiple of the 1x time; linear is 4 and 16).

mod synth;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use parley::model::ArticleMeta;
use parley::store::{Archive, ImportedArticle};
use rusqlite::types::ValueRef;

use synth::{GENERATOR_VERSION, Synth};

/// The corpus seed: every run of the benchmark reads the same articles.
const SEED: u64 = 0x5052_4C59;
/// Articles per `store_batch` when filling the archive of expected records.
const STORE_BATCH: usize = 256;
/// Articles timed by the parse-only measurement.
const PARSE_SAMPLE: usize = 10_000;

const BEGIN: &str =
    "<!-- figures:begin (written by `cargo bench --bench archive`; edit above or below) -->";
const END: &str = "<!-- figures:end -->";

struct Config {
    sizes: Vec<usize>,
    runs: usize,
    query_runs: usize,
    out: Option<PathBuf>,
    work: PathBuf,
    bin: PathBuf,
}

impl Config {
    fn from_env() -> Config {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let sizes = var("PARLEY_BENCH_SIZES")
            .unwrap_or_else(|| "10000,100000".into())
            .split(',')
            .map(|s| {
                s.trim()
                    .replace('_', "")
                    .parse()
                    .expect("PARLEY_BENCH_SIZES: comma-separated counts")
            })
            .collect();
        let number =
            |name: &str, default: usize| var(name).map_or(default, |v| v.parse().expect(name));
        let out = match var("PARLEY_BENCH_OUT") {
            Some(v) if v == "-" => None,
            Some(v) => Some(PathBuf::from(v)),
            None => Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md")),
        };
        Config {
            sizes,
            runs: number("PARLEY_BENCH_RUNS", 3).max(1),
            query_runs: number("PARLEY_BENCH_QUERY_RUNS", 7).max(1),
            out,
            work: Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-bench"),
            bin: PathBuf::from(env!("CARGO_BIN_EXE_parley")),
        }
    }
}

/// A corpus on disk: `count` article files under `dir`, `bytes` of text in all.
struct Corpus {
    dir: PathBuf,
    count: usize,
    bytes: u64,
}

/// One run of the `parley` binary.
struct ProcessRun {
    wall: Duration,
    cpu: Duration,
    peak_rss_kib: i64,
}

/// What was measured at one archive size.
struct SizeFigures {
    count: usize,
    bytes: u64,
    import: Vec<ProcessRun>,
    reparse: Vec<ProcessRun>,
    db_bytes: u64,
    /// SQLite alone storing the same texts with the same full-text index, one run per import run.
    floor: Vec<Duration>,
}

struct QueryFigure {
    name: String,
    rows: usize,
    imported: Duration,
    expected: Duration,
}

fn main() {
    let cfg = Config::from_env();
    fs::create_dir_all(&cfg.work).expect("cannot create the work folder");
    // Run a copy: another `cargo build` in the same tree must not swap the binary mid-benchmark.
    // One copy per benchmark process, so that two runs (the 1M run beside another) can share the
    // work folder and its corpora.
    let bin = cfg
        .work
        .join(format!("parley-under-test-{}", std::process::id()));
    fs::copy(&cfg.bin, &bin).expect("cannot copy the parley binary");
    let cfg = Config { bin, ..cfg };
    let started = chrono::Utc::now();
    let load_before = load_average();
    eprintln!(
        "archive benchmark: sizes {:?}, {} runs, work in {}",
        cfg.sizes,
        cfg.runs,
        cfg.work.display()
    );

    if std::env::var("PARLEY_BENCH_ONLY").is_ok_and(|v| v == "growth") {
        println!("{}", growth_rows(&cfg));
        return;
    }
    if std::env::var("PARLEY_BENCH_ONLY").is_ok_and(|v| v == "million") {
        million(&cfg);
        return;
    }
    if std::env::var("PARLEY_BENCH_ONLY").is_ok_and(|v| v == "floor") {
        for &count in &cfg.sizes {
            let texts = corpus_texts(&corpus(&cfg.work, count).dir);
            let took = median_duration(
                &(0..cfg.runs)
                    .map(|_| sqlite_floor(&cfg.work, &texts))
                    .collect::<Vec<_>>(),
            );
            println!(
                "{count}: SQLite + FTS5 floor {:.0} articles/s",
                count as f64 / took.as_secs_f64()
            );
        }
        real_corpus(&cfg);
        return;
    }
    if std::env::var("PARLEY_BENCH_ONLY").is_ok_and(|v| v == "store") {
        for &count in &cfg.sizes {
            expected_archive(&cfg.work, count);
        }
        return;
    }
    let mut per_size = Vec::new();
    for &count in &cfg.sizes {
        let corpus = corpus(&cfg.work, count);
        eprintln!(
            "{count} articles, {:.1} MB of text in {}",
            mb(corpus.bytes),
            corpus.dir.display()
        );
        per_size.push(measure_size(&cfg, &corpus));
    }

    let real = real_corpus(&cfg);
    let parse = parse_only(cfg.runs.max(3));
    let largest = *cfg.sizes.iter().max().expect("no sizes");
    let (expected_db, store_rate) = expected_archive(&cfg.work, largest);
    let imported_db = cfg.work.join(format!("import-{largest}.db"));
    let queries = query_latencies(&imported_db, &expected_db, cfg.query_runs);

    let figures = render(
        &cfg,
        &per_size,
        real.as_ref(),
        parse,
        store_rate,
        largest,
        &queries,
        started,
        load_before,
    );
    println!("{figures}");
    if let Some(out) = &cfg.out {
        write_figures(out, &figures);
        eprintln!("figures written to {}", out.display());
    }
}

/// One hostile input family (issue 13): what `parley` is given at a scale, and how it is run.
struct Family {
    name: &'static str,
    /// The unit the scale counts.
    unit: &'static str,
    /// The 1x scale.
    base: usize,
    file_name: &'static str,
    make: fn(usize) -> String,
    /// `parley` arguments before the file: `parse` (no archive) or `import --jsonl`.
    args: &'static [&'static str],
}

/// A name word made of letters only, different for every `i`: a digit in a word ("Ax12") keeps it
/// from being read as a name, and the family would then measure nothing of name resolution.
fn letters(mut i: usize) -> String {
    let mut word = Vec::new();
    loop {
        word.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    word.reverse();
    String::from_utf8(word).unwrap()
}

const FAMILIES: [Family; 4] = [
    Family {
        name: "nested HTML",
        unit: "levels of <div><p><span>",
        base: 1_000,
        file_name: "nested.html",
        make: |n| {
            format!(
                "<html><body>{}<p>Foreign Minister Ana Ruiz met envoy Li Wen in Lima on Monday to discuss trade and fisheries.</p></body></html>",
                "<div><p><span>".repeat(n)
            )
        },
        args: &["parse"],
    },
    Family {
        name: "people sharing a name word",
        unit: "sentences",
        base: 1_000,
        file_name: "names.txt",
        make: |n| {
            (1..=n)
                .map(|i| {
                    let (a, b) = (letters(i), letters(i));
                    format!(
                        "President Ax{a} Moreau met President By{b} Karimov in Geneva on Monday. "
                    )
                })
                .collect()
        },
        args: &["parse"],
    },
    Family {
        name: "a long plain article",
        unit: "paragraphs",
        base: 1_000,
        file_name: "long.txt",
        make: |n| {
            (0..n)
                .map(|i| format!("Foreign Minister Ana Ruiz met envoy Li Wen in Lima for talks on item {i}.\n\n"))
                .collect()
        },
        args: &["parse"],
    },
    Family {
        name: "JSON Lines of tiny lines",
        unit: "lines",
        base: 15_625,
        file_name: "tiny.jsonl",
        make: |n| (0..n).map(|i| format!("{{\"text\":\"x{i}\"}}\n")).collect(),
        args: &["import", "--quiet", "--jsonl"],
    },
];

/// Each family at 1x, 4x and 16x: wall and CPU time (median of the configured runs), peak memory,
/// and the CPU time as a multiple of the 1x figure (linear growth gives 4 and 16; quadratic 16 and 256).
fn growth_rows(cfg: &Config) -> String {
    let mut table = String::from(
        "| input | size | wall s | CPU s | x 1x CPU | peak MiB |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for family in &FAMILIES {
        let mut base_cpu = None;
        for factor in [1, 4, 16] {
            let n = family.base * factor;
            let file = cfg.work.join(family.file_name);
            fs::write(&file, (family.make)(n)).expect("cannot write the input");
            let db = cfg.work.join("growth.db");
            let mut runs: Vec<ProcessRun> = (0..cfg.runs)
                .map(|_| {
                    remove_archive(&db);
                    let mut args: Vec<&std::ffi::OsStr> =
                        family.args.iter().map(std::ffi::OsStr::new).collect();
                    args.push(file.as_os_str());
                    run_parley(cfg, &db, &args)
                })
                .collect();
            runs.sort_by_key(|r| r.cpu);
            let run = &runs[runs.len() / 2];
            let base = *base_cpu.get_or_insert(run.cpu.as_secs_f64().max(1e-3));
            let _ = writeln!(
                table,
                "| {} | {} {} | {:.2} | {:.2} | {:.1} | {:.0} |",
                family.name,
                thousands(n),
                family.unit,
                run.wall.as_secs_f64(),
                run.cpu.as_secs_f64(),
                run.cpu.as_secs_f64() / base,
                run.peak_rss_kib as f64 / 1024.0
            );
            eprintln!(
                "growth: {} at {n}: {:.2} s CPU",
                family.name,
                run.cpu.as_secs_f64()
            );
        }
    }
    table
}

/// Writes (once, then reuses) `count` generated articles as files, 1,000 to a folder.
fn corpus(work: &Path, count: usize) -> Corpus {
    let dir = work.join(format!("corpus-{count}-v{GENERATOR_VERSION}"));
    let marker = dir.join("complete");
    if let Ok(text) = fs::read_to_string(&marker)
        && let Ok(bytes) = text.trim().parse()
    {
        return Corpus { dir, count, bytes };
    }
    let _ = fs::remove_dir_all(&dir);
    let mut synth = Synth::new(SEED);
    let mut bytes = 0u64;
    for i in 0..count {
        let article = synth.article();
        if i < 1000 {
            synth::check_spans(&article).expect("the generator wrote a wrong span");
        }
        let folder = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&folder).expect("cannot create a corpus folder");
        }
        fs::write(folder.join(format!("{i:06}.txt")), &article.text)
            .expect("cannot write an article");
        bytes += article.text.len() as u64;
    }
    fs::write(&marker, bytes.to_string()).expect("cannot write the corpus marker");
    Corpus { dir, count, bytes }
}

fn measure_size(cfg: &Config, corpus: &Corpus) -> SizeFigures {
    let db = cfg.work.join(format!("import-{}.db", corpus.count));
    let mut import = Vec::new();
    for run in 0..cfg.runs {
        remove_archive(&db);
        let measured = run_parley(cfg, &db, &["import".as_ref(), corpus.dir.as_os_str()]);
        eprintln!(
            "  import run {}: {:.2} s, {:.0} articles/s, peak RSS {} MiB",
            run + 1,
            measured.wall.as_secs_f64(),
            corpus.count as f64 / measured.wall.as_secs_f64(),
            measured.peak_rss_kib / 1024
        );
        import.push(measured);
    }
    let stored = count_articles(&db);
    assert_eq!(
        stored, corpus.count as i64,
        "the import stored {stored} articles, not {}",
        corpus.count
    );
    let db_bytes = fs::metadata(&db).expect("the archive is missing").len();

    let texts = corpus_texts(&corpus.dir);
    let floor: Vec<Duration> = (0..cfg.runs)
        .map(|_| sqlite_floor(&cfg.work, &texts))
        .collect();
    eprintln!(
        "  SQLite + FTS5 floor: {:.0} articles/s",
        corpus.count as f64 / median_duration(&floor).as_secs_f64()
    );
    drop(texts);

    let mut reparse = Vec::new();
    for run in 0..cfg.runs {
        let measured = run_parley(cfg, &db, &["reparse".as_ref()]);
        eprintln!(
            "  reparse run {}: {:.2} s, {:.0} articles/s",
            run + 1,
            measured.wall.as_secs_f64(),
            corpus.count as f64 / measured.wall.as_secs_f64()
        );
        reparse.push(measured);
    }
    assert_eq!(
        count_articles(&db),
        corpus.count as i64,
        "reparse changed the number of articles"
    );
    SizeFigures {
        count: corpus.count,
        bytes: corpus.bytes,
        import,
        reparse,
        db_bytes,
        floor,
    }
}

/// The texts of a corpus folder (`NNN/NNNNNN.txt`), in file-name order, untitled as parley imports them.
fn corpus_texts(dir: &Path) -> Vec<(Option<String>, String)> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("cannot list the corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .flat_map(|folder| {
            fs::read_dir(folder)
                .expect("cannot list a corpus folder")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect::<Vec<_>>()
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| (None, fs::read_to_string(f).expect("cannot read an article")))
        .collect()
}

/// The yardstick of issue 12: how long SQLite alone takes to store `texts` with the same full-text
/// index as parley's (`articles(id, title, text)` and an FTS5 table over it with parley's
/// declaration and tokenizer), in one transaction on this thread: one core, no parsing, no people.
fn sqlite_floor(work: &Path, texts: &[(Option<String>, String)]) -> Duration {
    let db = work.join("floor.db");
    remove_archive(&db);
    let conn = rusqlite::Connection::open(&db).expect("cannot create the floor database");
    conn.execute_batch(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, text TEXT);
         CREATE VIRTUAL TABLE articles_fts USING fts5(
             title, text, content=\"articles\", content_rowid=\"id\",
             tokenize=\"porter unicode61 remove_diacritics 2\");",
    )
    .expect("cannot create the floor schema");
    let start = Instant::now();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut row = conn
            .prepare("INSERT INTO articles (id, title, text) VALUES (?1, ?2, ?3)")
            .unwrap();
        let mut index = conn
            .prepare("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")
            .unwrap();
        for (i, (title, text)) in texts.iter().enumerate() {
            let id = i as i64 + 1;
            row.execute(rusqlite::params![id, title, text]).unwrap();
            index.execute(rusqlite::params![id, title, text]).unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    let elapsed = start.elapsed();
    drop(conn);
    remove_archive(&db);
    elapsed
}

fn median_duration(runs: &[Duration]) -> Duration {
    let mut sorted = runs.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// The Reuters-21578 JSON Lines dump (issue 12): where it is, if this machine has it.
fn reuters_dump() -> Option<PathBuf> {
    let path = std::env::var("PARLEY_BENCH_REUTERS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/work/shared/corpus/bulk/reuters21578.jsonl.gz"));
    path.exists().then_some(path)
}

/// What the Reuters dump measured: articles, import runs, floor runs.
struct RealCorpus {
    count: usize,
    bytes: u64,
    import: Vec<ProcessRun>,
    floor: Vec<Duration>,
}

/// The real corpus through `parley import --jsonl`, beside SQLite's floor on the same titles and
/// texts. `None` (with a note on stderr) where the dump or `gzip` is missing.
fn real_corpus(cfg: &Config) -> Option<RealCorpus> {
    let Some(dump) = reuters_dump() else {
        eprintln!("Reuters dump not found (set PARLEY_BENCH_REUTERS): its row is skipped");
        return None;
    };
    let plain = cfg.work.join("reuters21578.jsonl");
    if !plain.exists() {
        let out = Command::new("gzip").arg("-dc").arg(&dump).output().ok()?;
        if !out.status.success() {
            eprintln!(
                "gzip could not read {}: the Reuters row is skipped",
                dump.display()
            );
            return None;
        }
        fs::write(&plain, out.stdout).expect("cannot write the Reuters dump");
    }
    let lines = fs::read_to_string(&plain).expect("cannot read the Reuters dump");
    let texts: Vec<(Option<String>, String)> = lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (
                v["title"].as_str().map(String::from),
                v["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let bytes = texts.iter().map(|(_, t)| t.len() as u64).sum();
    let db = cfg.work.join("reuters.db");
    let import = (0..cfg.runs)
        .map(|_| {
            remove_archive(&db);
            run_parley(
                cfg,
                &db,
                &["import".as_ref(), "--jsonl".as_ref(), plain.as_os_str()],
            )
        })
        .collect::<Vec<_>>();
    let floor: Vec<Duration> = (0..cfg.runs)
        .map(|_| sqlite_floor(&cfg.work, &texts))
        .collect();
    let figures = RealCorpus {
        count: texts.len(),
        bytes,
        import,
        floor,
    };
    eprintln!(
        "Reuters: import {:.0} articles/s, floor {:.0} articles/s",
        figures.count as f64 / median_run(&figures.import).wall.as_secs_f64(),
        figures.count as f64 / median_duration(&figures.floor).as_secs_f64()
    );
    Some(figures)
}

/// `PARLEY_BENCH_ONLY=million` (sizes from PARLEY_BENCH_SIZES, default 1,000,000): one import of the
/// generated corpus, its throughput, peak RSS and file size, and each shipped report's latency on the
/// imported archive, printed (BENCHMARKS.md records it by hand: it is run once, not every time).
fn million(cfg: &Config) {
    let count = cfg.sizes.iter().copied().max().unwrap_or(1_000_000);
    let corpus = corpus(&cfg.work, count);
    eprintln!("{count} articles, {:.1} MB of text", mb(corpus.bytes));
    let db = cfg.work.join(format!("import-{count}.db"));
    remove_archive(&db);
    let run = run_parley(cfg, &db, &["import".as_ref(), corpus.dir.as_os_str()]);
    let stored = count_articles(&db);
    let db_bytes = fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "| articles | {} (stored {stored}) |\n| text | {:.1} MB |\n| import wall | {:.0} s |\n| import, articles/s | {:.0} |\n| import, CPU per article | {:.2} ms |\n| peak RSS | {:.1} MiB |\n| archive | {:.2} GB ({:.0} bytes per article) |",
        thousands(count),
        mb(corpus.bytes),
        run.wall.as_secs_f64(),
        count as f64 / run.wall.as_secs_f64(),
        run.cpu.as_secs_f64() * 1e3 / count as f64,
        run.peak_rss_kib as f64 / 1024.0,
        db_bytes as f64 / 1e9,
        db_bytes as f64 / count as f64
    );
    let archive = Archive::open_read_only(&db).expect("cannot open the archive");
    let params = report_parameters(archive.connection());
    println!("\n| report | rows | ms |\n|---|---:|---:|");
    for report in parley::read::report::catalogue(None)
        .expect("cannot list the reports")
        .iter()
    {
        let given: Vec<(String, String)> = report
            .params
            .iter()
            .filter(|p| p.default.is_none())
            .filter_map(|p| {
                params
                    .iter()
                    .find(|(name, _)| *name == p.name)
                    .map(|(name, value)| (name.to_string(), value.clone()))
            })
            .collect();
        let mut rows = 0;
        let took = median_time(cfg.query_runs, || {
            rows = report
                .run(archive.connection(), &given)
                .expect("the report failed")
                .rows
                .len();
        });
        println!("| {} | {rows} | {:.1} |", report.name, ms(took));
    }
}

fn remove_archive(db: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = fs::remove_file(PathBuf::from(path));
    }
}

fn count_articles(db: &Path) -> i64 {
    let archive = Archive::open_read_only(db).expect("cannot open the archive");
    archive
        .connection()
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .expect("cannot count")
}

/// Runs `parley --db DB ARGS...`, failing loudly if it fails, and measures wall time, CPU time and
/// peak resident memory (from `wait4`, the kernel's own accounting of the child).
#[allow(clippy::zombie_processes, reason = "wait4 reaps the child")]
fn run_parley(cfg: &Config, db: &Path, args: &[&std::ffi::OsStr]) -> ProcessRun {
    let log = cfg.work.join(format!("parley-{}.log", std::process::id()));
    let mut command = Command::new(&cfg.bin);
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&log).expect("cannot create the log"));
    let start = Instant::now();
    let child = command.spawn().expect("cannot start parley");
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills; the pid is our own child, waited for once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(pid > 0, "wait4 failed: {}", std::io::Error::last_os_error());
    let succeeded = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(
        succeeded,
        "parley {args:?} failed:\n{}",
        fs::read_to_string(&log).unwrap_or_default()
    );
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    ProcessRun {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
    }
}

/// Parse-only throughput on one core, MB/s: the median over `runs` passes over the same articles.
fn parse_only(runs: usize) -> ParseRate {
    let mut synth = Synth::new(SEED);
    let texts: Vec<String> = (0..PARSE_SAMPLE).map(|_| synth.article().text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let meta = ArticleMeta::default();
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let cpu_start = thread_cpu_time();
            let mut found = 0usize;
            for text in &texts {
                let parsed = parley::parse::parse(text, &meta);
                found += parsed.meetings.len() + parsed.quotes.len() + parsed.participants.len();
            }
            let cpu = thread_cpu_time() - cpu_start;
            let elapsed = start.elapsed();
            std::hint::black_box(found);
            (
                mb(bytes as u64) / elapsed.as_secs_f64(),
                mb(bytes as u64) / cpu.as_secs_f64(),
            )
        })
        .unzip();
    let rate = ParseRate {
        wall: median_f64(&mut wall),
        cpu: median_f64(&mut cpu),
    };
    eprintln!(
        "parse only: {:.1} MB/s of wall time, {:.1} MB per CPU second, one thread ({PARSE_SAMPLE} articles, {:.1} MB)",
        rate.wall,
        rate.cpu,
        mb(bytes as u64)
    );
    rate
}

/// Parse-only throughput on one thread: MB per second of wall time, and MB per second of the
/// thread's own CPU time (what one core does, whatever else the machine is running).
#[derive(Clone, Copy)]
struct ParseRate {
    wall: f64,
    cpu: f64,
}

/// CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime only writes the timespec it is given.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// An archive holding the generated articles with their expected records (as a perfect parser would
/// extract them), written through `store_batch`: realistic derived rows for the view and report
/// latencies whatever the parser extracts today. Returns its path and the storage-only rate.
fn expected_archive(work: &Path, count: usize) -> (PathBuf, f64) {
    let db = work.join(format!("expected-{count}.db"));
    remove_archive(&db);
    let mut archive = Archive::open(&db).expect("cannot create the archive");
    if let Ok(pragmas) = std::env::var("PARLEY_BENCH_PRAGMAS") {
        archive
            .connection()
            .execute_batch(&pragmas)
            .expect("bad PARLEY_BENCH_PRAGMAS");
    }
    let mut synth = Synth::new(SEED);
    let mut sink = Timed {
        archive: &mut archive,
        storing: Duration::ZERO,
    };
    let mut left = count;
    // The library's batch runner, with nothing to parse: the records are the expected ones, made as
    // the batch is given out; only the time spent in the sink is counted.
    parley::pipeline::run(
        &mut sink,
        |_: &mut Timed| {
            let n = left.min(STORE_BATCH);
            left -= n;
            let batch: Vec<ImportedArticle> = (0..n)
                .map(|_| ImportedArticle {
                    parsed: synth.article().expected,
                    raw: None,
                    raw_format: "text",
                    path: None,
                })
                .collect();
            Ok::<_, parley::store::StoreError>((n > 0).then_some(batch))
        },
        |_| false,
        |article| article,
        &(),
        |_, outcomes| {
            for outcome in outcomes {
                outcome.expect("cannot store an article");
            }
            Ok(())
        },
    )
    .expect("cannot store a batch");
    let storing = sink.storing;
    drop(archive);
    let rate = count as f64 / storing.as_secs_f64();
    eprintln!(
        "storage only (expected records): {rate:.0} articles/s into {}",
        db.display()
    );
    (db, rate)
}

/// The archive as the runner's sink, timed.
struct Timed<'a> {
    archive: &'a mut Archive,
    storing: Duration,
}

impl parley::pipeline::Sink<ImportedArticle> for Timed<'_> {
    type Stored = Vec<parley::store::Result<parley::store::StoreOutcome>>;

    fn store(
        &mut self,
        batch: &[ImportedArticle],
        _: &dyn parley::pipeline::Observer,
    ) -> parley::store::Result<Self::Stored> {
        let start = Instant::now();
        let stored = self.archive.store_batch(batch);
        self.storing += start.elapsed();
        stored
    }
}

/// Views (every row, every column) and shipped reports, on the imported and the expected archives.
fn query_latencies(
    imported: &Path,
    expected: &Path,
    runs: usize,
) -> (Vec<QueryFigure>, Vec<QueryFigure>) {
    let imported = Archive::open_read_only(imported).expect("cannot open the imported archive");
    let expected = Archive::open_read_only(expected).expect("cannot open the expected archive");
    let views: Vec<String> = {
        let conn = expected.connection();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let scan = |conn: &rusqlite::Connection, view: &str| -> usize {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{view}\"")).unwrap();
        let width = stmt.column_count();
        let mut rows = stmt.raw_query();
        let mut n = 0;
        while let Some(row) = rows.next().unwrap() {
            for i in 0..width {
                std::hint::black_box(matches!(row.get_ref(i).unwrap(), ValueRef::Null));
            }
            n += 1;
        }
        n
    };
    let view_figures = views
        .iter()
        .map(|view| {
            let rows = scan(expected.connection(), view);
            let figure = QueryFigure {
                name: view.clone(),
                rows,
                imported: median_time(runs, || {
                    scan(imported.connection(), view);
                }),
                expected: median_time(runs, || {
                    scan(expected.connection(), view);
                }),
            };
            eprintln!("  view {view}: {:.1} ms ({rows} rows)", ms(figure.expected));
            figure
        })
        .collect();

    let params = report_parameters(expected.connection());
    let report_figures = parley::read::report::catalogue(None)
        .expect("cannot list the reports")
        .iter()
        .map(|report| {
            let given: Vec<(String, String)> = report
                .params
                .iter()
                .filter(|p| p.default.is_none())
                .map(|p| {
                    let value = params
                        .iter()
                        .find(|(name, _)| *name == p.name)
                        .unwrap_or_else(|| {
                            panic!(
                                "the benchmark has no value for {}'s :{}",
                                report.name, p.name
                            )
                        });
                    (p.name.clone(), value.1.clone())
                })
                .collect();
            let run = |archive: &Archive| {
                report
                    .run(archive.connection(), &given)
                    .expect("the report failed")
            };
            let rows = run(&expected).rows.len();
            let figure = QueryFigure {
                name: report.name.clone(),
                rows,
                imported: median_time(runs, || {
                    run(&imported);
                }),
                expected: median_time(runs, || {
                    run(&expected);
                }),
            };
            eprintln!(
                "  report {}: {:.1} ms ({rows} rows)",
                report.name,
                ms(figure.expected)
            );
            figure
        })
        .collect();
    (view_figures, report_figures)
}

/// Values for the reports' required parameters: the busiest person and the two commonest countries,
/// so that the reports do the most work a real archive would ask of them.
fn report_parameters(conn: &rusqlite::Connection) -> Vec<(&'static str, String)> {
    let countries: Vec<String> = conn
        .prepare(
            "SELECT country FROM article_participants WHERE country IS NOT NULL
              GROUP BY country ORDER BY count(*) DESC LIMIT 2",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let person: String = conn
        .query_row(
            "SELECT p.name FROM participants p JOIN article_participants ap ON ap.participant_id = p.id
              GROUP BY p.id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    vec![
        ("name", person),
        ("country", countries[0].clone()),
        ("a", countries[0].clone()),
        ("b", countries[1].clone()),
    ]
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn median_run(runs: &[ProcessRun]) -> &ProcessRun {
    let mut sorted: Vec<&ProcessRun> = runs.iter().collect();
    sorted.sort_by_key(|r| r.wall);
    sorted[sorted.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cores} cores ({model}), {memory} of memory, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".into(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

#[allow(clippy::too_many_arguments)]
fn render(
    cfg: &Config,
    sizes: &[SizeFigures],
    real: Option<&RealCorpus>,
    parse: ParseRate,
    store_rate: f64,
    largest: usize,
    (views, reports): &(Vec<QueryFigure>, Vec<QueryFigure>),
    started: chrono::DateTime<chrono::Utc>,
    load_before: String,
) -> String {
    let mut md = String::new();
    let settings: Vec<String> = [
        "PARLEY_BENCH_SIZES",
        "PARLEY_BENCH_RUNS",
        "PARLEY_BENCH_QUERY_RUNS",
    ]
    .iter()
    .filter_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{name}={v} "))
    })
    .collect();
    let _ = writeln!(
        md,
        "Measured {} at commit `{}` (parser version {}) with:",
        started.format("%Y-%m-%d %H:%M UTC"),
        commit(),
        parley::parse::PARSER_VERSION
    );
    let _ = writeln!(
        md,
        "\n    {}cargo bench --bench archive\n",
        settings.concat()
    );
    let _ = writeln!(
        md,
        "Machine: {}. Load average before the run: {load_before}; after: {}.",
        machine(),
        load_average()
    );
    let _ = writeln!(
        md,
        "Process figures are medians of {} runs of the release binary; query latencies are medians of {} runs.\n",
        cfg.runs, cfg.query_runs
    );

    let _ = writeln!(
        md,
        "| figure | {} | target |",
        sizes
            .iter()
            .map(|s| format!("{} articles", thousands(s.count)))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(md, "|---|{}---|", "---:|".repeat(sizes.len()));
    let row = |md: &mut String, name: &str, f: &dyn Fn(&SizeFigures) -> String, target: &str| {
        let _ = writeln!(
            md,
            "| {name} | {} | {target} |",
            sizes.iter().map(f).collect::<Vec<_>>().join(" | ")
        );
    };
    let import_rate = |s: &SizeFigures| s.count as f64 / median_run(&s.import).wall.as_secs_f64();
    let import_mb = |s: &SizeFigures| mb(s.bytes) / median_run(&s.import).wall.as_secs_f64();
    let reparse_rate = |s: &SizeFigures| s.count as f64 / median_run(&s.reparse).wall.as_secs_f64();
    let peak = |s: &SizeFigures| {
        s.import.iter().map(|r| r.peak_rss_kib).max().unwrap_or(0) as f64 / 1024.0
    };
    row(
        &mut md,
        "article text",
        &|s| format!("{:.1} MB", mb(s.bytes)),
        "",
    );
    row(
        &mut md,
        "import, articles/s",
        &|s| format!("{:.0}", import_rate(s)),
        "≥ 5,000",
    );
    let floor_rate = |s: &SizeFigures| s.count as f64 / median_duration(&s.floor).as_secs_f64();
    row(
        &mut md,
        "SQLite + FTS5 floor, articles/s (same texts, one transaction, one core)",
        &|s| format!("{:.0}", floor_rate(s)),
        "",
    );
    row(
        &mut md,
        "import time / floor time",
        &|s| format!("{:.2}x", floor_rate(s) / import_rate(s)),
        "≤ 1.5x",
    );
    row(
        &mut md,
        "import, MB/s of text",
        &|s| format!("{:.1}", import_mb(s)),
        "≥ 20",
    );
    row(
        &mut md,
        "import, CPU use (user+sys / wall)",
        &|s| {
            let r = median_run(&s.import);
            format!("{:.2}", r.cpu.as_secs_f64() / r.wall.as_secs_f64())
        },
        "",
    );
    row(
        &mut md,
        "import, CPU time per article (user+sys)",
        &|s| {
            format!(
                "{:.2} ms",
                median_run(&s.import).cpu.as_secs_f64() * 1e3 / s.count as f64
            )
        },
        "",
    );
    row(
        &mut md,
        "import, ceiling on idle cores (cores / CPU time per article)",
        &|s| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
            let cpu = median_run(&s.import).cpu.as_secs_f64() / s.count as f64;
            format!("{:.0}/s", cores / cpu)
        },
        "",
    );
    row(
        &mut md,
        "import, peak RSS (largest of the runs)",
        &|s| format!("{:.1} MiB", peak(s)),
        "< 150 MiB",
    );
    row(
        &mut md,
        "archive bytes per article",
        &|s| format!("{:.0}", s.db_bytes as f64 / s.count as f64),
        "",
    );
    row(
        &mut md,
        "reparse, articles/s",
        &|s| format!("{:.0}", reparse_rate(s)),
        "≥ 3,000",
    );
    row(
        &mut md,
        "reparse, CPU time per article (user+sys)",
        &|s| {
            format!(
                "{:.2} ms",
                median_run(&s.reparse).cpu.as_secs_f64() * 1e3 / s.count as f64
            )
        },
        "",
    );
    let _ = writeln!(md);

    let small = sizes.iter().min_by_key(|s| s.count).unwrap();
    let big = sizes.iter().max_by_key(|s| s.count).unwrap();
    let ratio = import_rate(big) / import_rate(small);
    let _ = writeln!(md, "| target | measured | verdict |");
    let _ = writeln!(md, "|---|---:|---|");
    let _ = writeln!(
        md,
        "| import ≥ 5,000 articles/s at {} | {:.0} | {} |",
        thousands(big.count),
        import_rate(big),
        verdict(import_rate(big) >= 5000.0)
    );
    let _ = writeln!(
        md,
        "| import ≥ 20 MB/s at {} | {:.1} | {} |",
        thousands(big.count),
        import_mb(big),
        verdict(import_mb(big) >= 20.0)
    );
    let _ = writeln!(
        md,
        "| parse alone ≥ 20 MB/s per core (MB per CPU second) | {:.1} | {} |",
        parse.cpu,
        verdict(parse.cpu >= 20.0)
    );
    if sizes.len() > 1 {
        let _ = writeln!(
            md,
            "| import rate at {} within 20% of {}, wall clock (moves with the load) | {:.0}% | {} |",
            thousands(big.count),
            thousands(small.count),
            ratio * 100.0,
            verdict(ratio >= 0.8)
        );
        // CPU time per article does not move with other processes' load: the fair comparison.
        let cpu_per_article =
            |s: &SizeFigures| median_run(&s.import).cpu.as_secs_f64() / s.count as f64;
        let cpu_ratio = cpu_per_article(small) / cpu_per_article(big);
        let _ = writeln!(
            md,
            "| import rate at {} within 20% of {}, by CPU time per article | {:.0}% | {} |",
            thousands(big.count),
            thousands(small.count),
            cpu_ratio * 100.0,
            verdict(cpu_ratio >= 0.8)
        );
    }
    let worst_peak = sizes.iter().map(peak).fold(0.0, f64::max);
    let _ = writeln!(
        md,
        "| import peak RSS < 150 MiB | {worst_peak:.1} MiB | {} |",
        verdict(worst_peak < 150.0)
    );
    let slowest = reports
        .iter()
        .map(|r| r.expected.max(r.imported))
        .max()
        .unwrap_or_default();
    let _ = writeln!(
        md,
        "| every shipped report < 50 ms at {} | slowest {:.1} ms | {} |",
        thousands(largest),
        ms(slowest),
        verdict(ms(slowest) < 50.0)
    );
    let _ = writeln!(
        md,
        "| reparse ≥ 3,000 articles/s at {} | {:.0} | {} |",
        thousands(big.count),
        reparse_rate(big),
        verdict(reparse_rate(big) >= 3000.0)
    );
    let _ = writeln!(
        md,
        "| import within 1.5x of the SQLite + FTS5 floor at {} | {:.2}x | {} |",
        thousands(big.count),
        floor_rate(big) / import_rate(big),
        verdict(floor_rate(big) / import_rate(big) <= 1.5)
    );
    match real {
        Some(r) => {
            let import = r.count as f64 / median_run(&r.import).wall.as_secs_f64();
            let floor = r.count as f64 / median_duration(&r.floor).as_secs_f64();
            let _ = writeln!(
                md,
                "| Reuters-21578 dump ({} stories, {:.1} MB) within 1.5x of its floor: import {import:.0}/s, floor {floor:.0}/s | {:.2}x | {} |",
                thousands(r.count),
                mb(r.bytes),
                floor / import,
                verdict(floor / import <= 1.5)
            );
        }
        None => {
            let _ = writeln!(
                md,
                "| Reuters-21578 dump within 1.5x of its floor | not run (dump not on this machine) | |"
            );
        }
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Parse alone, one thread, {} generated articles: {:.1} MB per CPU second, {:.1} MB/s of wall time. \
         Storage alone (the expected records of {} articles written through `store_batch`, no parsing, one \
         run): {store_rate:.0} articles/s.\n",
        thousands(PARSE_SAMPLE),
        parse.cpu,
        parse.wall,
        thousands(largest)
    );

    let _ = writeln!(
        md,
        "Latency at {} articles: *expected* is the archive holding the generated articles' expected records \
         (what a perfect parser extracts), *imported* the archive `parley import` built with today's parser.\n",
        thousands(largest)
    );
    for (what, figures) in [("view (every row and column)", views), ("report", reports)] {
        let _ = writeln!(
            md,
            "| {what} | rows (expected) | expected, ms | imported, ms |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|");
        for f in figures {
            let _ = writeln!(
                md,
                "| {} | {} | {:.1} | {:.1} |",
                f.name,
                f.rows,
                ms(f.expected),
                ms(f.imported)
            );
        }
        let _ = writeln!(md);
    }
    md.trim_end().to_string()
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Replaces what lies between the markers in `path` (or appends the markers and the figures).
fn write_figures(path: &Path, figures: &str) {
    let current = fs::read_to_string(path).unwrap_or_default();
    let block = format!("{BEGIN}\n{figures}\n{END}");
    let updated = match (current.find(BEGIN), current.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!(
                "{}{block}{}",
                &current[..begin],
                &current[end + END.len()..]
            )
        }
        _ => format!("{}\n\n{block}\n", current.trim_end()),
    };
    fs::write(path, updated).expect("cannot write the figures");
}

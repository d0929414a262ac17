//! The batch runner between input, parser and store: it prepares the next batch (parses it) on every
//! core while the single writer stores the batch before it, so that parsing and writing overlap
//! instead of taking turns. `parley import`, `parley reparse` and the benchmark run through it.
//!
//! The runner does not know the database: it hands each prepared batch to a [`Sink`] (atuin's
//! importer/loader split). [`Archive`] is the sink of the commands; a `Vec<ImportedArticle>` is a
//! sink too, so that reading and parsing can be tested without a file. What happens along the way
//! (the phase, each article parsed, each failure) is told to an [`Observer`]: the command's progress
//! bar and messages, or nothing.
//!
//! Batches are bounded by count and by bytes ([`BATCH_ARTICLES`], [`BATCH_BYTES`]): at most two are
//! held at once (the one being stored and the one being parsed), so an import's memory follows the
//! batch size and the largest single article, not the size of the input.

use std::io;

use rayon::prelude::*;
use thiserror::Error;

use crate::input::resolve::{Incoming, Ready};
use crate::model::{ArticleMeta, Parsed};
use crate::store::{self, Archive, ImportedArticle, StoreError, StoreOutcome, StoredArticle};

/// Most articles in one batch (one write transaction).
pub const BATCH_ARTICLES: usize = 1024;

/// A batch is closed once its inputs reach this many bytes (it may exceed it by one article): 20
/// files of 50 MB are parsed and stored one at a time, not all at once.
pub const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// A batch of small articles is not closed at [`BATCH_ARTICLES`] before its inputs reach this many
/// bytes (up to [`BATCH_MOST_ARTICLES`]): every commit rewrites and syncs each page the batch touched,
/// and a batch of tiny articles touches about as many pages (of the content-hash index, spread at
/// random) as a batch of large ones. A dump of a million tiny lines took 105 s with a commit every
/// 1,024 lines.
pub const BATCH_SMALL_BYTES: usize = 256 * 1024;

/// Most articles in a batch of small articles (see [`BATCH_SMALL_BYTES`]).
pub const BATCH_MOST_ARTICLES: usize = 16 * BATCH_ARTICLES;

/// How large an import's batches may grow: a batch closes at `articles` once its inputs hold
/// `small_bytes`, at `most_articles` in any case, and at `bytes`, whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub articles: usize,
    pub bytes: usize,
    pub small_bytes: usize,
    pub most_articles: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            articles: BATCH_ARTICLES,
            bytes: BATCH_BYTES,
            small_bytes: BATCH_SMALL_BYTES,
            most_articles: BATCH_MOST_ARTICLES,
        }
    }
}

impl Limits {
    /// Whether a batch of `articles` inputs holding `bytes` is full.
    fn full(&self, articles: usize, bytes: usize) -> bool {
        bytes >= self.bytes
            || articles >= self.most_articles
            || (articles >= self.articles && bytes >= self.small_bytes)
    }
}

/// Most articles in one batch of `reparse` (texts read back from the archive).
pub const REPARSE_ARTICLES: usize = 512;

/// Where prepared batches go, on the writer's thread: the archive in the commands, a `Vec` in tests.
pub trait Sink<T> {
    /// What storing a batch tells: one outcome per article for an import, nothing for a reparse.
    type Stored;

    /// Stores one batch. Called on the runner's thread while the next batch is prepared on the others;
    /// `observer` may be told of the phases of storing.
    fn store(&mut self, batch: &[T], observer: &dyn Observer) -> store::Result<Self::Stored>;

    /// Whether an article of each of a batch's content hashes is stored already (its parse is
    /// skipped), in order. Asked for a whole batch at once: asked one article at a time, a database
    /// takes and drops its read lock (and looks for a journal) once an article, which was most of the
    /// time of a dump of tiny lines.
    fn holds_each(&mut self, content_hashes: &[String]) -> store::Result<Vec<bool>> {
        Ok(vec![false; content_hashes.len()])
    }
}

impl Sink<ImportedArticle> for Archive {
    type Stored = Vec<store::Result<StoreOutcome>>;

    /// An empty batch (nothing new) does not take the write lock.
    fn store(
        &mut self,
        batch: &[ImportedArticle],
        observer: &dyn Observer,
    ) -> store::Result<Self::Stored> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.store_batch_telling(batch, &|| observer.phase(Phase::Indexing))
    }

    fn holds_each(&mut self, content_hashes: &[String]) -> store::Result<Vec<bool>> {
        self.contains_each(content_hashes)
    }
}

impl Sink<(i64, Parsed)> for Archive {
    type Stored = ();

    fn store(&mut self, batch: &[(i64, Parsed)], _: &dyn Observer) -> store::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        // `reparse` (the only user) ends with a recount of everyone.
        self.replace_derived_before_recount(batch)
    }
}

/// A sink that keeps what it is given, as an archive would: the same text twice is stored once.
/// Ids are positions in the vector, from 1.
impl Sink<ImportedArticle> for Vec<ImportedArticle> {
    type Stored = Vec<store::Result<StoreOutcome>>;

    fn store(
        &mut self,
        batch: &[ImportedArticle],
        _: &dyn Observer,
    ) -> store::Result<Self::Stored> {
        let mut outcomes = Vec::with_capacity(batch.len());
        for article in batch {
            let hash = article.content_hash();
            match self.iter().position(|a| a.content_hash() == hash) {
                Some(at) => outcomes.push(Ok(StoreOutcome::Unchanged(at as i64 + 1))),
                None => {
                    self.push(article.clone());
                    outcomes.push(Ok(StoreOutcome::Inserted(self.len() as i64)));
                }
            }
        }
        Ok(outcomes)
    }

    fn holds_each(&mut self, content_hashes: &[String]) -> store::Result<Vec<bool>> {
        Ok(content_hashes
            .iter()
            .map(|hash| self.iter().any(|a| a.content_hash() == *hash))
            .collect())
    }
}

/// What the pipeline is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the next batch's inputs (files, lines, stored texts).
    Reading,
    /// Parsing a batch (and nothing left to store meanwhile).
    Parsing,
    /// The writer stores a batch (while the next one is parsed).
    Storing,
    /// The writer derives what covers the whole batch (the full-text index, people's counts), or
    /// after a reparse, the whole archive.
    Indexing,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Parsing => "parsing",
            Phase::Storing => "storing",
            Phase::Indexing => "indexing",
        }
    }
}

/// Told what happens during a run; every method does nothing by default. Called from the parser's
/// threads as well, hence `Sync`.
pub trait Observer: Sync {
    /// The pipeline moved on to `phase`.
    fn phase(&self, _phase: Phase) {}
    /// One more input is dealt with: parsed, found stored already, or failed.
    fn advanced(&self) {}
    /// An input could not be read, extracted or stored; the run goes on without it.
    fn failed(&self, _label: &str, _reason: &str) {}
    /// A stored text came again with new metadata (a given date, a source, a URL), which replaced
    /// the stored metadata: `label` is the input, `id` the article.
    fn updated(&self, _label: &str, _id: i64) {}
    /// An article was stored (or found stored already) after being parsed: for `import --show`.
    fn stored(&self, _article: &ImportedArticle) -> io::Result<()> {
        Ok(())
    }
}

/// Observes nothing.
impl Observer for () {}

/// Runs every batch `next` gives through `prepare` on every core, while `sink` stores the batch
/// prepared before it; `done` is given each stored batch with what the sink said. `next` may use the
/// sink (to read from it or to ask what it holds) and returns `None` after the last batch.
///
/// A batch for which `large` says so is prepared alone: the batch before it is stored first, so that
/// a huge article is never held beside another batch (memory then peaks at what parsing that one
/// article takes, not twice that).
pub fn run<S, T, U, E>(
    sink: &mut S,
    mut next: impl FnMut(&mut S) -> Result<Option<Vec<T>>, E>,
    large: impl Fn(&[T]) -> bool,
    prepare: impl Fn(T) -> U + Sync,
    observer: &dyn Observer,
    mut done: impl FnMut(Vec<U>, S::Stored) -> Result<(), E>,
) -> Result<(), E>
where
    S: Sink<U>,
    T: Send,
    U: Send,
    E: From<StoreError>,
{
    let mut pending: Vec<U> = Vec::new();
    loop {
        observer.phase(Phase::Reading);
        let batch = next(sink)?;
        let last = batch.is_none();
        let batch = batch.unwrap_or_default();
        if !pending.is_empty() && large(&batch) {
            observer.phase(Phase::Storing);
            let stored = sink.store(&pending, observer)?;
            done(std::mem::take(&mut pending), stored)?;
        }
        // The parser runs on its own thread (and from there on rayon's pool) so that the sink, which
        // holds a database connection, stays on this one.
        let (stored, prepared) = std::thread::scope(|scope| {
            let prepare = &prepare;
            let parsing =
                scope.spawn(move || batch.into_par_iter().map(prepare).collect::<Vec<U>>());
            let stored = if pending.is_empty() {
                None
            } else {
                observer.phase(Phase::Storing);
                Some(sink.store(&pending, observer))
            };
            if !parsing.is_finished() {
                observer.phase(Phase::Parsing);
            }
            let prepared = parsing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (stored, prepared)
        });
        let stored_batch = std::mem::replace(&mut pending, prepared);
        if let Some(stored) = stored {
            done(stored_batch, stored?)?;
        }
        if last {
            return Ok(());
        }
    }
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read {name}: {reason}")]
    Read { name: String, reason: String },
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
}

/// One input as read: its label for messages (a path, `<stdin>`, `dump.jsonl:12`), and the
/// article or why it could not be read.
pub struct Input {
    pub label: String,
    pub article: Result<Incoming, String>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub unchanged: u64,
    pub failed: u64,
}

/// Imports every input: reads them in batches bounded by count and bytes, extracts pages, skips what
/// `sink` holds already, parses the rest while the batch before is stored. An input that cannot be
/// read, extracted or stored is told to the observer, counted as failed and skipped; only an error of
/// the sink itself (or of reading a dump) stops the import.
pub fn import<S>(
    sink: &mut S,
    inputs: impl Iterator<Item = Result<Input, ImportError>>,
    flags: &ArticleMeta,
    observer: &dyn Observer,
) -> Result<ImportCounts, ImportError>
where
    S: Sink<ImportedArticle, Stored = Vec<store::Result<StoreOutcome>>>,
{
    import_with(sink, inputs, flags, observer, Limits::default())
}

/// [`import`] with batches of other bounds.
pub fn import_with<S>(
    sink: &mut S,
    inputs: impl Iterator<Item = Result<Input, ImportError>>,
    flags: &ArticleMeta,
    observer: &dyn Observer,
    limits: Limits,
) -> Result<ImportCounts, ImportError>
where
    S: Sink<ImportedArticle, Stored = Vec<store::Result<StoreOutcome>>>,
{
    let mut counts = ImportCounts::default();
    let mut inputs = inputs.peekable();
    // Failures seen while reading, counted here so that `next` and `done` need not share `counts`.
    let failed = std::cell::Cell::new(0u64);
    let unchanged = std::cell::Cell::new(0u64);
    let fail = |label: &str, reason: &str| {
        failed.set(failed.get() + 1);
        observer.failed(label, reason);
        observer.advanced();
    };
    // A text that comes twice in one batch waits for the next batch: the store indexes and counts a
    // batch's new articles when the batch ends, so the second copy (whose new metadata replaces the
    // first's rows) would take out of the indexes and counts what was never put in. (Reuters-21578
    // has such pairs: two of its stories failed with "database disk image is malformed" and a broken
    // CHECK constraint.)
    let carried: std::cell::RefCell<Vec<(String, Ready)>> = std::cell::RefCell::new(Vec::new());
    run(
        sink,
        |sink: &mut S| {
            if inputs.peek().is_none() && carried.borrow().is_empty() {
                return Ok(None);
            }
            let mut read = Vec::new();
            let mut bytes = 0;
            while !limits.full(read.len(), bytes) {
                let Some(input) = inputs.next() else { break };
                let input = input?;
                match input.article {
                    Ok(incoming) => {
                        bytes += incoming.size();
                        read.push((input.label, incoming));
                    }
                    Err(reason) => fail(&input.label, &reason),
                }
            }
            // Extraction and the content hash on every core; what the sink holds asked once a batch.
            let resolved: Vec<_> = read
                .into_par_iter()
                .map(|(label, incoming)| {
                    let ready = incoming.resolve(flags).map(|ready| {
                        let hash = ready.content_hash();
                        (ready, hash)
                    });
                    (label, ready)
                })
                .collect();
            // Articles given with metadata are parsed whatever the archive holds (their metadata
            // may be new: the store then updates the stored article).
            let hashes: Vec<String> = resolved
                .iter()
                .filter_map(|(_, ready)| match ready {
                    Ok((ready, hash)) if !ready.carries_metadata() => Some(hash.clone()),
                    _ => None,
                })
                .collect();
            let mut held = sink.holds_each(&hashes)?.into_iter();
            let mut fresh: Vec<Ready> = Vec::with_capacity(resolved.len());
            let mut in_batch = std::collections::HashSet::new();
            for (hash, ready) in std::mem::take(&mut *carried.borrow_mut()) {
                in_batch.insert(hash);
                fresh.push(ready);
            }
            for (label, ready) in resolved {
                match ready {
                    // Skip the parser for articles the archive already holds.
                    Ok((ready, hash)) => {
                        if !ready.carries_metadata() && held.next().unwrap_or(false) {
                            unchanged.set(unchanged.get() + 1);
                            observer.advanced();
                        } else if in_batch.contains(&hash) {
                            carried.borrow_mut().push((hash, ready));
                        } else {
                            in_batch.insert(hash);
                            fresh.push(ready);
                        }
                    }
                    Err(err) => fail(&label, &err.to_string()),
                }
            }
            Ok(Some(fresh))
        },
        |batch: &[Ready]| batch.iter().map(Ready::size).sum::<usize>() >= limits.bytes,
        |ready: Ready| {
            let article = ready.parse();
            observer.advanced();
            article
        },
        observer,
        |batch, outcomes| {
            for (article, outcome) in batch.iter().zip(outcomes) {
                match outcome {
                    Ok(StoreOutcome::Inserted(_)) => counts.inserted += 1,
                    Ok(StoreOutcome::Unchanged(_)) => counts.unchanged += 1,
                    Ok(StoreOutcome::Updated(id)) => {
                        // The text is unchanged; its metadata is new, and said so.
                        counts.unchanged += 1;
                        observer.updated(article.path.as_deref().unwrap_or("<stdin>"), id);
                    }
                    Err(err) => {
                        counts.failed += 1;
                        observer.failed(
                            article.path.as_deref().unwrap_or("<stdin>"),
                            &err.to_string(),
                        );
                    }
                }
                observer.stored(article)?;
            }
            Ok::<(), ImportError>(())
        },
    )?;
    counts.failed += failed.get();
    counts.unchanged += unchanged.get();
    Ok(counts)
}

/// What a reparse did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReparseCounts {
    pub articles: u64,
    pub people_removed: u64,
}

/// Re-derives every extracted row of the archive (or, with `only_stale`, of the articles parsed by
/// an older parser) from the stored text, then removes people no longer mentioned and recounts.
pub fn reparse(
    archive: &mut Archive,
    only_stale: bool,
    observer: &dyn Observer,
) -> store::Result<ReparseCounts> {
    let mut after = 0;
    let mut counts = ReparseCounts::default();
    run(
        archive,
        |archive: &mut Archive| {
            let stored =
                archive.articles_to_reparse(after, REPARSE_ARTICLES, BATCH_BYTES, only_stale)?;
            Ok(match stored.last() {
                Some(last) => {
                    after = last.id;
                    Some(stored)
                }
                None => None,
            })
        },
        |batch: &[StoredArticle]| batch.iter().map(|a| a.text.len()).sum::<usize>() >= BATCH_BYTES,
        |article| {
            let parsed = crate::parse::parse(&article.text, &article.meta);
            observer.advanced();
            (article.id, parsed)
        },
        observer,
        |batch, ()| {
            counts.articles += batch.len() as u64;
            Ok::<_, StoreError>(())
        },
    )?;
    observer.phase(Phase::Indexing);
    counts.people_removed = archive.remove_orphan_participants()?;
    archive.recount_people()?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    fn text(label: &str, body: &str) -> Result<Input, ImportError> {
        Ok(Input {
            label: label.to_string(),
            article: Ok(Incoming::text(body.to_string(), Some(label.to_string()))),
        })
    }

    #[derive(Default)]
    struct Seen {
        advanced: AtomicU64,
        failed: Mutex<Vec<String>>,
        phases: Mutex<Vec<Phase>>,
    }

    impl Observer for Seen {
        fn phase(&self, phase: Phase) {
            self.phases.lock().unwrap().push(phase);
        }
        fn advanced(&self) {
            self.advanced.fetch_add(1, Ordering::Relaxed);
        }
        fn failed(&self, label: &str, reason: &str) {
            self.failed
                .lock()
                .unwrap()
                .push(format!("{label}: {reason}"));
        }
    }

    #[test]
    fn an_import_into_a_vec_parses_each_text_once_and_counts_what_failed() -> Result<(), ImportError>
    {
        let inputs = vec![
            text("a.txt", "Ministers met in Geneva on Monday."),
            Ok(Input {
                label: "b.txt".into(),
                article: Err("not text: it looks like a binary file".into()),
            }),
            text("c.txt", "The envoy spoke by phone with his counterpart."),
            text("d.txt", "Ministers met in Geneva on Monday."),
        ];
        let mut sink: Vec<ImportedArticle> = Vec::new();
        let seen = Seen::default();
        let counts = import(
            &mut sink,
            inputs.into_iter(),
            &ArticleMeta::default(),
            &seen,
        )?;
        assert_eq!(
            counts,
            ImportCounts {
                inserted: 2,
                unchanged: 1,
                failed: 1
            }
        );
        assert_eq!(sink.len(), 2);
        assert_eq!(sink[0].path.as_deref(), Some("a.txt"));
        assert_eq!(seen.advanced.load(Ordering::Relaxed), 4);
        assert_eq!(
            *seen.failed.lock().unwrap(),
            vec!["b.txt: not text: it looks like a binary file".to_string()]
        );
        Ok(())
    }

    /// Records the size of each batch it is given.
    #[derive(Default)]
    struct Batches(Vec<usize>, Vec<ImportedArticle>);

    impl Sink<ImportedArticle> for Batches {
        type Stored = Vec<store::Result<StoreOutcome>>;
        fn store(
            &mut self,
            batch: &[ImportedArticle],
            observer: &dyn Observer,
        ) -> store::Result<Self::Stored> {
            self.0.push(batch.len());
            self.1.store(batch, observer)
        }
    }

    #[test]
    fn a_batch_of_tiny_articles_grows_past_the_count_until_it_holds_enough_bytes()
    -> Result<(), ImportError> {
        let tiny = (0..40).map(|i| text(&format!("{i}.txt"), &format!("Tiny {i:02}.")));
        let mut sink = Batches::default();
        let limits = Limits {
            articles: 4,
            bytes: 1000,
            small_bytes: 60,
            most_articles: 16,
        };
        let counts = import_with(&mut sink, tiny, &ArticleMeta::default(), &(), limits)?;
        assert_eq!(counts.inserted, 40);
        // Each input is 8 bytes: 4 of them are 32 bytes, so a batch goes on to 8 (64 bytes).
        assert_eq!(sink.0, vec![8, 8, 8, 8, 8]);
        Ok(())
    }

    #[test]
    fn a_text_that_comes_twice_in_one_batch_is_stored_in_the_next() -> Result<(), ImportError> {
        let inputs = vec![
            text("a.txt", "Ministers met in Geneva on Monday."),
            text("b.txt", "The envoy spoke by phone."),
            text("c.txt", "Ministers met in Geneva on Monday."),
        ];
        let mut sink = Batches::default();
        let counts = import(&mut sink, inputs.into_iter(), &ArticleMeta::default(), &())?;
        assert_eq!(sink.0, vec![2, 1]);
        assert_eq!((counts.inserted, counts.unchanged), (2, 1));
        Ok(())
    }

    #[test]
    fn batches_are_cut_by_bytes_as_well_as_by_count() -> Result<(), ImportError> {
        let small = (0..5).map(|i| text(&format!("{i}.txt"), &format!("Short article {i}.")));
        let large =
            (0..3).map(|i| text(&format!("l{i}.txt"), &format!("{} {i}", "Word".repeat(150))));
        let mut sink = Batches::default();
        let limits = Limits {
            articles: 2,
            bytes: 500,
            small_bytes: 0,
            most_articles: 2,
        };
        let counts = import_with(
            &mut sink,
            small.chain(large),
            &ArticleMeta::default(),
            &(),
            limits,
        )?;
        assert_eq!(counts.inserted, 8);
        assert_eq!(sink.0, vec![2, 2, 2, 1, 1]);
        Ok(())
    }

    /// Logs what it stores into a shared log.
    struct Logged<'a>(&'a Mutex<Vec<String>>);

    impl Sink<i32> for Logged<'_> {
        type Stored = ();
        fn store(&mut self, batch: &[i32], _: &dyn Observer) -> store::Result<()> {
            self.0.lock().unwrap().push(format!("store {batch:?}"));
            Ok(())
        }
    }

    #[test]
    fn a_large_batch_is_parsed_only_after_the_batch_before_is_stored() -> Result<(), StoreError> {
        let log = Mutex::new(Vec::new());
        let mut batches = vec![vec![1], vec![2, 3, 4], vec![5]].into_iter();
        run(
            &mut Logged(&log),
            |_: &mut Logged| Ok::<_, StoreError>(batches.next()),
            |batch: &[i32]| batch.len() == 3,
            |n: i32| {
                if n == 2 {
                    log.lock().unwrap().push("parse the large batch".into());
                }
                n
            },
            &(),
            |_, ()| Ok(()),
        )?;
        let log = log.into_inner().unwrap();
        let stored_first = log.iter().position(|e| e == "store [1]").unwrap();
        let parsed = log
            .iter()
            .position(|e| e == "parse the large batch")
            .unwrap();
        assert!(stored_first < parsed, "{log:?}");
        assert_eq!(log.iter().filter(|e| e.starts_with("store")).count(), 3);
        Ok(())
    }

    #[test]
    fn the_runner_stores_every_batch_in_order_and_the_last_one_too() -> Result<(), StoreError> {
        let mut batches = vec![vec![1, 2], vec![3], vec![4, 5, 6]].into_iter();
        let mut sink: Vec<ImportedArticle> = Vec::new();
        let mut stored = Vec::new();
        let seen = Seen::default();
        run(
            &mut sink,
            |_: &mut Vec<ImportedArticle>| Ok::<_, StoreError>(batches.next()),
            |batch: &[i32]| batch.len() == 3,
            |n: i32| ImportedArticle {
                parsed: crate::parse::parse(&format!("Article {n}."), &ArticleMeta::default()),
                raw: None,
                raw_format: "text",
                path: Some(n.to_string()),
            },
            &seen,
            |batch, outcomes| {
                assert_eq!(batch.len(), outcomes.len());
                stored.extend(batch.into_iter().filter_map(|a| a.path));
                Ok(())
            },
        )?;
        assert_eq!(stored, ["1", "2", "3", "4", "5", "6"]);
        assert_eq!(sink.len(), 6);
        assert!(seen.phases.lock().unwrap().contains(&Phase::Storing));
        Ok(())
    }
}

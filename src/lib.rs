//! parley: news articles about diplomacy in, a queryable SQLite archive out.
//!
//! The tree is the pipeline (see ARCHITECTURE.md):
//! - [`input`] reads files, folders, stdin, web pages and JSON Lines dumps and resolves each into the
//!   text the parser reads plus its metadata; it never touches the database;
//! - [`parse`] turns text into [`model::Parsed`] records: pure, never fails, every fact with a span;
//!   [`lexicon`] holds the word lists it reads;
//! - [`pipeline`] runs the batches: parses the next one on every core while the single writer
//!   stores the one before, into a sink (the archive, or a `Vec` in tests);
//! - [`store`] writes the records (the only module that writes SQL) and keeps people's identity;
//! - [`read`] runs queries, saved reports, search, stats and exports over the views, returning
//!   [`output::Table`]s that [`output`] formats.

pub mod input;
pub mod lexicon;
pub mod model;
pub mod names;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod read;
pub mod store;

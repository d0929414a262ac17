//! parley: news articles about diplomacy in, a queryable SQLite archive out.
//!
//! The pipeline (see ARCHITECTURE.md): [`import`] reads and decodes articles, [`parse`] turns text
//! into [`model::Parsed`] records (pure), [`store`] writes them (the only module that writes SQL), and
//! [`query`] / [`report`] read the views back as [`output::Table`]s that [`output`] formats.

pub mod datasette;
pub mod export;
pub mod html;
pub mod identity;
pub mod import;
pub mod ingest;
pub mod jsonl;
pub mod lexicon;
pub mod model;
pub mod output;
pub mod parse;
pub mod query;
pub mod report;
pub mod search;
pub mod stats;
pub mod store;

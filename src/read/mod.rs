//! The read side: everything that reads an archive back without changing it, on the read-only
//! connection. [`query`] runs user SQL, [`report`] saved `.sql` reports with named parameters,
//! [`search`] the full-text indexes, [`stats`] a summary, [`export`] parse records and flat tables,
//! [`datasette`] a metadata file for Datasette, and [`graph`] the meeting network as GraphML or
//! DOT. Each returns tables for `output` to format (the graph writes its own two formats).

pub mod datasette;
pub mod export;
pub mod graph;
pub mod query;
pub mod report;
pub mod search;
pub mod stats;

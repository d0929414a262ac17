//! The input stage: from paths, stdin, web pages and JSON Lines dumps to the texts and metadata the
//! parser reads. [`files`] expands paths and reads bytes, [`html`] and [`jsonl`] decode the two
//! structured formats, and [`resolve`] turns what was read into an article for the parser. Nothing
//! here touches the database.

pub mod files;
pub mod html;
pub mod jsonl;
pub mod resolve;

//! The working document the passes share: the text, its blocks, tokens and sentences, and which
//! tokens stand inside quotation marks. Built once per article, read by every later pass.

use std::borrow::Cow;
use std::cell::Cell;

use super::text::{Block, BlockKind};
use super::tokens::{self, Token};
use crate::lexicon::{self, WordClass};

/// A sentence: a token range within one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub start: usize,
    pub end: usize,
    pub block: usize,
}

/// The tokenized article.
pub struct Doc<'a> {
    pub text: &'a str,
    pub blocks: Vec<Block>,
    pub tokens: Vec<Token>,
    /// Token range of each block (empty for boilerplate).
    pub block_tokens: Vec<(usize, usize)>,
    pub sents: Vec<Sent>,
    /// Sentence index of each token.
    pub sent_of: Vec<usize>,
    /// True for tokens inside a quotation (set by the quotes pass).
    pub in_quote: Vec<bool>,
    /// `text` with ASCII letters lower-cased: same byte offsets, for cheap comparisons.
    lower_text: String,
    /// The word lists each token's text is in, looked up on first use (most tokens are never
    /// asked about) and kept for the later passes.
    classes: Vec<Cell<Option<WordClass>>>,
}

impl<'a> Doc<'a> {
    /// Tokenizes every block that is not boilerplate; `skip_to` drops the dateline's bytes.
    pub fn new(
        text: &'a str,
        blocks: Vec<Block>,
        skip_to: Option<usize>,
        skip_blocks: &[usize],
    ) -> Self {
        let mut toks = Vec::with_capacity(text.len() / 5);
        let mut block_tokens = Vec::with_capacity(blocks.len());
        let mut sents = Vec::new();
        for (bi, b) in blocks.iter().enumerate() {
            let from = toks.len();
            if b.kind != BlockKind::Boilerplate && !skip_blocks.contains(&bi) {
                let start = match skip_to {
                    Some(s) if s > b.start && s <= b.end => s,
                    _ => b.start,
                };
                tokens::tokenize(text, start, b.end, &mut toks);
            }
            let to = toks.len();
            block_tokens.push((from, to));
            for (s, e) in tokens::sentences(text, &toks, from, to) {
                sents.push(Sent {
                    start: s,
                    end: e,
                    block: bi,
                });
            }
        }
        let mut sent_of = vec![0; toks.len()];
        for (si, s) in sents.iter().enumerate() {
            for x in &mut sent_of[s.start..s.end] {
                *x = si;
            }
        }
        let n = toks.len();
        let classes = vec![Cell::new(None); n];
        Doc {
            lower_text: text.to_ascii_lowercase(),
            text,
            blocks,
            tokens: toks,
            block_tokens,
            sents,
            sent_of,
            in_quote: vec![false; n],
            classes,
        }
    }

    pub fn word(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.text[t.start..t.end])
    }

    /// The token's text with ASCII letters lower-cased (other letters kept), without allocating.
    pub fn lower(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.lower_text[t.start..t.end])
    }

    /// The text from token `a` to token `b - 1` inclusive.
    pub fn slice(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.tokens.len() {
            return "";
        }
        &self.text[self.tokens[a].start..self.tokens[b - 1].end]
    }

    /// The word lists token `i` is in (none past the end): `lexicon::word_class(doc.word(i))`.
    /// (Inlined up to the cache: the passes ask again and again about the same tokens.)
    #[inline]
    pub fn class(&self, i: usize) -> WordClass {
        let Some(known) = self.classes.get(i) else {
            return WordClass::default();
        };
        known.get().unwrap_or_else(|| self.look_up_class(i))
    }

    #[cold]
    #[inline(never)]
    fn look_up_class(&self, i: usize) -> WordClass {
        let class = lexicon::word_class(self.word(i));
        self.classes[i].set(Some(class));
        class
    }

    /// `text` with ASCII letters lower-cased: the same bytes at the same offsets otherwise.
    pub fn lower_text(&self) -> &str {
        &self.lower_text
    }

    /// [`Doc::slice`] of [`Doc::lower_text`].
    pub fn slice_ascii_lower(&self, a: usize, b: usize) -> &str {
        if a >= b || b > self.tokens.len() {
            return "";
        }
        &self.lower_text[self.tokens[a].start..self.tokens[b - 1].end]
    }

    /// The text from token `a` to token `b - 1` lower-cased, to be searched for ASCII lower-case
    /// words only ("counterpart", "by phone"). For that purpose the document's ASCII-lowered copy
    /// finds the same as `to_lowercase`, unless the text holds one of the two characters that
    /// lower-case to ASCII letters ('İ' and the Kelvin sign); then it is lower-cased afresh.
    pub fn slice_lower(&self, a: usize, b: usize) -> Cow<'_, str> {
        let original = self.slice(a, b);
        if !original.is_ascii() && (original.contains('\u{130}') || original.contains('\u{212A}')) {
            return Cow::Owned(original.to_lowercase());
        }
        if original.is_empty() {
            return Cow::Borrowed("");
        }
        Cow::Borrowed(&self.lower_text[self.tokens[a].start..self.tokens[b - 1].end])
    }

    #[inline]
    pub fn is_cap(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_cap(self.text))
    }

    pub fn block_kind(&self, sent: usize) -> BlockKind {
        self.blocks[self.sents[sent].block].kind
    }
}

//! Text pass: cuts the normalized article text into blocks (paragraphs, headings, captions) and marks
//! page furniture (navigation, share buttons, ad markers, bylines, credits, `@highlight` summaries) so
//! that later passes read only the story. Handles blank-line paragraphs, single-newline paragraphs,
//! Reuters-style indented paragraphs with hard-wrapped lines, and hard-wrapped web copy. Relies on
//! nothing but the text; every block is a byte span into it.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// What a block of text is, as far as the later passes are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of the story.
    Body,
    /// A short line without closing punctuation: a headline, a section heading or a navigation link.
    Heading,
    /// A photo caption ("X (L) and Y meet in Z on ...").
    Caption,
    /// Page furniture; ignored by every later pass.
    Boilerplate,
}

/// A paragraph-sized piece of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    pub kind: BlockKind,
}

enum Rule {
    Whole(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    include_str!("../../data/boilerplate.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && l.len() > 2)
        .filter_map(|l| {
            let (mark, rest) = l.split_at(2);
            let rest = rest.to_lowercase();
            match mark.trim() {
                "=" => Some(Rule::Whole(rest)),
                "^" => Some(Rule::Prefix(rest)),
                "$" => Some(Rule::Suffix(rest)),
                "~" => Some(Rule::Contains(rest)),
                _ => None,
            }
        })
        .collect()
});

/// True for a line of page furniture ("Back to top button", "[ad_1]", "(Editing by ...)").
pub fn is_boilerplate_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return true;
    }
    if !t.chars().any(|c| c.is_alphabetic()) {
        return true;
    }
    if t.is_ascii() {
        return is_boilerplate_ascii(t);
    }
    is_boilerplate_lower(t, &crate::lexicon::lower_case(t))
}

/// The rules over a trimmed line `t` and its lower-case form.
fn is_boilerplate_lower(t: &str, lower: &str) -> bool {
    RULES.iter().any(|r| match r {
        Rule::Whole(w) => lower == w,
        Rule::Prefix(p) => {
            lower.starts_with(p.as_str())
                && (p.as_str() != "by " || t.len() < 60 && !t.ends_with('.'))
        }
        Rule::Suffix(s) => lower.ends_with(s.as_str()),
        Rule::Contains(c) => lower.contains(c.as_str()),
    })
}

/// The rules again, for ASCII lines: the whole-line and prefix rules in tables by their first byte
/// and the suffix rules by their last, so a line is compared only with the rules that can match it
/// (every line of every article is asked about, most of them story lines that match none, and a
/// loop over every rule cost more than the rest of the text pass).
struct AsciiRules {
    whole: Vec<Vec<&'static [u8]>>,
    prefix: Vec<Vec<&'static [u8]>>,
    suffix: Vec<Vec<&'static [u8]>>,
    contains: Vec<&'static str>,
}

static ASCII_RULES: LazyLock<AsciiRules> = LazyLock::new(|| {
    let table = || vec![Vec::new(); 256];
    let mut r = AsciiRules {
        whole: table(),
        prefix: table(),
        suffix: table(),
        contains: Vec::new(),
    };
    // Rules are lower case and at least one byte long (see `RULES`).
    for rule in RULES.iter() {
        match rule {
            Rule::Whole(w) => r.whole[usize::from(w.as_bytes()[0])].push(w.as_bytes()),
            Rule::Prefix(p) => r.prefix[usize::from(p.as_bytes()[0])].push(p.as_bytes()),
            Rule::Suffix(x) => r.suffix[usize::from(x.as_bytes()[x.len() - 1])].push(x.as_bytes()),
            Rule::Contains(c) => r.contains.push(c.as_str()),
        }
    }
    r
});

/// [`is_boilerplate_line`] for a trimmed ASCII line, without lower-casing a copy of it but for the
/// "contains" rules: the rules are lower case, and an ASCII line lower-cased is its
/// ASCII-case-insensitive form.
fn is_boilerplate_ascii(line: &str) -> bool {
    let t = line.as_bytes();
    let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
        return false;
    };
    let rules = &*ASCII_RULES;
    let first = usize::from(first.to_ascii_lowercase());
    let last = usize::from(last.to_ascii_lowercase());
    rules.whole[first].iter().any(|w| t.eq_ignore_ascii_case(w))
        || rules.prefix[first].iter().any(|p| {
            t.len() >= p.len()
                && t[..p.len()].eq_ignore_ascii_case(p)
                && (*p != b"by " || t.len() < 60 && !t.ends_with(b"."))
        })
        || rules.suffix[last]
            .iter()
            .any(|s| t.len() >= s.len() && t[t.len() - s.len()..].eq_ignore_ascii_case(s))
        // A lower-case copy only for the "contains" rules (a SIMD substring search of it beats any
        // case-insensitive scan of the line).
        || !rules.contains.is_empty() && {
            let lower = line.to_ascii_lowercase();
            rules.contains.iter().any(|c| lower.contains(c))
        }
}

/// Lines of `text` as (start, end) byte ranges, without their newline.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    // `match_indices` on a one-byte pattern searches with memchr.
    for (i, _) in text.match_indices('\n') {
        out.push((start, i));
        start = i + 1;
    }
    out.push((start, text.len()));
    out
}

fn ends_sentence(line: &str) -> bool {
    matches!(
        line.trim_end().chars().next_back(),
        Some('.' | '!' | '?' | '"' | '”' | '’' | ':' | ')' | ']' | '\'')
    )
}

fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

/// Cuts `text` into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines = lines(text);
    let indented = lines
        .iter()
        .filter(|&&(s, e)| indent(&text[s..e]) >= 3 && !text[s..e].trim().is_empty())
        .count()
        >= 2;
    // Each line is asked about twice (as the line and then as the one before the next), so the
    // answers are kept.
    let mut boilerplate: Vec<Option<bool>> = vec![None; lines.len()];
    let mut caption: Vec<Option<bool>> = vec![None; lines.len()];
    let mut is_boilerplate = |i: usize| {
        *boilerplate[i].get_or_insert_with(|| is_boilerplate_line(&text[lines[i].0..lines[i].1]))
    };
    let mut is_caption_line =
        |i: usize| *caption[i].get_or_insert_with(|| is_caption(&text[lines[i].0..lines[i].1]));
    // Group lines into paragraphs: (first line, last line) index pairs.
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (i, &(s, e)) in lines.iter().enumerate() {
        let line = &text[s..e];
        if line.trim().is_empty() {
            if let Some(p) = current.take() {
                paras.push(p);
            }
            continue;
        }
        match current {
            None => current = Some((i, i)),
            Some((first, last)) => {
                let prev = &text[lines[last].0..lines[last].1];
                let join = if indented {
                    indent(line) < 3 && !is_boilerplate(i)
                } else {
                    let next_lower = line
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_lowercase());
                    (next_lower || (prev.trim().len() >= 50 && !ends_sentence(prev)))
                        && !is_boilerplate(i)
                        && !is_boilerplate(last)
                        && !is_caption_line(last)
                };
                if join {
                    current = Some((first, i));
                } else {
                    paras.push((first, last));
                    current = Some((i, i));
                }
            }
        }
    }
    if let Some(p) = current {
        paras.push(p);
    }

    let mut out = Vec::with_capacity(paras.len());
    let mut after_highlight = false;
    for (first, last) in paras {
        let (mut start, _) = lines[first];
        let (_, end) = lines[last];
        let raw = &text[start..end];
        start += raw.len() - raw.trim_start().len();
        let end = start + text[start..end].trim_end().len();
        if start >= end {
            continue;
        }
        let body = &text[start..end];
        let kind = if body.trim() == "@highlight" {
            after_highlight = true;
            BlockKind::Boilerplate
        } else if after_highlight {
            after_highlight = false;
            BlockKind::Boilerplate
        } else if is_boilerplate_line(body) {
            BlockKind::Boilerplate
        } else if is_caption(body) {
            BlockKind::Caption
        } else if first == last && !ends_sentence(body) && body.len() < 160 {
            BlockKind::Heading
        } else {
            BlockKind::Body
        };
        out.push(Block { start, end, kind });
    }
    out
}

/// Marks of a photo caption, found in one pass over a paragraph.
static CAPTION_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new([
        "(L)",
        "(R)",
        "(Photo",
        "(AP Photo",
        "[Reuters]",
        ", left,",
        ", right,",
        "(left)",
    ])
    .expect("caption automaton builds")
});

fn is_caption(body: &str) -> bool {
    CAPTION_MARKS.is_match(body)
        || (body.ends_with(" less") || body.ends_with("... more")) && body.len() > 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[(&str, BlockKind)]) {
        let got: Vec<(&str, BlockKind)> = blocks(input)
            .into_iter()
            .map(|b| (&input[b.start..b.end], b.kind))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn ascii_lines_are_judged_as_when_lower_cased() {
        for line in [
            "Back to top",
            "BACK TO TOP BUTTON",
            "Read more: the talks",
            "(Editing by Arvid Kessler)",
            "By Lena Moor",
            "By Lena Moor, who wrote at length about the talks in Oslo and much else.",
            "Copyright 2020 Reuters. ALL RIGHTS RESERVED",
            "Some text, all rights Reserved, more text",
            "all rights reserve",
            "Arvid Kessler met Lena Moor.",
            "Updated:",
            "Staff writer",
        ] {
            assert_eq!(
                is_boilerplate_ascii(line),
                is_boilerplate_lower(line, &line.to_lowercase()),
                "{line}"
            );
        }
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_furniture_is_marked() {
        check(
            "[ad_1]\n\nArvid Kessler met Lena Moor.\n\nBack to top button",
            &[
                ("[ad_1]", BlockKind::Boilerplate),
                ("Arvid Kessler met Lena Moor.", BlockKind::Body),
                ("Back to top button", BlockKind::Boilerplate),
            ],
        );
    }

    #[test]
    fn indented_wire_paragraphs_join_their_hard_wrapped_lines() {
        check(
            "TITLE LINE\n\n    OSLO, March 3 - Arvid Kessler met\nLena Moor today.\n    They talked.\n Reuter",
            &[
                ("TITLE LINE", BlockKind::Heading),
                (
                    "OSLO, March 3 - Arvid Kessler met\nLena Moor today.",
                    BlockKind::Body,
                ),
                ("They talked.", BlockKind::Body),
                ("Reuter", BlockKind::Boilerplate),
            ],
        );
    }

    #[test]
    fn single_newline_paragraphs_stay_apart_when_each_line_ends_a_sentence() {
        check(
            "Kessler spoke first.\nMoor answered him.",
            &[
                ("Kessler spoke first.", BlockKind::Body),
                ("Moor answered him.", BlockKind::Body),
            ],
        );
    }

    #[test]
    fn hard_wrapped_web_copy_is_joined() {
        check(
            "Looking tense and staring mostly at the \nfloor, he said nothing.",
            &[(
                "Looking tense and staring mostly at the \nfloor, he said nothing.",
                BlockKind::Body,
            )],
        );
    }

    #[test]
    fn highlights_are_dropped_with_their_summary() {
        check(
            "@highlight\n\nKessler says talks went well",
            &[
                ("@highlight", BlockKind::Boilerplate),
                ("Kessler says talks went well", BlockKind::Boilerplate),
            ],
        );
    }

    #[test]
    fn captions_are_recognised() {
        check(
            "Arvid Kessler (L) and Lena Moor meet in Oslo on May 2, 2020. (Photo by NTB)",
            &[(
                "Arvid Kessler (L) and Lena Moor meet in Oslo on May 2, 2020. (Photo by NTB)",
                BlockKind::Caption,
            )],
        );
    }
}

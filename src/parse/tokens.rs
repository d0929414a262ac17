//! Tokens and sentences: cuts each block into words, numbers, punctuation and quotation marks (with
//! byte spans into the article text), keeps abbreviations such as "U.S." and names such as
//! "Frank-Walter" or "Shi'ite" whole, splits the possessive "'s" off, and groups tokens into sentences
//! without breaking after "Mr." or an initial. Relies on the blocks of the text pass.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    /// The possessive "'s" / "’s" split off a word.
    Poss,
    /// A quotation mark (straight, curly, single, guillemet), not yet known to open or close.
    Quote(char),
    Punct(char),
}

/// One token: a byte range of the article text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
    // `matches!` rather than the derived `==`: these run for nearly every token of every pass.
    pub fn is_word(&self) -> bool {
        matches!(self.kind, Kind::Word)
    }
    /// A word that begins with a capital letter.
    #[inline]
    pub fn is_cap(&self, text: &str) -> bool {
        // An ASCII first byte is the whole first character: no decoding needed.
        matches!(self.kind, Kind::Word)
            && match text.as_bytes().get(self.start) {
                Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
                _ => text[self.start..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase()),
            }
    }
    pub fn is_punct(&self, c: char) -> bool {
        matches!(self.kind, Kind::Punct(p) if p == c)
    }
}

pub fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '‘' | '’' | '\'' | '«' | '»' | '„' | '‟' | '″'
    )
}

/// The character at byte `p` of `s`, if any; ASCII without decoding.
#[inline]
fn char_at(s: &str, p: usize) -> Option<char> {
    match s.as_bytes().get(p) {
        None => None,
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => s[p..].chars().next(),
    }
}

/// The byte length of the character at `p`, 0 at the end.
#[inline]
fn len_at(s: &str, p: usize) -> usize {
    char_at(s, p).map_or(0, char::len_utf8)
}

/// Tokenizes `text[start..end]`.
///
/// Walks byte positions, decoding only the characters it looks at (a token decision looks at most
/// two characters ahead); this avoids collecting the block's characters into a vector first.
pub fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let s = &text[start..end];
    let n = s.len();
    // The character after the one at `p`.
    let after = |p: usize| -> Option<char> { char_at(s, p + len_at(s, p)) };
    let mut i = 0;
    while i < n {
        // Spaces and line ends are most of what lies between tokens.
        if matches!(s.as_bytes()[i], b' ' | b'\n') {
            i += 1;
            continue;
        }
        let Some(c) = char_at(s, i) else { break };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c.is_alphanumeric() {
            let numeric = c.is_ascii_digit();
            let begin = i;
            i += c.len_utf8();
            // Abbreviations made of single letters and dots: "U.S.", "U.N.", "p.m.".
            // ('.' is one byte, so the letter after a dot at `i` is at `i + 1`.)
            if c.is_alphabetic()
                && char_at(s, i) == Some('.')
                && char_at(s, i + 1).is_some_and(|c| c.is_alphabetic())
                && after(i + 1) == Some('.')
            {
                while char_at(s, i) == Some('.')
                    && char_at(s, i + 1).is_some_and(|c| c.is_alphabetic())
                    && after(i + 1).is_none_or(|c| !c.is_alphanumeric())
                {
                    i += 1 + len_at(s, i + 1);
                }
                if char_at(s, i) == Some('.') {
                    i += 1;
                }
                out.push(Token {
                    start: start + begin,
                    end: start + i,
                    kind: Kind::Word,
                });
                continue;
            }
            let mut poss = None;
            while i < n {
                // ASCII letters and digits are inside the word whatever follows them: skip a run
                // of them without decoding.
                let run = &s.as_bytes()[i..];
                i += run
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(run.len());
                // An ASCII character that ends the run ends the word unless it may join two parts
                // of it (checked below): the word usually ends at a space or a punctuation mark.
                match s.as_bytes().get(i) {
                    None => break,
                    Some(&b) if b < 0x80 && !matches!(b, b'-' | b'.' | b',' | b':' | b'\'') => {
                        break;
                    }
                    _ => {}
                }
                let Some(c) = char_at(s, i) else { break };
                let next_at = i + c.len_utf8();
                let next = char_at(s, next_at);
                let inside = c.is_alphanumeric()
                    || c == '-' && next.is_some_and(|c| c.is_alphanumeric())
                    || numeric
                        && matches!(c, '.' | ',' | ':')
                        && next.is_some_and(|c| c.is_ascii_digit());
                if inside {
                    i = next_at;
                } else if matches!(c, '\'' | '’') && next.is_some_and(|c| c.is_alphabetic()) {
                    let after = after(next_at);
                    if matches!(next, Some('s' | 'S')) && after.is_none_or(|c| !c.is_alphanumeric())
                    {
                        poss = Some(i);
                        break;
                    }
                    i = next_at;
                } else {
                    break;
                }
            }
            let kind = if numeric { Kind::Number } else { Kind::Word };
            out.push(Token {
                start: start + begin,
                end: start + i,
                kind,
            });
            if let Some(p) = poss {
                // The apostrophe and the one-byte "s".
                let p_end = p + len_at(s, p) + 1;
                out.push(Token {
                    start: start + p,
                    end: start + p_end,
                    kind: Kind::Poss,
                });
                i = p_end;
            }
            continue;
        }
        let kind = if is_quote_char(c) {
            Kind::Quote(c)
        } else {
            Kind::Punct(c)
        };
        out.push(Token {
            start: start + i,
            end: start + i + c.len_utf8(),
            kind,
        });
        i += c.len_utf8();
    }
}

/// Words whose full stop is an abbreviation's (`data/abbreviations.txt`), lower-case ASCII, as a
/// set: every full stop of every article asks about the word before it.
static ABBREVIATIONS: std::sync::LazyLock<crate::lexicon::FastSet<&'static [u8]>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../data/abbreviations.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::as_bytes)
            .collect()
    });

const LONGEST_ABBREVIATION: usize = 6;

/// True when the word before a full stop makes the stop an abbreviation's, not a sentence end.
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    // The list is lower-case ASCII: an ASCII word matches it ignoring ASCII case.
    let listed = if word.is_ascii() {
        word.len() <= LONGEST_ABBREVIATION && {
            let mut buf = [0u8; LONGEST_ABBREVIATION];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            ABBREVIATIONS.contains(&*lower)
        }
    } else {
        crate::lexicon::with_lower(word, |lower| ABBREVIATIONS.contains(lower.as_bytes()))
    };
    listed || matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// True when token `k` is a full stop, "!", "?", ";" or ":" that ends a clause, not the dot of
/// "Mr." or of an initial.
pub fn is_stop(text: &str, tokens: &[Token], k: usize) -> bool {
    match tokens[k].kind {
        Kind::Punct('!' | '?' | ';' | ':') => true,
        Kind::Punct('.') => {
            !(k > 0 && tokens[k - 1].is_word() && is_abbreviation(tokens[k - 1].text(text)))
        }
        _ => false,
    }
}

/// Splits `tokens[from..to]` into sentences, as token ranges.
pub fn sentences(text: &str, tokens: &[Token], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut i = from;
    while i < to {
        let t = tokens[i];
        let ends = match t.kind {
            Kind::Punct('!' | '?' | ';') => t.kind != Kind::Punct(';'),
            Kind::Punct('.') => {
                !(i > from && tokens[i - 1].is_word() && is_abbreviation(tokens[i - 1].text(text)))
            }
            _ => false,
        };
        if ends {
            let mut j = i + 1;
            while j < to
                && matches!(tokens[j].kind, Kind::Quote(_) | Kind::Punct(')'))
                && !opens_next(text, tokens, j, to)
            {
                j += 1;
            }
            let next_starts = j >= to
                || tokens[j].is_cap(text)
                || matches!(
                    tokens[j].kind,
                    Kind::Quote(_) | Kind::Number | Kind::Punct('(' | '[')
                );
            if next_starts {
                out.push((start, j));
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// A quotation mark at `j` that is followed closely by a word and preceded by white space opens the
/// next sentence's quotation rather than closing this one.
fn opens_next(text: &str, tokens: &[Token], j: usize, to: usize) -> bool {
    let t = tokens[j];
    let spaced_before = j > 0 && tokens[j - 1].end < t.start;
    let glued_after = j + 1 < to && tokens[j + 1].start == t.end;
    let c = text[t.start..].chars().next().unwrap_or(' ');
    matches!(c, '“' | '‘' | '«') || (spaced_before && glued_after && !matches!(c, '”' | '’' | '»'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(input: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(input, 0, input.len(), &mut t);
        t.iter().map(|t| t.text(input)).collect()
    }

    fn sents(input: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(input, 0, input.len(), &mut t);
        sentences(input, &t, 0, t.len())
            .into_iter()
            .map(|(a, b)| &input[t[a].start..t[b - 1].end])
            .collect()
    }

    #[test]
    fn the_longest_abbreviation_bounds_the_list() {
        let longest = ABBREVIATIONS.iter().map(|a| a.len()).max();
        assert!(
            ABBREVIATIONS
                .iter()
                .all(|a| !a.iter().any(u8::is_ascii_uppercase))
        );
        assert_eq!(longest, Some(LONGEST_ABBREVIATION));
    }

    #[test]
    fn abbreviations_hyphens_and_apostrophes_stay_inside_words() {
        assert_eq!(
            words("U.S. envoy Frank-Walter O'Neill's \"talks\""),
            vec![
                "U.S.",
                "envoy",
                "Frank-Walter",
                "O'Neill",
                "'s",
                "\"",
                "talks",
                "\""
            ]
        );
    }

    #[test]
    fn numbers_keep_their_separators() {
        assert_eq!(
            words("at 12:30 p.m. for 1,750 dlrs"),
            vec!["at", "12:30", "p.m.", "for", "1,750", "dlrs"]
        );
    }

    #[test]
    fn sentences_do_not_break_after_titles_or_initials() {
        assert_eq!(
            sents("Mr. Kessler met J. Moor. \"Fine,\" he said. Then they left."),
            vec![
                "Mr. Kessler met J. Moor.",
                "\"Fine,\" he said.",
                "Then they left."
            ]
        );
    }

    #[test]
    fn a_closing_quotation_mark_stays_with_its_sentence() {
        assert_eq!(
            sents("He said: \"We agree.\" They left."),
            vec!["He said: \"We agree.\"", "They left."]
        );
    }
}

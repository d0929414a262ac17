//! What must hold for every parse, whatever the input: shared by the fuzz targets and by
//! `tests/parser_properties.rs` (which includes this file), so that a crasher found by the fuzzer
//! and a counterexample found by proptest fail the same checks.
//!
//! - every span (participant, meeting, quote, issue) is a slice of `article.text` on character
//!   boundaries;
//! - a quote's text is what its span covers, less the quotation marks, the closing comma or full
//!   stop and repeated white space; a quote split by its attribution covers its first to its last
//!   piece, so its words are the covered words in order, with the attribution left out;
//! - parsing the stored text again gives the same records;
//! - every name in a meeting is one of the article's people: a participant, or (planned and
//!   cancelled meetings) one of the `prospective` people ([`check_names`]).

use parley::model::{ArticleMeta, Parsed, Span};

/// Checks every invariant of `parsed`, the parse of `raw` with `meta`; the error says which broke.
pub fn check(raw: &str, meta: &ArticleMeta, parsed: &Parsed) -> Result<(), String> {
    check_record(parsed)?;
    if parsed.article.text != parley::parse::normalize(raw) {
        return Err("article.text is not normalize(raw)".into());
    }
    let again = parley::parse::parse(&parsed.article.text, meta);
    if &again != parsed {
        return Err(format!(
            "parsing the stored text again gives other records:\nfirst:  {parsed:?}\nagain: {again:?}"
        ));
    }
    Ok(())
}

/// The invariants of one record on its own (no second parse).
pub fn check_record(parsed: &Parsed) -> Result<(), String> {
    let text = parsed.article.text.as_str();
    for p in parsed.participants.iter().chain(&parsed.prospective) {
        slice(text, p.span).map_err(|e| format!("person {:?}: {e}", p.name))?;
    }
    check_names(parsed)?;
    for m in &parsed.meetings {
        slice(text, m.span).map_err(|e| format!("meeting {:?}: {e}", m.participants))?;
    }
    for i in &parsed.issues {
        if let Some(span) = i.span {
            slice(text, span).map_err(|e| format!("issue {:?}: {e}", i.rule))?;
        }
    }
    for q in &parsed.quotes {
        let covered = slice(text, q.span).map_err(|e| format!("quote {:?}: {e}", q.text))?;
        quote_matches_span(&q.text, covered)
            .map_err(|e| format!("quote {:?} over {covered:?}: {e}", q.text))?;
    }
    Ok(())
}

/// Every name in a meeting is one of the article's people, participant or prospective.
pub fn check_names(parsed: &Parsed) -> Result<(), String> {
    let names: Vec<&str> = parsed
        .participants
        .iter()
        .chain(&parsed.prospective)
        .map(|p| p.name.as_str())
        .collect();
    for m in &parsed.meetings {
        for name in &m.participants {
            if !names.contains(&name.as_str()) {
                return Err(format!(
                    "meeting name {name:?} is not one of the article's people ({names:?})"
                ));
            }
        }
    }
    Ok(())
}

/// `text[span]`, or why it is not a valid slice.
pub fn slice(text: &str, span: Span) -> Result<&str, String> {
    if span.start > span.end || span.end > text.len() {
        return Err(format!(
            "span {}..{} is outside the text ({} bytes)",
            span.start,
            span.end,
            text.len()
        ));
    }
    text.get(span.start..span.end)
        .ok_or_else(|| format!("span {}..{} cuts a character", span.start, span.end))
}

/// Quotation marks, and what the parser strips from the end of a quote.
pub fn is_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '\'' | '‹' | '›'
    )
}

/// A quote's text is its covered words with white space collapsed and a closing comma or full
/// stop dropped; for a quote joined from pieces, its words are a subsequence of the covered words.
pub fn quote_matches_span(quote: &str, covered: &str) -> Result<(), String> {
    if quote.trim().is_empty() {
        return Err("the quote is empty".into());
    }
    if quote != quote.trim() || quote.contains("  ") || quote.contains('\n') {
        return Err("the quote's white space is not collapsed".into());
    }
    let whole = covered.split_whitespace().collect::<Vec<_>>().join(" ");
    // A single piece: the covered text less its closing commas and full stops (an ellipsis stays).
    let mut single = whole.clone();
    while single.ends_with([',', '.', ' ']) && !single.ends_with("...") {
        single.pop();
    }
    if quote == single {
        return Ok(());
    }
    // Pieces: every word of the quote, in order, among the covered words; words are split at white
    // space and at quotation marks (pieces may meet at a mark with no space) and compared without a
    // closing comma or full stop.
    let words_of = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || is_mark(c))
            .map(|w| w.trim_end_matches([',', '.']))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let covered_words = words_of(covered);
    let mut at = 0;
    for word in words_of(quote) {
        match covered_words[at..].iter().position(|w| *w == word) {
            Some(i) => at += i + 1,
            None => {
                return Err(format!(
                    "the quote's word {word:?} is not in its span, in order"
                ));
            }
        }
    }
    if !covered.contains(is_mark) {
        return Err(
            "the quote differs from its span, which holds no quotation mark to join pieces".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_its_span_less_the_closing_punctuation() {
        assert!(quote_matches_span("We agreed on it", "We agreed on it,").is_ok());
        assert!(quote_matches_span("We agreed on it", "We  agreed\non it.").is_ok());
        assert!(quote_matches_span("Wait and see...", "Wait and see...").is_ok());
        assert!(quote_matches_span("Wait and see...", "Wait and see...,").is_ok());
        assert!(quote_matches_span("We agreed", "We disagreed,").is_err());
    }

    #[test]
    fn a_quote_in_pieces_keeps_its_words_in_order() {
        let covered = "We agreed,\" Kessler said, \"and we will sign";
        assert!(quote_matches_span("We agreed and we will sign", covered).is_ok());
        assert!(quote_matches_span("we will sign We agreed", covered).is_err());
        assert!(quote_matches_span("We agreed and we will not sign", covered).is_err());
        assert!(quote_matches_span("said held talks", "said«held talks").is_ok());
    }
}

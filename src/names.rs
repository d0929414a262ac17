//! Names of people, one normaliser for the whole pipeline: the parser (when it folds names to compare
//! them), person identity (its matching keys) and the store (the display name it writes) all read a
//! name through this module, so that "François Hollande" and "Francois Hollande", or "Malcolm\nBaldrige"
//! and "Malcolm Baldrige", are the same name everywhere. Pure: text in, text out.
//!
//! Two forms come out of a name:
//! - [`clean`], the display form: white space (newlines included) collapsed to single spaces, and the
//!   words before the name that are not part of it (honorifics, party labels, an office) taken off;
//! - [`key_words`] / [`key`], the matching form: the clean name with accents and other marks removed
//!   (Unicode decomposition without combining marks, by `deunicode`, which also spells letters such
//!   as "ø" or "ß" that do not decompose), lower case, split into words at spaces and hyphens.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::lexicon;

/// Party labels that can stand before a name, from `data/party_labels.txt`.
static PARTY_LABELS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../data/party_labels.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Whether a word written before a name says who the person is rather than naming them: an
/// honorific ("Mr."), a party label ("Conservative") or a word of an office ("Prime",
/// "Minister-designate").
fn is_label(word: &str) -> bool {
    let lower = word.to_lowercase();
    let bare = lower.trim_end_matches('.');
    let office = bare
        .strip_suffix("-designate")
        .or_else(|| bare.strip_suffix("-elect"))
        .unwrap_or(bare);
    lexicon::is_honorific(&lower)
        || lexicon::is_honorific(bare)
        || PARTY_LABELS.contains(bare)
        || lexicon::is_title_head(office)
        || lexicon::is_title_word(office)
}

/// The display form of a name: single spaces, and no honorific, party label or office before it.
/// The last word always stays, so a name is never cleaned away.
pub fn clean(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut start = 0;
    while start + 1 < words.len() {
        if is_label(words[start]) {
            start += 1;
        } else if start + 2 < words.len()
            && lexicon::is_honorific(
                &format!("{} {}", words[start], words[start + 1]).to_lowercase(),
            )
        {
            // Two-word honorifics ("His Excellency").
            start += 2;
        } else {
            break;
        }
    }
    words[start..].join(" ")
}

/// A text without accents or other marks, in lower case: "Schröder" -> "schroder".
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    deunicode::deunicode(text).to_lowercase()
}

/// The words of a text, [`fold`]ed, split at spaces and hyphens, with dots and apostrophes dropped
/// inside words ("U.S." and "US", "O'Neill" and "ONeill" alike). The parser's comparison of names
/// (`parse::people::fold_words`) is meant to read names through this too.
pub fn fold_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '\'')))
        .map(|word| word.replace(['.', '\''], ""))
        .filter(|word| !word.is_empty())
        .collect()
}

/// The matching words of a name: the [`fold_words`] of its [`clean`] form.
pub fn key_words(name: &str) -> Vec<String> {
    fold_words(&clean(name))
}

/// The matching key of a name: its [`key_words`] joined by single spaces.
pub fn key(name: &str) -> String {
    key_words(name).join(" ")
}

/// Whether a name holds a control character (a newline, a tab...): a clean name never does.
pub fn has_control(name: &str) -> bool {
    name.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_their_absence_give_one_key() {
        assert_eq!(key("François Hollande"), key("Francois Hollande"));
        assert_eq!(key("Dennis Schröder"), "dennis schroder");
        assert_eq!(key("Søren Ørsted"), "soren orsted");
    }

    #[test]
    fn white_space_and_newlines_collapse_to_one_space() {
        assert_eq!(clean("Malcolm\nBaldrige"), "Malcolm Baldrige");
        assert_eq!(clean("  Ona \t Vell "), "Ona Vell");
        assert!(!has_control(&clean("Richard von\r\nWeizsaecker")));
    }

    #[test]
    fn honorifics_party_labels_and_offices_are_not_part_of_the_name() {
        assert_eq!(clean("Conservative Graham Brady"), "Graham Brady");
        assert_eq!(clean("Mr. Ilo Brandt"), "Ilo Brandt");
        assert_eq!(clean("His Excellency Ilo Brandt"), "Ilo Brandt");
        assert_eq!(
            clean("Prime Minister-designate Noboru Takeshita"),
            "Noboru Takeshita"
        );
        assert_eq!(clean("Mr."), "Mr.");
    }

    #[test]
    fn hyphens_dots_and_apostrophes_do_not_change_who_is_named() {
        assert_eq!(key("Ban Ki-moon"), key("Ban Ki Moon"));
        assert_eq!(key("U.S."), key("US"));
        assert_eq!(key("Abdul Ilah al-Khatib"), "abdul ilah al khatib");
    }
}

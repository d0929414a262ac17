//! Meetings, the words a trigger's arguments are read with: clause breaks, the words that may or
//! may not stand between a verb and its object, pair phrases, the words that end a list of objects or
//! open a fronted phrase. They live in `data/frame_words.tsv`, one word or phrase and its [`Role`] a
//! line; an unknown role is an error when the list is loaded (the tests load it).

use std::sync::LazyLock;

/// What a word does in a trigger's frame (the roles of `data/frame_words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Opens a new clause: a trigger's subjects stand after the last one ("but", "while").
    ClauseBreak,
    /// May not stand between a verb and its object ("met a cool reception from X").
    NotGap,
    /// May stand between a verb and its object ("met Tuesday morning with X").
    Gap,
    /// May not stand between a call verb and its person ("to see how X planned").
    CallNotGap,
    /// Names the two people spoken of last as the subject ("the two men met").
    Pair,
    /// Ends a trigger's objects ("said", "that").
    ObjectStop,
    /// Opens a fronted phrase whose event the main clause's subject took part in ("after").
    Fronted,
    /// A number word of a counted group set out by name ("the three members, A, B and C").
    Count,
    /// Sets an encounter before or around the main clause's event ("said after talks with X").
    AroundEvent,
    /// May stand before "called" when it reports a call ("also called X", "had called X").
    BeforeCalled,
}

const ROLES: usize = 10;

impl Role {
    fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "clause-break" => Role::ClauseBreak,
            "not-gap" => Role::NotGap,
            "gap" => Role::Gap,
            "call-not-gap" => Role::CallNotGap,
            "pair" => Role::Pair,
            "object-stop" => Role::ObjectStop,
            "fronted" => Role::Fronted,
            "count" => Role::Count,
            "around-event" => Role::AroundEvent,
            "before-called" => Role::BeforeCalled,
            _ => return None,
        })
    }
}

/// The words of a frame-word list by role; an unknown role or a line without one is an error.
fn load(data: &'static str) -> Result<[Vec<&'static str>; ROLES], String> {
    let mut out: [Vec<&'static str>; ROLES] = Default::default();
    for line in data.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, role) = line
            .split_once('\t')
            .ok_or_else(|| format!("no role on the line {line:?}"))?;
        let role = Role::parse(role.trim())
            .ok_or_else(|| format!("unknown role {:?} for {word:?}", role.trim()))?;
        out[role as usize].push(word.trim());
    }
    Ok(out)
}

static WORDS: LazyLock<[Vec<&'static str>; ROLES]> = LazyLock::new(|| {
    load(include_str!("../../../data/frame_words.tsv"))
        .unwrap_or_else(|e| panic!("data/frame_words.tsv: {e}"))
});

/// The words and phrases of a role.
pub(super) fn words(role: Role) -> &'static [&'static str] {
    &WORDS[role as usize]
}

/// Whether `lower` (a lower-case word) has the role.
pub(super) fn is(role: Role, lower: &str) -> bool {
    words(role).contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frame_word_has_a_known_role_and_every_role_has_words() {
        let all = load(include_str!("../../../data/frame_words.tsv")).unwrap();
        assert!(all.iter().all(|w| !w.is_empty()));
        assert!(is(Role::ClauseBreak, "but"));
        assert!(words(Role::Pair).contains(&"the two men"));
    }

    #[test]
    fn an_unknown_role_or_a_missing_one_is_an_error() {
        assert!(load("met\tverb-ish\n").is_err());
        assert!(load("met\n").is_err());
    }
}

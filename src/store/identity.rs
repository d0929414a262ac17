//! Person identity across articles: decides whether a person named in a new article is someone the
//! archive already knows. Pure: storage hands in the mention and the candidates (people sharing the
//! surname) and applies the decision. Runs after the parser (which settles identity inside one
//! article) and before storage writes the mention. Names are compared through [`crate::names`], the
//! normaliser the parser and the store share.
//!
//! The rules, in order: the same full name is the same person unless both the country and the office
//! say otherwise (a parser that misreads a country must not split a prime minister in two); a form of
//! the name ("Javad Zarif" of "Mohammad Javad Zarif") is the same person when only one known person
//! fits and neither the country nor the office contradicts it (or, for a name of several words, not
//! both); a surname alone is the one person of several words with that surname whose country and
//! office do not contradict it. Several people a name could be stay apart, and the mention is marked
//! ambiguous.

use std::sync::LazyLock;

use crate::names;

/// Matching key of a name ([`names::key`]): no accents, lower case, single spaces, no dots.
pub fn name_key(name: &str) -> String {
    names::key(name)
}

/// The matching words of a name ([`names::key_words`]).
pub fn name_tokens(name: &str) -> Vec<String> {
    names::key_words(name)
}

/// The key under which candidates are looked up: the last word of the name.
pub fn surname_key(name: &str) -> Option<String> {
    name_tokens(name).pop()
}

/// How two names relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRelation {
    /// The same words.
    Same,
    /// One is a form of the other: its words are among the other's, the surname included, and an
    /// initial stands for a word that starts with it ("J. Kerry" ~ "John Kerry").
    Form,
    Different,
}

pub fn relate(a: &str, b: &str) -> NameRelation {
    let (ta, tb) = (name_tokens(a), name_tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return NameRelation::Different;
    }
    if ta == tb {
        return NameRelation::Same;
    }
    if ta.last() != tb.last() {
        return NameRelation::Different;
    }
    let (short, long) = if ta.len() <= tb.len() {
        (&ta, &tb)
    } else {
        (&tb, &ta)
    };
    // Every word of the short form stands in the long one, in order: itself, its initial, or a
    // familiar form of the same given name ("Tim" of "Timothy").
    let mut rest = long.iter();
    let all_found = short.iter().all(|word| {
        rest.by_ref().any(|other| {
            other == word
                || (word.chars().count() == 1 && other.starts_with(word.as_str()))
                || same_given_name(word, other)
        })
    });
    if all_found {
        NameRelation::Form
    } else {
        NameRelation::Different
    }
}

/// What an article says of a person.
#[derive(Debug, Clone, Copy)]
pub struct Mention<'a> {
    pub name: &'a str,
    pub country: Option<&'a str>,
    pub title: Option<&'a str>,
}

/// A person the archive knows, who might be the one mentioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
    /// The latest office the person was seen holding.
    pub title: Option<String>,
}

/// The decision for one mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The mention is this known person; `rule` says why.
    Known { id: i64, rule: &'static str },
    /// Nobody known fits: a new person.
    New,
    /// Several known people fit (or one fits too weakly): a new person, kept apart, with the names
    /// of those it could have been.
    Ambiguous { candidates: Vec<String> },
}

fn countries_conflict(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y))
}

/// Familiar forms of given names and the full form each stands for, from
/// `data/given_name_forms.tsv`: (short form, full form).
static GIVEN_NAME_FORMS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    include_str!("../../data/given_name_forms.tsv")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .flat_map(|line| {
            let (full, shorts) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("data/given_name_forms.tsv: no tab in {line:?}"));
            shorts
                .split(',')
                .map(|short| (short.trim().to_string(), full.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
});

/// Whether two given names are one name in a full and a familiar form ("Tim" and "Timothy";
/// "Bill" and "William"), in either order.
fn same_given_name(a: &str, b: &str) -> bool {
    GIVEN_NAME_FORMS
        .iter()
        .any(|(short, full)| (short == a && full == b) || (short == b && full == a))
}

/// Words that make an office a lower one, from `data/rank_words.txt`.
static RANK_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../../data/rank_words.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Two offices contradict each other when both are known and neither's words hold the other's
/// ("Foreign Minister" and "minister" agree; "Ambassador" and "Prime Minister" do not), or when the
/// words one has more are a rank ("Vice President" and "President" do not agree).
fn offices_conflict(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let (wa, wb) = (names::fold_words(a), names::fold_words(b));
    let within = |short: &[String], long: &[String]| {
        short.iter().all(|w| long.contains(w))
            && !long
                .iter()
                .any(|w| !short.contains(w) && RANK_WORDS.contains(w))
    };
    !(within(&wa, &wb) || within(&wb, &wa))
}

/// Whether the words one form of a name has more than the other are all initials ("W.").
fn differ_by_initials(a: &str, b: &str) -> bool {
    let (wa, wb) = (name_tokens(a), name_tokens(b));
    let (short, long) = if wa.len() <= wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    let extra: Vec<&String> = long.iter().filter(|w| !short.contains(w)).collect();
    !extra.is_empty() && extra.iter().all(|w| w.chars().count() == 1)
}

/// Decides who a mention is among the candidates (people sharing its surname).
pub fn decide(mention: Mention<'_>, candidates: &[Candidate]) -> Decision {
    let single_word = name_tokens(mention.name).len() == 1;
    let fitting: Vec<(&Candidate, NameRelation)> = candidates
        .iter()
        .map(|c| (c, relate(mention.name, &c.name)))
        .filter(|(c, relation)| {
            let country = countries_conflict(mention.country, c.country.as_deref());
            let office = offices_conflict(mention.title, c.title.as_deref());
            match relation {
                NameRelation::Different => false,
                // One wrong country (or one odd office) does not make a namesake: both must differ.
                NameRelation::Same => !(country && office),
                NameRelation::Form if single_word => {
                    // A surname alone stands for a person known by a fuller name, unless the
                    // country says otherwise and no shared office says it is them all the same.
                    let shared_office = mention.title.is_some() && c.title.is_some() && !office;
                    name_tokens(&c.name).len() > 1 && !office && (!country || shared_office)
                }
                // A middle initial that only one form has, with offices that contradict, tells two
                // people of one family apart ("George W. Bush", President, is not "George Bush",
                // Vice President); a fuller name alone is a career's worth of offices.
                NameRelation::Form if office && differ_by_initials(mention.name, &c.name) => false,
                NameRelation::Form => !(country && office),
            }
        })
        .collect();
    let same: Vec<&Candidate> = fitting
        .iter()
        .filter(|(_, r)| *r == NameRelation::Same)
        .map(|(c, _)| *c)
        .collect();
    match same.as_slice() {
        [one] => {
            return Decision::Known {
                id: one.id,
                rule: "same-name",
            };
        }
        [] => {}
        several => {
            // The same name twice: the one with the mention's country, if exactly one has it.
            let by_country: Vec<&&Candidate> = several
                .iter()
                .filter(|c| mention.country.is_some() && c.country.as_deref() == mention.country)
                .collect();
            if let [one] = by_country.as_slice() {
                return Decision::Known {
                    id: one.id,
                    rule: "same-name",
                };
            }
            return Decision::Ambiguous {
                candidates: several.iter().map(|c| c.name.clone()).collect(),
            };
        }
    }
    match fitting.as_slice() {
        [] => Decision::New,
        [(one, _)] if !single_word => Decision::Known {
            id: one.id,
            rule: "name-form",
        },
        [(one, _)] if mention.country.is_some() && one.country.as_deref() == mention.country => {
            Decision::Known {
                id: one.id,
                rule: "surname-country",
            }
        }
        [(one, _)] => Decision::Known {
            id: one.id,
            rule: "surname",
        },
        several => Decision::Ambiguous {
            candidates: several.iter().map(|(c, _)| c.name.clone()).collect(),
        },
    }
}

/// Whether two spellings of a word are one word misspelt or spelt another way: a letter or two
/// apart in a long enough word ("Shevardnaze" and "Shevardnadze").
fn respelt(a: &str, b: &str) -> bool {
    let shorter = a.chars().count().min(b.chars().count());
    let distance = edit_distance(a, b);
    shorter >= 6 && distance <= 2 && distance * 3 <= shorter
}

/// Edit distance between two words, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// After [`decide`] found nobody: whether the mention is a known person whose name is spelt
/// another way. The names have the same number of words (at least two), all the same but one,
/// which is [`respelt`] (or a letter apart in a name of three words); the countries do not
/// contradict unless both mentions state the same office; and only one candidate fits.
///
/// Offices alone do not keep two spellings apart: a name respelt between outlets is usually respelt
/// between years too, and the office changes with them ("envoy" in one article, "head of the
/// delegation" in another). What an office would tell, a country tells better, and a country
/// learnt only from a later article must not decide who someone is by the order of imports.
/// Storage hands in the people sharing the mention's first or last word.
pub fn decide_spelling(mention: Mention<'_>, candidates: &[Candidate]) -> Option<i64> {
    let words = name_tokens(mention.name);
    if words.len() < 2 {
        return None;
    }
    let mut fitting: Vec<i64> = candidates
        .iter()
        .filter(|c| {
            let theirs = name_tokens(&c.name);
            let differing: Vec<(&String, &String)> =
                words.iter().zip(&theirs).filter(|(a, b)| a != b).collect();
            // In a name of three words or more, two that agree make one letter enough even in a
            // short word ("Kim Gye Gwan" and "Kim Kye Gwan").
            let long_name = words.len() >= 3;
            let office = offices_conflict(mention.title, c.title.as_deref());
            let shared_office = mention.title.is_some() && c.title.is_some() && !office;
            theirs.len() == words.len()
                && matches!(differing.as_slice(), [(a, b)]
                    if respelt(a, b) || (long_name && a.len().min(b.len()) >= 3 && edit_distance(a, b) == 1))
                && (!countries_conflict(mention.country, c.country.as_deref()) || shared_office)
        })
        .map(|c| c.id)
        .collect();
    // Storage may hand in one person twice (sharing both the first and the last word).
    fitting.sort_unstable();
    fitting.dedup();
    match fitting.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, name: &str, country: Option<&str>) -> Candidate {
        Candidate {
            id,
            name: name.into(),
            country: country.map(String::from),
            title: None,
        }
    }

    fn check(name: &str, country: Option<&str>, candidates: &[Candidate], expected: Decision) {
        assert_eq!(
            decide(
                Mention {
                    name,
                    country,
                    title: None
                },
                candidates
            ),
            expected,
            "{name} {country:?}"
        );
    }

    #[test]
    fn names_relate_by_their_words_and_initials() {
        assert_eq!(relate("John Kerry", "john  kerry"), NameRelation::Same);
        assert_eq!(
            relate("Javad Zarif", "Mohammad Javad Zarif"),
            NameRelation::Form
        );
        assert_eq!(relate("J. Kerry", "John Kerry"), NameRelation::Form);
        assert_eq!(relate("Kerry", "John Kerry"), NameRelation::Form);
        assert_eq!(relate("Imran Khan", "Ali Khan"), NameRelation::Different);
        assert_eq!(relate("Kerry John", "John Kerry"), NameRelation::Different);
        assert_eq!(relate("Tim Arnesen", "Timothy Arnesen"), NameRelation::Form);
        assert_eq!(
            relate("Bill J. Arnesen", "William James Arnesen"),
            NameRelation::Form
        );
        assert_eq!(
            relate("Tom Arnesen", "Tim Arnesen"),
            NameRelation::Different
        );
    }

    #[test]
    fn the_same_full_name_is_the_same_person() {
        check(
            "Arvid Kessler",
            Some("NOR"),
            &[person(1, "Arvid Kessler", None)],
            Decision::Known {
                id: 1,
                rule: "same-name",
            },
        );
    }

    #[test]
    fn the_same_name_from_another_country_and_office_is_someone_else() {
        let known = [Candidate {
            title: Some("Ambassador".into()),
            ..person(1, "Arvid Kessler", Some("SWE"))
        }];
        let mention = Mention {
            name: "Arvid Kessler",
            country: Some("NOR"),
            title: Some("Prime Minister"),
        };
        assert_eq!(decide(mention, &known), Decision::New);
    }

    #[test]
    fn one_wrong_country_does_not_split_a_person() {
        check(
            "Arvid Kessler",
            Some("NOR"),
            &[person(1, "Arvid Kessler", Some("SWE"))],
            Decision::Known {
                id: 1,
                rule: "same-name",
            },
        );
    }

    #[test]
    fn accents_do_not_split_a_person() {
        check(
            "François Hollande",
            None,
            &[person(1, "Francois Hollande", Some("FRA"))],
            Decision::Known {
                id: 1,
                rule: "same-name",
            },
        );
    }

    #[test]
    fn the_same_name_and_office_is_the_same_person_whatever_the_country_says() {
        let known = [Candidate {
            title: Some("Prime Minister".into()),
            ..person(1, "Arvid Kessler", Some("NOR"))
        }];
        let mention = Mention {
            name: "Arvid Kessler",
            country: Some("SWE"),
            title: Some("prime minister"),
        };
        assert_eq!(
            decide(mention, &known),
            Decision::Known {
                id: 1,
                rule: "same-name"
            }
        );
        let envoy = Mention {
            title: Some("Ambassador"),
            ..mention
        };
        assert_eq!(decide(envoy, &known), Decision::New);
        let unstated = Mention {
            title: None,
            ..mention
        };
        assert!(matches!(
            decide(unstated, &known),
            Decision::Known { id: 1, .. }
        ));
    }

    #[test]
    fn a_fuller_name_from_another_country_and_office_is_someone_else() {
        let known = [Candidate {
            title: Some("Vice President".into()),
            ..person(1, "Gerd Olafsen", Some("CAN"))
        }];
        let mention = Mention {
            name: "Gerd W. Olafsen",
            country: Some("USA"),
            title: Some("President"),
        };
        assert_eq!(decide(mention, &known), Decision::New);
    }

    #[test]
    fn a_surname_alone_with_a_wrong_country_is_the_person_when_the_office_agrees() {
        let known = [Candidate {
            title: Some("President".into()),
            ..person(1, "Arvid Kessler", Some("NOR"))
        }];
        let mention = |country, title| Mention {
            name: "Kessler",
            country,
            title,
        };
        assert!(matches!(
            decide(mention(Some("SWE"), Some("President")), &known),
            Decision::Known { id: 1, .. }
        ));
        assert_eq!(decide(mention(Some("SWE"), None), &known), Decision::New);
    }

    #[test]
    fn a_name_spelt_another_way_is_the_same_person() {
        let known = [
            person(1, "Edvard Ostrovski", Some("POL")),
            person(2, "Ina Berg", Some("POL")),
        ];
        let mention = |name| Mention {
            name,
            country: Some("POL"),
            title: None,
        };
        assert_eq!(
            decide_spelling(mention("Edvard Ostrowski"), &known),
            Some(1)
        );
        assert_eq!(
            decide_spelling(mention("Edvard Ostrovsky"), &known),
            Some(1)
        );
        assert_eq!(
            decide_spelling(mention("Ina Borg"), &known),
            None,
            "short words"
        );
        assert_eq!(decide_spelling(mention("Edvard Karlsson"), &known), None);
        let three = [person(3, "Pak Gyu Son", Some("PRK"))];
        assert_eq!(
            decide_spelling(mention("Pak Kyu Son"), &three),
            None,
            "another country"
        );
        let mention = Mention {
            name: "Pak Kyu Son",
            country: None,
            title: None,
        };
        assert_eq!(decide_spelling(mention, &three), Some(3));
    }

    #[test]
    fn a_name_spelt_another_way_with_another_office_is_the_same_person_unless_the_country_differs()
    {
        let known = [Candidate {
            title: Some("Vice Foreign Minister".into()),
            ..person(1, "Pak Gyu Son", None)
        }];
        let envoy = |country| Mention {
            name: "Pak Kyu Son",
            country,
            title: Some("head of the delegation"),
        };
        assert_eq!(decide_spelling(envoy(Some("PRK")), &known), Some(1));
        let twice = [known[0].clone(), known[0].clone()];
        assert_eq!(
            decide_spelling(envoy(None), &twice),
            Some(1),
            "one person handed in twice"
        );
        let korean = [Candidate {
            country: Some("KOR".into()),
            ..known[0].clone()
        }];
        assert_eq!(decide_spelling(envoy(Some("PRK")), &korean), None);
    }

    #[test]
    fn the_familiar_forms_file_is_well_formed() {
        assert!(GIVEN_NAME_FORMS.len() > 50);
        for (short, full) in GIVEN_NAME_FORMS.iter() {
            assert!(!short.is_empty() && !full.is_empty(), "{short:?} {full:?}");
            assert_eq!(names::key(short), *short, "not in key form");
            assert_eq!(names::key(full), *full, "not in key form");
        }
    }

    #[test]
    fn a_rank_makes_another_office() {
        assert!(offices_conflict(Some("Vice President"), Some("President")));
        assert!(!offices_conflict(
            Some("Foreign Minister"),
            Some("minister")
        ));
        assert!(offices_conflict(Some("Ambassador"), Some("Prime Minister")));
        assert!(!offices_conflict(None, Some("Prime Minister")));
    }

    #[test]
    fn a_middle_initial_with_another_office_is_another_person_of_the_family() {
        let father = Candidate {
            title: Some("Vice President".into()),
            ..person(1, "Harlan Voss", None)
        };
        let son = Mention {
            name: "Harlan T. Voss",
            country: Some("USA"),
            title: Some("President"),
        };
        assert_eq!(decide(son, std::slice::from_ref(&father)), Decision::New);
        // The same initial with an office that agrees, or a fuller name that is more than an
        // initial (a career: Prime Minister, later President), is the known person.
        let agreeing = Mention {
            title: Some("Vice President"),
            ..son
        };
        assert!(matches!(
            decide(agreeing, std::slice::from_ref(&father)),
            Decision::Known { id: 1, .. }
        ));
        let premier = Candidate {
            title: Some("Prime Minister".into()),
            ..person(2, "Emre Doruk", Some("TUR"))
        };
        let president = Mention {
            name: "Kemal Emre Doruk",
            country: Some("TUR"),
            title: Some("President"),
        };
        assert!(matches!(
            decide(president, &[premier]),
            Decision::Known { id: 2, .. }
        ));
    }

    #[test]
    fn a_fuller_or_shorter_form_of_one_known_name_is_that_person() {
        let known = [person(1, "Paula Errazuriz", Some("CHL"))];
        check(
            "Paula Maria Errazuriz",
            None,
            &known,
            Decision::Known {
                id: 1,
                rule: "name-form",
            },
        );
    }

    #[test]
    fn a_surname_alone_is_the_one_full_name_person_nothing_contradicts() {
        let known = [person(1, "Paula Errazuriz", Some("CHL"))];
        check(
            "Errazuriz",
            Some("CHL"),
            &known,
            Decision::Known {
                id: 1,
                rule: "surname-country",
            },
        );
        check(
            "Errazuriz",
            None,
            &known,
            Decision::Known {
                id: 1,
                rule: "surname",
            },
        );
        check("Errazuriz", Some("PER"), &known, Decision::New);
    }

    #[test]
    fn two_people_sharing_a_surname_are_not_merged() {
        let known = [
            person(1, "Imran Khan", Some("PAK")),
            person(2, "Ayesha Khan", Some("PAK")),
        ];
        check(
            "Khan",
            Some("PAK"),
            &known,
            Decision::Ambiguous {
                candidates: vec!["Imran Khan".into(), "Ayesha Khan".into()],
            },
        );
        check("Sadiq Khan", Some("GBR"), &known, Decision::New);
    }
}

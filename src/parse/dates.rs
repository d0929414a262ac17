//! Dates: finds date phrases in a sentence ("on Wednesday", "yesterday", "earlier in the day",
//! "March 11", "Nov. 20, 2019", "2004-05-24") and resolves them against a reference date (the
//! publication date, a dated caption or the dateline). Relies on tokens; pure arithmetic otherwise.

use super::tokens::{Kind, Token};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::borrow::Cow;

/// What a date phrase says, before it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSense {
    /// The latest such weekday on or before the reference date (or the next one, for the future).
    Weekday(Weekday),
    /// A number of days from the reference date: 0 today, -1 yesterday.
    Offset(i64),
    /// A month and day, with the year where given.
    MonthDay(u32, u32, Option<i32>),
    /// A phrase that names a period but not a day ("last week", "last month").
    Vague,
}

/// A date phrase in the text: its tokens, its bytes and what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatePhrase {
    pub tok_start: usize,
    pub tok_end: usize,
    pub start: usize,
    pub end: usize,
    pub sense: DateSense,
}

/// Calls `name_of` with the lower-case bytes of `w`, a candidate month or day name; None for an
/// ASCII word longer than the longest name (ASCII keeps its length when lower-cased). Short ASCII
/// words are lower-cased in a small buffer: this runs for most capitalised words of an article.
fn name_lookup<T>(w: &str, name_of: fn(&[u8]) -> Option<T>) -> Option<T> {
    const LONGEST: usize = "september".len();
    if !w.is_ascii() {
        return crate::lexicon::with_lower_bytes(w, name_of);
    }
    if w.len() > LONGEST {
        return None;
    }
    let mut buf = [0u8; LONGEST];
    for (lower, b) in buf.iter_mut().zip(w.bytes()) {
        *lower = b.to_ascii_lowercase();
    }
    name_of(&buf[..w.len()])
}

pub fn month_number(word: &str) -> Option<u32> {
    name_lookup(word.trim_end_matches('.'), month_of)
}

fn month_of(w: &[u8]) -> Option<u32> {
    let m = match w {
        b"january" | b"jan" => 1,
        b"february" | b"feb" => 2,
        b"march" | b"mar" => 3,
        b"april" | b"apr" => 4,
        b"may" => 5,
        b"june" | b"jun" => 6,
        b"july" | b"jul" => 7,
        b"august" | b"aug" => 8,
        b"september" | b"sep" | b"sept" => 9,
        b"october" | b"oct" => 10,
        b"november" | b"nov" => 11,
        b"december" | b"dec" => 12,
        _ => return None,
    };
    Some(m)
}

pub fn weekday(word: &str) -> Option<Weekday> {
    name_lookup(word, weekday_of)
}

fn weekday_of(w: &[u8]) -> Option<Weekday> {
    Some(match w {
        b"monday" => Weekday::Mon,
        b"tuesday" => Weekday::Tue,
        b"wednesday" => Weekday::Wed,
        b"thursday" => Weekday::Thu,
        b"friday" => Weekday::Fri,
        b"saturday" => Weekday::Sat,
        b"sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(|c: char| c.is_alphabetic());
    if w.is_empty() || w.len() > 4 {
        return None;
    }
    w.parse().ok()
}

/// Date phrases in `tokens[from..to]`, left to right. `lower_text` is `text` lower-cased with
/// `to_ascii_lowercase` (the document keeps such a copy).
pub fn find(
    text: &str,
    lower_text: &str,
    tokens: &[Token],
    from: usize,
    to: usize,
) -> Vec<DatePhrase> {
    let mut out = Vec::new();
    let word = |i: usize| -> &str { if i < to { tokens[i].text(text) } else { "" } };
    // A word's lower-case form: for an ASCII word the ASCII-lower-cased text is just that, with
    // no copy; other words are lower-cased afresh.
    let lower = |i: usize| -> Cow<'_, str> {
        let w = word(i);
        if !w.is_ascii() {
            Cow::Owned(w.to_lowercase())
        } else if w.is_empty() {
            Cow::Borrowed("")
        } else {
            Cow::Borrowed(&lower_text[tokens[i].start..tokens[i].end])
        }
    };
    let lower_is = |i: usize, f: fn(&str) -> bool| f(&lower(i));
    let mut i = from;
    while i < to {
        let t = tokens[i];
        let w = t.text(text);
        let mut push = |a: usize, b: usize, sense: DateSense| {
            out.push(DatePhrase {
                tok_start: a,
                tok_end: b,
                start: tokens[a].start,
                end: tokens[b - 1].end,
                sense,
            });
            b
        };
        if t.kind == Kind::Word {
            let lw = lower(i);
            let month = month_number(w);
            if let Some(m) = month.filter(|_| w.chars().next().is_some_and(char::is_uppercase)) {
                // "March 11", "Nov. 20, 2019", "March 11 1987"; "May" only with a day.
                let mut j = i + 1;
                if j < to && tokens[j].is_punct('.') {
                    j += 1;
                }
                if let Some(d) = (j < to && tokens[j].kind == Kind::Number)
                    .then(|| number(word(j)))
                    .flatten()
                    .filter(|d| (1..=31).contains(d))
                {
                    let mut end = j + 1;
                    let mut year = None;
                    let k = if end < to && tokens[end].is_punct(',') {
                        end + 1
                    } else {
                        end
                    };
                    if k < to
                        && tokens[k].kind == Kind::Number
                        && let Some(y) = number(word(k)).filter(|y| (1900..=2100).contains(y))
                    {
                        year = Some(y as i32);
                        end = k + 1;
                    }
                    i = push(i, end, DateSense::MonthDay(m, d, year));
                    continue;
                }
            }
            if let Some(wd) = weekday(w) {
                let a = if i > from && lower_is(i - 1, |l| matches!(l, "on" | "last" | "since")) {
                    i - 1
                } else {
                    i
                };
                let mut b = i + 1;
                if b < to
                    && lower_is(b, |l| {
                        matches!(l, "morning" | "evening" | "afternoon" | "night")
                    })
                {
                    b += 1;
                }
                // "Wednesday, Nov. 20, 2019": the explicit date wins.
                let mut j = b;
                if j < to && tokens[j].is_punct(',') {
                    j += 1;
                }
                if j < to
                    && month_number(word(j)).is_some()
                    && j + 1 < to
                    && tokens[j + 1..to.min(j + 3)]
                        .iter()
                        .any(|t| t.kind == Kind::Number)
                {
                    i = j;
                    continue;
                }
                i = push(a, b, DateSense::Weekday(wd));
                continue;
            }
            // "last February", "in June": a month without a day names no day.
            if month.is_some()
                && w.chars().next().is_some_and(char::is_uppercase)
                && i > from
                && lower_is(i - 1, |l| {
                    matches!(
                        l,
                        "in" | "last"
                            | "since"
                            | "early"
                            | "late"
                            | "mid"
                            | "this"
                            | "next"
                            | "until"
                            | "by"
                    )
                })
            {
                i = push(i - 1, i + 1, DateSense::Vague);
                continue;
            }
            let starts_phrase = matches!(
                lw.as_ref(),
                "earlier"
                    | "later"
                    | "last"
                    | "this"
                    | "next"
                    | "years"
                    | "months"
                    | "weeks"
                    | "days"
            );
            let two = if starts_phrase {
                format!("{} {}", lw, lower(i + 1))
            } else {
                String::new()
            };
            let four = if starts_phrase {
                format!("{} {} {} {}", lw, lower(i + 1), lower(i + 2), lower(i + 3))
            } else {
                String::new()
            };
            if four == "earlier in the day" || four == "later in the day" {
                i = push(i, i + 4, DateSense::Offset(0));
                continue;
            }
            match two.as_str() {
                "last night" => {
                    i = push(i, i + 2, DateSense::Offset(-1));
                    continue;
                }
                "this evening" | "this morning" | "this afternoon" | "earlier today" => {
                    i = push(i, i + 2, DateSense::Offset(0));
                    continue;
                }
                "last week" | "last month" | "last year" | "this week" | "this month"
                | "earlier this" | "next week" | "next month" | "years ago" | "months ago"
                | "weeks ago" | "days ago" => {
                    i = push(i, i + 2, DateSense::Vague);
                    continue;
                }
                _ => {}
            }
            if (lw == "the" || lw == "this" || lw == "last") && lower_is(i + 1, |l| l == "weekend")
            {
                i = push(i, i + 2, DateSense::Vague);
                continue;
            }
            match lw.as_ref() {
                "today" | "tonight" => {
                    i = push(i, i + 1, DateSense::Offset(0));
                    continue;
                }
                "yesterday" => {
                    i = push(i, i + 1, DateSense::Offset(-1));
                    continue;
                }
                _ => {}
            }
        }
        if t.kind == Kind::Number
            && i > from
            && lower_is(i - 1, |l| matches!(l, "in" | "since" | "until" | "of"))
            && number(w).is_some_and(|y| (1900..=2100).contains(&y))
        {
            // "in 2010": a year alone names no day.
            i = push(i - 1, i + 1, DateSense::Vague);
            continue;
        }
        if t.kind == Kind::Number {
            // "2004-05-24", "17 June 2013".
            if let Some(d) = parse_iso(w) {
                i = push(
                    i,
                    i + 1,
                    DateSense::MonthDay(d.month(), d.day(), Some(d.year())),
                );
                continue;
            }
            if let (Some(d), Some(m)) = (
                number(w).filter(|d| (1..=31).contains(d)),
                month_number(word(i + 1)),
            ) && word(i + 1).chars().next().is_some_and(char::is_uppercase)
            {
                let year = number(word(i + 2))
                    .filter(|y| (1900..=2100).contains(y))
                    .map(|y| y as i32);
                let end = if year.is_some() { i + 3 } else { i + 2 };
                i = push(i, end, DateSense::MonthDay(m, d, year));
                continue;
            }
        }
        i += 1;
    }
    out
}

fn parse_iso(w: &str) -> Option<NaiveDate> {
    let mut parts = w.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Resolves a phrase against `anchor`. `future` says the sentence speaks of what is to come.
pub fn resolve(sense: DateSense, anchor: Option<NaiveDate>, future: bool) -> Option<NaiveDate> {
    match sense {
        DateSense::MonthDay(m, d, Some(y)) => NaiveDate::from_ymd_opt(y, m, d),
        DateSense::MonthDay(m, d, None) => {
            let anchor = anchor?;
            let date = NaiveDate::from_ymd_opt(anchor.year(), m, d)?;
            if !future
                && anchor
                    .checked_add_signed(Duration::days(31))
                    .is_some_and(|limit| date > limit)
            {
                NaiveDate::from_ymd_opt(anchor.year() - 1, m, d)
            } else {
                Some(date)
            }
        }
        DateSense::Weekday(wd) => {
            let anchor = anchor?;
            let diff = (anchor.weekday().num_days_from_monday() as i64
                - wd.num_days_from_monday() as i64)
                .rem_euclid(7);
            if future && diff != 0 {
                anchor.checked_add_signed(Duration::days(7 - diff))
            } else {
                anchor.checked_sub_signed(Duration::days(diff))
            }
        }
        DateSense::Offset(n) => anchor.and_then(|a| a.checked_add_signed(Duration::days(n))),
        DateSense::Vague => None,
    }
}

/// The first full date (with a year) in `s`: "November 11, 2020", "Nov. 20, 2019", "17 June 2013",
/// "2004-05-24".
pub fn full_date_in(s: &str) -> Option<NaiveDate> {
    // Every full date has a number token (its day or year), and number tokens begin with an ASCII
    // digit: most headings and furniture lines the header asks about have none, and are not
    // tokenized.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut toks = Vec::new();
    super::tokens::tokenize(s, 0, s.len(), &mut toks);
    find(s, &s.to_ascii_lowercase(), &toks, 0, toks.len())
        .into_iter()
        .find_map(|p| match p.sense {
            DateSense::MonthDay(_, _, Some(_)) => resolve(p.sense, None, false),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, anchor: &str, expected: &[(&str, Option<&str>)]) {
        let mut toks = Vec::new();
        super::super::tokens::tokenize(input, 0, input.len(), &mut toks);
        let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
        let got: Vec<(String, Option<String>)> =
            find(input, &input.to_ascii_lowercase(), &toks, 0, toks.len())
                .into_iter()
                .map(|p| {
                    (
                        input[p.start..p.end].to_string(),
                        resolve(p.sense, anchor, false).map(|d| d.to_string()),
                    )
                })
                .collect();
        let want: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.map(str::to_string)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_weekday_is_the_latest_one_on_or_before_the_reference_date() {
        check(
            "They met on Wednesday.",
            "2020-11-11",
            &[("on Wednesday", Some("2020-11-11"))],
        );
        check(
            "They met on Tuesday morning.",
            "2020-11-11",
            &[("on Tuesday morning", Some("2020-11-10"))],
        );
    }

    #[test]
    fn relative_days_resolve_against_the_anchor() {
        check(
            "He arrived yesterday and left today.",
            "1987-03-03",
            &[
                ("yesterday", Some("1987-03-02")),
                ("today", Some("1987-03-03")),
            ],
        );
        check(
            "Earlier in the day, they met.",
            "2020-11-11",
            &[("Earlier in the day", Some("2020-11-11"))],
        );
    }

    #[test]
    fn month_and_day_take_the_year_of_the_anchor() {
        check(
            "talks on March 11 and Nov. 20, 2019",
            "1987-03-12",
            &[
                ("March 11", Some("1987-03-11")),
                ("Nov. 20, 2019", Some("2019-11-20")),
            ],
        );
    }

    #[test]
    fn a_weekday_before_an_explicit_date_gives_way_to_it() {
        check(
            "in Hanoi Wednesday, Nov. 20, 2019.",
            "2019-11-25",
            &[("Nov. 20, 2019", Some("2019-11-20"))],
        );
    }

    #[test]
    fn vague_periods_have_no_day() {
        check("They met last week.", "2019-11-25", &[("last week", None)]);
    }

    #[test]
    fn full_dates_are_found_in_captions() {
        assert_eq!(
            full_date_in("meet in Islamabad on November 11, 2020. (Photo by IRNA)"),
            NaiveDate::from_ymd_opt(2020, 11, 11)
        );
        assert_eq!(
            full_date_in("Updated: 2004-05-24 22:21"),
            NaiveDate::from_ymd_opt(2004, 5, 24)
        );
    }
}

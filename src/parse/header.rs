//! Header pass: reads what stands before and around the story proper: the glued category line
//! ("Asia-PacificIranMiddle East" -> "Asia-Pacific", "Iran", "Middle East"), the title, the dateline
//! ("WASHINGTON, March 11 -", "HANOI, Vietnam (AP) —", "MUNICH Major powers ...") with its city and
//! day, and a dated photo caption that fixes the reference date when no publication date is given.
//! Relies on the blocks of the text pass.

use super::dates;
use super::text::{Block, BlockKind};
use chrono::NaiveDate;

/// What the header pass found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub categories: Vec<String>,
    /// Index of the block holding the category line, if any.
    pub category_block: Option<usize>,
    pub title: Option<String>,
    pub dateline_place: Option<String>,
    /// Month and day of the dateline ("March 11").
    pub dateline_day: Option<(u32, u32)>,
    /// Byte offset where the story text begins after the dateline.
    pub dateline_end: Option<usize>,
    /// A full date read from a caption or heading, for articles without a publication date.
    pub caption_date: Option<NaiveDate>,
    /// The dateline's full date, where it gives the year ("OSLO, March 11, 1987 -").
    pub dateline_date: Option<NaiveDate>,
}

/// Splits a glued category line at each lower-to-upper case change; None unless it is one.
pub fn split_categories(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    if line.len() > 200 || line.ends_with('.') || line.contains(": ") {
        return None;
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    for c in line.chars() {
        if c.is_uppercase() && prev.is_some_and(|p| p.is_lowercase()) {
            parts.push(std::mem::take(&mut current));
        }
        current.push(c);
        prev = Some(c);
    }
    parts.push(current);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() >= 3).then_some(parts)
}

/// Title-cases an upper-case dateline city: "BUENOS AIRES" -> "Buenos Aires".
fn city_case(s: &str) -> String {
    if s.chars().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let mut out = String::new();
            for (i, c) in w.chars().enumerate() {
                if i == 0 {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A dateline's city, its month and day if given, and how many bytes of the text it takes.
pub type Dateline = (String, Option<(u32, u32)>, usize);

/// Reads a dateline at the start of `body`: (city, month/day, bytes consumed).
pub fn dateline(body: &str) -> Option<Dateline> {
    // The city: upper-case words ("LOS ANGELES", "BAKU/YEREVAN"), or capitalised words before " : ".
    let mut end = 0;
    for (i, c) in body.char_indices() {
        if c.is_uppercase() || c == ' ' || c == '/' || c == '.' || c == '-' || c == '\'' {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let mut city = body[..end]
        .trim_end()
        .trim_end_matches(['-', '.'])
        .trim_end();
    // Drop a last capital letter that begins the next word ("MUNICH M" of "MUNICH Major").
    if end < body.len() && body[end..].starts_with(|c: char| c.is_lowercase()) {
        if let Some(sp) = city.rfind(' ') {
            city = city[..sp].trim_end();
        } else {
            city = "";
        }
    }
    // Stop at the first word with a dot: "AMMAN U.S. Secretary" -> "AMMAN".
    if let Some(dot_word) = city.split(' ').position(|w| w.contains('.')) {
        let keep: Vec<&str> = city.split(' ').take(dot_word).collect();
        city = &city[..keep.join(" ").len()];
    }
    let city = city.trim_end();
    let letters = city.chars().filter(|c| c.is_alphabetic()).count();
    if crate::lexicon::countries()
        .lookup(&city_case(city))
        .is_some_and(|(_, f)| f != crate::lexicon::CountryForm::Capital)
    {
        return None;
    }
    let mut rest_at = city.len();
    if letters < 3 {
        // "Port Vila : Vanuatu's ..."
        let colon = body.find(" : ")?;
        let head = &body[..colon];
        if colon > 40
            || !head
                .split(' ')
                .all(|w| w.starts_with(|c: char| c.is_uppercase()))
        {
            return None;
        }
        return Some((head.to_string(), None, colon + 3));
    }
    let first_city = city.split('/').next().unwrap_or(city).trim();
    let mut rest = &body[rest_at..];
    // ", Vietnam", ", Germany" and the like; ", March 11".
    let mut day = None;
    if let Some(r) = rest.strip_prefix(", ") {
        let word_end = r.find([' ', ',', '(']).unwrap_or(r.len());
        let word = &r[..word_end];
        if let Some(m) = dates::month_number(word) {
            let after = r[word_end..].trim_start();
            let num_end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            if let Ok(d) = after[..num_end].parse::<u32>() {
                day = Some((m, d));
                rest_at = body.len() - after[num_end..].len();
                // "March 11, 1987 -": a year after the day.
                // "Nov. 6 , 2006 (Xinhua)": wire copy may set the comma apart.
                let tail = &after[num_end..];
                if let Some(y) = tail.trim_start().strip_prefix(',').map(str::trim_start) {
                    let y_end = y.find(|c: char| !c.is_ascii_digit()).unwrap_or(y.len());
                    if y_end == 4 {
                        rest_at = body.len() - y[y_end..].len();
                    }
                }
            }
        } else if word.starts_with(|c: char| c.is_uppercase()) {
            rest_at = body.len() - r[word_end..].len();
        }
        rest = &body[rest_at..];
    }
    let trimmed = rest.trim_start();
    let mut consumed = body.len() - trimmed.len();
    let mut t = trimmed;
    if t.starts_with('(')
        && let Some(close) = t.find(')').filter(|&c| c < 20)
    {
        t = t[close + 1..].trim_start();
        consumed = body.len() - t.len();
    }
    // "TOKYO, Nov. 6 , 2006 (Xinhua)" as a line of its own: the dateline is the whole paragraph.
    if t.is_empty() && day.is_some() {
        return Some((city_case(first_city), day, consumed));
    }
    for sep in ["—", "--", "-", "–", ":", "_"] {
        if let Some(r) = t.strip_prefix(sep) {
            let r2 = r.trim_start();
            return Some((city_case(first_city), day, body.len() - r2.len()));
        }
    }
    // "MUNICH Major powers began ...": a bare upper-case city followed by a capitalised word.
    if day.is_none()
        && t.starts_with(|c: char| c.is_uppercase())
        && consumed > 0
        && letters >= 4
        && !city.contains(['.', '-'])
    {
        return Some((city_case(first_city), None, consumed));
    }
    None
}

/// Runs the header pass over the blocks.
pub fn read(text: &str, blocks: &[Block]) -> Header {
    let mut h = Header::default();
    let first = blocks.iter().position(|b| b.kind != BlockKind::Boilerplate);
    if let Some(i) = first {
        let b = blocks[i];
        if b.kind == BlockKind::Heading
            && let Some(cats) = split_categories(&text[b.start..b.end])
        {
            h.categories = cats;
            h.category_block = Some(i);
        }
    }
    let first_body = blocks.iter().position(|b| b.kind == BlockKind::Body);
    h.title = blocks
        .iter()
        .enumerate()
        .take(first_body.unwrap_or(blocks.len()))
        .filter(|(i, b)| b.kind == BlockKind::Heading && Some(*i) != h.category_block)
        .map(|(_, b)| text[b.start..b.end].trim())
        .find(|t| t.split_whitespace().count() >= 3)
        .map(str::to_string);
    // The dateline opens the first body paragraph (or a short one just after the title).
    for b in blocks.iter().filter(|b| b.kind == BlockKind::Body).take(2) {
        if let Some((city, day, consumed)) = dateline(&text[b.start..b.end]) {
            h.dateline_date =
                day.and_then(|_| dates::full_date_in(&text[b.start..b.start + consumed]));
            h.dateline_place = Some(city);
            h.dateline_day = day;
            h.dateline_end = Some(b.start + consumed);
            break;
        }
    }
    // A full date in a caption, or in a heading-like line ("Updated: 2004-05-24").
    h.caption_date = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Caption)
        .chain(
            blocks
                .iter()
                .filter(|b| b.kind != BlockKind::Caption && b.kind != BlockKind::Body),
        )
        .find_map(|b| dates::full_date_in(&text[b.start..b.end]));
    h
}

/// The reference date: given, else the caption's date, else the dateline's day in the caption's year.
pub fn reference_date(
    h: &Header,
    given: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<&'static str>) {
    if given.is_some() {
        return (given, Some("given"));
    }
    if let Some(d) = h.caption_date {
        return (Some(d), Some("caption"));
    }
    if let Some(d) = h.dateline_date {
        return (Some(d), Some("dateline"));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Expected<'a> = Option<(&'a str, Option<(u32, u32)>, &'a str)>;

    fn check(input: &str, expected: Expected) {
        let got = dateline(input).map(|(c, d, n)| (c, d, input[n..].to_string()));
        let want = expected.map(|(c, d, r)| (c.to_string(), d, r.to_string()));
        assert_eq!(got, want);
    }

    #[test]
    fn wire_datelines_give_city_and_day() {
        check(
            "WASHINGTON, March 11 - Foreign Minister",
            Some(("Washington", Some((3, 11)), "Foreign Minister")),
        );
        check(
            "BUENOS AIRES, March 16 - West",
            Some(("Buenos Aires", Some((3, 16)), "West")),
        );
    }

    #[test]
    fn web_datelines_with_region_agency_or_nothing_are_read() {
        check(
            "HANOI, Vietnam (AP) — U.S. Defense",
            Some(("Hanoi", None, "U.S. Defense")),
        );
        check("BEIRUT — The latest", Some(("Beirut", None, "The latest")));
        check(
            "MUNICH Major powers began",
            Some(("Munich", None, "Major powers began")),
        );
        check(
            "LONDON/BERLIN German Chancellor",
            Some(("London", None, "German Chancellor")),
        );
        check(
            "Port Vila : Vanuatu's Prime Minister",
            Some(("Port Vila", None, "Vanuatu's Prime Minister")),
        );
    }

    #[test]
    fn ordinary_sentences_have_no_dateline() {
        check("U.S. Defense Secretary Mark Esper said", None);
        check("Arvid Kessler met Lena Moor.", None);
    }

    #[test]
    fn a_glued_category_line_is_split() {
        assert_eq!(
            split_categories("Asia-PacificNorlandMiddle EastPakistan"),
            Some(vec![
                "Asia-Pacific".into(),
                "Norland".into(),
                "Middle East".into(),
                "Pakistan".into()
            ])
        );
        assert_eq!(split_categories("Kessler meets McAllister"), None);
    }

    #[test]
    fn a_wire_dateline_on_a_line_of_its_own_is_read() {
        check(
            "TOKYO, Nov. 6 , 2006 (Xinhua)",
            Some(("Tokyo", Some((11, 6)), "")),
        );
        check(
            "NAIROBI, Kenya (AP) _ Secretary",
            Some(("Nairobi", None, "Secretary")),
        );
    }

    #[test]
    fn a_dateline_may_carry_its_year() {
        check(
            "OSLO, March 11, 1987 - Arvid Kessler",
            Some(("Oslo", Some((3, 11)), "Arvid Kessler")),
        );
    }
}

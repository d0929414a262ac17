//! People across the archive: matching each article's mention to one archive-wide person (with the
//! analyst's curation rules first, then `identity::decide`), and the curation commands themselves
//! (merge, rename, split, set-country, set-title) and the person registry's export and import.

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Archive, Result, StoreError};
use crate::model::Participant;
use crate::names;
use crate::store::identity::{self, Candidate, Decision, Mention, name_key, surname_key};

/// Everyone in the archive as the `people` view describes them, by name: what `parley people list`
/// streams.
pub const PEOPLE_LIST: &str = "SELECT participant_id, name, latest_title, latest_country, articles, meetings, quotes, first_seen, last_seen
   FROM people ORDER BY name, participant_id";

/// What storage writes for one mention once its person is known.
pub(crate) struct Resolved {
    pub participant_id: i64,
    /// The mention's name as stored: its [`names::clean`] form.
    pub name: String,
    pub rule: &'static str,
    pub note: Option<String>,
    pub title: Option<String>,
    pub country: Option<String>,
}

/// A mention kept apart because several people (or one, too weakly) could be meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmbiguousMention {
    pub article_id: i64,
    pub written_as: String,
    pub country: Option<String>,
    pub could_be: String,
}

/// Two people who may be one, with why they look alike and the command that would merge them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// The person with fewer mentions: the one a merge folds into the other.
    pub from_id: i64,
    pub from_name: String,
    pub into_id: i64,
    pub into_name: String,
    pub reason: String,
    pub command: String,
}

/// A person as [`Archive::suspects`] compares them.
struct Known {
    id: i64,
    name: String,
    key: String,
    country: Option<String>,
    mentions: i64,
}

/// Why two people may be one, if they look alike: the same name (in two countries), a name and a
/// form of it (a surname alone and a full name), or two spellings a letter or two apart.
fn likeness(a: &Known, b: &Known) -> Option<String> {
    if a.key == b.key {
        return Some(match (&a.country, &b.country) {
            (Some(x), Some(y)) if x != y => format!("same name in two countries ({x}, {y})"),
            _ => "same name".to_string(),
        });
    }
    if identity::relate(&a.name, &b.name) == identity::NameRelation::Form {
        let single = |k: &Known| identity::name_tokens(&k.name).len() == 1;
        return Some(if single(a) || single(b) {
            "surname only vs full name".to_string()
        } else {
            "one name is a form of the other".to_string()
        });
    }
    let distance = identity::edit_distance(&a.key, &b.key);
    let shorter = a.key.chars().count().min(b.key.chars().count());
    (shorter >= 6 && distance > 0 && distance <= 2 && distance * 6 <= shorter)
        .then(|| format!("spelling distance {distance}"))
}

/// What a curation rule does (migration V4's `curation_rules.action`). Typed, so that a registry
/// file naming another action is refused with the action and its line, not skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleAction {
    Alias,
    Split,
    SetCountry,
    SetTitle,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Alias => "alias",
            RuleAction::Split => "split",
            RuleAction::SetCountry => "set-country",
            RuleAction::SetTitle => "set-title",
        }
    }

    fn from_stored(action: &str) -> Option<RuleAction> {
        [
            RuleAction::Alias,
            RuleAction::Split,
            RuleAction::SetCountry,
            RuleAction::SetTitle,
        ]
        .into_iter()
        .find(|a| a.as_str() == action)
    }
}

/// One curation rule, as stored and as shared in a registry file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurationRule {
    pub action: RuleAction,
    pub name: String,
    /// For a split: the content hash of the article whose mention is someone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

/// A person as the registry file shares them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub name: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The shareable registry: people with their name forms, and the rules that made them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    pub people: Vec<PersonRecord>,
    pub rules: Vec<CurationRule>,
}

fn rule_value(conn: &Connection, action: &str, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT value FROM curation_rules WHERE action = ?1 AND name_key = ?2 AND article_id IS NULL ORDER BY id DESC LIMIT 1",
    )?
    .query_row(params![action, key], |r| r.get(0))
    .optional()
}

fn participant_by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM participants WHERE name_key = ?1 ORDER BY id LIMIT 1")?
        .query_row([key], |r| r.get(0))
        .optional()
}

fn insert_participant(
    conn: &Connection,
    name: &str,
    key: &str,
    surname: Option<&str>,
    country: Option<&str>,
    stamp: &str,
) -> rusqlite::Result<i64> {
    insert_person(conn, name, key, surname, country, None, stamp)
}

fn insert_person(
    conn: &Connection,
    name: &str,
    key: &str,
    surname: Option<&str>,
    country: Option<&str>,
    title: Option<&str>,
    stamp: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO participants (name, name_key, surname_key, country, title, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![name, key, surname, country, title, stamp])?;
    Ok(conn.last_insert_rowid())
}

/// Gives a person the mention's country if they had none, and its title as their latest office.
fn note_country_and_title(
    conn: &Connection,
    id: i64,
    country: Option<&str>,
    title: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE participants SET country = COALESCE(country, ?2), title = COALESCE(?3, title) WHERE id = ?1",
    )?
    .execute(params![id, country, title])?;
    Ok(())
}

/// The person a curated name stands for, created if no article has named them yet.
fn curated_person(conn: &Connection, name: &str, stamp: &str) -> rusqlite::Result<i64> {
    let key = name_key(name);
    match participant_by_key(conn, &key)? {
        Some(id) => Ok(id),
        None => insert_participant(conn, name, &key, surname_key(name).as_deref(), None, stamp),
    }
}

/// Whether the archive has any curation rule. Most have none, and knowing it once a batch saves
/// [`resolve`] four lookups per mention.
pub(crate) fn has_curation_rules(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM curation_rules)")?
        .query_row([], |r| r.get(0))
}

/// The people sharing each surname, as read during one batch's transaction and kept up to date by
/// [`resolve`] as it adds and changes people: a recurring surname is read from the file once a batch
/// instead of once a mention. Only valid while the transaction that filled it is open and nothing
/// it wrote has been rolled back.
pub(crate) type KnownPeople = RefCell<HashMap<String, Vec<Candidate>>>;

fn candidates_by_surname(conn: &Connection, surname: &str) -> rusqlite::Result<Vec<Candidate>> {
    conn.prepare_cached("SELECT id, name, country, title FROM participants WHERE surname_key = ?1")?
        .query_map([surname], candidate)?
        .collect()
}

/// A candidate from a row of `SELECT id, name, country, title FROM participants`.
fn candidate(r: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: r.get(0)?,
        name: r.get(1)?,
        country: r.get(2)?,
        title: r.get(3)?,
    })
}

/// People whose name starts with the same word as `key` (a name key) and who may be the same name
/// spelt another way: with those sharing its surname, the people a misspelt surname may stand for.
///
/// [`identity::decide_spelling`] accepts only names of as many words, all equal but one, that one a
/// few edits apart (at most two). Two keys of that kind differ in length by at most two characters,
/// so only keys of such a length are read: a common first name is shared by thousands of people in
/// a large archive, and reading (and comparing) all of them for every new person made import time
/// grow with the square of the archive. A name of two words whose surname is too short to be
/// [`identity::decide_spelling`]'s respelling (under six letters) reads nobody.
///
/// The people sharing the surname are asked separately, so the ones wanted here differ in the last
/// word: a respelling keeps its first or its last letter (one or two edits at both ends of a name,
/// "Kadhafy" of "Gaddafi", are left to `people suspects`), which the keys are sifted by on the
/// index before any row is read.
fn candidates_by_first_word(conn: &Connection, key: &str) -> rusqlite::Result<Vec<Candidate>> {
    let Some((first, rest)) = key.split_once(' ') else {
        return Ok(vec![]);
    };
    if !rest.contains(' ') && rest.chars().count() < 6 {
        return Ok(vec![]);
    }
    let surname = rest.rsplit(' ').next().unwrap_or(rest);
    let (Some(initial), Some(last_letter)) = (surname.chars().next(), surname.chars().last())
    else {
        return Ok(vec![]);
    };
    let length = key.chars().count() as i64;
    // A range on the name_key index: every key that starts with "first ", sifted on the key itself.
    conn.prepare_cached(
        "SELECT id, name, country, title FROM participants
          WHERE name_key >= ?1 || ' ' AND name_key < ?1 || '!' AND name_key NOT LIKE '%#%'
            AND length(name_key) BETWEEN ?2 - 2 AND ?2 + 2
            AND (substr(name_key, -1) = ?4 OR instr(name_key, ' ' || ?3) > 0)",
    )?
    .query_map(
        params![first, length, initial.to_string(), last_letter.to_string()],
        candidate,
    )?
    .collect()
}

/// Matches one mention of an article to its archive-wide person, creating the person if needed.
/// `curated` is [`has_curation_rules`], asked once for the whole batch; `known_people`, if given,
/// is the batch's [`KnownPeople`] (curation rules can change people in ways it does not follow, so
/// it is not used with them).
pub(crate) fn resolve(
    conn: &Connection,
    curated: bool,
    known_people: Option<&KnownPeople>,
    article_id: i64,
    person: &Participant,
    stamp: &str,
) -> rusqlite::Result<Resolved> {
    // The parser's name, with white space collapsed and honorifics and party labels taken off.
    let cleaned = Participant {
        name: names::clean(&person.name),
        ..person.clone()
    };
    let person = &cleaned;
    let key = name_key(&person.name);
    let country = person.country.as_deref().map(str::to_uppercase);
    let split: Option<i64> = if curated {
        conn.prepare_cached("SELECT id FROM curation_rules WHERE action = 'split' AND name_key = ?1 AND article_id = ?2")?
            .query_row(params![key, article_id], |r| r.get(0))
            .optional()?
    } else {
        None
    };
    let (participant_id, rule, note) = if let Some(rule_id) = split {
        // A person of their own: a key nobody else's name produces, and no surname to be found by.
        let own_key = format!("{key}#{rule_id}");
        let id = match participant_by_key(conn, &own_key)? {
            Some(id) => id,
            None => insert_participant(
                conn,
                &person.name,
                &own_key,
                None,
                country.as_deref(),
                stamp,
            )?,
        };
        note_country_and_title(conn, id, country.as_deref(), person.title.as_deref())?;
        (id, "curated-split", None)
    } else if let Some(target) = if curated {
        rule_value(conn, "alias", &key)?
    } else {
        None
    } {
        let id = curated_person(conn, &target, stamp)?;
        note_country_and_title(conn, id, country.as_deref(), person.title.as_deref())?;
        (id, "curated-alias", None)
    } else {
        let surname = surname_key(&person.name);
        let mut cached = known_people.map(RefCell::borrow_mut);
        let mut fetched = Vec::new();
        let candidates: &mut Vec<Candidate> = match (cached.as_deref_mut(), &surname) {
            (Some(by_surname), Some(key)) => match by_surname.entry(key.clone()) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => entry.insert(candidates_by_surname(conn, key)?),
            },
            (_, Some(key)) => {
                fetched = candidates_by_surname(conn, key)?;
                &mut fetched
            }
            (_, None) => &mut fetched,
        };
        let mention = Mention {
            name: &person.name,
            country: country.as_deref(),
            title: person.title.as_deref(),
        };
        let decision = identity::decide(mention, candidates);
        // Nobody fits: someone known under another spelling (of the surname too, so the people
        // sharing the first word are asked as well)?
        let spelt = match decision {
            Decision::New => {
                let mut pool = candidates_by_first_word(conn, &key)?;
                pool.extend(candidates.iter().cloned());
                identity::decide_spelling(mention, &pool)
            }
            _ => None,
        };
        match decision {
            Decision::Known { id, rule } => {
                let known = candidates.iter_mut().find(|c| c.id == id);
                let known_name = known.as_ref().map(|c| c.name.as_str()).unwrap_or_default();
                let fuller = identity::name_tokens(&person.name).len()
                    > identity::name_tokens(known_name).len();
                if fuller {
                    upgrade_name(conn, id, &person.name)?;
                }
                // The candidate row was read just now: write only what changes.
                let changes = known.as_ref().is_none_or(|c| {
                    (c.country.is_none() && country.is_some())
                        || (person.title.is_some() && c.title != person.title)
                });
                if changes {
                    note_country_and_title(conn, id, country.as_deref(), person.title.as_deref())?;
                }
                // Keep the batch's copy as the row now is.
                if let Some(c) = known {
                    if fuller {
                        c.name = person.name.clone();
                    }
                    c.country = c.country.take().or(country.clone());
                    c.title = person.title.clone().or(c.title.take());
                }
                (id, rule, None)
            }
            Decision::New if spelt.is_some() => (spelt.unwrap_or_default(), "spelling", None),
            decision => {
                let id = insert_person(
                    conn,
                    &person.name,
                    &key,
                    surname.as_deref(),
                    country.as_deref(),
                    person.title.as_deref(),
                    stamp,
                )?;
                candidates.push(Candidate {
                    id,
                    name: person.name.clone(),
                    country: country.clone(),
                    title: person.title.clone(),
                });
                match decision {
                    Decision::Ambiguous { candidates } => (
                        id,
                        "ambiguous",
                        Some(format!("could be: {}", candidates.join("; "))),
                    ),
                    _ => (id, "new", None),
                }
            }
        }
    };
    let mut alias_stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO participant_aliases (participant_id, alias_key, alias) VALUES (?1, ?2, ?3)",
    )?;
    for alias in std::iter::once(&person.name).chain(&person.aliases) {
        alias_stmt.execute(params![participant_id, name_key(alias), alias])?;
    }
    let (mut title, mut country) = (person.title.clone(), country);
    if curated {
        let canonical_key: String = conn
            .prepare_cached("SELECT name_key FROM participants WHERE id = ?1")?
            .query_row([participant_id], |r| r.get(0))?;
        country = rule_value(conn, "set-country", &canonical_key)?.or(country);
        title = rule_value(conn, "set-title", &canonical_key)?.or(title);
    }
    Ok(Resolved {
        participant_id,
        name: person.name.clone(),
        rule,
        note,
        title,
        country,
    })
}

/// A fuller form of a person's name becomes their name, unless an analyst chose the name.
fn upgrade_name(conn: &Connection, id: i64, fuller: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE participants SET name = ?2, name_key = ?3
          WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM curation_rules r WHERE r.action = 'alias' AND r.value = participants.name)",
    )?
    .execute(params![id, fuller, name_key(fuller)])?;
    Ok(())
}

impl Archive {
    fn people_err(&self, context: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        let context = context.to_string();
        move |e| StoreError::sql(&self.path, &context, e)
    }

    /// The one person a name (or any form of it seen in an article), or `#ID`, refers to.
    pub fn find_person(&self, name: &str) -> Result<(i64, String)> {
        if let Some(id) = name
            .trim()
            .strip_prefix('#')
            .and_then(|id| id.parse::<i64>().ok())
        {
            return self
                .conn
                .query_row(
                    "SELECT id, name FROM participants WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(self.people_err("cannot look up a person"))?
                .ok_or_else(|| StoreError::Person(format!("there is no person #{id}")));
        }
        let key = name_key(name);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT p.id, p.name FROM participants p
                  WHERE p.name_key = ?1
                     OR p.id IN (SELECT participant_id FROM participant_aliases WHERE alias_key = ?1)
                  ORDER BY p.id",
            )
            .map_err(self.people_err("cannot look up a person"))?;
        let found: Vec<(i64, String)> = stmt
            .query_map([&key], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.people_err("cannot look up a person"))?;
        match found.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::Person(format!(
                "nobody named {name:?} in the archive"
            ))),
            several => Err(StoreError::Person(format!(
                "{name:?} could be several people: {}; name one by its #ID (quoted, as in '#{}'), \
                 or use a fuller name",
                several
                    .iter()
                    .map(|(id, n)| format!("'#{id}' ({n})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                several[0].0
            ))),
        }
    }

    /// Runs one curation change in its own transaction: committed whole, or not at all.
    fn curate<T>(
        &mut self,
        context: &str,
        apply: impl FnOnce(&rusqlite::Transaction<'_>, &str) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let stamp = super::write::now();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| StoreError::sql(&path, "cannot start a transaction", e))?;
        let outcome = apply(&tx, &stamp).map_err(|e| StoreError::sql(&path, context, e))?;
        // Mentions may have moved between people: their counts follow.
        super::counts::recount_people(&tx)
            .map_err(|e| StoreError::sql(&path, "cannot count the people again", e))?;
        tx.commit()
            .map_err(|e| StoreError::sql(&path, "cannot commit", e))?;
        Ok(outcome)
    }

    /// Pairs of people who may be one: the same name (in two countries), a surname alone and a full
    /// name, a name and a fuller form of it, or two spellings a letter or two apart. Each comes with
    /// the `parley people merge` command that would make them one (the person with fewer mentions
    /// into the other). People an analyst split off are left out.
    pub fn suspects(&self) -> Result<Vec<Suspect>> {
        let read = || -> rusqlite::Result<Vec<Known>> {
            self.conn
                .prepare(
                    "SELECT p.id, p.name, p.name_key, p.country,
                            (SELECT count(*) FROM article_participants ap WHERE ap.participant_id = p.id)
                       FROM participants p WHERE p.name_key NOT LIKE '%#%' ORDER BY p.id",
                )?
                .query_map([], |r| {
                    Ok(Known {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        key: r.get(2)?,
                        country: r.get(3)?,
                        mentions: r.get(4)?,
                    })
                })?
                .collect()
        };
        let people = read().map_err(self.people_err("cannot read the people"))?;
        // Only people who share a surname, or the first letters of their key, are compared.
        let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, person) in people.iter().enumerate() {
            let prefix: String = person.key.chars().take(3).collect();
            blocks.entry(format!("k:{prefix}")).or_default().push(i);
            if let Some(surname) = surname_key(&person.name) {
                blocks.entry(format!("s:{surname}")).or_default().push(i);
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        let mut blocks: Vec<(String, Vec<usize>)> = blocks.into_iter().collect();
        blocks.sort();
        for (_, members) in blocks {
            for (n, &i) in members.iter().enumerate() {
                for &j in &members[n + 1..] {
                    let (a, b) = (&people[i], &people[j]);
                    if !seen.insert((a.id.min(b.id), a.id.max(b.id))) {
                        continue;
                    }
                    let Some(reason) = likeness(a, b) else {
                        continue;
                    };
                    let (from, into) = if (b.mentions, a.id) > (a.mentions, b.id) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    found.push(Suspect {
                        from_id: from.id,
                        from_name: from.name.clone(),
                        into_id: into.id,
                        into_name: into.name.clone(),
                        reason,
                        command: format!("parley people merge '#{}' '#{}'", from.id, into.id),
                    });
                }
            }
        }
        found.sort_by(|x, y| (&x.into_name, x.from_id).cmp(&(&y.into_name, y.from_id)));
        Ok(found)
    }

    /// Mentions kept apart because they could be several people.
    pub fn ambiguous_mentions(&self) -> Result<Vec<AmbiguousMention>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT article_id, name, country, COALESCE(match_note, '') FROM article_participants
                  WHERE match_rule = 'ambiguous' ORDER BY article_id, id",
            )
            .map_err(self.people_err("cannot list ambiguous people"))?;
        stmt.query_map([], |r| {
            Ok(AmbiguousMention {
                article_id: r.get(0)?,
                written_as: r.get(1)?,
                country: r.get(2)?,
                could_be: r.get(3)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.people_err("cannot list ambiguous people"))
    }

    /// Merges person `from` into person `into`: every name `from` was written as now means `into`,
    /// now and on every later import and reparse.
    pub fn merge_people(&mut self, from: &str, into: &str) -> Result<String> {
        let (from_id, _) = self.find_person(from)?;
        let (into_id, into_name) = self.find_person(into)?;
        if from_id == into_id {
            return Err(StoreError::Person(format!(
                "{from:?} and {into:?} are already the same person"
            )));
        }
        self.alias_person(from_id, &into_name, Some(into_id))?;
        Ok(into_name)
    }

    /// Renames a person: every name they were written as now means the new name.
    pub fn rename_person(&mut self, name: &str, new_name: &str) -> Result<()> {
        if name_key(new_name).is_empty() {
            return Err(StoreError::Person("the new name is empty".into()));
        }
        let (id, _) = self.find_person(name)?;
        self.alias_person(id, new_name.trim(), None)
    }

    /// Makes every name person `id` was written as mean `target`: the person `into` (a merge), or
    /// else whoever is named `target` (a rename, which may meet an existing person).
    fn alias_person(&mut self, id: i64, target: &str, into: Option<i64>) -> Result<()> {
        self.curate("cannot merge people", |tx, stamp| {
            let forms: Vec<String> = tx
                .prepare("SELECT DISTINCT name FROM article_participants WHERE participant_id = ?1 UNION SELECT name FROM participants WHERE id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // Corrections recorded under the old name follow the person to the new one.
            let old_key: String = tx.query_row(
                "SELECT name_key FROM participants WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE OR REPLACE curation_rules SET name_key = ?2
                  WHERE action IN ('set-country', 'set-title') AND name_key = ?1",
                params![old_key, name_key(target)],
            )?;
            let known = match into {
                Some(into) => Some(into),
                None => participant_by_key(tx, &name_key(target))?,
            };
            let target_id = match known {
                Some(existing) if existing != id => existing,
                Some(_) => {
                    // Renaming to a form of the same person: just the display name changes.
                    tx.execute(
                        "UPDATE participants SET name = ?2 WHERE id = ?1",
                        params![id, target],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        "UPDATE participants SET name = ?2, name_key = ?3, surname_key = ?4 WHERE id = ?1",
                        params![id, target, name_key(target), surname_key(target)],
                    )?;
                    id
                }
            };
            for form in &forms {
                let key = name_key(form);
                // On a merge, the target's own name is a rule too: two people who share a name
                // (told apart by a country) must stay one after `reparse`.
                if key != name_key(target) || target_id != id {
                    tx.execute(
                        "INSERT INTO curation_rules (action, name_key, value, created_at) VALUES ('alias', ?1, ?2, ?3)
                         ON CONFLICT DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
                        params![key, target, stamp],
                    )?;
                }
            }
            if target_id != id {
                tx.execute(
                    "UPDATE article_participants SET participant_id = ?2, match_rule = 'curated-alias', match_note = NULL
                      WHERE participant_id = ?1",
                    params![id, target_id],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO participant_aliases (participant_id, alias_key, alias)
                     SELECT ?2, alias_key, alias FROM participant_aliases WHERE participant_id = ?1",
                    params![id, target_id],
                )?;
                tx.execute("DELETE FROM participants WHERE id = ?1", [id])?;
            } else {
                tx.execute(
                    "UPDATE article_participants SET match_rule = 'curated-alias', match_note = NULL WHERE participant_id = ?1",
                    [id],
                )?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO participant_aliases (participant_id, alias_key, alias) VALUES (?1, ?2, ?3)",
                params![target_id, name_key(target), target],
            )?;
            Ok(())
        })
    }

    /// Declares that the person written as `name` in article `article_id` is someone else than the
    /// person they were matched to.
    pub fn split_person(&mut self, name: &str, article_id: i64) -> Result<i64> {
        let key = name_key(name);
        let outcome = self.curate("cannot split the person", |tx, stamp| {
            let mention: Option<(i64, String, Option<String>)> = tx
                .query_row(
                    "SELECT id, name, country FROM article_participants WHERE article_id = ?1 AND (name = ?2 OR lower(name) = lower(?2))",
                    params![article_id, name],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((mention_id, written, country)) = mention else {
                return Ok(None);
            };
            tx.execute(
                "INSERT OR IGNORE INTO curation_rules (action, name_key, article_id, created_at) VALUES ('split', ?1, ?2, ?3)",
                params![key, article_id, stamp],
            )?;
            let rule_id: i64 = tx.query_row(
                "SELECT id FROM curation_rules WHERE action = 'split' AND name_key = ?1 AND article_id = ?2",
                params![key, article_id],
                |r| r.get(0),
            )?;
            let own_key = format!("{key}#{rule_id}");
            let id = match participant_by_key(tx, &own_key)? {
                Some(id) => id,
                None => {
                    insert_participant(tx, &written, &own_key, None, country.as_deref(), stamp)?
                }
            };
            tx.execute(
                "UPDATE article_participants SET participant_id = ?2, match_rule = 'curated-split', match_note = NULL WHERE id = ?1",
                params![mention_id, id],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO participant_aliases (participant_id, alias_key, alias) VALUES (?1, ?2, ?3)",
                params![id, key, written],
            )?;
            tx.execute(
                "DELETE FROM participants WHERE NOT EXISTS (SELECT 1 FROM article_participants ap WHERE ap.participant_id = participants.id)
                   AND NOT EXISTS (SELECT 1 FROM curation_rules r WHERE r.action = 'alias' AND r.value = participants.name)",
                [],
            )?;
            Ok(Some(id))
        });
        outcome?.ok_or_else(|| {
            StoreError::Person(format!("article {article_id} names nobody {name:?}"))
        })
    }

    /// Records the country (`set-country`) or office (`set-title`) of a person for every mention.
    pub fn set_person_attribute(
        &mut self,
        name: &str,
        action: &str,
        value: &str,
    ) -> Result<String> {
        let (id, canonical) = self.find_person(name)?;
        let value = if action == "set-country" {
            value.trim().to_uppercase()
        } else {
            value.trim().to_string()
        };
        let column = match action {
            "set-country" => "country",
            "set-title" => "title",
            other => {
                return Err(StoreError::Person(format!(
                    "unknown curation action {other}"
                )));
            }
        };
        let outcome = self.curate("cannot record the correction", |tx, stamp| {
            tx.execute(
                "INSERT INTO curation_rules (action, name_key, value, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
                params![action, name_key(&canonical), value, stamp],
            )?;
            tx.execute(
                &format!("UPDATE participants SET {column} = ?2 WHERE id = ?1"),
                params![id, value],
            )?;
            tx.execute(
                &format!("UPDATE article_participants SET {column} = ?2 WHERE participant_id = ?1"),
                params![id, value],
            )?;
            Ok(())
        });
        outcome?;
        Ok(canonical)
    }

    /// The person registry: everyone with their name forms, and the curation rules.
    pub fn export_registry(&self) -> Result<Registry> {
        let read = || -> rusqlite::Result<Registry> {
            let mut people: Vec<PersonRecord> = self
                .conn
                .prepare("SELECT id, name, country, title FROM participants ORDER BY name, id")?
                .query_map([], |r| {
                    Ok((r.get::<_, i64>(0)?, PersonRecord { name: r.get(1)?, country: r.get(2)?, title: r.get(3)?, aliases: vec![] }))
                })?
                .map(|row| {
                    let (id, mut person) = row?;
                    person.aliases = self
                        .conn
                        .prepare_cached("SELECT alias FROM participant_aliases WHERE participant_id = ?1 ORDER BY alias")?
                        .query_map([id], |r| r.get::<_, String>(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()?
                        .into_iter()
                        .filter(|alias| alias != &person.name)
                        .collect();
                    Ok(person)
                })
                .collect::<rusqlite::Result<_>>()?;
            people.dedup();
            let rules = self
                .conn
                .prepare(
                    "SELECT r.action, r.name_key, a.content_hash, r.value FROM curation_rules r
                       LEFT JOIN articles a ON a.id = r.article_id ORDER BY r.id",
                )?
                .query_map([], |r| {
                    Ok(CurationRule {
                        action: {
                            let action: String = r.get(0)?;
                            RuleAction::from_stored(&action).ok_or_else(|| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    0,
                                    rusqlite::types::Type::Text,
                                    format!("unknown curation action {action:?}").into(),
                                )
                            })?
                        },
                        name: r.get(1)?,
                        article: r.get(2)?,
                        value: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Registry { people, rules })
        };
        read().map_err(self.people_err("cannot read the person registry"))
    }

    /// Takes another archive's registry: its name forms become alias rules (so the same people are one
    /// person here too), and its rules are added. Returns how many rules were added.
    pub fn import_registry(&mut self, registry: &Registry) -> Result<usize> {
        self.curate("cannot import the registry", |tx, stamp| {
            let mut added = 0;
            let mut add = |action: &str,
                           key: String,
                           article: Option<i64>,
                           value: Option<&str>|
             -> rusqlite::Result<()> {
                added += tx.execute(
                    "INSERT OR IGNORE INTO curation_rules (action, name_key, article_id, value, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![action, key, article, value, stamp],
                )?;
                Ok(())
            };
            for person in &registry.people {
                for alias in &person.aliases {
                    if name_key(alias) != name_key(&person.name) {
                        add("alias", name_key(alias), None, Some(&person.name))?;
                    }
                }
            }
            for rule in &registry.rules {
                let article = match &rule.article {
                    Some(hash) => {
                        let id: Option<i64> = tx
                            .query_row(
                                "SELECT id FROM articles WHERE content_hash = ?1",
                                [hash],
                                |r| r.get(0),
                            )
                            .optional()?;
                        match id {
                            Some(id) => Some(id),
                            None => continue,
                        }
                    }
                    None => None,
                };
                add(
                    rule.action.as_str(),
                    name_key(&rule.name),
                    article,
                    rule.value.as_deref(),
                )?;
            }
            Ok(added)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::store::ImportedArticle;
    use crate::store::test_support::article;

    fn person(name: &str, title: Option<&str>, country: Option<&str>) -> Participant {
        Participant {
            name: name.into(),
            title: title.map(String::from),
            country: country.map(String::from),
            aliases: vec![],
            span: Span::new(0, 1),
            rule: String::new(),
        }
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        archive: Archive,
    }

    fn archive_with(articles: Vec<ImportedArticle>) -> Result<Fixture> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("people.db"))?;
        for outcome in archive.store_batch(&articles)? {
            outcome?;
        }
        Ok(Fixture { _dir: dir, archive })
    }

    fn people(archive: &Archive) -> Vec<(String, Option<String>)> {
        let mut stmt = archive
            .conn
            .prepare("SELECT name, country FROM participants ORDER BY name, country")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    fn rules(archive: &Archive) -> Vec<String> {
        let mut stmt = archive
            .conn
            .prepare("SELECT match_rule FROM article_participants ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn a_short_form_in_a_later_article_is_the_same_person() -> Result<()> {
        let f = archive_with(vec![
            article(
                "one",
                vec![person(
                    "Arvid Kessler",
                    Some("Foreign Minister"),
                    Some("NOR"),
                )],
            ),
            article("two", vec![person("Kessler", None, Some("NOR"))]),
            article("three", vec![person("Arvid J. Kessler", None, None)]),
        ])?;
        assert_eq!(
            people(&f.archive),
            vec![("Arvid J. Kessler".into(), Some("NOR".into()))]
        );
        assert_eq!(rules(&f.archive), ["new", "surname-country", "name-form"]);
        Ok(())
    }

    #[test]
    fn namesakes_from_different_countries_and_offices_stay_apart() -> Result<()> {
        let f = archive_with(vec![
            article(
                "one",
                vec![person(
                    "Arvid Kessler",
                    Some("Foreign Minister"),
                    Some("NOR"),
                )],
            ),
            article(
                "two",
                vec![person("Arvid Kessler", Some("Ambassador"), Some("SWE"))],
            ),
        ])?;
        assert_eq!(people(&f.archive).len(), 2);
        Ok(())
    }

    fn dated(text: &str, day: &str, people: Vec<Participant>) -> ImportedArticle {
        let mut item = article(text, people);
        item.parsed.article.published = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
        item
    }

    #[test]
    fn a_persons_country_is_the_weight_of_evidence_and_their_title_the_latest_office() -> Result<()>
    {
        let minister = |country| person("Arvid Kessler", Some("Foreign Minister"), Some(country));
        let articles = vec![
            dated("one", "2001-01-01", vec![minister("NOR")]),
            dated("two", "2002-01-01", vec![minister("NOR")]),
            dated(
                "three",
                "2003-01-01",
                vec![person("Arvid Kessler", Some("Prime Minister"), Some("NOR"))],
            ),
            // One odd mention, imported last, dated in between.
            dated(
                "four",
                "2002-06-01",
                vec![person("Arvid Kessler", None, Some("RUS"))],
            ),
        ];
        let standing = |f: &Fixture| -> (Option<String>, Option<String>) {
            f.archive
                .conn
                .query_row("SELECT country, title FROM participants", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap()
        };
        let expected = (Some("NOR".to_string()), Some("Prime Minister".to_string()));
        let f = archive_with(articles.clone())?;
        assert_eq!(people(&f.archive).len(), 1);
        assert_eq!(standing(&f), expected);
        let view: (Option<String>, Option<String>) = f
            .archive
            .conn
            .query_row("SELECT latest_country, latest_title FROM people", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(view, expected, "the view and the row say the same");
        // Another import order, one article a batch, the same person.
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("again.db"))?;
        for item in articles.into_iter().rev() {
            archive.store_batch(&[item])?;
        }
        let again = Fixture { _dir: dir, archive };
        assert_eq!(standing(&again), expected);
        Ok(())
    }

    #[test]
    fn names_are_stored_clean_and_accents_do_not_split_a_person() -> Result<()> {
        let f = archive_with(vec![
            article(
                "one",
                vec![person("Conservative Lars\nMøller", None, Some("DNK"))],
            ),
            article("two", vec![person("Lars Moller", None, None)]),
        ])?;
        assert_eq!(
            people(&f.archive),
            vec![("Lars Møller".into(), Some("DNK".into()))]
        );
        Ok(())
    }

    #[test]
    fn a_surname_that_fits_two_people_is_listed_as_ambiguous() -> Result<()> {
        let f = archive_with(vec![
            article(
                "one",
                vec![
                    person("Imran Malik", None, Some("PAK")),
                    person("Sara Malik", None, Some("PAK")),
                ],
            ),
            article("two", vec![person("Malik", None, Some("PAK"))]),
        ])?;
        // A surname alone that two known people share is kept apart until someone decides.
        let ambiguous = f.archive.ambiguous_mentions()?;
        assert_eq!(ambiguous.len(), 1);
        assert_eq!(ambiguous[0].written_as, "Malik");
        assert_eq!(ambiguous[0].could_be, "could be: Imran Malik; Sara Malik");
        assert_eq!(people(&f.archive).len(), 3);
        Ok(())
    }

    #[test]
    fn a_merge_is_applied_now_and_to_later_imports() -> Result<()> {
        let mut f = archive_with(vec![
            article("one", vec![person("Arvid Kessler", None, Some("NOR"))]),
            article("two", vec![person("A. K. Kessler-Berg", None, Some("NOR"))]),
        ])?;
        assert_eq!(people(&f.archive).len(), 2);
        f.archive
            .merge_people("A. K. Kessler-Berg", "Arvid Kessler")?;
        assert_eq!(
            people(&f.archive),
            vec![("Arvid Kessler".into(), Some("NOR".into()))]
        );
        f.archive.store_batch(&[article(
            "three",
            vec![person("A. K. Kessler-Berg", None, None)],
        )])?;
        assert_eq!(people(&f.archive).len(), 1);
        assert_eq!(rules(&f.archive).last().unwrap(), "curated-alias");
        Ok(())
    }

    #[test]
    fn curation_survives_replacing_an_articles_rows() -> Result<()> {
        let mut f = archive_with(vec![
            article("one", vec![person("Arvid Kessler", None, Some("NOR"))]),
            article("two", vec![person("Arvid Kessler", None, Some("NOR"))]),
        ])?;
        f.archive.split_person("Arvid Kessler", 2)?;
        assert!(
            f.archive.find_person("Arvid Kessler").is_err(),
            "two people now share the name"
        );
        f.archive.set_person_attribute("#1", "set-title", "Envoy")?;
        f.archive.rename_person("#1", "Arvid Kessler Sr")?;
        let before = people(&f.archive);
        assert_eq!(before.len(), 2);
        let reparsed = vec![
            (
                1,
                article("one", vec![person("Arvid Kessler", None, Some("NOR"))]).parsed,
            ),
            (
                2,
                article("two", vec![person("Arvid Kessler", None, Some("NOR"))]).parsed,
            ),
        ];
        f.archive.replace_derived(&reparsed)?;
        f.archive.remove_orphan_participants()?;
        assert_eq!(people(&f.archive), before);
        let title: Option<String> = f
            .archive
            .conn
            .query_row(
                "SELECT title FROM article_participants WHERE article_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(title.as_deref(), Some("Envoy"));
        Ok(())
    }

    #[test]
    fn a_registry_moves_name_forms_between_archives() -> Result<()> {
        let mut first = archive_with(vec![
            article("one", vec![person("Arvid Kessler", None, Some("NOR"))]),
            article("two", vec![person("Kessler-Berg", None, None)]),
        ])?;
        first
            .archive
            .merge_people("Kessler-Berg", "Arvid Kessler")?;
        let registry = first.archive.export_registry()?;
        let mut second = archive_with(vec![])?;
        assert!(second.archive.import_registry(&registry)? >= 1);
        second.archive.store_batch(&[
            article("one", vec![person("Arvid Kessler", None, Some("NOR"))]),
            article("two", vec![person("Kessler-Berg", None, None)]),
        ])?;
        assert_eq!(
            people(&second.archive),
            vec![("Arvid Kessler".into(), Some("NOR".into()))]
        );
        Ok(())
    }
}

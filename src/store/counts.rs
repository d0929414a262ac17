//! What people's rows add up to, kept in step with the rows: `person_counts` (held meetings and
//! quotes, migration V6) and each person's country and office (`person_standing`, migration V8),
//! all read from V8's `person_contributions` and `person_standing` views so that the figures have one
//! definition. Also keeps the stored name keys in step with the name normaliser ([`crate::names`]).
//! Also keeps the ranking reports' per-person summaries (`person_summaries`, `person_counterparts`,
//! migration V10), summed from V8's `person_contributions` and V10's `counterpart_contributions`.
//! Storage's writers (`write`) and curation (`people`) both call in here; this module calls neither.

use rusqlite::{Connection, OptionalExtension, params};

use super::identity::{name_key, surname_key};

/// What the articles `?1` (a JSON array of ids) add to each of their people's counts: the sum of
/// their mentions' `person_contributions`.
const CONTRIBUTIONS: &str = "
SELECT participant_id AS id, sum(held_meetings) AS held, sum(quotes) AS quoted
  FROM person_contributions
 WHERE article_id IN (SELECT value FROM json_each(?1))
 GROUP BY participant_id";

/// Every person's counts from the rows they count, as `(id, held_meetings, quotes)`, people whose
/// mentions count for nothing left out. `parley check` compares person_counts with it.
pub(crate) const PERSON_COUNTS: &str = "
SELECT participant_id AS id, sum(held_meetings) AS held_meetings, sum(quotes) AS quotes
  FROM person_contributions
 GROUP BY participant_id
HAVING sum(held_meetings) > 0 OR sum(quotes) > 0";

/// Adds the articles' contributions to their people's counts (`add`), or takes them away.
pub(crate) fn count_for_people(
    conn: &Connection,
    id_list: &str,
    add: bool,
) -> rusqlite::Result<()> {
    let sql = if add {
        // People whose mentions count for nothing get no row, as before any was counted. (A
        // WHERE clause is also what lets SQLite read ON CONFLICT as the INSERT's, not a join's.)
        format!(
            "INSERT INTO person_counts (participant_id, held_meetings, quotes)
             SELECT id, held, quoted FROM ({CONTRIBUTIONS}) WHERE held > 0 OR quoted > 0
             ON CONFLICT (participant_id) DO UPDATE
                SET held_meetings = held_meetings + excluded.held_meetings,
                    quotes = quotes + excluded.quotes"
        )
    } else {
        format!(
            "UPDATE person_counts
                SET held_meetings = person_counts.held_meetings - gone.held,
                    quotes = person_counts.quotes - gone.quoted
               FROM ({CONTRIBUTIONS}) AS gone
              WHERE person_counts.participant_id = gone.id"
        )
    };
    conn.prepare_cached(&sql)?.execute([id_list])?;
    Ok(())
}

/// Sets the country and office of the people the articles `?1` (a JSON array of ids) mention to
/// what the evidence says (V8's `person_standing`), whatever order the articles came in: read from
/// what [`summarise`] keeps per person (their countries, their latest office), so that a batch reads
/// a few rows per person rather than all their mentions. `parley check` compares the result with
/// person_standing itself.
pub(crate) fn settle_standing(conn: &Connection, id_list: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE participants
            SET country = COALESCE((SELECT pc.country FROM person_countries pc
                                     WHERE pc.participant_id = participants.id
                                     ORDER BY pc.mentions DESC, pc.last_published DESC, pc.last_mention DESC
                                     LIMIT 1), participants.country),
                title = COALESCE((SELECT s.title FROM person_summaries s
                                   WHERE s.participant_id = participants.id), participants.title)
          WHERE participants.id IN (SELECT participant_id FROM article_participants
                                     WHERE article_id IN (SELECT value FROM json_each(?1)))",
    )?
    .execute([id_list])?;
    Ok(())
}

/// What the articles `?1` add to their people's summaries (`add`: mentions, first and last seen,
/// held meetings per pair of people), or take away from them (mentions and pairs only: a first or
/// last date cannot be taken away, [`refresh_summaries`] computes those again).
pub(crate) fn summarise(conn: &Connection, id_list: &str, add: bool) -> rusqlite::Result<()> {
    if add {
        conn.prepare_cached(
            "INSERT INTO person_summaries (participant_id, articles, first_seen, last_seen)
             SELECT participant_id, count(*), min(published), max(published)
               FROM person_contributions
              WHERE article_id IN (SELECT value FROM json_each(?1))
              GROUP BY participant_id
             ON CONFLICT (participant_id) DO UPDATE
                SET articles = articles + excluded.articles,
                    first_seen = COALESCE(min(first_seen, excluded.first_seen), first_seen, excluded.first_seen),
                    last_seen = COALESCE(max(last_seen, excluded.last_seen), last_seen, excluded.last_seen)",
        )?
        .execute([id_list])?;
        // Counterparts met for the first time (pairs not kept yet) add to the count, before the
        // pairs are added: counting a busy person's pairs again would read thousands of rows.
        conn.prepare_cached(
            "UPDATE person_summaries SET counterparts = counterparts + fresh.n
               FROM (SELECT participant_id AS id, count(*) AS n
                       FROM (SELECT DISTINCT participant_id, counterpart_id FROM counterpart_contributions
                              WHERE article_id IN (SELECT value FROM json_each(?1))) AS met
                      WHERE NOT EXISTS (SELECT 1 FROM person_counterparts pc
                                         WHERE pc.participant_id = met.participant_id
                                           AND pc.counterpart_id = met.counterpart_id)
                      GROUP BY participant_id) AS fresh
              WHERE person_summaries.participant_id = fresh.id",
        )?
        .execute([id_list])?;
        conn.prepare_cached(
            "INSERT INTO person_counterparts (participant_id, counterpart_id, meetings)
             SELECT participant_id, counterpart_id, count(*)
               FROM counterpart_contributions
              WHERE article_id IN (SELECT value FROM json_each(?1))
              GROUP BY participant_id, counterpart_id
             ON CONFLICT (participant_id, counterpart_id) DO UPDATE
                SET meetings = meetings + excluded.meetings",
        )?
        .execute([id_list])?;
        conn.prepare_cached(
            "INSERT INTO person_countries (participant_id, country, mentions, last_published, last_mention)
             SELECT ap.participant_id, ap.country, count(*), max(a.published), max(ap.id)
               FROM article_participants ap JOIN articles a ON a.id = ap.article_id
              WHERE ap.article_id IN (SELECT value FROM json_each(?1)) AND ap.country IS NOT NULL
              GROUP BY ap.participant_id, ap.country
             ON CONFLICT (participant_id, country) DO UPDATE
                SET mentions = mentions + excluded.mentions,
                    last_published = COALESCE(max(last_published, excluded.last_published),
                                              last_published, excluded.last_published),
                    last_mention = max(last_mention, excluded.last_mention)",
        )?
        .execute([id_list])?;
        // The batch's latest titled mention of each person replaces the kept one if it is later
        // in person_standing's order (publication date, NULL first, then mention id).
        conn.prepare_cached(
            "WITH titled AS (
                 SELECT ap.participant_id AS id, ap.title, a.published, ap.id AS mention,
                        row_number() OVER (PARTITION BY ap.participant_id
                                           ORDER BY a.published DESC, ap.id DESC) AS rank
                   FROM article_participants ap JOIN articles a ON a.id = ap.article_id
                  WHERE ap.article_id IN (SELECT value FROM json_each(?1)) AND ap.title IS NOT NULL)
             UPDATE person_summaries
                SET title = t.title, title_published = t.published, title_mention = t.mention
               FROM titled t
              WHERE t.rank = 1 AND t.id = person_summaries.participant_id
                AND (person_summaries.title_mention IS NULL
                     OR (t.published IS NOT NULL AND (person_summaries.title_published IS NULL
                                                      OR t.published > person_summaries.title_published))
                     OR (t.published IS person_summaries.title_published
                         AND t.mention > person_summaries.title_mention))",
        )?
        .execute([id_list])?;
    } else {
        conn.prepare_cached(
            "UPDATE person_summaries SET articles = person_summaries.articles - gone.n
               FROM (SELECT participant_id AS id, count(*) AS n FROM person_contributions
                      WHERE article_id IN (SELECT value FROM json_each(?1))
                      GROUP BY participant_id) AS gone
              WHERE person_summaries.participant_id = gone.id",
        )?
        .execute([id_list])?;
        conn.prepare_cached(
            "UPDATE person_counterparts SET meetings = person_counterparts.meetings - gone.n
               FROM (SELECT participant_id AS id, counterpart_id AS other, count(*) AS n
                       FROM counterpart_contributions
                      WHERE article_id IN (SELECT value FROM json_each(?1))
                      GROUP BY participant_id, counterpart_id) AS gone
              WHERE person_counterparts.participant_id = gone.id
                AND person_counterparts.counterpart_id = gone.other",
        )?
        .execute([id_list])?;
    }
    Ok(())
}

/// The people the articles `?1` mention, as a JSON array: whose summaries a change to those
/// articles touches. Read before the articles' rows are replaced.
pub(crate) fn people_of(conn: &Connection, id_list: &str) -> rusqlite::Result<String> {
    conn.prepare_cached(
        "SELECT json_group_array(DISTINCT participant_id) FROM article_participants
          WHERE article_id IN (SELECT value FROM json_each(?1))",
    )?
    .query_row([id_list], |r| r.get(0))
}

/// Settles the summaries of the people `?1` (a JSON array of ids) after some of their mentions were
/// taken away ([`summarise`] with `add` false) and others added: rows that sum to nothing go, and
/// first and last seen and the number of counterparts are computed again from their rows.
pub(crate) fn refresh_summaries(conn: &Connection, people: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM person_counterparts
          WHERE meetings = 0 AND participant_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([people])?;
    conn.prepare_cached(
        "DELETE FROM person_summaries
          WHERE articles = 0 AND participant_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([people])?;
    conn.prepare_cached(
        "UPDATE person_summaries
            SET first_seen = (SELECT min(c.published) FROM person_contributions c
                               WHERE c.participant_id = person_summaries.participant_id),
                last_seen = (SELECT max(c.published) FROM person_contributions c
                              WHERE c.participant_id = person_summaries.participant_id),
                counterparts = (SELECT count(*) FROM person_counterparts pc
                                 WHERE pc.participant_id = person_summaries.participant_id)
          WHERE participant_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([people])?;
    conn.prepare_cached(&format!(
        "{TITLES} WHERE participant_id IN (SELECT value FROM json_each(?1))"
    ))?
    .execute([people])?;
    conn.prepare_cached(
        "DELETE FROM person_countries WHERE participant_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([people])?;
    conn.prepare_cached(&format!(
        "{COUNTRIES} AND ap.participant_id IN (SELECT value FROM json_each(?1)) {COUNTRIES_GROUPED}"
    ))?
    .execute([people])?;
    Ok(())
}

/// Sets each summary's latest office from its person's rows (add a WHERE clause to choose whom).
const TITLES: &str = "
UPDATE person_summaries
   SET (title, title_published, title_mention) =
       (SELECT ap.title, a.published, ap.id FROM article_participants ap JOIN articles a ON a.id = ap.article_id
         WHERE ap.participant_id = person_summaries.participant_id AND ap.title IS NOT NULL
         ORDER BY a.published DESC, ap.id DESC LIMIT 1)";

/// Fills person_countries from the rows: this, a condition on `ap`, then [`COUNTRIES_GROUPED`].
const COUNTRIES: &str = "
INSERT INTO person_countries (participant_id, country, mentions, last_published, last_mention)
SELECT ap.participant_id, ap.country, count(*), max(a.published), max(ap.id)
  FROM article_participants ap JOIN articles a ON a.id = ap.article_id
 WHERE ap.country IS NOT NULL";
const COUNTRIES_GROUPED: &str = "GROUP BY ap.participant_id, ap.country";

/// Every person's pairs from the rows, as `(id, counterpart, meetings)`: what `person_counterparts`
/// must hold. `parley check` compares with it.
pub(crate) const PERSON_COUNTERPARTS: &str = "
SELECT participant_id AS id, counterpart_id AS other, count(*) AS meetings
  FROM counterpart_contributions
 GROUP BY participant_id, counterpart_id";

/// Every person's summary from the rows, as `(id, articles, first_seen, last_seen, counterparts)`:
/// what `person_summaries` must hold. `parley check` compares with it.
pub(crate) const PERSON_SUMMARIES: &str = "
SELECT c.participant_id AS id, count(*) AS articles, min(c.published) AS first_seen,
       max(c.published) AS last_seen,
       (SELECT count(DISTINCT o.counterpart_id) FROM counterpart_contributions o
         WHERE o.participant_id = c.participant_id) AS counterparts
  FROM person_contributions c
 GROUP BY c.participant_id";

/// Computes every summary again from the rows.
fn resummarise_everyone(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM person_counterparts", [])?;
    conn.execute("DELETE FROM person_summaries", [])?;
    conn.execute(
        &format!(
            "INSERT INTO person_counterparts (participant_id, counterpart_id, meetings) {PERSON_COUNTERPARTS}"
        ),
        [],
    )?;
    conn.execute(
        "INSERT INTO person_summaries (participant_id, articles, first_seen, last_seen, counterparts)
         SELECT c.participant_id, count(*), min(c.published), max(c.published),
                (SELECT count(*) FROM person_counterparts pc WHERE pc.participant_id = c.participant_id)
           FROM person_contributions c
          GROUP BY c.participant_id",
        [],
    )?;
    conn.execute(TITLES, [])?;
    conn.execute("DELETE FROM person_countries", [])?;
    conn.execute(&format!("{COUNTRIES} {COUNTRIES_GROUPED}"), [])?;
    Ok(())
}

/// Counts every person again, and settles everyone's country and office: after curation moves
/// mentions from one person to another, and at the end of `reparse`.
pub(crate) fn recount_people(conn: &Connection) -> rusqlite::Result<()> {
    resummarise_everyone(conn)?;
    conn.execute("DELETE FROM person_counts", [])?;
    conn.execute(
        &format!(
            "INSERT INTO person_counts (participant_id, held_meetings, quotes) {PERSON_COUNTS}"
        ),
        [],
    )?;
    conn.execute(
        "UPDATE participants
            SET country = COALESCE(s.country, participants.country),
                title = COALESCE(s.title, participants.title)
           FROM person_standing s
          WHERE s.participant_id = participants.id",
        [],
    )?;
    Ok(())
}

/// The version of [`crate::names`]' keys: raise it whenever the normaliser changes what key a
/// name has, and the stored keys are computed again on the next write.
pub(crate) const NAME_KEY_SCHEME: i64 = 1;

/// Computes the stored name keys again if an older normaliser wrote them (migration V8's
/// `name_key_scheme`). A key is computed again from the key itself: the normaliser only ever takes
/// away (case, marks, dots, honorifics), so the key of an old key is the key of the name.
pub(crate) fn rekey_if_stale(conn: &Connection) -> rusqlite::Result<()> {
    let version: Option<i64> = conn
        .prepare_cached("SELECT max(version) FROM name_key_scheme")?
        .query_row([], |r| r.get(0))
        .optional()?
        .flatten();
    if version == Some(NAME_KEY_SCHEME) {
        return Ok(());
    }
    let people: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, name, name_key FROM participants")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare(
        "UPDATE participants SET name_key = ?2, surname_key = CASE WHEN surname_key IS NULL THEN NULL ELSE ?3 END
          WHERE id = ?1",
    )?;
    for (id, name, key) in people {
        // A split person's key ends in `#rule`: it keeps that mark.
        let new_key = match key.split_once('#') {
            Some((base, rule)) => format!("{}#{rule}", name_key(base)),
            None => name_key(&key),
        };
        update.execute(params![id, new_key, surname_key(&name)])?;
    }
    let aliases: Vec<(i64, String, String)> = conn
        .prepare("SELECT participant_id, alias_key, alias FROM participant_aliases")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, old_key, alias) in aliases {
        let new_key = name_key(&alias);
        if new_key != old_key {
            conn.execute(
                "DELETE FROM participant_aliases WHERE participant_id = ?1 AND alias_key = ?2",
                params![id, old_key],
            )?;
            conn.execute(
                "INSERT OR IGNORE INTO participant_aliases (participant_id, alias_key, alias) VALUES (?1, ?2, ?3)",
                params![id, new_key, alias],
            )?;
        }
    }
    let rules: Vec<(i64, String)> = conn
        .prepare("SELECT id, name_key FROM curation_rules")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        conn.prepare("UPDATE OR IGNORE curation_rules SET name_key = ?2 WHERE id = ?1")?;
    for (id, key) in rules {
        update.execute(params![id, name_key(&key)])?;
    }
    conn.execute("DELETE FROM name_key_scheme", [])?;
    conn.execute(
        "INSERT INTO name_key_scheme (version) VALUES (?1)",
        [NAME_KEY_SCHEME],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::model::{Participant, Span};
    use crate::store::{Archive, ImportedArticle};

    fn article(text: &str, name: &str) -> ImportedArticle {
        crate::store::test_support::article(
            text,
            vec![Participant {
                name: name.into(),
                title: None,
                country: Some("FRA".into()),
                aliases: vec![],
                span: Span::new(0, 1),
                rule: String::new(),
            }],
        )
    }

    #[test]
    fn keys_an_older_normaliser_wrote_are_computed_again_on_the_next_write()
    -> crate::store::Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(&dir.path().join("a.db"))?;
        archive.store_batch(&[article("one", "François Hollande")])?;
        // As an archive written before V8 holds it: the accent in the key, no scheme recorded.
        archive
            .conn
            .execute_batch(
                "UPDATE participants SET name_key = 'françois hollande';
                 UPDATE participant_aliases SET alias_key = 'françois hollande';
                 DELETE FROM name_key_scheme;",
            )
            .unwrap();
        archive.store_batch(&[article("two", "Francois Hollande")])?;
        let (people, key): (i64, String) = archive
            .conn
            .query_row(
                "SELECT count(*), max(name_key) FROM participants",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((people, key.as_str()), (1, "francois hollande"));
        Ok(())
    }
}

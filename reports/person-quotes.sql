-- title: What a person said
-- description: Every quote attributed to a person (matched by any form of the name), newest first.
-- param: name  the person's name or a form of it, e.g. Qureshi
-- param: kind = direct  direct (quoted words) or reported (reported speech)
SELECT q.published        AS published,
       q.speaker          AS speaker,
       q.speaker_title    AS title,
       q.speaker_country  AS country,
       q.text             AS text,
       q.article_title    AS article,
       q.article_id       AS article_id
FROM quote_attributions q
WHERE q.kind = :kind
  AND q.quote_id IN (SELECT qq.id FROM quotes qq
                       JOIN article_participants ap ON ap.id = qq.article_participant_id
                      WHERE ap.participant_id IN (SELECT participant_id FROM participant_aliases
                                                   WHERE alias_key = lower(trim(:name))))
ORDER BY q.published DESC, q.quote_id;

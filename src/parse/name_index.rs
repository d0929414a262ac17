//! The index the people pass's merge step resolves names with: which person, if any, a newly read
//! name ("Kessler", "Arvid Kessler") belongs to. The answer prefers a person with exactly these
//! words (the first made), then the most recently mentioned person whose words contain these words
//! or are contained in them.
//!
//! Each lookup costs about the same however many people the article names (issue 13: comparing a
//! mention with every person sharing a word of its name made 16,000 sentences of "President X
//! Moreau met President Y Karimov" take minutes):
//! - an exact name is one map look-up;
//! - a person whose words contain the query's is found among the people of the query's rarest word,
//!   kept in order of last mention, scanning from the newest and at most [`SCAN`] of them;
//! - a person whose words are among the query's has, as a set, one of the query's word subsets: each
//!   subset (at most 2^[`MAX_SUBSET_WORDS`]) is one look-up in a map keyed by sorted word sets.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use super::people::Person;
use crate::lexicon::FastMap;

/// The most people scanned among those sharing the query's rarest word: far more than an article
/// names with one word in common, and a bound on the cost of an article written to defeat it.
const SCAN: usize = 64;

/// Queries with more distinct words than this look for contained names by scanning (bounded by
/// [`SCAN`]) rather than by enumerating word subsets: names are rarely this long.
const MAX_SUBSET_WORDS: usize = 6;

/// Names of up to this many words are looked up without allocating.
const STACK_WORDS: usize = 8;

/// The order in which people who fit a name are preferred: latest mention first, then lowest id.
type Recency = (usize, Reverse<usize>);

/// Finds people by the words of their names (see the module's documentation).
#[derive(Default)]
pub(super) struct NameIndex {
    /// Word ids, so that keys are short integer lists.
    ids: FastMap<String, u32>,
    /// People by the exact (folded) words of their current name, lowest id first.
    exact: FastMap<Vec<u32>, Vec<usize>>,
    /// People by the sorted set of their current name's words.
    by_set: FastMap<Vec<u32>, Vec<usize>>,
    /// For each word id, the people ever indexed under it, by [`Recency`].
    by_word: Vec<BTreeSet<Recency>>,
    /// For each person: the word ids they are indexed under (each once), and their current exact
    /// and set keys.
    indexed: Vec<Vec<u32>>,
    keys: Vec<(Vec<u32>, Vec<u32>)>,
    last_seen: Vec<usize>,
    clock: usize,
}

/// Whether one name's words are all among the other's, in either direction.
fn fits(query: &[String], person: &[String]) -> bool {
    query.iter().all(|w| person.contains(w)) || person.iter().all(|w| query.contains(w))
}

impl NameIndex {
    fn grow(&mut self, pid: usize) {
        if self.last_seen.len() <= pid {
            self.last_seen.resize(pid + 1, 0);
            self.indexed.resize_with(pid + 1, Vec::new);
            self.keys.resize_with(pid + 1, Default::default);
        }
    }

    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.by_word.len() as u32;
        self.ids.insert(word.to_string(), id);
        self.by_word.push(BTreeSet::new());
        id
    }

    /// Records that person `pid` is now named by `words` (a new person, or a fuller name).
    pub(super) fn add(&mut self, pid: usize, words: &[String]) {
        self.grow(pid);
        let exact: Vec<u32> = words.iter().map(|w| self.intern(w)).collect();
        let mut set = exact.clone();
        set.sort_unstable();
        set.dedup();
        let recency = (self.last_seen[pid], Reverse(pid));
        for &id in &set {
            if !self.indexed[pid].contains(&id) {
                self.indexed[pid].push(id);
                self.by_word[id as usize].insert(recency);
            }
        }
        let (old_exact, old_set) = std::mem::take(&mut self.keys[pid]);
        if old_exact != exact {
            remove_from(&mut self.exact, &old_exact, pid);
            let v = self.exact.entry(exact.clone()).or_default();
            let at = v.partition_point(|&p| p < pid);
            v.insert(at, pid);
        }
        if old_set != set {
            remove_from(&mut self.by_set, &old_set, pid);
            self.by_set.entry(set.clone()).or_default().push(pid);
        }
        self.keys[pid] = (exact, set);
    }

    /// Records a mention of person `pid`: they become the most recently seen.
    pub(super) fn touch(&mut self, pid: usize) {
        self.grow(pid);
        self.clock += 1;
        let old = (self.last_seen[pid], Reverse(pid));
        let new = (self.clock, Reverse(pid));
        for &id in &self.indexed[pid] {
            let people = &mut self.by_word[id as usize];
            people.remove(&old);
            people.insert(new);
        }
        self.last_seen[pid] = self.clock;
    }

    /// The person a name with these (folded) words belongs to, if any.
    pub(super) fn find(&self, persons: &[Person], words: &[String]) -> Option<usize> {
        // The ids of the known words, on the stack for names of up to [`STACK_WORDS`] words: this
        // runs for every name read.
        let mut stack = [0u32; STACK_WORDS];
        let mut heap = Vec::new();
        let buf: &mut [u32] = if words.len() <= STACK_WORDS {
            &mut stack
        } else {
            heap.resize(words.len(), 0);
            &mut heap
        };
        let mut known = 0;
        let mut all_known = true;
        for w in words {
            match self.ids.get(w.as_str()) {
                Some(&id) => {
                    buf[known] = id;
                    known += 1;
                }
                None => all_known = false,
            }
        }
        let ids = &mut buf[..known];
        if all_known
            && let Some(people) = self.exact.get(&*ids)
            && let Some(&p) = people.iter().find(|&&p| persons[p].words == words)
        {
            return Some(p);
        }
        let recency = |p: usize| (self.last_seen[p], Reverse(p));
        let mut best: Option<Recency> = None;
        let mut consider = |p: usize| {
            if fits(words, &persons[p].words) && best.is_none_or(|b| recency(p) > b) {
                best = Some(recency(p));
            }
        };
        // Every word of the query is known when some person's words contain them all. Among the
        // people of the rarest word, the first to fit (newest first) is the best of them.
        if all_known
            && let Some(rarest) = ids
                .iter()
                .min_by_key(|&&id| self.by_word[id as usize].len())
            && let Some(&(_, Reverse(p))) = self.by_word[*rarest as usize]
                .iter()
                .rev()
                .take(SCAN)
                .find(|&&(_, Reverse(p))| fits(words, &persons[p].words))
        {
            consider(p);
        }
        // People whose words are all among the query's.
        ids.sort_unstable();
        let mut distinct = 0;
        for k in 0..ids.len() {
            if k == 0 || ids[k] != ids[distinct - 1] {
                ids[distinct] = ids[k];
                distinct += 1;
            }
        }
        let set = &ids[..distinct];
        if set.len() <= MAX_SUBSET_WORDS {
            let mut buf = [0u32; MAX_SUBSET_WORDS];
            for mask in 1u32..(1 << set.len()) {
                let mut len = 0;
                for (i, &id) in set.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        buf[len] = id;
                        len += 1;
                    }
                }
                let subset: &[u32] = &buf[..len];
                if let Some(people) = self.by_set.get(subset) {
                    people.iter().for_each(|&p| consider(p));
                }
            }
        } else {
            for &id in set {
                self.by_word[id as usize]
                    .iter()
                    .rev()
                    .take(SCAN)
                    .for_each(|&(_, Reverse(p))| consider(p));
            }
        }
        best.map(|(_, Reverse(p))| p)
    }
}

/// Takes `pid` out of the list under `key`, dropping the list when it empties.
fn remove_from(map: &mut FastMap<Vec<u32>, Vec<usize>>, key: &[u32], pid: usize) {
    if key.is_empty() {
        return;
    }
    if let Some(v) = map.get_mut(key) {
        v.retain(|&p| p != pid);
        if v.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> Person {
        Person {
            name: name.to_string(),
            words: name.split(' ').map(str::to_lowercase).collect(),
            ..Person::default()
        }
    }

    fn words(name: &str) -> Vec<String> {
        name.split(' ').map(str::to_lowercase).collect()
    }

    /// An index over `names`, each mentioned once in order.
    fn index(names: &[&str]) -> (NameIndex, Vec<Person>) {
        let mut index = NameIndex::default();
        let persons: Vec<Person> = names.iter().map(|n| person(n)).collect();
        for (pid, p) in persons.iter().enumerate() {
            index.add(pid, &p.words);
            index.touch(pid);
        }
        (index, persons)
    }

    #[test]
    fn a_surname_goes_to_the_most_recently_mentioned_person_who_bears_it() {
        let (mut index, persons) = index(&["Arvid Kessler", "Lena Kessler", "Ona Vell"]);
        assert_eq!(index.find(&persons, &words("Kessler")), Some(1));
        index.touch(0);
        assert_eq!(index.find(&persons, &words("Kessler")), Some(0));
    }

    #[test]
    fn an_exact_name_wins_over_a_more_recent_fuller_one() {
        let (index, persons) = index(&["Kessler", "Arvid Kessler"]);
        assert_eq!(index.find(&persons, &words("Kessler")), Some(0));
    }

    #[test]
    fn a_fuller_name_joins_the_person_named_by_part_of_it() {
        let (index, persons) = index(&["Kessler", "Ona Vell"]);
        assert_eq!(index.find(&persons, &words("Arvid Kessler")), Some(0));
        assert_eq!(index.find(&persons, &words("Arvid Moor")), None);
    }

    #[test]
    fn a_person_whose_name_grew_is_found_by_the_new_name_only() {
        let (mut index, mut persons) = index(&["Kessler"]);
        persons[0] = person("Arvid Kessler");
        index.add(0, &persons[0].words);
        index.touch(0);
        assert_eq!(index.find(&persons, &words("Arvid Kessler")), Some(0));
        assert_eq!(index.find(&persons, &words("Arvid")), Some(0));
    }
}

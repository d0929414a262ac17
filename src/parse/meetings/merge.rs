//! Meetings, merge sub-pass: one record per encounter (the same people with the same status,
//! mentioned again), and the host's country for a participant who has none.

use super::super::people::People;
use super::Found;
use crate::lexicon;
use crate::model::MeetingStatus;

/// One record per encounter: the same people with the same status.
pub(super) fn merge(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut by_key: std::collections::HashMap<(Vec<usize>, &'static str), usize> =
        std::collections::HashMap::new();
    for f in found {
        let mut key = f.people.clone();
        key.sort_unstable();
        let key = (key, f.status.as_str());
        if let Some(o) = by_key.get(&key).map(|&i| &mut out[i]) {
            if o.place.is_none() {
                o.place = f.place;
            }
            if o.date.is_none() && f.date.is_some() {
                o.date = f.date;
                o.date_text = f.date_text;
            }
            continue;
        }
        by_key.insert(key, out.len());
        out.push(f);
    }
    out
}

/// The other party of a two-person meeting held in a visitor's host country takes the host's
/// country: "Zarif, in Islamabad, met X" makes X Pakistani. Only for two people: at a summit or a
/// ministerial in a city, the others are as likely officials of other countries or of the EU or UN.
/// Nor on neutral ground ("in Geneva"), where neither party need be the host's.
pub(super) fn host_countries(people: &mut People, meetings: &[Found]) {
    for m in meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held && m.people.len() == 2)
    {
        let Some(place) = m.place.as_ref().filter(|p| !lexicon::is_neutral_venue(p)) else {
            continue;
        };
        let Some(iso) = lexicon::place_country(place) else {
            continue;
        };
        let visitor = m.people.iter().any(|&p| {
            people.persons[p]
                .country
                .as_deref()
                .is_some_and(|x| x != iso)
        });
        if visitor {
            for &p in &m.people {
                if people.persons[p].country.is_none() {
                    people.persons[p].set_country(iso, 1);
                }
            }
        }
    }
}

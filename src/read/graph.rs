//! The meeting network: who met whom, as a graph for Gephi, networkx, Cytoscape (GraphML) or
//! Graphviz (DOT). People are nodes (name, country, office); each pair of people who took part in
//! the same held meeting is one edge weighted by how many meetings they shared, with the first and
//! last day. Reads the tables the `person_pairs` view reads, one row per meeting and pair, so that
//! the date filters apply to meetings, not to pairs; the other filters work on the pairs in memory.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{self, Write};

use rusqlite::Connection;

/// Which part of the network to draw.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only meetings on or after this day (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only meetings on or before this day.
    pub until: Option<String>,
    /// Only meetings where someone of one of these countries (ISO 3166-1 alpha-3) took part.
    pub countries: Vec<String>,
    /// Only the people within `depth` meetings of these people (participant ids), and the meetings
    /// among them.
    pub people: Vec<i64>,
    /// How far from `people` to go: 1 is whom they met, 2 adds whom those met, and so on.
    pub depth: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
    /// The latest title the person was seen with.
    pub office: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub source: i64,
    pub target: i64,
    /// Held meetings the two took part in together.
    pub meetings: i64,
    pub first_date: String,
    pub last_date: String,
}

/// Nodes sorted by id, edges by (source, target) with `source < target`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Reads the meeting network that `filter` selects.
pub fn read(conn: &Connection, filter: &Filter) -> rusqlite::Result<Graph> {
    // A meeting's day is its own date where the text fixes it, else the article's publication
    // date, as in the views.
    let mut stmt = conn.prepare(
        "SELECT x.participant_id, y.participant_id, count(DISTINCT m.id),
                min(COALESCE(m.date, a.published)), max(COALESCE(m.date, a.published))
           FROM meetings m
           JOIN articles a ON a.id = m.article_id
           JOIN meeting_participants mx ON mx.meeting_id = m.id
           JOIN article_participants x ON x.id = mx.article_participant_id
           JOIN meeting_participants my ON my.meeting_id = m.id
           JOIN article_participants y ON y.id = my.article_participant_id
          WHERE m.status = 'held' AND x.participant_id < y.participant_id
            AND (:since IS NULL OR COALESCE(m.date, a.published) >= :since)
            AND (:until IS NULL OR COALESCE(m.date, a.published) <= :until)
          GROUP BY x.participant_id, y.participant_id
          ORDER BY x.participant_id, y.participant_id",
    )?;
    let mut edges: Vec<Edge> = stmt
        .query_map(
            rusqlite::named_params! { ":since": filter.since, ":until": filter.until },
            |r| {
                Ok(Edge {
                    source: r.get(0)?,
                    target: r.get(1)?,
                    meetings: r.get(2)?,
                    first_date: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    last_date: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;

    let mut people = read_people(conn)?;
    if !filter.countries.is_empty() {
        let wanted: BTreeSet<String> = filter.countries.iter().map(|c| c.to_uppercase()).collect();
        let of_wanted = |id: &i64| {
            people
                .get(id)
                .and_then(|p| p.country.as_ref())
                .is_some_and(|c| wanted.contains(c))
        };
        edges.retain(|e| of_wanted(&e.source) || of_wanted(&e.target));
    }
    let mut keep: BTreeSet<i64> = edges.iter().flat_map(|e| [e.source, e.target]).collect();
    if !filter.people.is_empty() {
        let near = within(&edges, &filter.people, filter.depth);
        edges.retain(|e| near.contains(&e.source) && near.contains(&e.target));
        // The people asked for are drawn even when they met nobody in the period.
        keep = near;
    }
    people.retain(|id, _| keep.contains(id));
    Ok(Graph {
        nodes: people.into_values().collect(),
        edges,
    })
}

fn read_people(conn: &Connection) -> rusqlite::Result<BTreeMap<i64, Node>> {
    let mut stmt = conn.prepare("SELECT id, name, country, title FROM participants")?;
    stmt.query_map([], |r| {
        Ok(Node {
            id: r.get(0)?,
            name: r.get(1)?,
            country: r.get(2)?,
            office: r.get(3)?,
        })
    })?
    .map(|node| node.map(|n| (n.id, n)))
    .collect()
}

/// The people at most `depth` edges away from `start` (breadth first), `start` included.
fn within(edges: &[Edge], start: &[i64], depth: u32) -> BTreeSet<i64> {
    let mut neighbours: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for e in edges {
        neighbours.entry(e.source).or_default().push(e.target);
        neighbours.entry(e.target).or_default().push(e.source);
    }
    let mut seen: BTreeSet<i64> = start.iter().copied().collect();
    let mut queue: VecDeque<(i64, u32)> = start.iter().map(|&id| (id, 0)).collect();
    while let Some((id, dist)) = queue.pop_front() {
        if dist == depth {
            continue;
        }
        for &next in neighbours.get(&id).into_iter().flatten() {
            if seen.insert(next) {
                queue.push_back((next, dist + 1));
            }
        }
    }
    seen
}

impl Graph {
    /// GraphML (graphml.graphdrawing.org): node attributes `name`, `country`, `office`; edge
    /// attributes `weight` (= `meetings`, the name Gephi and networkx weigh by), `meetings`,
    /// `first_date`, `last_date`. Missing values are left out, as GraphML allows.
    pub fn write_graphml(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        )?;
        for (id, domain, ty) in [
            ("name", "node", "string"),
            ("country", "node", "string"),
            ("office", "node", "string"),
            ("weight", "edge", "double"),
            ("meetings", "edge", "int"),
            ("first_date", "edge", "string"),
            ("last_date", "edge", "string"),
        ] {
            writeln!(
                out,
                r#"  <key id="{id}" for="{domain}" attr.name="{id}" attr.type="{ty}"/>"#
            )?;
        }
        writeln!(out, r#"  <graph id="meetings" edgedefault="undirected">"#)?;
        for node in &self.nodes {
            writeln!(out, r#"    <node id="p{}">"#, node.id)?;
            writeln!(out, r#"      <data key="name">{}</data>"#, xml(&node.name))?;
            if let Some(country) = &node.country {
                writeln!(out, r#"      <data key="country">{}</data>"#, xml(country))?;
            }
            if let Some(office) = &node.office {
                writeln!(out, r#"      <data key="office">{}</data>"#, xml(office))?;
            }
            writeln!(out, "    </node>")?;
        }
        for edge in &self.edges {
            writeln!(
                out,
                r#"    <edge source="p{}" target="p{}">"#,
                edge.source, edge.target
            )?;
            writeln!(out, r#"      <data key="weight">{}</data>"#, edge.meetings)?;
            writeln!(
                out,
                r#"      <data key="meetings">{}</data>"#,
                edge.meetings
            )?;
            writeln!(
                out,
                r#"      <data key="first_date">{}</data>"#,
                xml(&edge.first_date)
            )?;
            writeln!(
                out,
                r#"      <data key="last_date">{}</data>"#,
                xml(&edge.last_date)
            )?;
            writeln!(out, "    </edge>")?;
        }
        writeln!(out, "  </graph>")?;
        writeln!(out, "</graphml>")
    }

    /// DOT for Graphviz: a box per person (name, office, country), filled with a colour per
    /// country; an edge per pair, labelled with the number of meetings when more than one, thicker
    /// the more they met, with the first and last day as its tooltip.
    pub fn write_dot(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "graph meetings {{")?;
        writeln!(out, "  layout=neato; overlap=false; splines=true;")?;
        writeln!(
            out,
            r#"  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];"#
        )?;
        writeln!(
            out,
            r##"  edge [fontname="Helvetica", fontsize=10, color="#555555"];"##
        )?;
        for node in &self.nodes {
            let mut label = node.name.clone();
            match (&node.office, &node.country) {
                (Some(office), Some(country)) => label.push_str(&format!("\n{office} ({country})")),
                (Some(office), None) => label.push_str(&format!("\n{office}")),
                (None, Some(country)) => label.push_str(&format!("\n({country})")),
                (None, None) => {}
            }
            writeln!(
                out,
                r#"  p{} [label="{}", fillcolor="{}"];"#,
                node.id,
                dot(&label),
                colour(node.country.as_deref())
            )?;
        }
        for edge in &self.edges {
            let label = if edge.meetings > 1 {
                format!(r#"label="{}", "#, edge.meetings)
            } else {
                String::new()
            };
            let span = if edge.first_date == edge.last_date {
                edge.first_date.clone()
            } else {
                format!("{} to {}", edge.first_date, edge.last_date)
            };
            writeln!(
                out,
                r#"  p{} -- p{} [{label}weight={}, penwidth={:.1}, tooltip="{}"];"#,
                edge.source,
                edge.target,
                edge.meetings,
                1.0 + (edge.meetings as f64).ln() * 1.5,
                dot(&span)
            )?;
        }
        writeln!(out, "}}")
    }
}

/// Text as XML character data or attribute value.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Text inside a DOT double-quoted string: quotes and backslashes escaped, a line break as `\n`.
fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A pale fill colour per country, the same on every run (a small hash into a fixed palette).
fn colour(country: Option<&str>) -> &'static str {
    const PALETTE: [&str; 10] = [
        "#fde2e4", "#e2ece9", "#dbe7f7", "#fff1c1", "#e8dff5", "#fce1c8", "#d8f3dc", "#f1e3d3",
        "#e0fbfc", "#f6d6f0",
    ];
    let Some(country) = country else {
        return "#eeeeee";
    };
    let hash = country
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    PALETTE[hash as usize % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(source: i64, target: i64) -> Edge {
        Edge {
            source,
            target,
            meetings: 1,
            first_date: "2024-01-01".into(),
            last_date: "2024-01-01".into(),
        }
    }

    #[test]
    fn depth_counts_meetings_away_from_the_person() {
        // 1 - 2 - 3 - 4, and 5 apart.
        let edges = [edge(1, 2), edge(2, 3), edge(3, 4)];
        assert_eq!(within(&edges, &[1], 0), BTreeSet::from([1]));
        assert_eq!(within(&edges, &[1], 1), BTreeSet::from([1, 2]));
        assert_eq!(within(&edges, &[1], 2), BTreeSet::from([1, 2, 3]));
        assert_eq!(within(&edges, &[5], 3), BTreeSet::from([5]));
    }

    #[test]
    fn names_are_escaped_for_xml_and_dot() {
        assert_eq!(xml("A & \"B\" <C>"), "A &amp; &quot;B&quot; &lt;C&gt;");
        assert_eq!(dot("say \"hi\"\\\nthere"), "say \\\"hi\\\"\\\\\\nthere");
    }

    #[test]
    fn an_empty_archive_is_an_empty_graph() -> rusqlite::Result<()> {
        let mut conn = Connection::open_in_memory()?;
        crate::store::migrations::runner().run(&mut conn).unwrap();
        assert_eq!(read(&conn, &Filter::default())?, Graph::default());
        Ok(())
    }
}

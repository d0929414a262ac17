use super::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

/// An archive of every example input (the README tour's), whose network is known:
/// Marchetti met Lindqvist twice (2024-03-12, 2024-06-04), and then Aasen and Errazabal; Wekesa
/// met Lindqvist, Errazabal and Asante-Boadu; Asante-Boadu met Aasen and Ferraz-Lobo; Ferraz-Lobo
/// met Errazabal; and Zarif met Khan and Qureshi.
fn examples_archive() -> Sandbox {
    let sb = Sandbox::new();
    let ex = Path::new(EXAMPLES);
    sb.import(&[
        &ex.join("zarif-islamabad.txt"),
        &ex.join("articles"),
        &ex.join("page.html"),
        &ex.join("article.txt"),
    ])
    .success();
    sb.ok(&["import", "--jsonl", ex.join("dump.jsonl").to_str().unwrap()]);
    sb
}

/// The people of a DOT graph (their labels' first lines), sorted, and its number of edges.
fn dot_summary(dot: &str) -> (Vec<String>, usize) {
    let mut people: Vec<String> = dot
        .lines()
        .filter_map(|l| l.split_once("[label=\"").map(|(_, rest)| rest))
        .filter(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
        .map(|rest| rest.split(['\\', '"']).next().unwrap().to_string())
        .collect();
    people.sort();
    let edges = dot.lines().filter(|l| l.contains(" -- ")).count();
    (people, edges)
}

#[test]
#[cfg_attr(
    no_networkx,
    ignore = "needs Python's networkx (pip install networkx; CI installs it)"
)]
fn networkx_reads_the_graphml_with_people_and_weighted_meetings() {
    let sb = examples_archive();
    let graphml = sb.ok(&["graph", "--format", "graphml"]);
    fs::write(sb.path("meetings.graphml"), &graphml).unwrap();
    let script = r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
names = {n: d["name"] for n, d in g.nodes(data=True)}
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": sorted([d["name"], d.get("country"), d.get("office")] for _, d in g.nodes(data=True)),
    "edges": sorted([sorted([names[a], names[b]]), d["weight"], d["meetings"], d["first_date"], d["last_date"]]
                    for a, b, d in g.edges(data=True)),
}))
"#;
    let out = StdCommand::new("python3")
        .arg("-c")
        .arg(script)
        .arg(sb.path("meetings.graphml"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "networkx could not read it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let graph: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(graph["directed"], false);
    let nodes = graph["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 10, "{nodes:?}");
    assert!(nodes.contains(&serde_json::json!([
        "Sigrid Aasen",
        "NOR",
        "Prime Minister"
    ])));
    let edges = graph["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 11, "{edges:?}");
    assert!(
        edges.contains(&serde_json::json!([
            ["Arvid Lindqvist", "Helena Marchetti"],
            2.0,
            2,
            "2024-03-12",
            "2024-06-04"
        ])),
        "{edges:?}"
    );
}

#[test]
#[cfg_attr(
    no_dot,
    ignore = "needs Graphviz's dot on PATH (apt-get install graphviz; CI installs it)"
)]
fn graphviz_renders_the_dot() {
    let sb = examples_archive();
    let dot = sb.ok(&["graph", "--format", "dot"]);
    let mut render = StdCommand::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz's dot runs");
    use std::io::Write;
    render
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = render.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}\n{dot}");
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(
        svg.contains("<svg") && svg.contains("Helena Marchetti") && svg.contains("Amani Wekesa"),
        "{svg}"
    );
}

#[test]
fn since_and_until_keep_the_meetings_of_the_period() {
    let sb = examples_archive();
    let dot = sb.ok(&[
        "graph",
        "-f",
        "dot",
        "--since",
        "2024-06-01",
        "--until",
        "2024-09-30",
    ]);
    let (people, edges) = dot_summary(&dot);
    assert_eq!(
        people,
        [
            "Amani Wekesa",
            "Arvid Lindqvist",
            "Helena Marchetti",
            "Kwame Asante-Boadu",
            "Sigrid Aasen"
        ]
    );
    assert_eq!(edges, 4, "{dot}");
    // Marchetti and Lindqvist met once in the period: no count on the edge.
    assert!(!dot.contains("label=\"2\""), "{dot}");
}

#[test]
fn country_keeps_the_meetings_its_people_took_part_in() {
    let sb = examples_archive();
    let (people, edges) = dot_summary(&sb.ok(&["graph", "-f", "dot", "--country", "gha"]));
    assert_eq!(
        people,
        [
            "Amani Wekesa",
            "Joana Ferraz-Lobo",
            "Kwame Asante-Boadu",
            "Sigrid Aasen"
        ]
    );
    assert_eq!(edges, 3);
}

#[test]
fn person_and_depth_draw_the_network_around_someone() {
    let sb = examples_archive();
    let (people, edges) = dot_summary(&sb.ok(&["graph", "-f", "dot", "--person", "Lindqvist"]));
    assert_eq!(
        people,
        ["Amani Wekesa", "Arvid Lindqvist", "Helena Marchetti"]
    );
    assert_eq!(edges, 2);
    let (people, _) = dot_summary(&sb.ok(&[
        "graph",
        "-f",
        "dot",
        "--person",
        "Arvid Lindqvist",
        "--depth",
        "2",
    ]));
    assert_eq!(people.len(), 6, "{people:?}");
    assert!(
        !people
            .iter()
            .any(|p| p.contains("Zarif") || p.contains("Ferraz"))
    );
    sb.parley()
        .args(["graph", "--person", "Nobody Atall"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("Nobody Atall"));
}

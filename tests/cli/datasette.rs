use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::*;

#[test]
fn the_metadata_names_every_report_with_its_parameters() {
    let sandbox = explored();
    sandbox.ok(&["datasette", "-o", "meta.json"]);
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(sandbox.path("meta.json")).unwrap()).unwrap();
    let reports = json_array(&sandbox.ok(&["report", "list", "--format", "json"]));
    let queries = meta["databases"]["parley"]["queries"].as_object().unwrap();
    assert_eq!(queries.len(), reports.len());
    for report in &reports {
        let query = &queries[report["name"].as_str().unwrap()];
        assert_eq!(query["title"], report["title"]);
        assert!(
            query["description"]
                .as_str()
                .unwrap()
                .starts_with(report["description"].as_str().unwrap())
        );
    }
    assert_eq!(
        meta["databases"]["parley"]["tables"]["participants"]["label_column"],
        "name"
    );
}

/// `datasette` on PATH, if any: this test installs nothing (CI pip-installs it).
fn find_datasette() -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("datasette"))
        .find(|p| p.is_file())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// GET over plain HTTP/1.0 on loopback (no chunked bodies): (status, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, body.to_string()))
}

/// A value for a report's required parameter: a name or a country the test archive has.
fn value_for(param: &str) -> &'static str {
    match param {
        "a" | "country" => "IRN",
        "b" => "PAK",
        _ => "Zarif",
    }
}

#[test]
#[cfg_attr(
    no_datasette,
    ignore = "needs datasette on PATH (pip install datasette; CI installs it)"
)]
fn datasette_serves_every_saved_report_as_parley_runs_it() {
    let datasette = find_datasette().expect("datasette is on PATH (.ci/run installs it)");
    let sandbox = explored();
    sandbox.ok(&["import", EXAMPLE]);
    sandbox.ok(&["datasette", "-o", "metadata.yml"]);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(sandbox.path("datasette.log")).unwrap();
    let _server = Server(
        std::process::Command::new(datasette)
            .current_dir(sandbox.dir.path())
            .args([
                "serve",
                "parley.db",
                "-m",
                "metadata.yml",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while !matches!(get(port, "/-/versions.json"), Ok((200, _))) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "datasette did not start: {}",
            std::fs::read_to_string(sandbox.path("datasette.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let reports = json_array(&sandbox.ok(&["report", "list", "--format", "json"]));
    assert!(reports.len() >= 5);
    for report in &reports {
        let name = report["name"].as_str().unwrap();
        let required: Vec<&str> = report["parameters"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .filter(|p| !p.contains('='))
            .collect();
        let mut url = format!("/parley/{name}.json?_shape=array");
        let mut run = vec!["report", "run", name, "--format", "json"];
        for param in &required {
            url.push_str(&format!("&{param}={}", value_for(param)));
            run.extend(["-p", param, value_for(param)]);
        }
        let (status, body) = get(port, &url).unwrap();
        assert_eq!(status, 200, "{url}: {body}");
        let served = json_array(&body);
        let expected = json_array(&sandbox.ok(&run));
        assert_eq!(
            served, expected,
            "report {name}: Datasette and parley disagree"
        );
    }
    let (status, body) = get(port, "/parley/articles.json?_search=fisheries&_shape=array").unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json_array(&body).len(),
        2,
        "Datasette's search box uses the FTS index"
    );
}

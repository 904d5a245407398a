//! The arrows of ARCHITECTURE.md, checked on the source: each room of the
//! daemon imports only the rooms below it (so `http`, `push` and `agent`
//! never import each other), and only `sources/` reads the host.
//!
//! A room is a folder of `src/` (or `run.rs`); its imports are the
//! `crate::<room>` paths in its files, tests included.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each room and the rooms it may import.
const MAY_IMPORT: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("sources", &["model"]),
    ("sampler", &["model", "sources"]),
    ("views", &["model"]),
    ("hub", &["model", "sampler", "views"]),
    ("http", &["hub", "model", "views"]),
    ("push", &["hub", "model", "views"]),
    ("agent", &["hub", "model", "views"]),
    ("config", &["sources"]),
    ("cli", &["config", "sources"]),
    ("run", &["agent", "config", "http", "hub", "model", "push", "sampler", "sources", "views"]),
];

/// What reads the host: file and directory reads, processes, sockets to
/// the host's own services.
const HOST_READS: &[&str] = &[
    "std::fs::read",
    "fs::read_dir",
    "File::open",
    "Command::new",
    "statvfs(",
    "UnixStream",
    "nix::sys::statvfs",
];

/// The places outside `sources/` that may touch the host, and why.
const ALLOWED: &[(&str, &str, &str)] = &[
    ("config/mod.rs", "File::open", "the configuration files it is told to read"),
    ("push/mod.rs", "File::open", "/dev/urandom, for session ids"),
    ("agent/deploy.rs", "Command::new", "/deploy runs the program it fetched"),
    ("agent/docker.rs", "UnixStream", "/deploy and the report's components talk to Docker"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The room of a file: its first folder under `src/`, or its stem.
fn room(rel: &Path) -> String {
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.strip_suffix(".rs").map_or(first.clone(), str::to_owned)
}

/// `crate::x` paths in `text`, by room name.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

#[test]
fn rooms_import_only_the_rooms_below_them() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let mut wrong = Vec::new();
    for path in &all {
        let rel = path.strip_prefix(src()).unwrap();
        let room = room(rel);
        if ["lib", "main"].contains(&room.as_str()) {
            continue;
        }
        let allowed = MAY_IMPORT
            .iter()
            .find(|(r, _)| *r == room)
            .unwrap_or_else(|| panic!("{} is in no room of MAY_IMPORT", rel.display()))
            .1;
        let text = std::fs::read_to_string(path).unwrap();
        for import in imports(&text) {
            if import != room && !allowed.contains(&import.as_str()) {
                wrong.push(format!("{} imports crate::{import}", rel.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "arrows that run backwards:\n{}", wrong.join("\n"));
}

#[test]
fn only_sources_read_the_host() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let mut wrong = Vec::new();
    let mut used = BTreeSet::new();
    for path in &all {
        let rel = path.strip_prefix(src()).unwrap();
        if rel.starts_with("sources") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests may build their own fixture files; comments are prose.
        let code: String = text
            .split("#[cfg(test)]\nmod tests {")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let name = rel.to_string_lossy().into_owned();
        for needle in HOST_READS {
            let allowed =
                ALLOWED.iter().position(|(file, what, _)| *file == name && what == needle);
            match (code.contains(needle), allowed) {
                (true, Some(i)) => {
                    used.insert(i);
                }
                (true, None) => wrong.push(format!("{name} uses {needle}")),
                (false, _) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "host reads outside sources/:\n{}", wrong.join("\n"));
    let stale: Vec<_> =
        (0..ALLOWED.len()).filter(|i| !used.contains(i)).map(|i| ALLOWED[i]).collect();
    assert!(stale.is_empty(), "allowed but no longer used: {stale:?}");
}

#[test]
fn the_check_catches_a_backward_arrow() {
    let text = "use crate::push::Push;\nfn f() { crate::hub::bump(&c); }\n";
    assert_eq!(imports(text), BTreeSet::from(["hub".to_owned(), "push".to_owned()]));
    assert_eq!(room(Path::new("http/app.rs")), "http");
    assert_eq!(room(Path::new("run.rs")), "run");
}

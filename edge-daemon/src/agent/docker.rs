//! The Docker Engine API over its Unix socket: what `/deploy` needs
//! (create, start, stop) and the running containers the resource report
//! lists as components.

use std::path::Path;

use serde::{Deserialize, Serialize};
use smol::io::{AsyncReadExt, AsyncWriteExt};

/// Largest answer read.
const MAX_ANSWER: u64 = 1024 * 1024;

/// How long one Engine API call may take.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Sends `method path` with a JSON `body`; the body of a 2xx answer. The
/// request is HTTP/1.0, so the answer is never chunked.
pub async fn request(
    socket: &Path,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<Vec<u8>, String> {
    smol::future::or(exchange(socket, method, path, body), async {
        smol::Timer::after(TIMEOUT).await;
        Err(format!("Docker: no answer within {} s", TIMEOUT.as_secs()))
    })
    .await
}

async fn exchange(socket: &Path, method: &str, path: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let mut stream = smol::net::unix::UnixStream::connect(socket).await.map_err(|e| {
        format!("Docker is not available: cannot connect to {}: {e}", socket.display())
    })?;
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.map_err(|e| format!("Docker: {e}"))?;
    stream.write_all(body).await.map_err(|e| format!("Docker: {e}"))?;
    let mut answer = Vec::new();
    (&mut stream)
        .take(MAX_ANSWER)
        .read_to_end(&mut answer)
        .await
        .map_err(|e| format!("Docker: {e}"))?;
    let at = answer.windows(4).position(|w| w == b"\r\n\r\n").ok_or("Docker: no HTTP answer")?;
    let head = String::from_utf8_lossy(answer.get(..at).unwrap_or_default()).into_owned();
    let status = head.lines().next().unwrap_or_default();
    if !status.split(' ').nth(1).is_some_and(|code| code.starts_with('2')) {
        return Err(format!("Docker answered `{status}`"));
    }
    Ok(answer.get(at + 4..).unwrap_or_default().to_vec())
}

#[derive(Deserialize)]
struct Container {
    #[serde(rename = "Id")]
    id: String,
    #[serde(rename = "Names", default)]
    names: Vec<String>,
    #[serde(rename = "State", default)]
    state: String,
    #[serde(rename = "Labels", default)]
    labels: Option<ContainerLabels>,
}

#[derive(Deserialize, Default)]
struct ContainerLabels {
    #[serde(rename = "edgestat.uuid", default)]
    uuid: Option<String>,
    #[serde(rename = "edgestat.instance", default)]
    instance: Option<String>,
}

/// One seed 003 `component`: a container. Its resource figures need a
/// stats call per container, which a report does not wait for: `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    instance_id: String,
    uuid: String,
    index: usize,
    config: ComponentConfig,
    state: &'static str,
    resource: ComponentResource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ComponentConfig {
    name: String,
    id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ComponentResource {
    cpu: Load,
    memory: MemoryUse,
    network: Traffic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Load {
    load: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct MemoryUse {
    mem_used: Option<u64>,
    mem_limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Traffic {
    tx: Option<u64>,
    rx: Option<u64>,
}

/// Docker's state as seed 003 names it.
fn state(docker: &str) -> &'static str {
    match docker {
        "running" => "RUNNING",
        "created" | "restarting" => "PENDING",
        "paused" => "SLEEPING",
        "dead" => "FAILED",
        _ => "STOPPED",
    }
}

/// The containers on `socket` as components; empty when Docker cannot be
/// reached (no socket, no permission) or answers something else.
pub async fn components(socket: &Path) -> Vec<Component> {
    let Ok(body) = request(socket, "GET", "/containers/json?all=true", &[]).await else {
        return Vec::new();
    };
    parse_components(&body)
}

fn parse_components(body: &[u8]) -> Vec<Component> {
    let Ok((containers, _)) = serde_json_core::from_slice::<Vec<Container>>(body) else {
        return Vec::new();
    };
    containers
        .into_iter()
        .enumerate()
        .map(|(index, c)| {
            let labels = c.labels.unwrap_or_default();
            let name =
                c.names.first().map_or(String::new(), |n| n.trim_start_matches('/').to_owned());
            Component {
                instance_id: labels.instance.unwrap_or_default(),
                uuid: labels.uuid.unwrap_or_default(),
                index,
                config: ComponentConfig { name, id: c.id },
                state: state(&c.state),
                resource: ComponentResource {
                    cpu: Load { load: None },
                    memory: MemoryUse { mem_used: None, mem_limit: None },
                    network: Traffic { tx: None, rx: None },
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_become_components() {
        let body = br#"[{"Id":"4f2a9c","Names":["/edgestat-c0ffee"],"Image":"repo/x","State":"running","Status":"Up 2 hours","Labels":{"edgestat.uuid":"c0ffee","other":"x"},"Ports":[]},
                        {"Id":"77aa","Names":["/db"],"State":"exited","Labels":{}}]"#;
        let components = parse_components(body);
        assert_eq!(components.len(), 2);
        assert_eq!(components[0].uuid, "c0ffee");
        assert_eq!(
            components[0].config,
            ComponentConfig { name: "edgestat-c0ffee".into(), id: "4f2a9c".into() }
        );
        assert_eq!((components[0].state, components[1].state), ("RUNNING", "STOPPED"));
        assert_eq!(components[1].index, 1);
        assert!(parse_components(b"{\"message\":\"no\"}").is_empty());
    }
}

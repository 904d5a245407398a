//! Seed 003's agent on the AGX Orin fixture: a test manager on 127.0.0.1
//! sends the query (unicast, and to the multicast group on loopback where
//! the kernel allows) and must receive the heartbeat and the resource
//! report, with the seed's schema and the fixture's values, within 2 s.
//! Malformed, oversized and flooding queries cause no crash and no POST
//! storm.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Daemon, fixture};
use serde_json::{Value, json};

/// Reads one HTTP request: its request line and its `Content-Length` body.
fn read_request(stream: &(impl Read + TryCloneStream)) -> (String, Vec<u8>) {
    let mut reader = BufReader::new(stream.clone_stream());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header == "\r\n" {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (line, body)
}

/// TCP and Unix streams, cloned to read while the original answers.
trait TryCloneStream {
    /// A second handle on the same connection.
    fn clone_stream(&self) -> Box<dyn Read>;
}

impl TryCloneStream for std::net::TcpStream {
    fn clone_stream(&self) -> Box<dyn Read> {
        Box::new(self.try_clone().unwrap())
    }
}

impl TryCloneStream for std::os::unix::net::UnixStream {
    fn clone_stream(&self) -> Box<dyn Read> {
        Box::new(self.try_clone().unwrap())
    }
}

/// A manager: accepts report POSTs, answers 200 with no body, and passes
/// `(path, body)` on.
fn manager() -> (u16, mpsc::Receiver<(String, Value)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (line, body) = read_request(&stream);
            let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .unwrap();
            let _ = tx.send((path, serde_json::from_slice(&body).unwrap()));
        }
    });
    (port, rx)
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn query(url: &str, manager_port: u16) -> Vec<u8> {
    json!({"api_version": 1, "data": {"manager_ip": "127.0.0.1", "manager_port": manager_port, "url": url}})
        .to_string()
        .into_bytes()
}

/// The daemon with the agent on: its UDP query port and its /deploy address.
fn agent(extra: &[&str]) -> (Daemon, u16, String) {
    let port = free_udp_port();
    let group = format!("239.192.168.80:{port}");
    let service =
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let mut args =
        vec!["--agent", "--agent-group", &group, "--agent-box-id", "1", "--agent-slot-id", "2"];
    args.extend_from_slice(&["--agent-service-port", &service]);
    args.extend_from_slice(extra);
    let daemon = Daemon::start(&fixture("agx-orin-r36"), &args, &[]);
    daemon.json("/api/status");
    (daemon, port, format!("127.0.0.1:{service}"))
}

#[test]
fn heartbeat_and_resource_on_a_unicast_query() {
    let (_daemon, agent_port, deploy_addr) = agent(&[]);
    let (manager_port, reports) = manager();
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();

    let sent = Instant::now();
    udp.send_to(&query("/heartbeat", manager_port), ("127.0.0.1", agent_port)).unwrap();
    let (path, heartbeat) =
        reports.recv_timeout(Duration::from_secs(2)).expect("a heartbeat within 2 s");
    assert!(sent.elapsed() < Duration::from_secs(2));
    assert_eq!(path, "/heartbeat");
    assert_eq!(heartbeat["api_version"], 1);
    let h = &heartbeat["data"];
    let keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "client_id",
            "box_id",
            "slot_id",
            "cpu_id",
            "srio_id",
            "host_ip",
            "hostname",
            "service_port",
            "box_type",
            "board_type",
            "cpu_type",
            "os_type",
            "resource_type",
            "cpu_arch",
            "gpu"
        ]
    );
    assert_eq!((h["box_id"].as_u64(), h["slot_id"].as_u64()), (Some(1), Some(2)));
    assert_eq!(h["host_ip"], "127.0.0.1");
    assert_eq!(h["hostname"], "orin-devkit");
    // The fixture's /etc/machine-id, the node's identity for a fleet manager.
    assert_eq!(h["client_id"], "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42");
    // The announced service port is where /deploy listens.
    assert_eq!(h["service_port"].to_string(), deploy_addr.rsplit(':').next().unwrap());
    assert_eq!(h["board_type"], "GPU");
    assert_eq!(h["cpu_type"], "ARM Cortex-A78AE/12");
    assert_eq!(h["os_type"], "Ubuntu 22.04.5 LTS");
    assert_eq!(h["cpu_arch"], std::env::consts::ARCH);
    assert_eq!(
        h["gpu"],
        json!([{"index": 0, "name": "NVIDIA Jetson AGX Orin Developer Kit iGPU"}])
    );

    udp.send_to(&query("/resource", manager_port), ("127.0.0.1", agent_port)).unwrap();
    let (path, resource) =
        reports.recv_timeout(Duration::from_secs(2)).expect("a resource report within 2 s");
    assert_eq!(path, "/resource");
    let r = &resource["data"]["resource"];
    assert_eq!(resource["data"]["component"], json!([]));
    assert_eq!(resource["data"]["client_id"], "4b0e5a1d8c6f4e2a9d7b3c1f0e8a6d42");
    assert_eq!(resource["data"]["throttled"], Value::Null, "a Jetson has no get_throttled");
    // Fixture values: cpu-thermal 44.388 C, VDD_CPU_CV 808 mW; 12 CPUs.
    assert_eq!(r["cpu"]["temperature"], 44.388);
    assert_eq!(r["cpu"]["core_count"], 12);
    assert_eq!(r["cpu"]["power"], 0.808);
    assert_eq!(r["cpu"]["core_allocated"], Value::Null, "not measurable: null, not 0");
    assert_eq!(r["memory"]["total"], 65_894_129_664u64);
    assert_eq!(r["memory"]["used"], 65_894_129_664u64 - 58_680_975_360);
    let eth0 = r["network"].as_array().unwrap().iter().find(|n| n["interface"] == "eth0").unwrap();
    assert_eq!(eth0["rx_bytes"], 2_310_544_821u64);
    // GPU: sysfs load 0, gpu-thermal 43.0 C, VDD_GPU_SOC 5016 mV x 638 mA.
    let gpu = &r["gpu"][0];
    assert_eq!(
        (gpu["compute_usage"].as_f64(), gpu["temperature"].as_f64()),
        (Some(0.0), Some(43.0))
    );
    assert_eq!(
        (gpu["voltage"].as_f64(), gpu["current"].as_f64(), gpu["power"].as_f64()),
        (Some(5.016), Some(0.638), Some(3.2))
    );
    assert_eq!(gpu["mem_total"], Value::Null);
    assert!(r["disk"].as_array().unwrap().iter().any(|d| d["mount_point"] == "/"));
}

#[test]
fn bad_queries_and_floods_make_no_storm() {
    let (daemon, agent_port, _) = agent(&["--agent-managers", "127.0.0.0/8"]);
    let (manager_port, reports) = manager();
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = ("127.0.0.1", agent_port);
    udp.send_to(b"\xff\x00 not json", to).unwrap();
    udp.send_to(&[b'{'; 4000], to).unwrap();
    udp.send_to(&query("/deploy", manager_port), to).unwrap();
    let elsewhere = json!({"api_version": 1, "data": {"manager_ip": "192.0.2.1", "manager_port": 1, "url": "/heartbeat"}});
    udp.send_to(elsewhere.to_string().as_bytes(), to).unwrap();
    // A flood: 200 valid queries at once.
    for _ in 0..200 {
        udp.send_to(&query("/heartbeat", manager_port), to).unwrap();
    }
    let mut received = 0;
    while reports.recv_timeout(Duration::from_millis(1500)).is_ok() {
        received += 1;
    }
    assert!((1..=8).contains(&received), "{received} reports for a flood of 200 queries");
    assert_eq!(daemon.get("/api/health").status, 200);
    let log = daemon.log();
    assert!(log.contains("agent: query from 127.0.0.1:"), "{log}");
    assert!(log.contains("refused: url is neither /heartbeat nor /resource"), "{log}");
    assert!(
        log.contains("manager 192.0.2.1 (query from 127.0.0.1) is not in --agent-managers"),
        "{log}"
    );
}

#[test]
fn a_multicast_query_on_loopback() {
    let (_daemon, agent_port, _) = agent(&["--agent-interface", "127.0.0.1"]);
    let (manager_port, reports) = manager();
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_multicast_loop_v4(true).unwrap();
    let group = Ipv4Addr::new(239, 192, 168, 80);
    // The agent joined the group on 127.0.0.1; whether the kernel routes
    // 239.0.0.0/8 through loopback depends on the host's routes.
    let sent = udp.send_to(&query("/heartbeat", manager_port), (group, agent_port)).map(|_| ());
    match sent
        .and_then(|()| reports.recv_timeout(Duration::from_secs(2)).map_err(std::io::Error::other))
    {
        Ok((path, _)) => assert_eq!(path, "/heartbeat"),
        Err(e) => {
            eprintln!("multicast on loopback is not available here ({e}); unicast is tested above")
        }
    }
}

/// The program the repository serves: it sleeps.
const SLEEPER: &str = "#!/bin/sh\nexec sleep 60\n";

/// A repository that normalizes paths as common servers do (percent-
/// decoding, then `.` and `..`). It serves `/bars/sleeper`; `/evil`, a
/// program outside `/bars/` that leaves a mark when run; `/bars/cut`,
/// which announces 50000 bytes and sends 61; and `/bars/unsized`, with no
/// `Content-Length`. Each request's path is sent on the channel.
fn repository(mark: &std::path::Path) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    let evil = format!("#!/bin/sh\ntouch {}\n", mark.display());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            BufReader::new(stream.try_clone().unwrap()).read_line(&mut line).unwrap();
            let raw = line.split(' ').nth(1).unwrap_or("").to_owned();
            let _ = tx.send(raw.clone());
            let ok = |body: &str| {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len())
            };
            let answer = match normalize(&raw).as_str() {
                "/bars/sleeper" => ok(SLEEPER),
                "/evil" => ok(&evil),
                "/bars/cut" => format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n{}",
                    &evil[..evil.len().min(61)]
                ),
                "/bars/unsized" => format!("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{SLEEPER}"),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_owned(),
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (port, rx)
}

/// A path as a permissive server resolves it.
fn normalize(raw: &str) -> String {
    let mut bytes = Vec::new();
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex: String = [it.next().unwrap_or(b'0'), it.next().unwrap_or(b'0')]
                .iter()
                .map(|&c| c as char)
                .collect();
            bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
        } else {
            bytes.push(b);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for segment in String::from_utf8_lossy(&bytes).split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s.to_owned()),
        }
    }
    format!("/{}", out.join("/"))
}

fn deploy(addr: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let head = format!(
        "POST /deploy HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: {}\r\n",
        body.len()
    );
    let response = common::request_with_body(addr, &head, &[], &body);
    let json = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, json)
}

fn start_request(url: &str, file: &str, require: Value) -> Value {
    json!({"api_version": 1, "data": {"mode": "start", "type": "bar", "uuid": "c0ffee-1",
           "url": url, "file": file, "require": require}})
}

#[test]
fn deploy_a_bar_and_refuse_the_rest() {
    let dir = common::scratch("deploy");
    let (repo, _) = repository(&dir.join("evil-ran"));
    let (allow, deploy_dir) = (format!("http://127.0.0.1:{repo}/bars/"), dir.join("programs"));
    let (docker, deploy_dir) = (dir.join("docker.sock"), deploy_dir.to_str().unwrap().to_owned());
    let (_daemon, _, addr) = agent(&[
        "--deploy-token",
        "d3ploy",
        "--deploy-allow",
        &allow,
        "--deploy-dir",
        &deploy_dir,
        "--docker-socket",
        docker.to_str().unwrap(),
    ]);
    let url = format!("http://127.0.0.1:{repo}/bars");
    let small = json!({"cpu": 1, "memory": 1_048_576, "gpu": 0});

    let (status, _) = deploy(&addr, None, &start_request(&url, "sleeper", small.clone()));
    assert_eq!(status, 401, "no token");
    let (status, _) = deploy(&addr, Some("wrong"), &start_request(&url, "sleeper", small.clone()));
    assert_eq!(status, 401, "wrong token");

    let (_, off_list) = deploy(
        &addr,
        Some("d3ploy"),
        &start_request("http://198.51.100.7/bars", "sleeper", small.clone()),
    );
    assert_eq!(off_list["data"]["result"], 3, "{off_list}");
    assert!(
        off_list["data"]["message"].as_str().unwrap().contains("not under a --deploy-allow prefix")
    );

    let (_, greedy) = deploy(
        &addr,
        Some("d3ploy"),
        &start_request(&url, "sleeper", json!({"cpu": 64, "memory": 1, "gpu": 0})),
    );
    assert_eq!(greedy["data"]["result"], 2, "{greedy}");

    let (status, started) =
        deploy(&addr, Some("d3ploy"), &start_request(&url, "sleeper", small.clone()));
    assert_eq!(status, 200);
    let data = &started["data"];
    assert_eq!(
        (data["result"].as_i64(), data["mode"].as_str(), data["file"].as_str()),
        (Some(0), Some("start"), Some("sleeper"))
    );
    let pid = data["id"].as_u64().expect("start returns the pid");
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    assert!(proc.exists(), "the bar runs");
    // Its command line is empty for a moment while the shell execs.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut cmdline = String::new();
    while cmdline.is_empty() && Instant::now() < deadline {
        cmdline = std::fs::read_to_string(proc.join("cmdline")).unwrap_or_default();
        std::thread::sleep(Duration::from_millis(20));
    }
    // `/bin/sh …/sleeper` until its `exec sleep 60` runs.
    assert!(cmdline.contains("sleep"), "{cmdline:?}");

    let stop = json!({"api_version": 1, "data": {"mode": "stop", "type": "bar", "uuid": "c0ffee-1", "id": pid}});
    let (_, stopped) = deploy(&addr, Some("d3ploy"), &stop);
    assert_eq!(stopped["data"]["result"], 0, "{stopped}");
    assert!(!proc.exists(), "pid {pid} is gone after stop");
    let (_, again) = deploy(&addr, Some("d3ploy"), &stop);
    assert_eq!(again["data"]["result"], 5, "only pids it started: {again}");

    let docker_start = json!({"api_version": 1, "data": {"mode": "start", "type": "docker", "uuid": "c0ffee-2",
        "url": url, "file": "sleeper", "require": small}});
    let (_, no_docker) = deploy(&addr, Some("d3ploy"), &docker_start);
    assert_ne!(no_docker["data"]["result"], 0);
    let message = no_docker["data"]["message"].as_str().unwrap();
    assert!(message.starts_with("Docker is not available: cannot connect to"), "{message}");
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn deploy_fetches_only_whole_checked_programs_under_the_prefix() {
    let dir = common::scratch("deploy-escape");
    let mark = dir.join("evil-ran");
    let (repo, paths) = repository(&mark);
    let deploy_dir = dir.join("programs");
    let (_daemon, _, addr) = agent(&[
        "--deploy-token",
        "d3ploy",
        "--deploy-allow",
        &format!("http://127.0.0.1:{repo}/bars/"),
        "--deploy-dir",
        deploy_dir.to_str().unwrap(),
    ]);
    let small = json!({"cpu": 1, "memory": 1_048_576, "gpu": 0});
    let start = |url: &str, file: &str| {
        let (status, reply) =
            deploy(&addr, Some("d3ploy"), &start_request(url, file, small.clone()));
        assert_eq!(status, 200);
        reply["data"].clone()
    };
    // Escapes that a server would resolve to /evil, outside the prefix.
    for url in [
        format!("http://127.0.0.1:{repo}/bars/%2e%2e"),
        format!("http://127.0.0.1:{repo}/bars/%2E%2E"),
        format!("http://127.0.0.1:{repo}/bars/..%2f"),
        format!("http://127.0.0.1:{repo}/bars/.%2e"),
    ] {
        let data = start(&url, "evil");
        assert_eq!(data["result"], 3, "{url}: {data}");
    }
    assert!(paths.try_recv().is_err(), "nothing was fetched");
    assert!(!mark.exists(), "/evil never ran");

    // A download cut short of its Content-Length is not stored or run.
    let bars = format!("http://127.0.0.1:{repo}/bars");
    let data = start(&bars, "cut");
    assert_eq!(data["result"], 4, "{data}");
    assert!(data["message"].as_str().unwrap().contains("announced 50000 bytes and carried"));
    assert!(!deploy_dir.join("c0ffee-1/cut").exists() && !mark.exists());
    // Without a Content-Length only a sha256 tells a whole program.
    let data = start(&bars, "unsized");
    assert_eq!(data["result"], 4, "{data}");
    assert!(data["message"].as_str().unwrap().contains("give sha256"), "{data}");

    // A sha256 is checked before anything is written.
    let mut request = start_request(&bars, "sleeper", small.clone());
    request["data"]["sha256"] = json!(sha256(b"something else"));
    let (_, reply) = deploy(&addr, Some("d3ploy"), &request);
    assert_eq!(reply["data"]["result"], 4, "{reply}");
    assert!(reply["data"]["message"].as_str().unwrap().contains("not the sha256 given"));
    assert!(!deploy_dir.join("c0ffee-1/sleeper").exists());
    request["data"]["sha256"] = json!("not hex");
    let (_, reply) = deploy(&addr, Some("d3ploy"), &request);
    assert_eq!(reply["data"]["result"], 1, "{reply}");
    let mut request = start_request(&bars, "unsized", small.clone());
    request["data"]["sha256"] = json!(sha256(SLEEPER.as_bytes()));
    let (_, reply) = deploy(&addr, Some("d3ploy"), &request);
    assert_eq!(reply["data"]["result"], 0, "the right digest: {reply}");
    let stop = json!({"api_version": 1, "data": {"mode": "stop", "type": "bar", "uuid": "c0ffee-1",
                      "id": reply["data"]["id"]}});
    assert_eq!(deploy(&addr, Some("d3ploy"), &stop).1["data"]["result"], 0);
}

#[test]
fn deploy_can_require_a_sha256() {
    let dir = common::scratch("deploy-sha");
    let (repo, _) = repository(&dir.join("evil-ran"));
    let (_daemon, _, addr) = agent(&[
        "--deploy-token",
        "d3ploy",
        "--deploy-allow",
        &format!("http://127.0.0.1:{repo}/bars/"),
        "--deploy-dir",
        dir.join("programs").to_str().unwrap(),
        "--deploy-require-sha256",
    ]);
    let bars = format!("http://127.0.0.1:{repo}/bars");
    let small = json!({"cpu": 1, "memory": 1_048_576, "gpu": 0});
    let (_, reply) = deploy(&addr, Some("d3ploy"), &start_request(&bars, "sleeper", small.clone()));
    assert_eq!(reply["data"]["result"], 1, "{reply}");
    assert!(reply["data"]["message"].as_str().unwrap().contains("sha256 is required"));
    let mut request = start_request(&bars, "sleeper", small);
    request["data"]["sha256"] = json!(sha256(SLEEPER.as_bytes()));
    let (_, reply) = deploy(&addr, Some("d3ploy"), &request);
    assert_eq!(reply["data"]["result"], 0, "{reply}");
    let stop = json!({"api_version": 1, "data": {"mode": "stop", "type": "bar", "uuid": "c0ffee-1",
                      "id": reply["data"]["id"]}});
    assert_eq!(deploy(&addr, Some("d3ploy"), &stop).1["data"]["result"], 0);
}

#[test]
fn deployed_programs_end_with_the_daemon() {
    let dir = common::scratch("deploy-exit");
    let (repo, _) = repository(&dir.join("evil-ran"));
    let (daemon, _, addr) = agent(&[
        "--deploy-token",
        "d3ploy",
        "--deploy-allow",
        &format!("http://127.0.0.1:{repo}/bars/"),
        "--deploy-dir",
        dir.join("programs").to_str().unwrap(),
    ]);
    let small = json!({"cpu": 1, "memory": 1_048_576, "gpu": 0});
    let bars = format!("http://127.0.0.1:{repo}/bars");
    let (_, started) = deploy(&addr, Some("d3ploy"), &start_request(&bars, "sleeper", small));
    let pid = started["data"]["id"].as_u64().expect("a pid");
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    assert!(proc.exists());
    let (code, log) = daemon.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(!proc.exists(), "the bar {pid} outlived the daemon");
}

#[test]
fn deploy_lives_only_on_its_port() {
    let (daemon, _, deploy_addr) = agent(&["--deploy-token", "t"]);
    let (status, _) = deploy(&daemon.addr, Some("t"), &json!({}));
    assert_eq!(status, 404, "no /deploy on the API port");
    let api_on_deploy_port = common::request(
        &deploy_addr,
        &format!("GET /api/status HTTP/1.1\r\nHost: {deploy_addr}\r\n"),
        &[],
    );
    assert_eq!(api_on_deploy_port.status, 404, "no API on the deploy port");
}

#[test]
fn deploy_is_off_without_a_token() {
    let (_daemon, _, addr) = agent(&[]);
    let (status, body) = deploy(&addr, Some("anything"), &json!({}));
    assert_eq!(status, 403);
    assert_eq!(body["error"], "/deploy is disabled: set --deploy-token");
}

/// A stand-in Docker Engine on a Unix socket: answers create, start,
/// stop and the container list, and passes each request line on.
fn fake_docker(socket: &std::path::Path) -> mpsc::Receiver<String> {
    let listener = std::os::unix::net::UnixListener::bind(socket).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (line, body) = read_request(&stream);
            let request = format!("{} {}", line.trim(), String::from_utf8_lossy(&body));
            let answer = if request.starts_with("POST /containers/create?name=edgestat-c0ffee-2 ") {
                assert!(request.contains(r#""Image":"127.0.0.1:"#), "{request}");
                r#"{"Id":"abc123","Warnings":[]}"#
            } else if request.starts_with("GET /containers/json") {
                r#"[{"Id":"abc123","Names":["/edgestat-c0ffee-2"],"State":"running","Labels":{"edgestat.uuid":"c0ffee-2"}}]"#
            } else {
                ""
            };
            let status = if answer.is_empty() { "204 No Content" } else { "200 OK" };
            let _ = write!(
                stream,
                "HTTP/1.0 {status}\r\nContent-Length: {}\r\n\r\n{answer}",
                answer.len()
            );
            let _ = tx.send(line.trim().to_owned());
        }
    });
    rx
}

#[test]
fn docker_through_its_socket() {
    let dir = common::scratch("docker");
    let socket = dir.join("docker.sock");
    let docker_log = fake_docker(&socket);
    let (_daemon, agent_port, addr) = agent(&[
        "--deploy-token",
        "d3ploy",
        "--deploy-allow",
        "http://127.0.0.1:5000/",
        "--docker-socket",
        socket.to_str().unwrap(),
    ]);
    let start = json!({"api_version": 1, "data": {"mode": "start", "type": "docker", "uuid": "c0ffee-2",
        "url": "http://127.0.0.1:5000/edge", "file": "sensor:1.2", "require": {"cpu": 1, "memory": 1, "gpu": 0}}});
    let (_, started) = deploy(&addr, Some("d3ploy"), &start);
    assert_eq!(
        (started["data"]["result"].as_i64(), started["data"]["id"].as_str()),
        (Some(0), Some("abc123")),
        "{started}"
    );
    assert_eq!(
        docker_log.recv().unwrap(),
        "POST /containers/create?name=edgestat-c0ffee-2 HTTP/1.0"
    );
    assert_eq!(docker_log.recv().unwrap(), "POST /containers/abc123/start HTTP/1.0");

    // The resource report lists the container as a component.
    let (manager_port, reports) = manager();
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.send_to(&query("/resource", manager_port), ("127.0.0.1", agent_port)).unwrap();
    let (_, resource) = reports.recv_timeout(Duration::from_secs(2)).unwrap();
    let component = &resource["data"]["component"][0];
    assert_eq!(component["uuid"], "c0ffee-2");
    assert_eq!(component["config"], json!({"name": "edgestat-c0ffee-2", "id": "abc123"}));
    assert_eq!(component["state"], "RUNNING");

    let stop = json!({"api_version": 1, "data": {"mode": "stop", "type": "docker", "uuid": "c0ffee-2", "id": "abc123"}});
    let (_, stopped) = deploy(&addr, Some("d3ploy"), &stop);
    assert_eq!(stopped["data"]["result"], 0, "{stopped}");
}

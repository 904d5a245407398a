//! One client cannot starve the rest (issue 14): one address holding every
//! HTTP connection, or squatting the live-client slots with handshakes
//! alone, leaves room for another address, whose requests come from
//! 127.0.0.2 (curl's `--interface`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Daemon, fixture};

/// `curl` from 127.0.0.2: (status, seconds it took).
fn curl_from_another_address(url: &str) -> (u16, f64) {
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}"])
        .args(["--interface", "127.0.0.2", "--max-time", "10", url])
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (code, time) = text.split_once(' ').unwrap_or(("0", "99"));
    (code.parse().unwrap_or(0), time.parse().unwrap_or(99.0))
}

#[test]
fn one_address_with_64_busy_connections_leaves_health_reachable() {
    // The rate limit on, as by default: every request of the busy client
    // soon gets 429, and it keeps its connections anyway.
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &["--rate-limit"], &[]);
    daemon.until("/api/health", Duration::from_secs(10), |h| h["status"] != "starting");
    let stop = Arc::new(AtomicBool::new(false));
    let held = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let busy: Vec<_> = (0..64)
        .map(|_| {
            let (addr, stop, held) = (daemon.addr.clone(), stop.clone(), held.clone());
            std::thread::spawn(move || {
                let Ok(mut stream) = TcpStream::connect(&addr) else { return };
                stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                let request = format!("GET /api/status HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                let mut counted = false;
                let mut buf = [0u8; 8192];
                while !stop.load(Ordering::SeqCst) {
                    if stream.write_all(request.as_bytes()).is_err() {
                        return;
                    }
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return, // closed: over this address's share
                        Ok(_) if !counted => {
                            counted = true;
                            held.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(_) => {}
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    let url = format!("http://{}/api/health", daemon.addr);
    let (status, took) = curl_from_another_address(&url);
    let holding = held.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    for thread in busy {
        let _ = thread.join();
    }
    assert_eq!(status, 200, "/api/health from another address");
    assert!(took < 2.0, "/api/health took {took} s");
    assert!(holding <= 16, "one address held {holding} connections (cap 16)");
}

#[test]
fn handshakes_alone_cannot_squat_the_live_slots() {
    let daemon = Daemon::start(&fixture("pi4-bookworm"), &[], &[]);
    daemon.json("/api/status");
    let handshake = "/socket.io/?EIO=4&transport=polling";
    // Four sessions from one address, none of which ever connects.
    for _ in 0..4 {
        assert_eq!(daemon.get(handshake).status, 200);
    }
    let refused = daemon.get(handshake);
    assert_eq!((refused.status, refused.json()["code"].as_u64()), (403, Some(4)), "a fifth");
    // Another address still gets in, and so does /api/ws from it.
    let url = format!("http://{}{handshake}", daemon.addr);
    assert_eq!(curl_from_another_address(&url).0, 200);
    // The squatters never sent CONNECT: within the 10 s deadline (and the
    // 1 s sweep) their slots are free again.
    let deadline = Instant::now() + Duration::from_secs(13);
    loop {
        if daemon.get(handshake).status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the squatted slots were never freed");
        std::thread::sleep(Duration::from_millis(250));
    }
}

//! The report's HTTP POST: one request on a fresh connection, bounded in
//! time, expecting seed 003's answer (200 with an empty body).

use std::net::SocketAddr;
use std::time::Duration;

use smol::io::{AsyncReadExt, AsyncWriteExt};

/// How long one report may take, connect to answer.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Largest answer read.
const MAX_ANSWER: usize = 4096;

/// POSTs `body` as JSON to `http://to{path}`; `Err` says what went wrong.
pub async fn post(to: SocketAddr, path: &str, body: &[u8]) -> Result<(), String> {
    let exchange = async {
        let mut stream =
            smol::net::TcpStream::connect(to).await.map_err(|e| format!("connect: {e}"))?;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {to}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.map_err(|e| format!("send: {e}"))?;
        stream.write_all(body).await.map_err(|e| format!("send: {e}"))?;
        let mut answer = Vec::new();
        (&mut stream)
            .take(MAX_ANSWER as u64)
            .read_to_end(&mut answer)
            .await
            .map_err(|e| format!("answer: {e}"))?;
        check(&answer)
    };
    smol::future::or(exchange, async {
        smol::Timer::after(TIMEOUT).await;
        Err(format!("no answer within {} s", TIMEOUT.as_secs()))
    })
    .await
}

/// Seed 003 wants status 200 and an empty body.
fn check(answer: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    let status = head.lines().next().unwrap_or_default();
    if !status.starts_with("HTTP/1.1 200") && !status.starts_with("HTTP/1.0 200") {
        return Err(format!("answered `{status}`"));
    }
    if !body.trim().is_empty() {
        return Err(format!("200 with a body ({} bytes) where seed 003 wants none", body.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(check(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), Ok(()));
        assert_eq!(
            check(b"HTTP/1.1 404 Not Found\r\n\r\n"),
            Err("answered `HTTP/1.1 404 Not Found`".into())
        );
        assert!(check(b"HTTP/1.1 200 OK\r\n\r\n{}").unwrap_err().contains("wants none"));
        assert_eq!(check(b"garbage"), Err("no HTTP answer".into()));
    }
}

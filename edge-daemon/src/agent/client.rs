//! The agent's HTTP client: the report's POST (seed 003 wants 200 with an
//! empty body back) and the GET that fetches a `bar` program for
//! `/deploy`. One request per fresh connection, bounded in time and size.

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

/// Largest program `/deploy` fetches.
pub const MAX_PROGRAM: usize = 64 * 1024 * 1024;

/// How long fetching a program may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(60);

/// A fetched program.
pub struct Program {
    /// Its bytes.
    pub body: Vec<u8>,
    /// Whether the answer announced its length (`Content-Length`), which
    /// the body then matched: without it a cut download looks whole.
    pub whole: bool,
}

/// GETs `url` (`http://host[:port]/path`) and returns the body of a 200;
/// a body shorter or longer than its `Content-Length` is an error.
pub async fn fetch(url: &str) -> Result<Program, String> {
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs are fetched")?;
    let (authority, path) =
        rest.split_once('/').map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let exchange = async {
        let mut stream = smol::net::TcpStream::connect(if authority.contains(':') {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        })
        .await
        .map_err(|e| format!("connect to {authority}: {e}"))?;
        let head = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await.map_err(|e| format!("send: {e}"))?;
        let mut answer = Vec::new();
        (&mut stream)
            .take(MAX_PROGRAM as u64 + 4096)
            .read_to_end(&mut answer)
            .await
            .map_err(|e| format!("read: {e}"))?;
        let at = answer.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no HTTP answer")?;
        let head = String::from_utf8_lossy(answer.get(..at).unwrap_or_default()).into_owned();
        let status = head.lines().next().unwrap_or_default().to_owned();
        if !status.starts_with("HTTP/1.1 200") && !status.starts_with("HTTP/1.0 200") {
            return Err(format!("{url} answered `{status}`"));
        }
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            return Err(format!("{url}: chunked answers are not supported"));
        }
        let body = answer.get(at + 4..).unwrap_or_default();
        if body.len() > MAX_PROGRAM {
            return Err(format!("{url} is larger than {MAX_PROGRAM} bytes"));
        }
        let announced = head.lines().skip(1).find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().to_owned())
        });
        let whole = match announced {
            None => false,
            Some(text) => {
                let length: usize =
                    text.parse().map_err(|_| format!("{url}: Content-Length `{text}`"))?;
                if length != body.len() {
                    return Err(format!(
                        "{url}: the answer announced {length} bytes and carried {}: cut or padded",
                        body.len()
                    ));
                }
                true
            }
        };
        Ok(Program { body: body.to_vec(), whole })
    };
    smol::future::or(exchange, async {
        smol::Timer::after(FETCH_TIMEOUT).await;
        Err(format!("{url}: no answer within {} s", FETCH_TIMEOUT.as_secs()))
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

//! Reading and checking what a request carries: query strings and JSON
//! bodies. Every message names the parameter and what it must be.

use serde_json::{Map, Value};

use super::Failure;

/// A decoded query string.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Query {
    /// Parses `a=1&b=x%20y`.
    pub fn parse(q: &str) -> Self {
        Self(
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    /// The first parameter whose name or value holds a control character
    /// (no column takes one; PostgreSQL refuses NUL outright).
    pub fn control_character(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k.chars().chain(v.chars()).any(char::is_control))
            .map(|(k, _)| k.as_str())
    }

    /// The first value of `name`, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The required `user_id` (1-32 characters).
    pub fn user_id(&self) -> Result<&str, Failure> {
        match self.get("user_id") {
            Some(u) if u.chars().count() <= 32 => Ok(u),
            Some(_) => Err(Failure::bad("user_id must be 1-32 characters")),
            None => Err(Failure::bad("user_id is required")),
        }
    }

    /// The `user_id` the token must open, then the optional `client_id`.
    pub fn scope(&self, token: super::Token<'_>) -> Result<(String, Option<String>), Failure> {
        let user = self.user_id()?;
        token(super::Access::User(user))?;
        Ok((user.to_owned(), self.client_id()?))
    }

    /// An optional `client_id`, which must be 32 hex characters; lower-cased.
    pub fn client_id(&self) -> Result<Option<String>, Failure> {
        self.get("client_id").map(client_id).transpose()
    }
}

/// A 32-hex-character client id, lower-cased.
pub fn client_id(id: &str) -> Result<String, Failure> {
    edgestat_core::fleet::ClientId::parse(id).map(|id| id.as_str().to_owned()).ok_or_else(|| {
        Failure::bad("client_id must be a 16-byte hexadecimal string (32 characters)")
    })
}

/// A JSON object body.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::bad("the body must be a JSON object")),
        Err(e) => Err(Failure::bad(format!("invalid JSON: {e}"))),
    }
}

/// A string field of `min..=max` characters; `None` when absent or null
/// (an error if `required`).
pub fn text(
    body: &Map<String, Value>,
    name: &str,
    min: usize,
    max: usize,
    required: bool,
) -> Result<Option<String>, Failure> {
    match body.get(name) {
        None | Some(Value::Null) if required => Err(Failure::bad(format!("{name} is required"))),
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n < min || n > max {
                Err(Failure::bad(format!("{name} must be {min}-{max} characters")))
            } else if s.chars().any(char::is_control) {
                Err(Failure::bad(format!("{name} contains a control character")))
            } else {
                Ok(Some(s.clone()))
            }
        }
        Some(_) => Err(Failure::bad(format!("{name} must be a string"))),
    }
}

/// An integer field.
pub fn integer(
    body: &Map<String, Value>,
    name: &str,
    required: bool,
) -> Result<Option<i64>, Failure> {
    match body.get(name) {
        None | Some(Value::Null) if required => Err(Failure::bad(format!("{name} is required"))),
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            v.as_i64().map(Some).ok_or_else(|| Failure::bad(format!("{name} must be an integer")))
        }
    }
}

/// A boolean field.
pub fn boolean(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, Failure> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Failure::bad(format!("{name} must be true or false"))),
    }
}

/// The client statuses seed 002 allows.
pub const CLIENT_STATUSES: [&str; 5] = ["active", "online", "offline", "maintenance", "error"];

/// A status that must be one of `allowed`.
pub fn one_of(
    name: &str,
    value: Option<String>,
    allowed: &[&str],
) -> Result<Option<String>, Failure> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(Failure::bad(format!("{name} must be one of {}", allowed.join(", "))))
        }
        v => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode() {
        let q = Query::parse("user_id=12&name=GPU%20Server+1&bad=%zz&empty=");
        assert_eq!(q.get("user_id"), Some("12"));
        assert_eq!(q.get("name"), Some("GPU Server 1"));
        assert_eq!(q.get("bad"), Some("%zz"));
        assert_eq!(q.get("empty"), None);
        assert_eq!(Query::parse("a=%4").get("a"), Some("%4"));
        assert_eq!(Query::parse("a=%").get("a"), Some("%"));
    }
}

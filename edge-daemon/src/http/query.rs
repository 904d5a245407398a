//! The query string: `a=1&b=x%2Cy`, percent-decoded, `+` as a space.

/// Query parameters a request may carry; more is a 400.
pub const MAX_PARAMS: usize = 16;

/// The decoded `(name, value)` pairs of `query`, or the name of the first
/// parameter that is not valid UTF-8 after decoding.
pub fn parse(query: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let Some(query) = query.filter(|q| !q.is_empty()) else { return Ok(Vec::new()) };
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if pairs.len() > MAX_PARAMS {
        return Err(format!("more than {MAX_PARAMS} query parameters"));
    }
    pairs
        .into_iter()
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name).ok_or_else(|| format!("parameter `{name}` is not valid"))?;
            let value = decode(value).ok_or_else(|| format!("`{name}` is not valid UTF-8"))?;
            Ok((name, value))
        })
        .collect()
}

fn decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'+' => b' ',
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            b => b,
        });
    }
    String::from_utf8(out).ok()
}

/// A query parameter that is unknown or malformed: a 400 that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter {
    /// The parameter.
    pub parameter: String,
    /// What is wrong with it.
    pub message: String,
}

impl BadParameter {
    /// `parameter` is wrong: `message`.
    pub fn new(parameter: &str, message: String) -> Self {
        BadParameter { parameter: parameter.to_owned(), message }
    }
}

/// The last value of parameter `name`.
pub fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Reads a boolean parameter the way piStat's clients write them.
pub fn boolean(name: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("`{name}` must be true or false, not `{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded() {
        let pairs = parse(Some("fields=cpu_usage%2Cmemory&cache=false&q=a+b&flag")).unwrap();
        let expected =
            [("fields", "cpu_usage,memory"), ("cache", "false"), ("q", "a b"), ("flag", "")];
        assert_eq!(pairs.len(), expected.len());
        for ((n, v), (en, ev)) in pairs.iter().zip(expected) {
            assert_eq!((n.as_str(), v.as_str()), (en, ev));
        }
        assert!(parse(None).unwrap().is_empty());
        assert!(parse(Some("a=%ZZ")).is_err());
        assert!(parse(Some("a=%FF")).is_err());
        assert!(parse(Some(&"a=1&".repeat(MAX_PARAMS + 1))).is_err());
    }

    #[test]
    fn booleans() {
        assert_eq!(boolean("cache", "False"), Ok(false));
        assert_eq!(boolean("block", "true"), Ok(true));
        assert_eq!(
            boolean("cache", "maybe"),
            Err("`cache` must be true or false, not `maybe`".into())
        );
    }
}

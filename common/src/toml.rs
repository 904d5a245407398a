//! A strict reader for the flat TOML subset of `edgestat.toml` and
//! `edgestat-fleet.toml`.
//!
//! ```toml
//! # /etc/edgestat/edgestat.toml
//! host = "0.0.0.0"
//! port = 58090
//! update_interval = 0.5
//! rate_limit_enabled = false
//! query_to = ["10.0.0.5:3980", "10.0.0.6:3980"]
//! ```
//! One `key = value` per line, with a bare key and a value that is a
//! `"basic string"` (escapes `\"`, `\\`, `\n`, `\t`), a `'literal string'`,
//! an integer, a decimal float, `true`/`false`, or a one-line array of
//! strings; `#` comments and blank lines. Everything else TOML has (tables,
//! other arrays, dotted or quoted keys, multi-line strings, exponents,
//! dates) is refused with the line it is on, never skipped, so what is read
//! is always valid TOML that means the same thing to any other TOML reader.
//! Which keys exist is not known here; this only reads the syntax.

/// A value as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `"text"` or `'text'`, escapes resolved.
    Str(String),
    /// `58090`, `-1`.
    Int(i64),
    /// `0.5`, as written without a `+` sign, so it converts exactly.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// `["a", 'b']`: strings on one line.
    List(Vec<String>),
}

/// One `key = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// The key as written.
    pub key: String,
    /// The value.
    pub value: Value,
    /// `key = value` as written, without the comment, for messages.
    pub text: String,
}

/// A line that could not be read: its number and what is wrong, quoting
/// the line or the part of it that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

use LineError as Error;

/// Whether `key` holds a secret that no message may show: a token, a
/// password, or a URL (a database URL may carry a password). A line with
/// such a key is quoted as `key = ***`, even when it is malformed.
pub fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let names_a_file = key.ends_with("_file") || key.ends_with("-file");
    !names_a_file && ["token", "password", "secret", "url"].iter().any(|word| key.contains(word))
}

/// Reads every `key = value` line of `text`, in order.
pub fn parse(text: &str) -> Result<Vec<Entry>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries: Vec<Entry> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let entry = parse_line(trimmed).map_err(|message| Error { line, message })?;
        if let Some(first) = entries.iter().find(|e| e.key == entry.0) {
            let message = format!("`{}` is already set on line {}", entry.0, first.line);
            return Err(Error { line, message });
        }
        let (key, value, text) = entry;
        entries.push(Entry { line, key, value, text });
    }
    Ok(entries)
}

/// `key = value  # comment` → key, value, and `key = value` as written.
fn parse_line(line: &str) -> Result<(String, Value, String), String> {
    if line.starts_with('[') {
        return Err(format!(
            "`{line}`: tables are not supported; write every key at the top level"
        ));
    }
    let key_len = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    let (key, rest) = line.split_at(key_len);
    let rest = rest.trim_start();
    if key.is_empty() && (rest.starts_with('"') || rest.starts_with('\'')) {
        return Err(format!("`{line}`: quoted keys are not supported"));
    }
    if !key.is_empty() && rest.starts_with('.') {
        return Err(format!("`{line}`: dotted keys are not supported"));
    }
    let Some(rest) = rest.strip_prefix('=').filter(|_| !key.is_empty()) else {
        return Err(format!("`{line}`: expected `key = value`"));
    };
    let rest = rest.trim_start();
    if is_secret(key) {
        // Neither the line nor a piece of it: the value may be the secret.
        let hidden = |why: &str| format!("`{key} = ***`: {why} (the value is not shown)");
        let (value, after) = value(rest).map_err(|_| {
            hidden("expected a \"string\", a number, true, false or an array of strings")
        })?;
        let after = after.trim_start();
        if !(after.is_empty() || after.starts_with('#')) {
            return Err(hidden("unexpected text after the value"));
        }
        let text = line.get(..line.len() - after.len()).unwrap_or(line).trim_end();
        return Ok((key.to_owned(), value, text.to_owned()));
    }
    let (value, after) = value(rest).map_err(|why| format!("`{line}`: {why}"))?;
    let after = after.trim_start();
    if !(after.is_empty() || after.starts_with('#')) {
        return Err(format!("`{line}`: unexpected `{after}` after the value"));
    }
    let text = line.get(..line.len() - after.len()).unwrap_or(line).trim_end();
    Ok((key.to_owned(), value, text.to_owned()))
}

/// The value at the start of `s`, and what follows it.
fn value(s: &str) -> Result<(Value, &str), String> {
    if s.starts_with("\"\"\"") || s.starts_with("'''") {
        return Err("multi-line strings are not supported".into());
    }
    if let Some(body) = s.strip_prefix('"') {
        return basic_string(body);
    }
    if let Some(body) = s.strip_prefix('\'') {
        let (text, after) = body.split_once('\'').ok_or("the string has no closing `'`")?;
        return Ok((Value::Str(text.to_owned()), after));
    }
    if let Some(items) = s.strip_prefix('[') {
        return list(items);
    }
    if s.starts_with('{') {
        return Err("inline tables are not supported".into());
    }
    let end = s.find(|c: char| c.is_whitespace() || c == '#').unwrap_or(s.len());
    let (word, after) = s.split_at(end);
    let value = match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "" => return Err("the value is missing".into()),
        word => number(word)?,
    };
    Ok((value, after))
}

/// The rest of an array of strings after its `[`: `"a", 'b']`.
fn list(mut rest: &str) -> Result<(Value, &str), String> {
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(']') {
            return Ok((Value::List(items), after));
        }
        let (item, after) = match value(rest) {
            Ok((Value::Str(item), after)) if rest.starts_with(['"', '\'']) => (item, after),
            Ok(_) | Err(_) if rest.is_empty() => return Err("the array has no closing `]`".into()),
            Ok(_) | Err(_) => return Err("arrays may only hold \"strings\" on one line".into()),
        };
        items.push(item);
        rest = after.trim_start();
        rest = match rest.strip_prefix(',') {
            Some(after) => after,
            None if rest.starts_with(']') => rest,
            None if rest.is_empty() => return Err("the array has no closing `]`".into()),
            None => return Err("expected `,` or `]` in the array".into()),
        };
    }
}

/// The rest of a `"basic string"` after its opening quote.
fn basic_string(body: &str) -> Result<(Value, &str), String> {
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((Value::Str(out), body.get(i + 1..).unwrap_or_default())),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(e) => {
                    return Err(format!(
                        "`\\{e}` is not supported in a string; use \\\", \\\\, \\n or \\t, \
                         or a 'literal string'"
                    ));
                }
                None => break,
            },
            c => out.push(c),
        }
    }
    Err("the string has no closing `\"`".into())
}

/// `58090`, `-1`, `0.5`: TOML's decimal integers and plain decimal floats.
fn number(word: &str) -> Result<Value, String> {
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    let negative = word.starts_with('-');
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    if is_digits(whole) && !leading_zero && fraction.is_none_or(is_digits) {
        let sign = if negative { "-" } else { "" };
        return match fraction {
            Some(fraction) => Ok(Value::Float(format!("{sign}{whole}.{fraction}"))),
            None => format!("{sign}{whole}")
                .parse()
                .map(Value::Int)
                .map_err(|_| format!("`{word}` is too large for an integer")),
        };
    }
    let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit());
    if (numeric && unsigned.contains(['e', 'E', '_', 'x', 'o', 'b']))
        || ["inf", "nan"].contains(&unsigned)
    {
        return Err(format!("`{word}`: write numbers as plain digits, like 60 or 0.5"));
    }
    Err(format!("`{word}` is not a value: expected a \"string\", a number, true or false"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Result<Value, String> {
        parse(line).map(|mut e| e.remove(0).value).map_err(|e| e.message)
    }

    #[test]
    fn a_malformed_secret_is_never_quoted() {
        for line in [
            "token = s3cret-unquoted",
            "deploy_token = \"s3cret",
            "api_tokens = ['12:s3cret', ",
            "database_url = \"postgres://u:s3cret@db\" s3cret",
        ] {
            let message = one(line).unwrap_err();
            assert!(!message.contains("s3cret"), "{line}: {message}");
            let key = line.split(' ').next().unwrap();
            assert!(message.starts_with(&format!("`{key} = ***`: ")), "{message}");
        }
        // A well-formed secret is read as usual, and a path to one is no secret.
        assert_eq!(one("token = \"s3cret\"").unwrap(), Value::Str("s3cret".into()));
        assert!(one("token_file = /run/x").unwrap_err().contains("/run/x"));
        assert!(is_secret("EDGESTAT_TOKEN") && is_secret("database-url"));
        assert!(!is_secret("deploy_token_file") && !is_secret("host"));
    }

    #[test]
    fn reads_each_kind_of_value() {
        let text = "\u{feff}# edgestat\n\nhost = \"0.0.0.0\"  # all\nlog_level='debug'\n\
                    port=58090\nupdate_interval = 0.5\ndebug = true\ncache_seconds = -0.25\n";
        let entries = parse(text).unwrap();
        let got: Vec<_> =
            entries.iter().map(|e| (e.line, e.key.as_str(), e.value.clone())).collect();
        assert_eq!(
            got,
            [
                (3, "host", Value::Str("0.0.0.0".into())),
                (4, "log_level", Value::Str("debug".into())),
                (5, "port", Value::Int(58090)),
                (6, "update_interval", Value::Float("0.5".into())),
                (7, "debug", Value::Bool(true)),
                (8, "cache_seconds", Value::Float("-0.25".into())),
            ]
        );
        assert_eq!(entries.first().unwrap().text, "host = \"0.0.0.0\"");
    }

    #[test]
    fn strings_resolve_their_escapes() {
        assert_eq!(one(r#"k = "a\"b\\c\nd\te""#), Ok(Value::Str("a\"b\\c\nd\te".into())));
        assert_eq!(one(r"k = 'C:\edge\n'"), Ok(Value::Str(r"C:\edge\n".into())));
        assert_eq!(one(r##"k = "# not a comment""##), Ok(Value::Str("# not a comment".into())));
        assert_eq!(one("k = +5"), Ok(Value::Int(5)));
        assert_eq!(one("k = 0"), Ok(Value::Int(0)));
        assert_eq!(one("k = false#off"), Ok(Value::Bool(false)));
    }

    #[test]
    fn everything_outside_the_subset_names_its_line() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            err("port = 1\n\n[server]\n"),
            Error {
                line: 3,
                message: "`[server]`: tables are not supported; write every key at the top level"
                    .into()
            }
        );
        assert_eq!(err("port = 1\nport = 2").message, "`port` is already set on line 1");
        assert_eq!(err("port = 1\nport = 2").line, 2);
        for (line, message) in [
            ("port", "`port`: expected `key = value`"),
            ("= 1", "`= 1`: expected `key = value`"),
            ("\"port\" = 1", "`\"port\" = 1`: quoted keys are not supported"),
            ("server.port = 1", "`server.port = 1`: dotted keys are not supported"),
            ("port =", "`port =`: the value is missing"),
            ("port = 1 2", "`port = 1 2`: unexpected `2` after the value"),
            ("host = \"a", "`host = \"a`: the string has no closing `\"`"),
            ("host = 'a", "`host = 'a`: the string has no closing `'`"),
            (
                "host = \"\"\"a\"\"\"",
                "`host = \"\"\"a\"\"\"`: multi-line strings are not supported",
            ),
            ("host = [1]", "`host = [1]`: arrays may only hold \"strings\" on one line"),
            ("host = [\"a\"", "`host = [\"a\"`: the array has no closing `]`"),
            ("host = [\"a\" \"b\"]", "`host = [\"a\" \"b\"]`: expected `,` or `]` in the array"),
            ("host = {a = 1}", "`host = {a = 1}`: inline tables are not supported"),
            ("port = 1e3", "`port = 1e3`: `1e3`: write numbers as plain digits, like 60 or 0.5"),
            (
                "port = 1_000",
                "`port = 1_000`: `1_000`: write numbers as plain digits, like 60 or 0.5",
            ),
            ("port = 0x10", "`port = 0x10`: `0x10`: write numbers as plain digits, like 60 or 0.5"),
            (
                "port = 010",
                "`port = 010`: `010` is not a value: expected a \"string\", a number, true or false",
            ),
            (
                "k = .5",
                "`k = .5`: `.5` is not a value: expected a \"string\", a number, true or false",
            ),
            (
                "k = yes",
                "`k = yes`: `yes` is not a value: expected a \"string\", a number, true or false",
            ),
            (
                "k = 99999999999999999999",
                "`k = 99999999999999999999`: `99999999999999999999` is too large for an integer",
            ),
        ] {
            assert_eq!(err(line), Error { line: 1, message: message.into() }, "{line}");
        }
        assert!(err(r#"k = "\u0041""#).message.contains("`\\u` is not supported in a string"));
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(
            one(r#"k = ["10.0.0.5:3980", '10.0.0.6:3980',]  # two"#),
            Ok(Value::List(vec!["10.0.0.5:3980".into(), "10.0.0.6:3980".into()]))
        );
        assert_eq!(one("k = []"), Ok(Value::List(Vec::new())));
    }
}

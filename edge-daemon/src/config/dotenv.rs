//! A reader for `.env` files, as docker compose, systemd's
//! `EnvironmentFile=` and python-dotenv (piStat) write them.
//!
//! ```sh
//! # ./.env
//! export EDGESTAT_HOST=0.0.0.0
//! PISTAT_CACHE_SECONDS="5"   # seconds
//! TZ='Europe/Berlin'
//! ```
//! `KEY=value` lines, an optional `export ` prefix, `#` comments and blank
//! lines. A value is bare (a `#` after a space starts a comment), in
//! `'single quotes'` (taken as is) or in `"double quotes"` (escapes `\"`,
//! `\\`, `\n`, `\t`, `\$`); a quoted value may span lines, as other tools
//! sharing the file may write. Every variable is returned; which ones
//! matter is decided by the caller.

/// One `KEY=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line the assignment starts on.
    pub line: usize,
    /// The variable name.
    pub key: String,
    /// The value, quotes and escapes resolved.
    pub value: String,
}

pub use super::LineError as Error;

/// Reads every assignment of `text`, in order.
pub fn parse(text: &str) -> Result<Vec<Entry>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line));
    let mut entries = Vec::new();
    while let Some((line, raw)) = lines.next() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let error = |message: String| Error { line, message };
        let assignment = trimmed
            .strip_prefix("export")
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map_or(trimmed, str::trim_start);
        let Some((key, rest)) = assignment.split_once('=') else {
            return Err(error(format!("`{trimmed}`: expected KEY=value")));
        };
        let key = key.trim_end();
        if !is_name(key) {
            return Err(error(format!("`{trimmed}`: `{key}` is not a variable name")));
        }
        let start = rest.trim_start();
        let value = match start.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                quoted(quote, start.get(1..).unwrap_or_default(), line, &mut lines)?
            }
            _ => bare(rest),
        };
        entries.push(Entry { line, key: key.to_owned(), value });
    }
    Ok(entries)
}

/// A shell variable name: a letter or `_`, then letters, digits and `_`.
fn is_name(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A bare value: up to a `#` that follows whitespace, trimmed.
fn bare(rest: &str) -> String {
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            c == '#' && rest.get(..i).is_some_and(|before| before.ends_with([' ', '\t']))
        })
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..end).unwrap_or(rest).trim().to_owned()
}

/// A quoted value starting with `body` (after the opening quote), read on
/// through following lines until its closing quote.
fn quoted<'a>(
    quote: char,
    mut body: &'a str,
    first: usize,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<String, Error> {
    let mut out = String::new();
    let mut line = first;
    loop {
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == quote {
                let after = body.get(i + 1..).unwrap_or_default().trim_start();
                if !(after.is_empty() || after.starts_with('#')) {
                    let message = format!("unexpected `{after}` after the closing {quote}");
                    return Err(Error { line, message });
                }
                return Ok(out);
            }
            if c == '\\' && quote == '"' {
                match chars.next().map(|(_, e)| e) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(e @ ('"' | '\\' | '$')) => out.push(e),
                    Some(e) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        let Some((next, text)) = lines.next() else {
            let message = format!("the value has no closing {quote}");
            return Err(Error { line: first, message });
        };
        out.push('\n');
        (line, body) = (next, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(usize, String, String)> {
        parse(text).unwrap().into_iter().map(|e| (e.line, e.key, e.value)).collect()
    }

    fn entry(line: usize, key: &str, value: &str) -> (usize, String, String) {
        (line, key.into(), value.into())
    }

    #[test]
    fn reads_the_forms_tools_write() {
        let text = "\u{feff}# edgestat\n\nEDGESTAT_HOST=0.0.0.0\nexport PISTAT_DEBUG=True\n\
                    PISTAT_CACHE_SECONDS=\"5\"   # seconds\n  TZ = 'Europe/Berlin' \n\
                    COLOR=#fff\nEMPTY=\nNOTE=a # b\nQ=\"say \\\"hi\\\"\\n\\$HOME \\q\"\n\
                    exporter=1\n";
        assert_eq!(
            pairs(text),
            [
                entry(3, "EDGESTAT_HOST", "0.0.0.0"),
                entry(4, "PISTAT_DEBUG", "True"),
                entry(5, "PISTAT_CACHE_SECONDS", "5"),
                entry(6, "TZ", "Europe/Berlin"),
                entry(7, "COLOR", "#fff"),
                entry(8, "EMPTY", ""),
                entry(9, "NOTE", "a"),
                entry(10, "Q", "say \"hi\"\n$HOME \\q"),
                entry(11, "exporter", "1"),
            ]
        );
    }

    #[test]
    fn quoted_values_may_span_lines() {
        let text = "KEY=\"-----BEGIN\nabc\n-----END\"\nEDGESTAT_PORT='1'\n";
        assert_eq!(
            pairs(text),
            [entry(1, "KEY", "-----BEGIN\nabc\n-----END"), entry(4, "EDGESTAT_PORT", "1")]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            err("A=1\nnot an assignment\n"),
            Error { line: 2, message: "`not an assignment`: expected KEY=value".into() }
        );
        assert_eq!(
            err("EDGE STAT=1"),
            Error { line: 1, message: "`EDGE STAT=1`: `EDGE STAT` is not a variable name".into() }
        );
        assert_eq!(
            err("A=1\nB=\"open\nC=2\n"),
            Error { line: 2, message: "the value has no closing \"".into() }
        );
        assert_eq!(
            err("A='x' y"),
            Error { line: 1, message: "unexpected `y` after the closing '".into() }
        );
    }
}

//! `--help` text for every command: a usage line, what the command does,
//! and its flags, each with what it sets, its default and the environment
//! variables that set it too.
//!
//! ```text
//! Flags:
//!   --port, -p PORT
//!       TCP port of the HTTP server; 0 picks a free one
//!       [default: 58090] [env: EDGESTAT_PORT, PISTAT_PORT]
//! ```
//! `run`, `config` and `detect` take their rows from the settings table
//! (`config::keys::KEYS`); `-h` is the seed's `--host`, so only
//! `--help` asks for this text.

use std::fmt::Write as _;

/// The flag that asks any command for its help.
pub const FLAG: &str = "--help";

/// Width the text is wrapped to.
const WIDTH: usize = 80;

/// Indent of a flag's description under its name.
const INDENT: &str = "      ";

/// One flag in the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The flag and its aliases, with the value's placeholder:
    /// `--port, -p PORT`.
    pub flags: String,
    /// What it does.
    pub doc: String,
    /// The default, when there is one worth showing.
    pub default: Option<String>,
    /// The environment variables that set it, first one wins.
    pub env: Vec<&'static str>,
}

impl Row {
    /// A row with no default and no variable.
    pub fn new(flags: impl Into<String>, doc: impl Into<String>) -> Self {
        Self { flags: flags.into(), doc: doc.into(), default: None, env: Vec::new() }
    }
}

/// Whether `args` ask for help: `--help` anywhere among them.
pub fn asked(args: &[&str]) -> bool {
    args.contains(&FLAG)
}

/// The help text: `usage` (after "Usage: "), the paragraph `about`
/// (wrapped), then the rows and `--help` itself.
pub fn render(usage: &str, about: &str, rows: &[Row]) -> String {
    let mut text = format!("Usage: {usage}\n\n");
    wrap(&mut text, about, "");
    text.push_str("\nFlags:\n");
    let help = Row::new(FLAG, "print this help and exit");
    for row in rows.iter().chain(core::iter::once(&help)) {
        let _ = writeln!(text, "  {}", row.flags);
        wrap(&mut text, &row.doc, INDENT);
        let mut tail = String::new();
        if let Some(default) = &row.default {
            let _ = write!(tail, "[default: {default}]");
        }
        if !row.env.is_empty() {
            if !tail.is_empty() {
                tail.push(' ');
            }
            let _ = write!(tail, "[env: {}]", row.env.join(", "));
        }
        if !tail.is_empty() {
            wrap(&mut text, &tail, INDENT);
        }
    }
    text
}

/// Appends `paragraph` to `text`, each line starting with `indent` and at
/// most [`WIDTH`] columns unless one word is longer. Blank lines in
/// `paragraph` are kept.
fn wrap(text: &mut String, paragraph: &str, indent: &str) {
    for line in paragraph.split('\n') {
        let mut column = 0;
        for word in line.split_whitespace() {
            let len = word.chars().count();
            if column > 0 && column + 1 + len > WIDTH {
                text.push('\n');
                column = 0;
            }
            if column == 0 {
                text.push_str(indent);
                column = indent.len();
            } else {
                text.push(' ');
                column += 1;
            }
            text.push_str(word);
            column += len;
        }
        text.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_shows_its_flags_doc_default_and_variables() {
        let mut port = Row::new("--port, -p PORT", "TCP port of the HTTP server");
        port.default = Some("58090".into());
        port.env = vec!["EDGESTAT_PORT", "PISTAT_PORT"];
        let text = render("edgestat run [FLAGS]", "Runs the daemon.", &[port]);
        assert_eq!(
            text,
            "Usage: edgestat run [FLAGS]\n\nRuns the daemon.\n\nFlags:\n  --port, -p PORT\n      \
             TCP port of the HTTP server\n      [default: 58090] [env: EDGESTAT_PORT, PISTAT_PORT]\n  \
             --help\n      print this help and exit\n"
        );
    }

    #[test]
    fn long_text_wraps_at_eighty_columns_and_keeps_long_words_whole() {
        let doc = "word ".repeat(40);
        let long = "x".repeat(100);
        let text = render("u", &format!("{doc}\n{long}"), &[Row::new("--a", doc.clone())]);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH || line == long, "{line:?}");
        }
        assert!(text.contains(&format!("\n{long}\n")));
        assert_eq!(text.matches("word").count(), 80);
    }

    #[test]
    fn only_the_long_flag_asks_for_help() {
        assert!(asked(&["--port", "1", "--help"]));
        assert!(!asked(&["-h", "0.0.0.0"]));
    }
}

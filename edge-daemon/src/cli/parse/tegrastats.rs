//! `edgestat parse tegrastats`: one JSON line out for every line in.
//!
//! A parsed line becomes the seed 000 `/api/status` object; a rejected
//! line becomes `{"error":"<reason>","line":N}` (N counts from 1). The
//! read buffer, the sample and the JSON buffer are reused, so a long log
//! costs no more memory than its longest line.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use edgestat_core::capacity::TEGRA_JSON_MAX;
use edgestat_core::json;
use edgestat_core::tegra::TegraSample;
use edgestat_parsers::tegrastats;

/// Longest input line accepted, in bytes. A real line is under 1 KiB
/// (AGX Orin r36 with padding: about 900 bytes).
pub const MAX_LINE: usize = 16 * 1024;

/// Converts every line of `input` and writes one JSON line each to `output`.
pub fn convert(input: impl BufRead, output: impl Write) -> ExitCode {
    super::outcome(convert_lines(input, output))
}

/// Returns whether every line parsed.
fn convert_lines(mut input: impl BufRead, mut output: impl Write) -> std::io::Result<bool> {
    let mut line = Vec::with_capacity(1024);
    let mut json_buf = vec![0u8; TEGRA_JSON_MAX];
    let mut sample = TegraSample::default();
    let mut all_ok = true;
    let mut number: u64 = 0;
    loop {
        line.clear();
        let read =
            std::io::Read::take(&mut input, MAX_LINE as u64 + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        let too_long = line.len() > MAX_LINE && line.last() != Some(&b'\n');
        if too_long {
            // Skip the rest of the overlong line so the next one lines up.
            skip_line(&mut input)?;
        }
        let parsed = if too_long {
            Err("line longer than 16384 bytes".to_owned())
        } else {
            tegrastats::parse_into(&line, &mut sample).map_err(|e| e.to_string())
        };
        let written =
            parsed.and_then(|()| json::to_slice(&sample, &mut json_buf).map_err(|e| e.to_string()));
        match written {
            Ok(len) => output.write_all(json_buf.get(..len).unwrap_or_default())?,
            Err(reason) => {
                all_ok = false;
                let error = error_line(&reason, number);
                output.write_all(error.as_bytes())?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(all_ok)
}

fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// `{"error":"<reason>","line":N}`.
fn error_line(reason: &str, line: u64) -> String {
    #[derive(serde::Serialize)]
    struct ErrorLine<'a> {
        error: &'a str,
        line: u64,
    }
    let mut buf = [0u8; 256];
    match json::to_slice(&ErrorLine { error: reason, line }, &mut buf) {
        Ok(len) => String::from_utf8_lossy(buf.get(..len).unwrap_or_default()).into_owned(),
        Err(_) => format!("{{\"error\":\"unparsable line\",\"line\":{line}}}"),
    }
}

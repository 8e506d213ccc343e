//! JSON samples as the reference draws them: every member and element behind a
//! `• ` bullet, sometimes with a trailing comma or an escape JSON does not know
//! (`\[`, left by an e-mail obfuscator). The reader finds where a sample ends
//! by counting brackets outside strings, removes the bullets, and parses; a
//! sample that only parses after repair is parsed, and each repair is reported
//! with its line.

use serde_json::Value;

/// A JSON sample cut out of the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct RawJson {
    /// The JSON text with bullets removed, one reference line per text line.
    pub text: String,
    /// Index of the first line of the sample.
    pub first: usize,
    /// Index of the line after the sample.
    pub next: usize,
}

/// Reads a bulleted JSON value starting at `lines[first]`, which must open
/// with `{` or `[`. Returns `Err(index)` with the index of the first line
/// when the value never closes (a truncated file).
pub fn read(lines: &[&str], first: usize) -> Result<RawJson, usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut text = String::new();
    for (index, line) in lines.iter().enumerate().skip(first) {
        let content = strip_bullet(line);
        for c in content.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        text.push_str(&content);
        text.push('\n');
        // A string never spans lines in these samples; an open one means a
        // garbled line, and the value is over once its brackets balance.
        in_string = false;
        escaped = false;
        if depth == 0 {
            return Ok(RawJson {
                text,
                first,
                next: index + 1,
            });
        }
    }
    Err(first)
}

/// A line without its leading `• ` bullet (indentation kept).
fn strip_bullet(line: &str) -> String {
    let trimmed = line.trim_start();
    match trimmed.strip_prefix('•') {
        Some(rest) => {
            let indent = &line[..line.len() - trimmed.len()];
            format!("{indent}{}", rest.strip_prefix(' ').unwrap_or(rest))
        }
        None => line.to_owned(),
    }
}

/// A parsed sample and the repairs it needed: (0-based line within the sample, what).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The value.
    pub value: Value,
    /// The repairs, empty when the sample was valid JSON.
    pub repairs: Vec<(usize, String)>,
}

/// Parses sample text, repairing trailing commas, unknown escapes and raw
/// control characters. On failure returns the 0-based line and the parser's
/// message.
pub fn parse(text: &str) -> Result<Parsed, (usize, String)> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(Parsed {
            value,
            repairs: Vec::new(),
        });
    }
    let (repaired, repairs) = repair(text);
    match serde_json::from_str(&repaired) {
        Ok(value) => Ok(Parsed { value, repairs }),
        Err(e) => Err((e.line().saturating_sub(1), e.to_string())),
    }
}

fn repair(text: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(text.len());
    let mut repairs = Vec::new();
    let mut line = 0usize;
    let mut in_string = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                '\\' => {
                    let next = chars.get(i + 1).copied();
                    let valid = match next {
                        Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => true,
                        Some('u') => {
                            chars.len() > i + 5
                                && chars[i + 2..i + 6].iter().all(char::is_ascii_hexdigit)
                        }
                        _ => false,
                    };
                    if valid {
                        out.push(c);
                        out.extend(next);
                        i += 2;
                        continue;
                    }
                    let shown = next.map(String::from).unwrap_or_default();
                    repairs.push((
                        line,
                        format!("unknown escape `\\{shown}` read as a backslash"),
                    ));
                    out.push_str("\\\\");
                }
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                '\n' => {
                    // A string cut by the end of a line: close it here.
                    repairs.push((
                        line - 1,
                        "unterminated string closed at the end of the line".into(),
                    ));
                    in_string = false;
                    out.push_str("\"\n");
                }
                c if c.is_control() => {
                    repairs.push((
                        line,
                        format!("raw control character U+{:04X} escaped", c as u32),
                    ));
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ',' => {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if matches!(next, Some('}' | ']')) {
                    repairs.push((line, "trailing comma removed".into()));
                } else {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    (out, repairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_bulleted_object_to_its_end() {
        let lines = [
            "{",
            "  • \"data\": {",
            "    • \"a\": \"{not a bracket\"",
            "    },",
            "  • \"list\": [",
            "    • 1",
            "    ]",
            "}",
            "Next function",
        ];
        let raw = read(&lines, 0).unwrap();
        assert_eq!(raw.next, 8);
        let parsed = parse(&raw.text).unwrap();
        assert_eq!(
            parsed.value,
            json!({"data": {"a": "{not a bracket"}, "list": [1]})
        );
        assert!(parsed.repairs.is_empty());
    }

    #[test]
    fn truncated_sample_is_an_error() {
        let lines = ["{", "  • \"data\": {", "    • \"a\": 1"];
        assert_eq!(read(&lines, 0), Err(0));
    }

    #[test]
    fn repairs_trailing_commas_and_bad_escapes() {
        let text = "{\n\"a\": [1, 2,],\n\"b\": \"mail\\[at]example\",\n}\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.value, json!({"a": [1, 2], "b": "mail\\[at]example"}));
        let lines: Vec<usize> = parsed.repairs.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 2]);
    }

    #[test]
    fn unrepairable_sample_reports_its_line() {
        let err = parse("{\n\"a\": 1\n\"b\": 2\n}").unwrap_err();
        assert_eq!(err.0, 2);
    }
}

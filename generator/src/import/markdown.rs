//! Rendered description text to CommonMark.
//!
//! The reference is plain text: paragraphs, `•` bullets indented two spaces a
//! level, and `Note:` / `Warning:` / `Important:` labels above the block they
//! qualify. The text itself is escaped so that nothing in it turns into
//! Markdown by accident (`[email protected]` is not a link, `<username>` is
//! not an HTML tag), and bare URLs become autolinks. What comes out is safe
//! to paste into rustdoc.

use super::reference::Text;

/// Labels that open a call-out block.
const CALLOUTS: [&str; 7] = [
    "Note",
    "Notes",
    "NOTE",
    "Warning",
    "Important",
    "Caution",
    "Tip",
];

/// The text as CommonMark, or `None` when it is empty.
pub fn to_markdown(text: &Text) -> Option<String> {
    let chunks = chunks(&text.lines);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chunks.len() {
        let chunk = &chunks[i];
        if let [label] = chunk.as_slice()
            && let Some(label) = callout_label(label)
        {
            // The label qualifies the next block, and the one after it when
            // the next ends by announcing it ("... the following:").
            let mut body = Vec::new();
            let mut j = i + 1;
            while j < chunks.len() && body.len() < 2 {
                body.push(render_chunk(&chunks[j]));
                let announces = chunks[j]
                    .last()
                    .is_some_and(|l| l.trim_end().ends_with(':'));
                j += 1;
                if !announces {
                    break;
                }
            }
            let mut block = format!("**{label}:**");
            if !body.is_empty() {
                block.push_str("\n\n");
                block.push_str(&body.join("\n\n"));
            }
            out.push(quote(&block));
            i = j;
            continue;
        }
        out.push(render_chunk(chunk));
        i += 1;
    }
    let joined = out.join("\n\n");
    (!joined.trim().is_empty()).then_some(joined)
}

/// One line of plain text as escaped inline Markdown.
pub fn inline(text: &str) -> String {
    escape_line(text.trim())
}

/// Whether the line is a call-out label such as `Note:`.
pub fn is_callout(line: &str) -> bool {
    callout_label(line).is_some()
}

fn callout_label(line: &str) -> Option<&str> {
    let label = line.trim().strip_suffix(':')?;
    CALLOUTS.contains(&label).then_some(label)
}

/// Consecutive non-blank lines.
fn chunks(lines: &[String]) -> Vec<Vec<String>> {
    let mut chunks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.clone());
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// A bullet line's nesting level and text.
pub fn bullet(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let text = trimmed.strip_prefix('•')?;
    let indent = line.len() - trimmed.len();
    Some((indent.saturating_sub(2) / 2, text.trim()))
}

fn render_chunk(chunk: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut last_level = 0usize;
    for line in chunk {
        match bullet(line) {
            Some((level, text)) => {
                if !paragraph.is_empty() {
                    parts.push(paragraph.join("\\\n"));
                    paragraph.clear();
                }
                // CommonMark nests by the parent's content offset; never skip a level.
                let level = if list.is_empty() {
                    0
                } else {
                    level.min(last_level + 1)
                };
                last_level = level;
                list.push(format!("{}- {}", "  ".repeat(level), escape_line(text)));
            }
            None => {
                if !list.is_empty() {
                    parts.push(list.join("\n"));
                    list.clear();
                }
                paragraph.push(escape_line(line.trim()));
            }
        }
    }
    if !paragraph.is_empty() {
        parts.push(paragraph.join("\\\n"));
    }
    if !list.is_empty() {
        parts.push(list.join("\n"));
    }
    parts.join("\n\n")
}

fn quote(block: &str) -> String {
    block
        .lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_owned()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes one line of text and turns URLs into autolinks.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = find_url(rest) {
        escape_text(&rest[..start], &mut out);
        let url_len = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '\''))
            .unwrap_or(rest.len() - start);
        let mut url = &rest[start..start + url_len];
        // Sentence punctuation after a URL is not part of it.
        while let Some(stripped) = url.strip_suffix(['.', ',', ';', ':', ')', '!', '?']) {
            url = stripped;
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &rest[start + url.len()..];
    }
    escape_text(rest, &mut out);
    // At the start of a line these would open a heading, quote or list.
    if out.starts_with(['#', '>', '+', '=']) || out.starts_with("- ") {
        out.insert(0, '\\');
    }
    out
}

fn find_url(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = s[from..].find("http") {
        let at = from + pos;
        let tail = &s[at..];
        let scheme = if tail.starts_with("https://") {
            8
        } else if tail.starts_with("http://") {
            7
        } else {
            0
        };
        let host_ok = tail[scheme.min(tail.len())..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if scheme > 0 && host_ok {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn escape_text(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let needs = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '~' | '|' => true,
            // Inside a word (`api_token_create`) an underscore is literal;
            // at a word's edge it could open or close emphasis.
            '_' => {
                let before = i.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i + 1).copied();
                !(before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric))
            }
            '&' => chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(lines: &[&str]) -> String {
        to_markdown(&Text {
            lines: lines.iter().map(|s| s.to_string()).collect(),
        })
        .unwrap_or_default()
    }

    #[test]
    fn paragraphs_and_bullets() {
        assert_eq!(
            md(&[
                "First paragraph.",
                "",
                "Choose:",
                "  • 1 — Yes.",
                "    • nested",
                "  • 0 — No."
            ]),
            "First paragraph.\n\nChoose:\n\n- 1 — Yes.\n  - nested\n- 0 — No."
        );
    }

    #[test]
    fn callouts_become_quotes() {
        assert_eq!(
            md(&["Text.", "", "Note:", "", "  • a", "  • b", "", "After."]),
            "Text.\n\n> **Note:**\n>\n> - a\n> - b\n\nAfter."
        );
        assert_eq!(
            md(&[
                "Warning:",
                "",
                "Read the following:",
                "",
                "  • x",
                "",
                "Not part of it."
            ]),
            "> **Warning:**\n>\n> Read the following:\n>\n> - x\n\nNot part of it."
        );
    }

    #[test]
    fn escapes_markdown_and_links_urls() {
        assert_eq!(inline("[email protected]"), "\\[email protected\\]");
        assert_eq!(inline("a <username> *b*"), "a \\<username\\> \\*b\\*");
        assert_eq!(
            inline("api_token_create and _x_"),
            "api_token_create and \\_x\\_"
        );
        assert_eq!(
            inline("See https://go.cpanel.net/x. Done"),
            "See <https://go.cpanel.net/x>. Done"
        );
        assert_eq!(inline("# not a heading"), "\\# not a heading");
        assert_eq!(inline("&nbsp; & more"), "\\&nbsp; & more");
    }

    #[test]
    fn table_lines_keep_their_breaks() {
        assert_eq!(
            md(&["Parameter sudo su", "user The username."]),
            "Parameter sudo su\\\nuser The username."
        );
    }

    #[test]
    fn empty_text_is_none() {
        assert_eq!(
            to_markdown(&Text {
                lines: vec!["".into(), "  ".into()]
            }),
            None
        );
    }
}

//! Markdown from a spec made into doc comment lines. Specs are written
//! for renderers that forgive what rustdoc and clippy do not: a list
//! item's second line written flush left (a "lazy continuation", which
//! `clippy::doc_lazy_continuation` refuses) is indented under its item,
//! and tabs are spaces.

/// The lines of a doc comment for `text`, each with the space that
/// follows `///` (empty lines stay empty).
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = text.replace('\t', "    ");
    let mut lines = Vec::new();
    // The indent of the content of the list item being read, if any.
    let mut item: Option<usize> = None;
    let mut fence: Option<&str> = None;
    for line in text.trim_end().lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let fixed = if let Some(open) = fence {
            if body.starts_with(open) {
                fence = None;
            }
            line.to_owned()
        } else if line.trim().is_empty() {
            item = None;
            String::new()
        } else if let Some(marker) = list_marker(body) {
            item = Some(indent + marker);
            line.to_owned()
        } else if body.starts_with('#') {
            // A heading ends the list.
            item = None;
            line.to_owned()
        } else {
            let fixed = match item {
                Some(content) if indent < content => {
                    format!("{}{body}", " ".repeat(content))
                }
                _ => line.to_owned(),
            };
            if let Some(open) = ["```", "~~~"].into_iter().find(|f| body.starts_with(f)) {
                fence = Some(open);
            }
            fixed
        };
        lines.push(match fixed.is_empty() {
            true => fixed,
            false => format!(" {fixed}"),
        });
    }
    lines
}

/// The width of a list item's marker and the space after it (`- `, `1. `),
/// when `line` (without its indent) starts one.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits)
            && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) =>
        {
            digits + 1
        }
        _ => return None,
    };
    let spaces = line[marker..].bytes().take_while(|b| *b == b' ').count();
    // A marker needs a space after it (`-1` and `*emphasis*` are none), and
    // a thematic break (`---`, `***`) is none either.
    (spaces > 0 && !line[marker..].trim().is_empty()).then_some(marker + spaces.min(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_items_flush_left_lines_are_indented_under_it() {
        let text = "Notes:\n\n- one that goes\non here\n  and here\n10. ten\nmore\n\nafter\n```\n- a\nb\n```";
        assert_eq!(
            doc_lines(text),
            [
                " Notes:",
                "",
                " - one that goes",
                "   on here",
                "   and here",
                " 10. ten",
                "     more",
                "",
                " after",
                " ```",
                " - a",
                " b",
                " ```",
            ]
        );
        // No list: lines as they are, tabs as spaces.
        assert_eq!(doc_lines("a\n-1 b\n\tc"), [" a", " -1 b", "     c"]);
        assert_eq!(doc_lines("---\nnext"), [" ---", " next"]);
    }
}

//! Text on its way to a person: what a server sent (a value, a reason, a
//! name), or the spec's prose, can hold terminal control sequences that
//! would retitle a window, clear the screen, switch the character set,
//! write the clipboard (OSC 52) or reorder what is shown (bidi overrides).
//! [`visible`] is the one function every human-facing output goes
//! through: such characters come out as escapes a person can read
//! (`\e`, `\x07`, `\u{202e}`), and a backslash as `\\`, so that no escape
//! can be forged either. [`width`] and [`fit`] lay text out by the columns
//! it takes on a terminal (a wide character takes two, a combining mark
//! none).

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

/// Whether `c` must not reach a terminal as it is: C0 and C1 control
/// characters, DEL, and the invisible format characters (Unicode's
/// category Cf, bidi controls among them, and the line and paragraph
/// separators).
pub fn is_unsafe(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20 || (0x7f..=0x9f).contains(&code) || is_format(code)
}

/// Unicode's format characters (general category Cf, Unicode 15.1), and
/// U+2028/U+2029, which end a line on some terminals.
fn is_format(code: u32) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x00ad, 0x00ad),
        (0x0600, 0x0605),
        (0x061c, 0x061c),
        (0x06dd, 0x06dd),
        (0x070f, 0x070f),
        (0x0890, 0x0891),
        (0x08e2, 0x08e2),
        (0x180e, 0x180e),
        (0x200b, 0x200f),
        (0x2028, 0x202e),
        (0x2060, 0x2064),
        (0x2066, 0x206f),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0001, 0xe0001),
        (0xe0020, 0xe007f),
    ];
    code >= 0xad
        && RANGES
            .iter()
            .any(|&(low, high)| (low..=high).contains(&code))
}

/// `text` as it may be shown on a terminal: every character of
/// [`is_unsafe`] as a visible escape, a backslash doubled; anything else
/// as it is (borrowed, when nothing needed escaping).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\x1b' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` line by line through [`visible`], its line breaks kept: for a
/// body of several lines shown on a terminal.
pub fn visible_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&visible(line));
    }
    out
}

/// The columns `text` takes on a terminal (text made [`visible`] first:
/// it holds no control characters).
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` cut to at most `columns` columns, with `…` where it was cut.
pub fn cut(text: &str, columns: usize) -> Cow<'_, str> {
    if text.width() <= columns {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        used += w;
        out.push(c);
    }
    if columns > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// `text` cut to `columns` columns and padded with spaces to fill them.
pub fn fit(text: &str, columns: usize) -> String {
    let cut = cut(text, columns);
    let pad = columns.saturating_sub(cut.width());
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequences_come_out_as_visible_escapes() {
        assert_eq!(visible("\x1b]0;pwned\x07"), "\\e]0;pwned\\x07");
        assert_eq!(visible("\x1b[2J"), "\\e[2J");
        assert_eq!(visible("a\x0eb\x0fc"), "a\\x0eb\\x0fc");
        assert_eq!(visible("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(visible("x\x7fy"), "x\\x7fy");
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("\u{2066}\u{2069}"), "\\u{2066}\\u{2069}");
        assert_eq!(visible("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(visible("tag\u{e0041}"), "tag\\u{e0041}");
        assert_eq!(visible("line\nnext\ttab\r"), "line\\nnext\\ttab\\r");
        // A backslash is doubled, so that no escape can be forged.
        assert_eq!(visible("\\e[2J"), "\\\\e[2J");
        // Text that needs nothing is not copied.
        assert!(matches!(visible("bob.example 10M"), Cow::Borrowed(_)));
        assert_eq!(visible("日本語 café"), "日本語 café");
        assert_eq!(visible_lines("a\x1b\nb"), "a\\e\nb");
    }

    #[test]
    fn nothing_escaped_holds_a_control_or_format_character() {
        for code in (0..0x3000).chain(0xe0000..0xe0080).chain(0xfe00..0x10000) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let shown = visible(&c.to_string()).into_owned();
            assert!(!shown.chars().any(is_unsafe), "{code:x}");
            assert!(!shown.chars().any(char::is_control), "{code:x}: {shown:?}");
        }
    }

    #[test]
    fn layout_counts_columns_not_characters() {
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(width(&fit("日本語", 5)), 5);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
    }
}

//! The type line of a parameter: `string <email>`, `integer [ 0 .. 7 ]`,
//! `string or integer (IntPosOrUnlimited)`, `Array of strings <domain> [ items <domain > ]`.
//!
//! The reference renders a schema as one line: alternatives joined by ` or `,
//! an optional schema name in parentheses, an optional `<format>` and
//! constraints. After `Array of`, alternatives written in the plural belong to
//! the items (`Array of strings or strings`); singular ones to the value
//! itself (`Array of strings or null`).

use serde_json::Number;

/// A parsed type line.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    /// The alternatives, in the order written (duplicates kept).
    pub alternatives: Vec<Alternative>,
    /// A schema name in parentheses: `(IntPosOrUnlimited)`.
    pub name: Option<String>,
    /// A format in angle brackets: `<email>`.
    pub format: Option<String>,
    /// Range and length constraints.
    pub constraints: Vec<Constraint>,
}

/// One alternative of a type line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alternative {
    /// A single value of a primitive type.
    Single(Primitive),
    /// An array whose items are any of these (duplicates kept).
    Array(Vec<Primitive>),
}

/// The primitive types of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Primitive {
    /// `any`: no constraint.
    Any,
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`.
    Object,
    /// `null`.
    Null,
}

impl Primitive {
    /// The OpenAPI `type` keyword, or `None` for `any` and `null`.
    pub fn openapi_type(self) -> Option<&'static str> {
        match self {
            Primitive::Any | Primitive::Null => None,
            Primitive::String => Some("string"),
            Primitive::Integer => Some("integer"),
            Primitive::Number => Some("number"),
            Primitive::Boolean => Some("boolean"),
            Primitive::Object => Some("object"),
        }
    }
}

/// A constraint written after the type.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `[ a .. b ]` (inclusive) or `( a .. b )` (exclusive).
    Range {
        /// Lower bound.
        min: Number,
        /// Upper bound.
        max: Number,
        /// Whether both bounds are excluded.
        exclusive: bool,
    },
    /// `>= n`.
    AtLeast(Number),
    /// `<= n` (a length when the type is a string).
    AtMost(Number),
    /// `<= n characters`.
    MaxCharacters(u64),
    /// `[ items >= n ]`.
    ItemsAtLeast(Number),
    /// `[ items <format > ]`.
    ItemsFormat(String),
}

/// Parses a whole line as a type expression; `None` when it is not one.
pub fn parse(line: &str) -> Option<TypeExpr> {
    let mut cursor = Cursor { rest: line };
    let mut alternatives = Vec::new();
    let mut array_open = false;
    loop {
        if let Some(rest) = cursor.rest.strip_prefix("Array of ") {
            cursor.rest = rest;
            let item = cursor.word(true)?;
            alternatives.push(Alternative::Array(vec![item.0]));
            array_open = true;
        } else {
            let (primitive, plural) = cursor.word(array_open)?;
            match (plural, alternatives.last_mut()) {
                (true, Some(Alternative::Array(items))) => items.push(primitive),
                (true, _) => return None,
                (false, _) => {
                    alternatives.push(Alternative::Single(primitive));
                    array_open = false;
                }
            }
        }
        match cursor.rest.strip_prefix(" or ") {
            Some(rest) => cursor.rest = rest,
            None => break,
        }
    }
    let name = cursor.delimited(" (", ")", |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
    });
    let format = cursor
        .delimited(" <", ">", |c| !matches!(c, '<' | '>'))
        .map(str::to_owned);
    let mut constraints = Vec::new();
    while !cursor.rest.is_empty() {
        constraints.push(cursor.constraint()?);
    }
    Some(TypeExpr {
        alternatives,
        name: name.map(str::to_owned),
        format,
        constraints,
    })
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// A type word; plural forms are accepted only where `plural_ok`.
    fn word(&mut self, plural_ok: bool) -> Option<(Primitive, bool)> {
        const WORDS: [(&str, Primitive); 7] = [
            ("any", Primitive::Any),
            ("string", Primitive::String),
            ("integer", Primitive::Integer),
            ("number", Primitive::Number),
            ("boolean", Primitive::Boolean),
            ("object", Primitive::Object),
            ("null", Primitive::Null),
        ];
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        let word = &self.rest[..end];
        let (singular, plural) = match word.strip_suffix('s') {
            Some(stem) if plural_ok && stem != "any" && stem != "null" => (stem, true),
            _ => (word, false),
        };
        let primitive = WORDS.iter().find(|(w, _)| *w == singular)?.1;
        self.rest = &self.rest[end..];
        Some((primitive, plural))
    }

    /// Text between `open` and `close`, when the rest starts with `open`.
    fn delimited(
        &mut self,
        open: &str,
        close: &str,
        allowed: impl Fn(char) -> bool,
    ) -> Option<&'a str> {
        let inner = self.rest.strip_prefix(open)?;
        let end = inner.find(close)?;
        let value = &inner[..end];
        if value.trim().is_empty() || value.starts_with(' ') || !value.chars().all(allowed) {
            return None;
        }
        self.rest = &inner[end + close.len()..];
        Some(value)
    }

    fn constraint(&mut self) -> Option<Constraint> {
        let rest = self.rest.trim_start();
        if let Some(inner) = rest.strip_prefix("[ items ") {
            let end = inner.find(" ]")?;
            let body = &inner[..end];
            self.rest = &inner[end + 2..];
            if let Some(n) = body.strip_prefix(">= ") {
                return Some(Constraint::ItemsAtLeast(number(n)?));
            }
            let format = body.strip_prefix('<')?.strip_suffix('>')?.trim();
            return Some(Constraint::ItemsFormat(format.to_owned()));
        }
        for (open, close, exclusive) in [("[ ", " ]", false), ("( ", " )", true)] {
            if let Some(inner) = rest.strip_prefix(open) {
                let end = inner.find(close)?;
                let (min, max) = inner[..end].split_once(" .. ")?;
                self.rest = &inner[end + close.len()..];
                return Some(Constraint::Range {
                    min: number(min)?,
                    max: number(max)?,
                    exclusive,
                });
            }
        }
        if let Some(n) = rest.strip_prefix(">= ") {
            let (n, rest) = split_number(n);
            self.rest = rest;
            return Some(Constraint::AtLeast(number(n)?));
        }
        if let Some(n) = rest.strip_prefix("<= ") {
            let (n, rest) = split_number(n);
            if let Some(rest) = rest.strip_prefix(" characters") {
                self.rest = rest;
                // Within `i64`: YAML readers take larger integers for floats.
                let n = n.parse::<i64>().ok().and_then(|n| u64::try_from(n).ok())?;
                return Some(Constraint::MaxCharacters(n));
            }
            self.rest = rest;
            return Some(Constraint::AtMost(number(n)?));
        }
        None
    }
}

fn split_number(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'))
        .unwrap_or(s.len());
    s.split_at(end)
}

/// A bound as a spec can carry it: YAML readers take integers as `i64`,
/// so a larger one is no bound at all (and no number a reference means).
fn number(s: &str) -> Option<Number> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(i.into());
    }
    if !s.contains('.') {
        return None;
    }
    s.parse::<f64>().ok().and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alts(line: &str) -> Vec<Alternative> {
        parse(line).unwrap().alternatives
    }

    #[test]
    fn plain_types() {
        assert_eq!(alts("string"), [Alternative::Single(Primitive::String)]);
        assert_eq!(alts("integer"), [Alternative::Single(Primitive::Integer)]);
        assert_eq!(alts("any"), [Alternative::Single(Primitive::Any)]);
    }

    #[test]
    fn rejects_prose() {
        assert_eq!(parse("string values are accepted"), None);
        assert_eq!(
            parse("One of the following Tweak Settings module names:"),
            None
        );
        assert_eq!(parse("strings"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("integer ["), None);
    }

    #[test]
    fn unions_and_names() {
        let t = parse("string or integer (IntPosOrUnlimited)").unwrap();
        assert_eq!(t.name.as_deref(), Some("IntPosOrUnlimited"));
        assert_eq!(t.alternatives.len(), 2);
        let t = parse("any or string or integer <megabytes>").unwrap();
        assert_eq!(t.format.as_deref(), Some("megabytes"));
        assert_eq!(t.alternatives[0], Alternative::Single(Primitive::Any));
    }

    #[test]
    fn arrays_take_plural_alternatives() {
        assert_eq!(
            alts("Array of strings or strings"),
            [Alternative::Array(vec![
                Primitive::String,
                Primitive::String
            ])]
        );
        assert_eq!(
            alts("Array of strings or null"),
            [
                Alternative::Array(vec![Primitive::String]),
                Alternative::Single(Primitive::Null)
            ]
        );
        assert_eq!(
            alts("string or Array of strings"),
            [
                Alternative::Single(Primitive::String),
                Alternative::Array(vec![Primitive::String])
            ]
        );
    }

    #[test]
    fn constraints() {
        let t = parse("integer [ 0 .. 7 ]").unwrap();
        assert_eq!(
            t.constraints,
            [Constraint::Range {
                min: 0.into(),
                max: 7.into(),
                exclusive: false
            }]
        );
        let t = parse("number ( 0 .. 1 )").unwrap();
        assert!(matches!(
            t.constraints[0],
            Constraint::Range {
                exclusive: true,
                ..
            }
        ));
        let t = parse("string <= 128 characters").unwrap();
        assert_eq!(t.constraints, [Constraint::MaxCharacters(128)]);
        let t = parse("integer <megabytes> >= 1").unwrap();
        assert_eq!(t.constraints, [Constraint::AtLeast(1.into())]);
        let t = parse("Array of integers[ items >= 0 ]").unwrap();
        assert_eq!(t.constraints, [Constraint::ItemsAtLeast(0.into())]);
        let t = parse("Array of strings <domain> [ items <domain > ]").unwrap();
        assert_eq!(t.format.as_deref(), Some("domain"));
        assert_eq!(t.constraints, [Constraint::ItemsFormat("domain".into())]);
        let t = parse("Array of strings or null <= 2048 characters").unwrap();
        assert_eq!(t.constraints, [Constraint::MaxCharacters(2048)]);
        let t = parse("string <ISO-3166-1 (alpha-2)>").unwrap();
        assert_eq!(t.format.as_deref(), Some("ISO-3166-1 (alpha-2)"));
        let t = parse("string <= 255").unwrap();
        assert_eq!(t.constraints, [Constraint::AtMost(255.into())]);
        // Beyond what YAML readers take as an integer: not a bound.
        let t = parse("string <= 10248191152060862009 characters");
        assert!(t.as_ref().is_none_or(|t| t.constraints.is_empty()), "{t:?}");
    }
}

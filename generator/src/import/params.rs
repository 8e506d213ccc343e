//! A `query Parameters` or `Request Body schema` section: its parameters.
//!
//! A parameter's header is `[name] [required] type [attributes...]`, where the
//! type line is what anchors it: it has a strict grammar and is followed by an
//! attribute line, a blank line or the section's end. The description runs
//! from the blank line after the header to the next header, which can start on
//! the very next line. The name line is sometimes missing; the name then comes
//! from the header's `Example: name=value` line, or else from the request
//! sample's keys that no other parameter claims.

use serde_json::Value;

use super::markdown::bullet;
use super::reference::{Param, ParamExample, ParamName, Text};
use super::type_expr::{self, Alternative, Primitive, TypeExpr};
use super::{Finding, ParseError};

/// The parameters of one section, and any text before the first of them.
#[derive(Debug, Default)]
pub struct Section {
    /// Text between the section heading and the first parameter.
    pub leading: Text,
    /// The parameters, in document order.
    pub params: Vec<Param>,
}

/// A key of the request sample with its value, for recovering missing names.
pub type SampleArg = (String, Value);

struct Header {
    /// Index of the first line of the header (name, `required` or type).
    start: usize,
    /// Index of the type line.
    type_line: usize,
    /// Index of the line after the header's attributes.
    end: usize,
    name: Option<String>,
    required: bool,
    ty: TypeExpr,
}

/// Parses lines `[from, to)` of `lines` (0-based indices).
pub fn parse(
    lines: &[&str],
    from: usize,
    to: usize,
    sample_args: &[SampleArg],
    function: &str,
    findings: &mut Vec<Finding>,
) -> Result<Section, ParseError> {
    let mut local = Vec::new();
    let section = parse_section(lines, from, to, sample_args, &mut local);
    findings.extend(
        local
            .into_iter()
            .map(|f| Finding::new(f.line, format!("function `{function}`: {}", f.message))),
    );
    section
}

fn parse_section(
    lines: &[&str],
    from: usize,
    to: usize,
    sample_args: &[SampleArg],
    findings: &mut Vec<Finding>,
) -> Result<Section, ParseError> {
    let headers = find_headers(lines, from, to);
    let mut section = Section {
        leading: Text::slice(lines, from, headers.first().map_or(to, |h| h.start)),
        params: Vec::with_capacity(headers.len()),
    };
    for (i, header) in headers.iter().enumerate() {
        let desc_end = headers.get(i + 1).map_or(to, |h| h.start);
        section
            .params
            .push(build(lines, header, desc_end, findings)?);
    }
    recover_from_sample(&mut section.params, sample_args, findings);
    for param in &section.params {
        report_type_like_lines(param, findings);
    }
    Ok(section)
}

fn find_headers(lines: &[&str], from: usize, to: usize) -> Vec<Header> {
    let mut headers: Vec<Header> = Vec::new();
    let mut floor = from;
    let mut t = from;
    while t < to {
        let Some(ty) = anchor(lines, t, to) else {
            t += 1;
            continue;
        };
        let mut start = t;
        let mut required = false;
        if start > floor && lines[start - 1] == "required" {
            required = true;
            start -= 1;
        }
        let mut name = None;
        if start > floor && name_like(lines[start - 1]) {
            let after_blank = start - 1 == from || lines[start - 2].trim().is_empty();
            name = Some(lines[start - 1].to_owned());
            start -= 1;
            // Prose with spaces directly under a description is that
            // description's last line, not a name.
            if lines[start].contains(' ') && !is_alias_list(lines[start]) && !after_blank {
                name = None;
                start += 1;
            }
        }
        let mut end = t + 1;
        while end < to && is_attribute(lines[end]) {
            end += 1;
            if lines[end - 1] == "Examples:" {
                while end < to && bullet(lines[end]).is_some() {
                    end += 1;
                }
            }
        }
        if let (Some(given), Some(example)) = (name.as_deref(), example_name(lines, t + 1, end))
            && !names_match(given, &example)
        {
            // The line above was the previous description's last line; the
            // example names this parameter.
            name = None;
            start += 1;
        }
        headers.push(Header {
            start,
            type_line: t,
            end,
            name,
            required,
            ty,
        });
        floor = end;
        t = end;
    }
    headers
}

/// The type at line `t`, when that line anchors a header.
fn anchor(lines: &[&str], t: usize, to: usize) -> Option<TypeExpr> {
    let line = lines[t];
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let followed_ok = t + 1 >= to || lines[t + 1].trim().is_empty() || is_attribute(lines[t + 1]);
    if !followed_ok {
        return None;
    }
    type_expr::parse(line)
}

/// The name in the first `Example:` or `Examples:` line of a header.
fn example_name(lines: &[&str], from: usize, to: usize) -> Option<String> {
    lines[from..to].iter().find_map(|line| {
        let written = attribute(line, "Example:").or_else(|| bullet(line).map(|(_, item)| item))?;
        written.split_once('=').map(|(name, _)| name.to_owned())
    })
}

fn names_match(given: &str, example: &str) -> bool {
    given == example || given.split(" or ").any(|n| n == example)
}

fn is_attribute(line: &str) -> bool {
    line == "Deprecated"
        || line == "Examples:"
        || ["Default:", "Possible Values:", "Value:", "Example:"]
            .iter()
            .any(|p| {
                line.strip_prefix(p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
}

/// The non-empty value of an attribute line `Label: value`.
fn attribute<'l>(line: &'l str, label: &str) -> Option<&'l str> {
    let value = line.strip_prefix(label)?.trim();
    (!value.is_empty()).then_some(value)
}

fn name_like(line: &str) -> bool {
    !line.is_empty()
        && !line.starts_with(char::is_whitespace)
        && line != "required"
        && !is_attribute(line)
        && !line.ends_with([':', '.', ',', ';'])
        && !line.contains('•')
        && line.len() <= 100
}

fn is_identifier(word: &str) -> bool {
    !word.is_empty() && !word.contains(char::is_whitespace) && !word.contains(['=', '\'', '"'])
}

fn is_alias_list(line: &str) -> bool {
    line.split(" or ").all(is_identifier)
}

fn build(
    lines: &[&str],
    h: &Header,
    desc_end: usize,
    findings: &mut Vec<Finding>,
) -> Result<Param, ParseError> {
    let line_no = h.type_line + 1;
    let mut param = Param {
        name: String::new(),
        aliases: Vec::new(),
        name_found: ParamName::Given,
        free_form: false,
        required: h.required,
        ty: h.ty.clone(),
        deprecated: false,
        default: None,
        possible_values: None,
        constant: None,
        examples: Vec::new(),
        description: Text::slice(lines, h.end, desc_end),
        line: line_no,
    };
    let mut example_name: Option<String> = None;
    let mut i = h.type_line + 1;
    while i < h.end {
        let line = lines[i];
        i += 1;
        if line == "Deprecated" {
            param.deprecated = true;
        } else if let Some(v) = attribute(line, "Default:") {
            param.default = Some(json_literal(v));
        } else if let Some(v) = attribute(line, "Value:") {
            param.constant = Some(json_literal(v));
        } else if let Some(v) = attribute(line, "Possible Values:") {
            param.possible_values = Some(json_literals(v, i, findings));
        } else if let Some(v) = attribute(line, "Example:") {
            let (name, example) = split_example(v);
            example_name.get_or_insert(name);
            param.examples.push(example);
        } else if line == "Examples:" {
            while i < h.end && bullet(lines[i]).is_some() {
                let (_, item) = bullet(lines[i]).unwrap_or_default();
                i += 1;
                let (value, caption) = match item.rsplit_once(" - ") {
                    Some((v, c)) => (v, Some(c.trim().to_owned())),
                    None => (item, None),
                };
                let (name, mut example) = split_example(value);
                example.summary = caption;
                example_name.get_or_insert(name);
                param.examples.push(example);
            }
        }
    }
    match (h.name.as_deref(), example_name.as_deref()) {
        (Some(given), _) => set_name(&mut param, given),
        (None, Some(example)) => {
            set_name(&mut param, example);
            param.name_found = ParamName::FromExample;
        }
        (None, None) => param.name_found = ParamName::FromRequestSample,
    }
    if param.name.is_empty() && param.name_found != ParamName::FromRequestSample {
        return Err(ParseError::at(line_no, "parameter with an empty name"));
    }
    if !param.free_form {
        for alias in aliases_in_prose(&param.description.lines) {
            if alias != param.name && !param.aliases.contains(&alias) {
                param.aliases.push(alias);
            }
        }
    }
    Ok(param)
}

/// Other names a parameter's prose gives it, as the "a or b" names do:
/// "You can also call this the enddate parameter."
fn aliases_in_prose(lines: &[String]) -> Vec<String> {
    const SAYS: &str = "You can also call this the ";
    lines
        .iter()
        .filter_map(|line| {
            let (_, rest) = line.split_once(SAYS)?;
            let (name, _) = rest.split_once(" parameter")?;
            is_identifier(name).then(|| name.to_owned())
        })
        .collect()
}

fn set_name(param: &mut Param, written: &str) {
    if is_alias_list(written) {
        let mut names = written.split(" or ").map(str::to_owned);
        param.name = names.next().unwrap_or_default();
        param.aliases = names.collect();
    } else {
        // Named in words ("Variable Names and Values"): it stands for any
        // number of name=value pairs of the caller's choosing.
        param.name = written.to_owned();
        param.free_form = true;
    }
}

/// `name=value` (a list as `name=a&name=b`) into the name and example.
fn split_example(written: &str) -> (String, ParamExample) {
    let (name, value) = written.split_once('=').unwrap_or((written, ""));
    let separator = format!("&{name}=");
    let values = value.split(separator.as_str()).map(str::to_owned).collect();
    (
        name.to_owned(),
        ParamExample {
            values,
            summary: None,
        },
    )
}

fn json_literal(written: &str) -> Value {
    serde_json::from_str(written.trim())
        .unwrap_or_else(|_| Value::String(written.trim().to_owned()))
}

fn json_literals(written: &str, line: usize, findings: &mut Vec<Finding>) -> Vec<Value> {
    let parsed: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(written)
        .into_iter()
        .collect();
    parsed.unwrap_or_else(|_| {
        findings.push(Finding::new(
            line,
            format!("`Possible Values: {written}` is not a list of JSON literals; read as words"),
        ));
        written
            .split_whitespace()
            .map(|w| Value::String(w.to_owned()))
            .collect()
    })
}

/// Names still missing are taken from the request sample's keys that no
/// other parameter claims and whose value fits the type, in order. A
/// parameter with no name anywhere cannot be sent: it is left out and listed.
fn recover_from_sample(
    params: &mut Vec<Param>,
    sample_args: &[SampleArg],
    findings: &mut Vec<Finding>,
) {
    let claimed: Vec<String> = params
        .iter()
        .filter(|p| p.name_found != ParamName::FromRequestSample)
        .flat_map(|p| std::iter::once(p.name.clone()).chain(p.aliases.iter().cloned()))
        .collect();
    let mut free = sample_args.iter().filter(|(k, _)| !claimed.contains(k));
    params.retain_mut(|param| {
        if param.name_found != ParamName::FromRequestSample {
            return true;
        }
        match free.find(|(_, v)| fits(&param.ty, v)) {
            Some((key, _)) => {
                param.name = key.clone();
                true
            }
            None => {
                let first_words: String = param
                    .description
                    .lines
                    .first()
                    .map(|l| l.chars().take(60).collect())
                    .unwrap_or_default();
                findings.push(Finding::new(
                    param.line,
                    format!(
                        "parameter without a name or example (\"{first_words}...\") left out: the reference gives no wire name for it"
                    ),
                ));
                false
            }
        }
    });
}

fn fits(ty: &TypeExpr, value: &Value) -> bool {
    ty.alternatives.iter().any(|alt| match (alt, value) {
        (Alternative::Array(_), Value::Array(_)) => true,
        (Alternative::Array(_), Value::String(s)) => s.trim_start().starts_with('['),
        (Alternative::Single(p), v) => match (p, v) {
            (Primitive::Any, _) => true,
            (Primitive::String, Value::String(_)) => true,
            (Primitive::Integer | Primitive::Number, Value::Number(_)) => true,
            (Primitive::Integer | Primitive::Number, Value::String(s)) => s.parse::<f64>().is_ok(),
            (Primitive::Boolean, Value::Bool(_) | Value::Number(_)) => true,
            (Primitive::Object, Value::Object(_)) => true,
            (Primitive::Object, Value::String(s)) => s.trim_start().starts_with('{'),
            (Primitive::Null, Value::Null) => true,
            _ => false,
        },
        _ => false,
    })
}

/// A description line that reads like a type line means a header the
/// grammar did not recognise: say so rather than lose a parameter.
fn report_type_like_lines(param: &Param, findings: &mut Vec<Finding>) {
    let first_line = param.line + 1;
    for (offset, line) in param.description.lines.iter().enumerate() {
        let starts_like_type = [
            "string", "integer", "number", "boolean", "object", "Array of", "any or ",
        ]
        .iter()
        .any(|w| line.split(' ').next() == Some(w) || line.starts_with("Array of"));
        if starts_like_type && type_expr::parse(line).is_none() && line.len() < 60 {
            findings.push(Finding::new(
                first_line + offset,
                format!(
                    "parameter `{}`: line `{line}` looks like a type but is not one; kept as description",
                    param.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn section(text: &str, args: &[SampleArg]) -> Result<(Section, Vec<Finding>), ParseError> {
        let lines: Vec<&str> = text.lines().collect();
        let mut findings = Vec::new();
        parse_section(&lines, 0, lines.len(), args, &mut findings).map(|s| (s, findings))
    }

    #[test]
    fn header_follows_description_without_blank_line() {
        let (s, _) = section(
            "mail\ninteger\nDefault: 0\nPossible Values: 0 1\nExample: mail=1\n\nWhether to restore.\n\n  • 1 — Restore.\nuser\nrequired\nstring\nExample: user=bob\n\nThe user.",
            &[],
        )
        .unwrap();
        assert_eq!(s.params.len(), 2);
        assert_eq!(s.params[0].name, "mail");
        assert_eq!(s.params[0].default, Some(json!(0)));
        assert_eq!(s.params[0].possible_values, Some(vec![json!(0), json!(1)]));
        assert_eq!(
            s.params[0].description.lines,
            ["Whether to restore.", "", "  • 1 — Restore."]
        );
        assert_eq!(s.params[1].name, "user");
        assert!(s.params[1].required);
    }

    #[test]
    fn missing_name_comes_from_example() {
        let (s, _) = section(
            "The previous description\nrequired\nstring or string\nExample: nameserver1=192.0.2.1\n\nA resolver.",
            &[],
        )
        .unwrap();
        assert_eq!(s.params[0].name, "nameserver1");
        assert_eq!(s.params[0].name_found, ParamName::FromExample);
        assert_eq!(s.leading.lines, ["The previous description"]);
    }

    #[test]
    fn description_line_above_is_not_a_name_when_example_disagrees() {
        let (s, _) = section(
            "a\nstring\nExample: a=1\n\nText\nunlimited\nany or string or integer <megabytes>\nExample: bwlimit=unlimited\n",
            &[],
        )
        .unwrap();
        assert_eq!(s.params[1].name, "bwlimit");
        assert_eq!(s.params[0].description.lines, ["Text", "unlimited"]);
    }

    #[test]
    fn aliases_and_free_form_names() {
        let (s, _) = section(
            "uid or gid\nrequired\ninteger\nExample: uid or gid=1012\n\nThe ID.\n\nVariable Names and Values\nstring\n\nAny input.",
            &[],
        )
        .unwrap();
        assert_eq!(s.params[0].name, "uid");
        assert_eq!(s.params[0].aliases, ["gid"]);
        assert!(s.params[1].free_form);
        assert_eq!(s.params[1].name, "Variable Names and Values");
    }

    #[test]
    fn aliases_stated_in_prose() {
        let (s, _) = section(
            "endtime\ninteger <unix_timestamp>\nExample: endtime=1471552781\n\nThe end time.\n\nNote\n\nYou can also call this the enddate parameter.\nstarttime\ninteger\nExample: starttime=1\n\nYou can also call this the start time parameter.",
            &[],
        )
        .unwrap();
        assert_eq!(s.params[0].aliases, ["enddate"]);
        // Words that are not a name are not an alias.
        assert!(s.params[1].aliases.is_empty());
    }

    #[test]
    fn several_examples_with_captions() {
        let (s, _) = section(
            "string or Array of strings\nExamples:\n  • tag=a&tag=b - Two tags\n  • tag=a - One tag\n\nTags.",
            &[],
        )
        .unwrap();
        let p = &s.params[0];
        assert_eq!(p.name, "tag");
        assert_eq!(p.examples[0].values, ["a", "b"]);
        assert_eq!(p.examples[0].summary.as_deref(), Some("Two tags"));
        assert_eq!(p.examples[1].values, ["a"]);
    }

    #[test]
    fn nameless_field_takes_the_unclaimed_sample_key() {
        let args = vec![
            ("list_name".to_owned(), json!("white")),
            ("records".to_owned(), json!([{"ip": "192.0.2.1"}])),
        ];
        let (s, _) = section(
            "list_name\nrequired\nstring\n\nThe list.\nrequired\nArray of objects\n\nThe records.",
            &args,
        )
        .unwrap();
        assert_eq!(s.params[1].name, "records");
        assert_eq!(s.params[1].name_found, ParamName::FromRequestSample);
    }

    #[test]
    fn nameless_field_without_any_clue_is_left_out_and_reported() {
        let (s, findings) = section(
            "a\nstring\n\nA.\nrequired\nArray of objects\n\nThe records.",
            &[],
        )
        .unwrap();
        assert_eq!(s.params.len(), 1);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].line, 6);
        assert!(findings[0].message.contains("without a name or example"));
        assert!(findings[0].message.contains("The records."));
    }

    #[test]
    fn constant_and_deprecated() {
        let (s, _) = section(
            "user\nstring\nDeprecated\nValue: \"bob\"\nExample: user=bob",
            &[],
        )
        .unwrap();
        assert!(s.params[0].deprecated);
        assert_eq!(s.params[0].constant, Some(json!("bob")));
        assert!(s.params[0].description.is_empty());
    }
}

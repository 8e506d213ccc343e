//! What the rendered WHM API 1 reference says, as plain data.
//!
//! The parser fills this model and knows nothing of OpenAPI; the builder turns
//! it into an OpenAPI document. Line numbers are 1-based and point into the
//! reference text, so every later message can say where a fact came from.

use serde_json::Value;

use super::type_expr::TypeExpr;

/// The whole reference: its group headings and its functions, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Every `Group / Subgroup` heading, including headings with no functions.
    pub groups: Vec<GroupHeading>,
    /// Every function.
    pub functions: Vec<Function>,
}

/// A group of functions: a `Group / Subgroup` heading such as
/// `Accounts / Account Creation`, or a tag the reference shows without a
/// group (`NGINX Manager` and its one-line description).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupHeading {
    /// The top-level group (`Accounts`); `None` for an ungrouped tag.
    pub group: Option<String>,
    /// The subgroup (`Account Creation`), or the ungrouped tag's name.
    pub subgroup: String,
    /// The title above the heading, the group's display name.
    pub title: String,
    /// An ungrouped tag's description.
    pub description: Option<String>,
    /// Where the heading stands.
    pub line: usize,
}

impl GroupHeading {
    /// The tag name: `Group / Subgroup`, or an ungrouped tag's name.
    pub fn path(&self) -> String {
        match &self.group {
            Some(group) => format!("{group} / {}", self.subgroup),
            None => self.subgroup.clone(),
        }
    }

    /// The top-level group; an ungrouped tag is a group of its own.
    pub fn top(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.subgroup)
    }
}

/// Where a function's name was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSource {
    /// The `whmapi1` command line of the request sample.
    CommandLine,
    /// The `/json-api/<name>` URL of the request sample.
    Url,
    /// `metadata.command` (or a bare `command`) in the response sample.
    ResponseSample,
}

/// One function of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The function name (`listaccts`), the operation's identity.
    pub name: String,
    /// Where the name came from.
    pub name_source: NameSource,
    /// Indices into [`Reference::groups`] of the headings the function sits
    /// under: more than one when the reference documents it twice.
    pub groups: Vec<usize>,
    /// Where further copies of the function start.
    pub duplicates: Vec<usize>,
    /// The one-line summary that heads the function.
    pub summary: String,
    /// Line of the summary: where the function starts.
    pub line: usize,
    /// Whether the summary carries the `Deprecated` badge.
    pub deprecated: bool,
    /// The description between summary and `Authorizations:`.
    pub description: Text,
    /// Security schemes listed under `Authorizations:`.
    pub authorizations: Vec<String>,
    /// Query parameters, in document order.
    pub query: Vec<Param>,
    /// The request body, when the function documents one.
    pub body: Option<Body>,
    /// A caption of the response schema section, when it has one.
    pub response_description: Option<String>,
    /// The request sample.
    pub request_sample: RequestSample,
    /// The response sample, when the reference has one.
    pub response_sample: Option<Sample>,
    /// The line after the function's last sample: where it ends.
    pub end_line: usize,
}

impl Function {
    /// Whether `other` documents the same function in the same words, line
    /// numbers and group aside.
    pub fn same_content(&self, other: &Function) -> bool {
        fn normal(f: &Function) -> Function {
            let mut f = f.clone();
            f.line = 0;
            f.end_line = 0;
            f.groups.clear();
            f.duplicates.clear();
            let params = f.query.iter_mut().chain(f.body.iter_mut().flat_map(|b| {
                b.line = 0;
                b.fields.iter_mut()
            }));
            for p in params {
                p.line = 0;
            }
            match &mut f.request_sample {
                RequestSample::CommandLine { line, .. } | RequestSample::Url { line, .. } => {
                    *line = 0
                }
                RequestSample::Body(sample) => sample.line = 0,
            }
            if let Some(sample) = &mut f.response_sample {
                sample.line = 0;
                for repair in &mut sample.repairs {
                    repair.0 = 0;
                }
            }
            f
        }
        normal(self) == normal(other)
    }
}

/// A request body: its media type and fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// `application/json`, `application/x-www-form-urlencoded`, ...
    pub content_type: String,
    /// Whether the body is marked required.
    pub required: bool,
    /// Text before the first field.
    pub description: Text,
    /// The fields, in document order.
    pub fields: Vec<Param>,
    /// Where `Request Body schema:` stands.
    pub line: usize,
}

/// How a parameter's name was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamName {
    /// The name line was present.
    Given,
    /// The name line was missing; the name came from the `Example:` line.
    FromExample,
    /// The name line and example were missing; the name came from the request sample.
    FromRequestSample,
}

/// One parameter (query parameter or body field).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name (the first of "a or b" names).
    pub name: String,
    /// Further accepted names ("a or b": `b`).
    pub aliases: Vec<String>,
    /// How the name was found.
    pub name_found: ParamName,
    /// True for a pseudo-parameter that stands for any number of free-form
    /// `name=value` pairs (the reference names it in words, not as a key).
    pub free_form: bool,
    /// Whether the parameter is marked required.
    pub required: bool,
    /// The declared type.
    pub ty: TypeExpr,
    /// Whether the parameter is marked deprecated.
    pub deprecated: bool,
    /// `Default:` value.
    pub default: Option<Value>,
    /// `Possible Values:`.
    pub possible_values: Option<Vec<Value>>,
    /// `Value:`, the only value allowed.
    pub constant: Option<Value>,
    /// `Example:` / `Examples:` values, as written after `name=`.
    pub examples: Vec<ParamExample>,
    /// The description.
    pub description: Text,
    /// Line of the type line: the anchor of the parameter's header.
    pub line: usize,
}

/// One example value of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamExample {
    /// The raw value after `name=` (for several values of one list, every value).
    pub values: Vec<String>,
    /// A caption after ` - `, when the reference gives one.
    pub summary: Option<String>,
}

/// Description text: lines as the reference renders them, blank lines kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    /// The lines, trailing whitespace removed, leading indentation kept.
    pub lines: Vec<String>,
}

impl Text {
    /// Lines `[from, to)` without leading and trailing blank lines.
    pub fn slice(lines: &[&str], from: usize, to: usize) -> Text {
        let slice = &lines[from..to.max(from)];
        let first = slice.iter().position(|l| !l.trim().is_empty());
        let last = slice.iter().rposition(|l| !l.trim().is_empty());
        let lines = match (first, last) {
            (Some(first), Some(last)) => slice[first..=last]
                .iter()
                .map(|l| l.trim_end().to_owned())
                .collect(),
            _ => Vec::new(),
        };
        Text { lines }
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }
}

/// The request sample of a function.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestSample {
    /// A `whmapi1` command line: the function and its `key=value` arguments.
    CommandLine {
        /// The function named on the command line.
        function: String,
        /// Arguments in order, quotes removed.
        args: Vec<(String, String)>,
        /// The command as written.
        source: String,
        /// Where the sample starts.
        line: usize,
    },
    /// An HTTP URL.
    Url {
        /// The function named in the path after `/json-api/`.
        function: Option<String>,
        /// Query arguments in order, percent-decoding left to the reader.
        args: Vec<(String, String)>,
        /// The URL as written.
        source: String,
        /// Where the sample starts.
        line: usize,
    },
    /// A request body.
    Body(Sample),
}

/// A JSON sample (request body or response).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The media type stated above the sample.
    pub content_type: String,
    /// A caption above the sample, when the reference gives one.
    pub caption: Option<String>,
    /// The parsed value.
    pub value: Value,
    /// Repairs needed to parse it, with their lines.
    pub repairs: Vec<(usize, String)>,
    /// Where the JSON starts.
    pub line: usize,
}

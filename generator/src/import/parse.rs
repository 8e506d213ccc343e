//! The reference's structure, function by function.
//!
//! Each function reads, in order:
//!
//! ```text
//! [Title / blank / Group / Title / blank]...   group headings
//! Summary [Deprecated]
//! description...
//! Authorizations:
//! BasicAuth
//! [query Parameters ...] [Request Body schema: <type> [required] ...]
//! Responses
//! Response Schema: ... (collapsed schema, sometimes a caption)
//! Request samples
//! whmapi1 command | URL | Content type + JSON
//! [Response samples / Content type / <type> / [Example / caption] / JSON]
//! ```
//!
//! The parser walks those sections in that order, so a sample's end (its
//! brackets balance, or the command line stops continuing) is where the next
//! function's head begins: no guessing at boundaries.

use serde_json::Value;

use super::json_sample;
use super::params::{self, SampleArg};
use super::reference::{
    Body, Function, GroupHeading, NameSource, Reference, RequestSample, Sample, Text,
};
use super::{Finding, ParseError};

const AUTHORIZATIONS: &str = "Authorizations:";
const QUERY: &str = "query Parameters";
const BODY: &str = "Request Body schema:";
const RESPONSES: &str = "Responses";
const REQUEST_SAMPLES: &str = "Request samples";
const RESPONSE_SAMPLES: &str = "Response samples";
const DEPRECATED_BADGE: &str = " Deprecated";
/// How the reference opens a function's description.
const DESCRIPTION_OPENING: &str = "This function";

/// A paragraph: consecutive non-blank lines and where they start (1-based).
struct Paragraph<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

fn paragraphs<'a>(lines: &[&'a str], from: usize, to: usize) -> Vec<Paragraph<'a>> {
    let mut out: Vec<Paragraph<'a>> = Vec::new();
    let mut previous_blank = true;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if line.is_empty() {
            previous_blank = true;
            continue;
        }
        match out.last_mut() {
            Some(p) if !previous_blank => p.lines.push(line),
            _ => out.push(Paragraph {
                line: i + 1,
                lines: vec![line],
            }),
        }
        previous_blank = false;
    }
    out
}

fn callout(line: &str) -> bool {
    super::markdown::is_callout(line)
}

/// Paragraphs read as ungrouped tags: pairs of a one-line title and a
/// one-line description. `None` when they are not all such pairs.
fn tag_pairs(paras: &[Paragraph<'_>]) -> Option<Vec<GroupHeading>> {
    if paras.is_empty() || paras.len() % 2 != 0 {
        return None;
    }
    let single = |p: &Paragraph<'_>| {
        p.lines.len() == 1 && !callout(p.lines[0]) && !p.lines[0].starts_with(' ')
    };
    paras
        .chunks(2)
        .map(|pair| {
            let (title, description) = (&pair[0], &pair[1]);
            let short_title = title.lines[0].len() <= 80 && !title.lines[0].ends_with(['.', ':']);
            (single(title) && single(description) && short_title).then(|| GroupHeading {
                group: None,
                subgroup: title.lines[0].to_owned(),
                title: title.lines[0].to_owned(),
                description: Some(description.lines[0].to_owned()),
                line: title.line,
            })
        })
        .collect()
}

/// Parses the whole reference text.
pub fn parse(text: &str) -> Result<(Reference, Vec<Finding>), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches([' ', '\t']))
        .collect();
    let mut parser = Parser {
        lines: &lines,
        pos: 0,
        groups: Vec::new(),
        findings: Vec::new(),
    };
    let mut functions: Vec<Function> = Vec::new();
    while let Some(function) = parser.function()? {
        functions.push(function);
    }
    let functions = merge_duplicates(functions)?;
    if functions.is_empty() {
        return Err(ParseError::at(
            lines.len().max(1),
            "no functions found: expected a summary line followed by an `Authorizations:` section",
        ));
    }
    Ok((
        Reference {
            groups: parser.groups,
            functions,
        },
        parser.findings,
    ))
}

struct Parser<'a> {
    lines: &'a [&'a str],
    pos: usize,
    groups: Vec<GroupHeading>,
    findings: Vec<Finding>,
}

fn is_section(line: &str) -> bool {
    line == AUTHORIZATIONS
        || line == QUERY
        || line.starts_with(BODY)
        || line == RESPONSES
        || line == REQUEST_SAMPLES
        || line == RESPONSE_SAMPLES
}

impl<'a> Parser<'a> {
    fn line(&self, index: usize) -> &'a str {
        self.lines.get(index).copied().unwrap_or("")
    }

    fn skip_blank(&mut self) {
        while self.pos < self.lines.len() && self.lines[self.pos].is_empty() {
            self.pos += 1;
        }
    }

    /// Index of the next line equal to `wanted` at or after `from`, before
    /// any other section heading.
    fn expect_section(
        &self,
        from: usize,
        wanted: &str,
        function: &str,
        after: &str,
    ) -> Result<usize, ParseError> {
        let mut i = from;
        while i < self.lines.len() {
            let line = self.lines[i];
            if line == wanted || (wanted == BODY && line.starts_with(BODY)) {
                return Ok(i);
            }
            let passable = wanted == RESPONSES && (line == QUERY || line.starts_with(BODY));
            if is_section(line) && !passable {
                return Err(ParseError::at(
                    i + 1,
                    format!("expected `{wanted}` after {after}, found `{line}`"),
                )
                .in_function(function));
            }
            i += 1;
        }
        Err(ParseError::at(
            self.lines.len(),
            format!("the reference ends before `{wanted}` (after {after}): is the file truncated?"),
        )
        .in_function(function))
    }

    fn function(&mut self) -> Result<Option<Function>, ParseError> {
        self.skip_blank();
        let head_start = self.pos;
        // The head runs to `Authorizations:`; at the end of the file, only
        // headings without functions may remain.
        let auth = (self.pos..self.lines.len()).find(|&i| is_section(self.lines[i]));
        let auth = match auth {
            Some(i) if self.lines[i] == AUTHORIZATIONS => i,
            Some(i) => {
                let summary = self.head_summary(head_start, i);
                return Err(ParseError::at(
                    i + 1,
                    format!("expected `{AUTHORIZATIONS}` before `{}`", self.lines[i]),
                )
                .in_function(&summary));
            }
            None => {
                // Only headings without functions may follow the last function.
                self.head_groups(head_start, self.lines.len());
                self.skip_blank();
                if self.pos < self.lines.len() {
                    return Err(ParseError::at(
                        self.pos + 1,
                        format!(
                            "`{}` is not followed by `{AUTHORIZATIONS}` and the sections of a function: is the file truncated?",
                            self.lines[self.pos]
                        ),
                    ));
                }
                return Ok(None);
            }
        };
        self.head_groups(head_start, auth);
        self.leading_tags(auth);
        self.skip_blank();
        let summary_index = self.pos;
        if summary_index >= auth {
            return Err(ParseError::at(
                auth + 1,
                "function without a summary line before `Authorizations:`",
            ));
        }
        let (summary, deprecated) = match self.lines[summary_index].strip_suffix(DEPRECATED_BADGE) {
            Some(s) => (s.to_owned(), true),
            None => (self.lines[summary_index].to_owned(), false),
        };
        let description = Text::slice(self.lines, summary_index + 1, auth);
        let group = match self.groups.len() {
            0 => {
                return Err(ParseError::at(
                    summary_index + 1,
                    "function before any group heading (`Group / Subgroup`)",
                )
                .in_function(&summary));
            }
            n => n - 1,
        };

        // Authorizations: scheme names up to the next section.
        let mut i = auth + 1;
        let mut authorizations = Vec::new();
        while i < self.lines.len() && !is_section(self.lines[i]) {
            let line = self.lines[i].trim();
            authorizations.extend(
                line.split([',', ' '])
                    .filter(|w| !w.is_empty() && *w != "or" && *w != "and")
                    .map(str::to_owned),
            );
            i += 1;
        }

        // Parameter sections, then Responses.
        let responses = self.expect_section(i, RESPONSES, &summary, "the parameters")?;
        let request_samples =
            self.expect_section(responses + 1, REQUEST_SAMPLES, &summary, "`Responses`")?;
        let response_description = self.response_caption(responses + 1, request_samples);

        // Samples come before parameters in meaning: a missing parameter
        // name can be recovered from them.
        self.pos = request_samples + 1;
        let request_sample = self.request_sample(&summary)?;
        self.skip_blank();
        let response_sample = if self.line(self.pos) == RESPONSE_SAMPLES {
            self.pos += 1;
            Some(self.response_sample(&summary)?)
        } else if self.pos >= self.lines.len() {
            // Functions without a response sample are followed by the next
            // function; a reference cannot end with one.
            return Err(ParseError::at(
                self.lines.len().max(1),
                format!("the reference ends after the request sample, before `{RESPONSE_SAMPLES}`: is the file truncated?"),
            )
            .in_function(&summary));
        } else {
            None
        };
        let end_line = self.pos;
        let (name, name_source) = self.function_name(
            &summary,
            summary_index,
            &request_sample,
            response_sample.as_ref(),
        )?;

        let sample_args = sample_args(&request_sample);
        let mut query = Vec::new();
        let mut body = None;
        let mut j = i;
        while j < responses {
            let line = self.lines[j];
            let end = (j + 1..responses)
                .find(|&k| is_section(self.lines[k]))
                .unwrap_or(responses);
            if line == QUERY {
                let section = params::parse(
                    self.lines,
                    j + 1,
                    end,
                    &sample_args,
                    &name,
                    &mut self.findings,
                )
                .map_err(|e| e.in_function(&name))?;
                if !section.leading.is_empty() {
                    self.findings.push(Finding::new(
                        j + 2,
                        format!("function `{name}`: text before the first query parameter kept nowhere: `{}`", section.leading.lines.join(" ")),
                    ));
                }
                query.extend(section.params);
            } else if let Some(content_type) = line.strip_prefix(BODY) {
                let mut from = j + 1;
                let required = self.line(from) == "required";
                if required {
                    from += 1;
                }
                let section = params::parse(
                    self.lines,
                    from,
                    end,
                    &sample_args,
                    &name,
                    &mut self.findings,
                )
                .map_err(|e| e.in_function(&name))?;
                let content_type = content_type.trim();
                if !is_media_type(content_type) {
                    return Err(ParseError::at(
                        j + 1,
                        format!("`{content_type}` after `{BODY}` is not a media type (such as `application/json`)"),
                    )
                    .in_function(&name));
                }
                body = Some(Body {
                    content_type: content_type.to_owned(),
                    required,
                    description: section.leading,
                    fields: section.params,
                    line: j + 1,
                });
            } else {
                return Err(ParseError::at(
                    j + 1,
                    format!("unexpected `{line}` among the parameter sections"),
                )
                .in_function(&name));
            }
            j = end;
        }

        Ok(Some(Function {
            name,
            name_source,
            groups: vec![group],
            duplicates: Vec::new(),
            summary,
            line: summary_index + 1,
            deprecated,
            description,
            authorizations,
            query,
            body,
            response_description,
            request_sample,
            response_sample,
            end_line,
        }))
    }

    /// Reads the group headings in lines `[from, to)` and leaves `self.pos`
    /// after the last one. A heading is `Title`, a blank line, then
    /// `Group / Subgroup` where one of title and subgroup ends with the other
    /// (`Suspensions` / `Accounts / Suspensions`, `Reseller Account
    /// Management` / `Resellers / Account Management`). Between headings
    /// stand ungrouped tags without functions (`Styles`, then its
    /// description); any other text there belongs to nothing and is reported.
    fn head_groups(&mut self, from: usize, to: usize) {
        let mut after_last = from;
        for h in from..to {
            let Some(heading) = self.group_heading(h, from) else {
                continue;
            };
            let title_line = heading.line - 3;
            let between = paragraphs(self.lines, after_last, title_line);
            match tag_pairs(&between) {
                _ if between.is_empty() => {}
                Some(tags) => self.groups.extend(tags),
                None => {
                    let text: Vec<&str> = between
                        .iter()
                        .flat_map(|p| p.lines.iter().copied())
                        .collect();
                    self.findings.push(Finding::new(
                        between[0].line,
                        format!("text outside any function and group: `{}`", text.join(" ")),
                    ));
                }
            }
            self.groups.push(heading);
            after_last = h + 1;
        }
        self.pos = after_last;
    }

    /// Ungrouped tags right before a function: `Title`, its one-line
    /// description, and so on, then the summary and a description that opens
    /// the way the reference opens every function's ("This function ...").
    /// Without that opening, the head is read as summary and description.
    fn leading_tags(&mut self, to: usize) {
        let paras = paragraphs(self.lines, self.pos, to);
        let Some(k) = paras
            .iter()
            .position(|p| p.lines[0].starts_with(DESCRIPTION_OPENING))
        else {
            return;
        };
        if k < 3 || paras[k - 1].lines.len() != 1 || callout(paras[k - 1].lines[0]) {
            return;
        }
        if let Some(tags) = tag_pairs(&paras[..k - 1]) {
            self.groups.extend(tags);
            self.pos = paras[k - 1].line - 1;
        }
    }

    /// The group heading at line index `h`, if it is one.
    fn group_heading(&self, h: usize, from: usize) -> Option<GroupHeading> {
        let line = self.lines[h];
        if h < from + 2 || !self.lines[h - 1].is_empty() || !self.line(h + 1).is_empty() {
            return None;
        }
        let title = self.lines[h - 2];
        let (group, subgroup) = line.split_once(" / ")?;
        let plain = |s: &str| {
            !s.is_empty() && !s.contains(" / ") && !s.ends_with(['.', ':']) && s.len() <= 80
        };
        let related = title.ends_with(subgroup) || subgroup.ends_with(title);
        (plain(group) && plain(subgroup) && plain(title) && related).then(|| GroupHeading {
            group: Some(group.to_owned()),
            subgroup: subgroup.to_owned(),
            title: title.to_owned(),
            description: None,
            line: h + 1,
        })
    }

    /// The summary of a head that ends badly, for the error message: the
    /// first line after the last group heading.
    fn head_summary(&self, from: usize, to: usize) -> String {
        let start = (from..to)
            .rev()
            .find(|&h| self.group_heading(h, from).is_some())
            .map_or(from, |h| h + 1);
        self.lines[start..to]
            .iter()
            .find(|l| !l.is_empty())
            .map_or_else(String::new, |l| (*l).to_owned())
    }

    /// A prose line of the collapsed response schema, used as the response's description.
    fn response_caption(&self, from: usize, to: usize) -> Option<String> {
        self.lines[from..to]
            .iter()
            .find(|l| l.ends_with('.') && l.contains(' '))
            .map(|l| (*l).to_owned())
    }

    fn request_sample(&mut self, function: &str) -> Result<RequestSample, ParseError> {
        self.skip_blank();
        let start = self.pos;
        let first = self.line(start);
        if first.starts_with("whmapi1") {
            let end = command_end(self.lines, start).ok_or_else(|| {
                ParseError::at(
                    start + 1,
                    "the `whmapi1` request sample never ends (a quote left open, or a `\\` on its last line): is the file truncated?",
                )
                .in_function(function)
            })?;
            self.pos = end + 1;
            let command = self.lines[start..=end].join("\n");
            let mut function_name = None;
            let mut args = Vec::new();
            for word in command_words(&command) {
                if word == "whmapi1" || word.starts_with("--") {
                    continue;
                }
                if function_name.is_none() && !word.contains('=') {
                    function_name = Some(word);
                    continue;
                }
                let (key, value) = word.split_once('=').unwrap_or((&word, ""));
                args.push((key.to_owned(), value.to_owned()));
            }
            let Some(function_name) = function_name else {
                return Err(ParseError::at(
                    start + 1,
                    "the `whmapi1` request sample names no function",
                )
                .in_function(function));
            };
            return Ok(RequestSample::CommandLine {
                function: function_name,
                args,
                source: self.lines[start..=end].join("\n"),
                line: start + 1,
            });
        }
        if first.starts_with("https://") || first.starts_with("http://") {
            self.pos = start + 1;
            let (path, query) = first.split_once('?').unwrap_or((first, ""));
            let function_name = path
                .rsplit_once("/json-api/")
                .map(|(_, f)| f.trim_end_matches('/').to_owned())
                .filter(|f| !f.is_empty() && !f.contains('/'));
            let args = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (k.to_owned(), v.to_owned())
                })
                .collect();
            return Ok(RequestSample::Url {
                function: function_name,
                args,
                source: first.to_owned(),
                line: start + 1,
            });
        }
        if first == "Content type" {
            self.pos = start + 1;
            return Ok(RequestSample::Body(self.json_sample(function)?));
        }
        Err(ParseError::at(
            start + 1,
            format!("unrecognised request sample `{first}`: expected a `whmapi1` command, a URL or `Content type`"),
        )
        .in_function(function))
    }

    fn response_sample(&mut self, function: &str) -> Result<Sample, ParseError> {
        self.skip_blank();
        if self.line(self.pos) != "Content type" {
            return Err(ParseError::at(
                self.pos + 1,
                format!(
                    "expected `Content type` under `{RESPONSE_SAMPLES}`, found `{}`",
                    self.line(self.pos)
                ),
            )
            .in_function(function));
        }
        self.pos += 1;
        self.json_sample(function)
    }

    /// `<media type>`, an optional `Example` label and caption, then JSON.
    fn json_sample(&mut self, function: &str) -> Result<Sample, ParseError> {
        let content_type = self.line(self.pos).trim().to_owned();
        if !is_media_type(&content_type) {
            return Err(ParseError::at(
                self.pos + 1,
                format!("expected a media type after `Content type`, found `{content_type}`"),
            )
            .in_function(function));
        }
        self.pos += 1;
        let mut caption = Vec::new();
        if self.line(self.pos) == "Example" {
            self.pos += 1;
        }
        loop {
            let line = self.line(self.pos);
            if line.starts_with('{') || line.starts_with('[') {
                break;
            }
            if self.pos >= self.lines.len() || is_section(line) {
                return Err(ParseError::at(
                    self.pos.min(self.lines.len().saturating_sub(1)) + 1,
                    "sample without a JSON value: is the file truncated?",
                )
                .in_function(function));
            }
            if !line.is_empty() {
                caption.push(line.trim());
            }
            if caption.len() > 5 {
                return Err(ParseError::at(
                    self.pos + 1,
                    "expected a JSON sample starting with `{` or `[`",
                )
                .in_function(function));
            }
            self.pos += 1;
        }
        let first = self.pos;
        let raw = json_sample::read(self.lines, first).map_err(|start| {
            ParseError::at(
                start + 1,
                "the JSON sample never closes: is the file truncated?",
            )
            .in_function(function)
        })?;
        self.pos = raw.next;
        let parsed = json_sample::parse(&raw.text).map_err(|(line, message)| {
            ParseError::at(
                first + line + 1,
                format!("sample is not JSON even after repair: {message}"),
            )
            .in_function(function)
        })?;
        Ok(Sample {
            content_type,
            caption: (!caption.is_empty()).then(|| caption.join(" ")),
            value: parsed.value,
            repairs: parsed
                .repairs
                .into_iter()
                .map(|(l, what)| (first + l + 1, what))
                .collect(),
            line: first + 1,
        })
    }

    fn function_name(
        &mut self,
        summary: &str,
        summary_index: usize,
        request: &RequestSample,
        response: Option<&Sample>,
    ) -> Result<(String, NameSource), ParseError> {
        let from_request = match request {
            RequestSample::CommandLine { function, .. } => {
                Some((function.clone(), NameSource::CommandLine))
            }
            RequestSample::Url { function, .. } => function.clone().map(|f| (f, NameSource::Url)),
            RequestSample::Body(_) => None,
        };
        let from_response = response.and_then(|s| {
            let command = s
                .value
                .pointer("/metadata/command")
                .or_else(|| s.value.get("command"))?;
            command
                .as_str()
                .map(|c| (c.to_owned(), NameSource::ResponseSample))
        });
        let found = self.pick_name(summary, summary_index, from_request, from_response)?;
        // A name is a word (`listaccts`, `get_domain_info`); anything else
        // is a sample the reader took apart wrongly, not a function.
        let word = found
            .0
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && found
                .0
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !word {
            return Err(ParseError::at(
                summary_index + 1,
                format!(
                    "the function's name, as its samples give it, is not a name: {:?}",
                    found.0
                ),
            )
            .in_function(summary));
        }
        Ok(found)
    }

    fn pick_name(
        &mut self,
        summary: &str,
        summary_index: usize,
        from_request: Option<(String, NameSource)>,
        from_response: Option<(String, NameSource)>,
    ) -> Result<(String, NameSource), ParseError> {
        match (from_request, from_response) {
            (Some(req), Some(resp)) => {
                if req.0 != resp.0 {
                    self.findings.push(Finding::new(
                        summary_index + 1,
                        format!(
                            "function `{}`: the request sample names `{}` but the response sample's command is `{}`; using the request's",
                            req.0, req.0, resp.0
                        ),
                    ));
                }
                Ok(req)
            }
            (Some(found), None) | (None, Some(found)) => Ok(found),
            (None, None) => Err(ParseError::at(
                summary_index + 1,
                "function without a name: neither the request sample nor the response sample names it",
            )
            .in_function(summary)),
        }
    }
}

/// Whether `text` is a media type such as `application/json`: a type and a
/// subtype of at most 127 name characters each (RFC 6838), parameters after
/// `;` allowed. Keys of the spec are made of it, so junk must not pass.
fn is_media_type(text: &str) -> bool {
    let name = |part: &str| {
        (1..=127).contains(&part.len())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    let essence = text.split(';').next().unwrap_or_default().trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| name(kind) && name(subtype))
}

/// A function documented under two headings in the same words is one
/// function in two groups; in different words, an error.
fn merge_duplicates(functions: Vec<Function>) -> Result<Vec<Function>, ParseError> {
    let mut merged: Vec<Function> = Vec::with_capacity(functions.len());
    let mut by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in functions {
        match by_name.get(&f.name) {
            Some(&i) if merged[i].same_content(&f) => {
                merged[i].groups.extend(f.groups.iter().copied());
                merged[i].duplicates.push(f.line);
            }
            Some(&i) => {
                return Err(ParseError::at(
                    f.line,
                    format!(
                        "a second function named `{}` (the first starts at line {}) that differs from the first",
                        f.name, merged[i].line
                    ),
                )
                .in_function(&f.summary));
            }
            None => {
                by_name.insert(f.name.clone(), merged.len());
                merged.push(f);
            }
        }
    }
    Ok(merged)
}

/// Keys and values of a request sample, for recovering parameter names.
fn sample_args(sample: &RequestSample) -> Vec<SampleArg> {
    match sample {
        RequestSample::CommandLine { args, .. } | RequestSample::Url { args, .. } => args
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
        RequestSample::Body(sample) => sample
            .value
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
    }
}

/// The quoting state of a shell command line.
#[derive(Clone, Copy, PartialEq)]
enum Quote {
    None,
    Single,
    Double,
    /// `$'...'`, with backslash escapes.
    Ansi,
}

/// Index of the last line of a shell command starting at `start`: it goes on
/// while a line ends with a backslash or a quote is open.
/// The line where a shell command that starts at `start` ends: its quotes
/// closed and no `\` continuing it; `None` when the text ends first.
fn command_end(lines: &[&str], start: usize) -> Option<usize> {
    let mut quote = Quote::None;
    for (index, line) in lines.iter().enumerate().skip(start) {
        let mut chars = line.chars().peekable();
        let mut continued = false;
        while let Some(c) = chars.next() {
            continued = false;
            match (quote, c) {
                (Quote::None, '\\') => {
                    continued = chars.next().is_none();
                }
                (Quote::None, '$') if chars.peek() == Some(&'\'') => {
                    chars.next();
                    quote = Quote::Ansi;
                }
                (Quote::None, '\'') => quote = Quote::Single,
                (Quote::None, '"') => quote = Quote::Double,
                (Quote::Single, '\'') | (Quote::Double, '"') | (Quote::Ansi, '\'') => {
                    quote = Quote::None
                }
                (Quote::Double | Quote::Ansi, '\\') => {
                    chars.next();
                }
                _ => {}
            }
        }
        if quote == Quote::None && !continued {
            return Some(index);
        }
    }
    None
}

/// Splits a shell command into words: quotes group and are removed, a
/// backslash-newline joins lines, and `a or b=value` (how the reference
/// writes an aliased parameter) stays one word.
fn command_words(command: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '\'' => break,
                        '\\' => match chars.next() {
                            Some('n') => word.push('\n'),
                            Some('t') => word.push('\t'),
                            Some(other) => word.push(other),
                            None => {}
                        },
                        c => word.push(c),
                    }
                }
            }
            '\'' => {
                in_word = true;
                word.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                in_word = true;
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        _ if escaped => {
                            word.push(c);
                            escaped = false;
                        }
                        '\\' => escaped = true,
                        '"' => break,
                        c => word.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(other) => {
                    in_word = true;
                    word.push(other);
                }
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    let mut merged: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let joins = i + 2 < words.len()
            && words[i + 1] == "or"
            && !words[i].contains('=')
            && words[i + 2].contains('=');
        if joins && !merged.is_empty() {
            merged.push(format!("{} or {}", words[i], words[i + 2]));
            i += 3;
        } else {
            merged.push(words[i].clone());
            i += 1;
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::{command_end, command_words, is_media_type};

    #[test]
    fn media_types() {
        for good in [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain; charset=utf-8",
        ] {
            assert!(is_media_type(good), "{good}");
        }
        let long = format!("application/{}", "x".repeat(128));
        for bad in [
            "",
            "json",
            "application/",
            "/json",
            "a b/c",
            "text/pl@in",
            long.as_str(),
        ] {
            assert!(!is_media_type(bad), "{bad}");
        }
    }

    #[test]
    fn command_words_follow_shell_quoting() {
        assert_eq!(
            command_words("whmapi1 --output=jsonpretty f a='x y' b=\"q\\\"r\" c=plain"),
            [
                "whmapi1",
                "--output=jsonpretty",
                "f",
                "a=x y",
                "b=q\"r",
                "c=plain"
            ]
        );
        assert_eq!(
            command_words("whmapi1 f uid or gid='1012'"),
            ["whmapi1", "f", "uid or gid=1012"]
        );
        assert_eq!(
            command_words("whmapi1 \\\n  f \\\n  a='1'"),
            ["whmapi1", "f", "a=1"]
        );
    }

    #[test]
    fn commands_continue_over_open_quotes() {
        let lines = [
            "whmapi1 \\",
            "  f \\",
            "  content=$'[PHP]",
            "; it\\'s",
            "' \\",
            "  v='1'",
            "next",
        ];
        assert_eq!(command_end(&lines, 0), Some(5));
        assert_eq!(command_end(&lines[..4], 0), None, "a quote left open");
        assert_eq!(command_end(&lines[..2], 0), None, "a `\\` at the end");
        let words = command_words(&lines[..6].join("\n"));
        assert_eq!(words[2], "content=[PHP]\n; it's\n");
    }
}

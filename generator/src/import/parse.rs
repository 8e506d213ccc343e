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

use super::params;
use super::reference::{Body, Function, GroupHeading, Param, Reference, Text};
use super::{Finding, ParseError};
use params::SampleArg;
use samples::sample_args;

mod names;
mod samples;

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
        let Some(auth) = self.head_end(head_start)? else {
            return Ok(None);
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

        let (authorizations, i) = self.authorizations(auth + 1);

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
        let (query, body) = self.parameter_sections(i, responses, &sample_args, &name)?;

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

    /// The line of `Authorizations:` that ends the head of the function
    /// starting at `head_start`; `None` at the end of the reference, where
    /// only headings without functions may remain.
    fn head_end(&mut self, head_start: usize) -> Result<Option<usize>, ParseError> {
        // The head runs to `Authorizations:`; at the end of the file, only
        // headings without functions may remain.
        let auth = (self.pos..self.lines.len()).find(|&i| is_section(self.lines[i]));
        match auth {
            Some(i) if self.lines[i] == AUTHORIZATIONS => Ok(Some(i)),
            Some(i) => {
                let summary = self.head_summary(head_start, i);
                Err(ParseError::at(
                    i + 1,
                    format!("expected `{AUTHORIZATIONS}` before `{}`", self.lines[i]),
                )
                .in_function(&summary))
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
                Ok(None)
            }
        }
    }

    /// The scheme names from line `from` up to the next section, and where
    /// that section is.
    fn authorizations(&self, from: usize) -> (Vec<String>, usize) {
        let mut i = from;
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
        (authorizations, i)
    }

    /// The parameter sections in lines `[from, responses)`: the query
    /// parameters, and the request body.
    fn parameter_sections(
        &mut self,
        from: usize,
        responses: usize,
        sample_args: &[SampleArg],
        name: &str,
    ) -> Result<(Vec<Param>, Option<Body>), ParseError> {
        let mut query = Vec::new();
        let mut body = None;
        let mut j = from;
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
                    sample_args,
                    name,
                    &mut self.findings,
                )
                .map_err(|e| e.in_function(name))?;
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
                let section =
                    params::parse(self.lines, from, end, sample_args, name, &mut self.findings)
                        .map_err(|e| e.in_function(name))?;
                let content_type = content_type.trim();
                if !is_media_type(content_type) {
                    return Err(ParseError::at(
                        j + 1,
                        format!("`{content_type}` after `{BODY}` is not a media type (such as `application/json`)"),
                    )
                    .in_function(name));
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
                .in_function(name));
            }
            j = end;
        }
        Ok((query, body))
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

#[cfg(test)]
mod tests;

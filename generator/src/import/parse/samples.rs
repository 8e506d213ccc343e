//! A function's samples: its request (a `whmapi1` command line, a URL or
//! a JSON body) and its responses, each read to where it ends.

use super::super::{ParseError, json_sample, params};
use super::{Parser, RESPONSE_SAMPLES, is_media_type, is_section};
use crate::import::reference::{RequestSample, Sample};
use params::SampleArg;
use serde_json::Value;

impl<'a> Parser<'a> {
    pub(super) fn request_sample(&mut self, function: &str) -> Result<RequestSample, ParseError> {
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

    pub(super) fn response_sample(&mut self, function: &str) -> Result<Sample, ParseError> {
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
}

/// Keys and values of a request sample, for recovering parameter names.
pub(super) fn sample_args(sample: &RequestSample) -> Vec<SampleArg> {
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

/// The line where a shell command that starts at `start` ends: its quotes
/// closed and no `\` continuing it; `None` when the text ends first.
pub(super) fn command_end(lines: &[&str], start: usize) -> Option<usize> {
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
pub(super) fn command_words(command: &str) -> Vec<String> {
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

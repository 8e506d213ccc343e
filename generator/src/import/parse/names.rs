//! A function's name: from its heading, its request sample's command or
//! URL, and what to do when they disagree.

use super::Parser;
use crate::import::reference::{NameSource, RequestSample, Sample};
use crate::import::{Finding, ParseError};

impl Parser<'_> {
    pub(super) fn function_name(
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

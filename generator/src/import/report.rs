//! The coverage report printed by every import.

use std::fmt;

use serde::Serialize;

use super::Finding;
use super::reference::{NameSource, Param, ParamName, Reference, RequestSample};

/// What an import read, recovered, repaired and could not map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The reference's name.
    pub source: String,
    /// Functions imported (each once, however often documented).
    pub functions: usize,
    /// Functions the reference documents more than once: (line, function, further lines).
    pub documented_twice: Vec<(usize, String, Vec<usize>)>,
    /// `Group / Subgroup` headings, with and without functions.
    pub group_headings: usize,
    /// Headings under which at least one function stands.
    pub groups_with_functions: usize,
    /// Query parameters.
    pub query_parameters: usize,
    /// Request body fields.
    pub body_fields: usize,
    /// Functions taking a request body.
    pub request_bodies: usize,
    /// Deprecated functions.
    pub deprecated_functions: usize,
    /// Deprecated parameters and fields.
    pub deprecated_parameters: usize,
    /// Parameters whose name line was missing: (line, function, name, from where).
    pub names_recovered: Vec<(usize, String, String, &'static str)>,
    /// Parameters with "a or b" names: (line, function, name, aliases).
    pub aliases: Vec<(usize, String, String, Vec<String>)>,
    /// Pseudo-parameters standing for free-form `name=value` pairs.
    pub free_form: Vec<(usize, String, String)>,
    /// Parameters marked secret (`format: password`) by their names.
    pub secrets: usize,
    /// Functions named by their `whmapi1` command, URL, or response sample.
    pub names_from: [(&'static str, usize); 3],
    /// Response samples parsed.
    pub response_samples: usize,
    /// Functions without a response sample: (line, function).
    pub without_response_sample: Vec<(usize, String)>,
    /// JSON request samples parsed.
    pub request_body_samples: usize,
    /// Repairs needed to parse samples: (line, function, what).
    pub repairs: Vec<(usize, String, String)>,
    /// Objects of response samples typed as maps because their keys are
    /// data (mailboxes, domains, versions), not field names.
    pub maps_keyed_by_data: usize,
    /// Members of response samples left to `additionalProperties` because
    /// their keys are data, among named members.
    pub members_keyed_by_data: usize,
    /// Items that could not be mapped.
    pub unmapped: Vec<Finding>,
}

impl Report {
    /// Counts what `reference` holds.
    pub fn new(source: &str, reference: &Reference, unmapped: Vec<Finding>) -> Self {
        let fs = &reference.functions;
        let all_params = || {
            fs.iter().flat_map(|f| {
                let body = f.body.iter().flat_map(|b| b.fields.iter());
                f.query
                    .iter()
                    .chain(body)
                    .map(move |p| (f.name.as_str(), p))
            })
        };
        let mut groups_with_functions: Vec<usize> =
            fs.iter().flat_map(|f| f.groups.iter().copied()).collect();
        groups_with_functions.sort_unstable();
        groups_with_functions.dedup();
        let name_count = |source: NameSource| fs.iter().filter(|f| f.name_source == source).count();
        let mut repairs = Vec::new();
        for f in fs {
            let body_sample = match &f.request_sample {
                RequestSample::Body(s) => Some(s),
                _ => None,
            };
            for sample in body_sample.into_iter().chain(f.response_sample.as_ref()) {
                for (line, what) in &sample.repairs {
                    repairs.push((*line, f.name.clone(), what.clone()));
                }
            }
        }
        Report {
            source: source.to_owned(),
            functions: fs.len(),
            documented_twice: fs
                .iter()
                .filter(|f| !f.duplicates.is_empty())
                .map(|f| (f.line, f.name.clone(), f.duplicates.clone()))
                .collect(),
            group_headings: reference.groups.len(),
            groups_with_functions: groups_with_functions.len(),
            query_parameters: fs.iter().map(|f| f.query.len()).sum(),
            body_fields: fs
                .iter()
                .filter_map(|f| f.body.as_ref())
                .map(|b| b.fields.len())
                .sum(),
            request_bodies: fs.iter().filter(|f| f.body.is_some()).count(),
            deprecated_functions: fs.iter().filter(|f| f.deprecated).count(),
            deprecated_parameters: all_params().filter(|(_, p)| p.deprecated).count(),
            names_recovered: all_params()
                .filter_map(|(f, p): (&str, &Param)| {
                    let how = match p.name_found {
                        ParamName::Given => return None,
                        ParamName::FromExample => "from its Example line",
                        ParamName::FromRequestSample => "from the request sample",
                    };
                    Some((p.line, f.to_owned(), p.name.clone(), how))
                })
                .collect(),
            aliases: all_params()
                .filter(|(_, p)| !p.aliases.is_empty())
                .map(|(f, p)| (p.line, f.to_owned(), p.name.clone(), p.aliases.clone()))
                .collect(),
            free_form: all_params()
                .filter(|(_, p)| p.free_form)
                .map(|(f, p)| (p.line, f.to_owned(), p.name.clone()))
                .collect(),
            secrets: all_params()
                .filter(|(_, p)| super::secrets::is_secret_name(&p.name))
                .count(),
            names_from: [
                ("whmapi1 command", name_count(NameSource::CommandLine)),
                ("URL", name_count(NameSource::Url)),
                ("response sample", name_count(NameSource::ResponseSample)),
            ],
            response_samples: fs.iter().filter(|f| f.response_sample.is_some()).count(),
            without_response_sample: fs
                .iter()
                .filter(|f| f.response_sample.is_none())
                .map(|f| (f.line, f.name.clone()))
                .collect(),
            request_body_samples: fs
                .iter()
                .filter(|f| matches!(f.request_sample, RequestSample::Body(_)))
                .count(),
            repairs,
            maps_keyed_by_data: 0,
            members_keyed_by_data: 0,
            unmapped,
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "imported {}", self.source)?;
        let documented: usize = self.functions
            + self
                .documented_twice
                .iter()
                .map(|d| d.2.len())
                .sum::<usize>();
        writeln!(
            f,
            "  functions          {documented} documented, {} distinct, in {} groups ({} headings without functions); {} deprecated",
            self.functions,
            self.groups_with_functions,
            self.group_headings - self.groups_with_functions,
            self.deprecated_functions
        )?;
        for (line, function, again) in &self.documented_twice {
            let again: Vec<String> = again.iter().map(|l| l.to_string()).collect();
            writeln!(
                f,
                "    line {line}: {function}: documented again at line {}, same text: one operation in both groups",
                again.join(", ")
            )?;
        }
        let named = self
            .names_from
            .iter()
            .map(|(from, n)| format!("{n} by {from}"))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(f, "  function names     {named}")?;
        writeln!(
            f,
            "  parameters         {} ({} query, {} body fields in {} request bodies); {} deprecated",
            self.query_parameters + self.body_fields,
            self.query_parameters,
            self.body_fields,
            self.request_bodies,
            self.deprecated_parameters
        )?;
        writeln!(f, "  names recovered    {}", self.names_recovered.len())?;
        for (line, function, name, how) in &self.names_recovered {
            writeln!(f, "    line {line}: {function}: `{name}` {how}")?;
        }
        writeln!(f, "  aliases            {}", self.aliases.len())?;
        for (line, function, name, aliases) in &self.aliases {
            writeln!(
                f,
                "    line {line}: {function}: `{name}` also `{}`",
                aliases.join("`, `")
            )?;
        }
        writeln!(
            f,
            "  secret parameters  {} (by name: passwords, passphrases, keys, tokens)",
            self.secrets
        )?;
        writeln!(f, "  free-form          {}", self.free_form.len())?;
        for (line, function, name) in &self.free_form {
            writeln!(
                f,
                "    line {line}: {function}: \"{name}\" as free-form name=value pairs"
            )?;
        }
        writeln!(
            f,
            "  samples parsed     {} of {} response samples, {} JSON request bodies; {} repairs",
            self.response_samples,
            self.functions,
            self.request_body_samples,
            self.repairs.len()
        )?;
        for (line, function) in &self.without_response_sample {
            writeln!(f, "    line {line}: {function}: no response sample")?;
        }
        for (line, function, what) in &self.repairs {
            writeln!(f, "    line {line}: {function}: {what}")?;
        }
        writeln!(
            f,
            "  keyed by data      {} objects typed as maps, {} members left to additionalProperties",
            self.maps_keyed_by_data, self.members_keyed_by_data
        )?;
        writeln!(f, "  not mapped         {}", self.unmapped.len())?;
        for finding in &self.unmapped {
            writeln!(f, "    line {}: {}", finding.line, finding.message)?;
        }
        Ok(())
    }
}

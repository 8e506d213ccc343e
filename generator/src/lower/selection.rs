//! Which operations a run generates: a selection by tag, tag group or
//! operation name, and the check that every name it gives is in the spec.

use std::collections::BTreeSet;

use crate::spec::{SpecError, SpecErrorDetails};

/// Which operations to generate: all, or those of some tags or groups, or
/// some operations by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Tags or tag groups (`Accounts`, `Accounts / Account Creation`); empty: all.
    pub tags: Vec<String>,
    /// Operation names (`listaccts`); empty: all.
    pub operations: Vec<String>,
}

impl Selection {
    /// Whether an operation (`id`, with its `tags`, in `group`) is selected.
    pub fn selects(&self, id: &str, tags: &[String], group: &str) -> bool {
        let by_tag = self.tags.is_empty()
            || self.tags.iter().any(|t| {
                t.eq_ignore_ascii_case(group) || tags.iter().any(|tag| tag.eq_ignore_ascii_case(t))
            });
        let by_name = self.operations.is_empty() || self.operations.iter().any(|o| o == id);
        by_tag && by_name
    }

    /// Fails on a selected tag that is none of `known` (the tags and tag
    /// groups of the spec `file`): a misspelt tag would otherwise select
    /// nothing, and an empty crate would replace a full one.
    pub fn check_tags<'a>(
        &self,
        file: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), SpecError> {
        let known: BTreeSet<&str> = known.into_iter().collect();
        for tag in &self.tags {
            if known.iter().any(|k| k.eq_ignore_ascii_case(tag)) {
                continue;
            }
            let hint = match closest(tag, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "its tags and groups are: {}",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(SpecErrorDetails {
                file: file.to_owned(),
                position: None,
                pointer: None,
                operation: None,
                parameter: None,
                message: format!(
                    "selected tag `{tag}` is not a tag or tag group of this spec; {hint}"
                ),
            }
            .into());
        }
        Ok(())
    }
}

/// The candidate nearest to `wanted`, if one is near enough to be what was
/// meant (a typo, another case, a word left out).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_tag_is_refused_with_the_nearest() {
        let selection = Selection {
            tags: vec!["Acounts".to_owned()],
            operations: Vec::new(),
        };
        let error = selection
            .check_tags("spec.yaml", ["Accounts", "DNS"])
            .unwrap_err();
        assert!(error.message.contains("`Acounts`"), "{}", error.message);
        assert!(
            error.message.contains("did you mean `Accounts`"),
            "{}",
            error.message
        );
        let far = Selection {
            tags: vec!["Zebra".to_owned()],
            operations: Vec::new(),
        };
        let error = far
            .check_tags("spec.yaml", ["Accounts", "DNS"])
            .unwrap_err();
        assert!(error.message.contains("Accounts, DNS"), "{}", error.message);
        let other_case = Selection {
            tags: vec!["ACCOUNTS".to_owned()],
            operations: Vec::new(),
        };
        assert!(other_case.check_tags("spec.yaml", ["accounts"]).is_ok());
    }
}

//! How a server refuses a call before any operation runs (`x-refusal`):
//! credentials it does not take, a caller it does not know, a login page
//! in place of an answer. Each API says how its server does it; a spec
//! without `x-refusal` has the defaults every API shares.

use crate::{List, Pointers, Text};

/// How a server says it refused a call before running it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Refusal {
    /// Where a refusal (HTTP 401 or 403) keeps its reason. Empty: where the
    /// envelope keeps a failure's reason (its `message`).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub reason: Pointers,
    /// Where a reply keeps the reason the server failed the call before
    /// running it, with no success flag of the envelope (cPanel's unknown
    /// user: `/cpanelresult/error`): that reason is the call's failure.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::de::pointers")
    )]
    pub rejection: Pointers,
    /// How a [`rejection`](Self::rejection) starts (in any case) when it
    /// means the credentials were refused, whatever the HTTP status
    /// (`access denied`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub denied: List<Text>,
    /// Text that marks a reply that is not JSON as a login page (WHM's
    /// two-factor form: `tfa_login_form`), besides an HTML login form.
    #[cfg_attr(feature = "serde", serde(default, rename = "login-page"))]
    pub login_page: List<Text>,
}

impl Refusal {
    /// Whether `reason`, a [`rejection`](Self::rejection), says the
    /// credentials were refused.
    pub fn denies(&self, reason: &str) -> bool {
        let reason = reason.trim();
        self.denied.iter().any(|start| {
            reason
                .get(..start.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(start))
        })
    }

    /// Whether `text`, a reply that is not JSON, is a login page: one of
    /// the API's marks, or any HTML form that speaks of logging in.
    pub fn is_login_page(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        self.login_page
            .iter()
            .any(|mark| lower.contains(&mark.to_ascii_lowercase()))
            || (lower.contains("<form") && lower.contains("login"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow::Borrowed;

    const WHM: Refusal = Refusal {
        reason: Borrowed(&[]),
        rejection: Borrowed(&[]),
        denied: Borrowed(&[Borrowed("access denied")]),
        login_page: Borrowed(&[Borrowed("tfa_login_form")]),
    };

    #[test]
    fn a_rejection_denies_when_it_starts_as_the_api_says_in_any_case() {
        assert!(WHM.denies("Access denied"));
        assert!(WHM.denies("  ACCESS DENIED: token expired"));
        assert!(!WHM.denies("No access denied here"));
        assert!(!WHM.denies("Access"));
        assert!(!Refusal::default().denies("Access denied"));
        // Cut inside a character: no panic, no match.
        assert!(!WHM.denies("accès refusé"));
    }

    #[test]
    fn a_login_page_is_known_by_the_apis_mark_or_a_login_form() {
        assert!(WHM.is_login_page("<div id=TFA_LOGIN_FORM>"));
        assert!(!Refusal::default().is_login_page("<div id=tfa_login_form>"));
        assert!(Refusal::default().is_login_page("<form action=/login>"));
        assert!(!WHM.is_login_page("<html>Bad gateway</html>"));
    }
}

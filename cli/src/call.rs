//! One call on one server: its parameters and output controls sent, every
//! page read when asked (within one deadline, and never without end), the
//! outcome as an exit status.

use std::time::Duration;

use whm_runtime::operation::Kind;
use whm_runtime::{Error, Filter, Order, Params, RawReply, SortMethod};

/// What a call sends besides its parameters.
#[derive(Debug, Clone)]
pub struct Controls {
    /// `--get`.
    pub get: bool,
    /// `--filter FIELD~VALUE`.
    pub filters: Vec<(String, Filter)>,
    /// `--sort [-]FIELD[:METHOD]`.
    pub sorts: Vec<(String, SortMethod, Order)>,
    /// `--columns`.
    pub columns: Vec<String>,
    /// `--all-pages`: the page size.
    pub all_pages: Option<u64>,
    /// `--max-pages`.
    pub max_pages: u64,
    /// `--timeout`: the longest a server may take, all pages included.
    pub timeout: Duration,
}

/// A `--filter` argument: `field~value` (contains), `field^value`
/// (begins), `field=value` (equals), `field==value` (equals as a number),
/// `field<value`, `field<=value`, `field>value`, `field>=value`.
pub fn filter(text: &str) -> Result<(String, Filter), String> {
    type Make = fn(String) -> Filter;
    const OPERATORS: [(&str, Make); 8] = [
        ("==", Filter::NumberEquals),
        ("<=", Filter::AtMost),
        (">=", Filter::AtLeast),
        ("~", Filter::Contains),
        ("^", Filter::Begins),
        ("=", Filter::Equals),
        ("<", Filter::LessThan),
        (">", Filter::GreaterThan),
    ];
    let at = text
        .find(['~', '^', '=', '<', '>'])
        .filter(|&i| i > 0)
        .ok_or_else(|| {
            format!("`{text}` is no filter: write FIELD~TEXT (contains), FIELD^TEXT (begins), FIELD=TEXT, FIELD==N, FIELD<N, FIELD<=N, FIELD>N or FIELD>=N")
        })?;
    let (field, rest) = text.split_at(at);
    let (op, make) = OPERATORS
        .iter()
        .find(|(op, _)| rest.starts_with(op))
        .expect("the operator found is one of these");
    Ok((field.to_owned(), make(rest[op.len()..].to_owned())))
}

/// A `--sort` argument: `field`, `-field` (largest first), with
/// `:numeric`, `:numeric_zero_as_max`, `:ipv4` or `:lexicographic`.
pub fn sort(text: &str) -> Result<(String, SortMethod, Order), String> {
    let (order, rest) = match text.strip_prefix('-') {
        Some(rest) => (Order::Descending, rest),
        None => (Order::Ascending, text),
    };
    let (field, method) = match rest.split_once(':') {
        Some((field, method)) => (
            field,
            SortMethod::from_wire(method).ok_or_else(|| {
                format!("`{method}` is no sort method: lexicographic, numeric, numeric_zero_as_max or ipv4")
            })?,
        ),
        None => (rest, SortMethod::Lexicographic),
    };
    if field.is_empty() {
        return Err(format!("`{text}` names no field to sort by"));
    }
    Ok((field.to_owned(), method, order))
}

/// The parameters to send, secrets marked as such, with the function's
/// constants where not given.
pub fn params(function: Option<&whm_runtime::Operation>, pairs: &[(String, String)]) -> Params {
    let mut params = Params::new();
    // The constants a function always sends, as its generated method does
    // (the catalog leaves out those the API sends with every call).
    for p in function.map_or(&[][..], |f| f.details.params) {
        if let whm_runtime::operation::Presence::Constant(value) = p.presence
            && !pairs.iter().any(|(k, _)| k == p.name)
        {
            params.push_raw(p.name, value);
        }
    }
    for (key, value) in pairs {
        let secret = function
            .and_then(|f| f.param(key))
            .is_some_and(|p| p.kind == Kind::Secret);
        if secret {
            params.push_secret(key.clone(), &whm_runtime::Secret::new(value.clone()));
        } else {
            params.push_raw(key.clone(), value.clone());
        }
    }
    params
}

/// The secret parameters among `params` (passwords, keys), once each.
pub fn secret_names<'p>(
    function: Option<&whm_runtime::Operation>,
    params: &'p Params,
) -> Vec<&'p str> {
    let mut names: Vec<&str> = params
        .pairs()
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| {
            function
                .and_then(|f| f.param(k))
                .is_some_and(|p| p.kind == Kind::Secret)
        })
        .collect();
    names.dedup();
    names
}

/// Why a call has no reply to print, and its exit status.
#[derive(Debug)]
pub enum Failure {
    /// The call failed: the runtime's error, and the reply when one came
    /// (`-o raw` prints it).
    Call(Error, Option<Box<RawReply>>),
    /// The server took longer than `--timeout`, all pages included.
    Deadline(Duration),
    /// More pages than any listing has: the server keeps saying there are
    /// more.
    TooManyPages(u64),
}

impl Failure {
    /// What to tell, for a person (made visible where it is shown).
    pub fn message(&self) -> String {
        match self {
            Failure::Call(error, _) => {
                let hint = match error {
                    Error::NotApiReply { .. } => " (not a WHM reply: is this WHM's port, 2087?)",
                    Error::Status { status, .. } if (300..400).contains(status) => {
                        " (a redirect, not followed: check the URL's scheme and port)"
                    }
                    _ => "",
                };
                let hint = match error {
                    Error::TooLarge { .. } => " (`--max-reply MIB` accepts more)",
                    _ => hint,
                };
                format!("{error}{hint}")
            }
            Failure::Deadline(limit) => format!(
                "no answer within {} s (`--timeout`, all pages included)",
                limit.as_secs()
            ),
            Failure::TooManyPages(pages) => format!(
                "the server answered {pages} pages and still says there are more: stopped (`--max-pages`; a larger `--page-size` reads fewer)"
            ),
        }
    }

    /// The exit status.
    pub fn status(&self) -> u8 {
        match self {
            Failure::Call(error, _) => status_of(error),
            Failure::Deadline(_) | Failure::TooManyPages(_) => 4,
        }
    }
}

/// The exit status for an error: 1 the API said no, 2 the request could
/// not be made as configured (nothing was sent), 3 access denied, 4 the
/// server was not reached or did not answer as WHM.
pub fn status_of(error: &Error) -> u8 {
    match error {
        Error::Api { .. } => 1,
        Error::Config(_) => 2,
        Error::AccessDenied { .. } => 3,
        _ => 4,
    }
}

/// The call of `function` with its parameters and controls, on `client`:
/// a function of the catalog is sent and its replies read as its
/// description says (a UAPI or cPanel API 2 call's own envelope), with
/// `--raw` too; another by name alone.
pub fn raw_call<'c>(
    client: &'c whm_api::Client,
    function: &str,
    params: &Params,
    controls: &Controls,
) -> whm_runtime::RawCall<'c> {
    let mut call = client.runtime().raw_call(
        &whm_api::API,
        whm_runtime::RawFunction::from_catalog(whm_api::CATALOG, function),
        params.clone(),
    );
    if controls.get {
        call = call.via_get();
    }
    call = call.timeout(controls.timeout);
    for (field, f) in &controls.filters {
        call = call.filter(field.clone(), f.clone());
    }
    for (field, method, order) in &controls.sorts {
        call = call.sort(field.clone(), *method, *order);
    }
    if !controls.columns.is_empty() {
        call = call.columns(controls.columns.clone());
    }
    call
}

/// A call's pages as they come, each a successful reply; one page unless
/// `--all-pages`. The whole call is bounded by `--timeout`, and by
/// `--max-pages`.
pub struct Pager<'c> {
    one: Option<whm_runtime::RawCall<'c>>,
    pages: Option<whm_runtime::RawPages<'c>>,
    deadline: tokio::time::Instant,
    limit: Duration,
    read: u64,
    max_pages: u64,
}

impl<'c> Pager<'c> {
    /// The pages of `call`.
    pub fn new(call: whm_runtime::RawCall<'c>, controls: &Controls) -> Self {
        let (one, pages) = match controls.all_pages {
            Some(size) => (None, Some(call.pages(size))),
            None => (Some(call), None),
        };
        Pager {
            one,
            pages,
            deadline: tokio::time::Instant::now() + controls.timeout,
            limit: controls.timeout,
            read: 0,
            max_pages: controls.max_pages,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<RawReply, Failure>> {
        let more = self.one.is_some() || self.pages.as_ref().is_some_and(|p| !p.finished());
        if self.read >= self.max_pages && more {
            self.pages = None;
            return Some(Err(Failure::TooManyPages(self.read)));
        }
        let received = if let Some(call) = self.one.take() {
            tokio::time::timeout_at(self.deadline, async { Some(call.receive().await) }).await
        } else {
            let pages = self.pages.as_mut()?;
            tokio::time::timeout_at(self.deadline, pages.next()).await
        };
        let received = match received {
            Ok(Some(received)) => received,
            Ok(None) => return None,
            Err(_) => {
                self.pages = None;
                return Some(Err(Failure::Deadline(self.limit)));
            }
        };
        self.read += 1;
        let outcome = match received {
            Ok(reply) => match reply.data_as::<serde::de::IgnoredAny>() {
                Ok(_) => Ok(reply),
                Err(error) => Err(Failure::Call(error, Some(Box::new(reply)))),
            },
            Err(error) => Err(Failure::Call(error, None)),
        };
        if outcome.is_err() {
            self.pages = None;
        }
        Some(outcome)
    }

    /// Every page, for a caller that keeps them all (a fleet's server).
    pub async fn all(mut self) -> Result<Vec<RawReply>, Failure> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_sorts_read_as_written() {
        assert_eq!(
            filter("domain~shop").unwrap(),
            ("domain".to_owned(), Filter::Contains("shop".to_owned()))
        );
        assert_eq!(
            filter("diskused>=100").unwrap(),
            ("diskused".to_owned(), Filter::AtLeast("100".to_owned()))
        );
        assert_eq!(
            filter("uid==5").unwrap(),
            ("uid".to_owned(), Filter::NumberEquals("5".to_owned()))
        );
        assert!(filter("domain").is_err());
        assert!(filter("~x").is_err());
        assert_eq!(
            sort("-diskused:numeric").unwrap(),
            (
                "diskused".to_owned(),
                SortMethod::Numeric,
                Order::Descending
            )
        );
        assert_eq!(
            sort("user").unwrap(),
            (
                "user".to_owned(),
                SortMethod::Lexicographic,
                Order::Ascending
            )
        );
        assert!(sort("-").is_err());
        assert!(sort("x:bogus").is_err());
    }
}

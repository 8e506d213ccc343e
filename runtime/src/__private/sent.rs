//! A request as what it sends: the `Debug` and `PartialEq` of every
//! generated request type, written once here instead of derived for each
//! (the derived ones were an eighth of a generated crate's build time).

use std::fmt;

use crate::api::{Request, Sent};
use crate::scrub::Scrubber;

pub use crate::__request as request_impls;

/// Text shown as it is, without quotes.
struct Bare<'a>(&'a str);

impl fmt::Debug for Bare<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A request's `Debug`: `Name { param: "value", .. }`, each parameter as
/// it is sent (in the path, query, form, headers or cookies), in order, a
/// list's once per item; a secret parameter as `***`, and any form of a
/// secret found elsewhere replaced too; a JSON body as `body` (its text),
/// a body of bytes by its length and media type.
pub fn debug<R: Request>(request: &R, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let sent = Sent::of(request);
    let scrubber = Scrubber::new(
        sent.params
            .secret_values()
            .chain(sent.placed.secret_values()),
        [],
    );
    let mut shown = f.debug_struct(name);
    let places = [
        &sent.params,
        &sent.placed.path,
        &sent.placed.header,
        &sent.placed.cookie,
    ];
    for params in places {
        for (param, value) in params.pairs() {
            match params.is_secret(param) {
                true => shown.field(param, &Bare("***")),
                false => shown.field(param, &scrubber.clean(value)),
            };
        }
    }
    if let Some(mut json) = sent.json {
        scrubber.value(&mut json);
        shown.field("body", &Bare(&json.to_string()));
    }
    if let Some((media, bytes)) = &sent.raw {
        let body = format!("<{} bytes of {media}>", bytes.len());
        shown.field("body", &Bare(&body));
    }
    shown.finish()
}

/// A request's `PartialEq`: two requests are equal when they send the
/// same parameters, in the same order, and the same body.
pub fn same<R: Request>(one: &R, other: &R) -> bool {
    Sent::of(one) == Sent::of(other)
}

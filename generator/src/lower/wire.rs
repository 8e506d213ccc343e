//! The API's wire model (`whm_wire::ApiSpec`): its server, envelope,
//! refusals, fixed parameters, authentication and batches.
//!
//! Read from standard OpenAPI where it can say them (servers, security
//! schemes) and from the documented `x-` extensions where it cannot,
//! which deserialize into the wire model's own types.

use whm_wire::{ApiSpec, Auth, BatchSpec, Text};

use crate::spec::extensions::DocumentExtensions;
use crate::spec::openapi::OpenApi;
use crate::spec::{Spec, SpecError};

/// The API's wire model, as the spec and its extensions describe it; with
/// the server URL template as the spec writes it.
pub fn api_spec(
    spec: &Spec,
    extensions: &DocumentExtensions,
    warnings: &mut Vec<String>,
) -> Result<(ApiSpec, String), SpecError> {
    let (server_url, base_path, default_base_url) = server(spec)?;
    let wire = ApiSpec {
        name: Text::from(spec.document.info.title.clone()),
        base_path: Text::from(base_path),
        default_base_url: default_base_url.map(Text::from),
        envelope: extensions.envelope.clone().unwrap_or_default(),
        refusal: extensions.refusal.clone().unwrap_or_default(),
        fixed_params: extensions
            .fixed_parameters
            .iter()
            .map(|(name, value)| (Text::from(name.clone()), Text::from(value.0.clone())))
            .collect(),
        query_as_form: extensions.query_as_form,
        auth: auth(spec, warnings)?.into(),
        output_controls: extensions
            .output_controls
            .as_ref()
            .map(|o| Text::from(o.metadata.clone())),
        batch: batch(spec, extensions)?.map(whm_wire::Held::new),
    };
    Ok((wire, server_url))
}

/// The server's URL template, base path and fixed root (when its scheme
/// and host have no variables).
///
/// A URL without a scheme (`/api/v3`, or empty) is relative to where the
/// document is served: it gives the base path, and the caller the server.
/// Variables in the path take their defaults (a client of one base path
/// is a client of one API version); variables in the host are the
/// caller's to fill, with the defaults only shown in the example.
fn server(spec: &Spec) -> Result<(String, String, Option<String>), SpecError> {
    let Some(server) = spec.document.servers.first() else {
        return Ok((String::new(), String::new(), None));
    };
    let url = server.url.trim_end_matches('/');
    let (authority, path) = match url.split_once("://") {
        Some((_, after_scheme)) => match after_scheme.find('/') {
            Some(i) => (&after_scheme[..i], &after_scheme[i..]),
            None => (after_scheme, ""),
        },
        None => ("", url),
    };
    let mut base_path = path.to_owned();
    for (name, variable) in &server.variables {
        base_path = base_path.replace(&format!("{{{name}}}"), &variable.default);
    }
    if let Some(open) = base_path.find('{') {
        let name = base_path[open + 1..].split('}').next().unwrap_or_default();
        return Err(spec.error(
            "/servers/0/url",
            format!(
                "the server URL's path names the variable `{name}`, which `variables` does not give a default: add `variables: {{{name}: {{default: ...}}}}`"
            ),
        ));
    }
    if !base_path.is_empty() && !base_path.starts_with('/') {
        base_path.insert(0, '/');
    }
    let root = &url[..url.len() - path.len()];
    let fixed_root = (!authority.is_empty() && !authority.contains('{')).then(|| root.to_owned());
    Ok((server.url.clone(), base_path, fixed_root))
}

/// The security schemes the document requires, in order; one the client
/// cannot use (mutual TLS, an HTTP scheme word that cannot be sent) is
/// left out with a warning, so that the rest of the API is still usable.
fn auth(spec: &Spec, warnings: &mut Vec<String>) -> Result<Vec<Auth>, SpecError> {
    let doc: &OpenApi = &spec.document;
    let mut names: Vec<&str> = doc
        .security
        .iter()
        .flat_map(|r| r.keys().map(String::as_str))
        .collect();
    if names.is_empty() {
        names = doc
            .components
            .security_schemes
            .keys()
            .map(String::as_str)
            .collect();
    }
    let mut out = Vec::new();
    for name in names {
        let at = format!("/components/securitySchemes/{name}");
        let scheme = doc.components.security_schemes.get(name).ok_or_else(|| {
            spec.error(
                "/security",
                format!("security requirement `{name}` names no security scheme"),
            )
        })?;
        // A header's or cookie's name must be an HTTP token; a query
        // parameter's anything printable.
        let key_name = |token: bool| {
            let name = scheme
                .name
                .clone()
                .ok_or_else(|| spec.error(&at, "an `apiKey` scheme needs a `name`"))?;
            let fits = |b: u8| {
                if token {
                    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
                } else {
                    !b.is_ascii_control() && b != b' '
                }
            };
            if name.is_empty() || !name.bytes().all(fits) {
                return Err(spec.error(
                    &format!("{at}/name"),
                    format!("`{name}` cannot name the key where it goes (`in: {}`): give a name of letters, digits and `-`", scheme.location.as_deref().unwrap_or("-")),
                ));
            }
            Ok(name)
        };
        let auth = match (
            scheme.kind.as_str(),
            scheme.scheme.as_deref(),
            scheme.location.as_deref(),
        ) {
            ("http", Some(s), _) if s.eq_ignore_ascii_case("basic") => Auth::Basic,
            ("http", Some(s), _) if s.eq_ignore_ascii_case("bearer") => Auth::Bearer,
            ("http", Some(s), _)
                if !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~+".contains(&b)) =>
            {
                Auth::Token {
                    scheme: Text::from(s.to_owned()),
                }
            }
            ("apiKey", _, Some("query")) => Auth::KeyParam {
                name: Text::from(key_name(false)?),
            },
            ("apiKey", _, Some("header")) => Auth::KeyHeader {
                name: Text::from(key_name(true)?),
            },
            ("apiKey", _, Some("cookie")) => Auth::KeyCookie {
                name: Text::from(key_name(true)?),
            },
            // The access token a flow gave is sent as a bearer token
            // (RFC 6750); getting one is the caller's business.
            ("oauth2" | "openIdConnect", _, _) => Auth::Bearer,
            (kind, s, location) => {
                warnings.push(spec.error(
                    &at,
                    format!(
                        "security scheme `{name}` (type `{kind}`, scheme `{}`, in `{}`) is left out: the client cannot send it. Supported: http basic, http bearer, http with a scheme word of its own (`whm`: `Authorization: whm USER:TOKEN`), apiKey in query, header or cookie, oauth2 and openIdConnect (their access token as a bearer token)",
                        s.unwrap_or("-"),
                        location.unwrap_or("-")
                    ),
                ).to_string());
                continue;
            }
        };
        if !out.contains(&auth) {
            out.push(auth);
        }
    }
    Ok(out)
}

/// `x-batch`: how several calls go in one request, naming an operation
/// the spec has.
fn batch(spec: &Spec, extensions: &DocumentExtensions) -> Result<Option<BatchSpec>, SpecError> {
    let Some(b) = &extensions.batch else {
        return Ok(None);
    };
    let exists = spec
        .document
        .paths
        .values()
        .flat_map(|item| item.operations())
        .any(|(_, op)| op.operation_id == b.operation);
    if !exists {
        return Err(spec.error(
            "/x-batch/operation",
            format!(
                "`x-batch` names the operation `{}`, which the spec does not have",
                b.operation
            ),
        ));
    }
    Ok(Some(b.clone()))
}

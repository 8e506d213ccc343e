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
        auth: auth(spec)?.into(),
        output_controls: extensions
            .output_controls
            .as_ref()
            .map(|o| Text::from(o.metadata.clone())),
        batch: batch(spec, extensions)?.map(whm_wire::Held::new),
    };
    Ok((wire, server_url))
}

/// The server's URL template, base path and fixed root (when it has no variables).
fn server(spec: &Spec) -> Result<(String, String, Option<String>), SpecError> {
    let Some(server) = spec.document.servers.first() else {
        return Ok((String::new(), String::new(), None));
    };
    let url = server.url.trim_end_matches('/');
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).ok_or_else(|| {
        spec.error(
            "/servers/0/url",
            format!("the server URL `{url}` has no scheme (https://...)"),
        )
    })?;
    let (authority, path) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, ""),
    };
    if path.contains('{') {
        return Err(spec.error(
            "/servers/0/url",
            "variables in the server URL's path are not supported; use them in the host and port only",
        ));
    }
    let root = &url[..url.len() - path.len()];
    let fixed_root = (!authority.contains('{')).then(|| root.to_owned());
    Ok((server.url.clone(), path.to_owned(), fixed_root))
}

/// The security schemes the document requires, in order.
fn auth(spec: &Spec) -> Result<Vec<Auth>, SpecError> {
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
            (kind, s, location) => {
                return Err(spec.error(
                    &at,
                    format!(
                        "unsupported security scheme (type `{kind}`, scheme `{}`, in `{}`); supported: http basic, http bearer, http with a scheme word of its own (`whm`: `Authorization: whm USER:TOKEN`), apiKey in query, header or cookie",
                        s.unwrap_or("-"),
                        location.unwrap_or("-")
                    ),
                ));
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

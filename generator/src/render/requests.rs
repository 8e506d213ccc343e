//! Request types and the client methods that send them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Options;
use super::examples::example;
use super::tokens::{
    code, doc, first_sentence, ident, json_value, paragraphs, private, runtime, text_type_tokens,
    type_path, type_tokens, wire_text,
};
use crate::ir::{
    Api, Failure, Field, Location, Operation, Presence, Statuses, Style, TypeKind, TypeRef,
};

/// The request type of `op` and its `Request` implementation.
pub fn request(api: &Api, op: &Operation, module: &str, options: &Options) -> TokenStream {
    let name = ident(&op.request);
    let stored: Vec<&Field> = op
        .fields
        .iter()
        .filter(|f| !matches!(f.presence, Presence::Constant(_)) && !f.bound)
        .collect();
    let required: Vec<&Field> = stored
        .iter()
        .copied()
        .filter(|f| f.presence == Presence::Required)
        .collect();

    let field_decls = stored.iter().map(|f| {
        let field = ident(&f.rust);
        let ty = stored_type(f, op, module);
        quote!(#field: #ty,)
    });
    let new_args = required.iter().map(|f| {
        let field = ident(&f.rust);
        let arg = argument(&f.ty, module);
        quote!(#field: #arg)
    });
    let new_inits = stored.iter().map(|f| {
        let field = ident(&f.rust);
        match f.presence {
            Presence::Required => init(&f.ty, &field, f.null_setter.is_some()),
            _ => quote!(#field: ::std::default::Default::default(),),
        }
    });
    let setters = stored
        .iter()
        .filter(|f| f.presence != Presence::Required)
        .map(|f| setter(f, op, module));
    let required_null_setters = stored
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .filter_map(|f| null_setter(f));
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = if required.is_empty() {
        doc("A request; every parameter is optional.")
    } else {
        let list: Vec<String> = required
            .iter()
            .map(|f| {
                format!(
                    "- `{}`: {}",
                    f.rust.trim_start_matches("r#"),
                    first_sentence(f)
                )
            })
            .collect();
        doc(&format!(
            "A request with its required parameters:\n\n{}",
            list.join("\n")
        ))
    };
    // `Debug` and `PartialEq` come from what the request sends
    // (`request_impls!`): derived for every request, they were an eighth
    // of a generated crate's build.
    let derives = if !required.is_empty() {
        quote!(#[derive(Clone)])
    } else {
        quote!(#[derive(Clone, Default)])
    };
    let p = private();

    let implementation = request_impl(op, module, options);
    let doc = doc(&request_doc(api, op, module, options));
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#field_decls)*
        }

        #p::sent::request_impls!(#name);

        impl #name {
            #new_doc
            #many_args
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                Self {
                    #(#new_inits)*
                }
            }

            #(#setters)*
            #(#required_null_setters)*
        }

        #implementation
    }
}

/// The `Request` implementation of `op`'s request type: how it goes on
/// the wire, and what its reply holds.
fn request_impl(op: &Operation, module: &str, options: &Options) -> TokenStream {
    let rt = runtime();
    let p = private();
    let name = ident(&op.request);
    let data = type_tokens(&op.data, module);
    let data_ref = text_type_tokens(&op.data, module, &quote!(::std::borrow::Cow<'a, str>));
    let description = super::descriptions::description(op, options);
    let json_op = op.body == whm_wire::Body::Json;
    let param_stmts: Vec<TokenStream> = op
        .fields
        .iter()
        // The bound parameter comes from the client view, not the request.
        .filter(|f| {
            !(f.bound || !f.location.among_params() || json_op && f.location == Location::Body)
        })
        .map(param_stmt)
        .collect();
    let params_body = if param_stmts.is_empty() {
        quote!(let _ = params;)
    } else {
        quote!(#(#param_stmts)*)
    };
    // Each place's parameters, pushed to that place's pairs.
    let placed_stmts: Vec<TokenStream> = [
        (Location::Path, quote!(path)),
        (Location::Header, quote!(header)),
        (Location::Cookie, quote!(cookie)),
    ]
    .into_iter()
    .filter_map(|(location, place)| {
        let stmts: Vec<TokenStream> = op
            .fields
            .iter()
            .filter(|f| f.location == location && !f.bound)
            .map(param_stmt)
            .collect();
        (!stmts.is_empty()).then(|| {
            quote! {
                let params = &mut placed.#place;
                #(#stmts)*
            }
        })
    })
    .collect();
    let placed_params = (!placed_stmts.is_empty()).then(|| {
        quote! {
            fn placed_params(&self, placed: &mut #rt::Placed) {
                #(#placed_stmts)*
            }
        }
    });
    let whole = op.fields.iter().find(|f| f.location == Location::WholeBody);
    let json_body = json_op.then(|| match whole {
        Some(f) => {
            let field = ident(&f.rust);
            // An optional map is kept bare: empty, it is not sent.
            let value = match (&f.presence, &f.ty) {
                (Presence::Required, _) => quote!(#p::serde_json::to_value(&self.#field).ok()),
                (_, TypeRef::Map(_)) => quote! {
                    (!self.#field.is_empty())
                        .then(|| #p::serde_json::to_value(&self.#field).ok())
                        .flatten()
                },
                _ => quote!(self.#field.as_ref().and_then(|v| #p::serde_json::to_value(v).ok())),
            };
            quote! {
                fn json_body(&self) -> ::std::option::Option<#p::serde_json::Value> {
                    #value
                }
            }
        }
        None => {
            let inserts = op
                .fields
                .iter()
                .filter(|f| f.location == Location::Body && !f.bound)
                .map(json_stmt)
                .collect::<Vec<_>>();
            // A body with no members is an empty object.
            let binding = match inserts.is_empty() {
                true => quote!(let body = #p::serde_json::Map::new();),
                false => quote!(let mut body = #p::serde_json::Map::new();),
            };
            quote! {
                fn json_body(&self) -> ::std::option::Option<#p::serde_json::Value> {
                    #binding
                    #(#inserts)*
                    ::std::option::Option::Some(#p::serde_json::Value::Object(body))
                }
            }
        }
    });
    let raw_body = (op.body == whm_wire::Body::Raw).then(|| {
        let media_type = op
            .raw_body_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let value = match whole {
            Some(f) => {
                let field = ident(&f.rust);
                let bytes = match f.ty {
                    TypeRef::String => quote!(body.clone().into_bytes()),
                    _ => quote!(body.clone()),
                };
                match f.presence {
                    Presence::Required => quote! {
                        let body = &self.#field;
                        ::std::option::Option::Some((#media_type, #bytes))
                    },
                    _ => quote!(self.#field.as_ref().map(|body| (#media_type, #bytes))),
                }
            }
            None => quote!(::std::option::Option::None),
        };
        quote! {
            fn raw_body(&self) -> ::std::option::Option<(&'static str, ::std::vec::Vec<u8>)> {
                #value
            }
        }
    });
    let failure = failure_fn(&op.failures, module);
    quote! {
        impl #rt::Request for #name {
            type Data = #data;
            type DataRef<'a> = #data_ref;
            const API: &'static #rt::ApiSpec = &super::API;
            const OPERATION: &'static #rt::Operation = &#description;

            #[inline]
            fn params(&self, params: &mut #rt::Params) {
                #params_body
            }

            #placed_params

            #json_body

            #raw_body

            #failure
        }

    }
}

/// `Request::failure`, where the spec types error statuses' replies: a
/// match of the status to the type its reply is decoded as.
fn failure_fn(failures: &[Failure], module: &str) -> Option<TokenStream> {
    let rt = runtime();
    let decode = |f: &Failure| {
        let ty = type_tokens(&f.ty, module);
        let how = match &f.ty {
            TypeRef::Named(path) if path.kind == TypeKind::Struct => quote!(object),
            _ => quote!(decode),
        };
        quote!(#rt::FailureBody::#how::<#ty>(body))
    };
    let body = match failures {
        [] => return None,
        [only] if only.statuses == Statuses::Other => {
            let decode = decode(only);
            quote! {
                let _ = status;
                #decode
            }
        }
        _ => {
            let arms = failures.iter().map(|f| {
                let number = proc_macro2::Literal::u16_unsuffixed;
                let pattern = match f.statuses {
                    Statuses::Code(code) => {
                        let code = number(code);
                        quote!(#code)
                    }
                    Statuses::Class(class) => {
                        let (low, high) = (number(class * 100), number(class * 100 + 99));
                        quote!(#low..=#high)
                    }
                    Statuses::Other => quote!(_),
                };
                let decode = decode(f);
                quote!(#pattern => #decode,)
            });
            let rest = (!failures.iter().any(|f| f.statuses == Statuses::Other))
                .then(|| quote!(_ => ::std::option::Option::None,));
            quote! {
                match status {
                    #(#arms)*
                    #rest
                }
            }
        }
    };
    Some(quote! {
        fn failure(status: u16, body: &str) -> ::std::option::Option<#rt::FailureBody> {
            #body
        }
    })
}

/// The client methods of a group's operations: on the client, or, for
/// operations that take the bound parameter, on the bound view. Defined
/// once for every kind of client (async and blocking): a method returns
/// its transport's call.
pub fn client_methods(api: &Api, ops: &[Operation]) -> TokenStream {
    let rt = runtime();
    let t = ident(crate::ir::own::TRANSPORT_PARAMETER);
    let bound = api.bound.as_ref();
    let takes_bound = |op: &Operation| op.fields.iter().any(|f| f.bound);
    let methods = |on_view: bool| {
        ops.iter()
            .filter(|op| takes_bound(op) == on_view)
            .map(|op| {
                let method = ident(&op.method);
                let request = ident(&op.request);
                let summary = op.summary.clone().unwrap_or_else(|| format!("Calls `{}`.", op.id));
                let text = paragraphs([
                    Some(summary),
                    Some(format!("Sends [`{}`]; see there for parameters and an example.", op.request)),
                ]);
                let doc = doc(&text);
                let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "deprecated by the API")]));
                match bound.filter(|_| on_view) {
                    Some(b) => {
                        let wire = &b.wire;
                        quote! {
                            #doc
                            #deprecated
                            pub fn #method(&self, request: #request) -> #t::Call<'c, #rt::Bound<#request>> {
                                self.client.inner.call(#rt::Bound::new(request, #wire, self.value.clone()))
                            }
                        }
                    }
                    None => quote! {
                        #doc
                        #deprecated
                        pub fn #method(&self, request: #request) -> #t::Call<'_, #request> {
                            self.inner.call(request)
                        }
                    },
                }
            })
            .collect::<Vec<_>>()
    };
    let on_client = methods(false);
    let on_view = methods(true);
    let client_impl = (!on_client.is_empty())
        .then(|| quote!(impl<#t: #rt::Transport> super::ClientOf<#t> { #(#on_client)* }));
    let view_impl = bound.filter(|_| !on_view.is_empty()).map(|b| {
        let view = ident(&b.view);
        quote!(impl<'c, #t: #rt::Transport> super::#view<'c, #t> { #(#on_view)* })
    });
    quote!(#client_impl #view_impl)
}

fn request_doc(api: &Api, op: &Operation, module: &str, options: &Options) -> String {
    let summary = op
        .summary
        .clone()
        .unwrap_or_else(|| format!("The `{}` operation.", op.id));
    let method = op.http_method.as_str();
    let how = format!(
        "Calls {} ({method} {}{}).",
        code(&op.id),
        code(&format!("{}{}", api.wire.base_path, op.path)),
        if op.tags.is_empty() {
            String::new()
        } else {
            format!(
                ", listed under {}",
                op.tags
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let deprecated = op
        .deprecated
        .then(|| "**Deprecated** by the API.".to_owned());
    let example = options
        .crate_path
        .as_ref()
        .map(|krate| example(api, op, krate, module));
    paragraphs([
        Some(summary),
        op.description.clone(),
        Some(how),
        deprecated,
        failures_doc(&op.failures, module),
        example,
    ])
}

/// What the reply of an error status is decoded as, and how to read it.
fn failures_doc(failures: &[Failure], module: &str) -> Option<String> {
    if failures.is_empty() {
        return None;
    }
    let lines: Vec<String> = failures
        .iter()
        .map(|f| {
            let statuses = match f.statuses {
                Statuses::Code(code) => format!("HTTP {code}"),
                Statuses::Class(class) => format!("HTTP {class}xx"),
                Statuses::Other => "any other error status".to_owned(),
            };
            // A generated type is a link; any other is named as code.
            let ty = match &f.ty {
                TypeRef::Named(path) => format!("[`{}`]", type_path(path, module)).replace(' ', ""),
                other => code(&type_tokens(other, module).to_string().replace(' ', "")),
            };
            format!("- {statuses}: {ty}")
        })
        .collect();
    Some(format!(
        "The replies of error statuses are decoded as the spec types them, into \
         `Error::Status`'s body (read with `error.failure::<T>()`):\n\n{}",
        lines.join("\n")
    ))
}

/// Methods of std traits: a setter of that name is not that method.
const TRAIT_METHODS: [&str; 28] = [
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "sub",
];

/// How a field is stored in the request struct.
fn stored_type(f: &Field, op: &Operation, module: &str) -> TokenStream {
    let inner = type_tokens(&f.ty, module);
    match (&f.presence, &f.ty) {
        (Presence::Flag(_), _) => quote!(bool),
        (Presence::Required, _) if f.null_setter.is_some() => {
            quote!(::std::option::Option<#inner>)
        }
        (Presence::Required, _) => inner,
        // Among `name=value` pairs an empty list is no pair at all; in
        // JSON, `[]` is a value a caller may mean to send.
        (_, TypeRef::List(_)) if !in_json(f, op) => inner,
        (_, TypeRef::Map(_)) => inner,
        // Not set, set, or set to `null`.
        _ if f.null_setter.is_some() => {
            quote!(::std::option::Option<::std::option::Option<#inner>>)
        }
        _ => quote!(::std::option::Option<#inner>),
    }
}

/// Whether `f` goes in `op`'s JSON body (as a member, or as the body).
fn in_json(f: &Field, op: &Operation) -> bool {
    op.body == whm_wire::Body::Json && matches!(f.location, Location::Body | Location::WholeBody)
}

/// The argument type a setter or `new` takes for a value of `ty`.
pub(super) fn argument(ty: &TypeRef, module: &str) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::Named(_) => type_tokens(ty, module),
        TypeRef::List(item) => {
            let item = type_tokens(item, module);
            quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>)
        }
        other => {
            let t = type_tokens(other, module);
            quote!(impl ::std::convert::Into<#t>)
        }
    }
}

/// `field: value` in a constructor, for the argument named as the field
/// (`field` alone where the argument is stored as given); `nullable`: the
/// field holds an `Option`, whose `None` sends `null`.
pub(super) fn init(ty: &TypeRef, field: &proc_macro2::Ident, nullable: bool) -> TokenStream {
    let value = convert(ty, quote!(#field));
    match (ty, nullable) {
        (_, true) => quote!(#field: ::std::option::Option::Some(#value),),
        (TypeRef::Bool | TypeRef::Named(_), false) => quote!(#field,),
        (_, false) => quote!(#field: #value,),
    }
}

/// `value` converted to the stored type of `ty`.
pub(super) fn convert(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Bool | TypeRef::Named(_) => value,
        TypeRef::List(_) => quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
        _ => quote!(#value.into()),
    }
}

fn field_doc(f: &Field) -> String {
    // The wire name where the method's name is not it.
    let mut notes: Vec<String> = (f.rust.trim_start_matches("r#") != f.wire)
        .then(|| format!("Sent as {}.", code(&f.wire)))
        .into_iter()
        .collect();
    if !f.aliases.is_empty() {
        let aliases: Vec<String> = f.aliases.iter().map(|a| code(a)).collect();
        notes.push(format!("Also accepted as {}.", aliases.join(", ")));
    }
    if let Some(default) = &f.default {
        notes.push(format!("Server default: {}.", code(&default.to_string())));
    }
    if let Some(example) = &f.example {
        notes.push(format!("Example: {}.", code(&example.to_string())));
    }
    if let Presence::Flag(value) = &f.presence {
        notes.push(format!(
            "`true` sends {}.",
            code(&format!("{}={}", f.wire, wire_text(value)))
        ));
    }
    if f.free_form {
        notes.push("Each call adds one `name=value` pair.".to_owned());
    }
    let text = paragraphs([f.description.clone(), Some(notes.join(" "))]);
    if text.is_empty() {
        "Not described by the spec.".to_owned()
    } else {
        text
    }
}

fn setter(f: &Field, op: &Operation, module: &str) -> TokenStream {
    let field = ident(&f.rust);
    let doc = doc(&field_doc(f));
    let deprecated = f
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API")]));
    // A setter is named after its parameter, whatever the name suggests.
    let plain = f.rust.trim_start_matches("r#");
    let convention = ["is_", "to_", "as_", "from_"]
        .iter()
        .any(|prefix| plain.starts_with(prefix))
        .then(|| quote!(#[allow(clippy::wrong_self_convention)]));
    let trait_name = TRAIT_METHODS
        .contains(&plain)
        .then(|| quote!(#[allow(clippy::should_implement_trait)]));
    let body = match (&f.presence, &f.ty) {
        (Presence::Flag(_), _) => quote! {
            pub fn #field(mut self, #field: bool) -> Self {
                self.#field = #field;
                self
            }
        },
        (_, TypeRef::Map(value_ty)) => {
            let arg = argument(value_ty, module);
            let key = format_ident!("name");
            let value = convert(value_ty, quote!(value));
            quote! {
                pub fn #field(mut self, #key: impl ::std::convert::Into<::std::string::String>, value: #arg) -> Self {
                    self.#field.insert(#key.into(), #value);
                    self
                }
            }
        }
        (_, TypeRef::List(_)) if !in_json(f, op) => {
            let arg = argument(&f.ty, module);
            let value = convert(&f.ty, quote!(#field));
            quote! {
                pub fn #field(mut self, #field: #arg) -> Self {
                    self.#field = #value;
                    self
                }
            }
        }
        (_, ty) => {
            let arg = argument(ty, module);
            let value = convert(ty, quote!(#field));
            let value = match f.null_setter {
                Some(_) => quote!(::std::option::Option::Some(#value)),
                None => value,
            };
            quote! {
                pub fn #field(mut self, #field: #arg) -> Self {
                    self.#field = ::std::option::Option::Some(#value);
                    self
                }
            }
        }
    };
    let null_setter = null_setter(f);
    // Every method of a request type is `#[inline]`: a crate that uses a
    // few operations compiles those, rather than this crate compiling the
    // setters, constructors and parameter lists of all of them.
    quote! {
        #doc
        #deprecated
        #convention
        #trait_name
        #[inline]
        #body

        #null_setter
    }
}

/// The method that sends `f` as `null`, where the spec allows it.
fn null_setter(f: &Field) -> Option<TokenStream> {
    let name = f.null_setter.as_ref()?;
    let field = ident(&f.rust);
    let method = ident(name);
    let deprecated = f
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API")]));
    let (null, note) = match f.presence {
        Presence::Required => (
            quote!(::std::option::Option::None),
            ", instead of the value `new` was given",
        ),
        _ => (
            quote!(::std::option::Option::Some(::std::option::Option::None)),
            "; not set, it is not sent",
        ),
    };
    let null_doc = doc(&format!(
        "Sends {} as `null`, which the spec allows{note}.",
        code(&f.wire)
    ));
    Some(quote! {
        #null_doc
        #deprecated
        #[inline]
        pub fn #method(mut self) -> Self {
            self.#field = #null;
            self
        }
    })
}

/// The statement adding a field to the parameters.
fn param_stmt(f: &Field) -> TokenStream {
    let wire = &f.wire;
    match &f.presence {
        Presence::Constant(value) => {
            let text = wire_text(value);
            quote!(params.push_raw(#wire, #text);)
        }
        Presence::Flag(value) => {
            let field = ident(&f.rust);
            let text = wire_text(value);
            quote! {
                if self.#field {
                    params.push_raw(#wire, #text);
                }
            }
        }
        Presence::Required | Presence::Optional if f.ty == TypeRef::Bool && !f.bool_as_number => {
            let rt = runtime();
            let field = ident(&f.rust);
            match f.presence {
                Presence::Required => quote!(params.push(#wire, &#rt::TrueFalse(self.#field));),
                _ => quote!(params.push(#wire, &self.#field.map(#rt::TrueFalse));),
            }
        }
        Presence::Required | Presence::Optional => {
            let rt = runtime();
            let field = ident(&f.rust);
            // A generated struct (or union) among the pairs is its
            // members, as OpenAPI's `form` and `deepObject` styles send
            // an object, not JSON text.
            match (f.style, f.ty.is_object()) {
                (Style::Exploded, false) => quote!(params.push(#wire, &self.#field);),
                (Style::Exploded, true) => {
                    quote!(params.push(#wire, &#rt::Members(&self.#field));)
                }
                (Style::Delimited(c), false) => {
                    quote!(params.push(#wire, &#rt::Delimited(&self.#field, #c));)
                }
                (Style::Delimited(c), true) => quote! {
                    params.push(#wire, &#rt::Delimited(&#rt::KeysAndValues(&self.#field), #c));
                },
                (Style::DeepObject, false) => {
                    quote!(params.push(#wire, &#rt::DeepObject(&self.#field));)
                }
                (Style::DeepObject, true) => quote! {
                    params.push(#wire, &#rt::DeepObject(&#rt::Members(&self.#field)));
                },
            }
        }
    }
}

/// The statement adding a field to a JSON body.
fn json_stmt(f: &Field) -> TokenStream {
    let p = private();
    let wire = &f.wire;
    match &f.presence {
        Presence::Constant(value) => {
            let value = json_value(value);
            quote!(body.insert(#wire.to_owned(), #value);)
        }
        Presence::Flag(value) => {
            let field = ident(&f.rust);
            let value = json_value(value);
            quote! {
                if self.#field {
                    body.insert(#wire.to_owned(), #value);
                }
            }
        }
        // What the caller gave is sent: a required value always (`[]`
        // too), an optional one when set (`null`, for a JSON value set to
        // it), a map when it has entries.
        Presence::Required => {
            let field = ident(&f.rust);
            quote!(#p::json_insert(&mut body, #wire, &self.#field);)
        }
        Presence::Optional => {
            let field = ident(&f.rust);
            match &f.ty {
                TypeRef::Map(_) => quote! {
                    if !self.#field.is_empty() {
                        #p::json_insert(&mut body, #wire, &self.#field);
                    }
                },
                _ => quote! {
                    if let ::std::option::Option::Some(value) = &self.#field {
                        #p::json_insert(&mut body, #wire, value);
                    }
                },
            }
        }
    }
}

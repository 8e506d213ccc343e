//! Each operation described once, as data (`whm_runtime::Operation`): a
//! static beside its request type, which its `Request` implementation,
//! raw calls, the fake server, the introspection tables and `CATALOG`
//! (every operation, for tools that call functions by name) refer to.

use proc_macro2::TokenStream;
use quote::quote;

use super::Options;
use super::requests::first_sentence;
use super::tokens::{doc, ident, private, runtime, wire_text};
use super::wire::{body_tokens, envelope_tokens, method_tokens};
use crate::ir::{Api, Field, Group, Operation, Presence, TypeDef, TypeRef};

/// `CATALOG`: every operation's description, each behind its group's
/// feature.
pub fn catalog(api: &Api, options: &Options) -> TokenStream {
    let rt = runtime();
    let catalog = ident(crate::ir::own::CATALOG);
    let entries = api.groups.iter().flat_map(|g| {
        let cfg = options.group_cfg(g);
        g.operations.iter().map(move |op| {
            let path = description_path(g, op);
            quote!(#cfg &#path,)
        })
    });
    quote! {
        /// Every operation's description, for tools that call functions by
        /// name: its path, method, envelope, summary and parameters.
        pub static #catalog: &[&#rt::Operation] = &[
            #(#entries)*
        ];
    }
}

/// The path of `op`'s description from the crate's root.
pub fn description_path(group: &Group, op: &Operation) -> TokenStream {
    let module = ident(&group.module);
    let name = ident(&op.description_static);
    quote!(#module::#name)
}

/// The static that describes `op`, in its group's module.
pub fn description(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let rt = runtime();
    let name = ident(&op.description_static);
    let wire = &op.id;
    let group_name = group.module.trim_start_matches("r#");
    let summary = op.summary.as_deref().unwrap_or_default();
    let deprecated = op.deprecated;
    let (method, body) = (method_tokens(op.http_method), body_tokens(op.body));
    let path = &op.path;
    let envelope = match &op.envelope {
        Some(e) => {
            let e = envelope_tokens(e);
            quote!(::std::option::Option::Some(&#e))
        }
        None => quote!(::std::option::Option::None),
    };
    let list = match &op.list {
        Some(pointer) => quote!(::std::option::Option::Some(#pointer)),
        None => quote!(::std::option::Option::None),
    };
    // Not those the API sends with every call (`api.version`, which a
    // function may document too, but which no call can set).
    let sent_by_api = |f: &&Field| api.wire.sends_itself(&f.wire);
    let params = op
        .fields
        .iter()
        .filter(|f| !sent_by_api(f))
        .map(|f| param(api, f));
    let free_form = op.fields.iter().any(|f| f.free_form);
    let doc = doc(&format!(
        "`{wire}` as the spec describes it: how [`{}`] goes on the wire, and what it takes.",
        op.request
    ));
    quote! {
        #doc
        pub static #name: #rt::Operation = #rt::Operation {
            name: #wire,
            group: #group_name,
            summary: #summary,
            deprecated: #deprecated,
            method: #method,
            path: #path,
            body: #body,
            envelope: #envelope,
            list: #list,
            params: &[#(#params),*],
            free_form: #free_form,
        };
    }
}

fn param(api: &Api, f: &Field) -> TokenStream {
    let c = private();
    let name = &f.wire;
    let aliases = &f.aliases;
    // A constant or a switch takes its one value (the IR types it as the
    // `bool` of a setter, which is not what goes on the wire).
    let (presence, kind) = match &f.presence {
        Presence::Required if f.bound => (quote!(#c::Presence::Bound), kind(api, &f.ty, &c)),
        Presence::Required => (quote!(#c::Presence::Required), kind(api, &f.ty, &c)),
        Presence::Optional => (quote!(#c::Presence::Optional), kind(api, &f.ty, &c)),
        Presence::Constant(v) => {
            let v = wire_text(v);
            (
                quote!(#c::Presence::Constant(#v)),
                quote!(#c::Kind::Enum(&[#v])),
            )
        }
        Presence::Flag(v) => {
            let v = wire_text(v);
            (
                quote!(#c::Presence::Flag(#v)),
                quote!(#c::Kind::Enum(&[#v])),
            )
        }
    };
    let description = first_sentence(f);
    let text = |v: Option<&serde_json::Value>| match v {
        Some(v) => {
            let v = wire_text(v);
            quote!(::std::option::Option::Some(#v))
        }
        None => quote!(::std::option::Option::None),
    };
    let (default, example) = (text(f.default.as_ref()), text(f.example.as_ref()));
    quote! {
        #c::Param {
            name: #name,
            aliases: &[#(#aliases),*],
            presence: #presence,
            kind: #kind,
            description: #description,
            default: #default,
            example: #example,
        }
    }
}

fn kind(api: &Api, ty: &TypeRef, c: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Empty => quote!(#c::Kind::Text),
        TypeRef::Secret => quote!(#c::Kind::Secret),
        TypeRef::Integer => quote!(#c::Kind::Integer),
        TypeRef::Number => quote!(#c::Kind::Number),
        TypeRef::Bool => quote!(#c::Kind::Bool),
        TypeRef::Limit => quote!(#c::Kind::Limit),
        TypeRef::Json => quote!(#c::Kind::Json),
        TypeRef::Map(_) => quote!(#c::Kind::Map),
        TypeRef::Option(inner) => kind(api, inner, c),
        TypeRef::List(item) => {
            let item = kind(api, item, c);
            quote!(#c::Kind::List(&#item))
        }
        TypeRef::Named(path) => match api.type_def(path) {
            Some(TypeDef::Enum(e)) => {
                let values = e.variants.iter().map(|v| &v.wire);
                quote!(#c::Kind::Enum(&[#(#values),*]))
            }
            // A structured value is sent as JSON.
            Some(TypeDef::Struct(_) | TypeDef::Alias(_)) | None => quote!(#c::Kind::Json),
        },
    }
}

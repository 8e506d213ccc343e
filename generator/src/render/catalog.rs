//! The crate's catalog: every function and its parameters as static data
//! (`whm_runtime::catalog`), for tools that call functions by name.

use proc_macro2::TokenStream;
use quote::quote;

use super::Options;
use super::requests::first_sentence;
use super::tokens::{runtime, wire_text};
use crate::ir::{Api, Field, Operation, Presence, TypeDef, TypeRef};

/// `CATALOG`, behind the introspection gate.
pub fn catalog(api: &Api, options: &Options) -> Option<TokenStream> {
    let cfg = options.introspection.cfg("introspection")?;
    let rt = runtime();
    let c = quote!(#rt::catalog);
    let entries = api.groups.iter().flat_map(|g| {
        let group_cfg = options.group_cfg(g);
        let group = g.module.trim_start_matches("r#").to_owned();
        g.operations
            .iter()
            .map(move |op| function(api, op, &group, &group_cfg))
    });
    Some(quote! {
        /// Every function with its summary and parameters, for tools that
        /// call functions by name (see `whm_runtime::catalog`).
        #cfg
        pub static CATALOG: &[#c::Function] = &[
            #(#entries)*
        ];
    })
}

fn function(api: &Api, op: &Operation, group: &str, cfg: &TokenStream) -> TokenStream {
    let rt = runtime();
    let name = &op.id;
    let summary = op.summary.as_deref().unwrap_or_default();
    let deprecated = op.deprecated;
    let list = match &op.list {
        Some(pointer) => quote!(::std::option::Option::Some(#pointer)),
        None => quote!(::std::option::Option::None),
    };
    // What a caller by name can send: not the path's own parameters, nor
    // those the API sends with every call (`api.version`, which a function
    // may document too, but which no call can set).
    let sent_by_api = |f: &&Field| api.fixed_params.iter().any(|(name, _)| *name == f.wire);
    let params = op
        .fields
        .iter()
        .filter(|f| !f.bound && !sent_by_api(f))
        .map(|f| param(api, f));
    quote! {
        #cfg
        #rt::catalog::Function {
            name: #name,
            group: #group,
            summary: #summary,
            deprecated: #deprecated,
            list: #list,
            params: &[#(#params),*],
        },
    }
}

fn param(api: &Api, f: &Field) -> TokenStream {
    let c = {
        let rt = runtime();
        quote!(#rt::catalog)
    };
    let name = &f.wire;
    let aliases = &f.aliases;
    // A constant or a switch takes its one value (the IR types it as the
    // `bool` of a setter, which is not what goes on the wire).
    let (presence, kind) = match &f.presence {
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
            _ => quote!(#c::Kind::Json),
        },
    }
}

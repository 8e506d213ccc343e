//! Each operation described once, as data (`whm_runtime::Operation`): its
//! request type's `Request::OPERATION`, which raw calls, the fake server,
//! the introspection tables and `CATALOG` (every operation, for tools that
//! call functions by name) refer to. Its details (group, summary,
//! parameters) are constants of the group's `details` module, compiled with
//! the features that read them: a default build compiles how each
//! operation goes on the wire, and not what only tools and the fake
//! server need.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{first_sentence, ident, private, runtime, wire_text};
use super::wire::{body_tokens, envelope_tokens, method_tokens};
use super::{Gate, Options};
use crate::ir::{Api, Field, Group, Operation, Presence, TypeDef, TypeRef, own};

/// `CATALOG`: every operation's description, each behind its group's
/// feature.
pub fn catalog(api: &Api, options: &Options) -> TokenStream {
    let rt = runtime();
    let catalog = ident(own::CATALOG);
    let entries = api.groups.iter().flat_map(|g| {
        let cfg = options.group_cfg(g);
        g.operations.iter().map(move |op| {
            let description = description_ref(&quote!(), g, op);
            quote!(#cfg #description,)
        })
    });
    let details = match options.details_gate() {
        Gate::Feature => " and,\nwith the `details` feature, its group, summary and parameters",
        Gate::Always => ",\ngroup, summary and parameters",
        Gate::Never => "",
    };
    let doc = super::tokens::doc(&format!(
        "Every operation's description, for tools that call functions by\n\
         name: its path, method, envelope{details}."
    ));
    quote! {
        #doc
        pub static #catalog: &[&#rt::Operation] = &[
            #(#entries)*
        ];
    }
}

/// `op`'s description (a `&'static whm_runtime::Operation`), from a module
/// that reaches the crate's root as `root` (`super::`, or nothing).
pub fn description_ref(root: &TokenStream, group: &Group, op: &Operation) -> TokenStream {
    let rt = runtime();
    let module = ident(&group.module);
    let request = ident(&op.request);
    quote!(<#root #module::#request as #rt::Request>::OPERATION)
}

/// The name of a group's module of details.
const DETAILS_MODULE: &str = "details";

/// The description of `op`: a constant expression of `Operation`, in its
/// group's module.
pub fn description(op: &Operation, options: &Options) -> TokenStream {
    let (rt, p) = (runtime(), private());
    let wire = &op.id;
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
    let (module, name) = (ident(DETAILS_MODULE), ident(&op.details_const));
    let feature = own::DETAILS;
    let details = match options.details_gate() {
        Gate::Always => quote!(details: &#module::#name,),
        Gate::Never => quote!(details: &#p::Details::NONE,),
        Gate::Feature => quote! {
            #[cfg(feature = #feature)]
            details: &#module::#name,
            #[cfg(not(feature = #feature))]
            details: &#p::Details::NONE,
        },
    };
    quote! {
        #rt::Operation {
            name: #wire,
            method: #method,
            path: #path,
            body: #body,
            envelope: #envelope,
            list: #list,
            #details
        }
    }
}

/// The declaration of a group's module of details, in the group's module:
/// `mod details;` behind the features that read it (its file, in a
/// crate), or the module itself (in one file); nothing when no feature
/// reads it.
pub fn details_declaration(
    api: &Api,
    group: &Group,
    options: &Options,
    inline: bool,
) -> TokenStream {
    let feature = own::DETAILS;
    let cfg = match options.details_gate() {
        Gate::Never => return quote!(),
        Gate::Always => quote!(),
        Gate::Feature => quote!(#[cfg(feature = #feature)]),
    };
    let module = ident(DETAILS_MODULE);
    if inline {
        let items = details_items(api, group);
        quote! {
            #cfg
            mod #module {
                #items
            }
        }
    } else {
        quote! {
            #cfg
            mod #module;
        }
    }
}

/// The file of a group's module of details in a crate (`src/accounts/details.rs`),
/// when any feature reads it.
pub fn details_file(group: &Group, options: &Options) -> Option<String> {
    match options.details_gate() {
        Gate::Never => None,
        Gate::Always | Gate::Feature => Some(format!(
            "src/{}/{DETAILS_MODULE}.rs",
            group.module.trim_start_matches("r#")
        )),
    }
}

/// The items of a group's module of details: one constant per operation.
pub fn details_items(api: &Api, group: &Group) -> TokenStream {
    let consts = group.operations.iter().map(|op| details(api, group, op));
    quote!(#(#consts)*)
}

/// The details of `op`, as a constant of `Details`.
fn details(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let p = private();
    let name = ident(&op.details_const);
    let group_name = group.module.trim_start_matches("r#");
    let summary = op.summary.as_deref().unwrap_or_default();
    let deprecated = op.deprecated;
    // Not those the API sends with every call (`api.version`, which a
    // function may document too, but which no call can set).
    let params = op
        .fields
        .iter()
        .filter(|f| !api.wire.sends_itself(&f.wire))
        .map(|f| param(api, f));
    // An object among the pairs sends its members as pairs of their own.
    let free_form = op
        .fields
        .iter()
        .any(|f| f.free_form || members_among_pairs(f, op));
    quote! {
        pub(super) const #name: #p::Details = #p::Details {
            group: #group_name,
            summary: #summary,
            deprecated: #deprecated,
            params: &[#(#params),*],
            free_form: #free_form,
        };
    }
}

/// Whether `f` is an object sent among the `name=value` pairs as its
/// members, each under its own name (OpenAPI's exploded `form` style).
fn members_among_pairs(f: &Field, op: &Operation) -> bool {
    // A JSON body's members are no pairs.
    let pair = match f.location {
        crate::ir::Location::Query => true,
        crate::ir::Location::Body => op.body != whm_wire::Body::Json,
        _ => false,
    };
    f.ty.is_object() && f.style == crate::ir::Style::Exploded && pair
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
        TypeRef::String | TypeRef::Empty | TypeRef::Bytes => quote!(#c::Kind::Text),
        TypeRef::Secret => quote!(#c::Kind::Secret),
        TypeRef::Integer | TypeRef::Whole(_) => quote!(#c::Kind::Integer),
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
            Some(TypeDef::Struct(_) | TypeDef::Alias(_) | TypeDef::Union(_)) | None => {
                quote!(#c::Kind::Json)
            }
        },
    }
}

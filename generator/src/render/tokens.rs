//! Small token helpers shared by the renderers: documentation, identifiers,
//! type paths and literals. Generated code names everything by absolute
//! path, and reaches its dependencies through the runtime's private module.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::ir::{TypePath, TypeRef};

/// `::whm_runtime`.
pub fn runtime() -> TokenStream {
    quote!(::whm_runtime)
}

/// `::whm_runtime::__private`.
pub fn private() -> TokenStream {
    quote!(::whm_runtime::__private)
}

/// An identifier, raw (`r#type`) where the name says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc = ...]` attributes for Markdown text, one per line so that the
/// formatted output shows `///` comments.
pub fn doc(text: &str) -> TokenStream {
    let lines = super::doc_text::doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Paragraphs of Markdown joined into one doc text, skipping empty ones.
pub fn paragraphs<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = Option<S>>,
    S: AsRef<str>,
{
    parts
        .into_iter()
        .flatten()
        .map(|s| s.as_ref().trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `code` as inline Markdown code, whatever backticks it holds.
pub fn code(text: &str) -> String {
    let ticks = "`".repeat(longest_tick_run(text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_tick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The path of a generated type as seen from `module` (`""`: the crate root).
pub fn type_path(path: &TypePath, module: &str) -> TokenStream {
    let name = ident(&path.name);
    let m = ident(&path.module);
    if path.module == module {
        quote!(#name)
    } else if module.is_empty() {
        quote!(#m::#name)
    } else {
        quote!(super::#m::#name)
    }
}

/// The Rust type of `ty` as seen from `module`, text as `String` (reply
/// types with their default text type).
pub fn type_tokens(ty: &TypeRef, module: &str) -> TokenStream {
    type_tokens_with(ty, module, None)
}

/// The Rust type of `ty` as seen from `module`, text as `text`: reply types
/// that hold text are given it as their parameter.
pub fn text_type_tokens(ty: &TypeRef, module: &str, text: &TokenStream) -> TokenStream {
    type_tokens_with(ty, module, Some(text))
}

/// `S`, the text type parameter of reply types.
pub fn text_parameter() -> Ident {
    ident(crate::ir::own::TEXT_PARAMETER)
}

fn type_tokens_with(ty: &TypeRef, module: &str, text: Option<&TokenStream>) -> TokenStream {
    let rt = runtime();
    let p = private();
    match ty {
        TypeRef::String => match text {
            Some(text) => text.clone(),
            None => quote!(::std::string::String),
        },
        TypeRef::Secret => quote!(#rt::Secret),
        TypeRef::Integer => quote!(i64),
        TypeRef::Whole(width) => {
            let t = ident(width.rust());
            quote!(#t)
        }
        TypeRef::Number => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Limit => quote!(#rt::Limit),
        TypeRef::Json => quote!(#p::serde_json::Value),
        TypeRef::Empty => quote!(#rt::Empty),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Named(path) => {
            let named = type_path(path, module);
            match text {
                Some(text) if path.text => quote!(#named<#text>),
                _ => named,
            }
        }
        TypeRef::List(item) => {
            let item = type_tokens_with(item, module, text);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens_with(value, module, text);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens_with(inner, module, text);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// A JSON scalar as the wire text of a parameter.
pub fn wire_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => other.to_string(),
    }
}

/// A JSON value as an expression building a `serde_json::Value`.
pub fn json_value(value: &Value) -> TokenStream {
    let p = private();
    match value {
        Value::Null => quote!(#p::serde_json::Value::Null),
        Value::Bool(b) => quote!(#p::serde_json::Value::Bool(#b)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => quote!(#p::serde_json::Value::from(#i)),
            (None, Some(f)) => quote!(#p::serde_json::Value::from(#f)),
            _ => {
                let text = n.to_string();
                quote!(#p::serde_json::Value::String(#text.to_owned()))
            }
        },
        Value::String(s) => quote!(#p::serde_json::Value::String(#s.to_owned())),
        other => {
            let text = other.to_string();
            quote!(#p::serde_json::from_str(#text).unwrap_or_default())
        }
    }
}
/// The first sentence of a field's description, for lists.
pub fn first_sentence(f: &crate::ir::Field) -> String {
    let text = f
        .description
        .as_deref()
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("")
        .trim();
    let sentence = match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    };
    let sentence = sentence.trim_end_matches(':');
    if sentence.is_empty() {
        code(&f.wire)
    } else {
        sentence.to_owned()
    }
}

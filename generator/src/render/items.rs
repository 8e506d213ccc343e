//! Generated structs and enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{
    code, doc, ident, paragraphs, private, runtime, text_parameter, text_type_tokens, type_path,
    type_tokens,
};
use crate::ir::{
    AliasDef, Decoder, EnumDef, Role, StructDef, StructField, TypeDef, TypePath, TypeRef,
};

/// The tokens of a type defined in `module`; `serialize`: what reply
/// types' `record_impls!` starts with to implement `Serialize` too.
pub fn type_def(def: &TypeDef, module: &str, serialize: &TokenStream) -> TokenStream {
    match def {
        TypeDef::Struct(s) if s.role == Role::Response => response_struct(s, module, serialize),
        TypeDef::Struct(s) => request_struct(s, module),
        TypeDef::Enum(e) if e.open => open_enum(e),
        TypeDef::Enum(e) => enum_def(e),
        TypeDef::Alias(a) => alias(a, module),
    }
}

/// A struct's documentation: its description, where it comes from (and
/// where else the same members are), and `note`.
fn struct_doc(s: &StructDef, what: &str, note: Option<String>) -> TokenStream {
    let origin = format!("{what} {}.", describe_origin(&s.origin));
    let shared = (!s.shared_by.is_empty()).then(|| {
        let places: Vec<String> = s.shared_by.iter().map(|o| describe_origin(o)).collect();
        format!(
            "Its members are also those of {}: their types are aliases of this one.",
            places.join("; ")
        )
    });
    doc(&paragraphs([
        s.description.clone(),
        Some(origin),
        shared,
        note,
    ]))
}

/// Another name of a reply struct with the same members.
fn alias(a: &AliasDef, module: &str) -> TokenStream {
    let name = ident(&a.name);
    let target = type_path(&a.target, module);
    let docs = doc(&format!(
        "Decoded leniently from {}: the same members as {}, so the same type.",
        describe_origin(&a.origin),
        doc_link(&a.target, module),
    ));
    if a.target.text {
        let text = text_parameter();
        quote! {
            #docs
            pub type #name<#text = ::std::string::String> = #target<#text>;
        }
    } else {
        quote! {
            #docs
            pub type #name = #target;
        }
    }
}

/// Where a struct's schema stands, in words a reader of the API knows:
/// `` the reply of `listaccts`, at `data.acct[]` ``.
fn describe_origin(pointer: &str) -> String {
    let segments: Vec<String> = whm_wire::pointer::tokens(pointer)
        .map(|t| t.into_owned())
        .collect();
    let (head, rest): (String, &[String]) = match segments.as_slice() {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            (format!("the shared schema {}", code(name)), rest)
        }
        [paths, path, _method, rest @ ..] if paths == "paths" => {
            let operation = path.trim_start_matches('/');
            let kind = if rest.first().map(String::as_str) == Some("responses") {
                "the reply of"
            } else {
                "the request of"
            };
            let start = rest
                .iter()
                .position(|s| s == "schema")
                .map_or(rest.len(), |i| i + 1);
            (format!("{kind} {}", code(operation)), &rest[start..])
        }
        _ => return code(pointer),
    };
    let mut location = String::new();
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "properties" if i + 1 < rest.len() => {
                if !location.is_empty() {
                    location.push('.');
                }
                location.push_str(&rest[i + 1]);
                i += 2;
            }
            "items" => {
                location.push_str("[]");
                i += 1;
            }
            "additionalProperties" => {
                location.push_str("{}");
                i += 1;
            }
            _ => i += 1,
        }
    }
    if location.is_empty() {
        head
    } else {
        format!("{head}, at {}", code(&location))
    }
}

/// A doc link to a generated type, from `module`.
fn doc_link(path: &TypePath, module: &str) -> String {
    if path.module == module {
        format!("[`{}`]", path.name)
    } else {
        format!(
            "[`{}`](super::{}::{})",
            path.name,
            path.module.trim_start_matches("r#"),
            path.name
        )
    }
}

/// A reply field's documentation: its description, and what the
/// documented reply shows in it (or the type that says, for a field that
/// holds a generated type), and its wire name where that differs.
fn reply_field_doc(f: &StructField, module: &str) -> TokenStream {
    let shown = match (f.ty.named(), &f.ty) {
        (Some(path), _) => Some(format!("See {}.", doc_link(path, module))),
        (None, TypeRef::Secret) => Some("A secret: `Debug` shows it as `***`.".to_owned()),
        (None, _) => f
            .example
            .as_ref()
            .map(|e| format!("Example: {}.", example_text(e))),
    };
    let wire =
        (f.rust.trim_start_matches("r#") != f.wire).then(|| format!("Sent as {}.", code(&f.wire)));
    let text = paragraphs([f.description.clone(), shown, wire]);
    doc(if text.is_empty() {
        "Not described by the spec."
    } else {
        &text
    })
}

/// An example value as inline code, on one line and shortened: text as
/// itself, anything else as JSON.
fn example_text(value: &serde_json::Value) -> String {
    const MAX: usize = 60;
    let text = match value {
        serde_json::Value::String(s) if !s.is_empty() => {
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    };
    let shown = if text.chars().count() > MAX {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    } else {
        text
    };
    code(&shown)
}

/// A request struct field's documentation, with its wire name where that
/// differs.
fn request_field_doc(f: &StructField) -> TokenStream {
    let wire =
        (f.rust.trim_start_matches("r#") != f.wire).then(|| format!("Sent as {}.", code(&f.wire)));
    let text = paragraphs([f.description.clone(), wire]);
    doc(if text.is_empty() {
        "Not described by the spec."
    } else {
        &text
    })
}

/// A response field's type: a limit has no default, so it is optional,
/// wherever it sits (`[1, null]` is a list of two limits, one absent).
fn response_type(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Limit => TypeRef::Option(Box::new(TypeRef::Limit)),
        TypeRef::List(item) => TypeRef::List(Box::new(response_type(item))),
        TypeRef::Map(value) => TypeRef::Map(Box::new(response_type(value))),
        TypeRef::Option(inner) if **inner != TypeRef::Limit => {
            TypeRef::Option(Box::new(response_type(inner)))
        }
        other => other.clone(),
    }
}

/// The tokens of a field's type. A field that closes a cycle of structs
/// is an `Option<Box<_>>`: boxed, so that the struct has a size, and
/// optional, since a value that held itself for ever could not be sent
/// (nor made by `Default`).
fn field_type(
    f: &StructField,
    ty: &TypeRef,
    module: &str,
    text: Option<&TokenStream>,
) -> TokenStream {
    let tokens = |ty: &TypeRef| match text {
        Some(text) => text_type_tokens(ty, module, text),
        None => type_tokens(ty, module),
    };
    match ty {
        TypeRef::Named(_) if f.boxed => {
            let inner = tokens(ty);
            quote!(::std::option::Option<::std::boxed::Box<#inner>>)
        }
        TypeRef::Option(inner) if f.boxed => {
            let inner = tokens(inner);
            quote!(::std::option::Option<::std::boxed::Box<#inner>>)
        }
        _ => tokens(ty),
    }
}

fn response_struct(s: &StructDef, module: &str, serialize: &TokenStream) -> TokenStream {
    let p = private();
    let name = ident(&s.name);
    let text = text_parameter();
    // Text-holding types are generic over how they keep text: `String`, or
    // a type that borrows from the reply (`whm_runtime::Text`).
    let text_note = s.text.then(|| {
        format!(
            "`{text}`: how it keeps text; `String`, or `Cow<'a, str>` to borrow from \
             the reply (`Received::reply`)."
        )
    });
    let docs = struct_doc(s, "Decoded leniently from", text_note);
    let text_tokens = quote!(#text);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let ty_tokens = field_type(f, &response_type(&f.ty), module, Some(&text_tokens));
        let doc = reply_field_doc(f, module);
        quote! {
            #doc
            pub #field: #ty_tokens,
        }
    });
    let rest = ident(&s.rest);
    let generics = if s.text {
        quote!(<#text = ::std::string::String>)
    } else {
        quote!()
    };
    // The wire name only where it is not the field's name.
    let members = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let by = ident(Decoder::of(&response_type(&f.ty), f.boxed).name());
        if f.rust == f.wire {
            quote!(, (#field, #by))
        } else {
            let wire = &f.wire;
            quote!(, (#field = #wire, #by))
        }
    });
    let self_type = if s.text {
        quote!(#name[#text])
    } else {
        quote!(#name)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive] // a new API release may add fields: build with `Default` and assign
        pub struct #name #generics {
            #(#fields)*
            /// Members of the reply the spec does not describe, as sent.
            pub #rest: ::std::collections::BTreeMap<::std::string::String, #p::serde_json::Value>,
        }

        #p::de::record_impls!(#serialize #self_type, #rest #(#members)*);
    }
}

fn request_struct(s: &StructDef, module: &str) -> TokenStream {
    let p = private();
    let rt = runtime();
    let name = ident(&s.name);
    let doc = struct_doc(s, "Sent as part of", None);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let inner = field_type(f, &f.ty, module, None);
        let doc = request_field_doc(f);
        let list = matches!(f.ty, TypeRef::List(_) | TypeRef::Map(_));
        let skip = match (&f.ty, f.required && !f.boxed) {
            (_, true) => None,
            (TypeRef::List(_), false) => {
                Some(quote!(skip_serializing_if = "::std::vec::Vec::is_empty"))
            }
            (TypeRef::Map(_), false) => Some(quote!(
                skip_serializing_if = "::std::collections::BTreeMap::is_empty"
            )),
            (_, false) => Some(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            )),
        };
        // The wire name only where it is not the field's name.
        let rename = (f.rust != f.wire).then(|| {
            let wire = &f.wire;
            quote!(rename = #wire)
        });
        let attrs: Vec<TokenStream> = rename.into_iter().chain(skip).collect();
        let attr = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
        let ty = if f.required || list || f.boxed {
            inner
        } else {
            quote!(::std::option::Option<#inner>)
        };
        quote! {
            #doc
            #attr
            pub #field: #ty,
        }
    });
    // Built with its required members by `new` (then assign the others);
    // one with none is `Default`.
    let required: Vec<&StructField> = s.fields.iter().filter(|f| f.required && !f.boxed).collect();
    let (derives, constructor) = match required.is_empty() {
        true => (
            quote!(#[derive(Debug, Clone, Default, PartialEq, #p::serde::Serialize)]),
            None,
        ),
        false => {
            let args = required.iter().map(|f| {
                let field = ident(&f.rust);
                let arg = super::requests::argument(&f.ty, module);
                quote!(#field: #arg)
            });
            let inits = s.fields.iter().map(|f| {
                let field = ident(&f.rust);
                match f.required && !f.boxed {
                    true => {
                        let value = super::requests::convert(&f.ty, quote!(#field));
                        quote!(#field: #value,)
                    }
                    false => quote!(#field: ::std::default::Default::default(),),
                }
            });
            let list: Vec<String> = required
                .iter()
                .map(|f| format!("`{}`", f.rust.trim_start_matches("r#")))
                .collect();
            let new_doc = super::tokens::doc(&format!(
                "A value with its required members ({}); assign the others.",
                list.join(", ")
            ));
            let many_args =
                (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
            let constructor = quote! {
                impl #name {
                    #new_doc
                    #many_args
                    pub fn new(#(#args),*) -> Self {
                        Self { #(#inits)* }
                    }
                }
            };
            (
                quote!(#[derive(Debug, Clone, PartialEq, #p::serde::Serialize)]),
                Some(constructor),
            )
        }
    };
    quote! {
        #doc
        #derives
        #[serde(crate = "::whm_runtime::__private::serde")]
        #[non_exhaustive] // a new API release may add fields: build with `new` or `Default` and assign
        pub struct #name {
            #(#fields)*
        }

        #constructor

        impl #rt::ParamValue for #name {
            fn append_to(&self, name: &str, params: &mut #rt::Params) {
                params.push_raw(name, #p::serde_json::to_string(self).unwrap_or_default());
            }
        }
    }
}

/// An enum's documented values (`` `a`, `b` ``, for its documentation) and
/// its variants, each documented with its wire value.
fn documented_variants(e: &EnumDef) -> (String, Vec<TokenStream>) {
    let values: Vec<String> = e.variants.iter().map(|v| code(&v.wire)).collect();
    let variants = e
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.rust);
            let variant_doc = doc(&paragraphs([
                v.description.clone(),
                Some(format!("Sent as {}.", code(&v.wire))),
            ]));
            quote!(#variant_doc #variant,)
        })
        .collect();
    (values.join(", "), variants)
}

/// A reply's enum: the documented values, and `Other` for any other, as
/// sent. Decoded by the runtime's `reply_enum!`, which reads it wherever
/// text goes (a number or flag as its text, too).
fn open_enum(e: &EnumDef) -> TokenStream {
    let p = private();
    let name = ident(&e.name);
    let other = ident(crate::lower::OTHER_VARIANT);
    let (values, variants) = documented_variants(e);
    let enum_doc = doc(&paragraphs([
        e.description.clone(),
        Some(format!(
            "One of {values}, or another value a newer server sends, kept as sent in `{other}`."
        )),
    ]));
    let pairs = e.variants.iter().map(|v| {
        let variant = ident(&v.rust);
        let wire = &v.wire;
        quote!(#variant = #wire)
    });
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(clippy::enum_variant_names)] // variants are named after wire values
        #[non_exhaustive] // a new API release may add values
        pub enum #name {
            #(#variants)*
            /// A value the spec does not list, as sent (empty when the
            /// reply left the member out).
            #other(::std::string::String),
        }

        #p::de::reply_enum!(#name { #(#pairs),* });
    }
}

fn enum_def(e: &EnumDef) -> TokenStream {
    let p = private();
    let rt = runtime();
    let name = ident(&e.name);
    let (values, variants) = documented_variants(e);
    let enum_doc = doc(&paragraphs([
        e.description.clone(),
        Some(format!("One of {values}.")),
    ]));
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.rust);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(clippy::enum_variant_names)] // variants are named after wire values
        #[non_exhaustive] // a new API release may add values
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as sent.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::ParamValue for #name {
            fn append_to(&self, name: &str, params: &mut #rt::Params) {
                params.push_raw(name, self.as_str());
            }
        }

        impl #p::serde::Serialize for #name {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}

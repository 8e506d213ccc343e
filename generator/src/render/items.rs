//! Generated structs and enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{
    code, doc, ident, paragraphs, private, runtime, text_parameter, text_type_tokens, type_path,
    type_tokens,
};
use crate::ir::{
    AliasDef, Choice, Decoder, EnumDef, Role, StructDef, StructField, TypeDef, TypeKind, TypePath,
    TypeRef, UnionDef, UnionVariant,
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
        TypeDef::Union(u) => union_def(u, module, serialize),
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
    let null = match (
        f.nullable && !f.boxed && !matches!(f.ty, TypeRef::Map(_)),
        f.required,
    ) {
        (false, _) => None,
        (true, true) => Some("`None` sends `null`, which the spec allows."),
        (true, false) => Some("`Some(None)` sends `null`, which the spec allows."),
    };
    let text = paragraphs([f.description.clone(), wire, null.map(str::to_owned)]);
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
        // An optional list is kept as set (`Some(vec![])` sends `[]`); an
        // optional map is kept bare: empty, it is not sent.
        let map = matches!(f.ty, TypeRef::Map(_));
        let skip = match (&f.ty, f.required && !f.boxed) {
            (_, true) => None,
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
        let ty = if f.required && f.nullable && !f.boxed && !map {
            // `None` sends `null`.
            quote!(::std::option::Option<#inner>)
        } else if f.required || map || f.boxed {
            inner
        } else if f.nullable && !matches!(f.ty, TypeRef::Map(_)) {
            // Not set, set, or set to `null` (`Some(None)`).
            quote!(::std::option::Option<::std::option::Option<#inner>>)
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
                        let nullable = f.nullable && !matches!(f.ty, TypeRef::Map(_));
                        super::requests::init(&f.ty, &field, nullable)
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
            #[inline]
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
            #[inline]
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::ParamValue for #name {
            #[inline]
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

/// Whether a union's variant holds its value in a `Box`: a struct or
/// another union, which may hold the union again, and would make every
/// value of the union as large as the largest.
fn boxed_variant(v: &UnionVariant) -> bool {
    matches!(&v.ty, TypeRef::Named(p) if p.kind != TypeKind::Enum)
}

/// What a union's variant is, in words: how a value is known to be it.
fn choice_text(u: &UnionDef, v: &UnionVariant) -> String {
    match (&v.choice, &u.tag) {
        (Choice::Tag(values), Some(tag)) if u.role == Role::Request => {
            let first = values.first().map_or_else(String::new, |t| code(t));
            format!("Sent with {} set to {first}.", code(tag))
        }
        (Choice::Tag(values), Some(tag)) => {
            let values: Vec<String> = values.iter().map(|t| code(t)).collect();
            format!("When {} is {}.", code(tag), values.join(" or "))
        }
        (Choice::Tag(_), None) => "Told apart by its tag.".to_owned(),
        (Choice::Kind(kind), _) => format!("When the value is {}.", kind_text(*kind)),
        (Choice::Members(members), _) if members.is_empty() => "Any other object.".to_owned(),
        (Choice::Members(members), _) => {
            let members: Vec<String> = members.iter().map(|m| code(m)).collect();
            format!("An object with {}.", members.join(", "))
        }
    }
}

fn kind_text(kind: crate::ir::JsonKind) -> &'static str {
    use crate::ir::JsonKind;
    match kind {
        JsonKind::String => "a string",
        JsonKind::Integer => "a whole number",
        JsonKind::Number => "a number",
        JsonKind::Bool => "`true` or `false`",
        JsonKind::List => "a list",
        JsonKind::Object => "an object",
    }
}

/// A union of alternatives (`oneOf`, `anyOf`): a variant each, holding
/// the alternative's type. A reply's is decoded by the runtime's
/// `union_impls!` and keeps any other value in `Other`; a request's is
/// sent as the alternative it holds, with its tag.
fn union_def(u: &UnionDef, module: &str, serialize: &TokenStream) -> TokenStream {
    let p = private();
    let name = ident(&u.name);
    let text = text_parameter();
    let text_tokens = quote!(#text);
    let reply = u.role == Role::Response;
    let told = match (&u.tag, reply) {
        (Some(tag), _) => format!("Which one is told by its member {}.", code(tag)),
        (None, _) => "Which one is told by the value's kind or members.".to_owned(),
    };
    let origin = format!(
        "{} {}.",
        if reply {
            "Decoded from"
        } else {
            "Sent as part of"
        },
        describe_origin(&u.origin)
    );
    let other_note = reply.then(|| {
        "A value none of them takes (an unknown tag, a newer server's shape) is kept as sent, \
         in `Other`."
            .to_owned()
    });
    let docs = doc(&paragraphs([
        u.description.clone(),
        Some(format!("One of {} alternatives. {told}", u.variants.len())),
        other_note,
        Some(origin),
    ]));
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust);
        let inner = match reply && u.text {
            true => text_type_tokens(&v.ty, module, &text_tokens),
            false => type_tokens(&v.ty, module),
        };
        let held = match boxed_variant(v) {
            true => quote!(::std::boxed::Box<#inner>),
            false => inner,
        };
        let shown =
            v.ty.named()
                .map(|path| format!("See {}.", doc_link(path, module)));
        let variant_doc = doc(&paragraphs([
            v.description.clone(),
            Some(choice_text(u, v)),
            shown,
        ]));
        quote!(#variant_doc #variant(#held),)
    });
    let self_generics = (reply && u.text).then(|| quote!(<#text = ::std::string::String>));
    if reply {
        let other = ident(crate::lower::OTHER_VARIANT);
        let self_type = match u.text {
            true => quote!(#name[#text]),
            false => quote!(#name),
        };
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.rust);
            let boxed = boxed_variant(v).then(|| quote!(boxed));
            let how = match (&v.choice, &u.tag) {
                (Choice::Tag(values), Some(tag)) => quote!(tag #tag [#(#values),*]),
                (Choice::Kind(kind), _) => {
                    let kind = ident(kind.name());
                    quote!(kind #kind)
                }
                (Choice::Members(members), _) => quote!(members [#(#members),*]),
                // Lowering gives tags only with the member that holds them.
                (Choice::Tag(_), None) => quote!(members []),
            };
            quote!(#variant #boxed (#how))
        });
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive] // a new API release may add alternatives
            pub enum #name #self_generics {
                #(#variants)*
                /// A value none of the alternatives takes, as sent (`null`
                /// when the reply left the member out).
                #other(#p::serde_json::Value),
            }

            #p::de::union_impls!(reply #serialize #self_type { #(#arms),* });
        }
    } else {
        let impls = match &u.tag {
            Some(tag) => {
                let arms = u.variants.iter().map(|v| {
                    let variant = ident(&v.rust);
                    let value = match &v.choice {
                        Choice::Tag(values) => values.first().cloned().unwrap_or_default(),
                        _ => String::new(),
                    };
                    quote!(#variant = #value)
                });
                quote!(#p::de::union_impls!(request #name tag #tag { #(#arms),* });)
            }
            None => {
                let arms = u.variants.iter().map(|v| ident(&v.rust));
                quote!(#p::de::union_impls!(request #name { #(#arms),* });)
            }
        };
        // Each alternative converts into the union, where no two share a type.
        let froms = u
            .variants
            .iter()
            .filter(|v| u.variants.iter().filter(|w| w.ty == v.ty).count() == 1)
            .map(|v| {
                let variant = ident(&v.rust);
                let inner = type_tokens(&v.ty, module);
                let value = match boxed_variant(v) {
                    true => quote!(::std::boxed::Box::new(value)),
                    false => quote!(value),
                };
                quote! {
                    impl ::std::convert::From<#inner> for #name {
                        fn from(value: #inner) -> Self {
                            Self::#variant(#value)
                        }
                    }
                }
            });
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive] // a new API release may add alternatives
            pub enum #name {
                #(#variants)*
            }

            #impls

            #(#froms)*
        }
    }
}

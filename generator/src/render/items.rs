//! Generated structs and enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{
    code, doc, ident, paragraphs, private, runtime, text_parameter, text_type_tokens, type_tokens,
};
use crate::ir::{EnumDef, Role, StructDef, StructField, TypeDef, TypeKind, TypeRef};

/// The tokens of a type defined in `module`.
pub fn type_def(def: &TypeDef, module: &str) -> TokenStream {
    match def {
        TypeDef::Struct(s) if s.role == Role::Response => response_struct(s, module),
        TypeDef::Struct(s) => request_struct(s, module),
        TypeDef::Enum(e) => enum_def(e),
    }
}

/// A struct's documentation: its description, where it comes from, and
/// `note`.
fn struct_doc(s: &StructDef, what: &str, note: Option<String>) -> TokenStream {
    let origin = format!("{what} {}.", describe_origin(&s.origin));
    doc(&paragraphs([s.description.clone(), Some(origin), note]))
}

/// Where a struct's schema stands, in words a reader of the API knows:
/// `` the reply of `listaccts`, at `data.acct[]` ``.
fn describe_origin(pointer: &str) -> String {
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    let segments: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
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

fn field_doc(f: &StructField) -> TokenStream {
    let wire = format!("Wire name: {}.", code(&f.wire));
    doc(&paragraphs([f.description.clone(), Some(wire)]))
}

/// The lenient decoder a response field needs: a type of
/// `whm_runtime::__private::de::by`.
fn decoder(ty: &TypeRef) -> &'static str {
    let scalar = |t: &TypeRef| {
        matches!(
            t,
            TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Bool
        )
    };
    match ty {
        TypeRef::String => "String",
        TypeRef::Integer => "I64",
        TypeRef::Number => "F64",
        TypeRef::Bool => "Bool",
        TypeRef::Named(_) => "Object",
        TypeRef::List(item) if scalar(item) => "List",
        // Reply structs in a list are decoded where the list keeps them.
        TypeRef::List(item) if matches!(&**item, TypeRef::Named(p) if p.kind == TypeKind::Struct) => {
            "Records"
        }
        TypeRef::List(_) => "Vec",
        TypeRef::Map(value) if scalar(value) => "Dict",
        TypeRef::Map(_) => "Map",
        TypeRef::Option(inner) => match **inner {
            TypeRef::String => "OptString",
            TypeRef::Integer => "OptI64",
            TypeRef::Number => "OptF64",
            TypeRef::Bool => "OptBool",
            TypeRef::Named(_) => "OptObject",
            _ => "Plain",
        },
        TypeRef::Secret | TypeRef::Limit | TypeRef::Json | TypeRef::Empty => "Plain",
    }
}

/// A response field's type: a limit has no default, so it is optional.
fn response_type(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Limit => TypeRef::Option(Box::new(TypeRef::Limit)),
        other => other.clone(),
    }
}

fn response_struct(s: &StructDef, module: &str) -> TokenStream {
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
        let ty_tokens = text_type_tokens(&response_type(&f.ty), module, &text_tokens);
        let wire = &f.wire;
        let doc = field_doc(f);
        quote! {
            #doc
            #[serde(rename = #wire)]
            pub #field: #ty_tokens,
        }
    });
    let rest = ident(&s.rest);
    let generics = if s.text {
        quote!(<#text = ::std::string::String>)
    } else {
        quote!()
    };
    let members = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let wire = &f.wire;
        let by = ident(decoder(&response_type(&f.ty)));
        quote!(, (#field, #wire, #by))
    });
    let self_type = if s.text {
        quote!(#name[#text])
    } else {
        quote!(#name)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, #p::serde::Serialize)]
        #[serde(crate = "::whm_runtime::__private::serde")]
        #[non_exhaustive] // a new API release may add fields: build with `Default` and assign
        pub struct #name #generics {
            #(#fields)*
            /// Members of the reply the spec does not describe, as sent.
            #[serde(flatten)]
            pub #rest: ::std::collections::BTreeMap<::std::string::String, #p::serde_json::Value>,
        }

        #p::de::record_impls!(#self_type, #rest #(#members)*);
    }
}

fn request_struct(s: &StructDef, module: &str) -> TokenStream {
    let p = private();
    let rt = runtime();
    let name = ident(&s.name);
    let doc = struct_doc(s, "Sent as part of", None);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let inner = type_tokens(&f.ty, module);
        let wire = &f.wire;
        let doc = field_doc(f);
        let list = matches!(f.ty, TypeRef::List(_) | TypeRef::Map(_));
        if f.required || list {
            let skip = if list && !f.required {
                quote!(, skip_serializing_if = "::std::vec::Vec::is_empty")
            } else {
                quote!()
            };
            let skip = if matches!(f.ty, TypeRef::Map(_)) && !f.required {
                quote!(, skip_serializing_if = "::std::collections::BTreeMap::is_empty")
            } else {
                skip
            };
            quote! {
                #doc
                #[serde(rename = #wire #skip)]
                pub #field: #inner,
            }
        } else {
            quote! {
                #doc
                #[serde(rename = #wire, skip_serializing_if = "::std::option::Option::is_none")]
                pub #field: ::std::option::Option<#inner>,
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, #p::serde::Serialize)]
        #[serde(crate = "::whm_runtime::__private::serde")]
        #[non_exhaustive] // a new API release may add fields: build with `Default` and assign
        pub struct #name {
            #(#fields)*
        }

        impl #rt::ParamValue for #name {
            fn append_to(&self, name: &str, params: &mut #rt::Params) {
                params.push_raw(name, #p::serde_json::to_string(self).unwrap_or_default());
            }
        }
    }
}

fn enum_def(e: &EnumDef) -> TokenStream {
    let p = private();
    let rt = runtime();
    let name = ident(&e.name);
    let values: Vec<String> = e.variants.iter().map(|v| code(&v.wire)).collect();
    let enum_doc = doc(&paragraphs([
        e.description.clone(),
        Some(format!("One of {}.", values.join(", "))),
    ]));
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust);
        let variant_doc = doc(&paragraphs([
            v.description.clone(),
            Some(format!("Sent as {}.", code(&v.wire))),
        ]));
        quote!(#variant_doc #variant,)
    });
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

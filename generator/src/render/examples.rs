//! The example calls in the generated documentation and tests: each
//! operation called with its documented values, or values of its types
//! where the spec gives none.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::tokens::ident;
use crate::ir::{Api, Field, Operation, Presence, TypeDef, TypePath, TypeRef};

/// A compiled example call.
pub(super) fn example(api: &Api, op: &Operation, krate: &str, module: &str) -> String {
    let args: Vec<String> = example_arguments(api, op)
        .iter()
        .map(|a| a.text(krate))
        .collect();
    let method = op.method.trim_start_matches("r#");
    // Operations that take the bound parameter are called on the view.
    let view = match api
        .bound
        .as_ref()
        .filter(|_| op.fields.iter().any(|f| f.bound))
    {
        Some(b) => format!(".{}(\"example\")", b.method),
        None => String::new(),
    };
    let path = format!(
        "{krate}::{}::{}",
        module.trim_start_matches("r#"),
        op.request
    );
    let args = args.join(", ");
    format!(
        "# Example\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{\n\
         let data = client{view}\n    .{method}({path}::new({args}))\n    .await?;\n# let _ = data;\n# Ok(())\n# }}\n```"
    )
}

/// The arguments of `new` in an example: documented examples where there
/// are some.
pub fn example_arguments(api: &Api, op: &Operation) -> Vec<Example> {
    op.fields
        .iter()
        .filter(|f| f.presence == Presence::Required && !f.bound)
        .map(|f| example_value(api, f))
        .collect()
}

/// A value for a required argument in an example: the documented example
/// where there is one.
fn example_value(api: &Api, f: &Field) -> Example {
    value_for(api, &f.ty, f.example.as_ref().or(f.default.as_ref()), 0)
}

/// A value in an example call, decided once and then written as tokens
/// (the crate's example calls, which its tests run) or as text (the
/// examples in its documentation).
#[derive(Debug, Clone, PartialEq)]
pub enum Example {
    /// A string (or a secret) literal.
    Text(String),
    /// An `i64`.
    Integer(i64),
    /// A whole number of another width, written in digits.
    Whole(String, crate::ir::Width),
    /// An `f64`.
    Number(f64),
    /// `true`.
    True,
    /// `Limit::Unlimited`.
    Unlimited,
    /// A variant of a generated enum.
    Variant(TypePath, String),
    /// A generated type's default.
    DefaultOf(TypePath),
    /// A generated struct made by `new` with its required members.
    New(TypePath, Vec<Example>),
    /// A variant of a generated union holding a value.
    Holding(TypePath, String, Box<Example>),
    /// A list of one value.
    List(Box<Example>),
    /// An empty map (a type `Default::default()` could not infer where
    /// the argument is `impl Into<..>`).
    EmptyMap,
    /// `Default::default()`.
    Default,
}

impl Example {
    /// As Rust source, types named from `krate` (docs: the crate's name).
    pub fn text(&self, krate: &str) -> String {
        let path =
            |p: &TypePath| format!("{krate}::{}::{}", p.module.trim_start_matches("r#"), p.name);
        match self {
            Example::Text(s) => format!("{s:?}"),
            Example::Integer(n) => format!("{n}_i64"),
            Example::Whole(n, width) => format!("{n}_{}", width.rust()),
            Example::Number(x) => format!("{x:?}_f64"),
            Example::True => "true".to_owned(),
            Example::Unlimited => format!("{krate}::Limit::Unlimited"),
            Example::Variant(p, variant) => {
                format!("{}::{}", path(p), variant.trim_start_matches("r#"))
            }
            Example::DefaultOf(p) => format!("{}::default()", path(p)),
            Example::New(p, args) => {
                let args: Vec<String> = args.iter().map(|a| a.text(krate)).collect();
                format!("{}::new({})", path(p), args.join(", "))
            }
            Example::Holding(p, variant, inner) => {
                let inner = match **inner {
                    Example::Default => inner.text(krate),
                    _ => format!("{}.into()", inner.text(krate)),
                };
                format!("{}::{}({inner})", path(p), variant.trim_start_matches("r#"))
            }
            Example::List(item) => format!("[{}]", item.text(krate)),
            Example::EmptyMap => "std::collections::BTreeMap::new()".to_owned(),
            Example::Default => "Default::default()".to_owned(),
        }
    }

    /// As tokens, types named from `krate` (`super` in the crate itself).
    pub fn tokens(&self, krate: &TokenStream) -> TokenStream {
        let path = |p: &TypePath| {
            let (module, name) = (ident(&p.module), ident(&p.name));
            quote!(#krate::#module::#name)
        };
        match self {
            Example::Text(s) => Literal::string(s).into_token_stream(),
            Example::Integer(n) => Literal::i64_suffixed(*n).into_token_stream(),
            Example::Whole(n, width) => {
                let suffix = width.rust();
                format!("{n}{suffix}").parse().unwrap_or_else(|_| quote!(1))
            }
            Example::Number(x) => Literal::f64_suffixed(*x).into_token_stream(),
            Example::True => quote!(true),
            Example::Unlimited => quote!(#krate::Limit::Unlimited),
            Example::Variant(p, variant) => {
                let (path, variant) = (path(p), ident(variant));
                quote!(#path::#variant)
            }
            Example::DefaultOf(p) => {
                let path = path(p);
                quote!(#path::default())
            }
            Example::New(p, args) => {
                let path = path(p);
                let args = args.iter().map(|a| a.tokens(krate));
                quote!(#path::new(#(#args),*))
            }
            Example::Holding(p, variant, inner) => {
                let (path, variant) = (path(p), ident(variant));
                let value = inner.tokens(krate);
                match **inner {
                    Example::Default => quote!(#path::#variant(#value)),
                    _ => quote!(#path::#variant(#value.into())),
                }
            }
            Example::List(item) => {
                let item = item.tokens(krate);
                quote!([#item])
            }
            Example::EmptyMap => quote!(::std::collections::BTreeMap::new()),
            Example::Default => quote!(Default::default()),
        }
    }
}

/// The example for a value of type `ty`: `given` where it fits the type.
/// (`depth`: how many structs deep; a list of structs that holds itself
/// ends in an empty list.)
fn value_for(api: &Api, ty: &TypeRef, given: Option<&serde_json::Value>, depth: u8) -> Example {
    use serde_json::Value;
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "value".to_owned(),
    };
    match ty {
        // Bytes take a `&str` too (`impl Into<Vec<u8>>`).
        TypeRef::String | TypeRef::Secret | TypeRef::Bytes => Example::Text(text(given)),
        TypeRef::Integer => Example::Integer(given.and_then(Value::as_i64).unwrap_or(1)),
        // The documented number where the width holds it.
        TypeRef::Whole(width) => {
            let fits = |n: &&Value| n.is_number() && width.holds(&n.to_string());
            let number = given
                .filter(fits)
                .map_or_else(|| "1".to_owned(), Value::to_string);
            Example::Whole(number, *width)
        }
        TypeRef::Number => Example::Number(given.and_then(Value::as_f64).unwrap_or(1.0)),
        TypeRef::Bool => Example::True,
        TypeRef::Limit => match given.and_then(Value::as_i64) {
            Some(n) => Example::Integer(n),
            None => Example::Unlimited,
        },
        TypeRef::Named(path) => match api.type_def(path) {
            Some(TypeDef::Enum(e)) => {
                let wanted = given.and_then(Value::as_str);
                let variant = e
                    .variants
                    .iter()
                    .find(|v| Some(v.wire.as_str()) == wanted)
                    .or(e.variants.first());
                match variant {
                    Some(v) => Example::Variant(path.clone(), v.rust.clone()),
                    None => Example::DefaultOf(path.clone()),
                }
            }
            Some(TypeDef::Struct(s)) if s.fields.iter().any(|f| f.required && !f.boxed) => {
                let args = s
                    .fields
                    .iter()
                    .filter(|f| f.required && !f.boxed)
                    .map(|f| {
                        let inner = given.and_then(|g| g.get(&f.wire)).or(f.example.as_ref());
                        value_for(api, &f.ty, inner, depth + 1)
                    })
                    .collect();
                Example::New(path.clone(), args)
            }
            // The first alternative that has a value of its own; a list,
            // map or JSON value is its type's default.
            Some(TypeDef::Union(u)) => {
                let plain = |ty: &TypeRef| {
                    !matches!(
                        ty,
                        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::Option(_)
                    )
                };
                let variant = u
                    .variants
                    .iter()
                    .find(|v| plain(&v.ty))
                    .or(u.variants.first());
                match variant {
                    Some(v) if plain(&v.ty) => Example::Holding(
                        path.clone(),
                        v.rust.clone(),
                        Box::new(value_for(api, &v.ty, given, depth + 1)),
                    ),
                    Some(v) => {
                        Example::Holding(path.clone(), v.rust.clone(), Box::new(Example::Default))
                    }
                    None => Example::DefaultOf(path.clone()),
                }
            }
            Some(TypeDef::Struct(_) | TypeDef::Alias(_)) | None => Example::DefaultOf(path.clone()),
        },
        TypeRef::List(item) => {
            let first = match given {
                Some(Value::Array(items)) => items.first(),
                other => other,
            };
            match depth < 8 {
                true => Example::List(Box::new(value_for(api, item, first, depth))),
                false => Example::Default,
            }
        }
        // JSON text converts into a JSON value, and is what goes on the wire.
        TypeRef::Json => Example::Text(match given {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => "{}".to_owned(),
        }),
        TypeRef::Map(_) => Example::EmptyMap,
        TypeRef::Option(_) | TypeRef::Empty => Example::Default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeKind;

    #[test]
    fn values_are_tokens_for_code_and_text_for_docs() {
        // A module named by a keyword: a raw identifier in code (text
        // re-parsed as code lost such an argument without a word).
        let path = TypePath {
            module: "r#type".to_owned(),
            name: "Mode".to_owned(),
            kind: TypeKind::Enum,
            text: false,
        };
        let value = Example::List(Box::new(Example::Variant(path, "Fast".to_owned())));
        assert_eq!(
            value.tokens(&quote!(super)).to_string(),
            "[super :: r#type :: Mode :: Fast]"
        );
        assert_eq!(value.text("whm_api"), "[whm_api::type::Mode::Fast]");
        let args = [
            Example::Integer(12),
            Example::Number(1.5),
            Example::Text("a \"b\"".to_owned()),
        ];
        let tokens: Vec<String> = args
            .iter()
            .map(|a| a.tokens(&quote!(super)).to_string())
            .collect();
        assert_eq!(tokens, ["12i64", "1.5f64", r#""a \"b\"""#]);
        let texts: Vec<String> = args.iter().map(|a| a.text("k")).collect();
        assert_eq!(texts, ["12_i64", "1.5_f64", r#""a \"b\"""#]);
    }
}

//! The example calls in the generated documentation and tests: each
//! operation called with its documented values, or values of its types
//! where the spec gives none.

use crate::ir::{Api, Field, Operation, Presence, TypeDef, TypeRef};

/// A compiled example call.
pub(super) fn example(api: &Api, op: &Operation, krate: &str, module: &str) -> String {
    let args = example_arguments(api, op, krate);
    let method = op.method.trim_start_matches("r#");
    // Operations that take the bound parameter are called on the view.
    let view = match api
        .bound
        .as_ref()
        .filter(|_| op.fields.iter().any(|f| f.bound))
    {
        Some(b) => format!(".as_{}(\"example\")", b.name.trim_start_matches("r#")),
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

/// The arguments of `new` in an example, as Rust source: documented
/// examples where there are some. Types are named from `krate`.
pub fn example_arguments(api: &Api, op: &Operation, krate: &str) -> Vec<String> {
    op.fields
        .iter()
        .filter(|f| f.presence == Presence::Required && !f.bound)
        .map(|f| example_value(api, f, krate))
        .collect()
}

/// A value for a required argument in an example: the documented example
/// where there is one.
fn example_value(api: &Api, f: &Field, krate: &str) -> String {
    value_for(api, &f.ty, f.example.as_ref().or(f.default.as_ref()), krate)
}

pub(super) fn value_for(
    api: &Api,
    ty: &TypeRef,
    given: Option<&serde_json::Value>,
    krate: &str,
) -> String {
    use serde_json::Value;
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "value".to_owned(),
    };
    match ty {
        TypeRef::String | TypeRef::Secret => format!("{:?}", text(given)),
        TypeRef::Integer => format!("{}_i64", given.and_then(Value::as_i64).unwrap_or(1)),
        TypeRef::Number => format!("{:?}_f64", given.and_then(Value::as_f64).unwrap_or(1.0)),
        TypeRef::Bool => "true".to_owned(),
        TypeRef::Limit => match given.and_then(Value::as_i64) {
            Some(n) => format!("{n}_i64"),
            None => format!("{krate}::Limit::Unlimited"),
        },
        TypeRef::Named(path) => {
            let full = format!(
                "{krate}::{}::{}",
                path.module.trim_start_matches("r#"),
                path.name
            );
            match api.type_def(path) {
                Some(TypeDef::Enum(e)) => {
                    let wanted = given.and_then(Value::as_str);
                    let variant = e
                        .variants
                        .iter()
                        .find(|v| Some(v.wire.as_str()) == wanted)
                        .or(e.variants.first());
                    match variant {
                        Some(v) => format!("{full}::{}", v.rust.trim_start_matches("r#")),
                        None => format!("{full}::default()"),
                    }
                }
                _ => format!("{full}::default()"),
            }
        }
        TypeRef::List(item) => {
            let items: Vec<&Value> = match given {
                Some(Value::Array(items)) => items.iter().collect(),
                Some(other) => vec![other],
                None => Vec::new(),
            };
            let first = items.first().copied();
            format!("[{}]", value_for(api, item, first, krate))
        }
        // JSON text converts into a JSON value, and is what goes on the wire.
        TypeRef::Json => {
            let json = match given {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "{}".to_owned(),
            };
            format!("{json:?}")
        }
        TypeRef::Map(_) | TypeRef::Option(_) | TypeRef::Empty => "Default::default()".to_owned(),
    }
}

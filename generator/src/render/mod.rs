//! The IR to formatted Rust: tokens with quote, text with prettyplease.
//!
//! A crate is rendered as files in memory ([`Rendered`]); only the writer
//! touches the disk. Two layouts: a crate (`Cargo.toml`, `src/lib.rs`, a
//! file per group), or one file for `include!` from a build script.

mod descriptions;
mod doc_text;
mod examples;
mod items;
mod parallel;
mod requests;
mod root;
mod testing;
mod tokens;
mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Group, own};
use tokens::{ident, paragraphs};
use whm_wire::Auth;

/// Whether optional parts (the blocking client, the testing module) are
/// generated, and behind what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Behind a cargo feature of the generated crate (`blocking`, `testing`).
    Feature,
    /// Always generated (the runtime's feature of that name must be on).
    Always,
    /// Not generated.
    Never,
}

impl Gate {
    /// The gate of a part that goes wherever any of `gates` goes: always
    /// when one of them is always there, else behind a feature when one
    /// of them is.
    fn widest<const N: usize>(gates: [Gate; N]) -> Gate {
        if gates.contains(&Gate::Always) {
            Gate::Always
        } else if gates.contains(&Gate::Feature) {
            Gate::Feature
        } else {
            Gate::Never
        }
    }
}

/// How the output is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A crate: `Cargo.toml`, `src/lib.rs` and a file per group.
    Crate {
        /// The `whm-runtime` dependency as a TOML value (`{ path = "../../runtime" }`).
        runtime_dependency: String,
        /// The crate's version.
        version: String,
    },
    /// One file of inline modules, to `include!`.
    SingleFile,
}

/// Rendering options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The crate's name (`whm-api`); in single-file layout, the file's stem.
    pub crate_name: String,
    /// The path examples use (`whm_api`); `None`: no compiled examples.
    pub crate_path: Option<String>,
    /// The layout.
    pub layout: Layout,
    /// Whether each group sits behind a cargo feature.
    pub features: bool,
    /// Where the blocking client goes.
    pub blocking: Gate,
    /// Where the testing module (a fake server) goes.
    pub testing: Gate,
    /// Where reply types' `Serialize` implementations go.
    pub serialize: Gate,
    /// Where the table of every operation with its decoders goes (for
    /// tools, tests and fuzzing), with the example calls when there is a
    /// testing module too. Implies `serialize` and `details`.
    pub introspection: Gate,
    /// Where each operation's details (group, summary, parameters) go,
    /// for tools that call functions by name. The fake server and the
    /// introspection table read them too.
    pub details: Gate,
    /// The spec, as named in the generated header.
    pub source: String,
    /// The command that regenerates, as named in the generated header.
    pub regenerate: String,
}

impl Options {
    pub(super) fn group_cfg(&self, group: &Group) -> TokenStream {
        if self.features {
            let feature = &group.feature;
            quote!(#[cfg(feature = #feature)])
        } else {
            quote!()
        }
    }

    /// What reply types' `record_impls!` starts with to implement
    /// `Serialize` too: behind the `serialize` feature, always, or nothing.
    fn serialize_attrs(&self) -> TokenStream {
        let feature = own::SERIALIZE;
        match self.serialize_gate() {
            Gate::Feature => quote!(
                #[cfg(feature = #feature)]
                serialize
            ),
            Gate::Always => quote!(serialize),
            Gate::Never => quote!(),
        }
    }

    /// Where `Serialize` goes: introspection needs it.
    fn serialize_gate(&self) -> Gate {
        Gate::widest([self.serialize, self.introspection])
    }

    /// Where the operations' details go: the fake server and the
    /// introspection table need them.
    pub(super) fn details_gate(&self) -> Gate {
        Gate::widest([self.details, self.testing, self.introspection])
    }
}

/// One rendered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// The contents.
    pub contents: String,
}

/// A rendered crate or file set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The files, sorted by path.
    pub files: Vec<File>,
}

/// A rendering that produced tokens Rust cannot parse: a bug in the
/// generator, reported with the file it happened in.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "generated code for {file} does not parse ({message}); please report this with the spec that caused it"
)]
pub struct RenderError {
    /// The file being rendered.
    pub file: String,
    /// The parser's message.
    pub message: String,
}

/// Renders `api`.
pub fn render(api: &Api, options: &Options) -> Result<Rendered, RenderError> {
    let mut files = Vec::new();
    let header = format!(
        "// @generated by whm-codegen from {}. Do not edit: changes are lost.\n// Regenerate with: {}\n",
        options.source, options.regenerate
    );
    match &options.layout {
        Layout::Crate {
            runtime_dependency,
            version,
        } => {
            // Every file on its own, so a big API's are made on all cores.
            // The crate root, by far the biggest file, goes first: the
            // others fill the other cores while it is made, where it came
            // last and was made alone (a quarter of WHM's render time).
            let mut jobs = vec![CrateFile::Lib];
            jobs.extend(api.groups.iter().map(CrateFile::Group));
            jobs.extend(api.groups.iter().map(CrateFile::Details));
            if !api.shared.is_empty() {
                jobs.push(CrateFile::Shared);
            }
            let mut made = parallel::map(&jobs, |job| crate_file(api, options, job));
            // The files in their usual order, the root last.
            made.rotate_left(1);
            for file in made {
                let Some((path, text)) = file? else {
                    continue;
                };
                files.push(File {
                    path,
                    contents: format!("{header}\n{text}"),
                });
            }
            files.push(File {
                path: "Cargo.toml".to_owned(),
                contents: cargo_toml(api, options, runtime_dependency, version),
            });
        }
        Layout::SingleFile => {
            let mut modules = Vec::new();
            for group in &api.groups {
                let attrs = root::module_attrs(group, options);
                let name = ident(&group.module);
                let items = group_items(api, group, options);
                modules.push(quote! {
                    #attrs
                    pub mod #name {
                        #items
                    }
                });
            }
            if !api.shared.is_empty() {
                let name = ident(crate::lower::SHARED_MODULE);
                let items = shared_items(api, options);
                modules.push(quote! {
                    /// Types shared by several groups.
                    pub mod #name {
                        #items
                    }
                });
            }
            let root = root::items(api, options);
            let path = format!("{}.rs", options.crate_name.replace('-', "_"));
            let text = format(&path, quote!(#(#modules)* #root))?;
            files.push(File {
                path,
                contents: format!("{header}\n{text}"),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files })
}

/// A Rust file of a crate.
enum CrateFile<'a> {
    /// A group's module.
    Group(&'a Group),
    /// A group's module of details (when a feature reads them).
    Details(&'a Group),
    /// The shared types' module.
    Shared,
    /// `src/lib.rs`: the crate's docs, its modules, the client.
    Lib,
}

/// The path and formatted text of `file`, if the crate has it.
fn crate_file(
    api: &Api,
    options: &Options,
    file: &CrateFile<'_>,
) -> Result<Option<(String, String)>, RenderError> {
    let module_path = |module: &str| format!("src/{}.rs", module.trim_start_matches("r#"));
    match file {
        CrateFile::Group(group) => {
            let path = module_path(&group.module);
            let text = format(&path, group_items(api, group, options))?;
            Ok(Some((path, text)))
        }
        CrateFile::Details(group) => {
            let Some(path) = descriptions::details_file(group, options) else {
                return Ok(None);
            };
            let text = format(&path, descriptions::details_items(api, group))?;
            Ok(Some((path, text)))
        }
        CrateFile::Shared => {
            let path = module_path(crate::lower::SHARED_MODULE);
            let text = format(&path, shared_items(api, options))?;
            Ok(Some((path, text)))
        }
        CrateFile::Lib => {
            let mut declarations = Vec::new();
            for group in &api.groups {
                let attrs = root::module_attrs(group, options);
                let name = ident(&group.module);
                declarations.push(quote! {
                    #attrs
                    #[rustfmt::skip]
                    pub mod #name;
                });
            }
            if !api.shared.is_empty() {
                let name = ident(crate::lower::SHARED_MODULE);
                declarations.push(quote! {
                    /// Types shared by several groups.
                    #[rustfmt::skip]
                    pub mod #name;
                });
            }
            let crate_doc = crate_doc(api, options);
            let crate_doc = doc_text::doc_lines(&crate_doc)
                .into_iter()
                .map(|line| quote!(#![doc = #line]));
            let root = root::items(api, options);
            let tokens = quote! {
                #![cfg_attr(rustfmt, rustfmt::skip)]
                #(#crate_doc)*
                #![deny(missing_docs)]
                #(#declarations)*
                #root
            };
            Ok(Some((
                "src/lib.rs".to_owned(),
                format("src/lib.rs", tokens)?,
            )))
        }
    }
}

/// A server for the crate's example: the spec's server URL with its
/// variables' defaults, without the API's base path (the client adds it).
fn example_server(api: &Api) -> String {
    let mut url = api.server_url.clone();
    for (name, value) in &api.server_defaults {
        url = url.replace(&format!("{{{name}}}"), value);
    }
    let url = url.trim_end_matches('/');
    let root = url.strip_suffix(api.wire.base_path.as_ref()).unwrap_or(url);
    match root.contains("://") {
        true => root.to_owned(),
        false => "https://api.example.com".to_owned(),
    }
}

fn crate_doc(api: &Api, options: &Options) -> String {
    let krate = options
        .crate_path
        .clone()
        .unwrap_or_else(|| options.crate_name.replace('-', "_"));
    let usage = match &api.wire.default_base_url {
        Some(_) => format!("let client = {krate}::Client::builder()"),
        None => format!(
            "let client = {krate}::Client::builder({:?})",
            example_server(api)
        ),
    };
    // The credentials the API's first security scheme takes.
    let credentials = match api.wire.auth.first() {
        Some(Auth::Token { .. }) => {
            "\n    .api_token(\"root\", std::env::var(\"API_TOKEN\").unwrap_or_default())"
        }
        Some(Auth::Basic) => {
            "\n    .basic_auth(\"user\", std::env::var(\"API_PASSWORD\").unwrap_or_default())"
        }
        Some(Auth::Bearer) => {
            "\n    .bearer_token(std::env::var(\"API_TOKEN\").unwrap_or_default())"
        }
        Some(Auth::KeyParam { .. } | Auth::KeyHeader { .. } | Auth::KeyCookie { .. }) => {
            "\n    .api_key(std::env::var(\"API_KEY\").unwrap_or_default())"
        }
        None => "",
    };
    let example = options.crate_path.as_ref().map(|_| {
        format!(
            "```no_run\n# async fn example() -> Result<(), {krate}::Error> {{\n{usage}{credentials}\n    .build()?;\n# let _ = client;\n# Ok(())\n# }}\n```"
        )
    });
    paragraphs([
        Some(format!("Typed bindings for {}, generated by whm-codegen from its OpenAPI description.", api.wire.name)),
        api.description.clone(),
        Some(
            "Build a [`Client`], then call operations as methods; each takes a request type from the \
             operation's module, with required parameters in `new` and optional ones as builder methods."
                .to_owned(),
        ),
        example,
    ])
}

fn group_items(api: &Api, group: &Group, options: &Options) -> TokenStream {
    let module = &group.module;
    let methods = requests::client_methods(api, &group.operations);
    let requests = group
        .operations
        .iter()
        .map(|op| requests::request(api, op, module, options));
    let types = type_defs(&group.types, module, options);
    let inline = options.layout == Layout::SingleFile;
    let details = descriptions::details_declaration(api, group, options, inline);
    quote! {
        #details
        #methods
        #(#requests)*
        #types
    }
}

fn shared_items(api: &Api, options: &Options) -> TokenStream {
    type_defs(&api.shared, crate::lower::SHARED_MODULE, options)
}

/// The types of `module`, sorted by name.
fn type_defs(defs: &[crate::ir::TypeDef], module: &str, options: &Options) -> TokenStream {
    let serialize = options.serialize_attrs();
    let mut types: Vec<&crate::ir::TypeDef> = defs.iter().collect();
    types.sort_by(|a, b| a.name().cmp(b.name()));
    let types = types
        .into_iter()
        .map(|t| items::type_def(t, module, &serialize));
    quote!(#(#types)*)
}

/// Formats tokens as a Rust file.
fn format(file: &str, tokens: TokenStream) -> Result<String, RenderError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| RenderError {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&parsed))
}

fn cargo_toml(api: &Api, options: &Options, runtime_dependency: &str, version: &str) -> String {
    let mut features: Vec<String> = Vec::new();
    let groups: Vec<String> = api.groups.iter().map(|g| g.feature.clone()).collect();
    if options.features {
        let defaults: Vec<String> = groups.iter().map(|g| format!("\"{g}\"")).collect();
        features.push(format!("{} = [{}]", own::DEFAULT, defaults.join(", ")));
        for g in &groups {
            features.push(format!("{g} = []"));
        }
    }
    if options.blocking == Gate::Feature {
        features.push("# The blocking client.".to_owned());
        features.push(format!("{0} = [\"whm-runtime/{0}\"]", own::BLOCKING));
    }
    // The fake server and the introspection table read the details: their
    // features turn it on.
    let details = if options.details_gate() == Gate::Feature {
        features.push(
            "# Each operation's group, summary and parameters in `CATALOG`, for tools that call functions by name."
                .to_owned(),
        );
        features.push(format!("{} = []", own::DETAILS));
        format!("\"{}\", ", own::DETAILS)
    } else {
        String::new()
    };
    if options.testing == Gate::Feature {
        features.push("# A fake server for testing code that uses this crate.".to_owned());
        features.push(format!(
            "{0} = [{details}\"whm-runtime/{0}\"]",
            own::TESTING
        ));
    }
    if options.serialize_gate() == Gate::Feature {
        features.push("# `Serialize` for reply types: write a reply back out as JSON.".to_owned());
        features.push(format!("{} = []", own::SERIALIZE));
    }
    if options.introspection == Gate::Feature {
        features.push(
            "# Every operation with its decoders, for tools, tests and fuzzing (with `testing`: an example call of each)."
                .to_owned(),
        );
        features.push(format!(
            "{} = [{details}\"{}\"]",
            own::INTROSPECTION,
            own::SERIALIZE
        ));
    }
    format!(
        "# @generated by whm-codegen from {source}. Do not edit: changes are lost.\n\
         # Regenerate with: {regenerate}\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         description = \"Typed bindings for {title}, generated by whm-codegen\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [features]\n\
         {features}\n\
         \n\
         [dependencies]\n\
         whm-runtime = {runtime_dependency}\n",
        source = options.source,
        regenerate = options.regenerate,
        name = options.crate_name,
        title = api.wire.name.replace('"', "'"),
        features = features.join("\n"),
    )
}

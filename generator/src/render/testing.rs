//! The `testing` module: the operations as a fake server knows them, a
//! fake server typed for this crate, and every operation called once with
//! example values.

use proc_macro2::TokenStream;
use quote::quote;

use super::Options;
use super::examples::example_arguments;
use super::tokens::{doc, ident};
use crate::ir::{Api, Group, Operation, own};

/// The module, or `None` when it is not generated.
pub fn module(api: &Api, options: &Options) -> Option<TokenStream> {
    let cfg = options.testing.cfg(own::TESTING)?;
    let rt = quote!(::whm_runtime::testing);
    let title = &api.wire.name;
    let operations = api.groups.iter().flat_map(|g| {
        let cfg = options.group_cfg(g);
        g.operations
            .iter()
            .map(move |op| fake_operation(g, op, &cfg))
    });
    let example_calls = options
        .introspection
        .cfg(own::INTROSPECTION)
        .map(|cfg| example_calls(api, options, &cfg));
    let blocking_client = options.blocking.cfg(own::BLOCKING).map(|blocking| {
        quote! {
            #blocking
            /// A blocking client for this server.
            pub fn blocking_client(&self) -> ::std::result::Result<super::blocking::Client, super::Error> {
                self.inner.client_builder::<super::blocking::Client>().build()
            }
        }
    });
    let first = api
        .groups
        .iter()
        .flat_map(|g| g.operations.first())
        .next()
        .map_or("", |op| op.id.as_str());
    let example = options.crate_path.as_ref().map(|krate| {
        format!(
            "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
             let server = {krate}::testing::FakeServer::start().await?;\n\
             server.fail({first:?}, \"Sorry, that failed.\");\n\
             let client = server.client()?;\n# let _ = client;\n# Ok(())\n# }}\n```"
        )
    });
    let module_doc = doc(&super::tokens::paragraphs([
        Some(format!(
            "A fake {title} server for tests, on loopback: it serves every operation's documented example, \
             checks credentials and parameters as the real server does, and fails on demand."
        )),
        example,
    ]));
    Some(quote! {
        #cfg
        #module_doc
        pub mod testing {
            pub use #rt::{credentials, FailureShape, Recorded};

            /// The operations as the fake server knows them: parameters and documented replies.
            pub static OPERATIONS: &[#rt::FakeOperation] = &[
                #(#operations)*
            ];

            /// A fake server that answers like the real one; it stops when dropped.
            /// It derefs to the runtime's fake server, whose methods script failures.
            #[derive(Debug)]
            pub struct FakeServer {
                inner: #rt::FakeServer,
            }

            impl FakeServer {
                /// Starts a plain-HTTP server on the current tokio runtime.
                pub async fn start() -> ::std::io::Result<Self> {
                    #rt::FakeServer::start(&super::API, OPERATIONS).await.map(|inner| FakeServer { inner })
                }

                /// Starts an HTTPS server with a certificate of its own CA.
                pub async fn start_tls() -> ::std::io::Result<Self> {
                    #rt::FakeServer::start_tls(&super::API, OPERATIONS).await.map(|inner| FakeServer { inner })
                }

                /// Starts a server on a runtime of its own, for tests of blocking code.
                pub fn start_in_background(tls: bool) -> ::std::io::Result<Self> {
                    #rt::FakeServer::start_in_background(&super::API, OPERATIONS, tls).map(|inner| FakeServer { inner })
                }

                /// A client for this server, with the credentials it accepts.
                pub fn client(&self) -> ::std::result::Result<super::Client, super::Error> {
                    self.inner.client_builder::<super::Client>().build()
                }

                #blocking_client
            }

            impl ::std::ops::Deref for FakeServer {
                type Target = #rt::FakeServer;
                fn deref(&self) -> &Self::Target {
                    &self.inner
                }
            }

            #example_calls
        }
    })
}

/// How the fake server knows `op`: its description and documented reply.
fn fake_operation(group: &Group, op: &Operation, cfg: &TokenStream) -> TokenStream {
    let rt = quote!(::whm_runtime::testing);
    let description = super::descriptions::description_ref(&quote!(super::), group, op);
    let example = op
        .reply_example
        .as_ref()
        .map(|e| e.to_string())
        .unwrap_or_default();
    quote! {
        #cfg
        #rt::FakeOperation { operation: #description, example: #example },
    }
}

/// Every operation called once through its method with example values
/// (`each_example`), behind `cfg`.
fn example_calls(api: &Api, options: &Options, cfg: &TokenStream) -> TokenStream {
    let rt = quote!(::whm_runtime::testing);
    let mut calls = Vec::new();
    for group in &api.groups {
        let group_cfg = options.group_cfg(group);
        let module = ident(&group.module);
        for op in &group.operations {
            let description = super::descriptions::description_ref(&quote!(super::), group, op);
            let method = ident(&op.method);
            let request = ident(&op.request);
            let krate = quote!(super);
            let args: Vec<TokenStream> = example_arguments(api, op)
                .iter()
                .map(|a| a.tokens(&krate))
                .collect();
            let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
            // Operations that take the bound parameter are called on the view.
            let receiver = match api
                .bound
                .as_ref()
                .filter(|_| op.fields.iter().any(|f| f.bound))
            {
                Some(b) => {
                    let view = ident(&b.method);
                    quote!(client.#view("example"))
                }
                None => quote!(client),
            };
            calls.push(quote! {
                #group_cfg
                #allow
                visitor.example(#description, |client| {
                    #rt::as_json(#receiver.#method(super::#module::#request::new(#(#args),*)))
                });
            });
        }
    }
    quote! {
        /// Calls `visitor` with every operation and a call of it through its
        /// method with example values (`ExampleCall::all(each_example)`
        /// collects them). Generic, so that the calls and the reply decoders
        /// behind them are compiled where it is called, not with the crate.
        #cfg
        #[allow(unused_variables)]
        pub fn each_example<V: #rt::EachExample<super::Client>>(visitor: &mut V) {
            #(#calls)*
        }
    }
}

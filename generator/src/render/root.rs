//! The crate root: the API description, the client, re-exports, modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, paragraphs, private, runtime, type_tokens};
use super::{Gate, Options};
use crate::ir::{Api, AuthScheme, Group};

/// Items of the crate root, without the module declarations.
pub fn items(api: &Api, options: &Options) -> TokenStream {
    let rt = runtime();
    let p = private();
    let title = &api.title;
    let base_path = &api.base_path;
    let default_base_url = match &api.default_base_url {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let list = |items: &[String]| quote!(&[#(#items),*]);
    let e = &api.envelope;
    let operation = list(&e.operation);
    let (payload, success, message, warnings, messages) = (
        list(&e.payload),
        list(&e.success),
        list(&e.message),
        list(&e.warnings),
        list(&e.messages),
    );
    let fixed = api.fixed_params.iter().map(|(k, v)| quote!((#k, #v)));
    let auth = api.auth.iter().map(|a| match a {
        AuthScheme::Token { scheme } => quote!(#p::Auth::Token { scheme: #scheme }),
        AuthScheme::Basic => quote!(#p::Auth::Basic),
        AuthScheme::KeyParam { name } => quote!(#p::Auth::KeyParam { name: #name }),
    });
    let query_as_form = api.query_as_form;
    let api_doc = doc(&format!(
        "How {title} works on the wire, as its spec declares it: where replies keep their payload and success \
         flag, parameters sent with every call, and how credentials travel."
    ));

    let (builder_sig, builder_doc) = match &api.default_base_url {
        Some(url) => (
            quote!(pub fn builder() -> #rt::ClientBuilder<Client> { #rt::ClientBuilder::new(#url) }),
            format!(
                "A builder for a client of `{url}`; [`ClientBuilder::base_url`](::whm_runtime::ClientBuilder::base_url) points it elsewhere."
            ),
        ),
        None => (
            quote!(pub fn builder(base_url: impl ::std::convert::Into<::std::string::String>) -> #rt::ClientBuilder<Client> { #rt::ClientBuilder::new(base_url) }),
            format!(
                "A builder for a client of the server at `base_url` (the server URL is `{}`).",
                api.server_url
            ),
        ),
    };
    let builder_doc = doc(&builder_doc);
    let client_doc = doc(&paragraphs([
        Some(format!("A client for {title}. Cheap to clone; clones share connections.")),
        Some(
            "Each operation is a method taking its request type and returning a [`Call`]: `.await` it for the \
             payload, or set a timeout first. Operations the spec lacks go through [`Client::call`]."
                .to_owned(),
        ),
    ]));
    let blocking = blocking_module(options, &builder_sig, &builder_doc);
    let operations = operations_table(api, options);
    let testing = super::testing::module(api, options);
    quote! {
        pub use #rt::{Call, ClientBuilder, Empty, Error, Limit, Reply, Secret};

        #api_doc
        pub static API: #rt::ApiSpec = #rt::ApiSpec {
            name: #title,
            base_path: #base_path,
            default_base_url: #default_base_url,
            envelope: #p::Envelope {
                payload: #payload,
                success: #success,
                message: #message,
                warnings: #warnings,
                messages: #messages,
                operation: #operation,
            },
            fixed_params: &[#(#fixed),*],
            query_as_form: #query_as_form,
            auth: &[#(#auth),*],
        };

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: #rt::Client,
        }

        impl Client {
            #builder_doc
            #builder_sig

            /// Wraps a runtime client (to share it with other generated crates).
            pub fn from_runtime(inner: #rt::Client) -> Self {
                Client { inner }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &#rt::Client {
                &self.inner
            }

            /// Calls `operation` with `params` as given, for operations the spec lacks
            /// (plugins, newer releases). The payload comes back as JSON.
            pub async fn call(
                &self,
                operation: &str,
                params: &[(&str, &str)],
            ) -> ::std::result::Result<#p::serde_json::Value, #rt::Error> {
                let mut all = #rt::Params::new();
                for (name, value) in params {
                    all.push_raw(*name, *value);
                }
                self.inner.call_raw(&API, operation, all).await.map(|reply| reply.data)
            }
        }

        impl #rt::FromSettings for Client {
            fn from_settings(settings: #rt::Settings) -> ::std::result::Result<Self, #rt::Error> {
                #rt::Client::from_settings(settings).map(Client::from_runtime)
            }
        }

        #blocking
        #operations
        #testing
    }
}

fn blocking_module(
    options: &Options,
    builder_sig: &TokenStream,
    builder_doc: &TokenStream,
) -> Option<TokenStream> {
    let cfg = options.blocking.cfg("blocking")?;
    let rt = runtime();
    let p = private();
    Some(quote! {
        #cfg
        /// The blocking client, with the async client's surface. Do not use it inside an async runtime.
        pub mod blocking {
            /// A blocking client: each operation is a method returning a
            /// [`Call`](::whm_runtime::blocking::Call) to [`send`](::whm_runtime::blocking::Call::send).
            #[derive(Debug, Clone)]
            pub struct Client {
                pub(super) inner: #rt::blocking::Client,
            }

            impl Client {
                #builder_doc
                #builder_sig

                /// Wraps a runtime client.
                pub fn from_runtime(inner: #rt::blocking::Client) -> Self {
                    Client { inner }
                }

                /// The runtime client underneath.
                pub fn runtime(&self) -> &#rt::blocking::Client {
                    &self.inner
                }

                /// Calls `operation` with `params` as given, for operations the spec lacks.
                pub fn call(
                    &self,
                    operation: &str,
                    params: &[(&str, &str)],
                ) -> ::std::result::Result<#p::serde_json::Value, #rt::Error> {
                    let mut all = #rt::Params::new();
                    for (name, value) in params {
                        all.push_raw(*name, *value);
                    }
                    self.inner.call_raw(&super::API, operation, all).map(|reply| reply.data)
                }
            }

            impl #rt::FromSettings for Client {
                fn from_settings(settings: #rt::Settings) -> ::std::result::Result<Self, #rt::Error> {
                    #rt::blocking::Client::from_settings(settings).map(Client::from_runtime)
                }
            }
        }
    })
}

fn operations_table(api: &Api, options: &Options) -> TokenStream {
    let p = private();
    let entries = api.groups.iter().flat_map(|g| {
        let cfg = options.group_cfg(g);
        let module = g.module.trim_start_matches("r#").to_owned();
        let p = p.clone();
        g.operations.iter().map(move |op| {
            let name = &op.id;
            let data = type_tokens(&op.data, "");
            quote! {
                #cfg
                #p::OperationInfo { name: #name, module: #module, roundtrip: #p::roundtrip::<#data> },
            }
        })
    });
    quote! {
        /// Every generated operation with its payload decoder, for tools and tests.
        #[doc(hidden)]
        pub static OPERATIONS: &[#p::OperationInfo] = &[
            #(#entries)*
        ];
    }
}

/// `#[cfg(feature = "...")]` and doc for a group's module declaration.
pub fn module_attrs(group: &Group, options: &Options) -> TokenStream {
    let cfg = options.group_cfg(group);
    let text = paragraphs([
        Some(format!("{} operations.", group.name)),
        group.description.clone(),
        options.features.then(|| {
            format!(
                "Compiled with the `{}` feature.",
                options.feature_name(group)
            )
        }),
    ]);
    let doc = doc(&text);
    quote!(#doc #cfg)
}

impl Gate {
    /// The `cfg` attribute of the gated items (behind `feature`), or `None`
    /// when there are none.
    pub fn cfg(&self, feature: &str) -> Option<TokenStream> {
        match self {
            Gate::Feature => Some(quote!(#[cfg(feature = #feature)])),
            Gate::Always => Some(quote!()),
            Gate::Never => None,
        }
    }
}

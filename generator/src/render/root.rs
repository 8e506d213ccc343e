//! The crate root: the API description, the client, re-exports, modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, paragraphs, private, runtime};
use super::{Gate, Options};
use crate::ir::{Api, Group, own};

/// Items of the crate root, without the module declarations.
pub fn items(api: &Api, options: &Options) -> TokenStream {
    let rt = runtime();
    let api_static = api_static(api);
    let client = client(api, options);
    let view = bound_view(api);
    let blocking = blocking_module(api, options);
    let reexports = reexports(api);
    let operations = each_operation(api, options);
    let catalog = super::descriptions::catalog(api, options);
    let testing = super::testing::module(api, options);
    let always = own::REEXPORTS.map(ident);
    quote! {
        #[allow(unused_imports)]
        pub use #rt::{#(#always),*};
        #reexports

        #api_static
        #client
        #view

        #blocking
        #operations
        #catalog
        #testing
    }
}

/// The runtime's types a crate's callers use, as far as its API has them.
/// The re-exports are for callers; a build script's file included in a
/// private module may use none of them, which must not warn.
fn reexports(api: &Api) -> TokenStream {
    let rt = runtime();
    let batch = api.wire.batch.is_some().then_some(own::BATCH_REEXPORTS);
    let output = api
        .wire
        .output_controls
        .is_some()
        .then_some(own::OUTPUT_REEXPORTS);
    let names: Vec<_> = batch
        .into_iter()
        .flatten()
        .chain(output.into_iter().flatten())
        .map(ident)
        .collect();
    if names.is_empty() {
        return quote!();
    }
    quote! {
        #[allow(unused_imports)]
        pub use #rt::{#(#names),*};
    }
}

/// `API`, how the API works on the wire, and `BATCH` where it batches.
fn api_static(api: &Api) -> TokenStream {
    let rt = runtime();
    let title = &api.wire.name;
    let (api_name, batch_name) = (ident(own::API), ident(own::BATCH));
    let batch_static = api.wire.batch.as_deref().map(|batch| {
        let batch = super::wire::batch_tokens(batch);
        quote! {
            /// How several calls go in one request.
            pub static #batch_name: #rt::BatchSpec = #batch;
        }
    });
    let spec = super::wire::api_spec(&api.wire, &batch_name);
    let api_doc = doc(&format!(
        "How {title} works on the wire, as its spec declares it: where replies keep their payload and success \
         flag, how the server refuses a call, parameters sent with every call, and how credentials travel."
    ));
    quote! {
        #api_doc
        pub static #api_name: #rt::ApiSpec = #spec;

        #batch_static
    }
}

/// The client: generic over the runtime's client (`ClientOf`), and the
/// async one (`Client`) with its raw and batch calls.
fn client(api: &Api, options: &Options) -> TokenStream {
    let rt = runtime();
    let title = &api.wire.name;
    let builder = ident(own::BUILDER);
    let url = api.wire.default_base_url.as_deref();
    let (builder_sig, builder_doc) = match url {
        Some(url) => (
            quote!(pub fn #builder() -> #rt::ClientBuilder<Self> { #rt::ClientBuilder::new(#url) }),
            format!(
                "A builder for a client of `{url}`; [`ClientBuilder::base_url`](::whm_runtime::ClientBuilder::base_url) points it elsewhere."
            ),
        ),
        None => (
            quote!(pub fn #builder(base_url: impl ::std::convert::Into<::std::string::String>) -> #rt::ClientBuilder<Self> { #rt::ClientBuilder::new(base_url) }),
            format!(
                "A builder for a client of the server at `base_url` (the server URL is `{}`).",
                api.server_url
            ),
        ),
    };
    let builder_doc = doc(&builder_doc);
    let client_of_doc = doc(&paragraphs([
        Some(format!(
            "A client for {title} over the runtime client `T`: [`Client`] (async){}. \
             Cheap to clone; clones share connections.",
            if options.blocking.cfg(own::BLOCKING).is_some() {
                " or `blocking::Client`"
            } else {
                ""
            }
        )),
        Some(
            "Each operation is a method taking its request type and returning a call: `.await` it \
             (or `.send()` it, on the blocking client) for the payload, or set options first. \
             The methods are defined once, for every kind of client."
                .to_owned(),
        ),
    ]));
    let client_doc = doc(&paragraphs([
        Some(format!("A client for {title}. Cheap to clone; clones share connections.")),
        Some(
            "Each operation is a method taking its request type and returning a [`Call`]: `.await` it for the \
             payload, or set a timeout first. Operations the spec lacks go through [`Client::call`]."
                .to_owned(),
        ),
    ]));
    let batch_methods = batch_methods(api, false);
    let raw_call = raw_call_method(false);
    let (client, client_of) = (ident(own::CLIENT), ident(own::CLIENT_OF));
    let (from_runtime, runtime_method) = (ident(own::FROM_RUNTIME), ident(own::RUNTIME));
    quote! {
        #client_of_doc
        #[derive(Debug, Clone)]
        pub struct #client_of<T> {
            inner: T,
        }

        #client_doc
        pub type #client = #client_of<#rt::Client>;

        impl<T: #rt::Transport> #client_of<T> {
            #builder_doc
            #builder_sig

            /// Wraps a runtime client (to share it with other generated crates).
            pub fn #from_runtime(inner: T) -> Self {
                #client_of { inner }
            }

            /// The runtime client underneath.
            pub fn #runtime_method(&self) -> &T {
                &self.inner
            }
        }

        impl<T: #rt::Transport> #rt::FromSettings for #client_of<T> {
            fn from_settings(settings: #rt::Settings) -> ::std::result::Result<Self, #rt::Error> {
                T::from_settings(settings).map(#client_of::#from_runtime)
            }
        }

        impl #client {
            #raw_call

            #batch_methods
        }
    }
}

/// A client's `call`: an operation the spec lacks, by name, its payload
/// as JSON; `blocking`: the blocking client's (in its module).
fn raw_call_method(blocking: bool) -> TokenStream {
    let (rt, p) = (runtime(), private());
    let (asyncness, root, awaiting) = if blocking {
        (quote!(), quote!(super::), quote!())
    } else {
        (quote!(async), quote!(), quote!(.await))
    };
    let doc = doc(
        "Calls `operation` with `params` as given, for operations the spec lacks\n\
         (plugins, newer releases); one it describes is sent and read as its\n\
         description in `CATALOG` says. The payload comes back as JSON.",
    );
    let (call, catalog, api) = (ident(own::CALL), ident(own::CATALOG), ident(own::API));
    quote! {
        #doc
        pub #asyncness fn #call(
            &self,
            operation: &str,
            params: &[(&str, &str)],
        ) -> ::std::result::Result<#p::serde_json::Value, #rt::Error> {
            let mut all = #rt::Params::new();
            for (name, value) in params {
                all.push_raw(*name, *value);
            }
            let function = #rt::RawFunction::from_catalog(#root #catalog, operation);
            self.inner.call_raw(&#root #api, function, all) #awaiting .map(|reply| reply.data)
        }
    }
}

/// The blocking client: the generic client over the runtime's blocking
/// client, with what it does differently (no `.await`).
fn blocking_module(api: &Api, options: &Options) -> Option<TokenStream> {
    let cfg = options.blocking.cfg(own::BLOCKING)?;
    let batch_methods = batch_methods(api, true);
    let raw_call = raw_call_method(true);
    let rt = runtime();
    Some(quote! {
        #cfg
        /// The blocking client, with the async client's surface. Do not use it inside an async runtime.
        pub mod blocking {
            /// A blocking client: the operations are the methods of
            /// [`ClientOf`](super::ClientOf), each returning a
            /// [`Call`](::whm_runtime::blocking::Call) to [`send`](::whm_runtime::blocking::Call::send).
            pub type Client = super::ClientOf<#rt::blocking::Client>;

            impl Client {
                #raw_call

                #batch_methods
            }
        }
    })
}

/// `each_operation`, which names every operation's request type to a
/// visitor, behind `introspection`.
fn each_operation(api: &Api, options: &Options) -> Option<TokenStream> {
    let cfg = options.introspection.cfg(own::INTROSPECTION)?;
    let p = private();
    let each_operation = ident(own::EACH_OPERATION);
    let visits = api.groups.iter().flat_map(|g| {
        let group_cfg = options.group_cfg(g);
        let module = ident(&g.module);
        g.operations.iter().map(move |op| {
            let request = ident(&op.request);
            quote! {
                #group_cfg
                visitor.operation::<#module::#request>();
            }
        })
    });
    Some(quote! {
        /// Calls `visitor` with each generated operation's request type, for
        /// tools, tests and fuzzing that compile something generic for every
        /// operation: `OperationInfo::all(each_operation)` gives each one's
        /// decoders. Generic, so that they are compiled where it is called,
        /// not with the crate.
        #cfg
        #[doc(hidden)]
        #[allow(unused_variables)]
        pub fn #each_operation<V: #p::EachOperation>(visitor: &mut V) {
            #(#visits)*
        }
    })
}

/// The batch methods of a client, as the API declares batches.
/// `blocking`: for the blocking client (in its module).
fn batch_methods(api: &Api, blocking: bool) -> Option<TokenStream> {
    let rt = runtime();
    let b = api.wire.batch.as_deref()?;
    let (api, batch) = (ident(own::API), ident(own::BATCH));
    let (api_path, batch_path, awaiting, asyncness, replies) = if blocking {
        (
            quote!(super::#api),
            quote!(super::#batch),
            quote!(),
            quote!(),
            "super::BatchReplies::get",
        )
    } else {
        (
            quote!(#api),
            quote!(#batch),
            quote!(.await),
            quote!(async),
            "BatchReplies::get",
        )
    };
    let (new_batch, run_batch) = (ident(own::NEW_BATCH), ident(own::RUN_BATCH));
    let new_doc = doc(&format!(
        "An empty batch: calls added to it run in one request (`{}`), each with its own result; \
         run it with [`run_batch`](Self::run_batch).",
        b.operation
    ));
    let run_doc = doc(&format!(
        "Runs the calls of `batch` in one request. Fails only when the batch itself does; \
         each call's result comes from [`BatchReplies::get`]({replies})."
    ));
    Some(quote! {
        #new_doc
        pub fn #new_batch(&self) -> #rt::Batch {
            #rt::Batch::with(&#api_path, &#batch_path)
        }

        #run_doc
        pub #asyncness fn #run_batch(&self, batch: #rt::Batch) -> ::std::result::Result<#rt::BatchReplies, #rt::Error> {
            self.inner.run_batch(batch) #awaiting
        }
    })
}

/// The bound client view (`client.as_user("bob")`), when the API has a
/// bound parameter: for every kind of client.
fn bound_view(api: &Api) -> Option<TokenStream> {
    let rt = runtime();
    let b = api.bound.as_ref()?;
    let view = ident(&b.view);
    let method = ident(&b.method);
    let value = if b.lowercase {
        quote!(value.into().to_lowercase())
    } else {
        quote!(value.into())
    };
    let method_doc = doc(&format!(
        "Calls made on behalf of `{}` (sent as `{}`{}).",
        b.name,
        b.wire,
        if b.lowercase { ", in lowercase" } else { "" }
    ));
    let view_doc = doc(&format!(
        "Calls on behalf of one `{}`: see [`ClientOf::{method}`].",
        b.name
    ));
    Some(quote! {
        impl<T: #rt::Transport> ClientOf<T> {
            #method_doc
            pub fn #method(&self, value: impl ::std::convert::Into<::std::string::String>) -> #view<'_, T> {
                #view { client: self, value: #value }
            }
        }

        #view_doc
        #[derive(Debug, Clone)]
        pub struct #view<'c, T = #rt::Client> {
            client: &'c ClientOf<T>,
            value: ::std::string::String,
        }
    })
}

/// `#[cfg(feature = "...")]` and doc for a group's module declaration.
pub fn module_attrs(group: &Group, options: &Options) -> TokenStream {
    let cfg = options.group_cfg(group);
    let text = paragraphs([
        Some(format!("{} operations.", group.name)),
        group.description.clone(),
        options
            .features
            .then(|| format!("Compiled with the `{}` feature.", group.feature.clone())),
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

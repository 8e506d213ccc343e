//! How an API works on the wire, as tokens of the runtime's types: the
//! envelope of its replies and the ways it authenticates. Used by the
//! crate root's `API`, operations with an envelope of their own, and the
//! fake server.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::private;
use crate::ir::{AuthScheme, Envelope};

/// An envelope as a constant expression of the runtime's `Envelope`.
pub fn envelope_tokens(e: &Envelope) -> TokenStream {
    let p = private();
    let list = |items: &[String]| quote!(&[#(#items),*]);
    let (payload, success, message) = (list(&e.payload), list(&e.success), list(&e.message));
    let (warnings, messages, operation) =
        (list(&e.warnings), list(&e.messages), list(&e.operation));
    let errors = list(&e.errors);
    let nested = |inner: &Option<Box<Envelope>>| match inner {
        Some(inner) => {
            let inner = envelope_tokens(inner);
            quote!(::std::option::Option::Some(&#inner))
        }
        None => quote!(::std::option::Option::None),
    };
    let (inner, legacy) = (nested(&e.inner), nested(&e.legacy));
    let failures = e.failures.iter().map(|sign| {
        let reason = &sign.reason;
        let flag = match &sign.flag {
            Some(flag) => quote!(::std::option::Option::Some(#flag)),
            None => quote!(::std::option::Option::None),
        };
        quote!(#p::FailureSign { flag: #flag, reason: #reason })
    });
    quote! {
        #p::Envelope {
            payload: #payload,
            success: #success,
            message: #message,
            warnings: #warnings,
            messages: #messages,
            operation: #operation,
            errors: #errors,
            failures: &[#(#failures),*],
            inner: #inner,
            legacy: #legacy,
        }
    }
}

/// A way of authenticating, as the runtime's `Auth`.
pub fn auth_tokens(auth: &AuthScheme) -> TokenStream {
    let p = private();
    match auth {
        AuthScheme::Token { scheme } => quote!(#p::Auth::Token { scheme: #scheme }),
        AuthScheme::Basic => quote!(#p::Auth::Basic),
        AuthScheme::Bearer => quote!(#p::Auth::Bearer),
        AuthScheme::KeyParam { name } => quote!(#p::Auth::KeyParam { name: #name }),
        AuthScheme::KeyHeader { name } => quote!(#p::Auth::KeyHeader { name: #name }),
        AuthScheme::KeyCookie { name } => quote!(#p::Auth::KeyCookie { name: #name }),
    }
}

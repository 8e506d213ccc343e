//! The wire model (`whm_wire`) as constant expressions of the runtime's
//! re-export of it: the crate's `API`, operations with an envelope of
//! their own, and their methods and bodies. Each value is taken apart
//! whole, so that a field the model gains is a compile error here until
//! it is written out.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use whm_wire::{
    ApiSpec, Auth, BatchSpec, Body, Envelope, FailureSign, Media, Method, Refusal, Text,
};

use super::tokens::{private, runtime};

/// `'static` text.
fn text(text: &Text) -> TokenStream {
    let text = text.as_ref();
    quote!(::std::borrow::Cow::Borrowed(#text))
}

/// A `'static` list of `items`.
fn list<T>(items: &[T], item: impl Fn(&T) -> TokenStream) -> TokenStream {
    let items = items.iter().map(item);
    quote!(::std::borrow::Cow::Borrowed(&[#(#items),*]))
}

fn option<T>(value: Option<&T>, some: impl Fn(&T) -> TokenStream) -> TokenStream {
    match value {
        Some(value) => {
            let value = some(value);
            quote!(::std::option::Option::Some(#value))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// An API's wire model as `ApiSpec`, its batch description at `batch`
/// (a `static` of its own, which callers name).
pub fn api_spec(spec: &ApiSpec, batch: impl ToTokens) -> TokenStream {
    let ApiSpec {
        name,
        base_path,
        default_base_url,
        envelope,
        refusal,
        fixed_params,
        query_as_form,
        auth,
        output_controls,
        batch: has_batch,
    } = spec;
    let rt = runtime();
    let p = private();
    let (name, base_path) = (text(name), text(base_path));
    let default_base_url = option(default_base_url.as_ref(), text);
    let envelope = envelope_tokens(envelope);
    let refusal = refusal_tokens(refusal);
    let fixed_params = list(fixed_params, |(name, value)| {
        let (name, value) = (text(name), text(value));
        quote!((#name, #value))
    });
    let auth = list(auth, auth_tokens);
    let output_controls = option(output_controls.as_ref(), text);
    let batch = option(has_batch.as_ref(), |_| quote!(#p::Held::Static(&#batch)));
    quote! {
        #rt::ApiSpec {
            name: #name,
            base_path: #base_path,
            default_base_url: #default_base_url,
            envelope: #envelope,
            refusal: #refusal,
            fixed_params: #fixed_params,
            query_as_form: #query_as_form,
            auth: #auth,
            output_controls: #output_controls,
            batch: #batch,
        }
    }
}

/// How an API batches, as `BatchSpec`.
pub fn batch_tokens(batch: &BatchSpec) -> TokenStream {
    let BatchSpec {
        operation,
        command,
        abort_on_error,
        results,
    } = batch;
    let rt = runtime();
    let (operation, command) = (text(operation), text(command));
    let (abort_on_error, results) = (text(abort_on_error), text(results));
    quote! {
        #rt::BatchSpec {
            operation: #operation,
            command: #command,
            abort_on_error: #abort_on_error,
            results: #results,
        }
    }
}

/// An envelope as `Envelope`.
pub fn envelope_tokens(envelope: &Envelope) -> TokenStream {
    let Envelope {
        payload,
        success,
        message,
        warnings,
        messages,
        operation,
        errors,
        failures,
        inner,
        legacy,
        media,
    } = envelope;
    let p = private();
    let pointers = |pointers: &[Text]| list(pointers, text);
    let (payload, success, message) = (pointers(payload), pointers(success), pointers(message));
    let (warnings, messages) = (pointers(warnings), pointers(messages));
    let (operation, errors) = (pointers(operation), pointers(errors));
    let failures = list(failures, |FailureSign { flag, reason }| {
        let (flag, reason) = (option(flag.as_ref(), text), text(reason));
        quote!(#p::FailureSign { flag: #flag, reason: #reason })
    });
    let nested = |envelope: &Envelope| {
        let envelope = envelope_tokens(envelope);
        quote!(#p::Held::Static(&#envelope))
    };
    let (inner, legacy) = (
        option(inner.as_deref(), nested),
        option(legacy.as_deref(), nested),
    );
    let media = media_tokens(*media);
    quote! {
        #p::Envelope {
            payload: #payload,
            success: #success,
            message: #message,
            warnings: #warnings,
            messages: #messages,
            operation: #operation,
            errors: #errors,
            failures: #failures,
            inner: #inner,
            legacy: #legacy,
            media: #media,
        }
    }
}

/// What a successful reply's body is, as `Media`.
fn media_tokens(media: Media) -> TokenStream {
    let p = private();
    match media {
        Media::Json => quote!(#p::Media::Json),
        Media::Text => quote!(#p::Media::Text),
        Media::Bytes => quote!(#p::Media::Bytes),
    }
}

/// How a server refuses calls, as `Refusal`.
fn refusal_tokens(refusal: &Refusal) -> TokenStream {
    let Refusal {
        reason,
        rejection,
        denied,
        login_page,
    } = refusal;
    let p = private();
    let [reason, rejection, denied, login_page] =
        [reason, rejection, denied, login_page].map(|texts| list(texts, text));
    quote! {
        #p::Refusal {
            reason: #reason,
            rejection: #rejection,
            denied: #denied,
            login_page: #login_page,
        }
    }
}

/// A way of authenticating, as `Auth`.
fn auth_tokens(auth: &Auth) -> TokenStream {
    let p = private();
    match auth {
        Auth::Token { scheme } => {
            let scheme = text(scheme);
            quote!(#p::Auth::Token { scheme: #scheme })
        }
        Auth::Basic => quote!(#p::Auth::Basic),
        Auth::Bearer => quote!(#p::Auth::Bearer),
        Auth::KeyParam { name } => {
            let name = text(name);
            quote!(#p::Auth::KeyParam { name: #name })
        }
        Auth::KeyHeader { name } => {
            let name = text(name);
            quote!(#p::Auth::KeyHeader { name: #name })
        }
        Auth::KeyCookie { name } => {
            let name = text(name);
            quote!(#p::Auth::KeyCookie { name: #name })
        }
    }
}

/// An HTTP method, as `Method`.
pub fn method_tokens(method: Method) -> TokenStream {
    let p = private();
    match method {
        Method::Get => quote!(#p::Method::Get),
        Method::Post => quote!(#p::Method::Post),
        Method::Put => quote!(#p::Method::Put),
        Method::Patch => quote!(#p::Method::Patch),
        Method::Delete => quote!(#p::Method::Delete),
        Method::Head => quote!(#p::Method::Head),
        Method::Options => quote!(#p::Method::Options),
        Method::Trace => quote!(#p::Method::Trace),
    }
}

/// How parameters travel, as `Body`.
pub fn body_tokens(body: Body) -> TokenStream {
    let p = private();
    match body {
        Body::None => quote!(#p::Body::None),
        Body::Form => quote!(#p::Body::Form),
        Body::Json => quote!(#p::Body::Json),
        Body::Raw => quote!(#p::Body::Raw),
    }
}

//! Several calls in one request (WHM's `batch`), each with its own result.
//!
//! ```no_run
//! # async fn f<A, B>(client: whm_runtime::Client, api: &'static whm_runtime::ApiSpec, a: A, b: B)
//! # -> Result<(), whm_runtime::Error>
//! # where A: whm_runtime::Request, B: whm_runtime::Request {
//! let mut batch = whm_runtime::Batch::new(api)?;
//! let first = batch.add(&a);
//! let second = batch.add(&b);
//! let replies = client.run_batch(batch).await?; // fails only if the batch itself does
//! let first = replies.get(&first);              // each call: its own Result
//! let second = replies.get(&second);
//! # let _ = (first, second);
//! # Ok(()) }
//! ```

use std::marker::PhantomData;

use serde_json::Value;

use crate::api::Request;
use crate::decode::{Element, Lenient};
use crate::error::Error;
use crate::reply::Reply;
use crate::reply::{Exchange, interpret};
use crate::request::CallParts;
use crate::request::params::Params;
use crate::scrub::Scrubber;
use crate::wire::{ApiSpec, BatchSpec, Envelope, Refusal};

/// Calls to send in one request. Build it with [`Batch::new`], add calls,
/// and run it with `Client::run_batch`.
#[derive(Debug)]
pub struct Batch {
    api: &'static ApiSpec,
    spec: &'static BatchSpec,
    commands: Vec<Command>,
    abort_on_error: bool,
}

struct Command {
    operation: &'static str,
    envelope: &'static Envelope,
    /// `function?args`, or why the call cannot be batched.
    text: Result<String, String>,
    secrets: Vec<String>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scrubber = Scrubber::new(self.secrets.iter().map(String::as_str), []);
        let text = match &self.text {
            Ok(text) => Ok(scrubber.text(text)),
            Err(why) => Err(why.clone()),
        };
        f.debug_struct("Command")
            .field("operation", &self.operation)
            .field("text", &text)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let reply = match &self.reply {
            Ok(text) => Ok(self.scrubber.text(text)),
            Err(why) => Err(why.clone()),
        };
        f.debug_struct("Slot")
            .field("operation", &self.operation)
            .field("reply", &reply)
            .finish_non_exhaustive()
    }
}

/// A call in a batch, to get its result from [`BatchReplies`].
#[derive(Debug)]
pub struct BatchItem<T> {
    index: usize,
    data: PhantomData<fn() -> T>,
}

impl Batch {
    /// An empty batch for `api`; an error when the API cannot batch.
    pub fn new(api: &'static ApiSpec) -> Result<Batch, Error> {
        let spec = api
            .batch
            .as_deref()
            .ok_or_else(|| Error::Config(format!("{} cannot run calls in a batch", api.name)))?;
        Ok(Batch::with(api, spec))
    }

    /// An empty batch for `api`, which runs batches as `spec` says.
    pub fn with(api: &'static ApiSpec, spec: &'static BatchSpec) -> Batch {
        Batch {
            api,
            spec,
            commands: Vec::new(),
            abort_on_error: false,
        }
    }

    /// Adds a call; its result comes back under the returned item.
    pub fn add<R: Request>(&mut self, request: &R) -> BatchItem<R::Data> {
        let operation = R::OPERATION;
        let mut params = Params::new();
        request.params(&mut params);
        let text = if !std::ptr::eq(R::API, self.api) {
            Err(format!(
                "{} is not an operation of {}",
                operation.name, self.api.name
            ))
        } else if request.json_body().is_some() {
            Err(format!(
                "{} takes a JSON body, which a batch cannot carry",
                operation.name
            ))
        } else if crate::request::path::names(operation.path).next().is_some() {
            Err(format!(
                "{} takes path parameters, which a batch cannot carry",
                operation.name
            ))
        } else {
            let function = operation.path.trim_start_matches('/');
            Ok(if params.pairs().is_empty() {
                function.to_owned()
            } else {
                format!("{function}?{}", params.to_form())
            })
        };
        self.commands.push(Command {
            operation: operation.name,
            envelope: self.api.envelope_for(operation.envelope),
            text,
            secrets: params.secret_values().map(str::to_owned).collect(),
        });
        BatchItem {
            index: self.commands.len() - 1,
            data: PhantomData,
        }
    }

    /// Whether the server stops at the first failing call (default: no);
    /// calls after it then have no result.
    pub fn abort_on_error(mut self, abort: bool) -> Self {
        self.abort_on_error = abort;
        self
    }

    /// How many calls there are.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The call that runs the batch.
    pub(crate) fn parts(&self) -> CallParts<'static> {
        let mut params = Params::new();
        for command in &self.commands {
            if let Ok(text) = &command.text {
                params.push_raw(self.spec.command.as_ref(), text.clone());
            }
            for secret in &command.secrets {
                params.hide(secret.clone());
            }
        }
        params.push(&self.spec.abort_on_error, &self.abort_on_error);
        let mut parts = CallParts::raw(self.api, &self.spec.operation, None, params);
        parts.method = crate::wire::Method::Post;
        parts
    }

    /// Reads the batch's reply into one result per call.
    pub(crate) fn replies(self, exchange: Exchange<'_>) -> Result<BatchReplies, Error> {
        let outcome = exchange.interpret::<Value>();
        // A batch in which a call failed may itself report failure, with the
        // replies of every call that ran still in its payload.
        let (payload, rest) = match outcome {
            Ok(reply) => (reply.data, reply.rest),
            Err(Error::Api {
                data: Some(data),
                rest,
                ..
            }) if crate::reply::pointer::at(&data, &self.spec.results).is_some() => {
                (*data, rest.map_or(Value::Null, |rest| *rest))
            }
            Err(e) => return Err(e),
        };
        let results = crate::reply::pointer::at(&payload, &self.spec.results)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut sent = 0;
        let replies = self
            .commands
            .into_iter()
            .map(|command| {
                let reply = match &command.text {
                    Err(why) => Err(why.clone()),
                    Ok(_) => {
                        sent += 1;
                        results.get(sent - 1).map(Value::to_string).ok_or_else(|| {
                            "not run: the batch stopped at an earlier failure".to_owned()
                        })
                    }
                };
                (command, reply)
            })
            .map(|(command, reply)| Slot {
                refusal: &self.api.refusal,
                operation: command.operation,
                envelope: command.envelope,
                reply,
                // The batch's: every call's secrets and the credentials.
                scrubber: exchange.scrubber.clone(),
            })
            .collect();
        Ok(BatchReplies { replies, rest })
    }
}

struct Slot {
    refusal: &'static Refusal,
    operation: &'static str,
    envelope: &'static Envelope,
    reply: Result<String, String>,
    scrubber: Scrubber,
}

/// The results of a batch, one per call.
#[derive(Debug)]
pub struct BatchReplies {
    replies: Vec<Slot>,
    rest: Value,
}

impl BatchReplies {
    /// The payload of a call, or why it failed.
    pub fn get<T: for<'de> Element<'de>>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        self.reply(item).map(|r| r.data)
    }

    /// The batch's own reply without the calls' replies (WHM: its
    /// `metadata`, and what a newer server adds beside them); `null` when
    /// the batch reported a failure. Each call's own is in its
    /// [`reply`](Self::reply)'s `rest`.
    pub fn rest(&self) -> &Value {
        &self.rest
    }

    /// The whole reply of a call, or why it failed; its payload read as a
    /// call's is, leniently at every depth.
    pub fn reply<T: for<'de> Element<'de>>(&self, item: &BatchItem<T>) -> Result<Reply<T>, Error> {
        let slot = self
            .replies
            .get(item.index)
            .ok_or_else(|| Error::Config("this item belongs to another batch".to_owned()))?;
        match &slot.reply {
            Ok(text) => interpret::<Lenient<T>>(
                (slot.envelope, slot.refusal),
                slot.operation,
                200,
                text.as_bytes(),
                &slot.scrubber,
            )
            .map(|reply| reply.map_data(|Lenient(data)| data)),
            Err(why) => Err(Error::api(slot.operation, why.clone())),
        }
    }

    /// How many calls the batch had.
    pub fn len(&self) -> usize {
        self.replies.len()
    }

    /// Whether it had none.
    pub fn is_empty(&self) -> bool {
        self.replies.is_empty()
    }
}

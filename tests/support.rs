//! Helpers shared by the repository's end-to-end tests.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use whm_runtime::__private::{BorrowedRoundtrips, OperationInfo};

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_owned()
}

/// The upstream documents: `$WHM_CODEGEN_UPSTREAM_DOCS`, or
/// `../shared/upstream-docs` beside the repository.
pub fn upstream_docs() -> PathBuf {
    match std::env::var_os("WHM_CODEGEN_UPSTREAM_DOCS") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("../shared/upstream-docs"),
    }
}

/// The text of an upstream document; a missing one fails the test with
/// what to do, never skips it.
pub fn upstream(name: &str) -> String {
    let path = upstream_docs().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\nThe upstream documents must sit in ../shared/upstream-docs beside the \
             repository, or in the directory named by WHM_CODEGEN_UPSTREAM_DOCS.",
            path.display()
        )
    })
}

/// A unified diff of `expected` (the committed file) against `actual`,
/// cut to `max_lines`.
pub fn diff(expected: &str, actual: &str, name: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (regenerated)"),
        )
        .to_string();
    let total = text.lines().count();
    let mut shown: Vec<&str> = text.lines().take(max_lines).collect();
    let more = total.saturating_sub(max_lines);
    let tail = format!("... {more} more diff lines");
    if more > 0 {
        shown.push(&tail);
    }
    shown.join("\n")
}

/// A `listaccts` payload as a type of a caller's own, decoded as its
/// `Deserialize` says: where the generated types keep a value that does
/// not fit, it fails.
#[derive(Debug, serde::Deserialize)]
pub struct StrictListing {
    /// The accounts.
    pub acct: Vec<StrictAccount>,
}

/// An account of [`StrictListing`].
#[derive(Debug, serde::Deserialize)]
pub struct StrictAccount {
    /// Its user ID, a number or absent.
    pub uid: Option<i64>,
}

/// Whether `error` is a call's time running out.
pub fn timed_out(error: &whm_runtime::Error) -> bool {
    matches!(
        error,
        whm_runtime::Error::Transport {
            timed_out: true,
            ..
        }
    )
}

/// The README's Rust examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;

/// The documented `listaccts` reply, its one account made into `accounts`
/// different ones: the benches' large replies.
pub fn listaccts_reply(accounts: usize) -> Vec<u8> {
    use serde_json::Value;
    let example = whm_api::testing::OPERATIONS
        .iter()
        .find(|op| op.name() == "listaccts")
        .expect("listaccts is in the spec")
        .example;
    let mut reply: Value = serde_json::from_str(example).expect("the example is JSON");
    let template = reply["data"]["acct"][0].clone();
    let list: Vec<Value> = (0..accounts)
        .map(|i| {
            let mut acct = template.clone();
            acct["user"] = format!("user{i}").into();
            acct["domain"] = format!("site{i}.example.com").into();
            acct["email"] = format!("owner{i}@example.com").into();
            acct["uid"] = (1000 + i).to_string().into();
            acct["diskused"] = format!("{}M", i % 977).into();
            acct["suspended"] = (i % 7 == 0).into();
            acct
        })
        .collect();
    reply["data"]["acct"] = list.into();
    serde_json::to_vec(&reply).expect("JSON encodes")
}

/// Each generated crate's operations with their decoders (`String` text),
/// and the borrowed round trips of whm-api's: compiled once, in this
/// library, for every test that reads them (the crates compile none of it,
/// see `each_operation`).
pub struct Decoders {
    pub whm_api: Vec<OperationInfo>,
    pub whm_api_borrowed: BorrowedRoundtrips,
    pub cpanel_api: Vec<OperationInfo>,
    pub sitehost_api: Vec<OperationInfo>,
}

/// The generated crates' [`Decoders`], collected on first use.
pub fn decoders() -> &'static Decoders {
    static DECODERS: OnceLock<Decoders> = OnceLock::new();
    DECODERS.get_or_init(|| Decoders {
        whm_api: OperationInfo::all(whm_api::each_operation),
        whm_api_borrowed: BorrowedRoundtrips::of(whm_api::each_operation),
        cpanel_api: OperationInfo::all(cpanel_api::each_operation),
        sitehost_api: OperationInfo::all(sitehost_api::each_operation),
    })
}

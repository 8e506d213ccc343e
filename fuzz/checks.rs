//! What each fuzz target checks: the fuzz crate's library, which the
//! targets call and the regression test that replays every kept input
//! (`tests/fuzz_inputs.rs`) includes.
//!
//! Every function takes any bytes and must return: an error is a fine
//! answer, a panic is a bug. Where the pipeline promises more (what the
//! importer writes, the generator reads), that is asserted too.

use std::sync::OnceLock;

use whm_codegen::lower::{Selection, lower};
use whm_codegen::render::{Gate, Layout, Options, render};
use whm_codegen::surface::Surface;
use whm_runtime::__private::serde::Serialize;
use whm_runtime::__private::{BorrowedRoundtrips, EachOperation, OperationInfo};

/// The reference importer: any text in, a spec or an error out. A spec it
/// writes must read back as a spec.
pub fn import_reference(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(imported) = whm_codegen::import::import_text(text, "fuzz.txt") else {
        return;
    };
    // Refusing to write (a key too long for YAML) is an answer too.
    let Ok(yaml) = whm_codegen::import::to_yaml(&imported.document, "fuzz") else {
        return;
    };
    let spec = whm_codegen::spec::parse(&yaml, "imported.yaml")
        .unwrap_or_else(|e| panic!("the importer wrote a spec that does not load: {e}\n{yaml}"));
    let _ = lower(&spec, &Selection::default());
}

/// The spec loader and the generator behind it: any text in, an error or a
/// crate out. A spec that lowers must render to code that parses.
pub fn load_spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = whm_codegen::spec::parse(text, "fuzz.yaml") else {
        return;
    };
    let Ok(mut api) = lower(&spec, &Selection::default()) else {
        return;
    };
    // The record a crate keeps of its surface reads back as written.
    let surface = Surface::of(&api);
    let again = Surface::from_json(&surface.to_json(), "record")
        .unwrap_or_else(|e| panic!("a surface record does not read back: {e}"));
    assert_eq!(surface, again, "a surface record changed on its way back");
    whm_codegen::lower::share_equal_types(&mut api);
    let options = Options {
        crate_name: "fuzzed".to_owned(),
        crate_path: None,
        layout: Layout::Crate {
            runtime_dependency: "{ path = \"../runtime\" }".to_owned(),
            version: "0.1.0".to_owned(),
        },
        features: true,
        blocking: Gate::Feature,
        testing: Gate::Feature,
        serialize: Gate::Feature,
        introspection: Gate::Feature,
        details: Gate::Feature,
        source: "fuzz.yaml".to_owned(),
        regenerate: "fuzz".to_owned(),
    };
    if let Err(e) = render(&api, &options) {
        panic!("a spec that lowers did not render: {e}");
    }
}

/// What the generated crates' decoders are checked with, compiled here
/// where they are used (see `each_operation`): every operation with its
/// decoders, and their round trips with borrowed text.
#[derive(Default)]
struct Decoders {
    owned: Vec<OperationInfo>,
    borrowed: BorrowedRoundtrips,
}

impl EachOperation for Decoders {
    fn operation<R: whm_runtime::Request>(&mut self)
    where
        R::Data: Serialize,
        for<'a> R::DataRef<'a>: Serialize,
    {
        self.owned.operation::<R>();
        self.borrowed.operation::<R>();
    }
}

/// The generated crates' [`Decoders`], collected on first use.
fn decoders() -> &'static Decoders {
    static DECODERS: OnceLock<Decoders> = OnceLock::new();
    DECODERS.get_or_init(|| {
        let mut all = Decoders::default();
        whm_api::each_operation(&mut all);
        cpanel_api::each_operation(&mut all);
        sitehost_api::each_operation(&mut all);
        all
    })
}

/// The generated response decoders. The input is `<operation> <status>`,
/// a line break, and the reply body; an unknown operation name picks one
/// by its hash, so that every input decodes something.
pub fn decode_reply(data: &[u8]) {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (header, body) = data.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let header = String::from_utf8_lossy(header);
    let mut words = header.split_whitespace();
    let name = words.next().unwrap_or_default();
    let status = words.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let operations = &decoders().owned;
    let hash = header.bytes().fold(0usize, |h, b| {
        h.wrapping_mul(31).wrapping_add(usize::from(b))
    });
    let Some(info) = operations
        .iter()
        .find(|op| op.operation.name == name)
        .or_else(|| operations.get(hash % operations.len().max(1)))
    else {
        return;
    };
    // Whatever shape the JSON has, at whatever depth, the reply's types
    // hold it or keep it: only what is not JSON fails to decode.
    if let Err(whm_runtime::Error::Decode { path, message, .. }) = (info.read_reply)(status, body)
        && whm_runtime::__private::serde_json::from_slice::<whm_runtime::__private::serde_json::Value>(body).is_ok()
    {
        panic!("{}: valid JSON did not decode at `{path}`: {message}", info.operation.name);
    }
    if let Ok(payload) = std::str::from_utf8(body) {
        // Text borrowed or owned, the decoders must agree on every input:
        // the same value, or both an error.
        let owned = (info.roundtrip)(payload);
        // The first operation of that name, as `info` is.
        let borrowed = decoders()
            .borrowed
            .get(info.operation.name)
            .expect("every operation has a borrowed round trip")(payload);
        assert_eq!(
            owned.as_ref().ok(),
            borrowed.as_ref().ok(),
            "{}: borrowed and owned text decode differently",
            info.operation.name
        );
    }
}

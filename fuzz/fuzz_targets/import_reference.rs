//! Fuzz target: see `whm_codegen_fuzz::import_reference`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| whm_codegen_fuzz::import_reference(data));

//! Checks shared by the fuzz targets in `src/bin/`.
//!
//! Each target feeds its bytes to one parser and asserts what must hold for every input, not only that nothing
//! panics: accepted input gives a non-empty, self-consistent answer; rejected input gives a typed error that
//! names (the first bytes of) exactly that input. A failed assertion aborts the run like a panic, and libFuzzer
//! saves the input under `fuzz/artifacts/<target>/`.

use azure_iot_codes::du::AgentVersion;
use azure_iot_codes::{Catalogue, DecodeOptions, Error, ErrorKind, INPUT_SNIPPET_LEN, Service};

/// The error is typed and names the input it rejected: its kept bytes are a prefix of `input` (all of it when
/// short), its length is the input's, and it says what was expected. Its message renders.
pub fn assert_names_input(e: &Error, input: &[u8]) {
    let kept = e.input_bytes();
    assert!(
        input.starts_with(kept),
        "error keeps {kept:?}, not a prefix of the input {input:?}"
    );
    assert_eq!(e.input_len(), input.len(), "error's input length: {e:?}");
    // Short inputs are kept whole; a longer one loses at most the UTF-8 character cut at the limit.
    let whole = input.len().min(INPUT_SNIPPET_LEN);
    assert!(
        kept.len() == whole || (input.len() > INPUT_SNIPPET_LEN && kept.len() + 4 > whole),
        "error keeps {} of {} bytes: {e:?}",
        kept.len(),
        input.len()
    );
    assert!(input.starts_with(e.input().as_bytes()));
    assert!(!e.expected().is_empty());
    assert!(!e.kind().as_str().is_empty());
    let message = e.to_string();
    assert!(message.starts_with("cannot decode "), "{message}");
    assert!(message.contains(e.expected()), "{message}");
}

/// Whether the input is empty or only whitespace.
pub fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// `None` or one of `all`, chosen by `b` (0 is `None`).
pub fn pick<T: Copy>(b: u8, all: &[T]) -> Option<T> {
    let i = usize::from(b) % (all.len() + 1);
    i.checked_sub(1).map(|i| all[i])
}

/// Decode options from three selector bytes: catalogue, service, agent version (each may be unset).
pub fn options(sel: [u8; 3]) -> DecodeOptions {
    let mut o = DecodeOptions::new();
    o.catalogue = pick(sel[0], &Catalogue::ALL);
    o.service = pick(sel[1], &Service::ALL);
    o.agent_version = pick(sel[2], &AgentVersion::ALL);
    o
}

/// Splits a fuzz input into three selector bytes and the rest (short inputs select nothing).
pub fn split_selectors(data: &[u8]) -> ([u8; 3], &[u8]) {
    match data {
        [a, b, c, rest @ ..] => ([*a, *b, *c], rest),
        _ => ([0; 3], data),
    }
}

/// An empty-or-whitespace input is rejected as [`ErrorKind::Empty`] by every parser of the core.
pub fn assert_blank_is_empty(input: &str, e: &Error) {
    if is_blank(input) {
        assert_eq!(e.kind(), ErrorKind::Empty, "{input:?}: {e:?}");
    }
}

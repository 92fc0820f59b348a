//! Helpers shared by the engine's integration tests: the repository's corpus.
#![allow(dead_code)]

/// The corpus directory: `corpus/` at the top of the repository.
pub const CORPUS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

/// A corpus file (`calgary`, `canterbury`, `calgary32`), whole. The corpus
/// ships with the repository, so a missing file fails the test.
pub fn corpus(name: &str) -> Vec<u8> {
    let p = format!("{CORPUS_DIR}/{name}");
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "corpus file {p} not readable ({e}): the corpus ships with the \
             repository in corpus/ (see corpus/README.md); restore it with git"
        )
    })
}

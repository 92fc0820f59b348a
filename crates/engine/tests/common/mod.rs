//! Helpers shared by the engine's integration tests: the repository's corpus,
//! hex, and the `name = value` record files of the known-answer vectors.
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

/// Bytes from hex digits; whitespace is ignored and `-` stands for none.
pub fn hex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len().is_multiple_of(2), "odd hex length in {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|e| panic!("{s}: {e}")))
        .collect()
}

/// One record of a vector file: its `name = value` pairs in order.
pub type Record = Vec<(String, String)>;

/// Records of `name = value` lines separated by blank lines; `#` comments.
pub fn records(text: &str) -> Vec<Record> {
    let mut out = vec![];
    let mut cur = vec![];
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (k, v) = line.split_once('=').expect("name = value");
        cur.push((k.trim().to_string(), v.trim().to_string()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The value of `k` in a record; a record without it fails the test.
pub fn field<'a>(r: &'a [(String, String)], k: &str) -> &'a str {
    r.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("record lacks {k}: {r:?}"))
}

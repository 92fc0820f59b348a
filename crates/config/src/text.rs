//! Configuration files as bytes: the text the parsers read, and a
//! `file:line` error for every line that is not UTF-8.
//!
//! Files come from editors, scripts and other machines, so a stray Latin-1
//! byte (a name in a comment, a degree sign) must not make the whole file
//! unreadable, and a line that really cannot be read must say which line.
//! Lines are split on `\n` as bytes; a line whose bytes are not UTF-8 is
//! accepted when the bad bytes sit in its comment (after a `#` outside
//! quotes, or a whole-line `;` comment of the managed-mode file) and is an
//! error otherwise, read as an empty line so the rest of the file is still
//! checked with its line numbers.
//!
//! A file that is not text at all — NUL bytes, a UTF-16 byte-order mark —
//! gets one error instead of one per line.

use crate::diag::Diagnostic;

/// Which comment syntax the file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Endpoint files: `#` comments, whole-line or trailing; values may be
    /// quoted with `"` or `“…”`.
    Endpoint,
    /// The managed-mode file: `#` comments (and whole-line `;`), values
    /// quoted with `"` or `'`.
    Managed,
}

/// Largest configuration file read (4 MiB): real files are a few KiB, and
/// anything larger is the wrong file.
pub const MAX_FILE_LEN: usize = 4 << 20;

/// Where the comment of `line` starts (the first `#` outside quotes), or
/// the line's length.
fn comment_start(line: &[u8], syntax: Syntax) -> usize {
    let trimmed = line.iter().position(|b| !b.is_ascii_whitespace());
    if syntax == Syntax::Managed && trimmed.is_some_and(|i| line[i] == b';') {
        return trimmed.unwrap_or(0);
    }
    // The typographic quotes of the Guide's examples, as UTF-8.
    const OPEN: &[u8] = "\u{201c}".as_bytes();
    const CLOSE: &[u8] = "\u{201d}".as_bytes();
    let mut quote: Option<&[u8]> = None;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        match quote {
            Some(q) if rest.starts_with(q) => {
                quote = None;
                i += q.len();
                continue;
            }
            // Either typographic quote closes one opened typographically.
            Some(q) if q == CLOSE && rest.starts_with(OPEN) => {
                quote = None;
                i += OPEN.len();
                continue;
            }
            Some(_) => {}
            None if rest[0] == b'#' => return i,
            None if rest[0] == b'"' => quote = Some(b"\""),
            None if syntax == Syntax::Managed && rest[0] == b'\'' => quote = Some(b"'"),
            None if syntax == Syntax::Endpoint
                && (rest.starts_with(OPEN) || rest.starts_with(CLOSE)) =>
            {
                quote = Some(CLOSE);
                i += OPEN.len();
                continue;
            }
            None => {}
        }
        i += 1;
    }
    line.len()
}

/// The text of `bytes` (a file shown as `file`) for the parsers, and an
/// error for each line that cannot be read. Lines with errors are empty
/// in the text, so line numbers stay right.
pub fn decode(file: &str, bytes: &[u8], syntax: Syntax) -> (String, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    if bytes.len() > MAX_FILE_LEN {
        errors.push(Diagnostic::file(
            file,
            format!(
                "the file is longer than {MAX_FILE_LEN} bytes: configuration files are small text files; is this the right file?"
            ),
        ));
        return (String::new(), errors);
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        errors.push(Diagnostic::at(
            file,
            1,
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8 or ASCII, e.g. iconv -f UTF-16 -t UTF-8",
        ));
        return (String::new(), errors);
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = line_of(bytes, at);
        errors.push(Diagnostic::at(
            file,
            line,
            "the file contains a NUL byte: it is not a text file (is it the right file, or UTF-16 text to save as UTF-8?)",
        ));
        return (String::new(), errors);
    }
    let mut text = String::with_capacity(bytes.len());
    for (idx, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        if idx > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(raw) {
            Ok(s) => text.push_str(s),
            Err(e) => {
                let bad = e.valid_up_to();
                let comment = comment_start(raw, syntax);
                if bad >= comment {
                    // Only the comment is not UTF-8: keep what comes
                    // before it, and the comment as best it reads.
                    text.push_str(&String::from_utf8_lossy(raw));
                } else {
                    let line = u32::try_from(idx + 1).unwrap_or(u32::MAX);
                    errors.push(Diagnostic::at(
                        file,
                        line,
                        format!(
                            "byte {:#04x} at column {} is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments",
                            raw[bad],
                            bad + 1
                        ),
                    ));
                }
            }
        }
    }
    (text, errors)
}

/// Reads the file at `path` (shown as `file`), at most [`MAX_FILE_LEN`] + 1
/// bytes: a larger file is refused by [`decode`] without being read whole.
pub(crate) fn read(file: &str, path: &std::path::Path) -> Result<Vec<u8>, crate::ConfigErrors> {
    use std::io::Read;
    let cannot = |e: std::io::Error| crate::ConfigErrors {
        errors: vec![Diagnostic::file(
            file,
            format!("cannot read the file: {e}: check the path and its permissions"),
        )],
        warnings: Vec::new(),
    };
    let f = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}

/// 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u32 {
    let newlines = bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes_in_comments_are_fine_elsewhere_errors_with_their_line() {
        let bytes = b"# caf\xe9\n[SSL] # \xff\nName = \"a#\xe9\"\nKey = \xe9\r\nOk = 1\n";
        let (text, errs) = decode("f.conf", bytes, Syntax::Endpoint);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[0].starts_with("# caf"));
        assert!(lines[1].starts_with("[SSL] #"));
        assert_eq!(lines[2], "");
        assert_eq!(lines[3], "");
        assert_eq!(lines[4], "Ok = 1");
        let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "f.conf:3: byte 0xe9 at column 11 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments",
                "f.conf:4: byte 0xe9 at column 7 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments",
            ]
        );
        // The managed-mode file's quotes and ';' comments.
        let (_, errs) = decode("qat", b"; \xe9\nA='#\xe9'\nB=1 # \xe9\n", Syntax::Managed);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(2));
    }

    #[test]
    fn files_that_are_not_text_get_one_error() {
        let (_, e) = decode("f", b"[GENERAL]\nA=1\0\nB\0\n", Syntax::Endpoint);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, Some(2));
        let (_, e) = decode("f", &[0xff, 0xfe, b'[', 0], Syntax::Endpoint);
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("UTF-16"));
        let (_, e) = decode("f", &vec![b'#'; MAX_FILE_LEN + 1], Syntax::Managed);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, None);
    }
}

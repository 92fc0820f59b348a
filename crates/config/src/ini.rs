//! The INI-like lexer of per-endpoint files: `[SECTION]`, `Key = Value`,
//! `#` comments (whole-line or trailing), values optionally in double quotes
//! (`"…"` or the typographic `“…”` found in the Guide's examples).

use crate::diag::Diagnostic;

/// One `Key = Value` line.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// One `[SECTION]` and its entries (duplicate keys already removed).
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    pub name: String,
    pub line: u32,
    pub entries: Vec<Entry>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}')
}

/// Strips a trailing comment and surrounding quotes from the text after `=`.
fn clean_value(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_quote(c) => {
            let start = c.len_utf8();
            let rest = &s[start..];
            match rest.char_indices().find(|(_, c)| is_quote(*c)) {
                Some((end, q)) => {
                    let inner = &rest[..end];
                    let after = rest[end + q.len_utf8()..].trim();
                    if !after.is_empty() && !after.starts_with('#') {
                        return Err(format!(
                            "text \"{}\" follows the closing quote: put comments after '#'",
                            shorten(after)
                        ));
                    }
                    Ok(inner.to_string())
                }
                None => Err(
                    "the value opens a quote but does not close it: add the closing \"".to_string(),
                ),
            }
        }
        _ => {
            let v = match s.find('#') {
                Some(i) => &s[..i],
                None => s,
            };
            Ok(v.trim().to_string())
        }
    }
}

/// Longest key name (the kernel driver's `ADF_CFG_MAX_KEY_LEN_IN_BYTES`
/// is 64 with its terminating NUL; no key softqat knows comes near).
pub(crate) const MAX_KEY_CHARS: usize = 64;
/// Longest section name: user sections are named by applications in
/// `icp_sal_userStart`, which takes fewer than 128 bytes.
pub(crate) const MAX_SECTION_BYTES: usize = 127;

fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits `text` into sections. Problems go to `errors`; lexing continues
/// after each so that every problem of the file is reported.
pub(crate) fn lex(file: &str, text: &str, errors: &mut Vec<Diagnostic>) -> Vec<RawSection> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<RawSection> = Vec::new();
    // Index of the section entries go to; None before the first header or
    // after a broken header.
    let mut current: Option<usize> = None;
    let mut broken_header = false;
    for (idx, raw_line) in text.lines().enumerate() {
        let line = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let l = raw_line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(after_bracket) = l.strip_prefix('[') {
            let Some(close) = after_bracket.find(']') else {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "section header {} is not closed: write it as [NAME]",
                        shorten(l)
                    ),
                ));
                current = None;
                broken_header = true;
                continue;
            };
            let name = after_bracket[..close].trim();
            let rest = after_bracket[close + 1..].trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "text \"{}\" follows the section header: put comments after '#'",
                        shorten(rest)
                    ),
                ));
            }
            if name.is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    "the section header [] has no name: name it, e.g. [SSL]",
                ));
                current = None;
                broken_header = true;
                continue;
            }
            if name.len() > MAX_SECTION_BYTES {
                // Its entries are skipped without more messages: each
                // would repeat the name.
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "the section name is {} bytes long: use a name shorter than 128 bytes",
                        name.len()
                    ),
                ));
                current = None;
                broken_header = true;
                continue;
            }
            broken_header = false;
            if let Some(pos) = sections.iter().position(|s| s.name == name) {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "section [{name}] appears twice (first at line {}): merge the two into one",
                        sections[pos].line
                    ),
                ));
                current = Some(pos);
            } else {
                sections.push(RawSection {
                    name: name.to_string(),
                    line,
                    entries: Vec::new(),
                });
                current = Some(sections.len() - 1);
            }
            continue;
        }
        let Some(eq) = l.find('=') else {
            errors.push(Diagnostic::at(
                file,
                line,
                format!(
                    "cannot read \"{}\": expected [SECTION], Key = Value or a # comment",
                    shorten(l)
                ),
            ));
            continue;
        };
        let key = l[..eq].trim();
        if key.chars().count() > MAX_KEY_CHARS {
            errors.push(Diagnostic::at(
                file,
                line,
                format!(
                    "the key \"{}\" is {} characters long: no key is longer than {MAX_KEY_CHARS}; check the line",
                    shorten(key),
                    key.chars().count()
                ),
            ));
            continue;
        }
        if !valid_key(key) {
            let msg = if key.is_empty() {
                "the line has a value but no key: write Key = Value".to_string()
            } else {
                format!(
                    "\"{}\" is not a key name: keys are letters, digits and '_' (e.g. NumberCyInstances)",
                    shorten(key)
                )
            };
            errors.push(Diagnostic::at(file, line, msg));
            continue;
        }
        let value = match clean_value(&l[eq + 1..]) {
            Ok(v) => v,
            Err(msg) => {
                errors.push(Diagnostic::at(file, line, format!("{key}: {msg}")));
                continue;
            }
        };
        let Some(si) = current else {
            if !broken_header {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "{key} comes before any section header: put it under [GENERAL] or the section it belongs to"
                    ),
                ));
            }
            continue;
        };
        let section = &mut sections[si];
        if let Some(first) = section.entries.iter().find(|e| e.key == key) {
            errors.push(Diagnostic::at(
                file,
                line,
                format!(
                    "{key} appears twice in [{}] (first at line {}): keep one",
                    section.name, first.line
                ),
            ));
            continue;
        }
        section.entries.push(Entry {
            key: key.to_string(),
            value,
            line,
        });
    }
    sections
}

/// Cuts long text for messages.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_comments_and_quotes() {
        assert_eq!(clean_value(" 4 # There are 4").unwrap(), "4");
        assert_eq!(clean_value(" \"SSL0\"").unwrap(), "SSL0");
        assert_eq!(clean_value(" \u{201c}SSL0\u{201d} # x").unwrap(), "SSL0");
        assert_eq!(clean_value("\"a#b\"").unwrap(), "a#b");
        assert!(clean_value("\"open").is_err());
        assert!(clean_value("\"x\" y").is_err());
    }

    #[test]
    fn lexes_sections_and_reports_every_problem() {
        let mut errs = Vec::new();
        let s = lex(
            "t.conf",
            "Orphan = 1\n[SSL] #user\nA=1\nA=2\n???\n[SSL]\nB = \"x\"\n[BROKEN\nC=1\n",
            &mut errs,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].entries.len(), 2);
        let lines: Vec<Option<u32>> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(1), Some(4), Some(5), Some(6), Some(8)]);
    }
}

//! Diagnostics (errors and warnings with file:line) and the crate's error types.

use std::fmt;

/// One message about a configuration file, shown as `file:line: message`
/// (or `file: message` when it concerns the file as a whole).
///
/// The message says what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the caller named it (a path, a bare file name, or
    /// `<builtin>`).
    pub file: String,
    /// 1-based line number, when the message is about one line.
    pub line: Option<u32>,
    /// What is wrong and what to do.
    pub message: String,
}

/// A warning: the configuration is usable, but something was ignored or
/// defaulted.
pub type Warning = Diagnostic;

impl Diagnostic {
    pub(crate) fn at(file: &str, line: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    pub(crate) fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: None,
            message: message.into(),
        }
    }

    pub(crate) fn maybe_at(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

fn join_lines(list: &[Diagnostic]) -> String {
    list.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every error found in one or more configuration files, plus the warnings
/// seen on the way. `Display` prints one error per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", join_lines(.errors))]
pub struct ConfigErrors {
    /// The errors, in file and line order of discovery.
    pub errors: Vec<Diagnostic>,
    /// Warnings found as well (printed by `softqat config check`).
    pub warnings: Vec<Diagnostic>,
}

/// Errors of the single-answer APIs.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `icp_sal_userStart("")`.
    #[error("the section name is empty: pass the name of a section of the configuration files, e.g. \"SSL\"")]
    EmptySectionName,
    /// A section name of 128 bytes or more.
    #[error("the section name is {len} bytes long: use a name shorter than 128 bytes")]
    SectionNameTooLong {
        /// Length of the name given.
        len: usize,
    },
    /// No configuration file declares the requested user section.
    #[error("no configuration file declares a section [{requested}]: {}", unknown_section_hint(.available, .close))]
    UnknownSection {
        /// The name asked for.
        requested: String,
        /// The user sections the files declare, in order of first appearance.
        available: Vec<String>,
        /// A declared section equal to the requested name up to case.
        close: Option<String>,
    },
    /// Files that failed to parse or validate.
    #[error(transparent)]
    Invalid(#[from] ConfigErrors),
}

fn unknown_section_hint(available: &[String], close: &Option<String>) -> String {
    if let Some(c) = close {
        return format!("section names are case-sensitive: did you mean \"{c}\"?");
    }
    if available.is_empty() {
        "the files declare no user-process sections: add one, e.g. [SSL] with NumProcesses and NumberCyInstances".to_string()
    } else {
        format!(
            "use one of {}",
            available
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Levenshtein distance on ASCII-lowercased chars; `None` when either string
/// is too long to bother.
fn distance(a: &str, b: &str) -> Option<usize> {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    if a.len() > 64 || b.len() > 64 {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied()
}

/// The candidate closest to `key` (case-insensitive edit distance), when it
/// is close enough to be a likely typo.
pub(crate) fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).max(2);
    candidates
        .iter()
        .filter_map(|c| distance(key, c).map(|d| (d, *c)))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_and_case() {
        let keys = ["CyNumConcurrentSymRequests", "DcNumConcurrentRequests"];
        assert_eq!(
            closest("CyNumConcurentSymRequests", &keys),
            Some("CyNumConcurrentSymRequests")
        );
        assert_eq!(
            closest("dcnumconcurrentrequests", &keys),
            Some("DcNumConcurrentRequests")
        );
        assert_eq!(closest("Banana", &keys), None);
    }

    #[test]
    fn display_with_and_without_line() {
        assert_eq!(
            Diagnostic::at("a.conf", 3, "bad").to_string(),
            "a.conf:3: bad"
        );
        assert_eq!(Diagnostic::file("a.conf", "bad").to_string(), "a.conf: bad");
    }
}

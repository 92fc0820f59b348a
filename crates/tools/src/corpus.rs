//! Finding the compression corpora QAT's sample code uses (`calgary`,
//! `canterbury`, `calgary32`; the repository ships them in `corpus/`).
//!
//! A name is looked up in `$SOFTQAT_CORPUS_DIR` only, when it is set;
//! otherwise, in order:
//! 1. `corpus/` in the current directory and each of its parents (a checkout
//!    of the repository, from anywhere inside it);
//! 2. the `corpus/` of the source tree this binary was built from, if it
//!    still exists;
//! 3. [`INSTALL_DIR`], where an installed softqat keeps its corpus
//!    (`packaging/README-install.md`);
//! 4. [`QATLIB_DIR`], where qatlib's `make samples-install` puts the same files.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that, when set, is the only place looked in.
pub const ENV_VAR: &str = "SOFTQAT_CORPUS_DIR";

/// The documented install location of the corpus.
pub const INSTALL_DIR: &str = "/usr/share/softqat/corpus";

/// Where qatlib installs its sample code's corpus.
pub const QATLIB_DIR: &str = "/usr/share/qat";

/// The workspace this binary was built from (`crates/tools` → two levels up).
fn build_tree() -> Option<&'static Path> {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2)
}

/// Where a name is looked for.
#[derive(Debug, PartialEq, Eq)]
enum Places {
    /// `$SOFTQAT_CORPUS_DIR`, alone.
    Override(PathBuf),
    /// The default search: `corpus/` in `cwd` and its parents, then `dirs`.
    Default {
        cwd: Option<PathBuf>,
        dirs: Vec<PathBuf>,
    },
}

impl Places {
    /// The search for the environment value `env` (an empty value counts as
    /// unset), the current directory `cwd` and the build tree `tree`.
    fn new(env: Option<OsString>, cwd: Option<PathBuf>, tree: Option<&Path>) -> Places {
        if let Some(d) = env.filter(|d| !d.is_empty()) {
            return Places::Override(PathBuf::from(d));
        }
        let mut dirs = Vec::new();
        if let Some(t) = tree.map(|t| t.join("corpus")).filter(|d| d.is_dir()) {
            dirs.push(t);
        }
        dirs.push(PathBuf::from(INSTALL_DIR));
        dirs.push(PathBuf::from(QATLIB_DIR));
        Places::Default { cwd, dirs }
    }

    /// The process's search.
    fn current() -> Places {
        Places::new(
            std::env::var_os(ENV_VAR),
            std::env::current_dir().ok(),
            build_tree(),
        )
    }

    /// Every directory, in the order they are tried.
    fn dirs(&self) -> Vec<PathBuf> {
        match self {
            Places::Override(d) => vec![d.clone()],
            Places::Default { cwd, dirs } => {
                let mut all: Vec<PathBuf> = cwd
                    .iter()
                    .flat_map(|c| c.ancestors())
                    .map(|a| a.join("corpus"))
                    .collect();
                all.extend(dirs.iter().cloned());
                all
            }
        }
    }

    /// The first `dir/name` that is a file.
    fn find(&self, name: &str) -> Option<PathBuf> {
        self.dirs()
            .into_iter()
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    }

    /// The message for a name found nowhere: where it was looked for and the
    /// fix.
    fn not_found(&self, name: &str) -> String {
        match self {
            Places::Override(d) => format!(
                "corpus file {name:?} not found in {} (SOFTQAT_CORPUS_DIR; when it is set no \
                 other place is looked in): put the file there, unset SOFTQAT_CORPUS_DIR to \
                 use the default places, or pass a file path",
                d.display()
            ),
            Places::Default { cwd, dirs } => {
                let mut places = Vec::new();
                if let Some(c) = cwd {
                    places.push(format!("corpus/ in {} and its parents", c.display()));
                }
                places.extend(dirs.iter().map(|d| d.display().to_string()));
                format!(
                    "corpus file {name:?} not found in {}: set SOFTQAT_CORPUS_DIR to the \
                     directory holding it (the repository's corpus/), install the corpus to \
                     {INSTALL_DIR} (packaging/README-install.md), or pass a file path",
                    places.join(", ")
                )
            }
        }
    }
}

/// The path of corpus file `name` (see the module documentation for where it
/// is looked for).
pub fn find(name: &str) -> Result<PathBuf, String> {
    let places = Places::current();
    places.find(name).ok_or_else(|| places.not_found(name))
}

/// Reads a corpus file by name or path.
pub fn load(name_or_path: &str) -> Result<(PathBuf, Vec<u8>), String> {
    let p = PathBuf::from(name_or_path);
    let path = if p.is_file() { p } else { find(name_or_path)? };
    let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary directory, removed when dropped.
    struct Tmp(PathBuf);

    impl Tmp {
        fn new(tag: &str) -> Tmp {
            let p =
                std::env::temp_dir().join(format!("softqat-corpus-{}-{tag}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Tmp(p)
        }
    }

    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_build_tree_is_the_repository_with_its_corpus() {
        let tree = build_tree().unwrap();
        assert!(tree.join("Cargo.toml").is_file(), "{}", tree.display());
        for name in ["calgary", "canterbury", "calgary32"] {
            assert!(
                tree.join("corpus").join(name).is_file(),
                "{name} missing from {}/corpus",
                tree.display()
            );
        }
    }

    #[test]
    fn the_override_is_the_only_place() {
        let p = Places::new(
            Some("/somewhere/else".into()),
            Some("/tmp".into()),
            build_tree(),
        );
        assert_eq!(p.dirs(), [PathBuf::from("/somewhere/else")]);
        assert_eq!(p.find("calgary"), None);
        let m = p.not_found("calgary");
        assert!(
            m.contains("\"calgary\" not found in /somewhere/else") && m.contains(ENV_VAR),
            "{m}"
        );
    }

    #[test]
    fn the_default_order_is_cwd_and_parents_build_tree_install_qatlib() {
        let t = Tmp::new("order");
        let inner = t.0.join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        let tree = build_tree().unwrap();
        // An empty value counts as unset.
        let p = Places::new(Some("".into()), Some(inner.clone()), Some(tree));
        let dirs = p.dirs();
        let n = inner.ancestors().count();
        assert_eq!(dirs.len(), n + 3, "{dirs:?}");
        assert_eq!(dirs[0], inner.join("corpus"));
        assert_eq!(dirs[1], t.0.join("a/corpus"));
        assert_eq!(dirs[n - 1], PathBuf::from("/corpus"));
        assert_eq!(
            dirs[n..],
            [
                tree.join("corpus"),
                PathBuf::from(INSTALL_DIR),
                PathBuf::from(QATLIB_DIR)
            ]
        );
        // A build tree that no longer exists is left out.
        let gone = Places::new(None, None, Some(&t.0.join("gone")));
        assert_eq!(
            gone.dirs(),
            [PathBuf::from(INSTALL_DIR), PathBuf::from(QATLIB_DIR)]
        );
        let m = gone.not_found("calgary");
        assert!(
            m.contains(INSTALL_DIR) && m.contains(QATLIB_DIR) && m.contains(ENV_VAR),
            "{m}"
        );
    }

    #[test]
    fn a_corpus_in_a_parent_of_the_cwd_comes_before_the_build_tree() {
        let t = Tmp::new("parent");
        std::fs::create_dir_all(t.0.join("corpus")).unwrap();
        std::fs::create_dir_all(t.0.join("x/y")).unwrap();
        std::fs::write(t.0.join("corpus/calgary32"), b"mine").unwrap();
        let p = Places::new(None, Some(t.0.join("x/y")), build_tree());
        assert_eq!(p.find("calgary32"), Some(t.0.join("corpus/calgary32")));
        // What the parent lacks comes from the build tree.
        assert_eq!(
            p.find("canterbury"),
            Some(build_tree().unwrap().join("corpus/canterbury"))
        );
        let m = p.not_found("nothing");
        assert!(
            m.contains(&format!(
                "corpus/ in {} and its parents",
                t.0.join("x/y").display()
            )),
            "{m}"
        );
    }
}

//! Finding the compression corpora QAT's sample code uses.

use std::path::PathBuf;

/// Where a corpus file is looked for: in `$SOFTQAT_CORPUS_DIR` only, when it
/// is set; otherwise in `shared/corpus` in the current directory and its
/// parents (the repository layout), then in `/usr/share/qat` (where qatlib
/// installs its corpus).
pub fn find(name: &str) -> Result<PathBuf, String> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("SOFTQAT_CORPUS_DIR") {
        dirs.push(PathBuf::from(d));
    } else {
        if let Ok(mut cwd) = std::env::current_dir() {
            loop {
                dirs.push(cwd.join("shared/corpus"));
                dirs.push(cwd.join("../shared/corpus"));
                if !cwd.pop() {
                    break;
                }
            }
        }
        dirs.push(PathBuf::from("/usr/share/qat"));
    }
    for d in &dirs {
        let p = d.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(format!(
        "corpus file {name:?} not found: set SOFTQAT_CORPUS_DIR to the directory holding it \
         (the repository's ../shared/corpus), or pass a file"
    ))
}

/// Reads a corpus file by name or path.
pub fn load(name_or_path: &str) -> Result<(PathBuf, Vec<u8>), String> {
    let p = PathBuf::from(name_or_path);
    let path = if p.is_file() { p } else { find(name_or_path)? };
    let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path, data))
}

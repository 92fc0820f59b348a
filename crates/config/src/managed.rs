//! The managed-mode file `/etc/sysconfig/qat` (`KEY=VALUE` lines, `#`
//! comments): `POLICY` and `ServicesEnabled`, as qatlib's `qat.service`
//! reads them.

use std::path::Path;

use crate::class::Generation;
use crate::diag::{closest, ConfigErrors, Diagnostic, Warning};
use crate::ini::shorten;
use crate::services::{ServiceSet, Vocabulary};

/// The managed-mode settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ManagedConfig {
    /// `POLICY`: 0 gives each process one VF from every PF; N ≥ 1 gives each
    /// process N VFs. Default 0.
    pub policy: u32,
    /// `ServicesEnabled` for every PF; `None` (unset or empty) means the
    /// kernel default: even PFs `sym;asym`, odd PFs `dc`.
    pub services: Option<ServiceSet>,
    /// `ServicesEnabled` as written.
    pub services_spelling: Option<String>,
    /// The file it was read from, if any.
    pub file: Option<String>,
}

const KEYS: &[&str] = &["POLICY", "ServicesEnabled"];

impl ManagedConfig {
    /// Reads `/etc/sysconfig/qat`-style text from a file.
    pub fn parse_file(
        path: impl AsRef<Path>,
    ) -> Result<(ManagedConfig, Vec<Warning>), ConfigErrors> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let bytes = crate::text::read(&shown, path)?;
        Self::parse_bytes(&shown, &bytes)
    }

    /// Reads `/etc/sysconfig/qat`-style bytes (shown as `file`): a line
    /// that is not UTF-8 outside its comment is an error at its line; the
    /// rest of the file is still checked.
    pub fn parse_bytes(
        file: &str,
        bytes: &[u8],
    ) -> Result<(ManagedConfig, Vec<Warning>), ConfigErrors> {
        let (text, text_errors) = crate::text::decode(file, bytes, crate::text::Syntax::Managed);
        crate::endpoint::merge(text_errors, Self::parse_str(file, &text))
    }

    /// Reads `/etc/sysconfig/qat`-style text. `ServicesEnabled` must be valid
    /// for gen4 devices (the generation managed mode serves): known tokens,
    /// at most three, no repeats, no `decomp`, `dcc` alone, at most two
    /// services.
    pub fn parse_str(
        file: &str,
        text: &str,
    ) -> Result<(ManagedConfig, Vec<Warning>), ConfigErrors> {
        let mut cfg = ManagedConfig {
            file: Some(file.to_string()),
            ..ManagedConfig::default()
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut seen: Vec<(String, u32)> = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (idx, raw) in text.lines().enumerate() {
            let line = u32::try_from(idx + 1).unwrap_or(u32::MAX);
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
                continue;
            }
            let Some(eq) = l.find('=') else {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "cannot read \"{}\": expected KEY=VALUE or a # comment",
                        shorten(l)
                    ),
                ));
                continue;
            };
            let key = l[..eq].trim();
            let mut value = l[eq + 1..].trim();
            // Quoted values keep everything inside; unquoted ones end at '#'.
            let quoted = [('"', '"'), ('\'', '\'')].iter().find_map(|(o, c)| {
                value
                    .strip_prefix(*o)
                    .and_then(|v| v.find(*c).map(|end| (v, end)))
            });
            if let Some((v, end)) = quoted {
                value = &v[..end];
            } else if let Some(i) = value.find('#') {
                value = value[..i].trim();
            }
            if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    format!(
                        "{} appears twice (first at line {first}): keep one",
                        shorten(key)
                    ),
                ));
                continue;
            }
            seen.push((key.to_string(), line));
            match key {
                "POLICY" => match value.parse::<u32>() {
                    Ok(v) if value.bytes().all(|b| b.is_ascii_digit()) => cfg.policy = v,
                    _ => errors.push(Diagnostic::at(
                        file,
                        line,
                        format!(
                            "POLICY={} is not allowed: use 0 (each process gets one VF from every PF) or a number N of 1 or more (each process gets N VFs)",
                            shorten(value)
                        ),
                    )),
                },
                "ServicesEnabled" => {
                    if value.is_empty() {
                        continue;
                    }
                    match ServiceSet::parse(value, Vocabulary::InTree)
                        .and_then(|s| s.check_generation(Generation::Gen4, "4xxx").map(|()| s))
                    {
                        Ok(s) => {
                            cfg.services = Some(s);
                            cfg.services_spelling = Some(value.to_string());
                        }
                        Err(reason) => errors.push(Diagnostic::at(
                            file,
                            line,
                            format!("ServicesEnabled={} is not allowed: {reason}", shorten(value)),
                        )),
                    }
                }
                _ => {
                    let hint = match closest(key, KEYS) {
                        Some(k) => format!("did you mean {k}?"),
                        None => "this file sets only POLICY and ServicesEnabled".to_string(),
                    };
                    warnings.push(Diagnostic::at(
                        file,
                        line,
                        format!("unknown key {} is ignored: {hint}", shorten(key)),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok((cfg, warnings))
        } else {
            Err(ConfigErrors { errors, warnings })
        }
    }
}

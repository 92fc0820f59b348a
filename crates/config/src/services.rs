//! Service sets (`ServicesEnabled`) in both vocabularies, and the gen4 and
//! gen6 ring-to-service patterns.

use std::fmt;

use crate::class::Generation;
use crate::ini::shorten;

/// The service a ring pair (and so a bank on gen4) carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RingService {
    /// Symmetric crypto.
    Sym,
    /// Asymmetric crypto.
    Asym,
    /// Compression (and decompression).
    Dc,
}

impl RingService {
    /// `sym`, `asym` or `dc`, as `rp2srv` prints them.
    pub fn as_str(self) -> &'static str {
        match self {
            RingService::Sym => "sym",
            RingService::Asym => "asym",
            RingService::Dc => "dc",
        }
    }
}

/// Which vocabulary a `ServicesEnabled` value is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// Per-endpoint files: the out-of-tree names `cy` (= sym + asym), `dc`,
    /// `sym`, `asym`, and also the in-tree names `dcc` and `decomp`.
    EndpointFile,
    /// `/etc/sysconfig/qat` and `cfg_services`: `sym`, `asym`, `dc`,
    /// `decomp`, `dcc` only, at most three of them.
    InTree,
}

/// A set of enabled services.
///
/// `Display` prints the kernel's normalised read-back order
/// `asym;sym;dc;decomp;dcc` (writing `sym;asym` reads back as `asym;sym`,
/// `cy;dc` as `asym;sym;dc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ServiceSet(u8);

const ASYM: u8 = 1;
const SYM: u8 = 2;
const DC: u8 = 4;
const DECOMP: u8 = 8;
const DCC: u8 = 16;

impl ServiceSet {
    /// No service.
    pub const EMPTY: ServiceSet = ServiceSet(0);
    /// Asymmetric crypto.
    pub const ASYM: ServiceSet = ServiceSet(ASYM);
    /// Symmetric crypto.
    pub const SYM: ServiceSet = ServiceSet(SYM);
    /// Symmetric and asymmetric crypto (`cy`, `sym;asym`).
    pub const CY: ServiceSet = ServiceSet(SYM | ASYM);
    /// Compression.
    pub const DC: ServiceSet = ServiceSet(DC);
    /// Decompression only (gen6; not on gen2 or gen4).
    pub const DECOMP: ServiceSet = ServiceSet(DECOMP);
    /// Compression with hash-then-compress chaining (gen4, alone).
    pub const DCC: ServiceSet = ServiceSet(DCC);

    /// Union of two sets.
    pub const fn union(self, other: ServiceSet) -> ServiceSet {
        ServiceSet(self.0 | other.0)
    }

    /// Whether every service of `other` is in `self`.
    pub fn contains(self, other: ServiceSet) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Symmetric crypto enabled.
    pub fn has_sym(self) -> bool {
        self.0 & SYM != 0
    }

    /// Asymmetric crypto enabled.
    pub fn has_asym(self) -> bool {
        self.0 & ASYM != 0
    }

    /// Any crypto (Cy instances possible).
    pub fn has_crypto(self) -> bool {
        self.0 & (SYM | ASYM) != 0
    }

    /// Compression enabled (`dc`, `dcc` or `decomp`: Dc instances possible).
    pub fn has_dc(self) -> bool {
        self.0 & (DC | DCC | DECOMP) != 0
    }

    /// Number of services in the set (`cy` counts as two).
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Reads a `ServicesEnabled` value. On failure returns the reason and
    /// the fix, to be shown after `ServicesEnabled = <value> is not allowed: `.
    pub fn parse(value: &str, vocabulary: Vocabulary) -> Result<ServiceSet, String> {
        let example = match vocabulary {
            Vocabulary::EndpointFile => "e.g. cy;dc",
            Vocabulary::InTree => "e.g. sym;asym",
        };
        let names = match vocabulary {
            Vocabulary::EndpointFile => "cy, dc, sym, asym (or the in-tree dcc and decomp)",
            Vocabulary::InTree => "sym, asym, dc, dcc, decomp",
        };
        if value.trim().is_empty() {
            return Err(format!(
                "no service named: list services from {names} separated by ';' ({example})"
            ));
        }
        let tokens: Vec<&str> = value.split(';').map(str::trim).collect();
        if vocabulary == Vocabulary::InTree && tokens.len() > 3 {
            return Err(format!(
                "it names {} services and at most 3 may be combined: remove {}",
                tokens.len(),
                tokens.len() - 3
            ));
        }
        let mut set = ServiceSet::EMPTY;
        for token in tokens {
            let add = match token {
                "sym" => ServiceSet::SYM,
                "asym" => ServiceSet::ASYM,
                "dc" => ServiceSet::DC,
                "dcc" => ServiceSet::DCC,
                "decomp" => ServiceSet::DECOMP,
                "cy" if vocabulary == Vocabulary::EndpointFile => ServiceSet::CY,
                "cy" => {
                    return Err(
                        "\"cy\" is the out-of-tree spelling: write sym;asym".to_string()
                    )
                }
                "" => {
                    return Err(format!(
                        "it has an empty entry (a stray ';'): separate services by a single ';' ({example})"
                    ))
                }
                other => {
                    let lower = other.to_ascii_lowercase();
                    let hint = if lower != other {
                        format!(" (service names are lower case: {})", shorten(&lower))
                    } else {
                        String::new()
                    };
                    return Err(format!(
                        "unknown service \"{}\"{hint}: use {names} separated by ';' ({example})",
                        shorten(other)
                    ));
                }
            };
            if set.0 & add.0 != 0 {
                return Err(format!(
                    "\"{token}\" repeats a service already listed: name each service once"
                ));
            }
            set = set.union(add);
        }
        Ok(set)
    }

    /// Whether a device of this generation can run this set; on failure the
    /// reason and fix. `class_name` is used in the message.
    pub fn check_generation(self, generation: Generation, class_name: &str) -> Result<(), String> {
        match generation {
            Generation::Gen2 => {
                for (bit, name) in [(DCC, "dcc"), (DECOMP, "decomp")] {
                    if self.0 & bit != 0 {
                        return Err(format!(
                            "{name} is an in-tree service of gen4 and later devices, and {class_name} is gen2: use dc"
                        ));
                    }
                }
                Ok(())
            }
            Generation::Gen4 => {
                if self.0 & DECOMP != 0 {
                    return Err(format!(
                        "decomp is not available on gen4 devices such as {class_name}: use dc"
                    ));
                }
                if self.0 & DCC != 0 && self.len() > 1 {
                    return Err(
                        "dcc cannot be combined with other services on gen4: use dcc alone, or drop it"
                            .to_string(),
                    );
                }
                if self.len() > 2 {
                    return Err(format!(
                        "gen4 devices such as {class_name} run at most two services at once (cy counts as sym and asym): use one of sym;asym, asym;dc, sym;dc"
                    ));
                }
                Ok(())
            }
            // The kernel's qat_6xxx `services_supported`: one service, or
            // two or three of them without dcc. `decomp` (decompression-only
            // rings) is a gen6 service softqat does not offer yet.
            Generation::Gen6 => {
                if self.0 & DECOMP != 0 {
                    return Err(format!(
                        "decomp (decompression-only instances) is a gen6 service softqat's {class_name} endpoints do not offer yet: use dc, whose instances compress and decompress"
                    ));
                }
                if self.0 & DCC != 0 && self.len() > 1 {
                    return Err(
                        "dcc cannot be combined with other services on gen6: use dcc alone, or drop it"
                            .to_string(),
                    );
                }
                if self.len() > 3 {
                    return Err(format!(
                        "gen6 devices such as {class_name} run at most three services at once (cy counts as sym and asym): drop {}",
                        self.len() - 3
                    ));
                }
                Ok(())
            }
        }
    }

    /// The ring-to-service pattern (bank % 4 → service) of a generation
    /// with ring-pair banks (gen4, gen6) for this set, or `None` when the
    /// generation cannot run it (and on gen2, whose banks are shared).
    pub fn ring_pattern(self, generation: Generation) -> Option<[RingService; 4]> {
        match generation {
            Generation::Gen2 => None,
            Generation::Gen4 => self.gen4_pattern(),
            Generation::Gen6 => self.gen6_pattern(),
        }
    }

    /// The kernel's qat_6xxx `get_ring_to_svc_map`: services taken in the
    /// order asym, sym, dc, dcc; one service has all four ring pairs, two
    /// services split them 0 and 2 / 1 and 3 (so `asym;dc` is asym, dc,
    /// asym, dc — gen4 puts dc first), three services take ring pairs 0, 1
    /// and 2, and asym also takes ring pair 3.
    fn gen6_pattern(self) -> Option<[RingService; 4]> {
        use RingService::{Asym, Dc, Sym};
        self.check_generation(Generation::Gen6, "").ok()?;
        let mut order: Vec<RingService> = Vec::with_capacity(3);
        for (bit, ring) in [(ASYM, Asym), (SYM, Sym), (DC, Dc), (DCC, Dc)] {
            if self.0 & bit != 0 {
                order.push(ring);
            }
        }
        Some(match order.as_slice() {
            [one] => [*one; 4],
            [a, b] => [*a, *b, *a, *b],
            // Without asym ring pair 3 would be unused (only reachable with
            // decomp, which softqat refuses).
            [Asym, b, c] => [Asym, *b, *c, Asym],
            _ => return None,
        })
    }

    /// The gen4 ring-to-service pattern (bank % 4 → service) for this set,
    /// or `None` when gen4 cannot run it.
    fn gen4_pattern(self) -> Option<[RingService; 4]> {
        use RingService::{Asym, Dc, Sym};
        Some(match self.0 {
            x if x == SYM | ASYM => [Asym, Sym, Asym, Sym],
            x if x == ASYM | DC => [Dc, Asym, Dc, Asym],
            x if x == SYM | DC => [Dc, Sym, Dc, Sym],
            SYM => [Sym; 4],
            ASYM => [Asym; 4],
            DC | DCC => [Dc; 4],
            _ => return None,
        })
    }

    /// Out-of-tree spelling (`cy;dc`, `cy`, `dc;sym`, `dc;asym`…), as the
    /// Guide's Table 15 writes them.
    pub fn out_of_tree_spelling(self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.has_sym() && self.has_asym() {
            parts.push("cy");
            if self.0 & DC != 0 {
                parts.push("dc");
            }
        } else {
            if self.0 & DC != 0 {
                parts.push("dc");
            }
            if self.has_sym() {
                parts.push("sym");
            }
            if self.has_asym() {
                parts.push("asym");
            }
        }
        if self.0 & DECOMP != 0 {
            parts.push("decomp");
        }
        if self.0 & DCC != 0 {
            parts.push("dcc");
        }
        parts.join(";")
    }

    /// The spelling used in messages for a generation: out-of-tree names on
    /// gen2, the kernel's read-back order on gen4 and gen6.
    pub(crate) fn spelling_for(self, generation: Generation) -> String {
        match generation {
            Generation::Gen2 => self.out_of_tree_spelling(),
            Generation::Gen4 | Generation::Gen6 => self.to_string(),
        }
    }

    /// The VF service sets a PF running `self` allows (Guide Table 15: the
    /// PF's set or a non-empty subset of it), valid for the generation, the
    /// PF's own set first.
    pub fn vf_choices(self, generation: Generation) -> Vec<ServiceSet> {
        let candidates = [
            ServiceSet(SYM | ASYM | DC),
            ServiceSet(SYM | ASYM),
            ServiceSet(DC),
            ServiceSet(SYM),
            ServiceSet(ASYM),
            ServiceSet(DC | SYM),
            ServiceSet(DC | ASYM),
            ServiceSet(DCC),
            ServiceSet(DECOMP),
        ];
        let mut out = vec![self];
        for c in candidates {
            if c != self && self.contains(c) && c.check_generation(generation, "").is_ok() {
                out.push(c);
            }
        }
        out
    }
}

impl fmt::Display for ServiceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (bit, name) in [
            (ASYM, "asym"),
            (SYM, "sym"),
            (DC, "dc"),
            (DECOMP, "decomp"),
            (DCC, "dcc"),
        ] {
            if self.0 & bit != 0 {
                if !first {
                    f.write_str(";")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_vocabularies_normalise() {
        let e = Vocabulary::EndpointFile;
        assert_eq!(
            ServiceSet::parse("cy;dc", e).unwrap().to_string(),
            "asym;sym;dc"
        );
        assert_eq!(ServiceSet::parse("sym;asym", e).unwrap(), ServiceSet::CY);
        assert_eq!(
            ServiceSet::parse("dc;asym", e).unwrap().to_string(),
            "asym;dc"
        );
        assert_eq!(
            ServiceSet::parse(" dc ; sym ", e).unwrap().to_string(),
            "sym;dc"
        );
        assert!(ServiceSet::parse("cy;sym", e).is_err());
        assert!(ServiceSet::parse("cy", Vocabulary::InTree).is_err());
        assert!(ServiceSet::parse("CY", e)
            .unwrap_err()
            .contains("lower case"));
    }

    #[test]
    fn gen6_patterns_follow_the_qat_6xxx_driver() {
        use RingService::{Asym, Dc, Sym};
        let g6 = |v: &str| {
            ServiceSet::parse(v, Vocabulary::InTree)
                .unwrap()
                .ring_pattern(Generation::Gen6)
        };
        assert_eq!(g6("dc"), Some([Dc; 4]));
        assert_eq!(g6("sym;asym"), Some([Asym, Sym, Asym, Sym]));
        assert_eq!(g6("asym;dc"), Some([Asym, Dc, Asym, Dc]));
        assert_eq!(g6("dc;sym"), Some([Sym, Dc, Sym, Dc]));
        assert_eq!(g6("sym;asym;dc"), Some([Asym, Sym, Dc, Asym]));
        assert_eq!(g6("dcc"), Some([Dc; 4]));
        // gen4 keeps its own order for asym;dc, and refuses three services.
        let set = ServiceSet::parse("asym;dc", Vocabulary::InTree).unwrap();
        assert_eq!(
            set.ring_pattern(Generation::Gen4),
            Some([Dc, Asym, Dc, Asym])
        );
        let three = ServiceSet::parse("sym;asym;dc", Vocabulary::InTree).unwrap();
        assert_eq!(three.ring_pattern(Generation::Gen4), None);
        assert!(three.check_generation(Generation::Gen6, "6xxx").is_ok());
        let err = ServiceSet::DECOMP
            .check_generation(Generation::Gen6, "6xxx")
            .unwrap_err();
        assert!(err.contains("use dc"), "{err}");
        assert!(ServiceSet::DCC
            .union(ServiceSet::SYM)
            .check_generation(Generation::Gen6, "6xxx")
            .is_err());
    }

    #[test]
    fn out_of_tree_spelling_matches_table_15() {
        assert_eq!(
            ServiceSet::CY.union(ServiceSet::DC).out_of_tree_spelling(),
            "cy;dc"
        );
        assert_eq!(
            ServiceSet::DC
                .union(ServiceSet::ASYM)
                .out_of_tree_spelling(),
            "dc;asym"
        );
        let choices: Vec<String> = ServiceSet::CY
            .union(ServiceSet::DC)
            .vf_choices(Generation::Gen2)
            .iter()
            .map(|s| s.out_of_tree_spelling())
            .collect();
        assert_eq!(
            choices,
            ["cy;dc", "cy", "dc", "sym", "asym", "dc;sym", "dc;asym"]
        );
    }
}

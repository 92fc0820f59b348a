//! Which compiled variant of a hot loop runs, chosen at run time: the
//! portable one (any CPU the crate builds for), or the same source compiled
//! for AVX2 with BMI1/BMI2 and LZCNT (x86-64 CPUs since 2013–2015), where
//! variable shifts take one instruction on any register (`shlx`, `shrx`)
//! and fixed-size byte compares become 32-byte vector compares.
//!
//! Both variants compute the same thing from the same source; the tests run
//! both and compare their outputs byte for byte.

/// A variant of the hot loops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernels {
    /// Compiled for the build's baseline instruction set.
    Portable,
    /// Compiled with AVX2, BMI1, BMI2 and LZCNT enabled.
    Avx2,
}

impl Kernels {
    /// The fastest variant this CPU runs (found once per process).
    pub fn detect() -> Kernels {
        static DETECTED: std::sync::OnceLock<Kernels> = std::sync::OnceLock::new();
        *DETECTED.get_or_init(|| {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("bmi1")
                && std::arch::is_x86_feature_detected!("bmi2")
                && std::arch::is_x86_feature_detected!("lzcnt")
            {
                return Kernels::Avx2;
            }
            Kernels::Portable
        })
    }

    /// Whether this CPU runs the variant (the dispatchers check it before
    /// calling a variant compiled for features the CPU may lack, so that a
    /// caller asking for [`Kernels::Avx2`] on an older CPU gets the portable
    /// loops rather than an illegal instruction).
    #[inline]
    pub fn runs_here(self) -> bool {
        self == Kernels::Portable || Kernels::detect() == Kernels::Avx2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detected_variant_runs_here_and_the_portable_one_always() {
        assert!(Kernels::detect().runs_here());
        assert!(Kernels::Portable.runs_here());
    }
}

//! The CPA vocabulary: every status code and enum applications see, with
//! Intel's numeric values and C names, declared once for all layers.
//!
//! The values are those of intel/qatlib 26.08 (`quickassist/include/cpa.h` and
//! `quickassist/include/dc/cpa_dc.h`, `quickassist/include/lac/cpa_cy_sym.h`). Every layer of softqat — the engine's
//! request statuses, the device's descriptors and protocol, the SAL's API, the
//! daemon and the tools — uses these types, so a value means the same thing
//! wherever it is written, and a C caller's integer converts in one place.
//!
//! Each enum is declared once with `cpa_enum!`, which gives it:
//! - explicit CPA values and a `#[repr]` of the integer type it travels in;
//! - `ALL`, every value in declaration order;
//! - `value()` and the checked `from_value()` (also `TryFrom<int>` and
//!   `From<enum> for int`);
//! - `name()`, the C name (`"CPA_DC_DEFLATE"`), and `C_TYPE`, the C type name;
//! - `Display` as `CPA_DC_DEFLATE (3)`.
//!
//! The integer type of an enum is the one its values travel in inside softqat:
//! `i32` for `CpaStatus` (a `Cpa32S` in C), `i8` for `CpaDcReqStatus` and `u8`
//! for the session and request enums (descriptor and protocol bytes), `u32` for
//! `CpaAccelerationServiceType`. A C caller's `int` narrows with `try_from`
//! before `from_value`; an out-of-range integer is no value either way.
//!
//! Layout:
//! - [`base`]: `cpa.h` — [`CpaStatus`], [`InstanceEvent`], [`ServiceType`].
//! - [`dc`]: `cpa_dc.h` — [`DcStatus`] and the session and request enums.
//! - [`sym`]: `cpa_cy_sym.h` — the symmetric service's session and request
//!   enums (kept in their module: their names, like `HashAlgorithm`, are
//!   the engine's too).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;

/// Declares one CPA enum: its C type name, integer type, and per variant the
/// Rust name, the CPA value and the C name, with the doc comments given.
macro_rules! cpa_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $int:ident = $ctype:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:literal => $cname:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr($int)]
        $vis enum $name {
            $(
                #[doc = concat!("`", $cname, "` (", stringify!($value), ").")]
                #[doc = ""]
                $(#[$vmeta])*
                $variant = $value,
            )+
        }

        impl $name {
            /// The C type's name.
            pub const C_TYPE: &'static str = $ctype;

            /// Every value, in the order the C header declares them.
            pub const ALL: [$name; [$($cname),+].len()] = [$($name::$variant),+];

            /// The CPA numeric value.
            pub const fn value(self) -> $int {
                self as $int
            }

            /// The value numbered `v`, if the C type defines one.
            pub const fn from_value(v: $int) -> ::core::option::Option<$name> {
                match v {
                    $($value => ::core::option::Option::Some($name::$variant),)+
                    _ => ::core::option::Option::None,
                }
            }

            /// The C name, e.g. `CPA_DC_DEFLATE`.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $cname,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            /// The C name and the value: `CPA_DC_DEFLATE (3)`.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{} ({})", self.name(), self.value())
            }
        }

        impl ::core::convert::TryFrom<$int> for $name {
            type Error = $crate::UnknownValue;

            fn try_from(v: $int) -> ::core::result::Result<$name, $crate::UnknownValue> {
                $name::from_value(v).ok_or($crate::UnknownValue {
                    c_type: $ctype,
                    value: i64::from(v),
                })
            }
        }

        impl ::core::convert::From<$name> for $int {
            fn from(v: $name) -> $int {
                v.value()
            }
        }
    };
}

pub mod base;
pub mod dc;
pub mod sym;

pub use base::{CpaStatus, InstanceEvent, ServiceType};
pub use dc::{
    AsbRatio, AsbThreshold, AutoSelectBest, ChecksumType, CompType, DcStatus, FlushFlag, HuffType,
    IntegrityCrcSize, Lz4BlockMaxSize, MinMatch, SessionDirection, SessionState, WindowSize,
};

/// An integer that is not a value of the CPA enum it was converted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The C type, e.g. `CpaDcCompType`.
    pub c_type: &'static str,
    /// The integer given.
    pub value: i64,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a {} value", self.value, self.c_type)
    }
}

impl std::error::Error for UnknownValue {}

#[cfg(test)]
mod tests;

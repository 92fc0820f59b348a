//! The C structures of qatlib 26.08's public headers, field for field
//! (`#[repr(C)]`, the same order and types, so the same sizes and offsets:
//! `tests/layout.rs` compares them with the C compiler's view of
//! `include/qat/` and with the figures measured from Intel's headers).
//!
//! One module per header family; field names are the C names in
//! snake_case, and each struct's doc names its C type.

pub mod asym;
pub mod base;
pub mod dc;
pub mod key;
pub mod sym;

pub use base::*;

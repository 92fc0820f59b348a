//! softqat's C ABI: `libqat.so.4`, a drop-in for qatlib 26.08's library.
//!
//! A C program compiled against qatlib's headers (or softqat's own, in
//! `include/qat/`, with the same layouts and values) runs unchanged when
//! this library is found first: `icp_sal_userStart`, the instance calls, the
//! compression, symmetric and asymmetric crypto APIs, polling, epoll, the
//! data-plane APIs and the `qae*` memory functions, in embedded mode and
//! attached to `softqatd`. Every function qatlib exports is exported; what
//! softqat does not implement returns `CPA_STATUS_UNSUPPORTED`.
//!
//! Every entry point is a thin translation onto the Rust SAL: check the C
//! arguments (a NULL pointer, a wrong size, an unknown enum value or a
//! handle of the wrong type is `CPA_STATUS_INVALID_PARAM`, never a crash),
//! convert, call, convert back. Requests on the C program's buffers take the
//! SAL's foreign request paths: descriptors name the caller's memory and
//! completions write the caller's result structures, with nothing copied
//! and nothing allocated per request.
//!
//! Layout: [`abi`] (the C structures, field for field), [`ffi`] (entry
//! points: panics, errors, pointers), [`usdm`] (`qae*`), [`runtime`]
//! (`icp_sal_userStart`/`Stop`, instance handles, instance discovery),
//! [`dc`], [`dc_caps`] and [`dc_dp`] (compression), [`cy`] (what crypto
//! instances share), [`sym`] and [`sym_dp`] (symmetric crypto), [`asym`]
//! (public-key crypto and key generation), [`poll`] (polling and epoll),
//! [`device`] (devices, versions, reset, error simulation),
//! [`unsupported`] (the rest of qatlib's exports).
//!
//! # Unsafe
//! This crate is the C boundary: it dereferences the pointers C programs
//! pass. Each entry point states what it reads and writes; the rules are
//! those of the CPA API (pointers valid for the call; buffers, results and
//! op data of an asynchronous request valid until its callback has run).
//! The shared invariants are in [`ffi`].

pub mod abi;
pub mod asym;
pub mod cy;
pub mod dc;
pub mod dc_caps;
pub mod dc_chain;
pub mod dc_dict;
pub mod dc_dp;
pub mod dc_ns;
pub mod device;
pub mod ffi;
pub mod poll;
pub mod runtime;
pub mod sym;
pub mod sym_dp;
pub mod unsupported;
pub mod usdm;

//! Gives the shared library the SONAME of qatlib's libusdm.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libusdm.so.0");
    println!("cargo:rerun-if-changed=build.rs");
}

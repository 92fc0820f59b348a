//! Gives the shared library the SONAME of qatlib's libqat: programs linked
//! against Intel's libqat.so.4 load this one when it is first on the path.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libqat.so.4");
    println!("cargo:rerun-if-changed=build.rs");
}

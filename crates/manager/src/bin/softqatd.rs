//! `softqatd`: the managed-mode daemon. See `softqatd --help`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    softqat_manager::main_with_args(std::env::args().collect())
}

//! Each public-key function's numbers handed to its engine primitive, in
//! the order [`AsymFunction::signature`] lists them.

use super::{FirmwareError, Numbers, Outcome};
use crate::desc::AsymFunction;

/// Runs function `f` on the request's numbers.
pub(super) fn run(f: AsymFunction, n: &mut Numbers<'_, '_>) -> Outcome {
    let _ = (f, n);
    Err(FirmwareError::Unsupported)
}

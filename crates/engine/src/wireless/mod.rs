//! 3GPP wireless algorithms: KASUMI, SNOW 3G, ZUC — confidentiality
//! (F8/UEA2/EEA3) and integrity (F9/UIA2/EIA3), bit-exact to the ETSI/SAGE
//! specifications.

pub mod kasumi;
pub mod snow3g;
pub mod zuc;

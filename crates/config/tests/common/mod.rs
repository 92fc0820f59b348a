//! Helpers shared by the integration tests: build endpoint file texts.
#![allow(dead_code)]

use std::fmt::Write as _;

use softqat_config::{parse_endpoint_str, ConfigErrors, EndpointConfig, Warning};

/// `[GENERAL]` with ServicesEnabled, then `body`.
pub fn conf(services: &str, body: &str) -> String {
    format!("[GENERAL]\nServicesEnabled = {services}\nConfigVersion = 2\n\n{body}")
}

/// A user section with `procs` processes, `cy` Cy and `dc` Dc instances,
/// every instance with IsPolled = `polled`.
pub fn user_section(name: &str, procs: u32, cy: u32, dc: u32, polled: u32) -> String {
    let mut s = format!(
        "[{name}]\nNumProcesses = {procs}\nLimitDevAccess = 0\nNumberCyInstances = {cy}\nNumberDcInstances = {dc}\n"
    );
    for k in 0..cy {
        writeln!(
            s,
            "Cy{k}Name = \"{name}{k}\"\nCy{k}IsPolled = {polled}\nCy{k}CoreAffinity = 0"
        )
        .unwrap();
    }
    for k in 0..dc {
        writeln!(
            s,
            "Dc{k}Name = \"{name}Dc{k}\"\nDc{k}IsPolled = {polled}\nDc{k}CoreAffinity = 0"
        )
        .unwrap();
    }
    s
}

pub fn parse(file: &str, text: &str) -> Result<(EndpointConfig, Vec<Warning>), ConfigErrors> {
    parse_endpoint_str(file, text)
}

/// The error lines of a failed parse.
pub fn errors(file: &str, text: &str) -> Vec<String> {
    match parse_endpoint_str(file, text) {
        Ok(_) => panic!("{file} was accepted:\n{text}"),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

/// The warning lines of a successful parse.
pub fn warnings(file: &str, text: &str) -> Vec<String> {
    match parse_endpoint_str(file, text) {
        Ok((_, w)) => w.iter().map(ToString::to_string).collect(),
        Err(e) => panic!("{file} was rejected:\n{e}"),
    }
}

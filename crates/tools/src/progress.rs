//! A progress bar on stderr: redrawn in place on a terminal, one line per
//! step otherwise (logs, CI).

use std::io::{IsTerminal, Write};

/// Progress over a known number of steps.
pub struct Progress {
    total: usize,
    done: usize,
    tty: bool,
}

const WIDTH: usize = 30;

impl Progress {
    /// A bar of `total` steps.
    pub fn new(total: usize) -> Progress {
        Progress {
            total: total.max(1),
            done: 0,
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// Marks one step done, labelled `what`.
    pub fn step(&mut self, what: &str) {
        self.done = (self.done + 1).min(self.total);
        let filled = self.done * WIDTH / self.total;
        let bar = format!(
            "[{}{}] {:>3}% {}",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            self.done * 100 / self.total,
            what
        );
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{bar}");
            if self.done == self.total {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "{bar}");
        }
        let _ = err.flush();
    }
}

//! A fleet's progress on a terminal's standard error: one line, redrawn in
//! place with a carriage return and cleared with spaces, so that nothing
//! `whm` writes to a terminal is a control sequence (a progress library
//! moves the cursor with escape sequences, which would make `whm`'s own
//! output impossible to tell from a hostile server's).

use std::io::Write as _;

/// The progress line, when standard error is a terminal.
pub struct Progress {
    total: usize,
    done: usize,
    /// The width of the line last drawn.
    drawn: usize,
}

impl Progress {
    /// A progress line for `total` servers, or `None` when standard error
    /// is not a terminal.
    pub fn new(total: usize) -> Option<Progress> {
        use std::io::IsTerminal as _;
        std::io::stderr().is_terminal().then_some(Progress {
            total,
            done: 0,
            drawn: 0,
        })
    }

    /// One more server done.
    pub fn inc(&mut self) {
        self.done += 1;
        self.draw();
    }

    /// Draws the line.
    pub fn draw(&mut self) {
        const BAR: usize = 40;
        let filled = (self.done * BAR).checked_div(self.total).unwrap_or(BAR);
        let line = format!(
            "{}{} {}/{} servers",
            "#".repeat(filled),
            "-".repeat(BAR - filled.min(BAR)),
            self.done,
            self.total
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}");
        let _ = err.flush();
        self.drawn = line.len();
    }

    /// Clears the line (before other output, and at the end).
    pub fn clear(&mut self) {
        if self.drawn > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}\r", " ".repeat(self.drawn));
            let _ = err.flush();
            self.drawn = 0;
        }
    }

    /// Runs `write` with the line cleared, then draws it again.
    pub fn around(&mut self, write: impl FnOnce()) {
        let shown = self.drawn > 0;
        self.clear();
        write();
        if shown {
            self.draw();
        }
    }
}

//! Output held back until the run is known to be good.
//!
//! `status` and `timeline` print nothing when any input has an error (a partial status could
//! hide an overdue item), yet they render each file as soon as it is read, so that a portfolio
//! is never held in memory whole. What is rendered waits here: in memory up to a limit, then
//! in an unnamed temporary file, which the system removes with the process.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

/// What is held in memory before the rest goes to a temporary file.
const IN_MEMORY: usize = 4 * 1024 * 1024;

pub struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    /// No temporary file could be made: everything stays in memory.
    no_file: bool,
    parts: usize,
    limit: usize,
}

impl Default for Spool {
    fn default() -> Self {
        Spool::with_limit(IN_MEMORY)
    }
}

impl Spool {
    fn with_limit(limit: usize) -> Self {
        Spool {
            memory: Vec::new(),
            file: None,
            no_file: false,
            parts: 0,
            limit,
        }
    }

    /// Adds `part`, after `separator` unless it is the first.
    pub fn push(&mut self, separator: &[u8], part: &[u8]) -> io::Result<()> {
        let separator = if self.parts == 0 { &[][..] } else { separator };
        self.parts += 1;
        if self.file.is_none()
            && !self.no_file
            && self.memory.len() + separator.len() + part.len() > self.limit
        {
            // Without a writable temporary directory the output is still correct, only held in
            // memory: that is no reason to fail the run.
            match tempfile::tempfile() {
                Ok(file) => {
                    let mut file = BufWriter::with_capacity(1 << 16, file);
                    file.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    self.file = Some(file);
                }
                Err(_) => self.no_file = true,
            }
        }
        match &mut self.file {
            Some(file) => file
                .write_all(separator)
                .and_then(|()| file.write_all(part)),
            None => {
                self.memory.extend_from_slice(separator);
                self.memory.extend_from_slice(part);
                Ok(())
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts == 0
    }

    /// Everything pushed, in order.
    pub fn write_to(self, out: &mut impl Write) -> io::Result<()> {
        if let Some(file) = self.file {
            let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            io::copy(&mut file, out)?;
        }
        out.write_all(&self.memory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spooled(limit: usize, parts: &[&str]) -> (String, bool) {
        let mut spool = Spool::with_limit(limit);
        for part in parts {
            spool.push(b",", part.as_bytes()).unwrap();
        }
        let in_file = spool.file.is_some();
        let mut out = Vec::new();
        spool.write_to(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), in_file)
    }

    #[test]
    fn parts_come_back_joined_in_order_from_memory_or_a_file() {
        let parts = ["one", "two", "three", "four"];
        assert_eq!(spooled(100, &parts), ("one,two,three,four".into(), false));
        // Over the limit at the third part: the first two move to the file, in order.
        assert_eq!(spooled(8, &parts), ("one,two,three,four".into(), true));
        assert_eq!(spooled(0, &parts), ("one,two,three,four".into(), true));
        assert_eq!(spooled(0, &[]), (String::new(), false));
        assert!(Spool::default().is_empty());
    }
}

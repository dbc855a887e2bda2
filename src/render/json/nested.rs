//! serde_json's pretty printer for a value that stands two levels deep in a document, so that
//! parts made apart are joined into the bytes the whole document would have been.

use std::io;

/// serde_json's pretty printer, two levels deeper: every line break it writes between values
/// is followed by two more levels of indentation. Line breaks are only written by the methods
/// that begin or end a value of a list or an object, never inside a string, so only those pass
/// the writer through [`Deeper`]; the rest is the pretty printer's own.
#[derive(Default)]
pub struct Nested(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(&mut Deeper(w))
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(&mut Deeper(w), first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(&mut Deeper(w))
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(&mut Deeper(w), first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// A writer that adds two levels of indentation after each write ending in a line break.
struct Deeper<'w, W: ?Sized>(&'w mut W);

impl<W: ?Sized + io::Write> io::Write for Deeper<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)?;
        if buf.ends_with(b"\n") {
            self.0.write_all(b"    ")?;
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

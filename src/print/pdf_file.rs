//! The PDF file syntax: objects written straight to the output, in the order
//! they are made, with the cross-reference table and trailer at the end. An
//! object's number can be reserved before it is written (a page's parent, a
//! link's target page), so nothing has to be held until the end but the
//! offsets. This replaces an in-memory object map: a large book's pages are
//! written as layout produces them and then dropped.

use std::io::Write;

/// An object number (generation is always 0).
pub type ObjectId = u32;

pub struct PdfFile {
    out: Vec<u8>,
    /// Where each object is, by number; `None` until written.
    offsets: Vec<Option<Place>>,
    /// Small objects waiting to go into the next object stream.
    pending: Vec<(ObjectId, Vec<u8>)>,
}

/// Where an object is: at a byte offset, or the `index`th object of an
/// object stream.
#[derive(Clone, Copy)]
enum Place {
    At(usize),
    InStream(ObjectId, u32),
}

/// Objects per object stream: enough for deflate to find the repetition in
/// structure elements, few enough that a reader unpacks little to find one.
const OBJECTS_PER_STREAM: usize = 200;

impl Default for PdfFile {
    fn default() -> Self {
        PdfFile::new()
    }
}

impl PdfFile {
    pub fn new() -> PdfFile {
        PdfFile::with_version("1.7")
    }

    /// A file whose header names PDF `version` (PDF/X-4 files say 1.6:
    /// the standard is built on PDF 1.6, and preflight tools flag newer).
    pub fn with_version(version: &str) -> PdfFile {
        // The comment of four bytes above 127 tells transfer tools the file is binary.
        let mut out = Vec::with_capacity(1 << 20);
        let _ = write!(out, "%PDF-{version}");
        out.extend_from_slice(b"\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            out,
            offsets: vec![None],
            pending: Vec::new(),
        }
    }

    /// A fresh object number, to be written later with `object` or `stream`.
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        (self.offsets.len() - 1) as ObjectId
    }

    /// Writes object `id` whose body is `body` (a dictionary, array, …).
    pub fn object(&mut self, id: ObjectId, body: &[u8]) {
        self.begin(id);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Writes a stream object: `dict` is the inside of its dictionary without
    /// `/Length` (added here), `data` the stream's bytes as they are stored.
    pub fn stream(&mut self, id: ObjectId, dict: &[u8], data: &[u8]) {
        self.begin(id);
        self.out.extend_from_slice(b"<<");
        self.out.extend_from_slice(dict);
        let _ = write!(self.out, "/Length {}>>\nstream\n", data.len());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes object `id` (not a stream) into a compressed object stream, as
    /// PDF 1.5 allows: for the many small dictionaries of the structure tree.
    pub fn compressed_object(&mut self, id: ObjectId, body: &[u8]) {
        self.pending.push((id, body.to_vec()));
        if self.pending.len() >= OBJECTS_PER_STREAM {
            self.flush_object_stream();
        }
    }

    fn flush_object_stream(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let objects = std::mem::take(&mut self.pending);
        let stream = self.reserve();
        let mut header = Vec::new();
        let mut data = Vec::new();
        for (index, (id, body)) in objects.iter().enumerate() {
            let _ = write!(header, "{id} {} ", data.len());
            data.extend_from_slice(body);
            data.push(b'\n');
            self.offsets[*id as usize] = Some(Place::InStream(stream, index as u32));
        }
        let dict = format!("/Type/ObjStm/N {}/First {}", objects.len(), header.len());
        header.extend_from_slice(&data);
        self.deflated_stream(stream, dict.as_bytes(), &header, 3);
    }

    /// A stream deflated here, with `/Filter /FlateDecode` added.
    pub fn deflated_stream(&mut self, id: ObjectId, dict: &[u8], data: &[u8], level: u8) {
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(data, level);
        let mut full = b"/Filter/FlateDecode".to_vec();
        full.extend_from_slice(dict);
        self.stream(id, &full, &compressed);
    }

    fn begin(&mut self, id: ObjectId) {
        debug_assert!(
            self.offsets[id as usize].is_none(),
            "object {id} written twice"
        );
        self.offsets[id as usize] = Some(Place::At(self.out.len()));
        let _ = writeln!(self.out, "{id} 0 obj");
    }

    /// Bytes written so far (for tests and progress).
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Writes the cross-reference table and the trailer (`trailer` is the
    /// inside of its dictionary without `/Size`), and returns the file.
    /// Objects reserved but never written are listed as free.
    pub fn finish(mut self, trailer: &[u8]) -> Vec<u8> {
        self.flush_object_stream();
        if self
            .offsets
            .iter()
            .any(|o| matches!(o, Some(Place::InStream(..))))
        {
            return self.finish_with_xref_stream(trailer);
        }
        let xref = self.out.len();
        let _ = write!(self.out, "xref\n0 {}\n", self.offsets.len());
        self.out.extend_from_slice(b"0000000000 65535 f\r\n");
        for offset in &self.offsets[1..] {
            match offset {
                Some(Place::At(at)) => {
                    let _ = write!(self.out, "{at:010} 00000 n\r\n");
                }
                _ => self.out.extend_from_slice(b"0000000000 00000 f\r\n"),
            }
        }
        let _ = write!(self.out, "trailer\n<</Size {}", self.offsets.len());
        self.out.extend_from_slice(trailer);
        let _ = write!(self.out, ">>\nstartxref\n{xref}\n%%EOF\n");
        self.out
    }
}

impl PdfFile {
    /// The end of a file with object streams: a cross-reference stream
    /// (entries of 1 + 4 + 2 bytes: free, at an offset, or in a stream) that
    /// holds the trailer's keys.
    fn finish_with_xref_stream(mut self, trailer: &[u8]) -> Vec<u8> {
        let id = self.reserve();
        let xref = self.out.len();
        self.offsets[id as usize] = Some(Place::At(xref));
        let mut entries = Vec::with_capacity(self.offsets.len() * 7);
        for (k, place) in self.offsets.iter().enumerate() {
            let (kind, a, b): (u8, u32, u16) = match place {
                _ if k == 0 => (0, 0, 65535),
                Some(Place::At(at)) => (1, *at as u32, 0),
                Some(Place::InStream(stream, index)) => (2, *stream, *index as u16),
                None => (0, 0, 0),
            };
            entries.push(kind);
            entries.extend_from_slice(&a.to_be_bytes());
            entries.extend_from_slice(&b.to_be_bytes());
        }
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&entries, 6);
        let _ = writeln!(self.out, "{id} 0 obj");
        let _ = write!(
            self.out,
            "<</Type/XRef/Size {}/W[1 4 2]/Filter/FlateDecode/Length {}",
            self.offsets.len(),
            compressed.len()
        );
        self.out.extend_from_slice(trailer);
        self.out.extend_from_slice(b">>\nstream\n");
        self.out.extend_from_slice(&compressed);
        let _ = write!(self.out, "\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n");
        self.out
    }
}

/// Appends values in PDF syntax to a byte buffer.
pub trait PdfSyntax {
    /// A number with at most two decimals and no trailing zeros: enough for
    /// 1/100 pt precision, and compact.
    fn number(&mut self, value: f32);
    fn integer(&mut self, value: i64);
    fn reference(&mut self, id: ObjectId);
    /// A text string: printable ASCII as a literal, anything else as
    /// UTF-16BE with BOM, in hex, so titles with "—" or "→" survive in every
    /// viewer.
    fn text_string(&mut self, text: &str);
    /// A literal string of ASCII-safe bytes, escaped.
    fn literal_string(&mut self, bytes: &[u8]);
    fn hex_string(&mut self, bytes: &[u8]);
}

impl PdfSyntax for Vec<u8> {
    fn number(&mut self, value: f32) {
        let hundredths = (value as f64 * 100.0).round() as i64;
        if hundredths < 0 {
            self.push(b'-');
        }
        let magnitude = hundredths.unsigned_abs();
        let _ = write!(self, "{}", magnitude / 100);
        let fraction = magnitude % 100;
        if fraction != 0 {
            self.push(b'.');
            self.push(b'0' + (fraction / 10) as u8);
            if !fraction.is_multiple_of(10) {
                self.push(b'0' + (fraction % 10) as u8);
            }
        }
    }

    fn integer(&mut self, value: i64) {
        let _ = write!(self, "{value}");
    }

    fn reference(&mut self, id: ObjectId) {
        let _ = write!(self, "{id} 0 R");
    }

    fn text_string(&mut self, text: &str) {
        // Printable ASCII reads the same in PDFDocEncoding: a literal
        // string, a quarter the size of UTF-16 in hex.
        if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
            self.literal_string(text.as_bytes());
            return;
        }
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        self.hex_string(&bytes);
    }

    fn literal_string(&mut self, bytes: &[u8]) {
        self.push(b'(');
        for &b in bytes {
            match b {
                b'(' | b')' | b'\\' => {
                    self.push(b'\\');
                    self.push(b);
                }
                b'\r' => self.extend_from_slice(b"\\r"),
                b'\n' => self.extend_from_slice(b"\\n"),
                _ => self.push(b),
            }
        }
        self.push(b')');
    }

    fn hex_string(&mut self, bytes: &[u8]) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        self.push(b'<');
        for &b in bytes {
            self.push(DIGITS[(b >> 4) as usize]);
            self.push(DIGITS[(b & 0xF) as usize]);
        }
        self.push(b'>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_indexed_at_their_offsets_and_unwritten_ones_are_free() {
        let mut file = PdfFile::new();
        let a = file.reserve();
        let b = file.reserve();
        let c = file.reserve();
        file.object(b, b"<</Type/Test>>");
        file.object(a, b"[1 2 3]");
        let bytes = file.finish(b"/Root 1 0 R");
        // Offsets count bytes: search the bytes, not a lossy copy of them.
        let at = |needle: &str| {
            bytes
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())
                .unwrap()
        };
        let text = String::from_utf8_lossy(&bytes);
        let xref = &text[text.find("xref").unwrap()..];
        let lines: Vec<&str> = xref.lines().collect();
        assert_eq!(lines[1], "0 4");
        assert_eq!(lines[3], format!("{:010} 00000 n", at("1 0 obj")));
        assert_eq!(lines[4], format!("{:010} 00000 n", at("2 0 obj")));
        assert_eq!(
            lines[5], "0000000000 00000 f",
            "object {c} was never written"
        );
        assert!(text.contains("trailer\n<</Size 4/Root 1 0 R>>"));
        assert!(text.ends_with(&format!("startxref\n{}\n%%EOF\n", at("xref"))));
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        out.literal_string(b"a(b)\\c");
        out.push(b' ');
        out.text_string("→");
        assert_eq!(out, b"(a\\(b\\)\\\\c) <FEFF2192>");
    }

    #[test]
    fn numbers_are_compact_with_two_decimals_at_most() {
        let formatted = |v: f32| {
            let mut out = Vec::new();
            out.number(v);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(formatted(12.0), "12");
        assert_eq!(formatted(12.5), "12.5");
        assert_eq!(formatted(-0.125), "-0.13");
        assert_eq!(formatted(0.004), "0");
    }
}

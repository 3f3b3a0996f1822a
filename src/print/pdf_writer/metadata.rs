//! What a file says about itself: the Info dictionary, the XMP metadata
//! stream with its PDF/UA, PDF/A or PDF/X identification, the output intent
//! (sRGB for the screen edition; the print interior's grey profile comes
//! from `pdfx`), dates and a stable file ID. Everything is derived from the
//! book, never the clock, so two builds of one book are byte-identical.

use super::{DEFLATE_LEVEL, Edition, PdfWriter};
use crate::print::page::DocumentInfo;
use crate::print::pdf_file::{ObjectId, PdfSyntax};
use crate::print::pdfx;

/// The output intent's profile: sRGB from Debian's icc-profiles-free
/// (zlib licence, `src/print/srgb-icc-LICENSE.txt`).
const SRGB_PROFILE: &[u8] = include_bytes!("../srgb.icc");

impl PdfWriter {
    /// The XMP metadata: title, author, dates (the Info dictionary's, as
    /// PDF/A asks) and the PDF/UA-1 and PDF/A-2 identification.
    pub(super) fn write_metadata(&mut self, info: &DocumentInfo) -> ObjectId {
        let date = xmp_date(info.created);
        // The screen edition claims PDF/UA-1 and PDF/A-2a; the print
        // interior PDF/X-4 (it has no links, so no PDF/UA claim).
        let (namespaces, identification) = match self.edition {
            Edition::Screen => (
                "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
                 xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
                    .to_string(),
                "<pdfuaid:part>1</pdfuaid:part>\n\
                 <pdfaid:part>2</pdfaid:part>\n\
                 <pdfaid:conformance>A</pdfaid:conformance>\n"
                    .to_string(),
            ),
            Edition::PrintInterior => (
                pdfx::XMP_NAMESPACES.to_string(),
                pdfx::xmp_properties(&info.identifier, "print-interior"),
            ),
        };
        let described = format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n\
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n\
<pdf:Keywords>{keywords}</pdf:Keywords>\n",
            subject = xml_escape(&info.subject),
            language = xml_escape(&info.language),
            keywords = xml_escape(&info.keywords.join(", ")),
        );
        let xml = xmp_packet(
            &namespaces,
            &info.title,
            &info.author,
            &described,
            &date,
            &identification,
        );
        let id = self.file.reserve();
        // Uncompressed, so tools that do not inflate streams can read it.
        self.file
            .stream(id, b"/Type/Metadata/Subtype/XML", xml.as_bytes());
        id
    }

    /// The catalog's `/OutputIntents` entry, with the profile it names
    /// written: sRGB for PDF/A, the grey printing condition for PDF/X.
    pub(super) fn write_output_intents(&mut self) -> Vec<u8> {
        match self.edition {
            Edition::Screen => {
                let icc = self.file.reserve();
                self.file
                    .deflated_stream(icc, b"/N 3", SRGB_PROFILE, DEFLATE_LEVEL);
                format!(
                    "/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1\
                     /OutputConditionIdentifier(sRGB IEC61966-2.1)/Info(sRGB IEC61966-2.1)\
                     /DestOutputProfile {icc} 0 R>>]"
                )
                .into_bytes()
            }
            Edition::PrintInterior => pdfx::output_intents(&mut self.file),
        }
    }

    /// The Info dictionary, dated by the book, not the clock.
    pub(super) fn write_info(&mut self, info: &DocumentInfo) -> ObjectId {
        let mut dict = b"<</Title".to_vec();
        dict.text_string(&info.title);
        dict.extend_from_slice(b"/Author");
        dict.text_string(&info.author);
        dict.extend_from_slice(b"/Subject");
        dict.text_string(&info.subject);
        dict.extend_from_slice(b"/Keywords");
        dict.text_string(&info.keywords.join(", "));
        dict.extend_from_slice(b"/Creator");
        dict.text_string("casebook");
        dict.extend_from_slice(b"/Producer");
        dict.text_string("casebook");
        let date = pdf_date(info.created);
        dict.extend_from_slice(b"/CreationDate");
        dict.literal_string(date.as_bytes());
        dict.extend_from_slice(b"/ModDate");
        dict.literal_string(date.as_bytes());
        if self.edition == Edition::PrintInterior {
            dict.extend_from_slice(pdfx::INFO_KEYS);
        }
        dict.extend_from_slice(b">>");
        let info_id = self.file.reserve();
        self.file.object(info_id, &dict);
        info_id
    }
}

/// An XMP metadata packet: title, creator and dates, then `described`
/// (further properties, already XML) and `identification` (the PDF/A, UA
/// or X properties, whose namespaces `namespaces` declares).
pub(in crate::print) fn xmp_packet(
    namespaces: &str,
    title: &str,
    author: &str,
    described: &str,
    date: &str,
    identification: &str,
) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
{namespaces}>\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
{described}\
<pdf:Producer>casebook</pdf:Producer>\n\
<xmp:CreatorTool>casebook</xmp:CreatorTool>\n\
<xmp:CreateDate>{date}</xmp:CreateDate>\n\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
{identification}\
</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
        title = xml_escape(title),
        author = xml_escape(author),
    )
}

/// Text for XML content: markup characters escaped, control characters
/// (which XML 1.0 forbids) dropped.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// An XMP date: the same instant as `pdf_date`, in ISO 8601.
pub(in crate::print) fn xmp_date(epoch: i64) -> String {
    let d = pdf_date(epoch);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[2..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14],
        &d[14..16]
    )
}

/// A PDF date string (`D:YYYYMMDDHHmmSSZ`) for seconds since 1970, in UTC.
pub(in crate::print) fn pdf_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86400);
    let secs = epoch.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Sixteen bytes that depend only on `text`: the file ID, the same on every build.
pub(in crate::print) fn stable_id(text: &str) -> Vec<u8> {
    // Two FNV-1a hashes with different seeds: 16 bytes, no extra dependency.
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf29ce484222325u64, 0x84222325cbf29ce4u64] {
        let mut h = seed;
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.extend(h.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_utc() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_795_651_200), "D:20261126000000Z");
    }
}

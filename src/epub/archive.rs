//! Makes epub-builder's archive reproducible and complete. epub-builder stamps
//! every ZIP entry with the clock (and its `Zip` trait is not public, so we
//! cannot hand it our own writer); we repack its output entry by entry with the
//! book's date, copying compressed data as is, and finish the generated files
//! its templates get wrong (see `finish_generated_file`).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// What the repack adds to epub-builder's generated files.
pub struct Finishing<'a> {
    /// Document language, added to the nav document's `<html>` element.
    pub language: &'a str,
    /// The book's `urn:uuid:…`, added to the NCX as `dtb:uid`, which must
    /// match the package identifier.
    pub identifier: &'a str,
    /// The book's full title: the NCX's `docTitle` (epub-builder puts the
    /// table of contents' own name there).
    pub title: &'a str,
    /// The table of contents' name, in the book's language.
    pub contents: &'a str,
    /// The print edition's pages: (label, link to its marker), in order;
    /// empty for none. Written as the nav document's `page-list` and the
    /// NCX's `pageList`.
    pub page_list: &'a [(String, String)],
    /// The page list's name.
    pub page_list_title: &'a str,
}

pub fn repack(
    archive: &[u8],
    timestamp: DateTime,
    finishing: &Finishing,
) -> zip::result::ZipResult<Vec<u8>> {
    let mut source = ZipArchive::new(Cursor::new(archive))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(archive.len())));
    for index in 0..source.len() {
        let name = source.by_index_raw(index)?.name().to_string();
        let mut text = String::new();
        let patched = match name.as_str() {
            "OEBPS/nav.xhtml" | "OEBPS/toc.ncx" | "OEBPS/content.opf" => {
                source.by_index(index)?.read_to_string(&mut text)?;
                Some(finish_generated_file(&name, &text, finishing))
            }
            _ => None,
        };
        match patched {
            Some(content) => {
                let options = SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Deflated)
                    .last_modified_time(timestamp);
                out.start_file(name, options)?;
                out.write_all(content.as_bytes())?;
            }
            None => out.raw_copy_file_touch(source.by_index_raw(index)?, timestamp, Some(0o644))?,
        }
    }
    Ok(out.finish()?.into_inner())
}

/// epub-builder 0.8.3's templates: the nav document has no language; the NCX
/// has no `dtb:uid`; the package gives `dc:language` and `dc:creator` the same
/// ids (`epub-creator-0`), which epubcheck rejects as duplicates.
fn finish_generated_file(name: &str, text: &str, finishing: &Finishing) -> String {
    if name.ends_with("content.opf") {
        // The package's language (Ace's `epub-lang`), and the publisher as
        // `dc:publisher`, which reading systems show (they ignore a
        // `dcterms:publisher` meta).
        let package = format!("<package xml:lang=\"{}\" ", finishing.language);
        let text = text
            .replace(
                "<dc:language id=\"epub-creator-",
                "<dc:language id=\"epub-language-",
            )
            .replacen("<package ", &package, 1)
            // The guide names the contents twice (the nav document and the
            // contents page); readers that use the guide want the page.
            .replacen(
                "<reference type=\"toc\" title=\"Contents\" href=\"nav.xhtml\"/>\n    ",
                "",
                1,
            )
            // epub-builder writes the copyright page's guide type as
            // `copyright`; the guide's term is `copyright-page` (Calibre
            // drops the entry otherwise).
            .replacen(
                "<reference type=\"copyright\" ",
                "<reference type=\"copyright-page\" ",
                1,
            );
        publisher_as_dc(&text)
    } else if name.ends_with("nav.xhtml") {
        // Language on the document; the two navs get their DPUB-ARIA role
        // and distinct accessible names (Ace's `landmark-unique`).
        let lang = format!(" lang=\"{0}\" xml:lang=\"{0}\"", finishing.language);
        let root = "xmlns:epub=\"http://www.idpf.org/2007/ops\">";
        text.replacen(
            root,
            &format!("xmlns:epub=\"http://www.idpf.org/2007/ops\"{lang}>"),
            1,
        )
        .replacen(
            "<nav epub:type = \"toc\" id=\"toc\">",
            &format!(
                "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-label=\"{}\">",
                super::xhtml::escape(finishing.contents)
            ),
            1,
        )
        .replacen(
            "<nav epub:type = \"landmarks\">",
            "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">",
            1,
        )
        .replacen("</body>", &nav_page_list(finishing), 1)
    } else {
        // The NCX: `dtb:uid`, the real depth of its tree, and the book's title.
        let uid = format!(
            "<head>\n    <meta name=\"dtb:uid\" content=\"{}\" />",
            finishing.identifier
        );
        let depth = format!(
            "<meta name=\"dtb:depth\" content=\"{}\" />",
            nav_point_depth(text)
        );
        let pages = ncx_page_list(text, finishing);
        text.replacen("<head>", &uid, 1)
            .replacen("<meta name=\"dtb:depth\" content=\"1\" />", &depth, 1)
            .replacen("</navMap>", &format!("</navMap>\n{pages}"), 1)
            .replacen(
                "<meta name=\"dtb:totalPageCount\" content=\"0\" />",
                &format!(
                    "<meta name=\"dtb:totalPageCount\" content=\"{}\" />",
                    finishing.page_list.len()
                ),
                1,
            )
            .replacen(
                "<meta name=\"dtb:maxPageNumber\" content=\"0\" />",
                &format!(
                    "<meta name=\"dtb:maxPageNumber\" content=\"{}\" />",
                    max_page_number(finishing.page_list)
                ),
                1,
            )
            .replacen(
                &format!(
                    "<docTitle>\n    <text>{}</text>",
                    super::xhtml::escape(finishing.contents)
                ),
                &format!(
                    "<docTitle>\n    <text>{}</text>",
                    super::xhtml::escape(finishing.title)
                ),
                1,
            )
    }
}

/// The nav document's list of print pages (hidden: reading systems offer
/// it as "go to page"), then the end of the body.
fn nav_page_list(finishing: &Finishing) -> String {
    if finishing.page_list.is_empty() {
        return "</body>".into();
    }
    let title = super::xhtml::escape(finishing.page_list_title);
    let mut out = format!(
        "<nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"{title}\" hidden=\"hidden\">\n<ol>\n"
    );
    for (label, href) in finishing.page_list {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            super::xhtml::escape(href),
            super::xhtml::escape(label)
        ));
    }
    out.push_str("</ol>\n</nav>\n</body>");
    out
}

/// The NCX's `pageList`: front-matter (roman) pages typed `front`. Play
/// order continues after the navigation points'.
fn ncx_page_list(ncx: &str, finishing: &Finishing) -> String {
    if finishing.page_list.is_empty() {
        return String::new();
    }
    let mut order = ncx.matches("playOrder=").count();
    let title = super::xhtml::escape(finishing.page_list_title);
    let mut out = format!("<pageList>\n<navLabel><text>{title}</text></navLabel>\n");
    for (label, href) in finishing.page_list {
        order += 1;
        // `value` is the page's number, for arabic pages only.
        let (kind, value) = match label.parse::<u32>() {
            Ok(n) => ("normal", format!(" value=\"{n}\"")),
            Err(_) => ("front", String::new()),
        };
        let label = super::xhtml::escape(label);
        out.push_str(&format!(
            "<pageTarget id=\"{}\" type=\"{kind}\"{value} playOrder=\"{order}\">\
<navLabel><text>{label}</text></navLabel><content src=\"{}\"/></pageTarget>\n",
            super::xhtml::page_id(&label),
            super::xhtml::escape(href)
        ));
    }
    out.push_str("</pageList>");
    out
}

/// The highest arabic page number in the list.
fn max_page_number(pages: &[(String, String)]) -> u32 {
    pages
        .iter()
        .filter_map(|(label, _)| label.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
}

/// How deeply `navPoint`s nest in an NCX.
fn nav_point_depth(ncx: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = ncx;
    while let Some(at) = rest.find("navPoint") {
        let closing = rest[..at].ends_with("</");
        let opening = rest[..at].ends_with('<');
        if opening {
            depth += 1;
            deepest = deepest.max(depth);
        } else if closing {
            depth = depth.saturating_sub(1);
        }
        rest = &rest[at + "navPoint".len()..];
    }
    deepest.max(1)
}

/// `<meta property="dcterms:publisher">X</meta>` → `<dc:publisher>X</dc:publisher>`.
fn publisher_as_dc(opf: &str) -> String {
    const OPEN: &str = "<meta property=\"dcterms:publisher\">";
    let Some(start) = opf.find(OPEN) else {
        return opf.to_string();
    };
    let value_start = start + OPEN.len();
    let Some(length) = opf[value_start..].find("</meta>") else {
        return opf.to_string();
    };
    let value = &opf[value_start..value_start + length];
    format!(
        "{}<dc:publisher>{value}</dc:publisher>{}",
        &opf[..start],
        &opf[value_start + length + "</meta>".len()..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive_with(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn repack_sets_every_timestamp_and_finishes_navigation() {
        let input = archive_with(&[
            ("mimetype", "application/epub+zip"),
            (
                "OEBPS/nav.xhtml",
                "<html xmlns:epub=\"http://www.idpf.org/2007/ops\"><body></body></html>",
            ),
            (
                "OEBPS/toc.ncx",
                "<ncx><head><meta name=\"dtb:totalPageCount\" content=\"0\" /></head>\
<navMap><navPoint playOrder=\"1\"/></navMap></ncx>",
            ),
        ]);
        let pages = vec![
            ("iii".to_string(), "contents.xhtml#page-iii".to_string()),
            ("1".to_string(), "part-01.xhtml#page-1".to_string()),
        ];
        let stamp = DateTime::from_date_and_time(2026, 11, 26, 0, 0, 0).unwrap();
        let finishing = Finishing {
            language: "en",
            identifier: "urn:uuid:x",
            title: "T",
            contents: "Contents",
            page_list: &pages,
            page_list_title: "Print pages",
        };
        let out = repack(&input, stamp, &finishing).unwrap();
        let mut archive = ZipArchive::new(Cursor::new(out.as_slice())).unwrap();
        assert_eq!(archive.by_index(0).unwrap().name(), "mimetype");
        for i in 0..archive.len() {
            assert_eq!(archive.by_index(i).unwrap().last_modified(), Some(stamp));
        }
        let mut nav = String::new();
        archive
            .by_name("OEBPS/nav.xhtml")
            .unwrap()
            .read_to_string(&mut nav)
            .unwrap();
        assert!(nav.contains("lang=\"en\" xml:lang=\"en\""));
        let mut ncx = String::new();
        archive
            .by_name("OEBPS/toc.ncx")
            .unwrap()
            .read_to_string(&mut ncx)
            .unwrap();
        assert!(ncx.contains("dtb:uid\" content=\"urn:uuid:x\""));
        // The print pages: a page-list nav and the NCX's pageList, front
        // matter typed `front`, play order after the navigation points'.
        assert!(nav.contains(
            "<nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"Print pages\" hidden=\"hidden\">"
        ));
        assert!(nav.contains("<li><a href=\"part-01.xhtml#page-1\">1</a></li>"));
        assert!(ncx.contains("dtb:totalPageCount\" content=\"2\""));
        assert!(ncx.contains("<pageTarget id=\"page-iii\" type=\"front\" playOrder=\"2\">"));
        assert!(
            ncx.contains("<pageTarget id=\"page-1\" type=\"normal\" value=\"1\" playOrder=\"3\">")
        );
        assert_eq!(
            nav_point_depth(
                "<navMap><navPoint><navPoint><navPoint/></navPoint></navPoint><navPoint></navPoint></navMap>"
            ),
            3
        );
        // Same input, same output.
        assert_eq!(
            repack(&input, stamp, &finishing).unwrap(),
            repack(&input, stamp, &finishing).unwrap()
        );
    }
}

//! The tagged PDF's structure tree (PDF/UA): which element each page's
//! marked content and annotations belong to, kept per page as pages are
//! written, and at the end the elements, their kids in reading order, and
//! the parent tree that maps content back to its element.

use std::io::Write;

use super::PdfWriter;
use crate::print::page::{StructKind, StructNode, Tag};
use crate::print::pdf_file::{ObjectId, PdfFile, PdfSyntax};

/// What a page contributes to the structure tree: its parent-tree key, the
/// element of each of its MCIDs, and its annotations (links, form widgets)
/// with their keys and elements. Kept for every page (a few numbers each).
pub(super) struct PageStructure {
    pub(super) key: usize,
    pub(super) mcids: Vec<Tag>,
    pub(super) annotations: Vec<(ObjectId, usize, Tag)>,
}

impl PdfWriter {
    /// Writes the structure tree and returns its root's id. Each element's
    /// kids (elements, marked content on a page, annotations) are listed in
    /// the order the content first appears, so the tree reads in the order
    /// of the pages. Elements that hold no content are left out.
    pub(super) fn write_structure(&mut self, nodes: &[StructNode]) -> ObjectId {
        enum Kid {
            Element(usize),
            Content { page: usize, mcid: usize },
            Annotation { page: usize, id: ObjectId },
        }
        let root_id = self.file.reserve();
        let mut kids: Vec<Vec<Kid>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        let mut ids: Vec<Option<ObjectId>> = vec![None; nodes.len()];
        let mut top: Vec<usize> = Vec::new();
        let place = |tag: Tag,
                     file: &mut PdfFile,
                     kids: &mut Vec<Vec<Kid>>,
                     ids: &mut Vec<Option<ObjectId>>,
                     top: &mut Vec<usize>| {
            let mut node = tag.index();
            while ids[node].is_none() {
                ids[node] = Some(file.reserve());
                let parent = nodes[node].parent;
                if parent.is_artifact() {
                    top.push(node);
                    break;
                }
                kids[parent.index()].push(Kid::Element(node));
                node = parent.index();
            }
        };
        for (page, entry) in self.structure.iter().enumerate() {
            for (mcid, tag) in entry.mcids.iter().enumerate() {
                if tag.index() < nodes.len() {
                    place(*tag, &mut self.file, &mut kids, &mut ids, &mut top);
                    kids[tag.index()].push(Kid::Content { page, mcid });
                }
            }
            for (id, _, tag) in &entry.annotations {
                if tag.index() < nodes.len() {
                    place(*tag, &mut self.file, &mut kids, &mut ids, &mut top);
                    kids[tag.index()].push(Kid::Annotation { page, id: *id });
                }
            }
        }
        for (k, node) in nodes.iter().enumerate() {
            let Some(id) = ids[k] else { continue };
            let parent = if node.parent.is_artifact() {
                root_id
            } else {
                ids[node.parent.index()].unwrap_or(root_id)
            };
            let mut body = Vec::new();
            let _ = write!(
                body,
                "<</Type/StructElem/S/{}/P {parent} 0 R",
                node.kind.name()
            );
            if let Some(alt) = &node.alt {
                body.extend_from_slice(b"/Alt");
                body.text_string(alt);
            }
            if node.kind == StructKind::TH {
                body.extend_from_slice(b"/A<</O/Table/Scope/Column>>");
            }
            // Content all on one page (most elements) names the page once
            // and lists bare MCIDs.
            let mut pages = kids[k].iter().filter_map(|kid| match kid {
                Kid::Content { page, .. } => Some(*page),
                _ => None,
            });
            let one_page = pages.next().filter(|first| pages.all(|p| p == *first));
            if let Some(page) = one_page {
                let _ = write!(body, "/Pg {} 0 R", self.page_ids[page]);
            }
            body.extend_from_slice(b"/K[");
            for kid in &kids[k] {
                match kid {
                    Kid::Element(e) => {
                        if let Some(e) = ids[*e] {
                            let _ = write!(body, "{e} 0 R ");
                        }
                    }
                    Kid::Content { mcid, .. } if one_page.is_some() => {
                        let _ = write!(body, "{mcid} ");
                    }
                    Kid::Content { page, mcid } => {
                        let _ = write!(
                            body,
                            "<</Type/MCR/Pg {} 0 R/MCID {mcid}>> ",
                            self.page_ids[*page]
                        );
                    }
                    Kid::Annotation { page, id } => {
                        let _ = write!(
                            body,
                            "<</Type/OBJR/Pg {} 0 R/Obj {id} 0 R>> ",
                            self.page_ids[*page]
                        );
                    }
                }
            }
            body.extend_from_slice(b"]>>");
            self.file.compressed_object(id, &body);
        }
        // The parent tree: for each page, the element of each MCID; for
        // each annotation, its Link element.
        let mut nums = b"<</Nums[".to_vec();
        let element = |tag: &Tag| -> Option<ObjectId> { ids.get(tag.index()).copied().flatten() };
        for entry in &self.structure {
            let _ = write!(nums, "{} [", entry.key);
            for tag in &entry.mcids {
                match element(tag) {
                    Some(e) => {
                        let _ = write!(nums, "{e} 0 R ");
                    }
                    None => nums.extend_from_slice(b"null "),
                }
            }
            nums.extend_from_slice(b"] ");
            for (_, key, tag) in &entry.annotations {
                match element(tag) {
                    Some(e) => {
                        let _ = write!(nums, "{key} {e} 0 R ");
                    }
                    None => {
                        let _ = write!(nums, "{key} null ");
                    }
                }
            }
        }
        nums.extend_from_slice(b"]>>");
        let parent_tree = self.file.reserve();
        self.file.compressed_object(parent_tree, &nums);
        let mut root = b"<</Type/StructTreeRoot/K[".to_vec();
        for node in &top {
            if let Some(id) = ids[*node] {
                let _ = write!(root, "{id} 0 R ");
            }
        }
        let _ = write!(
            root,
            "]/ParentTree {parent_tree} 0 R/ParentTreeNextKey {}>>",
            self.next_key
        );
        self.file.object(root_id, &root);
        root_id
    }
}

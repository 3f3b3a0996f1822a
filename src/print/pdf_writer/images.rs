//! Raster images: named in the order layout first shows them (so every
//! edition's content streams agree), each written once per file — in RGB
//! for the screen, in grey for the press — and checked against the
//! resolution print services ask for.

use std::io::Write;

use super::{DEFLATE_LEVEL, PdfWriter};
use crate::print::page::{Item, Page};
use crate::print::pdfx;

/// The least resolution a raster image should have at its printed size:
/// print-on-demand services ask for 300 ppi and warn below it.
pub const PRINT_PPI: f32 = 300.0;

impl PdfWriter {
    /// Names the images `page` shows for the first time. Pages left out of
    /// this file are named too, so every edition's content streams agree.
    pub(super) fn name_images(&mut self, page: &Page) {
        for item in page.items.iter().chain(&page.furniture) {
            if let Item::Image { image, .. } = item
                && !self.image_names.contains_key(&image.key)
            {
                let name = format!("Img{}", self.image_names.len() + 1);
                self.image_names.insert(image.key.clone(), name);
            }
        }
    }

    /// Writes the images of `page` not yet in this file (in grey for the
    /// print interior).
    pub(super) fn write_new_images(&mut self, page: &Page, print: bool) {
        for item in page.items.iter().chain(&page.furniture) {
            let Item::Image { image, .. } = item else {
                continue;
            };
            if self.images_written.contains(&image.key) {
                continue;
            }
            let name = self.image_names[&image.key].clone();
            let id = self.file.reserve();
            let mut dict = Vec::new();
            let _ = write!(
                dict,
                "/Type/XObject/Subtype/Image/Width {}/Height {}\
                 /ColorSpace/{}/BitsPerComponent 8",
                image.width,
                image.height,
                if print { "DeviceGray" } else { "DeviceRGB" }
            );
            if print {
                let grey = pdfx::grey_pixels(&image.pixels);
                self.file.deflated_stream(id, &dict, &grey, DEFLATE_LEVEL);
            } else {
                self.file
                    .deflated_stream(id, &dict, &image.pixels, DEFLATE_LEVEL);
            }
            self.images_written.insert(image.key.clone());
            self.images.push((name, id));
        }
    }

    /// Notes each image on `page` printed at less than `PRINT_PPI` pixels
    /// per inch (once per image, at its lowest resolution in the book).
    pub(super) fn note_low_resolution(&mut self, page: &Page) {
        for item in &page.items {
            let Item::Image { rect, image, .. } = item else {
                continue;
            };
            let ppi = (image.width as f32 / (rect.width / 72.0))
                .min(image.height as f32 / (rect.height / 72.0));
            if ppi >= PRINT_PPI {
                continue;
            }
            match self
                .low_resolution
                .iter_mut()
                .find(|(key, _)| *key == image.key)
            {
                Some((_, lowest)) => *lowest = lowest.min(ppi),
                None => self.low_resolution.push((image.key.clone(), ppi)),
            }
        }
    }

    /// Images the print interior shows at under `PRINT_PPI` (the image's
    /// key, its path, and its resolution there), for the build to warn of.
    pub fn low_resolution_images(&self) -> &[(String, f32)] {
        &self.low_resolution
    }
}

//! `casebook cover`: a clean typographic cover, 1600×2560 pixels, from the
//! book's title, subtitle and authors, set in the fonts of `fonts/`.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgb, RgbImage};

use crate::model::Metadata;

/// The size stores ask for (and `casebook check` requires): 1:1.6.
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 2560;

const TITLE_FONT: &[u8] = include_bytes!("../fonts/NotoSerif-Bold.ttf");
const TEXT_FONT: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");

/// Deep ink background with a warm paper-coloured type: high contrast that
/// survives a greyscale e-ink thumbnail.
const BACKGROUND: [u8; 3] = [24, 36, 52];
const INK: [u8; 3] = [246, 241, 230];
const ACCENT: [u8; 3] = [224, 154, 72];
/// Outer margin: an eighth of the width keeps text clear of store badges.
const MARGIN: f32 = 200.0;

pub fn render_cover_file(book_dir: &Path, output: Option<&Path>) -> Result<PathBuf, String> {
    let loaded = crate::load::load_book(book_dir).map_err(|diagnostics| {
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let meta = &loaded.book.meta;
    // book.yaml is untrusted: the path it names is written only where a cover
    // may live (inside the book, or in `covers/` beside it). An `--output`
    // given on the command line is the user's own choice.
    if output.is_none() {
        let root = crate::load::paths::BookRoot::new(book_dir)
            .map_err(|e| format!("cannot open the book folder: {e}"))?;
        let target = &meta.cover;
        // Canonicalise the deepest folder that exists, then add the rest, so
        // nothing is created before the target is known to be allowed.
        let mut existing = target.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                return Err(format!("`cover` names no file: {}", target.display()));
            };
            rest.push(name.to_os_string());
            existing = parent;
        }
        let mut canonical = existing
            .canonicalize()
            .map_err(|e| format!("cannot reach {}: {e}", existing.display()))?;
        for part in rest.iter().rev() {
            if part == ".." {
                canonical.pop();
            } else {
                canonical.push(part);
            }
        }
        root.contain(&target.display().to_string(), &canonical, crate::load::paths::Allowance::Cover)
            .map_err(|e| format!("{e}; `casebook cover` writes the cover only inside the book or in covers/ beside it"))?;
    }
    let path = output.map_or_else(|| meta.cover.clone(), Path::to_path_buf);
    let image = render_cover(meta)?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| format!("encoding the cover: {e}"))?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    crate::build::write_atomically(&path, &png)?;
    Ok(path)
}

pub fn render_cover(meta: &Metadata) -> Result<RgbImage, String> {
    let title_font = FontRef::try_from_slice(TITLE_FONT).map_err(|e| format!("title font: {e}"))?;
    let text_font = FontRef::try_from_slice(TEXT_FONT).map_err(|e| format!("text font: {e}"))?;
    let mut canvas = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb(BACKGROUND));
    let measure = WIDTH as f32 - 2.0 * MARGIN;

    // The title, as large as fits in three lines or fewer.
    let mut size = 230.0;
    let mut title_lines = wrap(&title_font, size, &meta.title, measure);
    while title_lines.len() > 3 && size > 90.0 {
        size -= 10.0;
        title_lines = wrap(&title_font, size, &meta.title, measure);
    }
    let mut baseline = 820.0;
    for line in &title_lines {
        draw_text(&mut canvas, &title_font, size, MARGIN, baseline, line, INK);
        baseline += size * 1.1;
    }

    // An accent rule between title and subtitle.
    fill_rect(
        &mut canvas,
        MARGIN,
        baseline - size * 0.45,
        260.0,
        14.0,
        ACCENT,
    );
    baseline += 120.0;
    if let Some(subtitle) = &meta.subtitle {
        for line in wrap(&text_font, 96.0, subtitle, measure) {
            draw_text(&mut canvas, &text_font, 96.0, MARGIN, baseline, &line, INK);
            baseline += 110.0;
        }
    }
    let authors = meta.authors.join(", ");
    let mut author_baseline = HEIGHT as f32 - 260.0;
    for line in wrap(&text_font, 64.0, &authors, measure).iter().rev() {
        draw_text(
            &mut canvas,
            &text_font,
            64.0,
            MARGIN,
            author_baseline,
            line,
            INK,
        );
        author_baseline -= 80.0;
    }
    Ok(canvas)
}

/// Greedy word wrap by measured width.
fn wrap(font: &FontRef, size: f32, text: &str, width: f32) -> Vec<String> {
    wrap_words(text, width, |line| text_width(font, size, line))
}

/// Greedy word wrap: as many words on each line as `measure` says fit in
/// `width` (a word wider than the line gets a line of its own). The cover
/// image and the print cover's vector text measure differently, so each
/// passes its own `measure`.
pub fn wrap_words(text: &str, width: f32, mut measure: impl FnMut(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && measure(&candidate) > width {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn text_width(font: &FontRef, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    width
}

fn draw_text(
    canvas: &mut RgbImage,
    font: &FontRef,
    size: f32,
    x: f32,
    baseline: f32,
    text: &str,
    colour: [u8; 3],
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut pen = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(PxScale::from(size), ab_glyph::point(pen, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + gx as i64;
                let py = bounds.min.y as i64 + gy as i64;
                if px >= 0
                    && py >= 0
                    && (px as u32) < canvas.width()
                    && (py as u32) < canvas.height()
                {
                    let pixel = canvas.get_pixel_mut(px as u32, py as u32);
                    for (channel, ink) in pixel.0.iter_mut().zip(colour) {
                        let blended = *channel as f32 * (1.0 - coverage) + ink as f32 * coverage;
                        *channel = blended.round() as u8;
                    }
                }
            });
        }
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
}

fn fill_rect(canvas: &mut RgbImage, x: f32, y: f32, w: f32, h: f32, colour: [u8; 3]) {
    for py in y as u32..(y + h) as u32 {
        for px in x as u32..(x + w) as u32 {
            if px < canvas.width() && py < canvas.height() {
                canvas.put_pixel(px, py, Rgb(colour));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_measure() {
        let font = FontRef::try_from_slice(TITLE_FONT).unwrap();
        let lines = wrap(&font, 200.0, "When Theory Ends in Production Today", 1200.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(text_width(&font, 200.0, line) <= 1200.0 || !line.contains(' '));
        }
        assert_eq!(lines.join(" "), "When Theory Ends in Production Today");
    }
}

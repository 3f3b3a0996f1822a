//! `casebook cover`: a clean typographic cover, 1600×2560 pixels.
//! (Rendering lands with the fonts in fonts/.)

use std::path::{Path, PathBuf};

pub fn render_cover_file(_book_dir: &Path, _output: Option<&Path>) -> Result<PathBuf, String> {
    Err("cover rendering is not available yet".into())
}

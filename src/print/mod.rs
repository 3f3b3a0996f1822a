//! The print edition: lays the book out into pages and writes them as PDF.
//! (Being built under issue 3; this is the interface the rest of casebook uses.)

use crate::model::Book;

/// Paper sizes the print edition supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSize {
    A4,
    Letter,
    /// 6 × 9 inch trade paperback, mirrored margins for binding.
    TradeSixByNine,
}

impl PaperSize {
    pub fn parse(text: &str) -> Option<PaperSize> {
        match text {
            "a4" => Some(PaperSize::A4),
            "letter" => Some(PaperSize::Letter),
            "6x9" => Some(PaperSize::TradeSixByNine),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PrintOptions {
    pub paper: PaperSize,
    /// Ruled "Your approach" lines after each scenario's questions.
    pub workbook: bool,
}

/// Typesets the book and returns the PDF bytes.
pub fn render_pdf(_book: &Book, _options: &PrintOptions) -> Result<Vec<u8>, String> {
    Err("the PDF edition is not built yet".into())
}

/// Characters that no font in `fonts/` can draw (for `casebook check`).
pub fn unsupported_chars(_text: &str) -> Vec<(usize, char)> {
    Vec::new()
}

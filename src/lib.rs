//! casebook compiles a book of practice scenarios — question, then answer —
//! from Markdown sources into an EPUB for e-readers and a PDF for print.
//!
//! The pipeline, one direction of data:
//! `load` (book/ → `Book` model + source facts) → `check` (diagnostics) →
//! editions: `epub` (XHTML + navigation → .epub) and `print` (layout → pages →
//! .pdf). `markdown` builds the `document` tree every edition shares.

pub mod build;
pub mod check;
pub mod cover;
pub mod diagnostic;
pub mod document;
pub mod epub;
pub mod images;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod model;
pub mod print;
pub mod release;
pub mod scaffold;
pub mod stats;
pub mod watch;

//! Layout: the book's content turned into pages of the page model.
//! `inline` sets text into lines, `blocks` turns blocks into a flow of
//! pieces, `paginate` cuts flows into pages; `geometry` holds the sizes.

pub mod blocks;
pub mod breaks;
pub mod code_blocks;
pub mod flow;
pub mod geometry;
pub mod inline;
pub mod paginate;
pub mod spread;
pub mod tables;

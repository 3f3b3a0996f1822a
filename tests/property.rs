//! A property test, bounded in time: random Markdown and random Unicode
//! (control characters, entities, very long words, deep nesting, wide and
//! tall tables) fed through the loader and both editions. Whatever `check`
//! says of such a book, rendering must never panic, every EPUB content
//! document must be well-formed XML, and the print layout must place
//! nothing outside the text block. The generator is seeded, so a failure
//! names the seed that reproduces it.

mod common;
mod print_common;

use std::fmt::Write;
use std::time::{Duration, Instant};

use common::*;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One random character: mostly letters, sometimes punctuation that
/// Markdown or XML cares about, controls, far planes and odd scripts.
fn random_char(rng: &mut Rng) -> char {
    let pick = rng.below(100);
    let code = match pick {
        0..=59 => b'a' as u64 + rng.below(26),
        60..=69 => b' ' as u64,
        70..=79 => *b"<>&\"'*_`[]()#|\\!~-:;"
            .get(rng.below(20) as usize)
            .unwrap() as u64,
        80..=84 => rng.below(0x20),
        85..=87 => 0x7F + rng.below(0x21),
        88..=92 => 0xA0 + rng.below(0x2F00),
        93..=95 => 0x1F300 + rng.below(0x300),
        96..=97 => 0x4E00 + rng.below(0x100),
        _ => 0xFFF0 + rng.below(0x10),
    };
    char::from_u32(code as u32).unwrap_or('?')
}

fn random_words(rng: &mut Rng, words: u64) -> String {
    let mut text = String::new();
    for _ in 0..words {
        let length = if rng.chance(3) {
            40 + rng.below(200)
        } else {
            1 + rng.below(10)
        };
        for _ in 0..length {
            text.push(random_char(rng));
        }
        text.push(' ');
        if rng.chance(5) {
            let _ = write!(text, "&#{}; ", rng.below(0x20000));
        }
    }
    text.replace('\n', " ")
}

fn random_block(rng: &mut Rng, out: &mut String) {
    match rng.below(9) {
        0 => {
            let _ = writeln!(
                out,
                "{} {}\n",
                "#".repeat(2 + rng.below(4) as usize),
                random_words(rng, 4)
            );
        }
        1 => {
            let depth = 1 + rng.below(40) as usize;
            for level in 0..depth {
                let _ = writeln!(out, "{}- {}", "  ".repeat(level), random_words(rng, 6));
            }
            out.push('\n');
        }
        2 => {
            let depth = 1 + rng.below(70) as usize;
            let _ = writeln!(out, "{} {}\n", ">".repeat(depth), random_words(rng, 30));
        }
        3 => {
            let max_columns = if rng.chance(20) { 100 } else { 6 };
            let max_rows = if rng.chance(10) { 60 } else { 5 };
            let columns = 1 + rng.below(max_columns) as usize;
            let rows = 1 + rng.below(max_rows) as usize;
            let row = |rng: &mut Rng, words: u64| {
                let cells: Vec<String> = (0..columns)
                    .map(|_| random_words(rng, words).replace('|', "/"))
                    .collect();
                format!("| {} |", cells.join(" | "))
            };
            let _ = writeln!(out, "{}", row(rng, 1));
            let _ = writeln!(out, "|{}", "---|".repeat(columns));
            for _ in 0..rows {
                let words = if rng.chance(10) { 400 } else { 3 };
                let _ = writeln!(out, "{}", row(rng, words));
            }
            out.push('\n');
        }
        4 => {
            out.push_str("```\n");
            let lines = 1 + rng.below(30);
            for _ in 0..lines {
                let width = if rng.chance(20) { 400 } else { 40 };
                let length = rng.below(width);
                let line: String = (0..length).map(|_| random_char(rng)).collect();
                let _ = writeln!(out, "{}", line.replace("```", "``"));
            }
            out.push_str("```\n\n");
        }
        5 => {
            let length = rng.below(30);
            let url: String = (0..length).map(|_| random_char(rng)).collect();
            let _ = writeln!(
                out,
                "See [{}](https://example.com/{}) now.\n",
                random_words(rng, 2),
                url.replace([')', '\n', ' '], "x")
            );
        }
        _ => {
            let words = 20 + rng.below(150);
            let _ = writeln!(out, "{}\n", random_words(rng, words));
        }
    }
}

fn random_markdown(rng: &mut Rng, blocks: u64) -> String {
    let mut out = String::new();
    for _ in 0..blocks {
        random_block(rng, &mut out);
    }
    out
}

fn well_formed(xml: &str) -> Result<(), roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options).map(|_| ())
}

/// Writes a book whose chapter and scenario bodies are random.
fn random_book(rng: &mut Rng, dir: &std::path::Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("front")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios/01-alpha")).unwrap();
    std::fs::copy(fixture("mini").join("cover.png"), dir.join("cover.png")).unwrap();
    std::fs::copy(fixture("mini").join("tags.yaml"), dir.join("tags.yaml")).unwrap();
    let title: String = random_words(rng, 3).replace(['"', '\\'], "");
    std::fs::write(
        dir.join("book.yaml"),
        format!(
            "title: \"Random {}\"\nauthors: [\"Tester\"]\nlanguage: en\n\
             identifier: \"urn:uuid:0b7c6d52-7a51-4b8e-9a0c-2f7e0d5f9a11\"\ndescription: \"d\"\n\
             date: 2026-01-15\nrights: \"r\"\ncover: cover.png\nfront: [front/chapter.md]\n\
             categories:\n  - id: alpha\n    title: \"Alpha\"\n    dir: scenarios/01-alpha\n    count: 2\n    intro: \"i\"\n",
            title.chars().filter(|c| !c.is_control()).collect::<String>()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("front/chapter.md"),
        format!("# Chapter\n\n{}", random_markdown(rng, 6)),
    )
    .unwrap();
    for n in 1..=2 {
        let body = format!(
            "---\nid: random-{n}\ntitle: \"Random {n}\"\ndifficulty: mid\ntags: [airflow]\n---\n\
             ## Situation\n\n{}## Constraints\n\n- c\n\n## Your task\n\n1. t\n\n# Answer\n\n## Short answer\n\n{}",
            random_markdown(rng, 4),
            random_markdown(rng, 5)
        );
        std::fs::write(dir.join(format!("scenarios/01-alpha/0{n}-random.md")), body).unwrap();
    }
}

/// The items of `book`'s 6×9 workbook pages that lie outside the text block.
fn items_outside_at_6x9(book: &casebook::model::Book) -> Vec<String> {
    let options = casebook::print::PrintOptions {
        paper: casebook::print::PaperSize::TradeSixByNine,
        workbook: true,
        questions_only: false,
    };
    print_common::items_outside_text_block(&casebook::print::layout(book, &options))
}

#[test]
fn random_books_never_panic_and_give_well_formed_xhtml_and_pages() {
    let budget = Duration::from_secs(15);
    let started = Instant::now();
    let dir = scratch_dir("property");
    let mut cases = 0;
    for seed in 1u64.. {
        if started.elapsed() > budget || cases >= 40 {
            break;
        }
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let book_dir = dir.join("book");
        random_book(&mut rng, &book_dir);
        let loaded = match casebook::load::load_book(&book_dir) {
            Ok(loaded) => loaded,
            Err(_) => continue,
        };
        let _ = casebook::check::check_book(&loaded);
        let epub = casebook::epub::render_epub(&loaded.book, 0, None)
            .unwrap_or_else(|e| panic!("seed {seed}: EPUB failed: {e}"));
        let path = dir.join("random.epub");
        std::fs::write(&path, epub).unwrap();
        for (name, text) in read_epub(&path) {
            let xml = name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx");
            if xml && let Err(e) = well_formed(&text) {
                panic!("seed {seed}: {name} is not well-formed: {e}");
            }
        }
        let outside = items_outside_at_6x9(&loaded.book);
        assert!(
            outside.is_empty(),
            "seed {seed}: {} items outside the text block, first: {}",
            outside.len(),
            outside[0]
        );
        cases += 1;
    }
    assert!(
        cases >= 10,
        "only {cases} random books were tried in the time budget"
    );
}

/// Seed 31 once set a nested heading, balanced over a narrower measure, on a
/// line wider than its column (the balancing accepted a measure its lines
/// overran). Run on its own, so the time budget above cannot skip it.
#[test]
fn seed_31_keeps_a_balanced_heading_inside_the_text_block() {
    let dir = scratch_dir("property-seed-31");
    let seed = 31u64;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let book_dir = dir.join("book");
    random_book(&mut rng, &book_dir);
    let loaded = casebook::load::load_book(&book_dir).expect("seed 31 loads");
    let outside = items_outside_at_6x9(&loaded.book);
    assert!(outside.is_empty(), "{}", outside.join("\n"));
}

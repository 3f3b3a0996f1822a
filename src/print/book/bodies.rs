//! Scenario and chapter bodies: most of a book's text, and free of page
//! numbers, so a body laid out in one pass is good for the next. Two pieces
//! here. `BodyCache` keeps laid-out bodies between passes up to a memory
//! budget: a small book keeps all of them (each body is set once), a large
//! one keeps what fits and sets the rest again in the final pass, so memory
//! stays bounded while time stays proportional to the book. `BodyWorkers`
//! lays out the bodies a pass will need, in the order it needs them, on
//! worker threads a little ahead of the pass, so layout runs on all cores
//! while the pass paginates (and, in the final pass, writes the PDF).

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

use super::body_key;
use crate::document::Block;
use crate::model::Book;
use crate::print::PrintOptions;
use crate::print::hyphenate::Hyphenation;
use crate::print::layout::blocks::Layouter;
use crate::print::layout::flow::{Flow, Piece};
use crate::print::layout::geometry::Geometry;
use crate::print::page::{Item, Part, PlacedGlyph, StructNode, StructTree};
use crate::print::shape::Shaper;

/// Laid-out bodies kept between passes, at most this many bytes (estimated
/// from glyphs and items). The real book's bodies take between 8 and 16 MB,
/// so it sets each body once (with an 8 MB budget it needs 0.55 s of CPU
/// instead of 0.42 s). A 2,000-scenario book's would take about 300 MB; it
/// keeps what fits and sets the rest again in the final pass. Its wall time
/// hardly depends on the budget (5.3–5.5 s from 0 to 160 MB: the re-setting
/// runs on the worker threads while the main thread paginates and writes),
/// its peak does (208 MB with none, 243 MB with 48 MB, 360 MB with 160 MB).
pub const BODY_CACHE_BYTES: usize = 32 << 20;

/// How many bodies the workers may lay out ahead of the pass: enough to keep
/// both cores busy across a long answer, few enough to hold little memory.
const LOOKAHEAD: usize = 24;

/// A body laid out on its own: its pieces, and the structure tree of its
/// blocks, whose tags the pieces use and which a pass grafts under the
/// scenario's or chapter's own element (`StructTree::graft`).
#[derive(Debug, Clone, Default)]
pub struct LaidBody {
    pub pieces: Vec<Piece>,
    pub structure: Vec<StructNode>,
}

#[derive(Clone)]
pub struct BodyCache {
    flows: HashMap<String, LaidBody>,
    bytes: usize,
    budget: usize,
    /// The inside margin the bodies are set for (`None`: the paper's own);
    /// bodies set at one measure are no good at another.
    gutter: Option<f32>,
}

impl BodyCache {
    pub fn new(budget: usize) -> BodyCache {
        BodyCache {
            flows: HashMap::new(),
            bytes: 0,
            budget,
            gutter: None,
        }
    }

    /// Sets the inside margin bodies are set for. Bodies set at another
    /// measure are dropped; a gutter that only moves the text block (same
    /// measure) keeps them: a body's lines do not depend on where the
    /// block stands.
    pub fn set_gutter(&mut self, gutter: Option<f32>, paper: crate::print::PaperSize) {
        let before = self.geometry(paper).measure();
        self.gutter = gutter;
        if self.geometry(paper).measure() != before {
            self.flows.clear();
            self.bytes = 0;
        }
    }

    pub fn gutter(&self) -> Option<f32> {
        self.gutter
    }

    /// The page geometry the bodies are set for.
    pub fn geometry(&self, paper: crate::print::PaperSize) -> Geometry {
        crate::print::bound_geometry(paper, self.gutter)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.flows.contains_key(key)
    }

    pub fn get(&self, key: &str) -> Option<&LaidBody> {
        self.flows.get(key)
    }

    /// Removes a body for good: the final pass needs each body once.
    pub fn take(&mut self, key: &str) -> Option<LaidBody> {
        let body = self.flows.remove(key)?;
        self.bytes = self.bytes.saturating_sub(estimated_bytes(&body.pieces));
        Some(body)
    }

    /// Keeps a copy of `body` if the budget allows.
    pub fn offer(&mut self, key: &str, body: &LaidBody) {
        let size = estimated_bytes(&body.pieces);
        if self.bytes + size <= self.budget && !self.flows.contains_key(key) {
            self.bytes += size;
            self.flows.insert(key.to_string(), body.clone());
        }
    }

    /// Estimated bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Every body of `book` laid out for `options`' paper, on all cores, up
    /// to `budget` bytes (the rest is set by each pass as usual): for
    /// several editions in one paper, which then share these bodies.
    pub fn lay_out_all(book: &Book, options: &PrintOptions, budget: usize) -> BodyCache {
        let mut cache = BodyCache::new(budget);
        let geometry = cache.geometry(options.paper);
        let jobs = bodies_in_order(book);
        let keys: Vec<String> = jobs.iter().map(|(key, _, _)| key.clone()).collect();
        let workers = BodyWorkers::new(jobs);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| workers.work(book, geometry));
            }
            for key in &keys {
                if let Some(pieces) = workers.take(key) {
                    cache.offer(key, &pieces);
                }
            }
            workers.stop();
        });
        cache
    }
}

/// What a body's pieces hold: glyph lists dominate.
fn estimated_bytes(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| {
            std::mem::size_of::<Piece>()
                + p.items.len() * std::mem::size_of::<Item>()
                + p.items
                    .iter()
                    .map(|i| match i {
                        Item::Text(run) => run.glyphs.len() * std::mem::size_of::<PlacedGlyph>(),
                        _ => 0,
                    })
                    .sum::<usize>()
        })
        .sum()
}

/// Every body a pass lays out, in the order the pass asks for them: front
/// chapters, then per category its questions and its answers, then back
/// chapters.
pub fn bodies_in_order(book: &Book) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job> = Vec::new();
    fn chapter(k: usize, chapter: &crate::model::Chapter) -> Job<'_> {
        (
            body_key("chapter", &chapter.id),
            Part::Chapter(k as u32),
            chapter.blocks.as_slice(),
        )
    }
    for (k, c) in book.front.iter().enumerate() {
        jobs.push(chapter(k, c));
    }
    for category in &book.categories {
        for scenario in &category.scenarios {
            let n = scenario.number as u32;
            jobs.push((
                body_key("question", scenario.number),
                Part::Question(n),
                &scenario.question,
            ));
        }
        for scenario in &category.scenarios {
            let n = scenario.number as u32;
            jobs.push((
                body_key("answer", scenario.number),
                Part::Answer(n),
                &scenario.answer,
            ));
        }
    }
    for (k, c) in book.back.iter().enumerate() {
        jobs.push(chapter(book.front.len() + k, c));
    }
    jobs
}

/// Lays out one body on its own, with a structure tree of its own.
pub fn lay_out_body(
    geometry: Geometry,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
    part: Part,
    blocks: &[Block],
) -> LaidBody {
    let mut structure = StructTree::default();
    let mut layouter = Layouter {
        geometry,
        shaper,
        hyphenation,
        part: Part::None,
        next_block: 0,
        structure: &mut structure,
    };
    let mut flow = Flow::default();
    layouter.body(part, blocks, 0.0, geometry.measure(), &mut flow);
    LaidBody {
        pieces: flow.pieces,
        structure: structure.nodes,
    }
}

/// A body to lay out: its cache key, the part it is (for the EPUB's page
/// list), its blocks.
pub type Job<'b> = (String, Part, &'b [Block]);

struct Progress {
    /// The next job a worker will start.
    next: usize,
    /// One past the furthest job the pass has asked for.
    asked: usize,
    done: HashMap<usize, std::thread::Result<LaidBody>>,
    /// Jobs the pass has had (a key asked for twice is laid out by the pass).
    taken: Vec<bool>,
    stop: bool,
}

/// Lays out a list of bodies on worker threads, ahead of the pass that asks
/// for them with `take`.
pub struct BodyWorkers<'b> {
    jobs: Vec<Job<'b>>,
    index: HashMap<String, usize>,
    progress: Mutex<Progress>,
    changed: Condvar,
}

impl<'b> BodyWorkers<'b> {
    pub fn new(jobs: Vec<Job<'b>>) -> BodyWorkers<'b> {
        let index = jobs
            .iter()
            .enumerate()
            .map(|(k, (key, _, _))| (key.clone(), k))
            .collect();
        let taken = vec![false; jobs.len()];
        BodyWorkers {
            index,
            progress: Mutex::new(Progress {
                next: 0,
                asked: 0,
                done: HashMap::new(),
                taken,
                stop: false,
            }),
            changed: Condvar::new(),
            jobs,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One worker: takes the next job while it is within the lookahead.
    pub fn work(&self, book: &Book, geometry: Geometry) {
        let mut shaper = Shaper::default();
        let hyphenation = Hyphenation::for_language(&book.meta.language);
        let mut progress = self.lock();
        loop {
            while !progress.stop
                && progress.next < self.jobs.len()
                && progress.next >= progress.asked + LOOKAHEAD
            {
                progress = self
                    .changed
                    .wait(progress)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if progress.stop || progress.next >= self.jobs.len() {
                return;
            }
            let job = progress.next;
            progress.next += 1;
            drop(progress);
            let (_, part, blocks) = self.jobs[job];
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lay_out_body(geometry, &mut shaper, &hyphenation, part, blocks)
            }));
            progress = self.lock();
            progress.done.insert(job, result);
            self.changed.notify_all();
        }
    }

    /// The laid-out body of `key`, waiting for a worker if need be; `None`
    /// when `key` is not one of the jobs.
    pub fn take(&self, key: &str) -> Option<LaidBody> {
        let job = *self.index.get(key)?;
        let mut progress = self.lock();
        if std::mem::replace(&mut progress.taken[job], true) {
            return None;
        }
        if progress.asked < job + 1 {
            progress.asked = job + 1;
            self.changed.notify_all();
        }
        loop {
            if let Some(result) = progress.done.remove(&job) {
                return Some(result.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
            progress = self
                .changed
                .wait(progress)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Lets the workers go home.
    pub fn stop(&self) {
        self.lock().stop = true;
        self.changed.notify_all();
    }
}

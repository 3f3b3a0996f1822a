//! `casebook watch`: build, then rebuild whenever a source under the book
//! folder changes. Changes are debounced (an editor's save is often several
//! writes), each rebuild prints one line with its time, and a rebuild that
//! fails prints its diagnostics and leaves the last good editions in place
//! (`build` writes all or nothing).
//!
//! File events come from the `notify` crate (inotify on Linux, FSEvents on
//! macOS, ReadDirectoryChangesW on Windows): watching by polling would cost
//! a full scan of the book every interval and still see saves late.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::{BuildError, BuildOptions, build};

/// How long the sources must stay quiet before a rebuild starts.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(250);

pub struct WatchOptions {
    pub build: BuildOptions,
    pub debounce: Duration,
    /// Stop after this many rebuilds (for scripts and tests); `None` runs
    /// until interrupted.
    pub max_rebuilds: Option<usize>,
}

/// One build, reported as one line (plus diagnostics when it failed);
/// `label` is the verb, "build" or "rebuild". Returns whether it succeeded.
pub fn build_once(options: &BuildOptions, label: &str) -> bool {
    let done = if label == "rebuild" {
        "rebuilt"
    } else {
        "built"
    };
    let started = Instant::now();
    match build(options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            let files: Vec<String> = report
                .written
                .iter()
                .map(|w| w.path.display().to_string())
                .collect();
            println!(
                "{done} in {:.0} ms: wrote {}",
                started.elapsed().as_secs_f64() * 1000.0,
                files.join(", ")
            );
            true
        }
        Err(BuildError::Sources(diagnostics)) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            println!(
                "{label} failed: {errors} error(s) in the sources; the previous editions are kept"
            );
            false
        }
        Err(BuildError::Output(message)) => {
            eprintln!("error: {message}");
            println!("{label} failed: {message}");
            false
        }
    }
}

/// True for events worth a rebuild: not the build's own output, not an
/// editor's swap or backup file.
fn is_source_event(path: &Path, out_dir: &Path) -> bool {
    if path.starts_with(out_dir) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

pub fn watch(options: &WatchOptions) -> Result<(), String> {
    let book_dir = options
        .build
        .book_dir
        .canonicalize()
        .map_err(|e| format!("cannot watch {}: {e}", options.build.book_dir.display()))?;
    let out_dir = std::fs::create_dir_all(&options.build.out_dir)
        .ok()
        .and_then(|()| options.build.out_dir.canonicalize().ok())
        .unwrap_or_else(|| options.build.out_dir.clone());
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reads (the build's own included) are access events: only a
        // change to a file's content or its presence counts.
        if let Ok(event) = event
            && matches!(
                event.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Modify(_)
                    | notify::EventKind::Remove(_)
            )
            && !matches!(
                event.kind,
                notify::EventKind::Modify(notify::event::ModifyKind::Metadata(_))
            )
        {
            let _ = sender.send(event.paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    watcher
        .watch(&book_dir, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", book_dir.display()))?;
    // The cover may live in `covers/` beside the book (see load::paths).
    let covers: PathBuf = book_dir
        .parent()
        .map(|p| p.join(crate::load::paths::COVERS_DIR))
        .unwrap_or_default();
    if covers.is_dir() {
        let _ = watcher.watch(&covers, RecursiveMode::NonRecursive);
    }
    println!(
        "watching {} (changes rebuild into {}; Ctrl-C stops)",
        book_dir.display(),
        options.build.out_dir.display()
    );
    build_once(&options.build, "build");
    let mut rebuilds = 0;
    loop {
        if options.max_rebuilds.is_some_and(|max| rebuilds >= max) {
            return Ok(());
        }
        // Wait for a change to a source, then for the sources to go quiet.
        let first = events
            .recv()
            .map_err(|_| "file watching stopped".to_string())?;
        let mut relevant = first.iter().any(|p| is_source_event(p, &out_dir));
        loop {
            match events.recv_timeout(options.debounce) {
                Ok(paths) => relevant |= paths.iter().any(|p| is_source_event(p, &out_dir)),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err("file watching stopped".into());
                }
            }
        }
        if relevant {
            build_once(&options.build, "rebuild");
            rebuilds += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_output_and_editor_files_do_not_trigger_rebuilds() {
        let out = Path::new("/b/dist");
        assert!(!is_source_event(Path::new("/b/dist/x.pdf"), out));
        assert!(!is_source_event(Path::new("/b/book/.x.md.swp"), out));
        assert!(!is_source_event(Path::new("/b/book/x.md~"), out));
        assert!(is_source_event(
            Path::new("/b/book/scenarios/01-a/01-x.md"),
            out
        ));
    }
}

//! Containment: every path a book names — chapters, category folders, intro
//! files, scenario files, figures, the cover — is resolved against the book
//! folder and canonicalised (symbolic links followed), and must land inside
//! it. A book may come from a pull request, so `book.yaml` is untrusted input:
//! `front: [/etc/shells]` or a figure that is a link to `~/.ssh/id_rsa` must
//! never put a byte of that file into an edition.
//!
//! One allowance, for the cover only: it may live in a folder named `covers`
//! beside the book folder (`../covers/cover.png`), because a project keeps
//! its cover art and the cover renderer's output next to `book/` rather than
//! among the sources. Nothing else outside the book is ever read.

use std::path::{Component, Path, PathBuf};

/// The folder beside the book where the cover may live.
pub const COVERS_DIR: &str = "covers";

/// The book folder, canonicalised once.
#[derive(Debug, Clone)]
pub struct BookRoot {
    canonical: PathBuf,
}

/// Which places outside the book a path may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// Only the book folder.
    BookOnly,
    /// The book folder, or the `covers` folder beside it.
    Cover,
}

impl BookRoot {
    pub fn new(root: &Path) -> std::io::Result<Self> {
        Ok(BookRoot {
            canonical: root.canonicalize()?,
        })
    }

    pub fn path(&self) -> &Path {
        &self.canonical
    }

    /// Resolves `relative` (as written in the sources) to a canonical path
    /// inside the book, or says why it cannot be read.
    pub fn resolve(&self, relative: &str, allowance: Allowance) -> Result<PathBuf, String> {
        let written = Path::new(relative);
        if relative.trim().is_empty() {
            return Err("the path is empty".into());
        }
        if written.is_absolute() || written.has_root() || relative.contains("://") {
            return Err(format!(
                "`{relative}` is an absolute path; paths are relative to the book folder"
            ));
        }
        if allowance == Allowance::BookOnly && lexically_escapes(written) {
            return Err(format!("`{relative}` lies outside the book folder"));
        }
        let joined = self.canonical.join(written);
        let canonical = joined.canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("`{relative}` does not exist"),
            _ => format!("`{relative}` cannot be read: {e}"),
        })?;
        self.contain(relative, &canonical, allowance)?;
        Ok(canonical)
    }

    /// Checks that an already canonical path lies where `allowance` permits.
    pub fn contain(
        &self,
        relative: &str,
        canonical: &Path,
        allowance: Allowance,
    ) -> Result<(), String> {
        if canonical.starts_with(&self.canonical) {
            return Ok(());
        }
        if allowance == Allowance::Cover
            && let Some(parent) = self.canonical.parent()
            && canonical.starts_with(parent.join(COVERS_DIR))
        {
            return Ok(());
        }
        let through_link = !lexically_escapes(Path::new(relative));
        Err(if through_link {
            format!("`{relative}` is a symbolic link to a file outside the book folder")
        } else {
            format!("`{relative}` lies outside the book folder")
        })
    }
}

/// True when a relative path's `..` steps climb above its starting folder.
fn lexically_escapes(path: &Path) -> bool {
    let mut depth: i32 = 0;
    for component in path.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::RootDir | Component::Prefix(_) => return true,
            Component::CurDir => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandbox(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("casebook-paths-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("book/front")).unwrap();
        std::fs::create_dir_all(dir.join("covers")).unwrap();
        std::fs::write(dir.join("book/front/a.md"), "# A\n").unwrap();
        std::fs::write(dir.join("covers/cover.png"), "png").unwrap();
        std::fs::write(dir.join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn paths_inside_the_book_resolve() {
        let dir = sandbox("inside");
        let root = BookRoot::new(&dir.join("book")).unwrap();
        let path = root.resolve("front/a.md", Allowance::BookOnly).unwrap();
        assert!(path.ends_with("book/front/a.md"));
        assert!(
            root.resolve("front/../front/a.md", Allowance::BookOnly)
                .is_ok()
        );
    }

    #[test]
    fn absolute_parent_and_missing_paths_are_refused() {
        let dir = sandbox("outside");
        let root = BookRoot::new(&dir.join("book")).unwrap();
        let abs = dir.join("secret.txt");
        let err = root
            .resolve(abs.to_str().unwrap(), Allowance::BookOnly)
            .unwrap_err();
        assert!(err.contains("absolute path"), "{err}");
        let err = root
            .resolve("../secret.txt", Allowance::BookOnly)
            .unwrap_err();
        assert!(err.contains("outside the book folder"), "{err}");
        let err = root
            .resolve("front/none.md", Allowance::BookOnly)
            .unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn only_the_cover_may_live_in_covers_beside_the_book() {
        let dir = sandbox("covers");
        let root = BookRoot::new(&dir.join("book")).unwrap();
        assert!(
            root.resolve("../covers/cover.png", Allowance::Cover)
                .is_ok()
        );
        assert!(
            root.resolve("../covers/cover.png", Allowance::BookOnly)
                .is_err()
        );
        assert!(root.resolve("../secret.txt", Allowance::Cover).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_book_are_refused() {
        let dir = sandbox("links");
        std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("book/front/b.md")).unwrap();
        let root = BookRoot::new(&dir.join("book")).unwrap();
        let err = root.resolve("front/b.md", Allowance::BookOnly).unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
    }
}

//! Writing report files so that nothing is ever half-written.
//!
//! Every file is first written to a hidden temporary sibling in the same directory
//! (`.<name>.tmp-<pid>-<n>`), then renamed over the target. A rename within one directory
//! is atomic on POSIX file systems, so a reader sees either the old file or the new one,
//! and an interrupted run leaves the previous results intact. All errors name the path.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Wrap an I/O error with what we were doing and to which path, keeping its kind.
pub(crate) fn with_path(err: io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{action} {}: {err}", path.display()))
}

/// A fresh temporary sibling of `target`: `.<file name>.tmp-<pid>-<n><ext>`, where `n` is
/// unique within this process (so two writers in one process never share a temp file)
/// and `ext` (e.g. `".png"`) lets format-sniffing writers see the right extension.
pub(crate) fn temp_sibling(target: &Path, ext: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    let tmp_name = format!(".{name}.tmp-{}-{n}{ext}", std::process::id());
    match target.parent() {
        Some(dir) => dir.join(tmp_name),
        None => PathBuf::from(tmp_name),
    }
}

/// Rename the finished temp file over `target`; on failure remove the temp file.
pub(crate) fn promote(tmp: &Path, target: &Path) -> io::Result<()> {
    fs::rename(tmp, target).map_err(|e| {
        let _ = fs::remove_file(tmp);
        with_path(e, "cannot replace", target)
    })
}

/// Write `bytes` to `path` atomically: write a temp file in the same directory, then
/// rename it over the target. On error the temp file is removed and the target is
/// untouched. The data is not fsynced (a report can be regenerated after a power cut;
/// what matters is never seeing a truncated file after a crash or Ctrl-C).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| with_path(e, "cannot write", path))?;
    file.commit()
}

/// Create the directory `path` and its parents; the error names the path.
pub fn ensure_dir(path: &Path) -> io::Result<()> {
    fs::create_dir_all(path).map_err(|e| with_path(e, "cannot create directory", path))
}

/// A file written in pieces (e.g. streamed CSV) that appears at its target only when
/// [`commit`](AtomicFile::commit) succeeds.
///
/// Writes are buffered. Dropping an `AtomicFile` without committing removes the temp file
/// and leaves any existing target as it was.
#[derive(Debug)]
pub struct AtomicFile {
    writer: Option<BufWriter<File>>,
    tmp: PathBuf,
    target: PathBuf,
}

impl AtomicFile {
    /// Open a temp file next to `path`. The target itself is not touched until `commit`.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let tmp = temp_sibling(path, "");
        let file = File::create(&tmp).map_err(|e| with_path(e, "cannot create", &tmp))?;
        Ok(AtomicFile {
            writer: Some(BufWriter::new(file)),
            tmp,
            target: path.to_path_buf(),
        })
    }

    /// The path the file will have after `commit`.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush the buffer and rename the temp file over the target. On error the temp file
    /// is removed and the target is untouched.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self
            .writer
            .take()
            .expect("writer present until commit or drop");
        let flushed = writer
            .into_inner()
            .map_err(|e| with_path(e.into_error(), "cannot write", &self.target));
        match flushed {
            Ok(file) => {
                drop(file);
                promote(&self.tmp, &self.target)
            }
            Err(e) => {
                let _ = fs::remove_file(&self.tmp);
                Err(e)
            }
        }
    }

    fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer
            .as_mut()
            .expect("writer present until commit or drop")
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            // Not committed: discard. Dropping the BufWriter may try to flush; that only
            // touches the temp file, which is removed right after.
            drop(writer);
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_atomic_writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metrics.json");
        write_atomic(&p, b"{\"a\":1}").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"{\"a\":1}");
        write_atomic(&p, b"second").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second");
        assert_eq!(entries(dir.path()), vec!["metrics.json"]);
    }

    #[test]
    fn atomic_file_streams_then_commits() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("runs.csv");
        let mut f = AtomicFile::create(&p).unwrap();
        assert_eq!(f.target(), p.as_path());
        for i in 0..1000 {
            writeln!(f, "{i},{}", i * 2).unwrap();
        }
        assert!(!p.exists(), "target must not appear before commit");
        f.commit().unwrap();
        let text = fs::read_to_string(&p).unwrap();
        assert_eq!(text.lines().count(), 1000);
        assert!(text.ends_with("999,1998\n"));
        assert_eq!(entries(dir.path()), vec!["runs.csv"]);
    }

    #[test]
    fn drop_without_commit_keeps_old_target_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("runs.csv");
        fs::write(&p, "old content").unwrap();
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"new half-written content").unwrap();
            f.flush().unwrap();
            // Simulate a failure mid-stream: the writer is dropped.
        }
        assert_eq!(fs::read_to_string(&p).unwrap(), "old content");
        assert_eq!(entries(dir.path()), vec!["runs.csv"]);
    }

    #[test]
    fn failed_rename_leaves_target_and_no_temp() {
        // The target is a non-empty directory: the rename fails.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("occupied");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep.txt"), "keep").unwrap();
        let err = write_atomic(&target, b"data").unwrap_err();
        assert!(err.to_string().contains("occupied"), "{err}");
        assert_eq!(fs::read_to_string(target.join("keep.txt")).unwrap(), "keep");
        assert_eq!(entries(dir.path()), vec!["occupied"]);
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir").join("metrics.json");
        let err = write_atomic(&missing, b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("no-such-dir"), "{err}");

        let file = dir.path().join("a-file");
        fs::write(&file, "x").unwrap();
        let err = ensure_dir(&file.join("sub")).unwrap_err();
        assert!(err.to_string().contains("a-file"), "{err}");
    }

    #[test]
    fn ensure_dir_creates_parents() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a").join("b").join("c");
        ensure_dir(&nested).unwrap();
        assert!(nested.is_dir());
        ensure_dir(&nested).unwrap(); // idempotent
    }

    #[test]
    fn temp_names_are_hidden_siblings_and_unique() {
        let t = Path::new("/x/y/metrics.json");
        let a = temp_sibling(t, "");
        let b = temp_sibling(t, ".png");
        assert_eq!(a.parent(), t.parent());
        let an = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(an.starts_with(".metrics.json.tmp-"), "{an}");
        assert!(an.contains(&std::process::id().to_string()));
        assert_ne!(a, b);
        assert!(b.to_string_lossy().ends_with(".png"));
    }
}

//! Writing files so that nothing is ever left half-written: write a temporary file in
//! the same directory, then rename it over the target.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

fn with_path(e: io::Error, what: &str, p: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", p.display()))
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Write `bytes` to `path` atomically: the target either keeps its old content or has
/// all of the new.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)
        .map_err(|e| with_path(e, "cannot write", path))?;
    f.commit()
}

/// Create a directory and its parents, with an error that names it.
pub fn ensure_dir(path: &Path) -> io::Result<()> {
    fs::create_dir_all(path).map_err(|e| with_path(e, "cannot create directory", path))
}

/// A file written in pieces (a streamed CSV) that appears under its name only when
/// committed; dropped without a commit, it leaves no trace.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let temp = temp_path(target);
        let file = File::create(&temp).map_err(|e| with_path(e, "cannot create", &temp))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            out: Some(BufWriter::new(file)),
        })
    }

    /// Flush and move the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let out = self.out.take().expect("not yet committed");
        let file = out
            .into_inner()
            .map_err(|e| with_path(e.into_error(), "cannot write", &self.temp))?;
        file.sync_all()
            .map_err(|e| with_path(e, "cannot sync", &self.temp))?;
        drop(file);
        fs::rename(&self.temp, &self.target)
            .map_err(|e| with_path(e, "cannot rename into", &self.target))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.as_mut().expect("not yet committed").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half").unwrap();
            // dropped without commit
        }
        assert_eq!(fs::read(&p).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn errors_name_the_path() {
        let e = write_atomic(Path::new("/nonexistent-dir/x.csv"), b"x").unwrap_err();
        assert!(e.to_string().contains("/nonexistent-dir"), "{e}");
    }
}

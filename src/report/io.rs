//! Writing report files so that nothing is ever half-written, and output folders so that
//! they are never mixed from two runs.
//!
//! Every file is first written to a hidden temporary sibling in the same directory
//! (`.<name>.tmp-<pid>-<n>`), then renamed over the target. A rename within one directory
//! is atomic on POSIX file systems, so a reader sees either the old file or the new one.
//!
//! A command's output folder is an [`OutputSet`]: its files are written into a hidden
//! sibling folder, `MANIFEST.json` (each file's SHA-256) is written last, and the folder
//! then replaces the previous one in one step. A run killed at any moment leaves either
//! the previous set or the new one, whole; [`verify`] checks a folder against its
//! manifest, and the next set written beside a killed one removes its leftovers. All
//! errors name the path.

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
    })?;
    if let Some(name) = target.file_name() {
        failpoint("after-write", &name.to_string_lossy());
    }
    Ok(())
}

/// Test hook: with `STCE_FAILPOINT=<point>:<name>` in the environment, the process
/// aborts (as a kill -9 would stop it, with no clean-up) when it reaches that point,
/// e.g. `after-write:offices.csv`, `before-publish:MANIFEST.json`. Lets tests interrupt
/// a real process at each write.
pub(crate) fn failpoint(point: &str, name: &str) {
    if let Ok(want) = std::env::var("STCE_FAILPOINT")
        && want.split_once(':') == Some((point, name))
    {
        std::process::abort();
    }
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

/// The name of the manifest written last into every output set.
pub const MANIFEST: &str = "MANIFEST.json";
/// What a manifest's `format` says.
pub const MANIFEST_FORMAT: &str = "stce-output-set/1";

/// The manifest of an output set: every file of the folder and its SHA-256. Written last,
/// so a folder with a manifest that matches its files is a whole set.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetManifest {
    pub format: String,
    /// File name → lowercase hex SHA-256 of its bytes, in name order.
    pub files: std::collections::BTreeMap<String, String>,
}

/// An output folder written as a set: all of its files appear together or none do.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// use stce::report::io::OutputSet;
/// let set = OutputSet::begin(std::path::Path::new("out"))?;
/// set.write("metrics.json", b"{}")?;
/// // Writers that take a folder (plots) write into `set.dir()`.
/// set.commit()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct OutputSet {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl OutputSet {
    /// Start a set that will replace folder `dir`. Creates `dir`'s parent if needed and
    /// removes what killed writers of `dir` left behind.
    pub fn begin(dir: &Path) -> io::Result<OutputSet> {
        let target = absolute(dir)?;
        let (parent, name) = split(&target)?;
        ensure_dir(&parent)?;
        recover(&parent, &name)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| with_path(e, "cannot remove", &staging))?;
        }
        fs::create_dir(&staging).map_err(|e| with_path(e, "cannot create directory", &staging))?;
        Ok(OutputSet {
            target,
            staging,
            committed: false,
        })
    }

    /// The folder files are written into until `commit` (a hidden sibling of the target).
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The folder the set will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write one file of the set.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        write_atomic(&self.staging.join(name), bytes)
    }

    /// Write the manifest and put the set in place of the target folder, in one rename
    /// where the target is new or a previous output set. A target folder holding files
    /// of its own (not listed in its manifest) is never removed: the set's files are then
    /// moved into it one by one, the manifest last.
    pub fn commit(mut self) -> io::Result<()> {
        let manifest = manifest_of(&self.staging)?;
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        write_atomic(&self.staging.join(MANIFEST), &bytes)?;
        failpoint("before-publish", MANIFEST);
        publish(&self.staging, &self.target, &manifest)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Check that `dir` is a whole output set: its manifest exists and every file it lists
/// has the listed SHA-256. Returns the manifest; the error says what is missing or
/// differs (e.g. a folder left by a killed run of an older version, or edited by hand).
pub fn verify(dir: &Path) -> Result<SetManifest, String> {
    let path = dir.join(MANIFEST);
    let bytes = fs::read(&path).map_err(|e| {
        format!(
            "{}: {e}; the folder is not a complete output set (interrupted, or written by hand)",
            path.display()
        )
    })?;
    let m: SetManifest =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    for (name, want) in &m.files {
        let p = dir.join(name);
        let got = fs::read(&p)
            .map(|b| sha256_hex(&b))
            .map_err(|e| format!("{}: {e}", p.display()))?;
        if &got != want {
            return Err(format!(
                "{}: its SHA-256 differs from {MANIFEST}: the file was changed after the set was written",
                p.display()
            ));
        }
    }
    Ok(m)
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn absolute(dir: &Path) -> io::Result<PathBuf> {
    let p = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()?.join(dir)
    };
    // `out/.` or `out/` name the folder `out`.
    Ok(p.components().collect())
}

fn split(target: &Path) -> io::Result<(PathBuf, String)> {
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => {
            Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
        }
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{}: an output folder needs a name and a parent folder",
                target.display()
            ),
        )),
    }
}

/// The files the output set in `dir` lists, or `None` when the folder has no manifest.
/// Files of the user's own beside a set are not in it.
fn set_files(dir: &Path) -> Option<std::collections::BTreeSet<String>> {
    let bytes = fs::read(dir.join(MANIFEST)).ok()?;
    let m: SetManifest = serde_json::from_slice(&bytes).ok()?;
    Some(m.files.into_keys().collect())
}

/// Rewrite the manifest of the output set in `dir` after `added` files joined it
/// (`stce report`'s report.html), so it again lists each of its files with its hash.
/// Other files in the folder stay outside the set. A folder without a manifest is left
/// alone.
pub fn reseal(dir: &Path, added: &[String]) -> io::Result<()> {
    let Some(mut names) = set_files(dir) else {
        return Ok(());
    };
    names.extend(added.iter().cloned());
    let mut files = std::collections::BTreeMap::new();
    for name in names {
        let path = dir.join(&name);
        match fs::read(&path) {
            Ok(bytes) => {
                files.insert(name, sha256_hex(&bytes));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(with_path(e, "cannot read", &path)),
        }
    }
    let manifest = SetManifest {
        format: MANIFEST_FORMAT.to_string(),
        files,
    };
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
    write_atomic(&dir.join(MANIFEST), &bytes)
}

fn manifest_of(staging: &Path) -> io::Result<SetManifest> {
    let mut files = std::collections::BTreeMap::new();
    for entry in fs::read_dir(staging).map_err(|e| with_path(e, "cannot list", staging))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MANIFEST || name.starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        let bytes =
            fs::read(entry.path()).map_err(|e| with_path(e, "cannot read", &entry.path()))?;
        files.insert(name, sha256_hex(&bytes));
    }
    Ok(SetManifest {
        format: MANIFEST_FORMAT.to_string(),
        files,
    })
}

/// Whether every entry of `dir` belongs to the output set its manifest describes (or
/// the folder is empty): only then may the whole folder be replaced.
fn replaceable(dir: &Path) -> io::Result<bool> {
    let listed = fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<SetManifest>(&b).ok())
        .map(|m| m.files)
        .unwrap_or_default();
    for entry in fs::read_dir(dir).map_err(|e| with_path(e, "cannot list", dir))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && !listed.contains_key(&name) && !is_leftover(&name) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn publish(staging: &Path, target: &Path, m: &SetManifest) -> io::Result<()> {
    let meta = fs::symlink_metadata(target);
    if meta.is_err() {
        return fs::rename(staging, target).map_err(|e| with_path(e, "cannot create", target));
    }
    if meta?.is_dir() && replaceable(target)? {
        if exchange(staging, target)? {
            // The previous set is now at the staging path.
            return fs::remove_dir_all(staging).map_err(|e| with_path(e, "cannot remove", staging));
        }
        // No atomic exchange here: move the old folder aside, then the new one in. A kill
        // between the two renames is repaired by `recover`.
        let old = staging.with_file_name(
            staging
                .file_name()
                .map(|n| n.to_string_lossy().replace(".partial-", ".old-"))
                .unwrap_or_default(),
        );
        fs::rename(target, &old).map_err(|e| with_path(e, "cannot move aside", target))?;
        failpoint("mid-publish", MANIFEST);
        fs::rename(staging, target).map_err(|e| with_path(e, "cannot create", target))?;
        return fs::remove_dir_all(&old).map_err(|e| with_path(e, "cannot remove", &old));
    }
    // A folder with files of its own: move ours in one by one, removing its old
    // manifest first and writing ours last, so it never vouches for a mixed set.
    ensure_dir(target)?;
    let _ = fs::remove_file(target.join(MANIFEST));
    for name in m.files.keys() {
        promote(&staging.join(name), &target.join(name))?;
    }
    promote(&staging.join(MANIFEST), &target.join(MANIFEST))?;
    fs::remove_dir_all(staging).map_err(|e| with_path(e, "cannot remove", staging))
}

/// Swap two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`); `false` where the
/// system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(with_path(e, "cannot replace", b)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// `.X.tmp-PID-N…`, `.X.partial-PID` or `.X.old-PID`: the process id of a writer's
/// temporary file or folder.
fn writer_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    for marker in [".tmp-", ".partial-", ".old-"] {
        if let Some(i) = rest.rfind(marker) {
            let tail = &rest[i + marker.len()..];
            let digits: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
            return digits.parse().ok();
        }
    }
    None
}

fn is_leftover(name: &str) -> bool {
    writer_pid(name).is_some()
}

/// Whether process `pid` is alive (where the system lets us tell; otherwise assume so,
/// and leave its files alone).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Remove what killed writers of folder `name` in `parent` left: their staging folders,
/// a previous set moved aside, temp files inside the folder. A publish killed between
/// its two renames is completed (the new set is whole: its manifest was written before).
fn recover(parent: &Path, name: &str) -> io::Result<()> {
    let target = parent.join(name);
    let prefix = format!(".{name}.");
    let mut dead: Vec<(PathBuf, bool)> = Vec::new();
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = n.strip_prefix(&prefix) else {
                continue;
            };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir
                && (rest.starts_with("partial-") || rest.starts_with("old-"))
                && writer_pid(&n).is_some_and(|p| !alive(p))
            {
                dead.push((entry.path(), rest.starts_with("partial-")));
            }
        }
    }
    if !target.exists() {
        // Killed between "old aside" and "new in": finish with a whole new set, or put
        // the old one back.
        if let Some((old, _)) = dead.iter().find(|(_, partial)| !partial) {
            let pid = old
                .file_name()
                .and_then(|n| writer_pid(&n.to_string_lossy()));
            let whole_new = dead.iter().find(|(p, partial)| {
                *partial
                    && p.file_name().and_then(|n| writer_pid(&n.to_string_lossy())) == pid
                    && p.join(MANIFEST).is_file()
            });
            let back = whole_new.map_or(old, |(p, _)| p);
            fs::rename(back, &target).map_err(|e| with_path(e, "cannot restore", &target))?;
        }
    }
    for (p, _) in dead {
        if p.exists() {
            fs::remove_dir_all(&p).map_err(|e| with_path(e, "cannot remove", &p))?;
        }
    }
    remove_leftovers(&target);
    Ok(())
}

/// Remove the temporary files (`.X.tmp-PID-N`) that killed writers left in `dir`; those
/// of live processes are left alone.
pub fn remove_leftovers(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            if writer_pid(&n).is_some_and(|p| !alive(p))
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = fs::remove_file(entry.path());
            }
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
    fn a_publish_killed_between_its_renames_is_completed_or_undone() {
        // A pid that no process has: the writer is dead.
        let dead = 4_294_000_000u32;
        for new_is_whole in [true, false] {
            let tmp = tempfile::tempdir().unwrap();
            let old = tmp.path().join(format!(".out.old-{dead}"));
            let new = tmp.path().join(format!(".out.partial-{dead}"));
            fs::create_dir(&old).unwrap();
            fs::write(old.join("a.csv"), "old").unwrap();
            fs::create_dir(&new).unwrap();
            fs::write(new.join("a.csv"), "new").unwrap();
            if new_is_whole {
                fs::write(new.join(MANIFEST), "{}").unwrap();
            }
            let set = OutputSet::begin(&tmp.path().join("out")).unwrap();
            let want = if new_is_whole { "new" } else { "old" };
            let out = tmp.path().join("out");
            assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), want);
            drop(set);
            assert_eq!(entries(tmp.path()), vec!["out"], "leftovers remain");
        }
    }

    #[test]
    fn sets_replace_whole_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let set = OutputSet::begin(&out).unwrap();
        set.write("a.csv", b"1").unwrap();
        set.write("b.csv", b"2").unwrap();
        set.commit().unwrap();
        assert_eq!(entries(&out), vec![MANIFEST, "a.csv", "b.csv"]);
        let m = verify(&out).unwrap();
        assert_eq!(m.files["a.csv"], sha256_hex(b"1"));
        // A second set without b.csv replaces the folder: no stale b.csv remains.
        let set = OutputSet::begin(&out).unwrap();
        set.write("a.csv", b"3").unwrap();
        set.commit().unwrap();
        assert_eq!(entries(&out), vec![MANIFEST, "a.csv"]);
        // Dropped without commit: nothing changes, nothing is left.
        let set = OutputSet::begin(&out).unwrap();
        set.write("a.csv", b"4").unwrap();
        drop(set);
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"3");
        assert_eq!(entries(tmp.path()), vec!["out"]);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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

//! Files s75lint writes (reports, baselines): never one of its inputs, never half-written.
//!
//! Each output is written to a temporary file beside its target and renamed into place only
//! when the whole run has succeeded, so a killed run leaves the previous report whole, and two
//! runs writing the same report cannot interleave. Before anything is written, every target is
//! compared with every input by file identity (device and inode, through symbolic and hard
//! links): a report path that names an agreement, rule file, configuration or baseline would
//! otherwise replace the very file that was checked.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// An output being written: a temporary file that becomes `target` on [`OutputFile::commit`]
/// and is removed if dropped uncommitted.
#[derive(Debug)]
pub(crate) struct OutputFile {
    /// The path as given (for messages).
    target: PathBuf,
    /// The file the temporary one is renamed over: `target`, or the file it links to.
    dest: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl OutputFile {
    /// Creates the temporary file in the target's folder (so the final rename stays on one
    /// filesystem and is atomic). Fails, naming the path, when the folder is missing or
    /// cannot be written.
    pub(crate) fn create(target: &Path) -> Result<OutputFile, String> {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let shown = target;
        // A target that is a symbolic link is written through: the file it leads to gets the
        // report and the link stays (renaming over the link itself would replace it).
        let dest = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => target.canonicalize().map_err(|e| {
                format!(
                    "cannot write {}: it is a symbolic link that leads to no file ({e})",
                    shown.display()
                )
            })?,
            _ => target.to_path_buf(),
        };
        let target = dest.as_path();
        let dir = parent_dir(target);
        let name = target.file_name().ok_or_else(|| {
            format!(
                "cannot write {}: it names a folder, not a file",
                target.display()
            )
        })?;
        if !dir.is_dir() {
            return Err(format!(
                "cannot write {}: the folder {} does not exist",
                target.display(),
                dir.display()
            ));
        }
        if target.is_dir() {
            return Err(format!("cannot write {}: it is a folder", target.display()));
        }
        let temp = dir.join(format!(
            ".{}.s75lint-{}-{}.tmp",
            name.to_string_lossy(),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        Ok(OutputFile {
            target: shown.to_path_buf(),
            dest,
            temp,
            writer: Some(BufWriter::new(file)),
        })
    }

    /// The path the output will have once committed.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// The target and the writer at once (for outputs that keep both).
    pub(crate) fn parts(&mut self) -> (&Path, &mut dyn Write) {
        let w: &mut dyn Write = self
            .writer
            .as_mut()
            .expect("an output is written before it is committed");
        (&self.target, w)
    }

    /// Where to write the output's content.
    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        // Only `commit`, which consumes the output, takes the writer away.
        self.writer
            .as_mut()
            .expect("an output is written before it is committed")
    }

    /// Flushes the content to disk and renames it over the target.
    pub(crate) fn commit(mut self) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.target.display());
        let writer = self
            .writer
            .take()
            .ok_or_else(|| fail(std::io::Error::other("closed")))?;
        let file = writer.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        drop(file);
        std::fs::rename(&self.temp, &self.dest).map_err(fail)?;
        Ok(())
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Not committed (an error, or a refused run): the target keeps its old content.
        // (After a commit the temporary name no longer exists, and removing it fails harmlessly.)
        drop(self.writer.take());
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// The folder a path's file lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuses outputs that would overwrite an input or each other: every target is compared with
/// every input by file identity and by its resolved folder and name (which still works when
/// the file cannot be looked at: a link to itself, a file that has gone), and the targets with
/// each other likewise. `outputs` pairs each target with the option that named it, for the
/// message.
pub(crate) fn check_targets(outputs: &[(&Path, &str)], inputs: &[PathBuf]) -> Result<(), String> {
    let input_handles: std::collections::HashMap<FileId, &PathBuf> = inputs
        .iter()
        .filter_map(|p| file_id(p).map(|h| (h, p)))
        .collect();
    let input_names: std::collections::HashMap<PathBuf, &PathBuf> =
        inputs.iter().map(|p| (resolved(p), p)).collect();
    let mut seen: Vec<(PathBuf, Option<FileId>, &Path, &str)> = Vec::new();
    for &(target, option) in outputs {
        let handle = file_id(target);
        if let Some(h) = &handle {
            if let Some(input) = input_handles.get(h) {
                return Err(format!(
                    "{option} {} is the same file as the input {}; writing it would destroy \
                     that file. Name another file for the output.",
                    target.display(),
                    input.display()
                ));
            }
        }
        let key = resolved(target);
        if let Some(input) = input_names.get(&key) {
            return Err(format!(
                "{option} {} names the input {}; writing it would replace that file. Name \
                 another file for the output.",
                target.display(),
                input.display()
            ));
        }
        if let Some((_, _, first, first_option)) = seen
            .iter()
            .find(|(k, h, ..)| *k == key || matches!((h, &handle), (Some(a), Some(b)) if a == b))
        {
            return Err(format!(
                "{option} {} and {first_option} {} name the same file; give each output its own file",
                target.display(),
                first.display()
            ));
        }
        seen.push((key, handle, target, option));
    }
    Ok(())
}

/// A file's identity: device and inode, through symbolic links. Read from the metadata
/// rather than by opening the file, which would wait for ever on a named pipe.
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere, the file's resolved path stands for its identity (hard links are not seen).
#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    use std::hash::{Hash, Hasher};
    let p = path.canonicalize().ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.hash(&mut h);
    Some((0, h.finish()))
}

/// A target's folder resolved through links, joined with its name: two spellings of one
/// not-yet-existing file resolve alike.
fn resolved(path: &Path) -> PathBuf {
    let dir = parent_dir(path);
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    match path.file_name() {
        Some(n) => dir.join(n),
        None => dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let d =
                std::env::temp_dir().join(format!("s75lint-outfile-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            TempDir(d)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_target_changes_only_on_commit() {
        let d = TempDir::new("commit");
        let target = d.0.join("r.json");
        std::fs::write(&target, "old").unwrap();
        let mut out = OutputFile::create(&target).unwrap();
        out.writer().write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(&d.0).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_dropped_output_leaves_the_old_file_and_no_temporary() {
        let d = TempDir::new("drop");
        let target = d.0.join("r.json");
        std::fs::write(&target, "old").unwrap();
        let mut out = OutputFile::create(&target).unwrap();
        out.writer().write_all(b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&d.0).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_named() {
        let e = OutputFile::create(Path::new("/nonexistent-s75lint/x/r.json")).unwrap_err();
        assert!(
            e.contains("the folder /nonexistent-s75lint/x does not exist"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_target_is_written_through_and_a_link_to_nothing_refused() {
        let d = TempDir::new("links");
        let real = d.0.join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = d.0.join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut out = OutputFile::create(&link).unwrap();
        out.writer().write_all(b"new").unwrap();
        assert_eq!(out.target(), link.as_path());
        out.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A link to itself (found by the files fuzz target) leads nowhere.
        let own = d.0.join("own.yaml");
        std::os::unix::fs::symlink(&own, &own).unwrap();
        let e = OutputFile::create(&own).unwrap_err();
        assert!(e.contains("symbolic link that leads to no file"), "{e}");
    }

    #[test]
    fn targets_that_are_inputs_or_each_other_are_refused() {
        let d = TempDir::new("targets");
        let a = d.0.join("a.yaml");
        std::fs::write(&a, "s75lint: 1\n").unwrap();
        let hard = d.0.join("hard.json");
        std::fs::hard_link(&a, &hard).unwrap();
        let inputs = vec![a.clone()];
        let e = check_targets(&[(&hard, "--output")], &inputs).unwrap_err();
        assert!(e.contains("is the same file as the input"), "{e}");
        // An input that cannot be looked at is still matched by its name.
        let gone = d.0.join("gone.yaml");
        let e = check_targets(&[(&gone, "--output")], std::slice::from_ref(&gone)).unwrap_err();
        assert!(e.contains("names the input"), "{e}");
        #[cfg(unix)]
        {
            let link = d.0.join("link.json");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(check_targets(&[(&link, "--output")], &inputs).is_err());
        }
        let r1 = d.0.join("r.json");
        let r2 = d.0.join(".").join("r.json");
        let e =
            check_targets(&[(&r1, "--output"), (&r2, "--write-baseline")], &inputs).unwrap_err();
        assert!(e.contains("name the same file"), "{e}");
        assert!(check_targets(&[(&r1, "--output")], &inputs).is_ok());
    }
}

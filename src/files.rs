//! Finding and reading agreement files: walking the paths given, reading each file safely
//! (regular files only, within a size limit, as UTF-8 text) and telling an agreement apart from
//! other YAML by its marker. Never writes.

use std::path::{Path, PathBuf};

/// Files larger than this are refused: no real agreement comes near it, and it bounds memory.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// One file to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// The file.
    pub path: PathBuf,
    /// Whether it was named on the command line (rather than found in a folder).
    pub explicit: bool,
    /// For a file found in a folder: the index of that folder in [`Walk::roots`].
    pub root: Option<usize>,
}

/// What walking the paths given found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Walk {
    /// The files to check, in the order of their paths as shown (a file named twice is listed
    /// twice, in argument order).
    pub files: Vec<Found>,
    /// The folders given, in argument order.
    pub roots: Vec<PathBuf>,
    /// Paths that do not exist, folders that could not be read, symbolic link loops.
    pub errors: Vec<String>,
}

/// Lists the files to check under `paths`: files named are always listed; folders are walked
/// for `.yaml` / `.yml` files, skipping hidden folders such as `.git`. Paths for which
/// `excluded` is true are left out (a folder given is walked even so; files in it are tested
/// one by one).
pub(crate) fn walk(paths: &[PathBuf], excluded: impl Fn(&Path) -> bool) -> Walk {
    let mut out = Walk::default();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => out
                .errors
                .push(format!("{}: {}", p.display(), io_reason(&e))),
            Ok(m) if m.is_dir() => {
                let root = out.roots.len();
                out.roots.push(p.clone());
                walk_folder(p, root, &excluded, &mut out);
            }
            Ok(_) if excluded(p) => {}
            Ok(_) => out.files.push(Found {
                path: p.clone(),
                explicit: true,
                root: None,
            }),
        }
    }
    // Stable, so a file named twice is reported twice, in argument order.
    out.files
        .sort_by(|a, b| a.path.to_string_lossy().cmp(&b.path.to_string_lossy()));
    out
}

/// Adds the agreement-looking files under the folder `dir` (root number `root`) to `out`.
fn walk_folder(dir: &Path, root: usize, excluded: &impl Fn(&Path) -> bool, out: &mut Walk) {
    // Symbolic links are followed so a linked folder is checked; walkdir detects loops and we
    // report them rather than recurse forever.
    let mut visited = 0usize;
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(MAX_WALK_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.')) {
                return false;
            }
            // A link into the kernel's own filesystems (`/sys`, `/proc`, `/dev`) leads to
            // endless or unreadable files and never an agreement: not followed, quietly.
            if e.path_is_symlink() && e.file_type().is_dir() && into_special(e.path()) {
                return false;
            }
            true
        });
    for entry in walker {
        visited += 1;
        if visited > MAX_WALK_ENTRIES {
            out.errors.push(format!(
                "{}: stopped looking for agreements after {MAX_WALK_ENTRIES} entries; name the \
                 folders that hold agreements instead",
                dir.display()
            ));
            break;
        }
        match entry {
            Ok(e) if e.file_type().is_file() && is_yaml(e.path()) && !excluded(e.path()) => {
                out.files.push(Found {
                    path: e.into_path(),
                    explicit: false,
                    root: Some(root),
                })
            }
            Ok(_) => {}
            Err(err) => {
                let where_ = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let why = if err.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it; not followed".to_string()
                } else {
                    err.io_error().map_or_else(|| err.to_string(), io_reason)
                };
                out.errors.push(format!("{where_}: {why}"));
            }
        }
    }
}

/// Folders deeper than this below a folder given are not walked.
const MAX_WALK_DEPTH: usize = 64;

/// Entries (files and folders) a walk visits before it stops.
const MAX_WALK_ENTRIES: usize = 1_000_000;

/// True when a link leads into the kernel's filesystems, which hold no agreements and can be
/// endless.
fn into_special(link: &Path) -> bool {
    std::fs::canonicalize(link)
        .is_ok_and(|t| ["/sys", "/proc", "/dev"].iter().any(|s| t.starts_with(s)))
}

/// Reads a file as UTF-8 text, refusing what cannot be an agreement. Never writes.
pub(crate) fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("{} is a directory", path.display()));
    }
    // A pipe, socket or device could block for ever or never end: only regular files are read.
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (a pipe, socket or device); it was not checked",
            path.display()
        ));
    }
    let too_big = |len: u64| {
        format!(
            "{} is {:.1} MB, over the limit of {} MB for an agreement file; it was not checked",
            path.display(),
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit, in case the file grew since it was measured.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    decode(bytes).map_err(|why| format!("{} {why}", path.display()))
}

/// Reads a file that s75lint uses rather than checks (a rule file, the configuration, a
/// baseline) with the same guards as an agreement: a regular file only (a named pipe would
/// wait for ever, `/dev/zero` never end), at most [`MAX_FILE_BYTES`], UTF-8 text. The error is
/// the reason alone, for the caller to put after the file's name.
pub(crate) fn read_guarded(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        return Err("it is a directory".into());
    }
    if !meta.is_file() {
        return Err("it is not a regular file (a pipe, socket or device)".into());
    }
    let too_big = |len: u64| {
        format!(
            "it is {:.1} MB, over the limit of {} MB",
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| io_reason(&e))?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    decode(bytes)
}

/// Turns file bytes into text: UTF-8 (a leading BOM is dropped); UTF-16 and binary data are
/// refused with a reason.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("is saved as UTF-16 text; save it as UTF-8".into());
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if bytes.contains(&0) {
        return Err("holds binary data (a NUL byte), not text".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        // Said as a line and column, as people find places in a file; the text before the bad
        // byte is valid, so it can be counted in characters.
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!(
            "is not valid UTF-8 text at line {line}, column {column} (byte 0x{:02X}); save it as UTF-8",
            bytes[at]
        )
    })
}

/// An I/O error in words, without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn is_yaml(p: &Path) -> bool {
    // Any case: `AGREEMENT.YAML` is an agreement file like any other.
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// True when the text has an `s75lint:` key at the start of a line: the agreement marker,
/// found even where the YAML around it is broken.
pub(crate) fn looks_like_agreement(src: &str) -> bool {
    src.lines().any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        l.strip_prefix("s75lint")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// True when a file that could not be read as text may still be an agreement: its first 64 KiB
/// (read without reading a huge file whole) carry the marker, or cannot be read at all.
pub(crate) fn may_be_agreement(path: &Path) -> bool {
    head(path).is_none_or(|b| looks_like_agreement(&String::from_utf8_lossy(&b)))
}

/// The first 64 KiB of a file.
fn head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut buf)
        .ok()?;
    Some(buf)
}

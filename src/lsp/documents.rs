//! The documents the editor has open: their text as the editor holds it (which may differ from
//! the file on disk), and the last check of each, which hovers and code actions read.

use super::encoding::{Encoding, LineMap};
use crate::report::FileReport;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

/// One open document.
pub(crate) struct Document {
    /// The text as the editor holds it.
    pub text: Arc<String>,
    /// The editor's version of it.
    pub version: i32,
    /// The file it is, when it is a file (`file:` URI): its configuration is found from it.
    pub path: Option<PathBuf>,
    /// The last check of this text (None when it is not an agreement, or was not checked).
    pub report: Option<FileReport>,
}

/// Every open document, by URI.
#[derive(Default)]
pub(crate) struct Documents {
    docs: HashMap<Uri, Document>,
}

impl Documents {
    /// Starts tracking a document the editor opened.
    pub(crate) fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = path_of(&uri);
        self.docs.insert(
            uri,
            Document {
                text: Arc::new(text),
                version,
                path,
                report: None,
            },
        );
    }

    /// Applies the editor's changes, in order: a change with a range replaces that range, one
    /// without replaces the whole text. Unknown documents are ignored.
    pub(crate) fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let text = Arc::make_mut(&mut doc.text);
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = LineMap::new(text, enc).span(range);
                    text.replace_range(span.start..span.end, &change.text);
                }
                None => *text = change.text,
            }
        }
        doc.version = version;
        doc.report = None;
    }

    /// Stops tracking a document the editor closed.
    pub(crate) fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    /// An open document.
    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri)
    }

    /// An open document, to update.
    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.docs.get_mut(uri)
    }

    /// The URIs of every open document.
    pub(crate) fn uris(&self) -> Vec<Uri> {
        self.docs.keys().cloned().collect()
    }
}

/// The file a `file:` URI names (percent-decoded), if it names one.
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    // `file:///C:/x` on Windows is the path `C:/x`.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => &path[1..],
        _ => &path[..],
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of a path (made absolute against the current folder when it is not).
pub fn uri_of(path: &std::path::Path) -> Option<Uri> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_and_paths_go_both_ways() {
        let p = std::path::Path::new("/tmp/agreements/Zoë's BCF.yaml");
        let uri = uri_of(p).expect("a uri");
        assert_eq!(
            uri.as_str(),
            "file:///tmp/agreements/Zo%C3%AB%27s%20BCF.yaml"
        );
        assert_eq!(path_of(&uri).as_deref(), Some(p));
        let untitled = Uri::from_str("untitled:Untitled-1").expect("a uri");
        assert_eq!(path_of(&untitled), None);
    }
}

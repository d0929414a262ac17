//! Reading articles: expands the paths given to `parley import` (files, folders, `-` for stdin) into
//! sources, reads each one and decodes it, refusing what is empty, binary, not UTF-8 or too large.
//! Nothing here touches the database; the `import` command hands what it reads to the parser and then
//! to `store`.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The largest article parley reads, so that a stray disk image cannot exhaust memory. A long news
/// article is 50 kB and a heavy saved page a few MB; at 8 MiB an import's peak memory stays under
/// 150 MiB plus the article (FTS5 indexes one text whole, in memory: about 4 bytes per byte).
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// File extensions taken from a folder: plain text, and saved web pages (see `html`).
const TEXT_EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
        }
    }

    pub fn path(&self) -> Option<String> {
        match self {
            Source::File(path) => Some(path.display().to_string()),
            Source::Stdin => None,
        }
    }
}

#[derive(Debug, Error)]
pub enum ReadError {
    /// Not a `#[source]`: the message already says it, and error reports would print it twice.
    #[error("cannot read: {}", io_cause(.0))]
    Io(std::io::Error),
    #[error("empty: there is no text")]
    Empty,
    #[error("not text: it looks like a binary file")]
    Binary,
    #[error("not UTF-8: invalid byte at offset {0} (convert it, e.g. with iconv -t UTF-8)")]
    NotUtf8(usize),
    #[error("too large: {size} bytes, parley reads articles of up to {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("no such file or folder")]
    NotFound,
    #[error("a link to {}, which does not exist", .0.display())]
    Dangling(PathBuf),
}

/// An I/O error's cause in words ("no such file or folder", "is a directory"), without the
/// "(os error 2)" its `Display` ends with.
pub fn io_cause(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or folder".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        ErrorKind::NotADirectory => "not a folder".to_string(),
        ErrorKind::StorageFull => "no space left on the device".to_string(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error ") {
                Some(at) => text[..at].to_lowercase(),
                None => text,
            }
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> ReadError {
        ReadError::Io(err)
    }
}

/// Expands the command line's inputs: a folder gives its `*.txt`, `*.html` and `*.htm` files
/// (recursively, in path order), `-` gives standard input. Inputs that do not exist, folders that
/// cannot be read and dangling links come back as failures with their path, each once.
///
/// Links are followed, but each folder is walked once (known by device and inode): a link back up
/// the tree, or a second link to a folder already walked, adds nothing.
///
/// The folders are walked as the sources are taken, one folder's listing at a time, so that a tree
/// of a million files does not hold a million paths; [`count`] walks them once more for a total.
pub fn expand(inputs: &[PathBuf]) -> Expand {
    Expand {
        inputs: inputs.iter().cloned().collect(),
        walked: HashSet::new(),
        listings: Vec::new(),
        queued: std::collections::VecDeque::new(),
    }
}

/// How many sources [`expand`] gives for `inputs` (failures included), without keeping them.
pub fn count(inputs: &[PathBuf]) -> usize {
    expand(inputs).count()
}

/// The sources of [`expand`], walked as they are taken.
pub struct Expand {
    inputs: std::collections::VecDeque<PathBuf>,
    walked: HashSet<FolderKey>,
    /// The folders being walked, innermost last: the entries of each not yet taken, in name order.
    listings: Vec<std::vec::IntoIter<PathBuf>>,
    /// What opening a folder found wrong, given before its entries.
    queued: std::collections::VecDeque<(Source, Option<ReadError>)>,
}

impl Iterator for Expand {
    type Item = (Source, Option<ReadError>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queued.pop_front() {
                return Some(item);
            }
            if let Some(listing) = self.listings.last_mut() {
                let Some(path) = listing.next() else {
                    self.listings.pop();
                    continue;
                };
                // Follows links, so that a link to a folder is walked and a link to a file is read.
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_dir() => self.open(&path),
                    Ok(meta) if meta.is_file() && has_text_extension(&path) => {
                        return Some((Source::File(path), None));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let failure = match dangling_target(&path) {
                            Some(target) => ReadError::Dangling(target),
                            None => ReadError::Io(e),
                        };
                        return Some((Source::File(path), Some(failure)));
                    }
                }
                continue;
            }
            let input = self.inputs.pop_front()?;
            if input.as_os_str() == "-" {
                return Some((Source::Stdin, None));
            } else if input.is_dir() {
                self.open(&input);
            } else if input.exists() {
                return Some((Source::File(input), None));
            } else if let Some(target) = dangling_target(&input) {
                return Some((Source::File(input), Some(ReadError::Dangling(target))));
            } else {
                return Some((Source::File(input), Some(ReadError::NotFound)));
            }
        }
    }
}

impl Expand {
    /// Starts walking `dir`, unless it was walked already. Only regular files are taken from it: a
    /// named pipe called `x.txt` would block the import forever.
    fn open(&mut self, dir: &Path) {
        let failed = |e| (Source::File(dir.to_owned()), Some(ReadError::Io(e)));
        match std::fs::metadata(dir) {
            Ok(meta) => {
                if !self.walked.insert(folder_key(dir, &meta)) {
                    return;
                }
            }
            Err(e) => return self.queued.push_back(failed(e)),
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.queued.push_back(failed(e)),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => {
                    self.queued.push_back(failed(e));
                    break;
                }
            }
        }
        // In name order (by path component, as paths compare), so that the whole walk is in path
        // order and which path a folder reached twice is read under does not vary.
        paths.sort();
        self.listings.push(paths.into_iter());
    }
}

/// What tells a folder from every other: its device and inode (a path would not, behind links).
#[cfg(unix)]
fn folder_key(_path: &Path, meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn folder_key(path: &Path, _meta: &std::fs::Metadata) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(unix)]
type FolderKey = (u64, u64);
#[cfg(not(unix))]
type FolderKey = PathBuf;

/// Where a link that leads nowhere points, or `None` when `path` is not such a link.
fn dangling_target(path: &Path) -> Option<PathBuf> {
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link || path.exists() {
        return None;
    }
    std::fs::read_link(path).ok()
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| TEXT_EXTENSIONS.iter().any(|t| ext.eq_ignore_ascii_case(t)))
}

/// Reads one source whole and decodes it.
pub fn read(source: &Source) -> Result<String, ReadError> {
    read_detailed(source).map(|decoded| decoded.text)
}

/// [`read`], also telling the encoding the text was decoded from (so import can say it converted).
pub fn read_detailed(source: &Source) -> Result<Decoded, ReadError> {
    let mut bytes = Vec::new();
    match source {
        Source::File(path) => {
            let file = std::fs::File::open(path)?;
            let size = file.metadata()?.len();
            if size > MAX_ARTICLE_BYTES {
                return Err(ReadError::TooLarge {
                    size,
                    limit: MAX_ARTICLE_BYTES,
                });
            }
            file.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes)?;
        }
        Source::Stdin => {
            std::io::stdin()
                .lock()
                .take(MAX_ARTICLE_BYTES + 1)
                .read_to_end(&mut bytes)?;
        }
    }
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_ARTICLE_BYTES,
        });
    }
    decode_detailed(bytes)
}

/// Decodes an article's bytes: UTF-8 (a byte-order mark is allowed), or UTF-16 when a byte-order
/// mark says so (see [`decode_detailed`]), with some text in it, and not binary. NUL bytes scattered
/// in otherwise plain text are dropped, as ARCHITECTURE.md promises; a file that is largely NULs
/// (UTF-16 without a byte-order mark, an image) is binary.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    decode_detailed(bytes).map(|decoded| decoded.text)
}

/// The encoding an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-16 with a byte-order mark, little- or big-endian: converted to UTF-8 on reading.
    Utf16Le,
    Utf16Be,
}

/// An article's text and what it was decoded from, so that the caller can say when it converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// [`decode`], also telling the encoding (a caller can report "decoded from UTF-16").
pub fn decode_detailed(mut bytes: Vec<u8>) -> Result<Decoded, ReadError> {
    let encoding = match bytes.as_slice() {
        [0xff, 0xfe, ..] => Encoding::Utf16Le,
        [0xfe, 0xff, ..] => Encoding::Utf16Be,
        _ => Encoding::Utf8,
    };
    let text = if encoding == Encoding::Utf8 {
        if looks_binary(&bytes) {
            return Err(ReadError::Binary);
        }
        // A NUL byte is never part of a longer UTF-8 sequence, so dropping them keeps the rest whole.
        bytes.retain(|b| *b != 0);
        String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))?
    } else {
        let unit = |pair: &[u8]| match encoding {
            Encoding::Utf16Le => u16::from_le_bytes([pair[0], pair[1]]),
            _ => u16::from_be_bytes([pair[0], pair[1]]),
        };
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| if pair.len() == 2 { unit(pair) } else { 0xfffd })
            .collect();
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .filter(|c| *c != '\0')
            .collect();
        if looks_binary(text.as_bytes()) {
            return Err(ReadError::Binary);
        }
        text
    };
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
        .is_empty()
    {
        return Err(ReadError::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// Binary when, in the first 8 KiB, more than 1 in 100 bytes are control bytes that text does not
/// use (tabs, line ends and form feeds are text; NULs are counted apart), or more than 1 in 10 are
/// NULs: scattered NULs in text are dropped, but a file of many is not text (UTF-16 without a
/// byte-order mark is one NUL in two; an image's header is full of them).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let nul = head.iter().filter(|&&b| b == 0).count();
    let control = head
        .iter()
        .filter(|&&b| b != 0 && b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 100 > head.len() || nul * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_walked_once_and_a_dangling_link_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/one.txt"), "Text.").unwrap();
        std::os::unix::fs::symlink(root, root.join("a/up")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("again")).unwrap();
        std::os::unix::fs::symlink(root.join("gone.txt"), root.join("a/dangling.txt")).unwrap();
        let sources: Vec<_> = expand(&[root.to_owned()]).collect();
        let files: Vec<_> = sources.iter().filter(|(_, e)| e.is_none()).collect();
        assert_eq!(files.len(), 1, "{sources:?}");
        let failures: Vec<String> = sources
            .iter()
            .filter_map(|(s, e)| e.as_ref().map(|e| format!("{}: {e}", s.label())))
            .collect();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].contains("dangling.txt: a link to"),
            "{failures:?}"
        );
    }

    #[test]
    fn text_with_a_byte_order_mark_decodes() {
        assert_eq!(
            decode(b"\xef\xbb\xbfHello".to_vec()).unwrap(),
            "\u{feff}Hello"
        );
    }

    #[test]
    fn white_space_alone_is_empty() {
        assert!(matches!(decode(b" \n\t\n".to_vec()), Err(ReadError::Empty)));
    }

    #[test]
    fn latin1_is_not_utf8_and_says_where() {
        assert!(matches!(
            decode(b"caf\xe9 au lait".to_vec()),
            Err(ReadError::NotUtf8(3))
        ));
    }

    #[test]
    fn a_png_header_is_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
        assert!(matches!(decode(png), Err(ReadError::Binary)));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_and_says_so() {
        let text = "Ana Ruiz met Li Wen in Zürich.";
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        let decoded = decode_detailed(le).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (text, Encoding::Utf16Le)
        );
        let decoded = decode_detailed(be).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (text, Encoding::Utf16Be)
        );
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_binary() {
        let bytes: Vec<u8> = "Ana Ruiz met Li Wen."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(matches!(decode(bytes), Err(ReadError::Binary)));
    }

    #[test]
    fn scattered_nuls_are_dropped_from_text() {
        let mut text = "word ".repeat(100).into_bytes();
        for at in (3..text.len()).step_by(40) {
            text[at] = 0;
        }
        let decoded = decode(text).unwrap();
        assert!(!decoded.contains('\0'));
        assert!(decoded.starts_with("wor word"));
    }

    #[test]
    fn one_stray_nul_in_a_long_text_is_still_text() {
        let mut text = "word ".repeat(100).into_bytes();
        text[50] = 0;
        assert!(decode(text).is_ok());
    }
}

//! Reading articles: expands the paths given to `parley import` (files, folders, `-` for stdin) into
//! sources, reads each one and decodes it, refusing what is empty, binary, not UTF-8 or too large.
//! Nothing here touches the database; the `import` command hands what it reads to the parser and then
//! to `store`.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The largest article parley reads, so that a stray disk image cannot exhaust memory.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

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
    #[error("cannot read: {0}")]
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
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> ReadError {
        ReadError::Io(err)
    }
}

/// Expands the command line's inputs: a folder gives its `*.txt`, `*.html` and `*.htm` files (recursively, sorted), `-`
/// gives standard input. Inputs that do not exist come back as failures with their path.
pub fn expand(inputs: &[PathBuf]) -> Vec<(Source, Option<ReadError>)> {
    let mut sources = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push((Source::Stdin, None));
        } else if input.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(input, &mut files) {
                sources.push((Source::File(input.clone()), Some(ReadError::Io(e))));
            }
            files.sort();
            sources.extend(files.into_iter().map(|f| (Source::File(f), None)));
        } else if input.exists() {
            sources.push((Source::File(input.clone()), None));
        } else {
            sources.push((Source::File(input.clone()), Some(ReadError::NotFound)));
        }
    }
    sources
}

/// Only regular files are taken: a named pipe called `x.txt` would block the import forever.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.is_file()
            && path
                .extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| TEXT_EXTENSIONS.iter().any(|t| ext.eq_ignore_ascii_case(t)))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads one source whole and decodes it.
pub fn read(source: &Source) -> Result<String, ReadError> {
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
    decode(bytes)
}

/// Decodes an article's bytes: UTF-8 (a byte-order mark is allowed), with some text in it, and not
/// binary. A few stray NUL bytes in otherwise plain text are tolerated (the parser drops them).
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if looks_binary(&bytes) {
        return Err(ReadError::Binary);
    }
    let text =
        String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))?;
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
        .is_empty()
    {
        return Err(ReadError::Empty);
    }
    Ok(text)
}

/// Binary when more than 1 in 100 of the first 8 KiB are NUL or other control bytes that text
/// does not use (tabs, line ends and form feeds are text).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 100 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn one_stray_nul_in_a_long_text_is_still_text() {
        let mut text = "word ".repeat(100).into_bytes();
        text[50] = 0;
        assert!(decode(text).is_ok());
    }
}

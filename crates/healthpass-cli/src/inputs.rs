//! Where codes come from: a code on the command line, lines of standard input, images, and
//! folders of images. Each code keeps its source (file and index), so that every verdict and
//! every scanned text says where it came from.

use std::path::{Path, PathBuf};

use healthpass::{Error, Limits};
use healthpass_qr as qr;

use crate::common::{Failure, read_file, read_input};
use crate::report::{Report, Source};

/// One thing found in the inputs: a code's text to decide, or a verdict already reached (an
/// image with no code, a QR code whose content could not be read).
pub(crate) enum Item {
    /// A code's text and where it came from.
    Text(Source, String),
    /// A verdict reached while reading.
    Done(Report),
}

/// The codes of a code argument: the text itself, or with `-` every non-empty line of standard
/// input (numbered from 1 when there are several).
pub(crate) fn code_argument(arg: &str) -> Result<Vec<Item>, Failure> {
    if arg != "-" {
        return Ok(vec![Item::Text(Source::argument(), arg.trim().to_owned())]);
    }
    let input = read_input("-")?;
    let lines: Vec<&str> = input.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        return Err(Failure::Usage("standard input held no code".into()));
    }
    let numbered = lines.len() > 1;
    Ok(lines
        .iter()
        .enumerate()
        .map(|(i, line)| Item::Text(Source::at("-", numbered.then_some(i + 1)), (*line).to_owned()))
        .collect())
}

/// The codes of several code arguments, in order ([`code_argument`] each); with several
/// arguments each text's source carries its position among them (from 1).
pub(crate) fn code_arguments(args: &[String]) -> Result<Vec<Item>, Failure> {
    if let [one] = args {
        return code_argument(one);
    }
    let mut items = Vec::new();
    for (at, arg) in args.iter().enumerate() {
        let mut got = code_argument(arg)?;
        if arg != "-" {
            for item in &mut got {
                if let Item::Text(source, _) = item {
                    source.index = Some(at + 1);
                }
            }
        }
        items.extend(got);
    }
    Ok(items)
}

/// The files named: each file itself, and each folder's files (not its subfolders), sorted by
/// name, leaving out hidden files.
///
/// # Errors
/// A usage failure naming a path that does not exist or a folder that cannot be listed.
pub(crate) fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let listing = std::fs::read_dir(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        let mut found: Vec<PathBuf> = listing
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.')))
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(Failure::Usage(format!("{}: the folder holds no files", path.display())));
        }
        files.extend(found);
    }
    Ok(files)
}

/// The image formats a photo may come in that this build does not decode, by their first
/// bytes: refused with "format not supported" like any other unreadable file (exit 2).
fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("WebP")
    } else if bytes.starts_with(b"BM") {
        Some("BMP")
    } else if bytes.starts_with(b"GIF8") {
        Some("GIF")
    } else if bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftyp")) {
        Some("HEIF/AVIF")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("TIFF")
    } else {
        None
    }
}

/// Every code in one image file, each with its source (`file`, index from 1). An image with no
/// QR code is a `no_code` verdict; an unreadable file (missing, not an image, a format not
/// supported) is a usage failure (exit 2) naming the file.
pub(crate) fn scan_file(path: &Path) -> Result<Vec<Item>, Failure> {
    let name = path.display().to_string();
    let bytes = read_file(path)?;
    if let Some(format) = unsupported_format(&bytes) {
        return Err(Failure::Usage(format!("{name}: image format not supported ({format}); give a PNG or JPEG")));
    }
    match qr::scan(&bytes, &Limits::DEFAULT) {
        Ok(codes) => Ok(codes
            .into_iter()
            .enumerate()
            .map(|(i, code)| {
                let source = Source::at(name.clone(), Some(i + 1));
                match code {
                    Ok(text) => Item::Text(source, text),
                    Err(e) => Item::Done(Report::error(source, "", &e)),
                }
            })
            .collect()),
        Err(Error::NoCode) => Ok(vec![Item::Done(Report::no_code(Source::at(name, None), Error::NoCode.to_string()))]),
        Err(e) => Err(Failure::Usage(format!("{name}: {e}"))),
    }
}

/// Every code in the images and folders named, in order.
pub(crate) fn scan_all(paths: &[PathBuf]) -> Result<Vec<Item>, Failure> {
    let mut items = Vec::new();
    for path in expand(paths)? {
        items.extend(scan_file(&path)?);
    }
    Ok(items)
}

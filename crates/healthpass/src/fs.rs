//! Atomic file writes: a file is either wholly written or left as it was.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Who may read a file written by [`write_atomic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Readable by everyone (mode 0644 on Unix): codes, pictures, public keys.
    Public,
    /// Readable by the owner only (mode 0600 on Unix): secret keys.
    Secret,
}

/// The end of the PEM label of every secret key block: `PRIVATE KEY`, `EC PRIVATE KEY`,
/// `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`.
const SECRET_KEY_LABEL: &[u8] = b"PRIVATE KEY-----";

/// How much of an existing file [`holds_secret_key`] reads: key files are smaller.
const SECRET_KEY_SNIFF: u64 = 64 * 1024;

/// Whether `path` is a regular file holding a secret key: a PEM `PRIVATE KEY` block (of any
/// kind) in its first 64 KiB. A missing file, a folder or a device holds none.
///
/// # Errors
/// [`Error::Io`] if the file exists but cannot be read, so that it cannot be told apart.
pub fn holds_secret_key(path: &Path) -> Result<bool> {
    use std::io::Read;
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => return Ok(false),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(Error::io(path, &err)),
    }
    let mut head = zeroize::Zeroizing::new(Vec::new());
    File::open(path)
        .and_then(|file| file.take(SECRET_KEY_SNIFF).read_to_end(&mut head))
        .map_err(|e| Error::io(path, &e))?;
    Ok(head.windows(SECRET_KEY_LABEL.len()).any(|w| w == SECRET_KEY_LABEL))
}

/// Writes `bytes` to `path` atomically: into a new temporary file beside it (created with the
/// final permissions, so a secret is never readable by others even for a moment), synced to
/// disk, then renamed over `path`.
///
/// No write ever replaces a secret key: when `path` already holds one ([`holds_secret_key`]),
/// nothing is written, whatever `bytes` and `mode` are (a new key included). To replace a key,
/// move the old one away first.
///
/// # Errors
/// [`Error::SecretKeyExists`] if `path` holds a secret key; [`Error::Io`] if any step fails.
/// Either way the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
    if holds_secret_key(path)? {
        return Err(Error::SecretKeyExists { path: path.display().to_string() });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::Io { path: path.display().to_string(), detail: "not a file name".into() })?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|_| Error::Random)?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), crate::hex::encode(&nonce)));
    let result = write_new(&tmp, bytes, mode).and_then(|()| fs::rename(&tmp, path));
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, &err));
    }
    // Make the rename itself durable; not every platform can open a directory, so best effort.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn write_new(tmp: &Path, bytes: &[u8], mode: Mode) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(match mode {
            Mode::Public => 0o644,
            Mode::Secret => 0o600,
        });
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(tmp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Reads a whole file, refusing one larger than `limit` bytes before reading it.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::TooLarge`] if it is over the limit.
pub fn read_bounded(path: &Path, limit: usize, what: &'static str) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, &e))?;
    if bytes.len() > limit {
        return Err(Error::TooLarge { what, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_whole_files_and_leave_no_temporaries() {
        let dir = std::env::temp_dir().join(format!("healthpass-fs-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key.pem");
        write_atomic(&path, b"first", Mode::Secret).unwrap();
        write_atomic(&path, b"second", Mode::Secret).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        assert!(matches!(read_bounded(&path, 3, "file"), Err(Error::TooLarge { .. })));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_write_replaces_a_secret_key() {
        let dir = std::env::temp_dir().join(format!("healthpass-fs-secret-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("issuer.key");
        let key = b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        write_atomic(&path, key, Mode::Secret).unwrap();
        assert!(holds_secret_key(&path).unwrap());
        for mode in [Mode::Public, Mode::Secret] {
            let err = write_atomic(&path, b"-----BEGIN PUBLIC KEY-----", mode).unwrap_err();
            assert_eq!(err.code(), "secret_key_exists");
        }
        assert_eq!(fs::read(&path).unwrap(), key);
        assert!(!holds_secret_key(&dir.join("missing")).unwrap());
        assert!(!holds_secret_key(&dir).unwrap());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let missing = std::env::temp_dir().join("healthpass-no-such-dir/x/key.pem");
        assert!(matches!(write_atomic(&missing, b"x", Mode::Public), Err(Error::Io { .. })));
    }
}

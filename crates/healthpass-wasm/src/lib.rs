//! # healthpass-wasm
//!
//! healthpass in the browser: the core's verifier and checkpoint and the QR scanner, for
//! JavaScript through `wasm-bindgen` (the npm package `healthpass`, built by
//! `tools/web-build.sh`; `docs/WEB.md` documents it).
//!
//! This crate has two layers:
//!
//! - a plain Rust API ([`verify_json`], [`WebCheckpoint`], [`scan_rgba`], [`scan_file`]) that
//!   takes bytes, text and milliseconds and returns JSON text or an [`ApiError`] carrying the
//!   core's stable error code. It builds and is tested on the host.
//! - the JavaScript bindings over it (`verify`, `Checkpoint`, `scanRgba`, `scanImage`), compiled
//!   only for `wasm32`: each JSON document becomes a JavaScript object (`JSON.parse`), each
//!   [`ApiError`] a JavaScript `Error` with a `code` property.
//!
//! A checkpoint's verdict is the core's [`Verdict`] serialized with serde (`{accepted, colour,
//! summary, refusals, warnings}`). It is not the CLI's versioned verdict document
//! (`docs/verdict.schema.json`, printed by `healthpass verify --json`), though it carries the
//! same decision; the TypeScript types declare both (`Verdict`, `VerdictDocument`) and say how
//! one maps to the other. Every input (code text, key files, lists, policy, state, images and
//! frames) is untrusted and bounded by the core's [`Limits`].
//!
//! ```
//! use healthpass::{Claims, Issuer, SigningKey};
//!
//! let now = chrono::DateTime::from_timestamp_millis(1_795_424_400_000).unwrap();
//! let code = Issuer::new(SigningKey::demo()).issue(&Claims::example(now))?;
//! let keys = SigningKey::demo().public_key().to_pem()?;
//! let json = healthpass_wasm::verify_json(&code, &keys, 1_795_424_460_000.0).unwrap();
//! assert!(json.contains(r#""valid":true"#));
//! # Ok::<(), healthpass::Error>(())
//! ```

#[cfg(target_arch = "wasm32")]
mod bindings;

use chrono::{DateTime, Utc};
use healthpass::decide::{Checkpoint, Policy, ScannerState, Verdict};
use healthpass::{Error, KeySet, Limits, PublicKey, Verifier};
use image::GrayImage;

/// The largest key file (PEM or hex) read: a key file is small.
pub const MAX_KEY_TEXT: usize = 64 * 1024;

/// The largest policy document read (as the core's policy files).
pub const MAX_POLICY_TEXT: usize = 1024 * 1024;

/// A failure, with the core's stable code ([`Error::code`]) and a sentence. In JavaScript it is
/// an `Error` whose `message` is the sentence and whose `code` property is the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The stable code, such as `bad_signature`, `no_code` or `list_rollback`.
    pub code: &'static str,
    /// A sentence for people; never health data.
    pub message: String,
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError { code: err.code(), message: err.to_string() }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The result type of this crate.
pub type ApiResult<T> = Result<T, ApiError>;

/// A time given as milliseconds since the Unix epoch (JavaScript's `Date.now()`).
///
/// # Errors
/// `time_out_of_range` for a value that is not finite or that no time can take.
pub fn time_from_ms(now_ms: f64) -> ApiResult<DateTime<Utc>> {
    let out_of_range = || ApiError::from(Error::TimeOutOfRange(format!("{now_ms} ms since 1970")));
    // ±8.64e15 ms is JavaScript's own range of dates; inside it the cast is exact enough.
    if !now_ms.is_finite() || now_ms.abs() > 8.64e15 {
        return Err(out_of_range());
    }
    #[allow(clippy::cast_possible_truncation)]
    let ms = now_ms.floor() as i64;
    DateTime::from_timestamp_millis(ms).ok_or_else(out_of_range)
}

/// The Ed25519 public keys in a key text: one or more SPKI PEM `PUBLIC KEY` blocks (the CLI's
/// key files), or raw keys as 64 hexadecimal digits, one a line.
///
/// # Errors
/// `too_large` over [`MAX_KEY_TEXT`]; `key` if a block or line is not an Ed25519 public key,
/// or if the text holds none.
pub fn parse_keys(text: &str) -> ApiResult<Vec<PublicKey>> {
    if text.len() > MAX_KEY_TEXT {
        return Err(Error::TooLarge { what: "key text", limit: MAX_KEY_TEXT }.into());
    }
    const END: &str = "-----END PUBLIC KEY-----";
    let keys = if text.contains(END) {
        text.split_inclusive(END)
            .filter(|block| block.contains(END))
            .map(PublicKey::from_pem)
            .collect::<Result<_, _>>()?
    } else {
        text.lines().map(str::trim).filter(|line| !line.is_empty()).map(key_from_hex).collect::<Result<Vec<_>, _>>()?
    };
    if keys.is_empty() {
        return Err(
            Error::Key("no public key in the text (PEM PUBLIC KEY blocks or 64 hex digits a line)".into()).into()
        );
    }
    Ok(keys)
}

fn key_from_hex(line: &str) -> Result<PublicKey, Error> {
    let bad = || Error::Key("a line is neither a PEM block nor 64 hexadecimal digits".into());
    if line.len() != 64 || !line.is_ascii() {
        return Err(bad());
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(line.as_bytes().chunks_exact(2)) {
        let digits = std::str::from_utf8(pair).map_err(|_| bad())?;
        *byte = u8::from_str_radix(digits, 16).map_err(|_| bad())?;
    }
    PublicKey::from_bytes(&bytes)
}

/// Verifies code text with a plain key set (no trust list, no policy) at `now_ms`:
/// `{"valid": true, "kid": …, "claims": …}`: the claims of an authentic code, with no policy
/// applied, so no verdict (neither the CLI's verdict document, docs/verdict.schema.json, which
/// `healthpass verify --json` prints, nor the core's [`Verdict`]; use [`WebCheckpoint`] for a
/// verdict).
///
/// # Errors
/// Those of [`parse_keys`] and [`time_from_ms`], then the error of the first failed step of
/// [`Verifier::verify`] (`bad_signature`, `expired`, `unknown_kid`, …).
pub fn verify_json(text: &str, keys: &str, now_ms: f64) -> ApiResult<String> {
    let now = time_from_ms(now_ms)?;
    let keys: KeySet = parse_keys(keys)?.into_iter().collect();
    let verified = Verifier::new(keys).verify(text, now)?;
    let out = serde_json::json!({ "valid": true, "kid": verified.kid().to_string(), "claims": &*verified });
    Ok(out.to_string())
}

/// A [`Verdict`] as JSON: the core's own serialization, nothing added or renamed.
pub fn verdict_json(verdict: &Verdict) -> String {
    serde_json::to_string(verdict).unwrap_or_else(|e| {
        // Serializing a verdict (strings, booleans, times) cannot fail; say so if it ever does.
        serde_json::json!({ "accepted": false, "colour": null, "summary": null,
            "refusals": [{ "code": "internal", "message": e.to_string() }], "warnings": [] })
        .to_string()
    })
}

/// Verdicts as a JSON array.
fn verdicts_json(verdicts: &[Verdict]) -> String {
    let items: Vec<String> = verdicts.iter().map(verdict_json).collect();
    format!("[{}]", items.join(","))
}

/// A checkpoint for the browser: the core's [`Checkpoint`] loaded from the files an operator
/// provides (trust anchors as key text, a signed trust list, a policy as JSON), with every time
/// given as milliseconds since the epoch.
#[derive(Debug, Clone)]
pub struct WebCheckpoint {
    inner: Checkpoint,
}

impl WebCheckpoint {
    /// Pins the anchors in `anchors` (as [`parse_keys`] reads them), loads the signed trust list
    /// and the policy, refusing a list signed after `now_ms` ([`Checkpoint::new_at`]).
    ///
    /// # Errors
    /// Those of [`parse_keys`], [`time_from_ms`], [`Policy::from_json`] (`policy`, and
    /// `too_large` over [`MAX_POLICY_TEXT`]) and [`Checkpoint::new_at`] (`list`,
    /// `unknown_anchor`, `signed_in_future`, …).
    pub fn new(anchors: &str, trust_list: &[u8], policy: &str, now_ms: f64) -> ApiResult<Self> {
        let now = time_from_ms(now_ms)?;
        let anchors = parse_keys(anchors)?;
        if policy.len() > MAX_POLICY_TEXT {
            return Err(Error::TooLarge { what: "policy", limit: MAX_POLICY_TEXT }.into());
        }
        let policy = Policy::from_json(policy)?;
        Ok(WebCheckpoint { inner: Checkpoint::new_at(anchors, trust_list, policy, now)? })
    }

    /// Adds a signed revocation list, refusing one signed after `now_ms`
    /// ([`Checkpoint::add_revocation_list_at`]). A refused list is not loaded.
    ///
    /// # Errors
    /// Those of [`time_from_ms`] and [`Checkpoint::add_revocation_list_at`].
    pub fn add_revocation_list(&mut self, bytes: &[u8], now_ms: f64) -> ApiResult<()> {
        let now = time_from_ms(now_ms)?;
        Ok(self.inner.add_revocation_list_at(bytes, now)?)
    }

    /// The verdict about code text at `now_ms`, as JSON ([`verdict_json`]). A time out of range
    /// is a refusal (`time_out_of_range`), not an error: a checkpoint always gives a verdict.
    pub fn check_json(&mut self, text: &str, now_ms: f64) -> String {
        match time_from_ms(now_ms) {
            Ok(now) => verdict_json(&self.inner.check(text, now)),
            Err(err) => verdict_json(&refused(&err)),
        }
    }

    /// The verdicts about every code in an RGBA frame (a canvas's `ImageData`), as a JSON array:
    /// one verdict per code found, or one refusal saying why the frame gave none (`no_code`,
    /// `image`, `too_large`, …), as [`healthpass_qr::CheckImage`] does for image files.
    pub fn check_rgba_json(&mut self, rgba: &[u8], width: u32, height: u32, now_ms: f64) -> String {
        let verdicts = match time_from_ms(now_ms).and_then(|now| Ok((now, scan_rgba_results(rgba, width, height)?))) {
            Ok((now, texts)) => texts
                .into_iter()
                .map(|text| match text {
                    Ok(text) => self.inner.check(&text, now),
                    Err(err) => refused(&err.into()),
                })
                .collect(),
            Err(err) => vec![refused(&err)],
        };
        verdicts_json(&verdicts)
    }

    /// The state to keep until the next run ([`Checkpoint::state`]) as JSON, for
    /// `localStorage` or IndexedDB.
    ///
    /// # Errors
    /// `scanner_state` if the state breaks its own rules (it cannot, built by the checkpoint).
    pub fn state_json(&self) -> ApiResult<String> {
        let json = self.inner.state().to_json()?;
        String::from_utf8(json).map_err(|_| Error::ScannerState("not UTF-8".into()).into())
    }

    /// Restores a state kept from an earlier run ([`Checkpoint::restore_state`]).
    ///
    /// # Errors
    /// Those of [`ScannerState::from_json`] (`scanner_state`, `too_large`) and
    /// [`Checkpoint::restore_state`] (`list_rollback`).
    pub fn restore_state(&mut self, json: &str) -> ApiResult<()> {
        let state = ScannerState::from_json(json.as_bytes())?;
        Ok(self.inner.restore_state(&state)?)
    }

    /// The checkpoint itself.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.inner
    }
}

fn refused(err: &ApiError) -> Verdict {
    Verdict::refused(vec![healthpass::decide::Finding::new(err.code, err.message.clone())], Vec::new())
}

/// The grey image the scanner reads from an RGBA frame of `width` × `height` pixels (4 bytes a
/// pixel, as a canvas's `ImageData` holds them). A frame of more than
/// [`Limits::max_scan_pixels`] pixels is shrunk by a whole factor (box-averaged) while it is
/// converted, so that scanning it costs what an image of that size costs.
///
/// # Errors
/// `image` if the buffer is not `width × height × 4` bytes or the frame is empty; `too_large`
/// for a frame over [`Limits::max_image_side`] or [`Limits::max_image_pixels`].
pub fn grey_from_rgba(rgba: &[u8], width: u32, height: u32, limits: &Limits) -> ApiResult<GrayImage> {
    if width == 0 || height == 0 {
        return Err(Error::Image("the frame has no pixels".into()).into());
    }
    let side = limits.max_image_side;
    if width > side || height > side {
        return Err(Error::TooLarge {
            what: "image side (pixels)",
            limit: usize::try_from(side).unwrap_or(usize::MAX),
        }
        .into());
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_image_pixels {
        return Err(Error::TooLarge {
            what: "image (pixels)",
            limit: usize::try_from(limits.max_image_pixels).unwrap_or(usize::MAX),
        }
        .into());
    }
    let (w, h) = (width as usize, height as usize);
    if u64::try_from(rgba.len()).ok() != pixels.checked_mul(4) {
        return Err(Error::Image(format!(
            "an RGBA frame of {width} × {height} is {} bytes, not {}",
            pixels * 4,
            rgba.len()
        ))
        .into());
    }
    // The smallest whole factor that brings the frame within the scan limit.
    let mut factor = 1usize;
    while (w / factor) as u64 * (h / factor) as u64 > limits.max_scan_pixels.max(1) {
        factor += 1;
    }
    let (out_w, out_h) = ((w / factor).max(1), (h / factor).max(1));
    let mut grey = vec![0u8; out_w * out_h];
    if factor == 1 {
        for (out, px) in grey.iter_mut().zip(rgba.chunks_exact(4)) {
            *out = luma(px);
        }
    } else {
        let mut sums = vec![0u32; out_w];
        for (oy, out_row) in grey.chunks_exact_mut(out_w).enumerate() {
            sums.iter_mut().for_each(|s| *s = 0);
            for y in oy * factor..(oy + 1) * factor {
                let row = rgba.get(y * w * 4..(y + 1) * w * 4).unwrap_or_default();
                for (x, px) in row.chunks_exact(4).enumerate().take(out_w * factor) {
                    if let Some(sum) = sums.get_mut(x / factor) {
                        *sum += u32::from(luma(px));
                    }
                }
            }
            let area = u32::try_from(factor * factor).unwrap_or(u32::MAX);
            for (out, sum) in out_row.iter_mut().zip(&sums) {
                *out = u8::try_from(sum / area).unwrap_or(u8::MAX);
            }
        }
    }
    let (out_w, out_h) = (u32::try_from(out_w).unwrap_or(0), u32::try_from(out_h).unwrap_or(0));
    GrayImage::from_raw(out_w, out_h, grey).ok_or_else(|| Error::Image("the frame has no pixels".into()).into())
}

/// Rec. 709 luma in integers, as the `image` crate converts RGB to grey; alpha is ignored.
fn luma(px: &[u8]) -> u8 {
    let [r, g, b] = [0, 1, 2].map(|i| u32::from(px.get(i).copied().unwrap_or(0)));
    u8::try_from((2126 * r + 7152 * g + 722 * b) / 10_000).unwrap_or(u8::MAX)
}

fn scan_rgba_results(rgba: &[u8], width: u32, height: u32) -> ApiResult<Vec<Result<String, Error>>> {
    let limits = Limits::DEFAULT;
    let grey = grey_from_rgba(rgba, width, height, &limits)?;
    Ok(healthpass_qr::scan_image(&grey, &limits)?)
}

/// The texts of the QR codes read: codes found but not decodable are left out, and if no code
/// could be read the first such failure is the error.
fn texts(results: Vec<Result<String, Error>>) -> ApiResult<Vec<String>> {
    let mut first_failure = None;
    let mut texts = Vec::new();
    for result in results {
        match result {
            Ok(text) => texts.push(text),
            Err(err) => {
                first_failure.get_or_insert(err);
            }
        }
    }
    match (texts.is_empty(), first_failure) {
        (true, Some(err)) => Err(err.into()),
        (true, None) => Err(Error::NoCode.into()),
        (false, _) => Ok(texts),
    }
}

/// The texts of the QR codes in an RGBA frame (see [`grey_from_rgba`]), at most
/// [`Limits::max_codes_per_image`].
///
/// # Errors
/// Those of [`grey_from_rgba`] and [`healthpass_qr::scan_image`]: `no_code` when the frame
/// holds no readable code.
pub fn scan_rgba(rgba: &[u8], width: u32, height: u32) -> ApiResult<Vec<String>> {
    texts(scan_rgba_results(rgba, width, height)?)
}

/// The texts of the QR codes in a PNG or JPEG file.
///
/// # Errors
/// Those of [`healthpass_qr::scan`]: `image`, `too_large`, `no_code`.
pub fn scan_file(bytes: &[u8]) -> ApiResult<Vec<String>> {
    texts(healthpass_qr::scan(bytes, &Limits::DEFAULT)?)
}

#[cfg(test)]
mod tests;

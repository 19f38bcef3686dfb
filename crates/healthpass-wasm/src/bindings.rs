//! The JavaScript API (wasm32 only): thin wrappers that turn the crate's JSON into objects and
//! its [`ApiError`]s into `Error`s with a `code`.

use wasm_bindgen::prelude::*;

use crate::{ApiError, WebCheckpoint};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A colour of the health-code scheme. */
export type Colour = "green" | "yellow" | "orange" | "red";
/** One failed rule or warning: a stable code and a sentence. */
export interface Finding { code: string; message: string; }
/** What a checkpoint shows of an authentic code. Times are RFC 3339 (UTC). */
export interface Summary {
  colour: Colour; issuer: string; kind: VerdictKind;
  valid_from: string; valid_until: string; name?: string;
}
/**
 * What Checkpoint.check and checkImage return: the core's Verdict, serialized by serde. It is NOT
 * the CLI's verdict document (VerdictDocument below, docs/verdict.schema.json) but carries the
 * same decision: `accepted` is `status === "accepted"` (a browser verdict is never "no_code" or
 * "unverified": a frame without a code is a refusal with code "no_code"); `colour`, `refusals`
 * and `warnings` are the same; `kind`, `issuer`, `valid_from`, `valid_until` and `name` are under
 * `summary` (null when nothing of the code could be trusted); there is no `version`, `source` or
 * `format`.
 */
export interface Verdict {
  accepted: boolean; colour: Colour | null; summary: Summary | null;
  refusals: Finding[]; warnings: Finding[];
}
/** A credential kind, as verdicts name it. */
export type VerdictKind = "personal" | "student" | "cross_border" | "venue";
/** Where a code came from: the file, "-" (standard input) or "argument"; its position in it from 1; a wallet label or role. */
export interface VerdictSource { input: string; index?: number; label?: string; }
/**
 * The CLI's verdict document, version 1 (docs/verdict.schema.json): one line of the --json output
 * of `healthpass verify`, `venue check`, `school summary`, `convert` and `wallet list`, for
 * JavaScript that reads that output. Times are RFC 3339; fields of a code that did not verify are null.
 */
export interface VerdictDocument {
  version: 1;
  source: VerdictSource;
  status: "accepted" | "refused" | "no_code" | "unverified";
  format: "HP1" | "HC1" | "NZCP" | "SHC" | null;
  colour: Colour | null;
  kind: VerdictKind | null;
  issuer: string | null;
  valid_from: string | null;
  valid_until: string | null;
  name: string | null;
  refusals: Finding[];
  warnings: Finding[];
  /** convert only: the text of the code issued from this one. */
  issued?: string;
}
/** The last line of `healthpass school summary --json`. */
export interface ClassSummaryLine {
  version: 1;
  class_summary: {
    school: string; class: string; day: string; green: string[];
    not_green: { name: string; colour: Colour; reasons: string[] }[];
    missing: string[]; not_in_class: number; refused: number;
  };
}
/** The result of verify(): the claims of a code whose signature verified (no policy, no trust list: not a verdict). */
export interface Verification { valid: true; kid: string; claims: any; }
/** The scanner state kept between runs (docs/TRUST.md). */
export interface ScannerState {
  version: 1; newest_signed_time?: string; trust_list_sequence?: number;
  revocation_lists?: { signer: string; issuer?: string; sequence: number }[];
}
/** Every function throws an Error with one of the core's stable codes. */
export interface HealthpassError extends Error { code: string; }
"#;

/// An `Error` with the stable code as its `code` property.
fn js_error(err: ApiError) -> JsValue {
    let error = js_sys::Error::new(&err.message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(err.code));
    error.into()
}

/// JSON made by this crate, as a JavaScript value.
fn parse(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json)
}

/// Verifies code text against public keys (PEM `PUBLIC KEY` blocks, or 64 hex digits a line)
/// at `nowMs` (milliseconds since 1970, `Date.now()`). Throws an Error with a stable `code`
/// (`bad_signature`, `expired`, …) if the code does not verify.
#[wasm_bindgen(unchecked_return_type = "Verification")]
pub fn verify(text: &str, keys: &str, #[wasm_bindgen(js_name = nowMs)] now_ms: f64) -> Result<JsValue, JsValue> {
    parse(&crate::verify_json(text, keys, now_ms).map_err(js_error)?)
}

/// The texts of the QR codes in an RGBA frame (`ImageData.data`, `width` × `height`). Throws
/// `no_code` when none can be read.
#[wasm_bindgen(js_name = scanRgba)]
pub fn scan_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Vec<String>, JsValue> {
    crate::scan_rgba(rgba, width, height).map_err(js_error)
}

/// The texts of the QR codes in a PNG or JPEG file's bytes. Throws `no_code`, `image` or
/// `too_large`.
#[wasm_bindgen(js_name = scanImage)]
pub fn scan_image(bytes: &[u8]) -> Result<Vec<String>, JsValue> {
    crate::scan_file(bytes).map_err(js_error)
}

/// A checkpoint: pinned trust anchors, a signed trust list, revocation lists, an acceptance
/// policy and an anti-rollback clock guard. Every check gives the core's verdict document.
#[wasm_bindgen]
pub struct Checkpoint {
    inner: WebCheckpoint,
}

#[wasm_bindgen]
impl Checkpoint {
    /// Pins `anchors` (PEM or hex key text), loads the signed `trustList` (its bytes) and the
    /// `policy` (JSON text), at `nowMs`. Throws `list`, `unknown_anchor`, `policy`, `key`,
    /// `signed_in_future`, ….
    #[wasm_bindgen(constructor)]
    pub fn new(
        anchors: &str,
        #[wasm_bindgen(js_name = trustList)] trust_list: &[u8],
        policy: &str,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<Checkpoint, JsValue> {
        Ok(Checkpoint { inner: WebCheckpoint::new(anchors, trust_list, policy, now_ms).map_err(js_error)? })
    }

    /// Adds a signed revocation list (its bytes). Throws, and loads nothing, if it is refused.
    #[wasm_bindgen(js_name = addRevocationList)]
    pub fn add_revocation_list(
        &mut self,
        bytes: &[u8],
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<(), JsValue> {
        self.inner.add_revocation_list(bytes, now_ms).map_err(js_error)
    }

    /// The verdict about code text at `nowMs`. Never throws: a code that cannot be read is a
    /// refusal.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn check(&mut self, text: &str, #[wasm_bindgen(js_name = nowMs)] now_ms: f64) -> Result<JsValue, JsValue> {
        parse(&self.inner.check_json(text, now_ms))
    }

    /// The verdicts about every code in an RGBA frame: one per code, or a single refusal
    /// (`no_code` when the frame holds none).
    #[wasm_bindgen(js_name = checkImage, unchecked_return_type = "Verdict[]")]
    pub fn check_image(
        &mut self,
        rgba: &[u8],
        width: u32,
        height: u32,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        parse(&self.inner.check_rgba_json(rgba, width, height, now_ms))
    }

    /// The state to keep until the next run (newest signed time, list sequences).
    #[wasm_bindgen(unchecked_return_type = "ScannerState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        parse(&self.inner.state_json().map_err(js_error)?)
    }

    /// Restores a state from an earlier run (the object `state()` gave, or its JSON text).
    /// Throws `scanner_state` or `list_rollback`.
    #[wasm_bindgen(js_name = restoreState)]
    pub fn restore_state(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ScannerState | string")] state: JsValue,
    ) -> Result<(), JsValue> {
        let json = match state.as_string() {
            Some(text) => text,
            None => js_sys::JSON::stringify(&state)?.as_string().unwrap_or_default(),
        };
        self.inner.restore_state(&json).map_err(js_error)
    }
}

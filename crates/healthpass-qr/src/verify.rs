//! Images into the core's verifier and checkpoint: scan, then decide about each code's text.
//!
//! The core crate reads text only, so that it builds without an image decoder (for the browser,
//! for an issuer backend). These traits add the image entry points back where the scanner is.

use chrono::{DateTime, Utc};
use healthpass::decide::{Checkpoint, Verdict};
use healthpass::{Claims, Result, Verified, Verifier};

use crate::scan;

/// Verifies the codes in an image with a [`Verifier`].
pub trait VerifyImage {
    /// Scans every QR code in an image (PNG or JPEG bytes) and verifies each one that holds
    /// text; one result per code found, in the scanner's order.
    ///
    /// # Errors
    /// The image errors of [`scan`] (an unreadable image, or
    /// [`Error::NoCode`](healthpass::Error::NoCode)).
    fn verify_image(&self, image: &[u8], now: DateTime<Utc>) -> Result<Vec<Result<Verified<Claims>>>>;
}

impl VerifyImage for Verifier {
    fn verify_image(&self, image: &[u8], now: DateTime<Utc>) -> Result<Vec<Result<Verified<Claims>>>> {
        let texts = scan(image, self.limits())?;
        Ok(texts.into_iter().map(|text| text.and_then(|t| self.verify(&t, now))).collect())
    }
}

/// Decides about the codes in an image at a [`Checkpoint`].
pub trait CheckImage {
    /// Decides about every QR code in an image (PNG or JPEG bytes): one verdict per code found,
    /// or a single refusal saying why the image could not be read.
    fn check_image(&mut self, image: &[u8], now: DateTime<Utc>) -> Vec<Verdict>;
}

impl CheckImage for Checkpoint {
    fn check_image(&mut self, image: &[u8], now: DateTime<Utc>) -> Vec<Verdict> {
        match scan(image, self.limits()) {
            Ok(texts) => texts
                .into_iter()
                .map(|text| match text {
                    Ok(text) => self.check(&text, now),
                    Err(err) => Verdict::refused(vec![err.into()], Vec::new()),
                })
                .collect(),
            Err(err) => vec![Verdict::refused(vec![err.into()], Vec::new())],
        }
    }
}

//! One DCC test file: each stage of the procedure run on the input it reads.

use chrono::{DateTime, TimeDelta, Utc};

use data_encoding::{BASE64, HEXLOWER_PERMISSIVE};

use healthpass::transport::{decode_base45, inflate_bounded, strip_prefix};
use healthpass::{Error, Limits, Result, cbor};
use healthpass_interop::crypto::{ForeignKey, ForeignKeys, SignerCertificate};
use healthpass_interop::dcc::{self, DCC_PREFIX, DccCwt, DccVerifier, UnverifiedDcc, decompress_body};
use healthpass_interop::{cbor_to_json, dcc::schema};
use healthpass_qr as qr;

use crate::Stage;

pub(crate) type StageResult = Fallible<()>;
pub(crate) type Fallible<T> = std::result::Result<T, StageError>;

/// Why a stage did not succeed.
#[derive(Debug)]
pub(crate) enum StageError {
    /// The stage ran and failed.
    Failed(String),
    /// The file lacks an input the stage needs, so it cannot be checked from this file.
    Missing(&'static str),
}

impl StageError {
    pub(crate) fn into_detail(self) -> String {
        match self {
            StageError::Failed(detail) => detail,
            StageError::Missing(input) => format!("no {input}"),
        }
    }
}

impl From<String> for StageError {
    fn from(detail: String) -> Self {
        StageError::Failed(detail)
    }
}

impl From<&str> for StageError {
    fn from(detail: &str) -> Self {
        StageError::Failed(detail.to_owned())
    }
}

fn fail(error: Error) -> StageError {
    StageError::Failed(format!("{}: {error}", error.code()))
}

/// One DCC test file, with each input in the form its stages need.
pub(crate) struct DccCase<'a> {
    case: &'a serde_json::Value,
    /// The `JSON` field: an object, or a string holding one (as some files write it).
    json: Option<std::borrow::Cow<'a, serde_json::Value>>,
    limits: Limits,
}

impl<'a> DccCase<'a> {
    pub(crate) fn new(case: &'a serde_json::Value) -> Self {
        let json = match Self::field(case, "JSON") {
            Some(object @ serde_json::Value::Object(_)) => Some(std::borrow::Cow::Borrowed(object)),
            Some(serde_json::Value::String(text)) => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .filter(serde_json::Value::is_object)
                .map(std::borrow::Cow::Owned),
            _ => None,
        };
        DccCase { case, json, limits: Limits::DEFAULT }
    }

    /// The field `key` of the file: its exact name, else a name that differs only by surrounding
    /// spaces or a leading `_` (files write `"2DCODE "` and `"_2DCODE"`).
    fn field(case: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        let object = case.as_object()?;
        object.get(key).or_else(|| {
            object.iter().find(|(name, _)| name.trim().trim_start_matches('_') == key).map(|(_, value)| value)
        })
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        Self::field(self.case, key).and_then(serde_json::Value::as_str)
    }

    fn context(&self, key: &str) -> Option<&'a str> {
        self.case.get("TESTCTX").and_then(|c| c.get(key)).and_then(serde_json::Value::as_str)
    }

    /// A binary field: hex, as the test specification writes it, or base64 (some files).
    fn hex(&self, key: &str) -> Option<Fallible<Vec<u8>>> {
        self.text(key).map(|text| {
            let text = text.trim();
            HEXLOWER_PERMISSIVE
                .decode(text.as_bytes())
                .or_else(|_| BASE64.decode(text.as_bytes()))
                .map_err(|_| StageError::Failed(format!("{key} is neither hex nor base64")))
        })
    }

    pub(crate) fn run(&self, stage: Stage) -> StageResult {
        match stage {
            Stage::Picture => self.picture(),
            Stage::Unprefix => self.unprefix(),
            Stage::Base45 => self.base45(),
            Stage::Compression => self.compression(),
            Stage::Decode => self.decode(),
            Stage::Verify => self.verify().map(|_| ()),
            Stage::KeyUsage => self.key_usage(),
            Stage::Expiration => self.expiration(),
            Stage::Schema => self.schema(),
            Stage::ValidJson => self.valid_json(),
            Stage::ValidObject => self.valid_object(),
            Stage::Encode => self.encode(),
            Stage::Overall => self.overall(),
        }
    }

    pub(crate) fn picture_scan(&self) -> Option<StageResult> {
        let image = self.text("2DCODE")?;
        Some(self.scan(image))
    }

    fn scan(&self, image: &str) -> StageResult {
        // Some producers write a data URL (`data:image/png;base64,...`) rather than bare base64.
        let image = image.trim();
        let image = image.split_once(";base64,").map_or(image, |(_, data)| data);
        let image: String = image.chars().filter(|c| !c.is_whitespace()).collect();
        let png = BASE64.decode(image.as_bytes()).map_err(|_| "2DCODE is not base64".to_owned())?;
        let image = qr::read_image(&png, &self.limits).map_err(fail)?;
        let first_code = |image: &image::GrayImage| -> Result<String> {
            qr::scan_image(image, &self.limits)?.into_iter().next().unwrap_or(Err(Error::NoCode))
        };
        // A picture drawn without its quiet zone is scanned again inside a white margin (only
        // pictures of moderate size, so the copy stays small).
        let first = first_code(&image)
            .or_else(|e| {
                if image.width().max(image.height()) <= 4096 {
                    first_code(&with_margin(&image)).map_err(|_| e)
                } else {
                    Err(e)
                }
            })
            .map_err(fail)?;
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX to compare with"))?;
        if first == prefix { Ok(()) } else { Err("the scanned text differs from PREFIX".into()) }
    }

    fn picture(&self) -> StageResult {
        self.picture_scan().unwrap_or(Err(StageError::Missing("2DCODE picture")))
    }

    fn unprefix(&self) -> StageResult {
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let rest = strip_prefix(prefix, DCC_PREFIX, &self.limits).map_err(fail)?;
        match self.text("BASE45") {
            Some(base45) if base45 != rest => Err("the text after the prefix differs from BASE45".into()),
            Some(_) => Ok(()),
            None => decode_base45(rest).map(|_| ()).map_err(fail),
        }
    }

    /// The base45 text: `BASE45`, or `PREFIX` without its prefix.
    fn base45_text(&self) -> Fallible<&'a str> {
        if let Some(text) = self.text("BASE45") {
            return Ok(text);
        }
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("BASE45 nor PREFIX"))?;
        strip_prefix(prefix, DCC_PREFIX, &self.limits).map_err(fail)
    }

    fn base45(&self) -> StageResult {
        let decoded = decode_base45(self.base45_text()?).map_err(fail)?;
        if let Some(compressed) = self.hex("COMPRESSED") {
            return if decoded == compressed? {
                Ok(())
            } else {
                Err("the decoded bytes differ from COMPRESSED".into())
            };
        }
        if let Some(cose) = self.hex("COSE") {
            let body = decompress_body(decoded, &self.limits).map_err(fail)?;
            return if body == cose? { Ok(()) } else { Err("the decoded COSE differs from COSE".into()) };
        }
        Ok(())
    }

    /// The compressed bytes: `COMPRESSED`, or decoded from the base45 text.
    fn compressed(&self) -> Fallible<Vec<u8>> {
        match self.hex("COMPRESSED") {
            Some(bytes) => bytes,
            None => decode_base45(self.base45_text()?).map_err(fail),
        }
    }

    fn compression(&self) -> StageResult {
        let inflated = inflate_bounded(&self.compressed()?, &self.limits).map_err(fail)?;
        match self.hex("COSE").transpose()? {
            Some(cose) if inflated != cose => Err("the inflated bytes differ from COSE".into()),
            _ => Ok(()),
        }
    }

    /// The COSE bytes: `COSE`, or decoded along the chain from `COMPRESSED`, `BASE45` or `PREFIX`.
    fn cose(&self) -> Fallible<Vec<u8>> {
        match self.hex("COSE") {
            Some(bytes) => bytes,
            None => decompress_body(self.compressed()?, &self.limits).map_err(fail),
        }
    }

    fn message(&self) -> Fallible<UnverifiedDcc> {
        UnverifiedDcc::from_cose(&self.cose()?, &self.limits).map_err(fail)
    }

    fn cwt(&self) -> Fallible<DccCwt> {
        self.message()?.cwt_unverified(&self.limits).map_err(fail)
    }

    /// The DCC of the `CBOR` field: a whole CWT (its hcert claim) or the bare DCC map.
    fn cbor_dcc(&self) -> Option<Fallible<serde_json::Value>> {
        let bytes = self.hex("CBOR")?;
        Some(bytes.and_then(|bytes| {
            if let Ok(cwt) = DccCwt::decode(&bytes, &self.limits) {
                return cwt.hcert_json().map_err(fail);
            }
            let value = cbor::read_foreign(&bytes, "CBOR", &self.limits).map_err(fail)?;
            if !value.is_map() {
                return Err("CBOR is not a map".into());
            }
            cbor_to_json(&value, 0).map_err(fail)
        }))
    }

    fn json(&self) -> Option<&serde_json::Value> {
        self.json.as_deref()
    }

    fn decode(&self) -> StageResult {
        let from_cbor = self.cbor_dcc().transpose()?;
        let from_cose = match (self.text("COSE"), &from_cbor) {
            (None, Some(_)) if self.text("PREFIX").is_none() => None,
            _ => Some(self.cwt()?.hcert_json().map_err(fail)?),
        };
        if let (Some(cbor), Some(cose)) = (&from_cbor, &from_cose) {
            same_dcc(cbor, cose).map_err(|d| StageError::Failed(format!("CBOR and the COSE payload differ at {d}")))?;
        }
        if let Some(json) = self.json() {
            let decoded = from_cose.as_ref().or(from_cbor.as_ref()).ok_or("nothing to decode")?;
            same_dcc(decoded, json)
                .map_err(|d| StageError::Failed(format!("the decoded DCC differs from JSON at {d}")))?;
        }
        Ok(())
    }

    fn certificate(&self) -> Fallible<Vec<u8>> {
        let text = self.context("CERTIFICATE").ok_or(StageError::Missing("TESTCTX.CERTIFICATE"))?;
        // Bare base64 as the test data defines it; PEM armour lines are tolerated.
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        BASE64.decode(text.as_bytes()).map_err(|_| "TESTCTX.CERTIFICATE is not base64".into())
    }

    fn signer(&self) -> Fallible<SignerCertificate> {
        SignerCertificate::from_der(&self.certificate()?).map_err(fail)
    }

    fn verify(&self) -> Fallible<ForeignKey> {
        let key = ForeignKey::from_x509_der(&self.certificate()?).map_err(fail)?;
        let verifier = DccVerifier::new([key].into_iter().collect::<ForeignKeys>());
        let message = self.message()?;
        verifier.verify_signature(&message).cloned().map_err(fail)
    }

    fn key_usage(&self) -> StageResult {
        let signer = self.signer()?;
        let cwt = self.cwt()?;
        dcc::check_key_usage(Some(&signer.info), &cwt).map_err(fail)
    }

    fn clock(&self) -> Fallible<DateTime<Utc>> {
        let text = self
            .context("VALIDATIONCLOCK")
            .or_else(|| self.context("validationClockInstant"))
            .ok_or(StageError::Missing("TESTCTX.VALIDATIONCLOCK"))?;
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc()))
            .map_err(|_| "TESTCTX.VALIDATIONCLOCK is not a date-time".into())
    }

    fn expiration(&self) -> StageResult {
        let signer = self.signer()?;
        let cwt = self.cwt()?;
        dcc::check_validity(Some(&signer.info), &cwt, self.clock()?, TimeDelta::zero()).map_err(fail)
    }

    /// The schema release to validate `dcc` against: the one its own `ver` names when that
    /// release is held (a DCC declares the schema it follows), else `TESTCTX.SCHEMA`.
    fn schema_version<'d>(&self, dcc: &'d serde_json::Value) -> Fallible<&'d str>
    where
        'a: 'd,
    {
        let own = dcc.get("ver").and_then(serde_json::Value::as_str).filter(|v| schema::VERSIONS.contains(v));
        own.or_else(|| self.context("SCHEMA")).ok_or(StageError::Missing("TESTCTX.SCHEMA"))
    }

    fn schema(&self) -> StageResult {
        let cwt = self.cwt()?;
        let json = cwt.hcert_json().map_err(fail)?;
        // The schema alone, as the test specification's step 8 says: it names the value sets of
        // coded fields (`valueset-uri`) as annotations, which validation does not check (the
        // data agrees: docs/INTEROP.md). `schema::check_value_sets` is there for business rules.
        schema::validate(self.schema_version(&json)?, &json).map_err(fail)?;
        cwt.usage().map(|_| ()).map_err(fail)
    }

    fn valid_json(&self) -> StageResult {
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let cwt =
            UnverifiedDcc::parse(prefix, &self.limits).and_then(|m| m.cwt_unverified(&self.limits)).map_err(fail)?;
        match self.json() {
            Some(json) => same_dcc(&cwt.hcert_json().map_err(fail)?, json)
                .map_err(|d| StageError::Failed(format!("the decoded DCC differs from JSON at {d}"))),
            None => Ok(()),
        }
    }

    fn valid_object(&self) -> StageResult {
        let json = self.json().ok_or(StageError::Missing("JSON"))?;
        schema::validate(self.schema_version(json)?, json).map_err(fail)
    }

    fn encode(&self) -> StageResult {
        let cbor = self.cbor_dcc().ok_or(StageError::Missing("CBOR"))??;
        let json = self.json().ok_or(StageError::Missing("JSON"))?;
        same_dcc(&cbor, json).map_err(|d| StageError::Failed(format!("CBOR and JSON differ at {d}")))
    }

    fn overall(&self) -> StageResult {
        let key = ForeignKey::from_x509_der(&self.certificate()?).map_err(fail)?;
        let verifier = DccVerifier::new([key].into_iter().collect::<ForeignKeys>());
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let code = UnverifiedDcc::parse(prefix, &self.limits).map_err(fail)?;
        verifier.verify_signature(&code).map_err(fail)?;
        code.cwt_unverified(&self.limits).map(|_| ()).map_err(fail)
    }
}

/// The picture inside a white margin of an eighth of its side (at least 8 pixels).
fn with_margin(picture: &image::GrayImage) -> image::GrayImage {
    let margin = picture.width().max(picture.height()) / 8 + 8;
    let mut framed = image::GrayImage::from_pixel(
        picture.width().saturating_add(2 * margin),
        picture.height().saturating_add(2 * margin),
        image::Luma([255]),
    );
    image::imageops::replace(&mut framed, picture, i64::from(margin), i64::from(margin));
    framed
}

/// Compares two DCCs as JSON: maps by key, arrays in order, numbers by value, and strings that
/// are date-times by the instant they name (issuers write `Z`, `+00:00` or fractions for the
/// same time). Returns the path of the first difference.
fn same_dcc(a: &serde_json::Value, b: &serde_json::Value) -> std::result::Result<(), String> {
    use serde_json::Value as J;
    fn walk(a: &J, b: &J, path: &mut String) -> bool {
        match (a, b) {
            (J::Object(x), J::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                x.iter().all(|(k, v)| {
                    let len = path.len();
                    path.push('/');
                    path.push_str(k);
                    let same = y.get(k).is_some_and(|w| walk(v, w, path));
                    if same {
                        path.truncate(len);
                    }
                    same
                })
            }
            (J::Array(x), J::Array(y)) => {
                x.len() == y.len()
                    && x.iter().zip(y).enumerate().all(|(i, (v, w))| {
                        let len = path.len();
                        path.push_str(&format!("/{i}"));
                        let same = walk(v, w, path);
                        if same {
                            path.truncate(len);
                        }
                        same
                    })
            }
            (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
            (J::String(x), J::String(y)) => {
                x == y || matches!((dcc::parse_date_time(x), dcc::parse_date_time(y)), (Some(s), Some(t)) if s == t)
            }
            _ => a == b,
        }
    }
    let mut path = String::new();
    if walk(a, b, &mut path) { Ok(()) } else { Err(if path.is_empty() { "/".into() } else { path }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_without_its_quiet_zone_scans_inside_the_margin() {
        let text = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ%BJMI:TU+MMPZ55%PBT1";
        let picture = healthpass_qr::Qr::encode(text).unwrap().to_image(4);
        // Cut the 4-module (16-pixel) quiet zone away.
        let side = picture.width() - 32;
        let bare = image::imageops::crop_imm(&picture, 16, 16, side, side).to_image();
        let framed = with_margin(&bare);
        assert!(framed.width() > bare.width() + 16);
        let found = qr::scan_image(&framed, &Limits::DEFAULT).unwrap();
        assert_eq!(found[0].as_deref().unwrap(), text);
    }

    #[test]
    fn dcc_comparison_reads_date_times_by_instant() {
        let a = serde_json::json!({"t": [{"sc": "2021-05-29T10:00:00Z", "n": 1}]});
        let b = serde_json::json!({"t": [{"sc": "2021-05-29T12:00:00+02:00", "n": 1.0}]});
        assert!(same_dcc(&a, &b).is_ok());
        let c = serde_json::json!({"t": [{"sc": "2021-05-29T10:00:01Z", "n": 1}]});
        assert_eq!(same_dcc(&a, &c).unwrap_err(), "/t/0/sc");
    }
}

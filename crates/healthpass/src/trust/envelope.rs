//! The signed envelope shared by trust lists and revocation lists: a tagged COSE_Sign1 signed
//! with Ed25519 whose payload is a CBOR map with small integer keys and a format marker at key 0.

use chrono::{DateTime, Utc};
use ciborium::Value;

use crate::cose::{self, Alg, CoseMessage, Profile};
use crate::keys::{PublicKey, SigningKey};
use crate::verify::authenticate;
use crate::{Error, Limits, Result, cbor};

/// Checks an envelope's size, structure, algorithm and signature, returning the parsed message
/// and the key (one of `signers`, matched by kid) whose signature verified.
pub(crate) fn open<'k>(
    bytes: &[u8],
    signers: impl IntoIterator<Item = &'k PublicKey>,
    what: &'static str,
    limits: &Limits,
) -> Result<(CoseMessage, &'k PublicKey)> {
    if bytes.len() > limits.max_list_bytes {
        return Err(Error::TooLarge { what, limit: limits.max_list_bytes });
    }
    let message = CoseMessage::decode(bytes, Profile::Native, limits)?;
    let alg = message.protected_alg()?;
    if !alg.is(Alg::EDDSA) {
        return Err(Error::UnsupportedAlg(alg.to_string()));
    }
    let kid = message.protected_kid().ok_or(Error::MissingKid)?;
    let signed = message.signed_bytes();
    let candidates = signers.into_iter().filter(|k| k.kid() == kid);
    let found = authenticate(
        &kid,
        candidates,
        |k| k.verify_strict(&signed, message.signature()),
        |kid| Error::UnknownAnchor(kid.to_string()),
    )?;
    let key = found.into_iter().next().ok_or(Error::BadSignature)?;
    Ok((message, key))
}

/// Signs a payload map as a tagged COSE_Sign1 (alg EdDSA, the key's kid in the protected header).
pub(crate) fn seal(payload: &Value, key: &SigningKey) -> Result<Vec<u8>> {
    cose::sign(cbor::write(payload), key)
}

/// Reads the payload map under limits raised to the list's own caps, and checks the marker.
pub(crate) fn payload_fields(
    message: &CoseMessage,
    marker: &str,
    what: &'static str,
    limits: &Limits,
    max_items: usize,
) -> Result<ListFields> {
    let list_limits = Limits { max_cbor_items: limits.max_cbor_items.max(max_items), ..*limits };
    let value = cbor::read(message.payload(), what, &list_limits)?;
    let mut fields = ListFields::new(value, what)?;
    match fields.need(0, "format marker")? {
        Value::Text(text) if text == marker => Ok(fields),
        _ => Err(list_error(what, format!("the payload is not a {what} (format marker is not `{marker}`)"))),
    }
}

pub(crate) fn list_error(what: &'static str, detail: impl Into<String>) -> Error {
    Error::List { what, detail: detail.into() }
}

/// The fields of a CBOR map with small integer keys; unknown keys are refused at the end.
pub(crate) struct ListFields {
    what: &'static str,
    entries: Vec<(i64, Value)>,
}

impl ListFields {
    pub(crate) fn new(value: Value, what: &'static str) -> Result<Self> {
        let Value::Map(map) = value else {
            return Err(list_error(what, "expected a map"));
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let key = key
                .as_integer()
                .and_then(|k| i64::try_from(k).ok())
                .ok_or_else(|| list_error(what, "a map key is not a small integer"))?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(Error::DuplicateKey { step: what });
            }
            entries.push((key, value));
        }
        Ok(ListFields { what, entries })
    }

    pub(crate) fn take(&mut self, key: i64) -> Option<Value> {
        let at = self.entries.iter().position(|(k, _)| *k == key)?;
        Some(self.entries.swap_remove(at).1)
    }

    pub(crate) fn need(&mut self, key: i64, name: &str) -> Result<Value> {
        self.take(key).ok_or_else(|| list_error(self.what, format!("lacks {name} (key {key})")))
    }

    pub(crate) fn finish(self) -> Result<()> {
        match self.entries.first() {
            Some((key, _)) => Err(list_error(self.what, format!("unknown key {key}"))),
            None => Ok(()),
        }
    }

    pub(crate) fn uint(&mut self, key: i64, name: &str) -> Result<u64> {
        let value = self.need(key, name)?;
        value
            .as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| list_error(self.what, format!("{name} must be an unsigned integer")))
    }

    pub(crate) fn time(&mut self, key: i64, name: &str) -> Result<DateTime<Utc>> {
        let value = self.need(key, name)?;
        value_to_time(&value, self.what, name)
    }

    pub(crate) fn bytes(&mut self, key: i64, name: &str) -> Result<Vec<u8>> {
        match self.need(key, name)? {
            Value::Bytes(bytes) => Ok(bytes),
            _ => Err(list_error(self.what, format!("{name} must be a byte string"))),
        }
    }

    pub(crate) fn text(&mut self, key: i64, name: &str, limits: &Limits) -> Result<String> {
        let value = self.need(key, name)?;
        value_to_text(value, self.what, name, limits)
    }

    pub(crate) fn opt_text(&mut self, key: i64, name: &str, limits: &Limits) -> Result<Option<String>> {
        self.take(key).map(|v| value_to_text(v, self.what, name, limits)).transpose()
    }

    pub(crate) fn array(&mut self, key: i64, name: &str) -> Result<Option<Vec<Value>>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(list_error(self.what, format!("{name} must be an array"))),
        }
    }
}

pub(crate) fn value_to_time(value: &Value, what: &'static str, name: &str) -> Result<DateTime<Utc>> {
    value
        .as_integer()
        .and_then(|i| i64::try_from(i).ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .ok_or_else(|| list_error(what, format!("{name} must be a time in whole seconds since 1970")))
}

pub(crate) fn value_to_text(value: Value, what: &'static str, name: &str, limits: &Limits) -> Result<String> {
    match value {
        Value::Text(text) if text.len() > limits.max_text_string_len => {
            Err(Error::TooLarge { what: "list text", limit: limits.max_text_string_len })
        }
        Value::Text(text) => Ok(text),
        _ => Err(list_error(what, format!("{name} must be a text string"))),
    }
}

/// Truncates a time to whole seconds, as the wire form carries it.
pub(crate) fn whole_seconds(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(time.timestamp(), 0).unwrap_or(time)
}

/// Serde helpers: byte strings and key ids as lowercase hex in JSON drafts.
pub(crate) mod hex_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::keys::Kid;

    pub(crate) fn bytes_to_hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::hex::encode(bytes))
    }

    pub(crate) fn bytes_from_hex<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        crate::hex::decode(&text).ok_or_else(|| serde::de::Error::custom("expected hex digits"))
    }

    pub(crate) fn kid_to_hex<S: Serializer>(kid: &Kid, s: S) -> Result<S::Ok, S::Error> {
        bytes_to_hex(kid.as_bytes(), s)
    }

    pub(crate) fn kid_from_hex<'de, D: Deserializer<'de>>(d: D) -> Result<Kid, D::Error> {
        Kid::new(bytes_from_hex(d)?).ok_or_else(|| serde::de::Error::custom("the kid must have 1 to 64 bytes"))
    }
}

//! The stages of the DCC test procedure, each named by the `EXPECTED*` key that sets it.

use serde::Serialize;

/// A stage of the DCC test procedure, named by the `EXPECTED*` key that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `EXPECTEDPICTUREDECODE`: the `2DCODE` PNG scans to the text in `PREFIX`.
    Picture,
    /// `EXPECTEDUNPREFIX`: `PREFIX` is `HC1:` followed by `BASE45`.
    Unprefix,
    /// `EXPECTEDB45DECODE`: `BASE45` decodes to `COMPRESSED`.
    Base45,
    /// `EXPECTEDCOMPRESSION`: `COMPRESSED` is a zlib stream that inflates to `COSE`.
    Compression,
    /// `EXPECTEDDECODE`: the COSE payload and `CBOR` decode, and their DCC matches `JSON`.
    Decode,
    /// `EXPECTEDVERIFY`: the COSE signature verifies under the kid-selected `TESTCTX.CERTIFICATE`.
    Verify,
    /// `EXPECTEDKEYUSAGE`: the certificate's extended key usage allows the DCC's type.
    KeyUsage,
    /// `EXPECTEDEXPIRATIONCHECK` (also the misspelled `EXPTECTEDEXPIRED`): the DCC is valid at
    /// `TESTCTX.VALIDATIONCLOCK` and within its certificate's validity.
    Expiration,
    /// `EXPECTEDSCHEMAVALIDATION`: the DCC in the COSE payload follows the `TESTCTX.SCHEMA` release.
    Schema,
    /// `EXPECTEDVALIDJSON`: the whole chain from `PREFIX` decodes and its DCC matches `JSON`.
    ValidJson,
    /// `EXPECTEDVALIDOBJECT`: `JSON` follows the `TESTCTX.SCHEMA` release.
    ValidObject,
    /// `EXPECTEDENCODE`: `CBOR` encodes the same DCC as `JSON`.
    Encode,
    /// A nested `EXPECTEDRESULTS` boolean (ES 1001–1003): the whole chain from `PREFIX` decodes
    /// and the signature verifies. Key usage and times are left to their own keys.
    Overall,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: &'static [Stage] = &[
        Stage::Picture,
        Stage::Unprefix,
        Stage::Base45,
        Stage::Compression,
        Stage::Decode,
        Stage::Verify,
        Stage::KeyUsage,
        Stage::Expiration,
        Stage::Schema,
        Stage::ValidJson,
        Stage::ValidObject,
        Stage::Encode,
        Stage::Overall,
    ];

    /// The stage an `EXPECTED*` key sets, if it is a known one.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "EXPECTEDPICTUREDECODE" => Stage::Picture,
            "EXPECTEDUNPREFIX" => Stage::Unprefix,
            "EXPECTEDB45DECODE" => Stage::Base45,
            "EXPECTEDCOMPRESSION" => Stage::Compression,
            "EXPECTEDDECODE" => Stage::Decode,
            "EXPECTEDVERIFY" => Stage::Verify,
            "EXPECTEDKEYUSAGE" => Stage::KeyUsage,
            "EXPECTEDEXPIRATIONCHECK" | "EXPTECTEDEXPIRED" => Stage::Expiration,
            "EXPECTEDSCHEMAVALIDATION" => Stage::Schema,
            "EXPECTEDVALIDJSON" => Stage::ValidJson,
            "EXPECTEDVALIDOBJECT" => Stage::ValidObject,
            "EXPECTEDENCODE" => Stage::Encode,
            "EXPECTEDRESULTS" => Stage::Overall,
            _ => return None,
        })
    }

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Picture => "picture decode",
            Stage::Unprefix => "unprefix",
            Stage::Base45 => "base45",
            Stage::Compression => "compression",
            Stage::Decode => "COSE decode",
            Stage::Verify => "verify",
            Stage::KeyUsage => "key usage",
            Stage::Expiration => "expiration",
            Stage::Schema => "schema",
            Stage::ValidJson => "valid JSON",
            Stage::ValidObject => "valid object",
            Stage::Encode => "encode",
            Stage::Overall => "overall",
        }
    }

    /// The test name the upstream suite (and its `tests/known_issues.csv`) uses for this stage.
    pub(crate) fn upstream_tests(self) -> &'static [&'static str] {
        match self {
            Stage::Picture => &["test_picture_decode"],
            Stage::Unprefix => &["test_un_prefix"],
            Stage::Base45 => &["test_b45decode"],
            Stage::Compression => &["test_compression"],
            Stage::Decode => &["test_cose_json", "test_cose_cbor"],
            Stage::Verify => &["test_verification_check"],
            Stage::KeyUsage => &["test_expected_key_usage"],
            Stage::Expiration => &["test_expiration_check"],
            // The upstream suite has no test for EXPECTEDVALIDOBJECT; it asks the same question of
            // the JSON field that test_cose_schema asks of the signed payload, so the schema
            // entries of the known-issue list apply to it too.
            Stage::Schema | Stage::ValidObject => &["test_cose_schema"],
            Stage::ValidJson => &["test_cbor_json"],
            Stage::Encode | Stage::Overall => &[],
        }
    }
}

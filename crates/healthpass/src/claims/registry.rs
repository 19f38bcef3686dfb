//! The registries: every coded value a code can carry, with its wire code and meaning.
//!
//! Codes are fixed by `docs/FORMAT.md`; a new value gets a new code and never reuses an old one.

use serde::{Deserialize, Serialize};

macro_rules! registry {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $code, )+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's wire code.
            pub fn code(self) -> u8 {
                self as u8
            }

            /// The value with this wire code, if the registry has one.
            pub fn from_code(code: u64) -> Option<Self> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// A plain-language description, for people.
            pub fn describe(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            pub(crate) const WHAT: &'static str = $what;
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.describe())
            }
        }
    };
}

registry! {
    /// The colour that decides entry.
    ///
    /// Regions used either yellow or orange for the middle level; both are kept, and a policy
    /// decides which it accepts. Green: no known risk, free movement. Yellow: a lower risk that
    /// calls for a test or observation (for example a visit to a risk area or a fever at a check).
    /// Orange: a higher middle risk that restricts movement (for example a close contact in
    /// home quarantine). Red: confirmed or suspected infection, or quarantine in force.
    Colour, "colour" {
        /// No known risk.
        Green = 1 => "green",
        /// Lower middle risk: a test or observation is called for.
        Yellow = 2 => "yellow",
        /// Higher middle risk: movement is restricted.
        Orange = 3 => "orange",
        /// Infection confirmed or suspected, or quarantine in force.
        Red = 4 => "red",
    }
}

registry! {
    /// Why a code has its colour. Every code carries at least one reason.
    Reason, "reason" {
        /// A recent negative test.
        NegativeTest = 1 => "a recent test was negative",
        /// A positive test.
        PositiveTest = 2 => "a test was positive",
        /// Close contact with a confirmed case.
        CloseContact = 3 => "close contact with a confirmed case",
        /// A stay in a designated risk area.
        RiskAreaVisit = 4 => "a recent stay in a designated risk area",
        /// A quarantine period was completed.
        QuarantineCompleted = 5 => "the quarantine period was completed",
        /// A fever was measured at a check.
        FeverAtCheck = 6 => "a fever was measured at a check",
        /// Symptoms were self-reported.
        SelfReportedSymptoms = 7 => "symptoms were self-reported",
        /// Vaccinated.
        Vaccinated = 8 => "vaccinated",
        /// A manual decision by an authorised officer (recorded in the evidence).
        OfficerDecision = 9 => "a manual decision by an authorised officer",
        /// Recovered from a confirmed infection.
        Recovered = 10 => "recovered from a confirmed infection",
        /// Quarantine is in force.
        InQuarantine = 11 => "quarantine is in force",
        /// Daily health reports are missing or incomplete.
        IncompleteReports = 12 => "daily health reports are missing or incomplete",
        /// Daily health reports are complete and normal.
        NormalReports = 13 => "daily health reports are complete and normal",
        /// Converted from a verified code of another region or system.
        ConvertedCode = 14 => "converted from a verified code of another region",
    }
}

registry! {
    /// The kind of a test.
    TestKind, "test kind" {
        /// Nucleic-acid amplification (PCR and similar).
        NucleicAcid = 1 => "nucleic acid test",
        /// Rapid antigen test.
        Antigen = 2 => "antigen test",
        /// Antibody (serology) test.
        Antibody = 3 => "antibody test",
    }
}

registry! {
    /// The result of a test.
    TestOutcome, "test result" {
        /// Not detected.
        Negative = 1 => "negative",
        /// Detected.
        Positive = 2 => "positive",
        /// Neither.
        Inconclusive = 3 => "inconclusive",
    }
}

registry! {
    /// The kind of identity document a subject id was derived from.
    DocumentKind, "document kind" {
        /// A national identity card.
        NationalId = 1 => "national identity card",
        /// A passport.
        Passport = 2 => "passport",
        /// A residence permit.
        ResidencePermit = 3 => "residence permit",
        /// A travel permit for a neighbouring region.
        TravelPermit = 4 => "travel permit",
        /// Any other document.
        Other = 5 => "other document",
    }
}

registry! {
    /// How a holder is related to the subject whose code they carry.
    Relation, "relation" {
        /// The subject's parent.
        Parent = 1 => "parent",
        /// The subject's child.
        Child = 2 => "child",
        /// The subject's spouse or partner.
        Spouse = 3 => "spouse",
        /// Another family member.
        Family = 4 => "family member",
        /// A legal guardian.
        Guardian = 5 => "guardian",
        /// A carer.
        Carer = 6 => "carer",
    }
}

registry! {
    /// The declaration category of a cross-border credential.
    DeclarationCategory, "declaration category" {
        /// An individual traveller.
        Individual = 1 => "individual traveller",
        /// A cross-border truck driver.
        TruckDriver = 2 => "cross-border truck driver",
        /// A cross-border commuter (worker or student).
        Commuter = 3 => "cross-border commuter",
        /// Crew of a vessel or aircraft.
        Crew = 4 => "crew",
    }
}

//! The built-in reporting rules: each one's period, where its clock starts, and the provision
//! it comes from (docs/obligations.md). Data about the law, kept apart from both the format
//! (`model`) and the calendar arithmetic (`clock`), which each use it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::clock::{Period, APPI_PRELIMINARY_POLICY_DAYS};

/// Built-in reporting rules; each one's period, legal reference and counting convention are in
/// docs/obligations.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum Rule {
    #[serde(rename = "appi-preliminary")]
    AppiPreliminary,
    #[serde(rename = "appi-final")]
    AppiFinal,
    #[serde(rename = "appi-final-improper-purpose")]
    AppiFinalImproperPurpose,
    #[serde(rename = "tba-detailed-report")]
    TbaDetailedReport,
    #[serde(rename = "gdpr-art33")]
    GdprArt33,
    #[serde(rename = "nis2-early-warning")]
    Nis2EarlyWarning,
    #[serde(rename = "nis2-notification")]
    Nis2Notification,
    #[serde(rename = "nis2-final-report")]
    Nis2FinalReport,
    #[serde(rename = "sec-8k-1-05")]
    Sec8k105,
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::AppiPreliminary,
        Rule::AppiFinal,
        Rule::AppiFinalImproperPurpose,
        Rule::TbaDetailedReport,
        Rule::GdprArt33,
        Rule::Nis2EarlyWarning,
        Rule::Nis2Notification,
        Rule::Nis2FinalReport,
        Rule::Sec8k105,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::AppiPreliminary => "appi-preliminary",
            Rule::AppiFinal => "appi-final",
            Rule::AppiFinalImproperPurpose => "appi-final-improper-purpose",
            Rule::TbaDetailedReport => "tba-detailed-report",
            Rule::GdprArt33 => "gdpr-art33",
            Rule::Nis2EarlyWarning => "nis2-early-warning",
            Rule::Nis2Notification => "nis2-notification",
            Rule::Nis2FinalReport => "nis2-final-report",
            Rule::Sec8k105 => "sec-8k-1-05",
        }
    }
}

/// Where a built-in rule's clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// At a moment of the incident (`starts_at`), such as becoming aware of it.
    Start,
    /// When another obligation was met, or else fell due (`after`).
    AfterObligation,
}

impl Rule {
    /// The period the rule allows; `policy_days` only changes `appi-preliminary`.
    pub fn period(self, policy_days: Option<u32>) -> Period {
        match self {
            Rule::AppiPreliminary => {
                Period::Days(policy_days.unwrap_or(APPI_PRELIMINARY_POLICY_DAYS))
            }
            Rule::AppiFinal | Rule::TbaDetailedReport => Period::Days(30),
            Rule::AppiFinalImproperPurpose => Period::Days(60),
            Rule::GdprArt33 | Rule::Nis2Notification => Period::Hours(72),
            Rule::Nis2EarlyWarning => Period::Hours(24),
            Rule::Nis2FinalReport => Period::Months(1),
            Rule::Sec8k105 => Period::BusinessDays(4),
        }
    }

    pub fn trigger(self) -> Trigger {
        match self {
            Rule::Nis2FinalReport => Trigger::AfterObligation,
            _ => Trigger::Start,
        }
    }

    /// True when the law sets no period ("promptly") and the period is the tool's policy.
    pub fn is_policy(self) -> bool {
        matches!(self, Rule::AppiPreliminary)
    }

    /// The provision the period comes from.
    pub fn reference(self) -> &'static str {
        match self {
            Rule::AppiPreliminary => "APPI Enforcement Rules art. 8(1): promptly",
            Rule::AppiFinal => "APPI Enforcement Rules art. 8(2): 30 days",
            Rule::AppiFinalImproperPurpose => {
                "APPI Enforcement Rules art. 8(2): 60 days (improper purpose)"
            }
            Rule::TbaDetailedReport => {
                "Ordinance for Enforcement of the Telecommunications Business Act art. 57: 30 days"
            }
            Rule::GdprArt33 => "GDPR art. 33(1): 72 hours",
            Rule::Nis2EarlyWarning => "NIS2 art. 23(4)(a): 24 hours",
            Rule::Nis2Notification => "NIS2 art. 23(4)(b): 72 hours",
            Rule::Nis2FinalReport => "NIS2 art. 23(4)(d): one month after the notification",
            Rule::Sec8k105 => "SEC Form 8-K item 1.05: 4 business days",
        }
    }
}

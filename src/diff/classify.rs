//! Material or editorial: whether a change alters what the partners agreed (money, risk, the
//! parties, the functions delegated, how long it lasts, the legal terms), and so needs every
//! partner's signature on a variation, or only records or rewords something.
//!
//! Like a semantic version: a material change is a "major" one. The table below is written by
//! field path (the field names from the schema, without ids or map keys: `pools.risk_share`)
//! and matched by prefix; the first entry that matches decides. A path that matches nothing is
//! editorial.

use super::words;

/// What a change is about, for grouping and for saying why it is material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Topic {
    /// Contributions, pooled totals, allocations, payments, grants, non-financial contributions.
    Money,
    /// Shares of an overspend or underspend.
    RiskShare,
    /// The partners to the agreement (and a grant's payer and recipient).
    Parties,
    /// The legal basis (section 75, 256, 76, care trust).
    LegalBasis,
    /// Commencement, end, rolling, renewal, notice period.
    Duration,
    /// Functions, arrangements, client groups and services a scheme covers.
    Functions,
    /// Which partner hosts a pool or leads a scheme, and whose officer manages the pool.
    Hosts,
    /// Pools and schemes added or removed.
    Scope,
    /// The legal terms: exit strategy, indemnity, disputes, VAT, how to vary, staff.
    Terms,
    /// Outcomes, aims and their targets.
    Outcomes,
    /// Status, signatures and variations recorded.
    Record,
    /// Anything else: titles, names, governance, reviews, consultation, waivers.
    Other,
}

impl Topic {
    /// Whether changes about this topic need every partner's signature.
    pub(crate) fn material(self) -> bool {
        matches!(
            self,
            Topic::Money
                | Topic::RiskShare
                | Topic::Parties
                | Topic::LegalBasis
                | Topic::Duration
                | Topic::Functions
                | Topic::Hosts
                | Topic::Scope
                | Topic::Terms
        )
    }

    /// The name used in outputs (also the JSON value).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Topic::Money => "money",
            Topic::RiskShare => "risk share",
            Topic::Parties => "parties",
            Topic::LegalBasis => "legal basis",
            Topic::Duration => "duration",
            Topic::Functions => "functions and services",
            Topic::Hosts => "hosts",
            Topic::Scope => "pools and schemes",
            Topic::Terms => "terms",
            Topic::Outcomes => "outcomes",
            Topic::Record => "record",
            Topic::Other => "other",
        }
    }
}

/// Field paths (prefixes) and what they are about; the first match wins, so the narrower
/// entries come before the wider ones.
const TABLE: &[(&str, Topic)] = &[
    ("partners", Topic::Parties),
    ("grant.payer", Topic::Parties),
    ("grant.recipient", Topic::Parties),
    ("grant.amount", Topic::Money),
    ("legal_basis", Topic::LegalBasis),
    ("commencement", Topic::Duration),
    ("end", Topic::Duration),
    ("rolling", Topic::Duration),
    ("renewal", Topic::Duration),
    ("exit_strategy.notice_months", Topic::Duration),
    ("pools.risk_share", Topic::RiskShare),
    ("pools.contributions", Topic::Money),
    ("pools.pooled_total", Topic::Money),
    ("pools.host", Topic::Hosts),
    ("pools.pool_manager.partner", Topic::Hosts),
    ("pools.contribution_variation", Topic::Terms),
    ("pools.capital_items", Topic::Terms),
    ("schemes.allocation", Topic::Money),
    ("schemes.payments", Topic::Money),
    ("schemes.non_financial_contributions", Topic::Money),
    ("schemes.host", Topic::Hosts),
    ("schemes.functions", Topic::Functions),
    ("schemes.arrangements", Topic::Functions),
    ("schemes.client_groups", Topic::Functions),
    ("schemes.services", Topic::Functions),
    ("schemes.pool", Topic::Functions),
    ("schemes.payment_variation", Topic::Terms),
    ("schemes.outcomes", Topic::Outcomes),
    ("schemes.aims", Topic::Outcomes),
    ("staff", Topic::Terms),
    ("exit_strategy", Topic::Terms),
    ("terms", Topic::Terms),
    ("finance", Topic::Terms),
    ("variation", Topic::Terms),
    ("status", Topic::Record),
    ("signatures", Topic::Record),
    ("variations", Topic::Record),
];

/// A change's classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class {
    /// What it is about.
    pub topic: Topic,
    /// Whether it needs every partner's signature.
    pub material: bool,
}

/// What a change at `field_path` is about. A whole pool or scheme added or removed (the path
/// is just `pools` or `schemes`) changes the scope of the agreement.
pub(crate) fn topic(field_path: &str) -> Topic {
    if field_path == "pools" || field_path == "schemes" {
        return Topic::Scope;
    }
    TABLE
        .iter()
        .find(|(prefix, _)| {
            field_path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .map_or(Topic::Other, |&(_, t)| t)
}

/// Classifies a change. `texts` are the old and new text when the change rewrites free text:
/// a rewrite that changes only letter case and punctuation is editorial whatever the field.
pub(crate) fn classify(field_path: &str, texts: Option<(&str, &str)>) -> Class {
    let topic = topic(field_path);
    let wording_only = texts.is_some_and(|(o, n)| words::same_meaningful_words(o, n));
    Class {
        topic,
        material: topic.material() && !wording_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_entries_win_and_prefixes_stop_at_dots() {
        assert_eq!(topic("exit_strategy.notice_months"), Topic::Duration);
        assert_eq!(topic("exit_strategy.assets"), Topic::Terms);
        assert_eq!(topic("pools.contributions.amount"), Topic::Money);
        assert_eq!(topic("endx"), Topic::Other);
        assert_eq!(topic("schemes"), Topic::Scope);
        assert_eq!(topic("pools.pool_manager.name"), Topic::Other);
    }

    #[test]
    fn punctuation_in_terms_is_editorial() {
        let c = classify(
            "terms.disputes",
            Some(("Escalation, then mediation", "escalation then mediation.")),
        );
        assert!(!c.material);
        let c = classify("terms.disputes", Some(("Escalation", "Arbitration")));
        assert!(c.material);
    }
}

//! The one table of the built-in rules: the `FMT-` checks the loader makes while reading an
//! agreement and the `WAIVER-` checks on the agreement's waivers. They are written in Rust,
//! not in `rules/*.rules`, so their text (title, why, help, citations, examples) lives here,
//! as ruff's `codes.rs` is the one table of its rules. The code that raises them takes the id
//! and severity from the constants below; `explain`, `rules`, the docs page, SARIF's rule
//! descriptors and the waiver and configuration checks read [`ALL`].
//!
//! A leaf module (it imports only [`Severity`]) so that any layer may read it.

use crate::severity::Severity;

/// One built-in rule.
#[derive(Debug)]
pub struct BuiltinRule {
    /// Rule id, e.g. `FMT-TYPE`.
    pub id: &'static str,
    /// Default severity (a configuration may override it).
    pub severity: Severity,
    /// One line: what the rule requires.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix a finding, in general; a finding may carry more specific help.
    pub help: &'static str,
    /// Sources cited.
    pub citations: &'static [&'static str],
    /// Examples: at least one that triggers the rule and one that does not.
    pub examples: &'static [Example],
}

/// An example of a built-in rule, read like the examples of the rule files: a fragment whose
/// top-level keys replace those of the Better Care Fund agreement in `fixtures/valid` (or a
/// whole agreement when it has `s75lint:`), with `# expect: ID` on each line a finding
/// points at.
#[derive(Debug)]
pub struct Example {
    /// What it shows.
    pub name: &'static str,
    /// True for an example the rule accepts.
    pub passes: bool,
    /// True when the YAML is the whole file, even without `s75lint:` (the example is then
    /// not merged over the base agreement).
    pub whole: bool,
    /// The YAML.
    pub yaml: &'static str,
}

impl BuiltinRule {
    /// True when a waiver may name this rule: waiver findings cannot be waived, since a
    /// waiver could then silence the finding about itself.
    pub(crate) fn waivable(&self) -> bool {
        !self.id.starts_with(WAIVER_PREFIX)
    }
}

/// The start of the ids of the findings about waivers, which no waiver may name.
pub(crate) const WAIVER_PREFIX: &str = "WAIVER-";

/// The citation of every rule of the format.
const FORMAT: &str = "s75lint agreement format, version 1";

const fn fails(name: &'static str, yaml: &'static str) -> Example {
    Example {
        name,
        passes: false,
        whole: false,
        yaml,
    }
}

const fn passes(name: &'static str, yaml: &'static str) -> Example {
    Example {
        name,
        passes: true,
        whole: false,
        yaml,
    }
}

/// `FMT-YAML`: the file cannot be read as YAML, or uses merge keys.
pub(crate) const FMT_YAML: BuiltinRule = BuiltinRule {
    id: "FMT-YAML",
    severity: Severity::Error,
    title: "The file is valid YAML, one document, without merge keys",
    why: "s75lint reads the agreement as YAML. A file that is not valid YAML cannot be read at\n\
          all, so none of the other rules are checked, and a gate that let it through would\n\
          pass an agreement nobody checked. Merge keys (`<<`) are refused because in a legal\n\
          document every value should be written out where it applies.",
    help: "Fix the YAML syntax at the marked place (an unclosed bracket or quote, a missing\n\
           space after a colon, uneven indentation); write merged keys out in full.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "a value with a second colon",
            "title: Exampleshire BCF: pooled fund   # expect: FMT-YAML",
        ),
        passes(
            "the value quoted",
            "title: \"Exampleshire BCF: pooled fund\"",
        ),
    ],
};

/// `FMT-NOT-AGREEMENT`: a file named for checking looks like an agreement but is not marked
/// as one.
pub(crate) const FMT_NOT_AGREEMENT: BuiltinRule = BuiltinRule {
    id: "FMT-NOT-AGREEMENT",
    severity: Severity::Error,
    title: "An agreement-like file named for checking carries `s75lint: 1`",
    why: "s75lint checks only files marked `s75lint: 1`, so that other YAML in a repository is\n\
          left alone. A file named on the command line that has partners or a legal basis but\n\
          no marker (or whose agreement is indented as an item of a list) would otherwise be\n\
          skipped in silence, passing a gate without being checked.",
    help: "Add `s75lint: 1` as the first line, and start the agreement's keys at the beginning\n\
           of their lines (not after `- `).",
    citations: &[FORMAT],
    examples: &[
        Example {
            name: "an agreement without its marker",
            passes: false,
            whole: true,
            yaml: "id: EXS-BCF-2025-26   # expect: FMT-NOT-AGREEMENT\n\
                   legal_basis: section_75\n\
                   partners:\n  \
                     - {id: exc, name: Exampleshire County Council, kind: local_authority}\n  \
                     - {id: icb, name: NHS Exampleshire and Borders Integrated Care Board, kind: icb}",
        },
        Example {
            name: "the marker on the first line",
            passes: true,
            whole: true,
            yaml: "s75lint: 1\n\
                   id: EXS-BCF-2025-26\n\
                   legal_basis: section_75\n\
                   partners:\n  \
                     - {id: exc, name: Exampleshire County Council, kind: local_authority}\n  \
                     - {id: icb, name: NHS Exampleshire and Borders Integrated Care Board, kind: icb}",
        },
    ],
};

/// `FMT-VERSION`: the agreement is written for a format version this s75lint cannot read.
pub(crate) const FMT_VERSION: BuiltinRule = BuiltinRule {
    id: "FMT-VERSION",
    severity: Severity::Error,
    title: "The agreement format version is supported",
    why: "The format version says how every key and value is read. A file written for another\n\
          version may mean something this s75lint would misread, so it is refused rather than\n\
          guessed at.",
    help: "Write `s75lint: 1`.",
    citations: &[FORMAT],
    examples: &[
        fails("version 2", "s75lint: 2   # expect: FMT-VERSION"),
        passes("version 1", "s75lint: 1"),
    ],
};

/// `FMT-DUPLICATE-KEY`: a key appears twice in one mapping.
pub(crate) const FMT_DUPLICATE_KEY: BuiltinRule = BuiltinRule {
    id: "FMT-DUPLICATE-KEY",
    severity: Severity::Error,
    title: "No key appears twice in one mapping",
    why: "YAML readers disagree about a repeated key: some keep the first value, some the last,\n\
          some refuse the file. An agreement must say one thing, so s75lint uses neither value\n\
          and points at both.",
    help: "Keep one of the two entries: the agreement must say one thing.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "the end date given twice",
            "end: 2026-03-31\nend: 2027-03-31   # expect: FMT-DUPLICATE-KEY",
        ),
        passes("one end date", "end: 2026-03-31"),
    ],
};

/// `FMT-TYPE`: a value does not have the type or form its key requires.
pub(crate) const FMT_TYPE: BuiltinRule = BuiltinRule {
    id: "FMT-TYPE",
    severity: Severity::Error,
    title: "Every value has the type and form the format requires",
    why: "The rules compare dates, add up sums of money and follow references. A value in the\n\
          wrong form (`April 2025`, `sixty million`, a placeholder such as `TBC`) cannot be\n\
          compared or added, so it is reported here, and the rules treat it as unreadable\n\
          rather than as present or as missing.",
    help: "Write the value in the form the finding names: a date as `2025-04-01`, an amount as\n\
           `£41,920,000`, one of the listed words for a choice. Replace a placeholder with the\n\
           real value.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "the commencement date in prose",
            "commencement: April 2025   # expect: FMT-TYPE",
        ),
        passes("an ISO date", "commencement: 2025-04-01"),
    ],
};

/// `FMT-UNKNOWN-REF`: a reference names a partner, pool or scheme that is not declared.
pub(crate) const FMT_UNKNOWN_REF: BuiltinRule = BuiltinRule {
    id: "FMT-UNKNOWN-REF",
    severity: Severity::Error,
    title: "References name declared partners, pools and schemes",
    why: "Partners, pools and schemes are named by id across the agreement. A reference to an\n\
          id that is not declared (often a typing slip) points at nothing, so whatever it says\n\
          (who signed, who hosts, who pays) falls on nobody.",
    help: "Use an id declared under `partners`, `pools` or `schemes`, or declare the missing one.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "a signature by an undeclared partner",
            "signatures:\n\
             \x20 - partner: exc\n\
             \x20   name: Helen Ashworth\n\
             \x20   role: Executive Director of Adult Social Care and Health\n\
             \x20   date: 2025-03-25\n\
             \x20 - partner: icbb   # expect: FMT-UNKNOWN-REF\n\
             \x20   name: Dr Marcus Obi\n\
             \x20   role: Chief Executive\n\
             \x20   date: 2025-03-27",
        ),
        passes(
            "both signatures by declared partners",
            "signatures:\n\
             \x20 - partner: exc\n\
             \x20   name: Helen Ashworth\n\
             \x20   role: Executive Director of Adult Social Care and Health\n\
             \x20   date: 2025-03-25\n\
             \x20 - partner: icb\n\
             \x20   name: Dr Marcus Obi\n\
             \x20   role: Chief Executive\n\
             \x20   date: 2025-03-27",
        ),
    ],
};

/// `FMT-DUPLICATE-ID`: two partners, pools or schemes share an id.
pub(crate) const FMT_DUPLICATE_ID: BuiltinRule = BuiltinRule {
    id: "FMT-DUPLICATE-ID",
    severity: Severity::Error,
    title: "Partners, pools and schemes have distinct ids",
    why: "References name a partner, pool or scheme by its id. Two with the same id make every\n\
          reference to it ambiguous; s75lint reads the first, which may not be the one meant.",
    help: "Give each partner, pool and scheme its own id.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "two partners with the id exc",
            "partners:\n\
             \x20 - id: exc\n\
             \x20   name: Exampleshire County Council\n\
             \x20   kind: local_authority\n\
             \x20 - id: exc   # expect: FMT-DUPLICATE-ID\n\
             \x20   name: NHS Exampleshire and Borders Integrated Care Board\n\
             \x20   kind: icb",
        ),
        passes(
            "each partner its own id",
            "partners:\n\
             \x20 - id: exc\n\
             \x20   name: Exampleshire County Council\n\
             \x20   kind: local_authority\n\
             \x20 - id: icb\n\
             \x20   name: NHS Exampleshire and Borders Integrated Care Board\n\
             \x20   kind: icb",
        ),
    ],
};

/// `FMT-UNKNOWN-KEY`: a key the format does not know.
pub(crate) const FMT_UNKNOWN_KEY: BuiltinRule = BuiltinRule {
    id: "FMT-UNKNOWN-KEY",
    severity: Severity::Warning,
    title: "Every key is one the format knows, or starts with `x-`",
    why:
        "A misspelt key (`exit_stratgy`) is read as absent: the requirement it was meant to meet\n\
          is reported missing and what is written under it is never checked. Keys for local use\n\
          start with `x-` and are left alone.",
    help: "Rename the key to the one the format uses (the finding suggests the nearest), or\n\
           prefix it with `x-` if it is for local use.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "a local reference number under a key of its own",
            "contract_ref: EXS/2025/14   # expect: FMT-UNKNOWN-KEY",
        ),
        passes(
            "the local key marked as such",
            "x-contract-ref: EXS/2025/14",
        ),
    ],
};

/// `WAIVER-INVALID`: a waiver without its rule, reason or approver, or naming no rule that
/// can be waived.
pub(crate) const WAIVER_INVALID: BuiltinRule = BuiltinRule {
    id: "WAIVER-INVALID",
    severity: Severity::Error,
    title: "A waiver names an existing rule, a reason, an approver and an expiry date",
    why: "A waiver accepts a departure from a rule. Without the rule it waives, the reason and\n\
          who approved it, nobody can review or defend the departure later, so such a waiver\n\
          waives nothing and the findings it was meant for still count.",
    help: "Give every waiver the `rule` it waives, the `reason`, who `approved_by` and the date it `expires`; it then waives that rule's findings until then. No other keys are allowed.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "a waiver that nobody approved",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY   # expect: WAIVER-INVALID\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref",
        ),
        fails(
            "a waiver whose `expires` is misspelt, so it would never lapse",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expiry: 2026-03-31   # expect: WAIVER-INVALID",
        ),
        passes(
            "a waiver with its reason and approver",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expires: 2026-03-31",
        ),
    ],
};

/// `WAIVER-EXPIRED`: a waiver past its expiry date.
pub(crate) const WAIVER_EXPIRED: BuiltinRule = BuiltinRule {
    id: "WAIVER-EXPIRED",
    severity: Severity::Error,
    title: "A waiver has not passed its expiry date",
    why: "A waiver with an expiry date was approved for a time only. Once it has passed, the\n\
          departure needs fixing or approving again, so the waiver stops applying and its\n\
          findings count again.",
    help: "Fix what the waiver covered, or have the waiver re-approved with a new `expires` date.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "a waiver that expired in September 2025",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expires: 2025-09-30   # expect: WAIVER-EXPIRED",
        ),
        passes(
            "a waiver that runs to the end of the agreement",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expires: 2026-03-31",
        ),
    ],
};

/// `WAIVER-UNUSED`: a waiver that matches no finding.
pub(crate) const WAIVER_UNUSED: BuiltinRule = BuiltinRule {
    id: "WAIVER-UNUSED",
    severity: Severity::Warning,
    title: "A waiver matches a finding (otherwise it is stale)",
    why: "A waiver that matches no finding is left over from something since fixed. Left in\n\
          place it would silently accept the same departure if it came back, without anyone\n\
          approving it again.",
    help: "Remove the waiver: what it accepted has been fixed.",
    citations: &[FORMAT],
    examples: &[
        fails(
            "the key was renamed but the waiver kept",
            "x-contract-ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY   # expect: WAIVER-UNUSED\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expires: 2026-03-31",
        ),
        passes(
            "the waiver accepts a finding",
            "contract_ref: EXS/2025/14\n\
             waivers:\n\
             \x20 - rule: FMT-UNKNOWN-KEY\n\
             \x20   reason: The contract register reads this key until it moves to x-contract-ref\n\
             \x20   approved_by: Head of Legal Services\n\
             \x20   expires: 2026-03-31",
        ),
    ],
};

/// Every built-in rule, in the order they are listed: format checks, then waiver checks.
pub const ALL: &[&BuiltinRule] = &[
    &FMT_YAML,
    &FMT_NOT_AGREEMENT,
    &FMT_VERSION,
    &FMT_DUPLICATE_KEY,
    &FMT_TYPE,
    &FMT_UNKNOWN_REF,
    &FMT_DUPLICATE_ID,
    &FMT_UNKNOWN_KEY,
    &WAIVER_INVALID,
    &WAIVER_EXPIRED,
    &WAIVER_UNUSED,
];

/// The ids of every built-in rule. (Any lifetime, so they chain with ids borrowed from a
/// rule set.)
pub(crate) fn ids<'a>() -> impl Iterator<Item = &'a str> {
    ALL.iter().map(|r| r.id)
}

/// The ids of the built-in rules a waiver may name.
pub(crate) fn waivable_ids<'a>() -> impl Iterator<Item = &'a str> {
    ALL.iter().filter(|r| r.waivable()).map(|r| r.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_every_rule_has_both_kinds_of_example() {
        for (i, r) in ALL.iter().enumerate() {
            assert!(
                ALL[..i].iter().all(|o| o.id != r.id),
                "{} listed twice",
                r.id
            );
            assert!(r.examples.iter().any(|e| e.passes), "{}", r.id);
            assert!(r.examples.iter().any(|e| !e.passes), "{}", r.id);
            assert!(r.id.starts_with("FMT-") || r.id.starts_with(WAIVER_PREFIX));
        }
        assert_eq!(FMT_TYPE.severity, Severity::Error);
    }

    #[test]
    fn waiver_rules_cannot_be_waived() {
        let waivable: Vec<&str> = waivable_ids().collect();
        assert!(waivable.contains(&"FMT-UNKNOWN-KEY"));
        assert!(!waivable.iter().any(|id| id.starts_with("WAIVER-")));
        assert_eq!(ids().count(), waivable.len() + 3);
    }
}

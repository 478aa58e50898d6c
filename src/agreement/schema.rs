//! The field table: every key of agreement format version 1, written once. It drives the
//! loader's type checks and unknown-key warnings, the rule validator's path checks, and what
//! rules read for a field left out (its `default`).

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// An `id` under `partners`.
    Partner,
    /// An `id` under `pools`.
    Pool,
    /// An `id` under `schemes`.
    Scheme,
}

impl RefKind {
    /// The top-level list that declares ids of this kind.
    pub fn list(self) -> &'static str {
        match self {
            RefKind::Partner => "partners",
            RefKind::Pool => "pools",
            RefKind::Scheme => "schemes",
        }
    }
    /// The word used in messages.
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Partner => "partner",
            RefKind::Pool => "pool",
            RefKind::Scheme => "scheme",
        }
    }
}

/// The type of a field's value.
#[derive(Debug, PartialEq)]
pub enum Ty {
    /// Free text; placeholder text counts as missing.
    Text,
    /// One word from a fixed set.
    Word(&'static [&'static str]),
    /// `true` / `false`.
    Bool,
    /// A plain number.
    Number,
    /// An ISO date.
    Date,
    /// An amount of money.
    Money,
    /// A percent, 0-100.
    Percent,
    /// A financial year `2025-26`.
    Year,
    /// The format version (`1`).
    Version,
    /// A rule id (waivers).
    RuleId,
    /// A reference to a declared partner, pool or scheme.
    Ref(RefKind),
    /// A list of values.
    List(&'static Ty),
    /// A mapping with known keys.
    Record(&'static [Field]),
    /// A mapping keyed by financial year.
    YearMap(&'static Ty),
    /// A mapping keyed by partner id.
    PartnerMap(&'static Ty),
    /// Either the word `none` or a list.
    NoneOr(&'static Ty),
    /// Either a single value or a mapping keyed by financial year (a grant's `amount`).
    OneOrYearMap(&'static Ty),
}

/// One key of a mapping.
#[derive(Debug, PartialEq)]
pub struct Field {
    /// The key as written in YAML.
    pub name: &'static str,
    /// Its value's type.
    pub ty: Ty,
    /// What a rule reads when the field is absent, if not absence itself.
    pub default: Option<&'static str>,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        default: None,
    }
}

impl Field {
    /// The same field, read by rules as `value` when it is absent.
    const fn or(self, value: &'static str) -> Field {
        Field {
            default: Some(value),
            ..self
        }
    }
}

/// Partner kinds.
pub const PARTNER_KINDS: &[&str] = &[
    "local_authority",
    "icb",
    "nhs_trust",
    "nhs_foundation_trust",
    "nhs_england",
    "care_trust",
    "ccg",
    "pct",
];
/// Agreement statuses.
pub const STATUSES: &[&str] = &["draft", "for_signature", "signed", "varied", "terminated"];
/// Legal bases.
pub const LEGAL_BASES: &[&str] = &[
    "section_75",
    "section_256",
    "section_76",
    "care_trust",
    "non_statutory",
];
/// Scheme arrangement types.
pub const ARRANGEMENTS: &[&str] = &[
    "pooled_fund",
    "lead_commissioning",
    "integrated_provision",
    "aligned_budget",
];
const REPORTING_FREQ: &[&str] = &["quarterly", "monthly", "biannual", "annual"];
const REVIEW_FREQ: &[&str] = &["quarterly", "biannual", "annual"];
const STAFF_ARRANGEMENTS: &[&str] = &["section_113", "secondment", "tupe"];

const PARTNER: &[Field] = &[
    f("id", Ty::Text),
    f("name", Ty::Text),
    f("kind", Ty::Word(PARTNER_KINDS)),
];
const SIGNATURE: &[Field] = &[
    f("partner", Ty::Ref(RefKind::Partner)),
    f("name", Ty::Text),
    f("role", Ty::Text),
    f("date", Ty::Date),
];
// A variation is signed like the original agreement: its signatures are read by the same rows.
const VARIATION: &[Field] = &[
    f("date", Ty::Date),
    f("description", Ty::Text),
    f("signatures", Ty::List(&Ty::Record(SIGNATURE))),
];
const CONSULTATION: &[Field] = &[
    f("joint", Ty::Bool),
    f("date", Ty::Date),
    f("with", Ty::List(&Ty::Text)),
];
const REPORTING: &[Field] = &[
    f("frequency", Ty::Word(REPORTING_FREQ)),
    f("annual_statement", Ty::Bool),
];
const GOVERNANCE: &[Field] = &[
    f("board", Ty::Text),
    f("reporting", Ty::Record(REPORTING)),
    f("audit", Ty::Text),
];
const REVIEW: &[Field] = &[f("frequency", Ty::Word(REVIEW_FREQ)), f("next", Ty::Date)];
const POOL_MANAGER: &[Field] = &[
    f("name", Ty::Text),
    f("role", Ty::Text),
    f("partner", Ty::Ref(RefKind::Partner)),
];
const CONTRIBUTION: &[Field] = &[
    f("partner", Ty::Ref(RefKind::Partner)),
    f("year", Ty::Year),
    f("amount", Ty::Money),
];
const RISK_SHARE: &[Field] = &[
    f("overspend", Ty::PartnerMap(&Ty::Percent)),
    f("underspend", Ty::PartnerMap(&Ty::Percent)),
];
const POOL: &[Field] = &[
    f("id", Ty::Text),
    f("name", Ty::Text),
    f("host", Ty::Ref(RefKind::Partner)),
    f("pool_manager", Ty::Record(POOL_MANAGER)),
    f("contributions", Ty::List(&Ty::Record(CONTRIBUTION))),
    f("contribution_variation", Ty::Text),
    f("pooled_total", Ty::YearMap(&Ty::Money)),
    f("risk_share", Ty::Record(RISK_SHARE)),
    f("capital_items", Ty::Text),
];
const FUNCTIONS: &[Field] = &[
    f("nhs", Ty::List(&Ty::Text)),
    f("local_authority", Ty::List(&Ty::Text)),
];
const BASELINE: &[Field] = &[
    f("value", Ty::Number),
    f("unit", Ty::Text),
    f("year", Ty::Year),
];
const TARGET: &[Field] = &[f("value", Ty::Number), f("unit", Ty::Text)];
const OUTCOME: &[Field] = &[
    f("measure", Ty::Text),
    f("baseline", Ty::Record(BASELINE)),
    f("target", Ty::Record(TARGET)),
    f("by", Ty::Date),
    f("lead", Ty::Ref(RefKind::Partner)),
    f("source", Ty::Text),
];
const NON_FINANCIAL: &[Field] = &[f("partner", Ty::Ref(RefKind::Partner)), f("item", Ty::Text)];
const SCHEME: &[Field] = &[
    f("id", Ty::Text),
    f("name", Ty::Text),
    f("arrangements", Ty::List(&Ty::Word(ARRANGEMENTS))),
    f("pool", Ty::Ref(RefKind::Pool)),
    f("allocation", Ty::YearMap(&Ty::Money)),
    f("host", Ty::Ref(RefKind::Partner)),
    f("functions", Ty::Record(FUNCTIONS)),
    f("client_groups", Ty::List(&Ty::Text)),
    f("services", Ty::List(&Ty::Text)),
    f("aims", Ty::List(&Ty::Text)),
    f("outcomes", Ty::List(&Ty::Record(OUTCOME))),
    f("payments", Ty::List(&Ty::Record(CONTRIBUTION))),
    f("payment_variation", Ty::Text),
    f(
        "non_financial_contributions",
        Ty::NoneOr(&Ty::List(&Ty::Record(NON_FINANCIAL))),
    ),
];
const FINANCE: &[Field] = &[f("vat", Ty::Text), f("year_end", Ty::Text)];
const EXIT: &[Field] = &[
    f("notice_months", Ty::Number),
    f("assets", Ty::Text),
    f("liabilities", Ty::Text),
    f("service_users", Ty::Text),
    f("staff", Ty::Text),
];
const TERMS: &[Field] = &[
    f("insurance_and_indemnity", Ty::Text),
    f("complaints", Ty::Text),
    f("disputes", Ty::Text),
    f("information_sharing", Ty::Text),
];
const STAFF: &[Field] = &[
    f("arrangement", Ty::Word(STAFF_ARRANGEMENTS)),
    f("description", Ty::Text),
    f("delegated_functions", Ty::NoneOr(&Ty::List(&Ty::Text))),
];
const BCF: &[Field] = &[f("year", Ty::Year), f("hwb_approval", Ty::Date)];
const GRANT: &[Field] = &[
    f("payer", Ty::Ref(RefKind::Partner)),
    f("recipient", Ty::Ref(RefKind::Partner)),
    f("purpose", Ty::Text),
    f("amount", Ty::OneOrYearMap(&Ty::Money)),
];
const WAIVER: &[Field] = &[
    f("rule", Ty::RuleId),
    f("scheme", Ty::Ref(RefKind::Scheme)),
    f("pool", Ty::Ref(RefKind::Pool)),
    f("reason", Ty::Text),
    f("approved_by", Ty::Text),
    f("expires", Ty::Date),
];

/// The top level of an agreement.
pub const AGREEMENT: &[Field] = &[
    f("s75lint", Ty::Version),
    f("id", Ty::Text),
    f("title", Ty::Text),
    f("status", Ty::Word(STATUSES)),
    // An agreement that does not state its legal basis is read as a section 75 agreement.
    f("legal_basis", Ty::Word(LEGAL_BASES)).or("section_75"),
    f("commencement", Ty::Date),
    f("end", Ty::Date),
    f("rolling", Ty::Bool),
    f("renewal", Ty::Text),
    f("improvement", Ty::Text),
    f("variation", Ty::Text),
    f("partners", Ty::List(&Ty::Record(PARTNER))),
    f("signatures", Ty::List(&Ty::Record(SIGNATURE))),
    f("variations", Ty::List(&Ty::Record(VARIATION))),
    f("consultation", Ty::Record(CONSULTATION)),
    f("governance", Ty::Record(GOVERNANCE)),
    f("review", Ty::Record(REVIEW)),
    f("pools", Ty::List(&Ty::Record(POOL))),
    f("schemes", Ty::List(&Ty::Record(SCHEME))),
    f("finance", Ty::Record(FINANCE)),
    f("exit_strategy", Ty::Record(EXIT)),
    f("terms", Ty::Record(TERMS)),
    f("staff", Ty::List(&Ty::Record(STAFF))),
    f("personal_budgets", Ty::Text),
    f("charging", Ty::Text),
    f("bcf", Ty::Record(BCF)),
    f("grant", Ty::Record(GRANT)),
    f("waivers", Ty::List(&Ty::Record(WAIVER))),
];

/// The root type of an agreement.
pub const ROOT: Ty = Ty::Record(AGREEMENT);

/// Finds a field by name in a record.
pub fn field(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    // Looked up for every key of every agreement: the length and first byte rule out nearly
    // every other field before the names are compared.
    let first = name.as_bytes().first();
    fields.iter().find(|f| {
        f.name.len() == name.len() && f.name.as_bytes().first() == first && f.name == name
    })
}

impl Ty {
    /// A short description for messages ("a date like 2025-04-01").
    pub fn describe(&self) -> String {
        match self {
            Ty::Text => "text".into(),
            Ty::Word(ws) => format!("one of {}", ws.join(", ")),
            Ty::Bool => "true or false".into(),
            Ty::Number => "a number".into(),
            Ty::Date => "a date like 2025-04-01".into(),
            Ty::Money => "an amount of money up to £100bn, like \"£1,200,000\" or 1200000".into(),
            Ty::Percent => "a percent from 0 to 100, like 40 or \"40%\"".into(),
            Ty::Year => "a financial year like 2025-26".into(),
            Ty::Version => "the format version, 1".into(),
            Ty::RuleId => "a rule id like S75-HOST".into(),
            Ty::Ref(k) => format!("the id of a {} declared under `{}`", k.noun(), k.list()),
            // No "mapping", "sequence" or "scalar": the words of people who do not write YAML.
            Ty::List(_) => "a list (lines starting with `- `)".into(),
            Ty::Record(_) => "a group of fields (key: value lines)".into(),
            Ty::YearMap(t) => format!(
                "a group of fields, one per financial year (like `2025-26: ...`), each {}",
                t.describe()
            ),
            Ty::PartnerMap(t) => format!(
                "a group of fields, one per partner id (like `exc: ...`), each {}",
                t.describe()
            ),
            Ty::NoneOr(t) => format!("`none`, or {}", t.describe()),
            Ty::OneOrYearMap(t) => {
                format!(
                    "{}, or one per financial year (like `2025-26: ...`)",
                    t.describe()
                )
            }
        }
    }
}

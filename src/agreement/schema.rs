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
    pub(crate) fn list(self) -> &'static str {
        match self {
            RefKind::Partner => "partners",
            RefKind::Pool => "pools",
            RefKind::Scheme => "schemes",
        }
    }
    /// The word used in messages.
    pub(crate) fn noun(self) -> &'static str {
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
    /// What the field means, in plain English (Markdown): the format guide
    /// (`docs/format.md`) and the editor's hover text both show it.
    pub doc: &'static str,
    /// The field as it is written in an agreement, for the editor's hover.
    pub example: &'static str,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        default: None,
        doc: "",
        example: "",
    }
}

impl Field {
    /// The same field with its meaning and an example (every row has them; a test checks).
    const fn doc(self, doc: &'static str, example: &'static str) -> Field {
        Field {
            doc,
            example,
            ..self
        }
    }

    /// The same field, read by rules as `value` when it is absent.
    const fn or(self, value: &'static str) -> Field {
        Field {
            default: Some(value),
            ..self
        }
    }
}

/// Partner kinds.
pub(crate) const PARTNER_KINDS: &[&str] = &[
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
pub(crate) const STATUSES: &[&str] = &["draft", "for_signature", "signed", "varied", "terminated"];
/// Legal bases.
pub(crate) const LEGAL_BASES: &[&str] = &[
    "section_75",
    "section_256",
    "section_76",
    "care_trust",
    "non_statutory",
];
/// Scheme arrangement types.
pub(crate) const ARRANGEMENTS: &[&str] = &[
    "pooled_fund",
    "lead_commissioning",
    "integrated_provision",
    "aligned_budget",
];
const REPORTING_FREQ: &[&str] = &["quarterly", "monthly", "biannual", "annual"];
const REVIEW_FREQ: &[&str] = &["quarterly", "biannual", "annual"];
const STAFF_ARRANGEMENTS: &[&str] = &["section_113", "secondment", "tupe"];

const PARTNER: &[Field] = &[
    f("id", Ty::Text).doc(
        "A short id, used to refer to the partner elsewhere in the file.",
        "id: exc",
    ),
    f("name", Ty::Text).doc(
        "The partner's full legal name.",
        "name: Exampleshire County Council",
    ),
    f("kind", Ty::Word(PARTNER_KINDS)).doc(
        "The kind of body. `ccg` counts as an NHS body only for agreements commencing from 1 April 2013 to 30 June 2022, `pct` only before 1 April 2013.",
        "kind: local_authority",
    ),
];
const SIGNATURE: &[Field] = &[
    f("partner", Ty::Ref(RefKind::Partner)).doc(
        "The partner signing.",
        "partner: exc",
    ),
    f("name", Ty::Text).doc(
        "The person who signed.",
        "name: Jane Smith",
    ),
    f("role", Ty::Text).doc(
        "Their role, showing their authority to sign.",
        "role: Executive Director of Adult Social Care",
    ),
    f("date", Ty::Date).doc(
        "The date they signed. On the original agreement, on or before `commencement`; on a variation, before it takes effect.",
        "date: 2025-03-20",
    ),
];
// A variation is signed like the original agreement: its signatures are read by the same rows.
const VARIATION: &[Field] = &[
    f("date", Ty::Date).doc(
        "The date the variation takes effect: on or after `commencement`.",
        "date: 2026-04-01",
    ),
    f("description", Ty::Text).doc(
        "What the variation changes.",
        "description: 2026-27 contributions and schemes agreed at the annual review",
    ),
    f("signatures", Ty::List(&Ty::Record(SIGNATURE))).doc(
        "One signature per partner on the variation, each with its date.",
        "signatures:\n  - {partner: exc, name: Jane Smith, role: Executive Director of Adult Social Care, date: 2026-03-25}",
    ),
];
const CONSULTATION: &[Field] = &[
    f("joint", Ty::Bool).doc(
        "`true` when the partners consulted together.",
        "joint: true",
    ),
    f("date", Ty::Date).doc(
        "The date the consultation closed: on or before the first signature.",
        "date: 2025-01-15",
    ),
    f("with", Ty::List(&Ty::Text)).doc(
        "Who was consulted.",
        "with: [service users, carers, voluntary sector forum]",
    ),
];
const REPORTING: &[Field] = &[
    f("frequency", Ty::Word(REPORTING_FREQ)).doc(
        "How often: at least quarterly. `biannual` means twice a year.",
        "frequency: quarterly",
    ),
    f("annual_statement", Ty::Bool).doc(
        "True when an audited annual statement of the pooled fund is produced.",
        "annual_statement: true",
    ),
];
const GOVERNANCE: &[Field] = &[
    f("board", Ty::Text).doc(
        "The board that oversees the arrangement.",
        "board: Exampleshire Health and Wellbeing Board",
    ),
    f("reporting", Ty::Record(REPORTING)).doc(
        "How the pool manager (or the partner the task is delegated to) reports to the partners.",
        "reporting:\n  frequency: quarterly\n  annual_statement: true",
    ),
    f("audit", Ty::Text).doc(
        "Who audits the arrangement's accounts.",
        "audit: Host partner's external auditor audits the pooled fund accounts",
    ),
];
const REVIEW: &[Field] = &[
    f("frequency", Ty::Word(REVIEW_FREQ)).doc(
        "How often the agreement is reviewed. `biannual` means twice a year.",
        "frequency: annual",
    ),
    f("next", Ty::Date).doc(
        "The date of the next review: not before today, and no more than a year ahead.",
        "next: 2025-12-31",
    ),
];
const POOL_MANAGER: &[Field] = &[
    f("name", Ty::Text).doc("The pool manager's name.", "name: Sam Patel"),
    f("role", Ty::Text).doc(
        "The pool manager's role.",
        "role: Head of Joint Commissioning",
    ),
    f("partner", Ty::Ref(RefKind::Partner)).doc(
        "The partner that employs the pool manager: the host.",
        "partner: exc",
    ),
];
const CONTRIBUTION: &[Field] = &[
    f("partner", Ty::Ref(RefKind::Partner)).doc(
        "The partner contributing to the pool, or paying the scheme's host.",
        "partner: exc",
    ),
    f("year", Ty::Year).doc(
        "The financial year of the contribution or payment.",
        "year: 2025-26",
    ),
    f("amount", Ty::Money).doc("The amount contributed or paid.", "amount: \"£1,200,000\""),
];
const RISK_SHARE: &[Field] = &[
    f("overspend", Ty::PartnerMap(&Ty::Percent)).doc(
        "Each contributing partner's share of an overspend; the shares add up to 100%.",
        "overspend: {exc: 60, icb: 40}",
    ),
    f("underspend", Ty::PartnerMap(&Ty::Percent)).doc(
        "Each contributing partner's share of an underspend; the shares add up to 100%.",
        "underspend: {exc: 60, icb: 40}",
    ),
];
const POOL: &[Field] = &[
    f("id", Ty::Text).doc(
        "A short id, used by schemes and waivers to refer to the pool.",
        "id: BCF",
    ),
    f("name", Ty::Text).doc(
        "The pool's name.",
        "name: Exampleshire Better Care Fund pooled fund",
    ),
    f("host", Ty::Ref(RefKind::Partner)).doc(
        "The partner responsible for the pool's accounts and audit (its `id` under `partners`).",
        "host: exc",
    ),
    f("pool_manager", Ty::Record(POOL_MANAGER)).doc(
        "The officer of the host who manages the pool (Regulations reg 7(4)).",
        "pool_manager:\n  name: Sam Patel\n  role: Head of Joint Commissioning\n  partner: exc",
    ),
    f("contributions", Ty::List(&Ty::Record(CONTRIBUTION))).doc(
        "What each partner pays into the pool, one row per partner per financial year, for every year the agreement covers.",
        "contributions:\n  - {partner: exc, year: 2025-26, amount: \"£1,200,000\"}",
    ),
    f("contribution_variation", Ty::Text).doc(
        "How the contributions may be changed.",
        "contribution_variation: Contributions are reset at each annual review by agreement of both partners",
    ),
    f("pooled_total", Ty::YearMap(&Ty::Money)).doc(
        "Optional: the pool's total per year, which must equal the sum of that year's contributions.",
        "pooled_total: {2025-26: \"£2,000,000\"}",
    ),
    f("risk_share", Ty::Record(RISK_SHARE)).doc(
        "How any overspend or underspend of the pool is shared, as percents per partner.",
        "risk_share:\n  overspend: {exc: 60, icb: 40}\n  underspend: {exc: 60, icb: 40}",
    ),
    f("capital_items", Ty::Text).doc(
        "Who owns capital items bought from the pool, and what happens to them on exit.",
        "capital_items: Equipment bought from the pool is owned by the host",
    ),
];
const FUNCTIONS: &[Field] = &[
    f("nhs", Ty::List(&Ty::Text)).doc(
        "The NHS functions the scheme covers, with their statutory source.",
        "nhs: [\"NHS Act 2006 s3: community health services (equipment)\"]",
    ),
    f("local_authority", Ty::List(&Ty::Text)).doc(
        "The council's health-related functions the scheme covers, with their statutory source.",
        "local_authority: [\"Care Act 2014 s18: meeting needs for care and support\"]",
    ),
];
const BASELINE: &[Field] = &[
    f("value", Ty::Number).doc("The baseline figure.", "value: 82"),
    f("unit", Ty::Text).doc("The unit of the baseline figure.", "unit: percent"),
    f("year", Ty::Year).doc(
        "The financial year the baseline was measured in.",
        "year: 2024-25",
    ),
];
const TARGET: &[Field] = &[
    f("value", Ty::Number).doc("The target figure.", "value: 95"),
    f("unit", Ty::Text).doc("The unit of the target figure.", "unit: percent"),
];
const OUTCOME: &[Field] = &[
    f("measure", Ty::Text).doc(
        "What is measured.",
        "measure: Equipment items delivered within 7 days of request",
    ),
    f("baseline", Ty::Record(BASELINE)).doc(
        "Where the measure stood before the arrangement.",
        "baseline: {value: 82, unit: percent, year: 2024-25}",
    ),
    f("target", Ty::Record(TARGET)).doc(
        "The figure the scheme aims for.",
        "target: {value: 95, unit: percent}",
    ),
    f("by", Ty::Date).doc(
        "The date by which the target should be met.",
        "by: 2026-03-31",
    ),
    f("lead", Ty::Ref(RefKind::Partner))
        .doc("The partner accountable for the outcome.", "lead: exc"),
    f("source", Ty::Text).doc(
        "Where the figures come from.",
        "source: Equipment service monthly dataset",
    ),
];
const NON_FINANCIAL: &[Field] = &[
    f("partner", Ty::Ref(RefKind::Partner))
        .doc("The partner making the contribution.", "partner: exc"),
    f("item", Ty::Text).doc("What is contributed.", "item: Warehouse and delivery fleet"),
];
const SCHEME: &[Field] = &[
    f("id", Ty::Text).doc(
        "A short id, used by waivers to refer to the scheme.",
        "id: ICES",
    ),
    f("name", Ty::Text).doc(
        "The scheme's name.",
        "name: Integrated Community Equipment Service",
    ),
    f("arrangements", Ty::List(&Ty::Word(ARRANGEMENTS))).doc(
        "How the scheme works. Commissioning (`lead_commissioning`) and provision (`integrated_provision`) are not mixed in one agreement.",
        "arrangements: [pooled_fund, lead_commissioning]",
    ),
    f("pool", Ty::Ref(RefKind::Pool)).doc(
        "The pool the scheme draws on: required when `arrangements` includes `pooled_fund`.",
        "pool: BCF",
    ),
    f("allocation", Ty::YearMap(&Ty::Money)).doc(
        "Optional: what the scheme spends from its pool each year. The allocations from a pool in a year may not exceed that year's contributions.",
        "allocation: {2025-26: \"£2,000,000\"}",
    ),
    f("host", Ty::Ref(RefKind::Partner)).doc(
        "The lead partner, for lead commissioning or integrated provision.",
        "host: exc",
    ),
    f("functions", Ty::Record(FUNCTIONS)).doc(
        "The statutory functions the scheme covers; a pooled fund covers at least one NHS and one council function across its schemes. Surgery, radiotherapy, termination of pregnancy, endoscopy, Class 4 laser and other invasive treatment, and emergency ambulance services cannot be included (Regulations reg 5).",
        "functions:\n  nhs: [\"NHS Act 2006 s3: community health services\"]\n  local_authority: [\"Care Act 2014 s18: meeting needs for care and support\"]",
    ),
    f("client_groups", Ty::List(&Ty::Text)).doc(
        "The groups of people the scheme serves.",
        "client_groups: [older_people, physical_disability]",
    ),
    f("services", Ty::List(&Ty::Text)).doc(
        "The services the scheme provides or commissions.",
        "services: [Community equipment loans, Minor adaptations]",
    ),
    f("aims", Ty::List(&Ty::Text)).doc(
        "What the scheme sets out to achieve.",
        "aims:\n  - People leave hospital without waiting for equipment",
    ),
    f("outcomes", Ty::List(&Ty::Record(OUTCOME))).doc(
        "How success is measured: a measure, baseline, target, date, lead and data source.",
        "outcomes:\n  - measure: Equipment items delivered within 7 days of request\n    target: {value: 95, unit: percent}",
    ),
    f("payments", Ty::List(&Ty::Record(CONTRIBUTION))).doc(
        "For lead commissioning or integrated provision outside a pool: what each partner pays the host, per financial year, for every year covered.",
        "payments:\n  - {partner: icb, year: 2025-26, amount: \"£450,000\"}",
    ),
    f("payment_variation", Ty::Text).doc(
        "How the payments may be changed.",
        "payment_variation: Payments are reset at each annual review",
    ),
    f(
        "non_financial_contributions",
        Ty::NoneOr(&Ty::List(&Ty::Record(NON_FINANCIAL))),
    ).doc(
        "The staff, goods, services or accommodation each partner provides, or `none`.",
        "non_financial_contributions:\n  - {partner: exc, item: Warehouse and delivery fleet}",
    ),
];
const FINANCE: &[Field] = &[f("vat", Ty::Text).doc(
        "The VAT treatment (for a pool, the host's regime applies).",
        "vat: The host partner's VAT regime applies to pooled fund expenditure",
    ), f("year_end", Ty::Text).doc(
        "What happens to underspends and overspends at the year end; for aligned budgets, how the risk is shared.",
        "year_end: Surpluses carried forward; deficits shared per risk_share",
    )];
const EXIT: &[Field] = &[
    f("notice_months", Ty::Number).doc(
        "Months of notice a partner must give to leave.",
        "notice_months: 6",
    ),
    f("assets", Ty::Text).doc(
        "How assets are shared on exit.",
        "assets: Distributed pro rata to contributions over the life of the pool",
    ),
    f("liabilities", Ty::Text).doc(
        "How liabilities are shared on exit.",
        "liabilities: Shared pro rata to contributions",
    ),
    f("service_users", Ty::Text).doc(
        "What happens to the people receiving services.",
        "service_users: Care packages continue unchanged until reassessed",
    ),
    f("staff", Ty::Text).doc(
        "What happens to the staff.",
        "staff: Seconded staff return to their employing partner",
    ),
];
const TERMS: &[Field] = &[
    f("insurance_and_indemnity", Ty::Text).doc(
        "Liability, insurance and indemnity between the partners.",
        "insurance_and_indemnity: Each partner indemnifies the other for its own negligence",
    ),
    f("complaints", Ty::Text).doc(
        "How complaints are handled.",
        "complaints: Each partner's complaints procedure; joint response within 20 working days",
    ),
    f("disputes", Ty::Text).doc(
        "How disputes between the partners are resolved.",
        "disputes: Escalation to chief executives, then mediation",
    ),
    f("information_sharing", Ty::Text).doc(
        "Data collection, information sharing and record keeping.",
        "information_sharing: Joint information sharing protocol, schedule 4",
    ),
];
const STAFF: &[Field] = &[
    f("arrangement", Ty::Word(STAFF_ARRANGEMENTS)).doc(
        "The legal route for the staff arrangement: section_113 (Local Government Act 1972), secondment or tupe.",
        "arrangement: section_113",
    ),
    f("description", Ty::Text).doc(
        "Who is placed, with whom, to do what.",
        "description: Joint Head of Commissioning employed by the council, working for both partners",
    ),
    f("delegated_functions", Ty::NoneOr(&Ty::List(&Ty::Text))).doc(
        "Functions formally delegated to the staff; or `none`.",
        "delegated_functions: none",
    ),
];
const BCF: &[Field] = &[
    f("year", Ty::Year).doc(
        "The financial year of the Better Care Fund plan.",
        "year: 2025-26",
    ),
    f("hwb_approval", Ty::Date).doc(
        "The date the Health and Wellbeing Board approved the plan.",
        "hwb_approval: 2025-03-10",
    ),
];
const GRANT: &[Field] = &[
    f("payer", Ty::Ref(RefKind::Partner)).doc("The partner paying the grant.", "payer: icb"),
    f("recipient", Ty::Ref(RefKind::Partner))
        .doc("The partner receiving the grant.", "recipient: exc"),
    f("purpose", Ty::Text).doc(
        "What the grant is for.",
        "purpose: Social care services that benefit health (s256(1)(a))",
    ),
    f("amount", Ty::OneOrYearMap(&Ty::Money)).doc(
        "The amount of the grant, or an amount per financial year.",
        "amount: \"£450,000\"",
    ),
];
const WAIVER: &[Field] = &[
    f("rule", Ty::RuleId).doc("The id of the rule waived.", "rule: AC-OUTCOME-ACCOUNTABLE"),
    f("scheme", Ty::Ref(RefKind::Scheme)).doc(
        "Limits the waiver to one scheme (its `id` under `schemes`).",
        "scheme: ICES",
    ),
    f("pool", Ty::Ref(RefKind::Pool)).doc(
        "Limits the waiver to one pool (its `id` under `pools`).",
        "pool: BCF",
    ),
    f("reason", Ty::Text).doc(
        "Why the departure is accepted.",
        "reason: Baseline will be set from the first quarter's data",
    ),
    f("approved_by", Ty::Text).doc(
        "Who approved the waiver.",
        "approved_by: Head of Legal Services, Exampleshire County Council",
    ),
    f("expires", Ty::Date).doc(
        "The date the waiver stops applying; its findings count again after it.",
        "expires: 2025-09-30",
    ),
];

/// The top level of an agreement.
pub(crate) const AGREEMENT: &[Field] = &[
    f("s75lint", Ty::Version).doc(
        "The agreement format version. A YAML file is read as an agreement only when it has this key.",
        "s75lint: 1",
    ),
    f("id", Ty::Text).doc(
        "The agreement's own reference, unique among your agreements.",
        "id: EXS-BCF-2025",
    ),
    f("title", Ty::Text).doc(
        "The title of the agreement as it appears on the signed document.",
        "title: Better Care Fund Section 75 Agreement 2025-26",
    ),
    f("status", Ty::Word(STATUSES)).doc(
        "Where the agreement is in its life. `signed` and `varied` mean it is in force; while `draft`, placeholder text is a warning rather than an error.",
        "status: draft",
    ),
    // An agreement that does not state its legal basis is read as a section 75 agreement.
    f("legal_basis", Ty::Word(LEGAL_BASES)).or("section_75").doc(
        "The power the agreement is made under. When absent, the agreement is read as a section 75 agreement. Sections 256 and 76 are one-way grants (see `grant`); `non_statutory` is an aligned budget, where each partner keeps its own money.",
        "legal_basis: section_75",
    ),
    f("commencement", Ty::Date).doc(
        "The date the arrangement starts.",
        "commencement: 2025-04-01",
    ),
    f("end", Ty::Date).doc(
        "The date the arrangement ends. Leave it out and write `rolling: true` for an agreement without an end date.",
        "end: 2026-03-31",
    ),
    f("rolling", Ty::Bool).doc(
        "True when the agreement runs until ended by notice, without an end date; a review is then required.",
        "rolling: true",
    ),
    f("renewal", Ty::Text).doc(
        "How and when the partners decide on renewal; recorded renewal stops the `AC-EXPIRING` reminder.",
        "renewal: Partners decide on renewal at the annual review before 31 December",
    ),
    f("improvement", Ty::Text).doc(
        "Why the arrangement is likely to improve the way the partners' functions are exercised (the statutory test for entering it).",
        "improvement: Joint purchasing removes duplicate assessments and speeds up discharge",
    ),
    f("variation", Ty::Text).doc(
        "How the agreement is varied: in writing, agreed by whom.",
        "variation: Any variation is in writing, agreed by all partners and approved by the board",
    ),
    f("partners", Ty::List(&Ty::Record(PARTNER))).doc(
        "Every party to the agreement. A section 75 agreement needs at least one NHS body and one local authority.",
        "partners:\n  - {id: exc, name: Exampleshire County Council, kind: local_authority}",
    ),
    f("signatures", Ty::List(&Ty::Record(SIGNATURE))).doc(
        "One signature per partner on the original agreement, once it is in force. A signature without a `date` does not count as signing.",
        "signatures:\n  - {partner: exc, name: Jane Smith, role: Executive Director of Adult Social Care, date: 2025-03-20}",
    ),
    f("variations", Ty::List(&Ty::Record(VARIATION))).doc(
        "Each later variation of the agreement, in order: what changed, when, and who signed it. An agreement with `status: varied` records at least one; signatures of a variation go here, not under `signatures`.",
        "variations:\n  - date: 2026-04-01\n    description: 2026-27 contributions agreed at the annual review\n    signatures:\n      - {partner: exc, name: Jane Smith, role: Executive Director of Adult Social Care, date: 2026-03-25}",
    ),
    f("consultation", Ty::Record(CONSULTATION)).doc(
        "The joint consultation with the people affected, held before the agreement is entered into (Regulations reg 4).",
        "consultation:\n  joint: true\n  date: 2025-01-15\n  with: [service users, carers]",
    ),
    f("governance", Ty::Record(GOVERNANCE)).doc(
        "How the arrangement is governed, reported on and audited.",
        "governance:\n  board: Exampleshire Health and Wellbeing Board",
    ),
    f("review", Ty::Record(REVIEW)).doc(
        "How often the agreement is reviewed, and when next: at least annually.",
        "review:\n  frequency: annual\n  next: 2025-12-31",
    ),
    f("pools", Ty::List(&Ty::Record(POOL))).doc(
        "The pooled funds (section 75 regulation 7); schemes draw on them.",
        "pools:\n  - id: BCF\n    host: exc",
    ),
    f("schemes", Ty::List(&Ty::Record(SCHEME))).doc(
        "The services the agreement covers (the schedules of the legal text).",
        "schemes:\n  - id: ICES\n    arrangements: [pooled_fund]",
    ),
    f("finance", Ty::Record(FINANCE)).doc(
        "Financial terms beyond the pools.",
        "finance:\n  vat: The host partner's VAT regime applies",
    ),
    f("exit_strategy", Ty::Record(EXIT)).doc(
        "What happens when the arrangement ends.",
        "exit_strategy:\n  notice_months: 6",
    ),
    f("terms", Ty::Record(TERMS)).doc(
        "The general terms of the agreement.",
        "terms:\n  disputes: Escalation to chief executives, then mediation",
    ),
    f("staff", Ty::List(&Ty::Record(STAFF))).doc(
        "Staff placed at another partner's disposal.",
        "staff:\n  - arrangement: section_113",
    ),
    f("personal_budgets", Ty::Text).doc(
        "How personal budgets and direct payments for people the pool covers are funded from it.",
        "personal_budgets: Direct payments for social care needs are funded from the pool",
    ),
    f("charging", Ty::Text).doc(
        "How charged social care is kept apart from free NHS care where their functions are combined.",
        "charging: Social care elements are charged under the council's charging policy",
    ),
    f("bcf", Ty::Record(BCF)).doc(
        "Only in Better Care Fund agreements, which must be section 75 pooled funds between an ICB (a CCG for agreements commencing before 1 July 2022) and a council.",
        "bcf:\n  year: 2025-26\n  hwb_approval: 2025-03-10",
    ),
    f("grant", Ty::Record(GRANT)).doc(
        "A section 256 or section 76 grant, which has no pools, schemes, host or pool manager.",
        "grant:\n  payer: icb\n  recipient: exc",
    ),
    f("waivers", Ty::List(&Ty::Record(WAIVER))).doc(
        "Accepted departures from a rule, recorded in the agreement with the reason and who approved them. A waived finding is shown as waived and not counted. A waiver that is incomplete or names no rule is a `WAIVER-INVALID` error, an expired one a `WAIVER-EXPIRED` error (its findings count again), and one that matches no finding a `WAIVER-UNUSED` warning.",
        "waivers:\n  - rule: AC-OUTCOME-ACCOUNTABLE\n    reason: Baseline will be set from the first quarter's data\n    approved_by: Head of Legal Services\n    expires: 2025-09-30",
    ),
];

/// The root type of an agreement.
pub(crate) const ROOT: Ty = Ty::Record(AGREEMENT);

/// Every field of the table with its path (`pools[].host`; `[]` marks a list's items), depth
/// first: what the format guide, the editor's schema and its hovers walk.
pub(crate) fn paths() -> Vec<(String, &'static Field)> {
    fn walk(fields: &'static [Field], prefix: &str, out: &mut Vec<(String, &'static Field)>) {
        for f in fields {
            let path = if prefix.is_empty() {
                f.name.to_string()
            } else {
                format!("{prefix}.{}", f.name)
            };
            out.push((path.clone(), f));
            inner(&f.ty, &path, out);
        }
    }
    fn inner(ty: &'static Ty, path: &str, out: &mut Vec<(String, &'static Field)>) {
        match ty {
            Ty::Record(fields) => walk(fields, path, out),
            Ty::List(item) => inner(item, &format!("{path}[]"), out),
            Ty::NoneOr(t) => inner(t, path, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(AGREEMENT, "", &mut out);
    out
}

/// Finds a field by name in a record.
pub(crate) fn field(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    // Looked up for every key of every agreement: the length and first byte rule out nearly
    // every other field before the names are compared.
    let first = name.as_bytes().first();
    fields.iter().find(|f| {
        f.name.len() == name.len() && f.name.as_bytes().first() == first && f.name == name
    })
}

impl Ty {
    /// A short description for messages ("a date like 2025-04-01").
    pub(crate) fn describe(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_says_what_it_means_with_an_example_of_its_own_key() {
        let all = paths();
        assert!(all.len() > 100, "{} fields", all.len());
        for (path, f) in all {
            assert!(
                !f.doc.is_empty(),
                "{path} has no meaning (`.doc(...)` in its row)"
            );
            assert!(
                f.example.starts_with(&format!("{}:", f.name)),
                "{path}: the example `{}` is not written with its own key",
                f.example
            );
        }
    }
}

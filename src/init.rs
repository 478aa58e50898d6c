//! `s75lint init`: a starter agreement with every field the rules ask for, and placeholders
//! (`[insert ...]`) wherever the partners must decide. Checking it straight away lists exactly
//! the placeholders still to fill.

/// The kinds of agreement `init` can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[clap(rename_all = "snake_case")]
pub(crate) enum Arrangement {
    /// A section 75 pooled fund (the default).
    PooledFund,
    /// A section 75 lead-commissioning agreement.
    LeadCommissioning,
    /// A section 75 integrated-provision agreement.
    IntegratedProvision,
    /// A non-statutory aligned budget.
    AlignedBudget,
    /// A section 256 grant from the NHS to a council.
    #[value(name = "section_256")]
    Section256,
}

const HEAD: &str = r#"# Starter agreement written by `s75lint init`. Replace every [insert ...] placeholder, then run
# `s75lint check` on this file: it lists the placeholders still to fill.
# For completion and hover in your editor, run `s75lint schema --write .s75lint` in this folder
# (the first line tells the YAML language server to read the schema from there).
s75lint: 1
id: "[insert agreement reference]"
title: "[insert title of the agreement]"
status: draft
legal_basis: LEGAL_BASIS
commencement: "[insert start date, YYYY-MM-DD]"
end: "[insert end date, YYYY-MM-DD]"
renewal: "[insert how and when the partners decide on renewal]"
improvement: "[insert how the arrangement improves the way the functions are exercised]"
variation: "[insert how the agreement is varied]"

partners:
  - id: la
    name: "[insert name of the council]"
    kind: local_authority
  - id: icb
    name: "[insert name of the integrated care board]"
    kind: icb

# Add one entry per partner when the agreement is signed:
# signatures:
#   - {partner: la, name: ..., role: ..., date: YYYY-MM-DD}

# Record each later variation, signed by every partner (then set `status: varied`):
# variations:
#   - date: YYYY-MM-DD            # when it takes effect, on or after commencement
#     description: ...            # what it changes
#     signatures:
#       - {partner: la, name: ..., role: ..., date: YYYY-MM-DD}
#       - {partner: icb, name: ..., role: ..., date: YYYY-MM-DD}

consultation:
  joint: true
  date: "[insert date the joint consultation closed, YYYY-MM-DD]"
  with: ["[insert who was consulted]"]

governance:
  board: "[insert the board that governs the arrangement]"
  reporting:
    frequency: quarterly
    annual_statement: true
  audit: "[insert who audits the arrangement]"

review:
  frequency: annual
  next: "[insert date of the next review, YYYY-MM-DD]"
"#;

const POOL: &str = r#"
pools:
  - id: POOL
    name: "[insert name of the pooled fund]"
    host: la
    pool_manager:
      name: "[insert name of the pool manager]"
      role: "[insert role of the pool manager]"
      partner: la
    contributions:
      - {partner: la, year: "[insert financial year, e.g. 2025-26]", amount: "[insert amount]"}
      - {partner: icb, year: "[insert financial year, e.g. 2025-26]", amount: "[insert amount]"}
    contribution_variation: "[insert how contributions may be varied]"
    risk_share:
      overspend: {la: "[insert %]", icb: "[insert %]"}
      underspend: {la: "[insert %]", icb: "[insert %]"}
    capital_items: "[insert who owns capital items bought from the pool]"
"#;

fn scheme(arrangement: &str, pooled: bool, hosted: bool) -> String {
    let mut s = format!(
        r#"
schemes:
  - id: SCHEME
    name: "[insert name of the scheme]"
    arrangements: [{arrangement}]
"#
    );
    if pooled {
        s.push_str("    pool: POOL\n");
    }
    if hosted {
        s.push_str("    host: la\n");
    }
    s.push_str(
        r#"    functions:
      nhs: ["[insert NHS functions, e.g. NHS Act 2006 s3: ...]"]
      local_authority: ["[insert council functions, e.g. Care Act 2014 s18: ...]"]
    client_groups: ["[insert client groups]"]
    services: ["[insert services]"]
    aims:
      - "[insert aim]"
    outcomes:
      - measure: "[insert outcome measure]"
        baseline: {value: "[insert number]", unit: "[insert unit]", year: "[insert financial year]"}
        target: {value: "[insert number]", unit: "[insert unit]"}
        by: "[insert date, YYYY-MM-DD]"
        lead: la
        source: "[insert source of the data]"
"#,
    );
    if hosted && !pooled {
        s.push_str(
            r#"    payments:
      - {partner: icb, year: "[insert financial year]", amount: "[insert amount]"}
    payment_variation: "[insert how payments may be varied]"
"#,
        );
    }
    if arrangement != "aligned_budget" {
        s.push_str("    non_financial_contributions: none\n");
    }
    s
}

const TAIL: &str = r#"
finance:
  vat: "[insert the VAT treatment]"
  year_end: "[insert how year-end overspends and underspends are handled]"

exit_strategy:
  notice_months: "[insert number of months]"
  assets: "[insert how assets are shared on exit]"
  liabilities: "[insert how liabilities are shared on exit]"
  service_users: "[insert what happens to people using the services]"
  staff: "[insert what happens to staff]"

terms:
  insurance_and_indemnity: "[insert liability, insurance and indemnity terms]"
  complaints: "[insert how complaints are handled]"
  disputes: "[insert how disputes between partners are resolved]"
  information_sharing: "[insert the information-sharing protocol]"

personal_budgets: "[insert how personal budgets and direct payments are funded]"
charging: "[insert how charged social care is kept apart from free NHS care]"
"#;

const GRANT: &str = r#"
grant:
  payer: icb
  recipient: la
  purpose: "[insert the purpose of the grant]"
  amount: "[insert amount]"
"#;

/// The starter agreement for an arrangement.
pub(crate) fn template(arrangement: Arrangement) -> String {
    let basis = match arrangement {
        Arrangement::AlignedBudget => "non_statutory",
        Arrangement::Section256 => "section_256",
        _ => "section_75",
    };
    // The modeline comes first: the YAML language server reads it from the document's head.
    let mut s = format!("{}\n", crate::schema_json::MODELINE);
    s.push_str(&HEAD.replace("LEGAL_BASIS", basis));
    match arrangement {
        Arrangement::PooledFund => {
            s.push_str(POOL);
            s.push_str(&scheme("pooled_fund", true, false));
        }
        Arrangement::LeadCommissioning => s.push_str(&scheme("lead_commissioning", false, true)),
        Arrangement::IntegratedProvision => {
            s.push_str(&scheme("integrated_provision", false, true))
        }
        Arrangement::AlignedBudget => s.push_str(&scheme("aligned_budget", false, false)),
        Arrangement::Section256 => s.push_str(GRANT),
    }
    s.push_str(TAIL);
    s
}

/// Writes a starter agreement to `path`, refusing to overwrite anything already there.
pub(crate) fn write(path: &std::path::Path, arrangement: Arrangement) -> Result<(), String> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true) // never overwrite: fails if the file exists, even if created meanwhile
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; s75lint init never overwrites a file",
                path.display()
            ),
            _ => format!("cannot create {}: {e}", path.display()),
        })?;
    f.write_all(template(arrangement).as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

//! A deterministic generator of realistic section 75 agreements, for benchmarks.
//!
//! Agreement `i` of seed `s` is always the same text, whatever the corpus size, so a corpus of
//! 10,000 is the first 10,000 of a corpus of 100,000. The text follows the shape of
//! `fixtures/valid/bcf-pooled-fund.yaml`: a Better Care Fund pooled fund between a council and
//! an ICB, with 2 to 12 schemes, 3 to 8 KB. About a third carry one defect (see [`Defect`]);
//! the rest are clean, with the money adding up, when checked with `--today 2025-11-01`.
//!
//! Shared by the criterion bench (`benches/check.rs`) and `examples/gen_corpus.rs`; not part of
//! the product.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The date the corpus is meant to be checked on (`--today`).
pub const TODAY: &str = "2025-11-01";

/// What is wrong with a defective agreement (each gives at least one finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// The pool names no host partner (S75-HOST).
    NoHost,
    /// The pool's stated total is not the sum of its contributions (FIN-POOLED-TOTAL).
    MisSummedTotal,
    /// A partner signed after the arrangement started (S75-SIGNED-BEFORE-START).
    LateSignature,
    /// A required text is a placeholder (AGR-PLACEHOLDER).
    Placeholder,
    /// A misspelt key, so the exit strategy is missing (FMT-UNKNOWN-KEY, S75-EXIT-STRATEGY).
    UnknownKey,
    /// A scheme states no outcomes (S75-AIMS-OUTCOMES).
    NoOutcomes,
    /// One partner has not signed (S75-SIGNED).
    MissingSignature,
    /// The pool records no contributions (S75-CONTRIBUTIONS and others).
    NoContributions,
}

impl Defect {
    /// Every defect, in the order the generator picks from.
    pub const ALL: [Defect; 8] = [
        Defect::NoHost,
        Defect::MisSummedTotal,
        Defect::LateSignature,
        Defect::Placeholder,
        Defect::UnknownKey,
        Defect::NoOutcomes,
        Defect::MissingSignature,
        Defect::NoContributions,
    ];

    /// A rule id that must be among the findings.
    pub fn rule(self) -> &'static str {
        match self {
            Defect::NoHost => "S75-HOST",
            Defect::MisSummedTotal => "FIN-POOLED-TOTAL",
            Defect::LateSignature => "S75-SIGNED-BEFORE-START",
            Defect::Placeholder => "AGR-PLACEHOLDER",
            Defect::UnknownKey => "FMT-UNKNOWN-KEY",
            Defect::NoOutcomes => "S75-AIMS-OUTCOMES",
            Defect::MissingSignature => "S75-SIGNED",
            Defect::NoContributions => "S75-CONTRIBUTIONS",
        }
    }
}

/// One generated agreement.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// File name (no folder), e.g. `agreement-0000042.yaml`.
    pub name: String,
    /// The YAML text.
    pub text: String,
    /// The defect it carries, if any.
    pub defect: Option<Defect>,
    /// Number of schemes.
    pub schemes: usize,
}

/// SplitMix64: small, fast, good enough for test data, and stable across platforms. Not
/// proptest's generator (the one the tests use): the corpus is a fixed benchmark input, agreement
/// `i` of seed `s` must stay the same text across dependency updates so that BENCHMARKS.md
/// figures stay comparable, and proptest does not promise a stable stream for a seed.
pub struct Rng(u64);

impl Rng {
    /// A generator for one stream.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// One element of a slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// `k` distinct indexes into a slice of length `n`, in random order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            idx.swap(i, j);
        }
        idx.truncate(k.min(n));
        idx
    }
}

const PLACES: &[&str] = &[
    "Exampleshire",
    "Northmoor",
    "Westbridge",
    "Eastwold",
    "Southfield",
    "Ashdale",
    "Brackenford",
    "Calderbrook",
    "Dunmere",
    "Elmstead",
    "Fernleigh",
    "Greyhaven",
    "Hollinsworth",
    "Ivybridge",
    "Kingsmere",
    "Larchfield",
    "Millbourne",
    "Netherby",
    "Oakhampton",
    "Pennington",
    "Queensford",
    "Ravenscar",
    "Stonebury",
    "Thornhill",
    "Upperton",
    "Valeford",
    "Whitcombe",
    "Yarrowdale",
];
const COUNCIL_KINDS: &[&str] = &[
    "County Council",
    "City Council",
    "Borough Council",
    "Council",
];
const FIRST: &[&str] = &[
    "Helen", "Marcus", "Priya", "James", "Aisha", "Tom", "Fiona", "Raj", "Claire", "Owen", "Grace",
    "Daniel", "Nadia", "Peter", "Sarah", "Kwame", "Lucy", "Imran", "Ruth", "Gareth",
];
const LAST: &[&str] = &[
    "Ashworth", "Obi", "Raman", "Fletcher", "Khan", "Hughes", "Macleod", "Patel", "Dawson",
    "Price", "Okafor", "Walsh", "Begum", "Lloyd", "Turner", "Mensah", "Harris", "Chaudhry",
    "Evans", "Morgan",
];
const COUNCIL_ROLES: &[&str] = &[
    "Executive Director of Adult Social Care and Health",
    "Director of Adult Services",
    "Chief Executive",
    "Corporate Director of People",
];
const ICB_ROLES: &[&str] = &[
    "Chief Executive",
    "Chief Finance Officer",
    "Director of Place",
];

/// (id, name, NHS function, council function, client groups, services, aim, measure, unit)
struct SchemeKind {
    id: &'static str,
    name: &'static str,
    nhs: &'static str,
    la: &'static str,
    groups: &'static str,
    services: &'static [&'static str],
    aim: &'static str,
    short_aim: &'static str,
    short_measure: &'static str,
    measure: &'static str,
    unit: &'static str,
    source: &'static str,
}

const SCHEMES: &[SchemeKind] = &[
    SchemeKind {
        id: "ICES",
        short_aim: "Equipment without delay",
        short_measure: "Equipment in 7 days",
        name: "Integrated Community Equipment Service",
        nhs: "NHS Act 2006 s3(1)(e): community health services (equipment for people who are ill)",
        la: "Care Act 2014 s18: meeting needs for care and support (daily living equipment)",
        groups: "older_people, physical_disability",
        services: &[
            "Community equipment loans",
            "Minor adaptations",
            "Equipment recycling",
        ],
        aim: "People leave hospital without waiting for equipment",
        measure: "Equipment items delivered within 7 days of request",
        unit: "percent",
        source: "Equipment service monthly dataset",
    },
    SchemeKind {
        id: "REAB",
        short_aim: "Independence after hospital",
        short_measure: "At home after 91 days",
        name: "Home-based reablement and intermediate care",
        nhs: "NHS Act 2006 s3(1)(e): after-care and intermediate care for people leaving hospital",
        la: "Care Act 2014 s2: preventing needs for care and support (reablement)",
        groups: "older_people, physical_disability",
        services: &[
            "Reablement at home for up to six weeks",
            "Step-down beds",
            "Discharge to assess",
        ],
        aim: "More older people regain independence after a hospital stay",
        measure: "People aged 65 and over still at home 91 days after discharge",
        unit: "percent",
        source: "ASCOF measure 2B(1)",
    },
    SchemeKind {
        id: "CARERS",
        short_aim: "Carers supported early",
        short_measure: "Carers assessed",
        name: "Carers support and short breaks",
        nhs: "NHS Act 2006 s3(1)(e): carers' breaks for the care of people who are ill",
        la: "Care Act 2014 s20: meeting carers' needs for support",
        groups: "carers, older_people",
        services: &[
            "Carers' assessments",
            "Short breaks",
            "Carers advice service",
        ],
        aim: "Carers are identified early and supported to keep caring",
        measure: "Carers receiving an assessment or review in the year",
        unit: "carers",
        source: "Short and Long Term (SALT) return",
    },
    SchemeKind {
        id: "INT",
        short_aim: "Fewer unplanned admissions",
        short_measure: "Unplanned admissions",
        name: "Integrated neighbourhood teams",
        nhs: "NHS Act 2006 s3(1)(c): community nursing and therapy services",
        la: "Care Act 2014 s9: assessment of adults' needs for care and support",
        groups: "older_people, mental_health",
        services: &[
            "Community nursing",
            "Neighbourhood social work",
            "Proactive care for frail older people",
        ],
        aim: "Fewer unplanned admissions through joined-up care close to home",
        measure: "Unplanned admissions for ambulatory care sensitive conditions",
        unit: "per 100000 population",
        source: "SUS data, BCF metric",
    },
    SchemeKind {
        id: "FALLS",
        short_aim: "Fewer falls admissions",
        short_measure: "Falls admissions",
        name: "Falls prevention and response",
        nhs: "NHS Act 2006 s3(1)(e): prevention of illness (falls)",
        la: "Care Act 2014 s2: preventing needs for care and support",
        groups: "older_people",
        services: &["Falls response service", "Strength and balance classes"],
        aim: "Fewer older people are admitted to hospital after a fall",
        measure: "Emergency admissions due to falls, people aged 65 and over",
        unit: "per 100000 population",
        source: "OHID Fingertips",
    },
    SchemeKind {
        id: "DFG",
        short_aim: "Safe homes",
        short_measure: "Grants in 26 weeks",
        name: "Disabled facilities grants",
        nhs: "NHS Act 2006 s3(1)(e): services for people who are ill (home adaptations)",
        la:
            "Housing Grants, Construction and Regeneration Act 1996 s23: disabled facilities grants",
        groups: "physical_disability, older_people",
        services: &["Stairlifts and level-access showers", "Home adaptations"],
        aim: "Disabled people live safely in their own homes",
        measure: "Grants completed within 26 weeks of application",
        unit: "percent",
        source: "DFG case management system",
    },
    SchemeKind {
        id: "HOSP",
        short_aim: "Timely discharge",
        short_measure: "Discharged when ready",
        name: "Hospital discharge support",
        nhs: "NHS Act 2006 s3(1)(e): after-care for people leaving hospital",
        la: "Care Act 2014 s18: meeting needs for care and support",
        groups: "older_people",
        services: &["Discharge coordinators", "Bridging care at home"],
        aim: "People go home from hospital as soon as they are well enough",
        measure: "Patients discharged on their discharge-ready date",
        unit: "percent",
        source: "NHS discharge sitrep",
    },
    SchemeKind {
        id: "DEM",
        short_aim: "Early dementia diagnosis",
        short_measure: "Diagnosis rate",
        name: "Dementia support",
        nhs: "NHS Act 2006 s3(1)(e): diagnosis and after-care for people with dementia",
        la: "Care Act 2014 s18: meeting needs for care and support",
        groups: "older_people, dementia",
        services: &["Dementia advisers", "Memory cafes"],
        aim: "People with dementia are diagnosed early and supported at home",
        measure: "Estimated dementia diagnosis rate, people aged 65 and over",
        unit: "percent",
        source: "Primary Care Dementia Data",
    },
    SchemeKind {
        id: "MH",
        short_aim: "Independent living",
        short_measure: "Living independently",
        name: "Community mental health recovery",
        nhs: "NHS Act 2006 s3(1)(c): community mental health services",
        la: "Care Act 2014 s18: meeting needs for care and support (mental health)",
        groups: "mental_health",
        services: &["Recovery college", "Supported living outreach"],
        aim: "People recovering from mental illness live independently",
        measure: "Adults in contact with secondary mental health services living independently",
        unit: "percent",
        source: "Mental Health Services Data Set",
    },
    SchemeKind {
        id: "LD",
        short_aim: "Fewer hospital placements",
        short_measure: "Own home or family",
        name: "Learning disability community support",
        nhs: "NHS Act 2006 s3(1)(e): services for people with learning disabilities",
        la: "Care Act 2014 s18: meeting needs for care and support",
        groups: "learning_disability",
        services: &["Supported living", "Day opportunities"],
        aim: "Fewer people with a learning disability live in hospital settings",
        measure: "Adults with a learning disability living in their own home or with family",
        unit: "percent",
        source: "ASCOF measure 1G",
    },
    SchemeKind {
        id: "TEC",
        short_aim: "Safe at home",
        short_measure: "Still at home at 12 months",
        name: "Technology enabled care",
        nhs: "NHS Act 2006 s3(1)(e): remote monitoring for people who are ill",
        la: "Care Act 2014 s2: preventing needs for care and support (telecare)",
        groups: "older_people, physical_disability",
        services: &["Telecare alarms", "Remote monitoring"],
        aim: "People stay safe at home with less intrusive support",
        measure: "Telecare users still at home after 12 months",
        unit: "percent",
        source: "Telecare service records",
    },
    SchemeKind {
        id: "STROKE",
        short_aim: "Independence after stroke",
        short_measure: "Six-month reviews",
        name: "Community stroke rehabilitation",
        nhs: "NHS Act 2006 s3(1)(e): after-care for people who have had a stroke",
        la: "Care Act 2014 s2: preventing needs for care and support",
        groups: "older_people, physical_disability",
        services: &["Early supported discharge", "Community stroke therapy"],
        aim: "Stroke survivors regain independence at home",
        measure: "Stroke patients receiving six-month review",
        unit: "percent",
        source: "SSNAP",
    },
    SchemeKind {
        id: "HOMELESS",
        short_aim: "No discharge to the street",
        short_measure: "Discharged to housing",
        name: "Out-of-hospital care for homeless people",
        nhs: "NHS Act 2006 s3(1)(e): after-care for homeless patients",
        la: "Housing Act 1996 s188: interim accommodation duty",
        groups: "homeless_people",
        services: &["Step-down accommodation", "Homeless discharge navigators"],
        aim: "Homeless people are not discharged to the street",
        measure: "Homeless patients discharged to accommodation",
        unit: "percent",
        source: "Discharge team records",
    },
];

/// Pennies as `£41,920,000` (whole pounds; every generated amount is).
fn money(pounds: u64) -> String {
    let digits = pounds.to_string();
    let mut out = String::from("£");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn slug(place: &str, n: usize) -> String {
    place.to_ascii_lowercase().chars().take(n).collect()
}

fn fy(start: usize) -> String {
    format!("{start}-{:02}", (start + 1) % 100)
}

/// Agreement `index` of the corpus seeded with `seed`.
pub fn agreement(seed: u64, index: u64) -> Agreement {
    let mut r = Rng::new(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    r.next_u64();
    let defect = (r.below(3) == 0).then(|| *r.pick(&Defect::ALL));
    let n_schemes = r.range(2, 12);
    // Detail: 0 rich, 1 medium, 2 lean, 3 terse. At least as terse as the scheme count needs;
    // a quarter are terser still, as some authorities write short agreements.
    let least = match n_schemes {
        ..=4 => 0,
        5..=6 => 1,
        7..=8 => 2,
        _ => 3,
    };
    let detail = if r.below(4) == 0 {
        r.range(least, 3)
    } else {
        least
    };
    let rich = detail == 0;
    let lean = detail >= 2;
    let terse = detail == 3;
    let place = *r.pick(PLACES);
    let council_kind = *r.pick(COUNCIL_KINDS);
    let council = format!("{place} {council_kind}");
    let cid = format!("{}c", slug(place, 3));
    let icb_name = format!("NHS {place} and {} Integrated Care Board", r.pick(PLACES));
    let iid = "icb".to_string();
    let short = slug(place, 3).to_ascii_uppercase();
    // Most run for one financial year; some (never the tersest) for two.
    let start = if terse {
        2025
    } else {
        *r.pick(&[2024usize, 2025, 2025, 2025])
    };
    let years: Vec<usize> = if start == 2024 {
        vec![2024, 2025]
    } else {
        vec![2025]
    };
    let last_year = *years.last().unwrap();
    let sign_day = r.range(10, 28);
    let consult_day = r.range(1, 28);
    let person = |r: &mut Rng| format!("{} {}", r.pick(FIRST), r.pick(LAST));

    // Money: per year, ICB and council contributions; allocations split the total exactly.
    let mut contributions: Vec<(usize, u64, u64)> = Vec::new();
    for &y in &years {
        let icb = r.range(400, 9000) as u64 * 10_000;
        let la = r.range(200, 5000) as u64 * 10_000;
        contributions.push((y, icb, la));
    }
    let icb_share = r.range(50, 75);
    let kinds = r.distinct(SCHEMES.len(), n_schemes);
    // allocation[s][y]: scheme s's share of year y's total, in whole pounds.
    let weights: Vec<u64> = (0..n_schemes).map(|_| r.range(1, 20) as u64).collect();
    let wsum: u64 = weights.iter().sum();
    let mut allocations: Vec<Vec<u64>> = vec![Vec::new(); n_schemes];
    for (y, icb, la) in &contributions {
        let _ = y;
        let total = icb + la;
        let mut left = total;
        for (s, w) in weights.iter().enumerate() {
            let a = if s + 1 == n_schemes {
                left
            } else {
                total / wsum * w
            };
            left -= a;
            allocations[s].push(a);
        }
    }

    let mut t = String::with_capacity(8 * 1024);
    let w = &mut t;
    // Agreements with many schemes say the same things in fewer words.
    let say = |long: &'static str, short: &'static str| if lean { short } else { long };
    let title = format!(
        "{place} Better Care Fund Section 75 Agreement {}",
        fy(start)
    );
    if !lean {
        let _ = writeln!(w, "# Generated for benchmarks: {title}.");
    }
    let _ = writeln!(w, "s75lint: 1");
    let _ = writeln!(w, "id: {short}-BCF-{}-{index}", fy(start));
    let _ = writeln!(w, "title: {title}");
    let _ = writeln!(w, "status: signed");
    let _ = writeln!(w, "legal_basis: section_75");
    let _ = writeln!(w, "commencement: {start}-04-01");
    let _ = writeln!(w, "end: {}-03-31", last_year + 1);
    if !terse {
        let _ = writeln!(
            w,
            "renewal: {} {}",
            say(
                "The partners decide at the annual review, by 31 January",
                "Decided by 31 January"
            ),
            last_year + 1
        );
    }
    let improvement = if defect == Some(Defect::Placeholder) {
        "TBC".to_string()
    } else {
        let why = say(
            "removing duplicate assessments and speeding up discharge",
            "removing duplication",
        );
        if terse {
            format!("One pooled fund for {n_schemes} services, {why}")
        } else {
            format!("One pooled fund lets {council} and the ICB commission {n_schemes} services once, {why}")
        }
    };
    let _ = writeln!(w, "improvement: {improvement}");
    let _ = writeln!(w, "variation: {}", say("Any variation is made in writing, approved by the Health and Wellbeing Board and signed by both partners", "In writing, signed by both partners"));
    let _ = writeln!(w);
    let _ = writeln!(w, "partners:");
    let _ = writeln!(
        w,
        "  - id: {cid}\n    name: {council}\n    kind: local_authority"
    );
    let _ = writeln!(w, "  - id: {iid}\n    name: {icb_name}\n    kind: icb");
    let _ = writeln!(w);
    let _ = writeln!(w, "signatures:");
    let signers: Vec<(&str, &str)> = if defect == Some(Defect::MissingSignature) {
        vec![(cid.as_str(), *r.pick(COUNCIL_ROLES))]
    } else {
        vec![
            (cid.as_str(), *r.pick(COUNCIL_ROLES)),
            (iid.as_str(), *r.pick(ICB_ROLES)),
        ]
    };
    for (k, (p, role)) in signers.iter().enumerate() {
        let date = if defect == Some(Defect::LateSignature) && k == 1 {
            format!("{start}-04-{:02}", sign_day)
        } else {
            format!("{start}-03-{:02}", sign_day + k)
        };
        let _ = writeln!(
            w,
            "  - partner: {p}\n    name: {}\n    role: {role}\n    date: {date}",
            person(&mut r)
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "consultation:\n  joint: true\n  date: {start}-02-{consult_day:02}"
    );
    let _ = writeln!(
        w,
        "  with: [service users, carers, {}]",
        say("Healthwatch, voluntary sector forum", "Healthwatch")
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "governance:\n  board: {place} Health and Wellbeing Board{}",
        say(", advised by the BCF Joint Commissioning Board", "")
    );
    let _ = writeln!(
        w,
        "  reporting:\n    frequency: quarterly\n    annual_statement: true"
    );
    let _ = writeln!(
        w,
        "  audit: {}",
        say(
            "The council's external auditor audits the pooled fund annual statement",
            "External auditor"
        )
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "review:\n  frequency: annual\n  next: {}-01-30",
        last_year + 1
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "pools:\n  - id: BCF\n    name: {place} Better Care Fund pooled fund"
    );
    if defect != Some(Defect::NoHost) {
        let _ = writeln!(w, "    host: {cid}");
    }
    let _ = writeln!(w, "    pool_manager:\n      name: {}\n      role: Head of Integrated Commissioning\n      partner: {cid}", person(&mut r));
    if defect != Some(Defect::NoContributions) {
        let _ = writeln!(w, "    contributions:");
        for (y, icb, la) in &contributions {
            let _ = writeln!(
                w,
                "      - {{partner: {iid}, year: {}, amount: \"{}\"}}",
                fy(*y),
                money(*icb)
            );
            let _ = writeln!(
                w,
                "      - {{partner: {cid}, year: {}, amount: \"{}\"}}",
                fy(*y),
                money(*la)
            );
        }
    }
    let _ = writeln!(w, "    contribution_variation: {}", say("Contributions follow the national BCF allocations and may be increased by written agreement of both chief finance officers", "By written agreement of both finance officers"));
    let totals: Vec<String> = contributions
        .iter()
        .enumerate()
        .map(|(k, (y, icb, la))| {
            let mut total = icb + la;
            if defect == Some(Defect::MisSummedTotal) && k == 0 {
                total += 100_000;
            }
            format!("{}: \"{}\"", fy(*y), money(total))
        })
        .collect();
    if defect != Some(Defect::NoContributions) {
        let _ = writeln!(w, "    pooled_total: {{{}}}", totals.join(", "));
    }
    let _ = writeln!(w, "    risk_share:\n      overspend: {{{iid}: {icb_share}, {cid}: {}}}\n      underspend: {{{iid}: {icb_share}, {cid}: {}}}", 100 - icb_share, 100 - icb_share);
    let _ = writeln!(w, "    capital_items: {}", say("Equipment bought from the pool is owned by the council as host and shared on exit pro rata to contributions", "Owned by the host"));
    let _ = writeln!(w);
    let _ = writeln!(w, "schemes:");
    let no_outcomes = if defect == Some(Defect::NoOutcomes) {
        r.below(n_schemes)
    } else {
        usize::MAX
    };
    for (s, &k) in kinds.iter().enumerate() {
        let sk = &SCHEMES[k];
        let alloc: Vec<String> = years
            .iter()
            .zip(&allocations[s])
            .map(|(y, a)| format!("{}: \"{}\"", fy(*y), money(*a)))
            .collect();
        let lead = if r.below(2) == 0 {
            cid.as_str()
        } else {
            iid.as_str()
        };
        let base = r.range(40, 90);
        let target = base + r.range(3, 9);
        let name = if terse {
            sk.name.split(" and ").next().unwrap_or(sk.name)
        } else {
            sk.name
        };
        let _ = writeln!(w, "  - id: {}\n    name: {name}", sk.id);
        let _ = writeln!(
            w,
            "    arrangements: [pooled_fund]\n    pool: BCF\n    allocation: {{{}}}",
            alloc.join(", ")
        );
        if rich {
            let _ = writeln!(
                w,
                "    functions:\n      nhs: [\"{}\"]\n      local_authority: [\"{}\"]",
                sk.nhs, sk.la
            );
        } else {
            // The statute without the description: `NHS Act 2006 s3(1)(e)`.
            let cut = |f: &'static str| f.split(':').next().unwrap_or(f);
            let q = if terse { "" } else { "\"" };
            let _ = writeln!(
                w,
                "    functions: {{nhs: [{q}{}{q}], local_authority: [{q}{}{q}]}}",
                cut(sk.nhs),
                cut(sk.la)
            );
        }
        let groups = if terse {
            sk.groups.split(',').next().unwrap_or(sk.groups)
        } else {
            sk.groups
        };
        let _ = writeln!(w, "    client_groups: [{groups}]");
        let services = if rich { sk.services } else { &sk.services[..1] };
        let _ = writeln!(w, "    services: [{}]", services.join(", "));
        let _ = writeln!(
            w,
            "    aims: [{}]",
            if terse { sk.short_aim } else { sk.aim }
        );
        let by = format!("{}-03-31", last_year + 1);
        let was = fy(start - 1);
        if s != no_outcomes {
            if rich {
                let _ = writeln!(w, "    outcomes:\n      - measure: {}\n        baseline: {{value: {base}, unit: {}, year: {was}}}\n        target: {{value: {target}, unit: {}}}\n        by: {by}\n        lead: {lead}\n        source: {}", sk.measure, sk.unit, sk.unit, sk.source);
            } else if terse {
                let _ = writeln!(w, "    outcomes:\n      - {{measure: {}, baseline: {{value: {base}}}, target: {{value: {target}}}, by: {by}, lead: {lead}, source: BCF return}}", sk.short_measure);
            } else {
                let unit = if lean { "percent" } else { sk.unit };
                let _ = writeln!(w, "    outcomes:\n      - {{measure: \"{}\", baseline: {{value: {base}, unit: {unit}, year: {was}}}, target: {{value: {target}, unit: {unit}}}, by: {by}, lead: {lead}, source: \"{}\"}}", sk.measure, sk.source);
            }
        }
        if rich {
            let _ = writeln!(w, "    non_financial_contributions:\n      - {{partner: {cid}, item: Office accommodation in the locality hubs}}\n      - {{partner: {iid}, item: Clinical lead time (0.{} WTE)}}", r.range(1, 9));
        } else {
            let _ = writeln!(w, "    non_financial_contributions: none");
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "finance:\n  vat: {}",
        say(
            "The council's VAT regime as host applies to all pooled fund expenditure",
            "The host's VAT regime"
        )
    );
    let _ = writeln!(
        w,
        "  year_end: {}",
        say(
            "Underspends are carried forward in the pool; overspends are shared per risk_share",
            "Shared per risk_share"
        )
    );
    let _ = writeln!(w);
    let exit_key = if defect == Some(Defect::UnknownKey) {
        "exit_stratgy"
    } else {
        "exit_strategy"
    };
    let _ = writeln!(
        w,
        "{exit_key}:\n  notice_months: {}",
        r.pick(&[3, 6, 6, 12])
    );
    let _ = writeln!(
        w,
        "  assets: {}",
        say(
            "Distributed pro rata to contributions over the life of the pool",
            "Pro rata to contributions"
        )
    );
    let _ = writeln!(w, "  liabilities: {}", say("Shared pro rata to contributions; contracts are novated to the partner that takes on the service", "Pro rata to contributions"));
    if !lean {
        let _ = writeln!(w, "  service_users: Care packages continue unchanged until reassessed by the partner taking on the service");
        let _ = writeln!(
            w,
            "  staff: Seconded staff return to their employing partner"
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "terms:\n  insurance_and_indemnity: {}",
        say(
            "Each partner keeps its own insurance and indemnifies the other for its own negligence",
            "Each partner insures itself"
        )
    );
    let _ = writeln!(w, "  complaints: {}", say("Each partner's complaints procedure applies, with a joint response where both are involved", "Each partner's procedure"));
    let _ = writeln!(
        w,
        "  disputes: {}",
        say(
            "Escalation to the directors, then the chief executives, then mediation",
            "Escalation, then mediation"
        )
    );
    let _ = writeln!(
        w,
        "  information_sharing: {place} joint information sharing protocol{}",
        say(" at schedule 4", "")
    );
    let _ = writeln!(w);
    if !lean {
        let _ = writeln!(w, "staff:\n  - arrangement: section_113\n    description: The Head of Integrated Commissioning is placed at the ICB's disposal for BCF work\n    delegated_functions: none");
        let _ = writeln!(w);
    }
    let _ = writeln!(w, "personal_budgets: {}", say("Direct payments are funded from the scheme allocations; personal health budgets from the ICB contribution", "From the scheme allocations"));
    let _ = writeln!(w, "charging: {}", say("Social care is charged under the council's charging policy; NHS care is free and recorded separately", "Social care charged; NHS care free"));
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "bcf:\n  year: {}\n  hwb_approval: {start}-03-{:02}",
        fy(start),
        sign_day.min(20) - 5
    );
    Agreement {
        name: format!("agreement-{index:07}.yaml"),
        text: t,
        defect,
        schemes: n_schemes,
    }
}

/// Where agreement `index` goes under `dir`: folders of 1,000, as a large portfolio might keep.
pub fn path_of(dir: &Path, a: &Agreement, index: u64) -> PathBuf {
    dir.join(format!("batch-{:04}", index / 1000)).join(&a.name)
}

/// Writes agreements `0..count` of `seed` under `dir`, returning how many carry a defect.
pub fn write_corpus(dir: &Path, count: u64, seed: u64) -> std::io::Result<u64> {
    let mut defective = 0;
    for i in 0..count {
        let a = agreement(seed, i);
        let p = path_of(dir, &a, i);
        if i % 1000 == 0 {
            std::fs::create_dir_all(p.parent().unwrap())?;
        }
        std::fs::write(&p, &a.text)?;
        defective += u64::from(a.defect.is_some());
    }
    Ok(defective)
}

//! Typed scalar values of the agreement format: dates, money, percents, financial years, and
//! placeholder text. Parsing and the plain-English formatting used in messages live together so
//! that what we accept and what we print stay in step.

use std::fmt;

/// A calendar date (proleptic Gregorian). Stored as days since 1970-01-01 so comparison and
/// day arithmetic are integer operations.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date(i32);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// Builds a date, or `None` when the day does not exist.
    pub(crate) fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146097 + doe - 719468))
    }

    /// Year, month and day.
    pub(crate) fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    /// Parses an ISO 8601 calendar date `YYYY-MM-DD`, nothing else.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }

    /// Today's date in UTC, from the system clock.
    pub(crate) fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date((secs / 86_400) as i32)
    }

    /// Adds (or with a negative count, subtracts) days.
    pub(crate) fn add_days(self, days: i64) -> Option<Date> {
        let n = i64::from(self.0).checked_add(days)?;
        let d = Date(i32::try_from(n).ok()?);
        (1..=9999).contains(&d.ymd().0).then_some(d)
    }

    /// Adds calendar months, clamping the day to the end of a shorter month (31 Jan + 1 month =
    /// 28 or 29 Feb), as a lawyer would count.
    pub(crate) fn add_months(self, months: i64) -> Option<Date> {
        let (y, m, d) = self.ymd();
        // Checked: a rule may add any count (`DATE + 9223372036854775807 months`).
        let total = (i64::from(y) * 12 + i64::from(m) - 1).checked_add(months)?;
        let ny = i32::try_from(total.div_euclid(12)).ok()?;
        let nm = (total.rem_euclid(12) + 1) as u32;
        if !(1..=9999).contains(&ny) {
            return None;
        }
        Date::from_ymd(ny, nm, d.min(days_in_month(ny, nm)))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub(crate) fn days_until(self, other: Date) -> i64 {
        i64::from(other.0) - i64::from(self.0)
    }

    /// The financial year (1 April to 31 March) containing this date, as its starting year.
    pub(crate) fn financial_year(self) -> i32 {
        let (y, m, _) = self.ymd();
        if m >= 4 {
            y
        } else {
            y - 1
        }
    }

    /// ISO form, `2025-04-01`, for machine outputs.
    pub(crate) fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// Plain-English form used in messages: `1 April 2025`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{d} {} {y}", MONTHS[(m - 1) as usize])
    }
}

/// A financial year such as `2025-26`, stored as its starting calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(pub i32);

impl Year {
    /// Parses `2025-26` (the second part must be the following year, two digits).
    pub(crate) fn parse(s: &str) -> Option<Year> {
        let (a, b) = s.split_once('-')?;
        if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let start: i32 = a.parse().ok()?;
        let end: i32 = b.parse().ok()?;
        ((start + 1) % 100 == end).then_some(Year(start))
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// An amount of money in pence. Integer pence keep sums exact, which matters when a rule says
/// contributions must equal a total.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    /// Parses the forms the format accepts: `1200000`, `1200000.50`, `£1,200,000`, `£1.2m`,
    /// `£850k`, `£1.5bn`. Amounts that do not come to a whole number of pence are refused.
    pub(crate) fn parse(s: &str) -> Option<Money> {
        Money::parse_unbounded(s).filter(|m| m.0.abs() <= Money::MAX.0)
    }

    /// The largest amount an agreement may state: £100bn, more than any section 75 pool (the
    /// largest are a few billion). Larger amounts are refused as mistakes, and sums of amounts
    /// within it cannot overflow.
    pub const MAX: Money = Money(100_000_000_000 * 100);

    /// [`Money::parse`] without the £100bn limit: the forms alone.
    pub(crate) fn parse_unbounded(s: &str) -> Option<Money> {
        let t = trim(s);
        let t = t.strip_prefix('£').unwrap_or(t).trim_start();
        // The suffix in any ASCII case. Read without a lowercased copy: it would hold the same
        // digits, commas and dots at the same places.
        let cut = |suffix: &str| {
            let at = t.len().checked_sub(suffix.len())?;
            t.get(at..)
                .filter(|end| end.eq_ignore_ascii_case(suffix))
                .and_then(|_| t.get(..at))
        };
        let (num, mult): (&str, i64) = if let Some(n) = cut("bn") {
            (n, 1_000_000_000)
        } else if let Some(n) = cut("m") {
            (n, 1_000_000)
        } else if let Some(n) = cut("k") {
            (n, 1_000)
        } else {
            (t, 1)
        };
        let num = num.trim_end();
        if num.is_empty() {
            return None;
        }
        // Thousands separators must be well placed: `1,200,000` but not `12,00`.
        let (int_part, frac_part) = match num.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (num, None),
        };
        if int_part.contains(',') {
            let ok = int_part.split(',').enumerate().all(|(i, g)| {
                if i == 0 {
                    !g.is_empty() && g.len() <= 3
                } else {
                    g.len() == 3
                }
            });
            if !ok {
                return None;
            }
        }
        // The digits without their separators: at most 15, so they fit an i64.
        let mut whole: i64 = 0;
        let mut count = 0;
        for c in int_part.bytes().filter(|&c| c != b',') {
            if !c.is_ascii_digit() || count == 15 {
                return None;
            }
            whole = whole * 10 + i64::from(c - b'0');
            count += 1;
        }
        if count == 0 {
            return None;
        }
        // Fraction in units of 1/10^9 so `1.2m` and `0.05` are exact.
        let frac_nanos: i64 = match frac_part {
            None => 0,
            Some(f) if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) => {
                return None
            }
            Some(f) => f.parse::<i64>().ok()? * 10_i64.pow(9 - f.len() as u32),
        };
        let pence_whole = whole.checked_mul(mult)?.checked_mul(100)?;
        let frac_scaled = (frac_nanos as i128) * (mult as i128) * 100;
        if frac_scaled % 1_000_000_000 != 0 {
            return None; // fractions of a penny
        }
        pence_whole
            .checked_add((frac_scaled / 1_000_000_000) as i64)
            .map(Money)
    }
}

/// `£1,200,000`, or `£1,200,000.50` when there are pence.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let (pounds, pence) = (abs / 100, abs % 100);
        let digits = pounds.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if neg { "-" } else { "" };
        if pence == 0 {
            write!(f, "{sign}£{grouped}")
        } else {
            write!(f, "{sign}£{grouped}.{pence:02}")
        }
    }
}

/// Curly (word-processor) quotes around a value: the value inside them, when there are any.
pub(crate) fn inside_curly_quotes(s: &str) -> Option<&str> {
    const CURLY: [char; 6] = [
        '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{201A}', '\u{201E}',
    ];
    let t = trim(s);
    let inner = t.trim_start_matches(CURLY).trim_end_matches(CURLY);
    (inner.len() != t.len()).then_some(inner)
}

/// Why a date as written is not read, when it can be told, and the ISO form meant if it can be
/// worked out: `2025-02-30` (no such day), `01/04/2025` or `1st April 2025` (UK forms, read as
/// day, month, year).
pub(crate) fn date_hint(s: &str) -> Option<(String, Option<Date>)> {
    let t = trim(s);
    let b = t.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| t.get(r).and_then(|p| p.parse::<u32>().ok());
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            if (1..=12).contains(&m) {
                let month = MONTHS[(m - 1) as usize];
                let last = days_in_month(y as i32, m);
                if d == 0 || d > last {
                    return Some((
                        format!("the day does not exist: {month} {y} has {last} days"),
                        None,
                    ));
                }
            } else {
                return Some((
                    format!("there is no month {m}: months run from 01 to 12"),
                    None,
                ));
            }
        }
        return None;
    }
    // Day, month and year with `/`, `.` or `-` between them, as written in the UK.
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        let (d, m, y) = (
            parts[0].parse::<u32>().ok()?,
            parts[1].parse::<u32>().ok()?,
            parts[2].parse::<i32>().ok()?,
        );
        if parts[2].len() == 4 && parts[0].len() <= 2 {
            let date = Date::from_ymd(y, m, d);
            return Some(("dates are written year first".into(), date));
        }
    }
    // `1st April 2025`, `1 April 2025`, `April 1, 2025`.
    let words: Vec<String> = t
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_string())
        .collect();
    if words.len() == 3 {
        let month_of = |w: &str| {
            MONTHS.iter().position(|m| {
                m.eq_ignore_ascii_case(w)
                    || (w.len() >= 3 && m.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
            })
        };
        let day_of = |w: &str| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            digits.parse::<u32>().ok()
        };
        let (d, m, y) = match (
            day_of(&words[0]),
            month_of(&words[1]),
            month_of(&words[0]),
            day_of(&words[1]),
        ) {
            (Some(d), Some(m), _, _) => (d, m, &words[2]),
            (_, _, Some(m), Some(d)) => (d, m, &words[2]),
            _ => return None,
        };
        let y = y.parse::<i32>().ok()?;
        return Some((
            "dates are written year first, in figures".into(),
            Date::from_ymd(y, m as u32 + 1, d),
        ));
    }
    None
}

/// How an amount as written is meant, when it is a near miss of an accepted spelling:
/// `£1,5m` (a decimal comma), `1.5 million`, `£850 thousand`.
pub(crate) fn money_hint(s: &str) -> Option<(String, String)> {
    let t = trim(s);
    let lower = t.to_ascii_lowercase();
    let num = lower.trim_start_matches('£').trim();
    for (word, suffix) in [("million", "m"), ("billion", "bn"), ("thousand", "k")] {
        if let Some(n) = num.strip_suffix(word) {
            let n = n.trim();
            if !n.is_empty()
                && n.bytes()
                    .all(|c| c.is_ascii_digit() || c == b'.' || c == b',')
            {
                let fixed = format!("\"£{}{suffix}\"", n.replace(',', "."));
                if Money::parse(&fixed.replace('"', "")).is_some() {
                    return Some(("amounts are written in figures, with `k`, `m` or `bn` for thousands, millions and billions".into(), fixed));
                }
            }
        }
    }
    // A comma as the decimal point: one comma followed by one or two digits, then a suffix.
    for suffix in ["bn", "m", "k"] {
        if let Some(n) = num.strip_suffix(suffix) {
            if let Some((a, b)) = n.split_once(',') {
                if !a.is_empty()
                    && (1..=2).contains(&b.len())
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
                {
                    return Some((
                        "a comma was written as the decimal point".into(),
                        format!("\"£{a}.{b}{suffix}\""),
                    ));
                }
            }
        }
    }
    None
}

/// Formats a number without a trailing `.0`.
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Reads a number as YAML writes it (`95`, `12.5`), refusing special floats.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = trim(s);
    if t.is_empty()
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E' | b'_'))
    {
        return None;
    }
    // Most numbers have no `_` separators, and need no cleaned copy.
    let parsed = if t.contains('_') {
        t.chars()
            .filter(|&c| c != '_')
            .collect::<String>()
            .parse::<f64>()
    } else {
        t.parse::<f64>()
    };
    parsed.ok().filter(|v| v.is_finite())
}

/// Reads a percent: `40`, `40.5` or `"40%"`, between 0 and 100.
pub(crate) fn parse_percent(s: &str) -> Option<f64> {
    let t = trim(s);
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    parse_number(t).filter(|v| (0.0..=100.0).contains(v))
}

/// `s.trim()`, answered without the search for Unicode whitespace when `s` starts and ends
/// with a visible ASCII character, as nearly every scalar does.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    // No ASCII byte above the space is whitespace, and such a byte is a whole character.
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    if solid(s.as_bytes().first()) && solid(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// True for text that stands in for something not yet written: `TODO`, `TBC`, `TBA`, `TBD`,
/// `XXX`, `[insert ...]`, `<insert ...>`, or text that is only such a marker with punctuation.
pub(crate) fn is_placeholder(s: &str) -> bool {
    is_placeholder_marker(s) || is_placeholder_phrase(s)
}

/// Whole values that say a thing is not decided yet: "To be confirmed", "To be agreed",
/// "To be determined", "To be decided", "To be advised", "To be arranged", "T.B.C." (and
/// "T.B.A.", "T.B.D."), "N/A", "Pending", in any case and punctuation. Only the whole value:
/// "contributions to be agreed annually by the board" is a real term.
const PLACEHOLDER_PHRASES: &[&str] = &[
    "tobeconfirmed",
    "tobeagreed",
    "tobedetermined",
    "tobedecided",
    "tobeadvised",
    "tobearranged",
    "tbc",
    "tba",
    "tbd",
    "na",
    "pending",
];

/// The letters in the longest of [`PLACEHOLDER_PHRASES`].
const LONGEST_PHRASE: usize = 14;

fn is_placeholder_phrase(s: &str) -> bool {
    // Short values only: the phrases are at most 20 letters, with spaces and dots.
    if s.len() > 40 {
        return false;
    }
    // Called on every text scalar: ASCII text (nearly all) is folded on the stack, and only
    // other text through Unicode lowercasing (whose letters can lowercase to several).
    if s.is_ascii() {
        let mut buf = [0u8; LONGEST_PHRASE];
        let mut n = 0;
        for b in s.bytes().filter(u8::is_ascii_alphanumeric) {
            let Some(slot) = buf.get_mut(n) else {
                return false; // longer than every phrase
            };
            *slot = b.to_ascii_lowercase();
            n += 1;
        }
        let letters = buf.get(..n).unwrap_or_default();
        return PLACEHOLDER_PHRASES.iter().any(|p| p.as_bytes() == letters);
    }
    let letters: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    PLACEHOLDER_PHRASES.contains(&letters.as_str())
}

fn is_placeholder_marker(s: &str) -> bool {
    let t = trim(s).as_bytes();
    let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
        return true;
    };
    if (first == b'[' && last == b']') || (first == b'<' && last == b'>') {
        return true;
    }
    // Called on every text scalar of every agreement, so it reads eight bytes at a time and
    // stops only at the bytes that end a word, without allocating. Case folding is ASCII only
    // and every non-ASCII byte separates words, as a lowercased copy split on
    // non-ASCII-alphanumeric characters would give.
    let mut start = 0; // where the run of ASCII letters and digits before the next separator starts
    let mut base = 0;
    while base < t.len() {
        let (word, live) = match t
            .get(base..base + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            Some(c) => (u64::from_le_bytes(c), HIGH),
            None => {
                // The last few bytes; the zeros after them are masked off.
                let rest = t.get(base..).unwrap_or_default();
                let mut buf = [0u8; 8];
                buf.iter_mut().zip(rest).for_each(|(d, s)| *d = *s);
                let bits = (1u64 << (8 * rest.len().min(7))).wrapping_sub(1);
                (u64::from_le_bytes(buf), HIGH & bits)
            }
        };
        let mut separators = !alphanumeric_bytes(word) & live;
        while separators != 0 {
            let i = base + (separators.trailing_zeros() / 8) as usize;
            separators &= separators - 1;
            if t.get(start..i).is_some_and(is_placeholder_word) {
                return true;
            }
            start = i + 1;
            if matches!(t.get(i), Some(b'[' | b'<'))
                && t.get(start..i + 7)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"insert"))
            {
                return true;
            }
        }
        base += 8;
    }
    t.get(start..).is_some_and(is_placeholder_word)
}

/// The high bit of every byte of a `u64`.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The low bit of every byte.
const LOW: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` that is an ASCII letter or digit, the others clear.
fn alphanumeric_bytes(word: u64) -> u64 {
    // Bytes below 0x80 plus a constant below 0x80 never carry into the next byte, so each
    // sum's high bit says whether that byte reached the bound.
    let low7 = word & !HIGH;
    let within = |x: u64, lo: u8, hi: u8| {
        let at_least_lo = x.wrapping_add(LOW * u64::from(0x80 - lo));
        let above_hi = x.wrapping_add(LOW * u64::from(0x7f - hi));
        at_least_lo & !above_hi & HIGH
    };
    let digits = within(low7, b'0', b'9');
    // `| 0x20` takes `A`-`Z` onto `a`-`z` and nothing else into that range.
    let letters = within(low7 | (LOW * 0x20), b'a', b'z');
    (digits | letters) & !word & HIGH
}

/// A whole word that marks a placeholder: `todo`, `tbc`, `tba`, `tbd`, `xxx`, `fixme`, in any case.
fn is_placeholder_word(w: &[u8]) -> bool {
    match w.len() {
        3 => [b"tbc", b"tba", b"tbd", b"xxx"]
            .iter()
            .any(|p| w.eq_ignore_ascii_case(*p)),
        4 => w.eq_ignore_ascii_case(b"todo"),
        5 => w.eq_ignore_ascii_case(b"fixme"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_validate() {
        let d = Date::parse_iso("2025-04-01").unwrap();
        assert_eq!(d.ymd(), (2025, 4, 1));
        assert_eq!(d.to_string(), "1 April 2025");
        assert_eq!(d.iso(), "2025-04-01");
        assert!(Date::parse_iso("2025-02-29").is_none());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("April 2025").is_none());
        assert!(Date::parse_iso("2025-4-01").is_none());
        assert!(Date::parse_iso("１０２５-04-01").is_none());
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
    }

    #[test]
    fn date_arithmetic() {
        let d = Date::parse_iso("2025-01-31").unwrap();
        assert_eq!(d.add_months(1).unwrap().iso(), "2025-02-28");
        assert_eq!(d.add_days(90).unwrap().iso(), "2025-05-01");
        assert_eq!(d.add_months(-1).unwrap().iso(), "2024-12-31");
        assert_eq!(d.financial_year(), 2024);
        assert_eq!(
            Date::parse_iso("2025-04-01").unwrap().financial_year(),
            2025
        );
        assert_eq!(d.days_until(Date::parse_iso("2025-02-01").unwrap()), 1);
    }

    #[test]
    fn money_forms() {
        assert_eq!(Money::parse("£1,200,000"), Some(Money(120_000_000)));
        assert_eq!(Money::parse("£1.2m"), Some(Money(120_000_000)));
        assert_eq!(Money::parse("£850k"), Some(Money(85_000_000)));
        assert_eq!(Money::parse("1200000.50"), Some(Money(120_000_050)));
        assert_eq!(Money::parse("£0.05"), Some(Money(5)));
        assert_eq!(Money::parse("£1.5bn"), Some(Money(150_000_000_000)));
        assert_eq!(Money::parse("£12,00"), None);
        assert_eq!(Money::parse("£0.001"), None);
        assert_eq!(Money::parse("lots"), None);
        assert_eq!(Money::parse("£"), None);
        assert_eq!(Money::parse("£99999999999999999999"), None);
        assert_eq!(Money(120_000_000).to_string(), "£1,200,000");
        assert_eq!(Money(120_000_050).to_string(), "£1,200,000.50");
        assert_eq!(Money(99_900).to_string(), "£999");
    }

    #[test]
    fn years_percents_placeholders() {
        assert_eq!(Year::parse("2025-26"), Some(Year(2025)));
        assert_eq!(Year::parse("1999-00"), Some(Year(1999)));
        assert_eq!(Year::parse("2025-27"), None);
        assert_eq!(Year(2025).to_string(), "2025-26");
        assert_eq!(parse_percent("40%"), Some(40.0));
        assert_eq!(parse_percent("101"), None);
        for p in [
            "TODO",
            "TBC",
            "Amount TBC",
            "[insert name]",
            "<insert date>",
            "XXX",
            "  ",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in ["Todos santos", "Head of Legal", "TBCs"] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    /// The allocating definition `Money::parse` replaced, kept to pin that it agrees.
    fn money_by_copying(s: &str) -> Option<Money> {
        let t = s.trim();
        let t = t.strip_prefix('£').unwrap_or(t).trim_start();
        let lower = t.to_ascii_lowercase();
        let (num, mult): (&str, i64) = if let Some(n) = lower.strip_suffix("bn") {
            (n, 1_000_000_000)
        } else if let Some(n) = lower.strip_suffix('m') {
            (n, 1_000_000)
        } else if let Some(n) = lower.strip_suffix('k') {
            (n, 1_000)
        } else {
            (lower.as_str(), 1)
        };
        let num = num.trim_end();
        if num.is_empty() {
            return None;
        }
        // Thousands separators must be well placed: `1,200,000` but not `12,00`.
        let (int_part, frac_part) = match num.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (num, None),
        };
        let digits: String = if int_part.contains(',') {
            let groups: Vec<&str> = int_part.split(',').collect();
            let ok = !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return None;
            }
            groups.concat()
        } else {
            int_part.to_string()
        };
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) || digits.len() > 15 {
            return None;
        }
        let whole: i64 = digits.parse().ok()?;
        // Fraction in units of 1/10^9 so `1.2m` and `0.05` are exact.
        let frac_nanos: i64 = match frac_part {
            None => 0,
            Some(f) if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) => {
                return None
            }
            Some(f) => f.parse::<i64>().ok()? * 10_i64.pow(9 - f.len() as u32),
        };
        let pence_whole = whole.checked_mul(mult)?.checked_mul(100)?;
        let frac_scaled = (frac_nanos as i128) * (mult as i128) * 100;
        if frac_scaled % 1_000_000_000 != 0 {
            return None; // fractions of a penny
        }
        pence_whole
            .checked_add((frac_scaled / 1_000_000_000) as i64)
            .map(Money)
    }

    #[test]
    fn money_parse_agrees_with_the_copying_definition() {
        let fixed = [
            "",
            "£",
            "k",
            "bn",
            "BN",
            "£1.2M",
            "£850K",
            "1,200,000",
            "1,200,000.50",
            "£ 12 k",
            "12,00",
            ",123",
            "1234,567",
            "1,234,567,890,123",
            "999999999999999",
            "9999999999999999",
            "1.5bn",
            "0.05",
            "0.001",
            "1.",
            ".5",
            "1..2",
            "1,2.3",
            "£1,200,000 ",
            " 5m ",
            "5 m",
            "5mbn",
            "5é",
            "é5",
            "£££1",
            "1_000",
            "+5",
            "-5",
            "5.1234567891",
            "5.123456789k",
        ];
        for s in fixed {
            assert_eq!(Money::parse_unbounded(s), money_by_copying(s), "{s:?}");
        }
        let alphabet: Vec<char> = "0123456789,,..£kKmMbBnN _-+eé".chars().collect();
        let mut seed: u64 = 0x00c0_ffee_0000_0001;
        for _ in 0..50_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 14;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            assert_eq!(Money::parse_unbounded(&s), money_by_copying(&s), "{s:?}");
        }
    }

    #[test]
    fn alphanumeric_bytes_are_found_eight_at_a_time() {
        for b in 0..=255u8 {
            let want = if b.is_ascii_alphanumeric() { HIGH } else { 0 };
            assert_eq!(
                alphanumeric_bytes(u64::from_le_bytes([b; 8])),
                want,
                "{b:#x}"
            );
            // Neighbours cannot disturb a byte's answer.
            let mixed = u64::from_le_bytes([b, 0xff, b, 0x00, b, b'z', b, b'0']);
            let at_b = 0x0080_0080_0080_0080; // the high bits of bytes 0, 2, 4 and 6
            assert_eq!(alphanumeric_bytes(mixed) & at_b, want & at_b, "{b:#x}");
        }
    }

    /// The allocating definition `is_placeholder` replaced, kept to pin that it agrees.
    fn is_placeholder_by_lowercasing(s: &str) -> bool {
        let t = s.trim();
        if t.is_empty() {
            return true;
        }
        let lower = t.to_ascii_lowercase();
        if (lower.starts_with('[') && lower.ends_with(']'))
            || (lower.starts_with('<') && lower.ends_with('>'))
        {
            return true;
        }
        if lower.contains("[insert") || lower.contains("<insert") {
            return true;
        }
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "todo" | "tbc" | "tba" | "tbd" | "xxx" | "fixme"))
    }

    #[test]
    fn placeholder_phrases_read_on_the_stack_agree_with_lowercasing() {
        assert_eq!(
            PLACEHOLDER_PHRASES.iter().map(|p| p.len()).max(),
            Some(LONGEST_PHRASE)
        );
        let by_lowercasing = |s: &str| {
            let letters: String = s
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            s.len() <= 40 && PLACEHOLDER_PHRASES.contains(&letters.as_str())
        };
        let mut cases: Vec<String> = [
            "To be confirmed",
            "T.B.C.",
            "N/A",
            "Pending",
            "PENDING.",
            "To be determined!",
            "To be determinedx",
            "to-be-agreed",
            "tbc tbc",
            "  To  be  advised  ",
            "",
            "To be confirmed, to be confirmed, to be confirmed",
        ]
        .map(String::from)
        .to_vec();
        // Every string of up to four characters over an alphabet that reaches the phrases'
        // prefixes, their ends and past them.
        let alphabet = ['t', 'B', 'c', 'n', 'a', '/', ' ', '.', 'd'];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            cases.extend(frontier.iter().cloned());
        }
        for s in &cases {
            assert_eq!(is_placeholder_phrase(s), by_lowercasing(s), "{s:?}");
        }
    }

    #[test]
    fn placeholder_check_agrees_with_lowercasing_it() {
        let fixed = [
            "",
            "[",
            "]",
            "[]",
            "<",
            ">",
            "<>",
            "[x",
            "x]",
            "a [INSERT",
            "a <Insert",
            "[inser",
            "<insertion here",
            "x[insert",
            "ToDo",
            "fixMe now",
            "FIXME",
            "tbd.",
            "(tba)",
            "xXx",
            "xxxx",
            "tb",
            "é tbc",
            "tbcé",
            "tbc😀",
            "£tbd£",
            "Zoë",
            "\u{a0}TBC\u{a0}",
            "\u{3000}",
            "to do",
            "todo_x",
            "todo-x",
            "2025-26 TBC",
            "TBC2",
            "abcdefg tbc",
            "abcdefgh[insert x",
            "abcdefg[insert",
            "abcdefg[inser",
            "aaaaaaaaaaaaaaaTODO",
            "aaaaaaaaaaaaaaaaTODO",
            "aaaaaa todo aaaaaaaa",
            "aaaaaaaaaaaaaa.tbd",
            "aaaaaaaaaaaaaaa.tbdx",
            "Valeford Borough Council",
        ];
        for s in fixed {
            assert_eq!(
                is_placeholder_marker(s),
                is_placeholder_by_lowercasing(s),
                "{s:?}"
            );
        }
        // Pseudo-random strings over an alphabet biased towards the markers.
        let alphabet: Vec<char> = "tTbBcCadDxXoOfFiImMeEnNsSrR[]<> -_.é£😀\u{a0}\t\n1"
            .chars()
            .collect();
        let mut seed: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Up to three eight-byte chunks and a tail.
            let len = (seed >> 33) % 30;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            assert_eq!(
                is_placeholder_marker(&s),
                is_placeholder_by_lowercasing(&s),
                "{s:?}"
            );
        }
    }
}

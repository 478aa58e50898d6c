//! The spellings the reader accepts for money, dates, percents, numbers and financial years, as
//! regular expressions for the JSON Schema. Each mirrors a parser in `agreement::values`; the
//! tests below hold each pattern to its parser over a list of samples.
//!
//! The patterns are written in the common part of ECMA 262 (what editors run) and the Rust
//! `regex` syntax (what the tests run): no look-around, `[0-9]` rather than `\d`.
//!
//! Two known, deliberate differences, both beyond any real agreement:
//! - a quoted percent or number in exponent form (`"1e2%"`) is refused by the pattern for
//!   percents (the reader takes it); a pattern cannot compare `1e2` with 100;
//! - amounts written with `k`, `m` or `bn` are limited to 13, 10 and 7 digits before the
//!   point (about £10,000 million million), where the reader's limit is where pence overflow
//!   a 64-bit integer.

/// Whitespace as Rust's `str::trim` removes it (Unicode `White_Space`), which the reader
/// strips around values. Spelled out because `\s` differs between regex dialects.
pub(crate) const WS: &str =
    r"[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// `_*`: the reader's number parser drops underscores anywhere (`1_000`).
const U: &str = "_*";

fn anchored(body: &str) -> String {
    format!("^{WS}*{body}{WS}*$")
}

/// A run of 1 to `max` digits, plain or with well-placed thousands commas (`1,200,000`).
fn whole(max: usize) -> String {
    let mut alts = vec![format!("[0-9]{{1,{max}}}")];
    // Groups after the first: with a full first group (3 digits), then with a shorter one.
    let full = (max.saturating_sub(3)) / 3;
    if full >= 1 {
        alts.push(format!("[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,{full}}}"));
    }
    let rest = max.saturating_sub(3 * (full + 1));
    if rest >= 1 {
        alts.push(format!("[0-9]{{1,{rest}}}(?:,[0-9]{{3}}){{{}}}", full + 1));
    }
    format!("(?:{})", alts.join("|"))
}

/// An amount of money as a string: `"£1,200,000"`, `"£1.2m"`, `"850k"`, `"1200000.50"`.
/// Mirrors `Money::parse`: an optional `£`, digits (commas well placed), a fraction that comes
/// to whole pence once the `k`/`m`/`bn` multiplier is applied, the suffix in any case.
pub(crate) fn money() -> String {
    // Digits of the fraction that may be non-zero: pence need 2 places, and each multiplier
    // moves the point; further digits must be zeros (at most 9 in all).
    let frac = |free: usize| {
        let zeros = 9 - free;
        if zeros == 0 {
            format!("(?:\\.[0-9]{{1,{free}}})?")
        } else {
            format!("(?:\\.[0-9]{{1,{free}}}0{{0,{zeros}}})?")
        }
    };
    let plain = format!("{}{}", whole(15), frac(2));
    let k = format!("{}{}{WS}*[kK]", whole(13), frac(5));
    let m = format!("{}{}{WS}*[mM]", whole(10), frac(8));
    let bn = format!("{}{}{WS}*[bB][nN]", whole(7), frac(9));
    anchored(&format!("(?:£{WS}*)?(?:{plain}|{k}|{m}|{bn})"))
}

/// A calendar date `YYYY-MM-DD` that exists (29 February only in leap years; years 0001 to
/// 9999), as `Date::parse_iso` reads it.
pub(crate) fn date() -> String {
    let year = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})";
    let leap = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)";
    let month_day = "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)";
    anchored(&format!("(?:{year}-{month_day}|{leap}-02-29)"))
}

/// A financial year `2025-26`: the second part is the year after the first (`1999-00`).
pub(crate) fn year() -> String {
    anchored(&format!("[0-9]{{2}}{}", year_pairs()))
}

/// `(?:00-01|01-02|...|99-00)`: the last two digits of the two calendar years.
fn year_pairs() -> String {
    let pairs: Vec<String> = (0..100)
        .map(|y| format!("{y:02}-{:02}", (y + 1) % 100))
        .collect();
    format!("(?:{})", pairs.join("|"))
}

/// A number as a string, as `values::parse_number` reads it: what Rust's `f64` parser takes
/// once underscores are removed (`95`, `12.5`, `.5`, `5.`, `-1e3`, `1_000`).
pub(crate) fn number() -> String {
    let d = format!("[0-9]{U}");
    let mantissa = format!("(?:(?:{d})+(?:\\.{U}(?:{d})*)?|\\.{U}(?:{d})+)");
    let exponent = format!("(?:[eE]{U}[+-]?{U}(?:{d})+)?");
    anchored(&format!("{U}[+-]?{U}{mantissa}{exponent}"))
}

/// A percent as a string, as `values::parse_percent` reads it: a number from 0 to 100, with
/// or without `%` (`"40%"`, `"17.01%"`, `"40"`); not in exponent form (see the module notes).
pub(crate) fn percent() -> String {
    let z = format!("0{U}");
    let d = format!("[0-9]{U}");
    // Leading zeros, then up to two digits with any fraction; or 100 with a zero fraction; or
    // a fraction alone. `5.` is a number, `.` is not.
    let below_100 = format!("(?:{z})*(?:{d}){{1,2}}(?:\\.{U}(?:{d})*)?");
    let hundred = format!("(?:{z})*1{U}0{U}0{U}(?:\\.{U}(?:{z})*)?");
    let fraction = format!("\\.{U}(?:{d})+");
    let positive = format!("\\+?{U}(?:{below_100}|{hundred}|{fraction})");
    // `-0` and `-0.00` are zero, which is in range.
    let negative_zero = format!("-{U}(?:(?:{z})+(?:\\.{U}(?:{z})*)?|\\.{U}(?:{z})+)");
    anchored(&format!("{U}(?:{positive}|{negative_zero}){WS}*(?:%)?"))
}

/// The word `none` (a list field that may say there is nothing), as the reader trims it.
pub(crate) fn none_word() -> String {
    anchored("none")
}

/// The format version `1` written as a string.
pub(crate) fn version() -> String {
    anchored("1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::values::{parse_number, parse_percent, Date, Money, Year};

    fn re(p: &str) -> regex::Regex {
        regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// Strings that probe each parser's edges, shared by the checks below.
    const SAMPLES: &[&str] = &[
        "",
        " ",
        "0",
        "1",
        "01",
        "1.",
        ".5",
        ".",
        "-1",
        "+1",
        "-0",
        "-0.0",
        "+.5",
        "1e2",
        "1e",
        "e1",
        "1_000",
        "_1_",
        "1__0.5_",
        "1,000",
        "1,00",
        ",100",
        "1000,000",
        "12,345,678",
        "1.5",
        "1.05",
        "1.055",
        "1.0500000",
        "1.050000000",
        "1.0500000000",
        "1..2",
        "1.2.3",
        "£",
        "£1",
        "£ 1",
        " £1 ",
        "££1",
        "£-1",
        "£1,200,000",
        "£1,200,000.13",
        "£1,200,000.135",
        "£1.2m",
        "£1.2M",
        "£1.23456789m",
        "£1.234567891m",
        "£1.2345678m",
        "£850k",
        "£850K",
        "£0.00001k",
        "£0.000001k",
        "£1.5bn",
        "£1.5BN",
        "£1.5Bn",
        "£1.123456789bn",
        "£1 bn",
        "£1b",
        "£1n",
        "5mbn",
        "5 m",
        "5m ",
        " 5m",
        "k",
        "m",
        "bn",
        "£k",
        "999999999999999",
        "9999999999999999",
        "999,999,999,999,999",
        "9,999,999,999,999,999",
        "9999999999999k",
        "9,999,999,999,999k",
        "9999999999m",
        "9999999bn",
        "1.5e3",
        "1E3",
        "1e+3",
        "1e-3",
        "1.e3",
        "1e_3",
        "12_",
        "0x10",
        "inf",
        "NaN",
        "2025-04-01",
        "2025-4-01",
        "2025-04-1",
        "2025-02-29",
        "2024-02-29",
        "2000-02-29",
        "1900-02-29",
        "2025-04-31",
        "2025-12-31",
        "2025-13-01",
        "2025-00-10",
        "2025-01-00",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "0004-02-29",
        "0400-02-29",
        "0100-02-29",
        " 2025-04-01 ",
        "\u{a0}2025-04-01",
        "2025-04-01x",
        "2025/04/01",
        "２０２５-04-01",
        "2025-26",
        "1999-00",
        "2025-27",
        "2025-2026",
        "25-26",
        " 2025-26",
        "40",
        "40%",
        "40 %",
        " 40% ",
        "40%%",
        "%",
        "100",
        "100%",
        "100.0%",
        "100.000",
        "100.001",
        "0100",
        "99.999%",
        "101",
        "1000",
        "0.5%",
        "-5%",
        "-0%",
        "+40%",
        "17.01%",
        "4_0%",
        "40.%",
        ".5%",
        "1e2%",
        "none",
        " none ",
        "None",
        "1 ",
        " 1",
        "1.0",
        "\u{3000}1\u{3000}",
        "\u{85}1",
        "\u{feff}1",
        "1\u{200b}",
    ];

    /// Each pattern accepts a sample exactly when its parser does, except the documented
    /// exponent forms of percents.
    #[test]
    fn patterns_accept_what_the_parsers_accept() {
        type Case = (&'static str, String, fn(&str) -> bool);
        let cases: [Case; 6] = [
            // The pattern gives the forms; the £100bn limit is checked by the loader alone.
            ("money", money(), |s| Money::parse_unbounded(s).is_some()),
            ("date", date(), |s| {
                Date::parse_iso(crate::agreement::values::trim(s)).is_some()
            }),
            ("year", year(), |s| {
                Year::parse(crate::agreement::values::trim(s)).is_some()
            }),
            ("number", number(), |s| parse_number(s).is_some()),
            ("percent", percent(), |s| {
                // The documented difference: exponent forms are left to the reader.
                parse_percent(s).is_some() && !s.contains(['e', 'E'])
            }),
            ("none", none_word(), |s| {
                crate::agreement::values::trim(s) == "none"
            }),
        ];
        for (name, pattern, parser) in cases {
            let r = re(&pattern);
            for s in SAMPLES {
                assert_eq!(r.is_match(s), parser(s), "{name} {s:?}");
            }
        }
    }

    /// Random strings over the characters money is written with: the money pattern and
    /// `Money::parse` agree on every one (amounts are short, so the digit limits never bite).
    #[test]
    fn money_pattern_agrees_with_the_parser_on_random_strings() {
        let r = re(&money());
        let alphabet: Vec<char> = "0123456789,,..£kKmMbBnN _-+eé".chars().collect();
        let mut seed: u64 = 0x5eed_0000_0000_0075;
        for _ in 0..50_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 12;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            assert_eq!(
                r.is_match(&s),
                Money::parse_unbounded(&s).is_some(),
                "{s:?}"
            );
        }
    }

    /// Random strings for numbers and percents, over digits, signs, points and underscores.
    #[test]
    fn number_and_percent_patterns_agree_on_random_strings() {
        let (num, pct) = (re(&number()), re(&percent()));
        let alphabet: Vec<char> = "0011123459.._-+% ".chars().collect();
        let mut seed: u64 = 0x5eed_0000_0000_0076;
        for _ in 0..50_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 8;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
            }
            assert_eq!(num.is_match(&s), parse_number(&s).is_some(), "number {s:?}");
            assert_eq!(
                pct.is_match(&s),
                parse_percent(&s).is_some(),
                "percent {s:?}"
            );
        }
    }

    /// `whole(max)` takes 1 to `max` digits, plain or grouped in threes, and nothing else.
    #[test]
    fn whole_numbers_have_at_most_max_digits_with_or_without_commas() {
        for max in 1..=15 {
            let r = re(&format!("^{}$", whole(max)));
            for len in 1..=17 {
                let digits = "9".repeat(len);
                let mut grouped = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (len - i) % 3 == 0 {
                        grouped.push(',');
                    }
                    grouped.push(c);
                }
                assert_eq!(r.is_match(&digits), len <= max, "{max} {digits}");
                assert_eq!(r.is_match(&grouped), len <= max, "{max} {grouped}");
            }
            for bad in ["", ",", "9,", ",999", "99,99", "9999,999", "9,999,99"] {
                assert!(!r.is_match(bad), "{max} {bad}");
            }
        }
    }

    /// Every date of a leap and a common year, and the days after each month's end.
    #[test]
    fn date_pattern_agrees_on_every_day() {
        let r = re(&date());
        for y in [1, 4, 100, 400, 1900, 2000, 2024, 2025, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y:04}-{m:02}-{d:02}");
                    assert_eq!(r.is_match(&s), Date::parse_iso(&s).is_some(), "{s}");
                }
            }
        }
    }
}

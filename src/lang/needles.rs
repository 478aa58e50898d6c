//! The words one of which every match of a pattern contains, so a search that cannot match is
//! skipped without running the regex engine.
//!
//! Nearly every text a rule searches is short ASCII that matches none of its patterns
//! (S75-EXCLUDED-FUNCTION asks ten of every service and function named). What that saves is
//! mostly compiling: a pattern is compiled only once some text holds one of its words, so a
//! clean agreement compiles none of those ten (3.8M of a one-agreement run's 9.4M
//! instructions). Per search, looking for the words costs about what the regex crate's lazy
//! DFA did. The regex crate has such a prefilter, but building it for a case-insensitive
//! pattern costs several times compiling the pattern itself (see `Pattern`); these words are
//! read straight off the syntax tree.
//!
//! The words are ASCII and lower case and are looked for ignoring ASCII case, in ASCII text
//! only: a text with other characters is always searched. That keeps the reasoning small.
//! For ASCII text a position in a pattern is described by the ASCII characters it can match
//! (`(?i)s` can also match `ſ`, which ASCII text does not hold), so:
//! - `exact` is every string, lower-cased, that the part can match in ASCII text;
//! - `required` is a set of strings one of which, ignoring case, every match contains.
//!
//! A part that is too open (`\s+`, `.`, a large class) has neither and ends a run of exact
//! parts; the best run or required set of a sequence is kept.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The most strings an exact or required set may hold (`doctors?['’]?s?` is 8).
const MAX_SET: usize = 16;
/// The most distinct ASCII characters a class may match and still count as exact (`[ivx]`).
const MAX_CLASS: usize = 4;
/// Words shorter than this are found in most texts and are not worth looking for.
const MIN_WORD: usize = 3;

/// The words, for a pattern worth filtering: each is lower-case ASCII, at least [`MIN_WORD`]
/// bytes long, and none contains another (finding the shorter one is enough).
pub(crate) fn of(hir: &Hir) -> Option<Box<[Word]>> {
    let info = analyse(hir);
    let set = best([info.exact, info.required].into_iter().flatten())?;
    if quality(&set) < MIN_WORD {
        return None;
    }
    Some(minimal(set).into_iter().map(Word::new).collect())
}

/// Whether `text` might match a pattern with these words: always for a text that is not all
/// ASCII, else when it contains one of them ignoring ASCII case.
pub(crate) fn may_match(words: &[Word], text: &str) -> bool {
    !text.is_ascii() || words.iter().any(|w| w.is_in(text.as_bytes()))
}

/// A word looked for, with the byte of it looked for first: the rarest in English text, so
/// `memchr` stops at few places that are not the word ("emergency" is looked for by its `y`,
/// not its common `e`).
#[derive(Debug, Clone)]
pub(crate) struct Word {
    bytes: Box<[u8]>,
    anchor: usize,
}

/// Lower-case letters from the most to the least common in English text; any other byte
/// counts as rarer than all of them.
const LETTERS_BY_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";

impl Word {
    /// A word (lower-case ASCII) as [`of`] gives it or as stored with the shipped rules.
    pub(crate) fn new(bytes: Vec<u8>) -> Word {
        let rarity = |b: u8| {
            LETTERS_BY_FREQUENCY
                .iter()
                .position(|&l| l == b)
                .unwrap_or(LETTERS_BY_FREQUENCY.len())
        };
        // The first of the rarest bytes.
        let anchor = (0..bytes.len())
            .rev()
            .max_by_key(|&i| rarity(bytes[i]))
            .unwrap_or(0);
        Word {
            bytes: bytes.into_boxed_slice(),
            anchor,
        }
    }

    /// The word's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether `hay` contains the word ignoring ASCII case.
    fn is_in(&self, hay: &[u8]) -> bool {
        let (n, k) = (self.bytes.len(), self.anchor);
        let Some(&a) = self.bytes.get(k) else {
            return true;
        };
        // The anchor of a match is at least `k` bytes in and `n - k - 1` from the end.
        let Some(last) = hay.len().checked_sub(n - k) else {
            return false;
        };
        // memchr's portable search: on texts this short it costs less than its dispatching one.
        let anchor = memchr::arch::all::memchr::Two::new(a, a.to_ascii_uppercase());
        let mut from = k;
        while from <= last {
            let Some(at) = anchor.find(&hay[from..=last]) else {
                return false;
            };
            let start = from + at - k;
            if hay[start..start + n].eq_ignore_ascii_case(&self.bytes) {
                return true;
            }
            from += at + 1;
        }
        false
    }
}

/// What a part of a pattern says about the ASCII text it can match (see the module docs).
#[derive(Debug, Default)]
struct Info {
    exact: Option<Vec<Vec<u8>>>,
    required: Option<Vec<Vec<u8>>>,
}

impl Info {
    fn exact(set: Vec<Vec<u8>>) -> Info {
        Info {
            exact: Some(set),
            required: None,
        }
    }
}

fn analyse(hir: &Hir) -> Info {
    match hir.kind() {
        // Zero-width: `\b`, `^`, an empty group.
        HirKind::Empty | HirKind::Look(_) => Info::exact(vec![Vec::new()]),
        HirKind::Literal(lit) if lit.0.is_ascii() => Info::exact(vec![lit.0.to_ascii_lowercase()]),
        // ASCII text never holds a non-ASCII literal; saying nothing is always safe.
        HirKind::Literal(_) => Info::default(),
        HirKind::Class(class) => match ascii_members(class) {
            Some(set) => Info::exact(set),
            None => Info::default(),
        },
        HirKind::Capture(cap) => analyse(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = analyse(&rep.sub);
            match (rep.min, rep.max) {
                (1, Some(1)) => sub,
                // `x?`: what `x` matches, or nothing.
                (0, Some(1)) => match sub.exact {
                    Some(mut set) if set.len() < MAX_SET => {
                        set.push(Vec::new());
                        Info::exact(dedup(set))
                    }
                    _ => Info::default(),
                },
                (0, _) => Info::default(),
                // One or more: every match contains a match of `x`.
                _ => Info {
                    exact: None,
                    required: best([sub.exact, sub.required].into_iter().flatten()),
                },
            }
        }
        HirKind::Concat(parts) => concat(parts),
        HirKind::Alternation(branches) => alternation(branches),
    }
}

/// The lower-cased ASCII characters a class can match, when they are few.
fn ascii_members(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut members: Vec<u8> = Vec::new();
    let mut add = |lo: u32, hi: u32| -> Option<()> {
        for c in lo..=hi.min(0x7f) {
            let b = u8::try_from(c).ok()?.to_ascii_lowercase();
            if !members.contains(&b) {
                members.push(b);
                if members.len() > MAX_CLASS {
                    return None;
                }
            }
        }
        Some(())
    };
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                add(u32::from(r.start()), u32::from(r.end()))?;
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                add(u32::from(r.start()), u32::from(r.end()))?;
            }
        }
    }
    // A class with no ASCII member never matches ASCII text; say nothing rather than reason
    // about a pattern that cannot match.
    if members.is_empty() {
        return None;
    }
    Some(members.into_iter().map(|b| vec![b]).collect())
}

/// A sequence: runs of exact parts multiply out; the best run or part's required set is what
/// every match contains.
fn concat(parts: &[Hir]) -> Info {
    let mut candidates: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut run: Vec<Vec<u8>> = vec![Vec::new()];
    let mut all_exact = true;
    for part in parts {
        let info = analyse(part);
        match info.exact {
            Some(set) => {
                if run.len() * set.len() <= MAX_SET {
                    run = product(&run, &set);
                } else {
                    all_exact = false;
                    candidates.push(std::mem::replace(&mut run, set));
                }
            }
            None => {
                all_exact = false;
                candidates.push(std::mem::replace(&mut run, vec![Vec::new()]));
                candidates.extend(info.required);
            }
        }
    }
    if all_exact {
        return Info::exact(run);
    }
    candidates.push(run);
    Info {
        exact: None,
        required: best(candidates),
    }
}

/// Branches: what one of them matches; every match contains what its branch requires.
fn alternation(branches: &[Hir]) -> Info {
    let infos: Vec<Info> = branches.iter().map(analyse).collect();
    let exact = infos
        .iter()
        .map(|i| i.exact.clone())
        .collect::<Option<Vec<_>>>()
        .map(|sets| dedup(sets.concat()))
        .filter(|set| set.len() <= MAX_SET);
    if exact.is_some() {
        return Info {
            exact,
            required: None,
        };
    }
    let required = infos
        .into_iter()
        .map(|i| best([i.exact, i.required].into_iter().flatten()))
        .collect::<Option<Vec<_>>>()
        .map(|sets| dedup(sets.concat()))
        .filter(|set| set.len() <= MAX_SET);
    Info {
        exact: None,
        required,
    }
}

fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            out.push([x.as_slice(), y.as_slice()].concat());
        }
    }
    dedup(out)
}

fn dedup(mut set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.sort();
    set.dedup();
    set
}

/// How useful a set is to look for: its shortest string's length (a set holding the empty
/// string is found in every text).
fn quality(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// The most useful of several sets every match satisfies: the longest shortest string, then
/// the fewest strings.
fn best(sets: impl IntoIterator<Item = Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    sets.into_iter()
        .filter(|s| !s.is_empty() && s.len() <= MAX_SET)
        .max_by(|a, b| {
            quality(a)
                .cmp(&quality(b))
                .then_with(|| b.len().cmp(&a.len()))
        })
}

/// Drops every string that contains another of the set: a text holding the longer one holds
/// the shorter.
fn minimal(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let keep: Vec<bool> = set
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // The set has no duplicates (see `dedup`), so `t` is shorter than `s`.
            !set.iter()
                .enumerate()
                .any(|(j, t)| j != i && memchr::memmem::find(s, t).is_some())
        })
        .collect();
    set.into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_automata::util::syntax::parse(pattern).unwrap();
        of(&hir).map(|ws| {
            ws.iter()
                .map(|w| String::from_utf8(w.bytes.to_vec()).unwrap())
                .collect()
        })
    }

    #[test]
    fn the_shipped_patterns_words() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            (
                r"(?i)\b(surgery|surgeries|surgical)\b",
                Some(&["surgeries", "surgery", "surgical"]),
            ),
            (
                r"(?i)\b(gp|doctors?['’]?s?)\s+surger(y|ies)\b|\bsurgical\s+(appliances?|footwear|shoes|boots|stockings?|hosiery|dressings?|supplies|equipment)\b",
                Some(&["surgeries", "surgery", "surgical"]),
            ),
            (
                r"(?i)\bradiotherap(y|ies)\b",
                Some(&["radiotherapies", "radiotherapy"]),
            ),
            (
                r"(?i)\b(terminations?\s+of\s+pregnanc(y|ies)|abortions?)\b",
                Some(&["abortion", "termination"]),
            ),
            (
                r"(?i)\bendoscop(y|ies|ic)\b",
                Some(&["endoscopic", "endoscopies", "endoscopy"]),
            ),
            // "class" and "laser" are as long; one word beats two ("laser", "lasers").
            (r"(?i)\bclass\s+(4|iv)\s+lasers?\b", Some(&["class"])),
            (r"(?i)\binvasive\s+treatments?\b", Some(&["treatment"])),
            (r"(?i)\bnon[\s\-‐‑]*invasive\b", Some(&["invasive"])),
            (r"(?i)\bemergency\s+ambulances?\b", Some(&["emergency"])),
            // Too open to say anything useful.
            (r"(?i)\b\w+\b", None),
            (r"(?i)\bx\b", None),
            (r"a|b+c", None),
            (r"", None),
            // Non-ASCII words are never looked for.
            (r"£\d+", None),
        ];
        for (pattern, want) in cases {
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(words(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn a_word_is_found_ignoring_ascii_case_only() {
        let word = |w: &str| Word::new(w.as_bytes().to_vec());
        assert_eq!(word("emergency").anchor, 8, "the y");
        assert_eq!(word("class").anchor, 0, "the c");
        assert_eq!(word("4x").anchor, 0, "a digit is rarer than any letter");
        assert_eq!(word("zz").anchor, 0, "the first of the rarest");
        let cases: &[(&str, &str, bool)] = &[
            ("surgery", "Minor SURGERY in clinics", true),
            ("surgery", "ssurgeryy", true),
            ("surgery", "surgery", true),
            ("surgery", "surger", false),
            ("surgery", "urgery", false),
            ("surgery", "", false),
            ("surgery", "gggggggggg surgery", true),
            ("surgery", "surgerg surgery", true),
            ("emergency", "EmErGeNcY", true),
            ("emergency", "emergenc", false),
            ("emergency", "mergency", false),
            ("emergency", "emergencg", false),
            ("class", "Class 4", true),
            ("class", "cla ss", false),
            ("4x", "a 4X", true),
            ("4x", "4", false),
        ];
        // The same, inside longer texts.
        let pad = ".".repeat(100);
        let long: Vec<(String, String, bool)> = cases
            .iter()
            .flat_map(|&(w, hay, want)| {
                [
                    (w.to_string(), format!("{pad}{hay}"), want),
                    (w.to_string(), format!("{hay}{pad}"), want),
                ]
            })
            .collect();
        let cases: Vec<(&str, &str, bool)> = cases
            .iter()
            .copied()
            .chain(long.iter().map(|(w, h, b)| (w.as_str(), h.as_str(), *b)))
            .collect();
        for (w, hay, want) in cases {
            // By the anchor, and by brute force.
            let brute = hay
                .as_bytes()
                .windows(w.len())
                .any(|x| x.eq_ignore_ascii_case(w.as_bytes()));
            assert_eq!(brute, want, "{w} in {hay:?}");
            assert_eq!(word(w).is_in(hay.as_bytes()), want, "{w} in {hay:?}");
        }
    }

    /// A tiny deterministic generator, so the comparison below needs no crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    #[test]
    fn filtering_never_changes_whether_a_pattern_matches() {
        // Patterns with words, and texts built from pieces of those words, separators and
        // case changes, checked against the regex alone.
        let patterns = [
            r"(?i)\b(surgery|surgeries|surgical)\b",
            r"(?i)\b(gp|doctors?['’]?s?)\s+surger(y|ies)\b|\bsurgical\s+(appliances?|footwear)\b",
            r"(?i)\bclass\s+(4|iv)\s+lasers?\b",
            r"(?i)\bnon[\s\-]*invasive\b",
            r"(?i)\bemergency\s+ambulances?\b",
            r"abc(de|fg)+h",
            r"(x|yz)(abc|abd)q?",
            r"Foo[Bb]ar",
        ];
        let pieces = [
            "surg",
            "ery",
            "eries",
            "ical",
            "gp",
            "doctor",
            "'",
            "s",
            "class",
            "4",
            "iv",
            "laser",
            "non",
            "-",
            "invasive",
            "emergency",
            "ambulance",
            "abc",
            "de",
            "fg",
            "h",
            "x",
            "yz",
            "abd",
            "q",
            "foo",
            "bar",
            "Bar",
            " ",
            "\t",
            "SURGERY",
            "Laser",
            "ſ",
            "é",
        ];
        let mut rng = Lcg(75);
        for pattern in patterns {
            let hir = regex_automata::util::syntax::parse(pattern).unwrap();
            let re = regex_automata::meta::Regex::new(pattern).unwrap();
            let Some(ws) = of(&hir) else {
                panic!("{pattern} should have words");
            };
            for _ in 0..4000 {
                let n = 1 + rng.next(6);
                let text: String = (0..n).map(|_| pieces[rng.next(pieces.len())]).collect();
                if re.is_match(&text) {
                    assert!(may_match(&ws, &text), "{pattern} on {text:?}");
                }
            }
        }
    }
}

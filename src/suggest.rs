//! "Did you mean" suggestions, shared by the loader, the rule validator and the config.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    let mut best: Option<(&'a str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&w, &c.to_ascii_lowercase());
        let dist = strsim::damerau_levenshtein(&w, &c.to_ascii_lowercase());
        // Short words need a small edit distance; longer ones a high similarity.
        let close = dist <= 2.max(w.len() / 4) || score >= 0.88;
        if close && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["exit_strategy", "end", "improvement", "host"];
        assert_eq!(did_you_mean("exit_stratgy", keys), Some("exit_strategy"));
        assert_eq!(did_you_mean("hots", keys), Some("host"));
        assert_eq!(did_you_mean("zzzzzzzz", keys), None);
    }
}

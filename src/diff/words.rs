//! Word-level differences between two pieces of free text, so a solicitor sees which words of
//! an exit strategy or an indemnity clause changed rather than two whole paragraphs.
//!
//! A longest common subsequence over whitespace-separated words. Agreement texts are a few
//! dozen words, so the quadratic table is small; above [`MAX_CELLS`] the texts are shown as
//! one removal and one addition rather than spending unbounded time and memory on hostile
//! input.

/// Largest table (old words × new words) worth filling; beyond it the whole text is replaced.
const MAX_CELLS: usize = 1_000_000;

/// One run of words in a word-level difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WordOp {
    /// Words in both versions.
    Same(String),
    /// Words only in the old version.
    Removed(String),
    /// Words only in the new version.
    Added(String),
}

impl WordOp {
    /// The words of the run, separated by single spaces.
    pub(crate) fn text(&self) -> &str {
        match self {
            WordOp::Same(s) | WordOp::Removed(s) | WordOp::Added(s) => s,
        }
    }
}

/// Whether two texts say the same words (differences in spacing and line breaks are not
/// changes: YAML folds them away and a reader cannot see them).
pub(crate) fn same_words(old: &str, new: &str) -> bool {
    old.split_whitespace().eq(new.split_whitespace())
}

/// Whether two texts differ only in letter case and punctuation, such as a corrected typo in
/// capitals or a full stop added: a change of wording, not of meaning.
pub(crate) fn same_meaningful_words(old: &str, new: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '£' && c != '%')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(old) == words(new)
}

/// The word-level difference from `old` to `new`, as runs of same, removed and added words.
/// Where both a removal and an addition happen at one place, the removal comes first.
pub(crate) fn diff(old: &str, new: &str) -> Vec<WordOp> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let mut ops: Vec<WordOp> = Vec::new();
    let mut push = |op: WordOp| {
        // Merge runs of the same kind so renderers see phrases, not single words.
        match (ops.last_mut(), &op) {
            (Some(WordOp::Same(s)), WordOp::Same(w))
            | (Some(WordOp::Removed(s)), WordOp::Removed(w))
            | (Some(WordOp::Added(s)), WordOp::Added(w)) => {
                s.push(' ');
                s.push_str(w);
            }
            _ => ops.push(op),
        }
    };
    // Common prefix and suffix first: most edits touch a few words of a long text, and this
    // keeps the table to the changed middle.
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    for w in &a[..pre] {
        push(WordOp::Same((*w).to_string()));
    }
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        for w in am {
            push(WordOp::Removed((*w).to_string()));
        }
        for w in bm {
            push(WordOp::Added((*w).to_string()));
        }
    } else {
        // lcs[i][j]: length of the longest common subsequence of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if am[i] == bm[j] {
                    lcs[at(i + 1, j + 1)] + 1
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                push(WordOp::Same(am[i].to_string()));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                push(WordOp::Removed(am[i].to_string()));
                i += 1;
            } else {
                push(WordOp::Added(bm[j].to_string()));
                j += 1;
            }
        }
    }
    for w in &a[a.len() - suf..] {
        push(WordOp::Same((*w).to_string()));
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_word_is_a_removal_then_an_addition() {
        assert_eq!(
            diff("notice of six months", "notice of twelve months"),
            vec![
                WordOp::Same("notice of".into()),
                WordOp::Removed("six".into()),
                WordOp::Added("twelve".into()),
                WordOp::Same("months".into()),
            ]
        );
    }

    #[test]
    fn spacing_is_not_a_change() {
        assert!(same_words("a  b\nc", "a b c"));
        assert_eq!(diff("a  b", "a b"), vec![WordOp::Same("a b".into())]);
    }

    #[test]
    fn case_and_punctuation_only() {
        assert!(same_meaningful_words(
            "Each partner, its own.",
            "each partner its own"
        ));
        assert!(!same_meaningful_words("six months", "seven months"));
    }

    #[test]
    fn huge_texts_fall_back_to_whole_replacement() {
        let a = (0..2000)
            .map(|i| format!("a{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let b = (0..2000)
            .map(|i| format!("b{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let ops = diff(&a, &b);
        assert_eq!(ops.len(), 2);
        assert!(matches!(ops[0], WordOp::Removed(_)));
    }
}

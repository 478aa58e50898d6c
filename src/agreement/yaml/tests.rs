//! What the parser gives for YAML as written: spans of every kind of node, errors and limits.

use super::*;
use crate::position::line_col;

fn text(src: &str, span: Span) -> &str {
    &src[span.start..span.end]
}

fn root(src: &str) -> YamlNode {
    match parse(src) {
        Ok(Some(node)) => node,
        other => panic!("expected a document, got {other:?}"),
    }
}

fn entries(node: &YamlNode) -> &[(YamlNode, YamlNode)] {
    match &node.value {
        YamlValue::Map(entries) => entries,
        other => panic!("expected a mapping, got {other:?}"),
    }
}

fn items(node: &YamlNode) -> &[YamlNode] {
    match &node.value {
        YamlValue::Seq(items) => items,
        other => panic!("expected a sequence, got {other:?}"),
    }
}

fn key_str(node: &YamlNode) -> &str {
    match &node.value {
        YamlValue::Scalar { value, .. } => value,
        other => panic!("expected a scalar key, got {other:?}"),
    }
}

/// The value of the first entry with this key.
fn get<'n>(node: &'n YamlNode, key: &str) -> &'n YamlNode {
    entries(node)
        .iter()
        .find(|(k, _)| key_str(k) == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no key {key}"))
}

fn scalar(node: &YamlNode) -> (&str, bool) {
    match &node.value {
        YamlValue::Scalar { value, plain } => (value, *plain),
        other => panic!("expected a scalar, got {other:?}"),
    }
}

fn err(src: &str) -> YamlError {
    match parse(src) {
        Err(e) => e,
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

#[test]
fn scalar_spans_are_the_text_as_written() {
    let src = "a: \"x y\"\nb: 2025-04-01\nc: 'it''s'   # note\nd: \"q \\\" r\"  # say \"hi\"\ne: plain text  \nf: \"multi\n  line\"  # c\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "a").span), "\"x y\"");
    assert_eq!(scalar(get(&doc, "a")), ("x y", false));
    assert_eq!(text(src, get(&doc, "b").span), "2025-04-01");
    assert_eq!(scalar(get(&doc, "b")), ("2025-04-01", true));
    assert_eq!(text(src, get(&doc, "c").span), "'it''s'");
    assert_eq!(scalar(get(&doc, "c")), ("it's", false));
    assert_eq!(text(src, get(&doc, "d").span), "\"q \\\" r\"");
    assert_eq!(text(src, get(&doc, "e").span), "plain text");
    assert_eq!(text(src, get(&doc, "f").span), "\"multi\n  line\"");
    let (k, _) = &entries(&doc)[1];
    assert_eq!(text(src, k.span), "b");
}

#[test]
fn spans_after_non_ascii_text_are_byte_offsets() {
    let src = "name: \"Zoë £1,200\"  # ünïcode comment\nsum: £3 — net\nlist: [é, \"ü\", {k: ß}]\nlast: |\n  naïve\n  café\n\nend: ok\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "name").span), "\"Zoë £1,200\"");
    assert_eq!(text(src, get(&doc, "sum").span), "£3 — net");
    let list = get(&doc, "list");
    assert_eq!(text(src, list.span), "[é, \"ü\", {k: ß}]");
    assert_eq!(text(src, items(list)[1].span), "\"ü\"");
    assert_eq!(text(src, items(list)[2].span), "{k: ß}");
    assert_eq!(text(src, get(&doc, "last").span), "|\n  naïve\n  café");
    assert_eq!(text(src, get(&doc, "end").span), "ok");
    let (k, _) = &entries(&doc)[4];
    assert_eq!(text(src, k.span), "end");
}

#[test]
fn block_scalar_spans_end_at_their_content() {
    let src = "lit: |\n  hello\n  world\n\n# comment\nfold: >-\n  folded\n   text\n\nkeep: |+ # header comment | x\n\n    kept\n\nempty: | # nothing\nnext: 1\nseq:\n- |\n  item\n- >\n  other\nlast: |\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "lit").span), "|\n  hello\n  world");
    assert_eq!(scalar(get(&doc, "lit")), ("hello\nworld\n", false));
    assert_eq!(text(src, get(&doc, "fold").span), ">-\n  folded\n   text");
    assert_eq!(
        text(src, get(&doc, "keep").span),
        "|+ # header comment | x\n\n    kept"
    );
    assert_eq!(text(src, get(&doc, "empty").span), "|");
    assert_eq!(text(src, get(&doc, "next").span), "1");
    let seq = items(get(&doc, "seq"));
    assert_eq!(text(src, seq[0].span), "|\n  item");
    assert_eq!(text(src, seq[1].span), ">\n  other");
    assert_eq!(text(src, get(&doc, "last").span), "|");
    assert_eq!(
        text(src, get(&doc, "seq").span),
        "- |\n  item\n- >\n  other"
    );

    let crlf = "a: |\r\n  hi\r\n\r\nb: 2\r\n";
    let doc = root(crlf);
    assert_eq!(text(crlf, get(&doc, "a").span), "|\r\n  hi");
    assert_eq!(text(crlf, doc.span), "a: |\r\n  hi\r\n\r\nb: 2");

    let top = "# intro | >\n>\n  whole document\n";
    assert_eq!(text(top, root(top).span), ">\n  whole document");
    let explicit = "--- |\n  text\n";
    assert_eq!(text(explicit, root(explicit).span), "|\n  text");
}

#[test]
fn flow_collection_spans_include_their_brackets() {
    let src = "a: [x, y]\nb: {k: 1, }\nc: [1, [2, 3], ]\nd: {k: [v], m: {n: o},   # c\n  }\ne: []\nf: {}\ng: [p: q]\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "a").span), "[x, y]");
    assert_eq!(text(src, get(&doc, "b").span), "{k: 1, }");
    let c = get(&doc, "c");
    assert_eq!(text(src, c.span), "[1, [2, 3], ]");
    assert_eq!(text(src, items(c)[1].span), "[2, 3]");
    let d = get(&doc, "d");
    assert_eq!(text(src, d.span), "{k: [v], m: {n: o},   # c\n  }");
    assert_eq!(text(src, get(d, "m").span), "{n: o}");
    assert_eq!(text(src, get(&doc, "e").span), "[]");
    assert_eq!(text(src, get(&doc, "f").span), "{}");
    let g = get(&doc, "g");
    assert_eq!(text(src, g.span), "[p: q]");
    assert_eq!(text(src, items(g)[0].span), "p: q");
}

#[test]
fn block_collection_spans_run_from_first_key_to_last_value() {
    let src = "# leading comment\nparties:\n  - name: A  # trailing\n    role: lead\n  - name: B\n\n# between\nterms:\n  start: 2025-04-01\n  end:\nindentless:\n- one\n- two   # c\n\n# tail comment\n";
    let doc = root(src);
    assert!(text(src, doc.span).starts_with("parties:"));
    assert!(text(src, doc.span).ends_with("- two"));
    let parties = get(&doc, "parties");
    assert_eq!(
        text(src, parties.span),
        "- name: A  # trailing\n    role: lead\n  - name: B"
    );
    assert_eq!(
        text(src, items(parties)[0].span),
        "name: A  # trailing\n    role: lead"
    );
    assert_eq!(text(src, items(parties)[1].span), "name: B");
    let terms = get(&doc, "terms");
    assert_eq!(text(src, terms.span), "start: 2025-04-01\n  end:");
    assert_eq!(scalar(get(terms, "end")), ("", true));
    assert_eq!(get(terms, "end").span.len(), 0);
    assert_eq!(text(src, get(&doc, "indentless").span), "- one\n- two");

    let nested = "- - a\n  - b\n- - c\n";
    let doc = root(nested);
    assert_eq!(text(nested, doc.span), "- - a\n  - b\n- - c");
    assert_eq!(text(nested, items(&doc)[0].span), "- a\n  - b");
    assert_eq!(text(nested, items(&doc)[1].span), "- c");

    let commented = "k: # a-b comment\n- x\n";
    let doc = root(commented);
    assert_eq!(text(commented, get(&doc, "k").span), "- x");
}

#[test]
fn properties_are_left_out_of_spans() {
    let src = "a: &x value\nb: !!str 12\nc: &y [1, 2]\nd: &z\n  - i\ne: !custom &w\n  k: v\nf: &q\ng: &r |\n  lit\nh: !<tag:yaml.org,2002:str> \"q\"\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "a").span), "value");
    assert_eq!(text(src, get(&doc, "b").span), "12");
    assert_eq!(text(src, get(&doc, "c").span), "[1, 2]");
    assert_eq!(text(src, get(&doc, "d").span), "- i");
    assert_eq!(text(src, get(&doc, "e").span), "k: v");
    // An empty node has nothing but its properties to point at.
    assert_eq!(text(src, get(&doc, "f").span), "&q");
    assert_eq!(text(src, get(&doc, "g").span), "|\n  lit");
    assert_eq!(text(src, get(&doc, "h").span), "\"q\"");
}

#[test]
fn tags_are_ignored_except_core_scalar_ones() {
    let src = "a: !!str 12\nb: !custom yes\nc: !!int \"7\"\nd: !!map {k: v}\ne: !!binary aGk=\n";
    let doc = root(src);
    assert_eq!(scalar(get(&doc, "a")), ("12", false));
    assert_eq!(scalar(get(&doc, "b")), ("yes", true));
    assert_eq!(scalar(get(&doc, "c")), ("7", true));
    assert_eq!(entries(get(&doc, "d")).len(), 1);
    assert_eq!(scalar(get(&doc, "e")), ("aGk=", true));
}

#[test]
fn aliases_resolve_to_clones_with_the_anchor_spans() {
    let src = "base: &b\n  rate: 5\n  name: \"x\"\ncopy: *b\nlist: [&i item, *i]\n";
    let doc = root(src);
    let base = get(&doc, "base");
    let copy = get(&doc, "copy");
    assert_eq!(copy, base);
    assert_eq!(text(src, copy.span), "rate: 5\n  name: \"x\"");
    let list = get(&doc, "list");
    assert_eq!(items(list)[1], items(list)[0]);
    assert_eq!(text(src, items(list)[1].span), "item");
    assert_eq!(text(src, list.span), "[&i item, *i]");
    // An alias used as the first key must not pull the map's span back to the anchor.
    let src = "a: &k key\nb:\n  *k : v\n  z: 1\n";
    let doc = root(src);
    assert_eq!(text(src, get(&doc, "b").span), "*k : v\n  z: 1");
}

#[test]
fn billion_laughs_is_refused_at_the_node_budget() {
    let mut src = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        src.push_str(&format!("{0}: &{0} [{1}]\n", pair[1], refs));
    }
    let e = err(&src);
    assert_eq!(
        e.message,
        "alias expansion exceeds the limit of 100000 nodes (a \"billion laughs\" document?)"
    );
    assert_eq!(text(&src, e.span), "*e");

    // Below the budget, aliases expand.
    let small = "a: &a [x, y]\nb: [*a, *a, *a]\n";
    let doc = root(small);
    assert_eq!(items(get(&doc, "b")).len(), 3);
}

#[test]
fn an_alias_inside_its_own_anchor_is_an_error() {
    let e = err("- &a [*a]");
    assert!(e.message.contains("contains it"), "{}", e.message);
    assert_eq!(e.span, Span::new(6, 8));
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let ok = format!("{}x{}", "[".repeat(200), "]".repeat(200));
    assert!(parse(&ok).is_ok());

    // Block style goes past saphyr's own flow limit (255).
    let block = |depth: usize| -> String {
        (0..depth)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>()
    };
    assert!(parse(&block(500)).is_ok());
    let src = block(501);
    let e = err(&src);
    assert_eq!(e.message, "nesting deeper than 500 levels");
    // The 501st mapping starts at its first key, `k500`.
    assert_eq!(line_col(&src, e.span.start), (501, 501));

    // An alias can also push a tree past the limit.
    let deep = format!(
        "a: &a {}x{}\nb: {}*a{}\n",
        "[".repeat(250),
        "]".repeat(250),
        "[".repeat(251),
        "]".repeat(251)
    );
    let e = err(&deep);
    assert_eq!(e.message, "nesting deeper than 500 levels");
    assert_eq!(text(&deep, e.span), "*");
}

#[test]
fn very_deep_input_does_not_overflow_the_stack() {
    assert!(parse(&"[".repeat(100_000)).is_err());
    assert!(parse(&"{a: ".repeat(100_000)).is_err());
    let e = err(&format!("{}a\n", "- ".repeat(100_000)));
    assert_eq!(e.message, "nesting deeper than 500 levels");
    let mut block = String::new();
    for i in 0..5_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    assert_eq!(err(&block).message, "nesting deeper than 500 levels");
}

#[test]
fn a_second_document_is_refused() {
    let src = "a: 1\n---\nb: 2\n";
    let e = err(src);
    assert_eq!(
        e.message,
        "this file holds more than one YAML document; an agreement file holds exactly one"
    );
    assert_eq!(text(src, e.span), "---");

    let src = "a: 1\n...\nb: 2\n";
    let e = err(src);
    assert_eq!(e.span.start, 9);

    assert!(parse("a: 1\n---\n").is_err());
    assert!(parse("--- a\n--- b\n").is_err());

    let doc = root("---\na: 1\n...\n");
    assert_eq!(scalar(get(&doc, "a")), ("1", true));
    let doc = root("%YAML 1.2\n--- # c\na: 1\n...\n# bye\n");
    assert_eq!(entries(&doc).len(), 1);
}

#[test]
fn a_stream_without_documents_is_none() {
    assert_eq!(parse(""), Ok(None));
    assert_eq!(parse("# only a comment\n\n   # another\n"), Ok(None));
    assert_eq!(parse("\n\n"), Ok(None));
    // An explicit `---` starts a (null) document.
    assert_eq!(scalar(&root("---\n")), ("", true));
}

#[test]
fn scan_errors_carry_a_clean_message_and_a_position() {
    let src = "a: [1, 2";
    let e = err(src);
    assert!(!e.message.is_empty());
    assert!(!e.message.contains(" line "), "{}", e.message);
    assert!(e.span.len() <= 1);
    assert!(e.span.end <= src.len());

    let src = "name: \"Zoë\"\nbad: \"x\" y\n";
    let e = err(src);
    assert_eq!(
        e.message,
        "invalid trailing content after double-quoted scalar"
    );
    assert_eq!(line_col(src, e.span.start).0, 2);
    assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));

    let src = "é: [1, 2";
    let e = err(src);
    assert!(src.is_char_boundary(e.span.start) && e.span.end <= src.len());

    let e = err("a: *unknown\n");
    assert!(e.message.contains("unknown anchor"), "{}", e.message);
    assert_eq!(e.span, Span::new(3, 4));
}

#[test]
fn duplicate_keys_are_kept() {
    let src = "a: 1\nb: 2\na: 3\n";
    let doc = root(src);
    let keys: Vec<&str> = entries(&doc).iter().map(|(k, _)| key_str(k)).collect();
    assert_eq!(keys, ["a", "b", "a"]);
    let (k, v) = &entries(&doc)[2];
    assert_eq!(text(src, k.span), "a");
    assert_eq!(scalar(v), ("3", true));
    assert_eq!(entries(&root("{x: 1, x: 2}")).len(), 2);
}

#[test]
fn non_scalar_keys_are_passed_through() {
    let src = "? [a, b]\n: v\n{k: 1}: w\n";
    let doc = root(src);
    assert!(matches!(entries(&doc)[0].0.value, YamlValue::Seq(_)));
    assert_eq!(text(src, entries(&doc)[0].0.span), "[a, b]");
    assert!(matches!(entries(&doc)[1].0.value, YamlValue::Map(_)));
    assert_eq!(text(src, entries(&doc)[1].0.span), "{k: 1}");
}

/// Checks that every span in the tree is a valid slice of the source.
fn check_spans(src: &str, node: &YamlNode) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        assert!(n.span.start <= n.span.end && n.span.end <= src.len());
        assert!(src.is_char_boundary(n.span.start) && src.is_char_boundary(n.span.end));
        match &n.value {
            YamlValue::Scalar { .. } => {}
            YamlValue::Seq(items) => todo.extend(items),
            YamlValue::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
}

fn check_no_panic(src: &str) {
    match parse(src) {
        Ok(Some(node)) => check_spans(src, &node),
        Ok(None) => {}
        Err(e) => {
            assert!(e.span.start <= e.span.end && e.span.end <= src.len());
            assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));
        }
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    for src in [
        "\t- a",
        "a: [1, 2",
        "{",
        "}",
        "]",
        "- &a [*a]",
        "a: *unknown",
        "&",
        "!",
        "!<",
        "&a",
        "*",
        "? ",
        ": ",
        "- - -",
        "|",
        ">-",
        "|0\n x",
        "\"",
        "'",
        "\"\\",
        "a: \"é\\",
        "---",
        "...",
        "%YAML 1.2",
        "%TAG",
        "a:\n\t- b",
        "\u{feff}",
        "a: 1\n\u{feff}b: 2",
        "[a: ]",
        "{? }",
        "- !<x> &a\n- *a",
        "é: |\n",
        "é: >",
        "\r",
        "\r\r\n\r",
        "a: |\r",
        "😀: [😀, {😀: 😀,",
    ] {
        check_no_panic(src);
    }
    assert!(parse("a: *unknown").is_err());

    // Pseudo-random bytes, biased towards YAML syntax, decoded lossily.
    let alphabet = b"-:?[]{},&*!|>'\"#% \t\n\r\\abc019.~\xc3\xa9\xff\xe2\x82";
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    for _ in 0..3000 {
        let mut bytes = Vec::new();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (seed >> 33) % 80;
        for _ in 0..len {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            bytes.push(alphabet[((seed >> 33) as usize) % alphabet.len()]);
        }
        check_no_panic(&String::from_utf8_lossy(&bytes));
    }

    // A big document without aliases is never refused for its size: every node is built.
    let big = "a: b\n".repeat(200_000);
    check_no_panic(&big);
    assert_eq!(
        parse_counted(&big).map(|t| t.map(|(_, n)| n)),
        Ok(Some(400_001))
    );
}

#[test]
fn large_non_ascii_documents_keep_exact_spans() {
    // (That the char-to-byte lookups stay linear is counted in `chars`.)
    let src: String = (0..20_000)
        .map(|i| format!("clé{i}: \"Zoë £{i}\"\n"))
        .collect();
    let doc = root(&src);
    let (k, v) = &entries(&doc)[19_999];
    assert_eq!(text(&src, k.span), "clé19999");
    assert_eq!(text(&src, v.span), "\"Zoë £19999\"");
}

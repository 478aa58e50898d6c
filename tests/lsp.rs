//! `s75lint lsp`: a scripted client drives the server in process (`Connection::memory()`, as
//! ruff's server tests do) through initialize, open, change, hover, code action and shutdown,
//! asserting exact ranges and that nothing is left unread; and the real binary is driven over
//! stdio with `Content-Length` frames.

mod common;

use common::{s75lint, stdout, tempdir, TODAY};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Long enough never to be reached by a working server; short enough that a broken one fails
/// the test rather than hanging it.
const WAIT: Duration = Duration::from_secs(30);

/// An agreement with a misspelt key after `£`, accented letters and an emoji on the same line.
const AGREEMENT: &str = "s75lint: 1
id: EXS-TEST
title: Exampleshire test agreement
status: draft
legal_basis: section_75
commencement: 2025-04-01
end: 2026-03-31
partners:
  - {id: exc, name: \"Conseil de Zoë £5 😀\", kynd: local_authority}
  - {id: icb, name: NHS Exampleshire Integrated Care Board, kind: icb}
";

/// The line of `kynd`, and where it starts counted in UTF-16 units and in bytes.
const KYND_LINE: u32 = 8;
const KYND_UTF16: u32 = 44;
const KYND_UTF8: u32 = 48;

struct Client {
    conn: Connection,
    next: i32,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Client {
    /// Starts a server in process and initializes it, offering `encodings`; the result.
    fn start(encodings: Option<&[&str]>) -> (Client, Value) {
        std::env::set_var("S75LINT_TODAY", TODAY);
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || {
            s75lint::language_server::serve(server).map_err(|e| e.to_string())
        });
        let mut c = Client {
            conn,
            next: 0,
            server: Some(handle),
        };
        let caps = match encodings {
            Some(e) => json!({"general": {"positionEncodings": e}}),
            None => json!({}),
        };
        let result = c.request("initialize", json!({"capabilities": caps}));
        c.notify("initialized", json!({}));
        (c, result)
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(WAIT)
            .expect("a message from the server")
    }

    /// Sends a request and returns its result (the next message must be its response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(req.into()).expect("send");
        match self.recv() {
            Message::Response(r) => {
                assert_eq!(r.id, id);
                assert!(r.error.is_none(), "{:?}", r.error);
                r.result.unwrap_or(Value::Null)
            }
            other => panic!("expected the response to {method}, got {other:?}"),
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).expect("send");
    }

    /// The next message, which must be a notification of `method`; its parameters.
    fn expect(&self, method: &str) -> Value {
        match self.recv() {
            Message::Notification(n) if n.method == method => n.params,
            other => panic!("expected {method}, got {other:?}"),
        }
    }

    /// The next message, which must publish diagnostics; the diagnostics.
    fn diagnostics(&self) -> Vec<Value> {
        let p = self.expect("textDocument/publishDiagnostics");
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    /// Shuts the server down and checks it ended cleanly with nothing left unread.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let handle = self.server.take().expect("a server");
        assert_eq!(handle.join().expect("server thread"), Ok(()));
        assert!(
            self.conn.receiver.try_recv().is_err(),
            "a message was left unread"
        );
    }
}

fn uri_of(path: &Path) -> String {
    s75lint::language_server::uri_of(path)
        .expect("a file uri")
        .as_str()
        .to_string()
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

/// What `check --format json` finds in `file`: (rule, severity, message, 0-based line,
/// byte offset, byte length), in its order.
fn check_json(file: &Path) -> Vec<(String, String, String, u64, u64, u64)> {
    let dir = file.parent().expect("a folder");
    let name = file.file_name().and_then(|n| n.to_str()).expect("a name");
    let out = s75lint(&["check", "--format", "json", "--today", TODAY, name], dir);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json output");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0) - 1,
                f["offset"].as_u64().unwrap_or(0),
                f["length"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The byte offset of an LSP position counted in UTF-16 code units (worked out here, not by
/// the server's own code, so the test checks it).
fn byte_at(text: &str, p: lsp_types::Position) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(p.line as usize)
        .map(str::len)
        .sum();
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= p.character || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The diagnostics as the same tuples, byte offsets worked back from their ranges.
fn as_found(text: &str, diags: &[Value]) -> Vec<(String, String, String, u64, u64, u64)> {
    diags
        .iter()
        .map(|d| {
            let r: lsp_types::Range = serde_json::from_value(d["range"].clone()).expect("range");
            let span = byte_at(text, r.start)..byte_at(text, r.end);
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "info",
                _ => "hint",
            };
            let message = d["message"].as_str().unwrap_or("");
            (
                d["code"].as_str().unwrap_or("").to_string(),
                severity.to_string(),
                message.split("\ncite: ").next().unwrap_or("").to_string(),
                u64::from(r.start.line),
                span.start as u64,
                span.len() as u64,
            )
        })
        .collect()
}

#[test]
fn open_change_hover_code_action_shutdown_in_utf16() {
    let dir = tempdir();
    let file = dir.join("exs.yaml");
    std::fs::write(&file, AGREEMENT).expect("write");
    let uri = uri_of(&file);
    let (mut c, init) = Client::start(None);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);

    // Open: exactly the findings `check` gives for the file.
    c.open(&uri, AGREEMENT);
    let diags = c.diagnostics();
    assert_eq!(as_found(AGREEMENT, &diags), check_json(&file));
    let typo = diags
        .iter()
        .find(|d| d["code"] == "FMT-UNKNOWN-KEY")
        .expect("the misspelt key");
    assert_eq!(
        typo["range"],
        range(KYND_LINE, KYND_UTF16, KYND_LINE, KYND_UTF16 + 4)
    );
    assert_eq!(typo["severity"], 2);
    assert_eq!(typo["source"], "s75lint");
    assert_eq!(typo["message"], "unknown key `kynd`; did you mean `kind`?");
    assert!(diags.iter().all(|d| d["source"] == "s75lint"));

    // Hover on the finding: the rule as `explain` gives it.
    let at = json!({"line": KYND_LINE, "character": KYND_UTF16 + 2});
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        text.starts_with("**FMT-UNKNOWN-KEY** (warning): unknown key `kynd`"),
        "{text}"
    );
    assert!(text.contains("**Why.** A misspelt key"), "{text}");
    assert!(
        text.contains("**Cites:** s75lint agreement format, version 1"),
        "{text}"
    );
    assert_eq!(
        hover["range"],
        range(KYND_LINE, KYND_UTF16, KYND_LINE, KYND_UTF16 + 4)
    );

    // Code action: rename the key to the suggestion.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at},
               "context": {"diagnostics": []}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    // (The first partner is also where S75-SIGNED is reported: the agreement is a draft; and,
    // its `kind` being absent, S75-PARTIES finds no council among the partners.)
    assert_eq!(
        titles,
        [
            "Rename `kynd` to `kind`",
            "Add a waiver of S75-PARTIES",
            "Add a waiver of S75-SIGNED"
        ]
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(
        edit["range"],
        range(KYND_LINE, KYND_UTF16, KYND_LINE, KYND_UTF16 + 4)
    );
    assert_eq!(edit["newText"], "kind");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["diagnostics"][0]["code"], "FMT-UNKNOWN-KEY");

    // Change: apply it as the editor would; the finding goes, the rest stay as `check` says.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": edit["range"], "text": "kind"}]}),
    );
    let fixed = AGREEMENT.replace("kynd", "kind");
    std::fs::write(&file, &fixed).expect("write");
    let after = c.diagnostics();
    assert!(after.iter().all(|d| d["code"] != "FMT-UNKNOWN-KEY"));
    assert_eq!(as_found(&fixed, &after), check_json(&file));

    // Hover on a key: the field's description.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        text.starts_with("**title** (`title`)\n\nThe title of the agreement"),
        "{text}"
    );
    assert_eq!(hover["range"], range(2, 0, 2, 5));
    c.shutdown();
}

#[test]
fn positions_are_bytes_when_the_client_offers_utf8() {
    let dir = tempdir();
    let file = dir.join("exs.yaml");
    std::fs::write(&file, AGREEMENT).expect("write");
    let uri = uri_of(&file);
    let (c, init) = Client::start(Some(&["utf-16", "utf-8"]));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    c.open(&uri, AGREEMENT);
    let diags = c.diagnostics();
    let typo = diags
        .iter()
        .find(|d| d["code"] == "FMT-UNKNOWN-KEY")
        .expect("the misspelt key");
    assert_eq!(
        typo["range"],
        range(KYND_LINE, KYND_UTF8, KYND_LINE, KYND_UTF8 + 4)
    );
    // An edit in bytes, just after the emoji, lands there.
    let emoji_end = KYND_UTF8 - 8;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": range(KYND_LINE, emoji_end, KYND_LINE, emoji_end), "text": "é"}]}),
    );
    let diags = c.diagnostics();
    let typo = diags
        .iter()
        .find(|d| d["code"] == "FMT-UNKNOWN-KEY")
        .expect("the misspelt key");
    assert_eq!(
        typo["range"],
        range(KYND_LINE, KYND_UTF8 + 2, KYND_LINE, KYND_UTF8 + 6)
    );
    c.shutdown();
}

#[test]
fn files_that_are_not_agreements_get_no_diagnostics() {
    let dir = tempdir();
    let (c, _) = Client::start(None);
    let uri = uri_of(&dir.join("ci.yaml"));
    c.open(&uri, "partners: [a, b]\nsteps: [build]\n");
    assert_eq!(c.diagnostics(), Vec::<Value>::new());
    // Broken YAML without the marker is someone else's broken file.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": "steps: [build\n"}]}),
    );
    assert_eq!(c.diagnostics(), Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn configuration_disabled_rules_severities_and_local_rules_apply() {
    let dir = tempdir();
    std::fs::write(
        dir.join(".s75lint.yaml"),
        "rules: [local.rules]\ndisable: [S75-DURATION]\nseverity: {FMT-UNKNOWN-KEY: error}\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("local.rules"),
        "rule LOCAL-TITLE \"The title names Exampleshire\"\n  severity info\n  cite \"Local policy\"\n  require title matches \"Exampleshire\"\n    otherwise \"the title does not name Exampleshire\"\n    at title\nend\n",
    )
    .expect("write");
    let file = dir.join("exs.yaml");
    let text = AGREEMENT.replace("Exampleshire test", "Test");
    std::fs::write(&file, &text).expect("write");
    let uri = uri_of(&file);
    let (c, _) = Client::start(None);
    c.open(&uri, &text);
    let diags = c.diagnostics();
    let expected = check_json(&file);
    assert!(
        expected.iter().any(|f| f.0 == "LOCAL-TITLE"),
        "{expected:?}"
    );
    assert_eq!(as_found(&text, &diags), expected);
    let typo = diags
        .iter()
        .find(|d| d["code"] == "FMT-UNKNOWN-KEY")
        .expect("typo");
    assert_eq!(typo["severity"], 1);
    c.shutdown();
}

#[test]
fn a_broken_configuration_is_shown_once_and_nothing_crashes() {
    let dir = tempdir();
    std::fs::write(dir.join(".s75lint.yaml"), "disable: [S75-HOTS]\n").expect("write");
    let (c, _) = Client::start(None);
    let first = uri_of(&dir.join("a.yaml"));
    c.open(&first, AGREEMENT);
    let shown = c.expect("window/showMessage");
    assert_eq!(shown["type"], 1);
    let message = shown["message"].as_str().unwrap_or("");
    assert!(message.contains("there is no rule `S75-HOTS`"), "{message}");
    let diags = c.diagnostics();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["code"], "config");
    assert_eq!(diags[0]["range"], range(0, 0, 0, 0));
    let config_uri = uri_of(&dir.join(".s75lint.yaml"));
    assert_eq!(
        diags[0]["relatedInformation"][0]["location"]["uri"],
        config_uri.as_str()
    );
    assert_eq!(
        diags[0]["relatedInformation"][0]["location"]["range"],
        range(0, 10, 0, 18)
    );
    // A second agreement: the diagnostic, but not the message again.
    c.open(&uri_of(&dir.join("b.yaml")), AGREEMENT);
    assert_eq!(c.diagnostics().len(), 1);
    // Fixed and saved: checked again.
    std::fs::write(dir.join(".s75lint.yaml"), "disable: [S75-HOST]\n").expect("write");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config_uri}}),
    );
    for _ in 0..2 {
        let d = c.diagnostics();
        assert!(d.iter().all(|d| d["code"] != "config"), "{d:?}");
    }
    c.shutdown();
}

#[test]
fn quick_fixes_add_a_waiver_and_a_missing_block_with_placeholders() {
    let text = "s75lint: 1
pools:
  - id: BCF
    name: Exampleshire pooled fund
schemes:
  - id: ICES
    pool: BCF
waivers:
  - rule: AC-VAT
    reason: VAT is handled in the host's accounts
    approved_by: Head of Finance
";
    let dir = tempdir();
    let file = dir.join("w.yaml");
    std::fs::write(&file, text).expect("write");
    let uri = uri_of(&file);
    let (mut c, _) = Client::start(None);
    c.open(&uri, text);
    let diags = c.diagnostics();
    let host = diags
        .iter()
        .find(|d| d["code"] == "S75-HOST")
        .expect("S75-HOST");
    assert_eq!(host["range"], range(2, 4, 3, 34));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(2, 4, 2, 4),
               "context": {"diagnostics": [host]}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    let find = |title: &str| {
        actions
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no `{title}` in {actions:?}"))
            .clone()
    };
    let skeleton = find("Add `host` with placeholders to fill in");
    let edit = &skeleton["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"], range(4, 0, 4, 0));
    assert_eq!(
        edit["newText"],
        "    host: \"[insert the id of a partner declared under `partners`]\"\n"
    );
    let waiver = find("Add a waiver of S75-HOST for pool BCF");
    let edit = &waiver["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"], range(11, 0, 11, 0));
    assert_eq!(
        edit["newText"],
        "  - rule: S75-HOST\n    pool: BCF\n    reason: \"[insert why this departure is accepted]\"\n    approved_by: \"[insert who approved it, and their role]\"\n    expires: \"[insert the date it lapses, YYYY-MM-DD]\"\n"
    );
    // Applied, the waiver is itself flagged until its placeholders are filled in.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let after = c.diagnostics();
    let host = after
        .iter()
        .find(|d| d["code"] == "S75-HOST")
        .expect("still there");
    assert_eq!(host["severity"], 1, "an unfinished waiver waives nothing");
    assert!(
        after.iter().any(|d| d["code"] == "WAIVER-INVALID"),
        "{after:?}"
    );
    c.shutdown();
}

/// Writes one `Content-Length` frame.
fn frame(w: &mut impl Write, v: &Value) {
    let body = v.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write frame");
    w.flush().expect("flush");
}

/// Reads one `Content-Length` frame.
fn read_frame(r: &mut impl BufRead) -> Value {
    let mut len = None;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).expect("read header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            len = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len.expect("a Content-Length header")];
    r.read_exact(&mut body).expect("read body");
    serde_json::from_slice(&body).expect("json body")
}

#[test]
fn the_binary_serves_over_stdio() {
    let dir = tempdir();
    let file = dir.join("exs.yaml");
    std::fs::write(&file, AGREEMENT).expect("write");
    let uri = uri_of(&file);
    let mut child = Command::new(env!("CARGO_BIN_EXE_s75lint"))
        .arg("lsp")
        .env("S75LINT_TODAY", TODAY)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start s75lint lsp");
    let mut input = child.stdin.take().expect("stdin");
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    let init = read_frame(&mut output);
    assert_eq!(init["id"], 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "s75lint");
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "yaml", "version": 1, "text": AGREEMENT}}}),
    );
    let published = read_frame(&mut output);
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 1);
    let diags = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(as_found(AGREEMENT, &diags), check_json(&file));
    frame(
        &mut input,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    assert_eq!(
        read_frame(&mut output),
        json!({"jsonrpc": "2.0", "id": 2, "result": null})
    );
    frame(&mut input, &json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(input);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let mut rest = Vec::new();
    output.read_to_end(&mut rest).expect("read the rest");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}

//! The language server's response to an edit: `didChange` in, `publishDiagnostics` out, on a
//! 10 KB agreement, in process (`Connection::memory()`: the protocol's JSON both ways, without
//! a pipe). The goal is under 10 ms. `cargo bench --bench lsp`.

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

/// The allocator the `s75lint` binary uses (src/main.rs), so these figures are the binary's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The Better Care Fund example, with copies of its first scheme (renamed) until it is 10 KB.
fn agreement() -> String {
    let base = include_str!("../fixtures/valid/bcf-pooled-fund.yaml");
    let schemes = base.find("\nschemes:\n").expect("schemes") + "\nschemes:\n".len();
    let first = base[schemes..].find("  - id: ").expect("a scheme") + schemes;
    let next = base[first + 1..]
        .find("\n  - id: ")
        .expect("a second scheme")
        + first
        + 2;
    let scheme = &base[first..next];
    let id = scheme["  - id: ".len()..]
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let mut text = base.to_string();
    let mut n = 0;
    while text.len() < 10 * 1024 {
        n += 1;
        let copy = scheme.replacen(&id, &format!("COPY{n}"), 1);
        text.insert_str(first, &copy);
    }
    text
}

fn change_to_diagnostics(c: &mut Criterion) {
    std::env::set_var("S75LINT_TODAY", "2025-11-01");
    let dir = std::env::temp_dir().join(format!("s75lint-bench-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let uri = s75lint::language_server::uri_of(&dir.join("bcf.yaml")).expect("a uri");
    let text = agreement();
    // Two versions of the text, one character apart, sent in turn.
    let texts = [text.clone(), text.replacen("quarterly", "quarterlY", 1)];

    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || {
        s75lint::language_server::serve(server).map_err(|e| e.to_string())
    });
    let send = |m: Message| client.sender.send(m).expect("send");
    let recv = || client.receiver.recv().expect("a message");
    send(
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    let _ = recv();
    send(Notification::new("initialized".into(), json!({})).into());
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({"textDocument":
        {"uri": uri, "languageId": "yaml", "version": 1, "text": texts[0]}}),
        )
        .into(),
    );
    let _ = recv();

    let mut version = 1;
    let mut g = c.benchmark_group("lsp");
    g.bench_function(format!("change_to_diagnostics_{}_bytes", text.len()), |b| {
        b.iter(|| {
            version += 1;
            let text = &texts[version as usize % 2];
            send(
                Notification::new(
                    "textDocument/didChange".into(),
                    json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]}),
                )
                .into(),
            );
            match recv() {
                Message::Notification(n) => assert_eq!(n.method, "textDocument/publishDiagnostics"),
                other => panic!("{other:?}"),
            }
        })
    });
    g.finish();
    send(Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into());
    let _ = recv();
    send(Notification::new("exit".into(), json!(null)).into());
    let _ = handle.join();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = change_to_diagnostics
}
criterion_main!(benches);

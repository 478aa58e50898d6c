//! `s75lint lsp`: a language server on standard input and output, so an editor shows the same
//! findings as `check` while an agreement is drafted, with hovers and quick fixes.
//!
//! Synchronous (`lsp-server`, as rust-analyzer and ruff use): checking an agreement takes a few
//! milliseconds, so each change is checked as it arrives. Here: the loop and the dispatch of
//! messages. Beside it: `documents` (open texts), `diagnostics` (findings as diagnostics),
//! `hover`, `actions` (quick fixes) and `encoding` (positions as the editor counts them).

pub(crate) mod actions;
pub(crate) mod diagnostics;
pub(crate) mod documents;
pub(crate) mod encoding;
pub(crate) mod hover;

use crate::agreement::values::Date;
use crate::check::Options;
use crate::config::Config;
use crate::ruleset::RuleSet;
use crate::setup::SetupError;
use documents::Documents;
use encoding::{Encoding, LineMap};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MarkupContent, MarkupKind,
    MessageType, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An error that ends the server (the connection broke, or the client broke the protocol).
pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on standard input and output until the editor shuts it down; the exit code.
pub(crate) fn run() -> i32 {
    let (conn, io) = Connection::stdio();
    let served = serve(conn);
    let joined = io.join();
    match (served, joined) {
        (Ok(()), Ok(())) => crate::exit::EXIT_CLEAN,
        (Err(e), _) => {
            eprintln!("error: s75lint lsp: {e}");
            crate::exit::EXIT_TOOL
        }
        (_, Err(e)) => {
            eprintln!("error: s75lint lsp: {e}");
            crate::exit::EXIT_TOOL
        }
    }
}

/// Serves one client over `conn`: the handshake, then messages until `shutdown` and `exit`.
pub fn serve(conn: Connection) -> Result<(), Error> {
    let (id, params) = conn.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let enc = Encoding::negotiate(offered);
    let result = InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(ServerInfo {
            name: "s75lint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    conn.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server::new(enc);
    for msg in &conn.receiver {
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req)? {
                    return Ok(());
                }
                conn.sender.send(server.request(req).into())?;
            }
            Message::Notification(n) => {
                for out in server.notification(n) {
                    conn.sender.send(out)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// What the server offers: incremental sync, hovers, quick fixes.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The rules and settings an agreement is checked with, loaded once per configuration file.
struct Setup {
    rules: RuleSet,
    opts: Options,
    /// Every id a waiver may name.
    waivable: Vec<String>,
    /// The hover text of every field, by path.
    fields: BTreeMap<String, String>,
}

impl Setup {
    /// The rules and settings of a loaded configuration, as `check` makes them: switched-off
    /// rules dropped, severity overrides applied; `today` from `S75LINT_TODAY` as for `check`.
    fn new(cfg: Config, mut rules: RuleSet) -> Setup {
        let opts = Options::from_config(cfg, today(), &mut rules);
        let waivable = rules
            .rules
            .iter()
            .map(|r| r.id.clone())
            .chain(crate::builtin_rules::waivable_ids().map(str::to_string))
            .collect();
        let fields = crate::schema_json::hovers(&rules);
        Setup {
            rules,
            opts,
            waivable,
            fields,
        }
    }
}

/// Today, or the date in `S75LINT_TODAY` (as `check` reads it), for reproducible findings.
fn today() -> Date {
    std::env::var("S75LINT_TODAY")
        .ok()
        .and_then(|s| Date::parse_iso(s.trim()))
        .unwrap_or_else(Date::today_utc)
}

/// Why a configuration could not be used: the summary shown on each agreement, the errors.
type Failure = (String, Vec<crate::lang::RuleError>);

/// The server's state.
struct Server {
    enc: Encoding,
    docs: Documents,
    /// Setups by configuration file (None: no configuration found), loaded on first use and
    /// dropped whenever a file is saved, as it may be the configuration or a rule file.
    setups: HashMap<Option<PathBuf>, Result<Arc<Setup>, Arc<Failure>>>,
    /// Setup failures already shown to the user in a message, so each is shown once.
    shown: HashSet<String>,
    /// Messages to send besides the reply (notifications).
    outbox: Vec<Message>,
}

impl Server {
    fn new(enc: Encoding) -> Server {
        Server {
            enc,
            docs: Documents::default(),
            setups: HashMap::new(),
            shown: HashSet::new(),
            outbox: Vec::new(),
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            HoverRequest::METHOD => parse::<HoverParams>(req.params)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            CodeActionRequest::METHOD => parse::<CodeActionParams>(req.params)
                .map(|p| serde_json::to_value(self.code_actions(&p)).unwrap_or_default()),
            other => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("s75lint does not handle {other}"),
                )
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
        }
    }

    /// Handles a notification; returns the messages to send (diagnostics, messages).
    fn notification(&mut self, n: Notification) -> Vec<Message> {
        let uri = match n.method.as_str() {
            DidOpenTextDocument::METHOD => parse::<lsp_types::DidOpenTextDocumentParams>(n.params)
                .ok()
                .map(|p| {
                    let d = p.text_document;
                    self.docs.open(d.uri.clone(), d.text, d.version);
                    vec![d.uri]
                }),
            DidChangeTextDocument::METHOD => {
                parse::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    .ok()
                    .map(|p| {
                        let d = p.text_document;
                        self.docs
                            .change(&d.uri, d.version, p.content_changes, self.enc);
                        vec![d.uri]
                    })
            }
            DidSaveTextDocument::METHOD => {
                // A saved configuration or rule file changes how every agreement is checked.
                self.setups.clear();
                parse::<lsp_types::DidSaveTextDocumentParams>(n.params)
                    .ok()
                    .map(|_| self.docs.uris())
            }
            DidCloseTextDocument::METHOD => {
                parse::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    .ok()
                    .map(|p| {
                        let uri = p.text_document.uri;
                        self.docs.close(&uri);
                        self.outbox.push(publish(uri, Vec::new(), None));
                        Vec::new()
                    })
            }
            _ => None,
        };
        for uri in uri.unwrap_or_default() {
            self.check(&uri);
        }
        std::mem::take(&mut self.outbox)
    }

    /// The setup for a document at `path`: the configuration is looked for from its folder (or,
    /// for a document that is not a file yet, from the folder the server was started in).
    fn setup_for(&mut self, path: Option<&Path>) -> Result<Arc<Setup>, Arc<Failure>> {
        let dir = path.and_then(Path::parent).filter(|d| d.is_dir());
        let start = dir.unwrap_or(Path::new("."));
        let cfg_path = crate::config::discover(start);
        if let Some(s) = self.setups.get(&cfg_path) {
            return s.clone();
        }
        let loaded = match crate::setup::setup(cfg_path.as_deref(), &[], start) {
            Ok((cfg, rules)) => Ok(Arc::new(Setup::new(cfg, rules))),
            Err(SetupError::Errors(errors, what)) => {
                let detail: Vec<String> = errors.iter().map(one_line).collect();
                let summary = format!(
                    "s75lint could not load {what}, so this agreement was not checked:\n{}",
                    detail.join("\n")
                );
                Err(Arc::new((summary, errors)))
            }
            Err(SetupError::Unreadable(why)) => Err(Arc::new((
                format!(
                    "s75lint could not load its rules, so this agreement was not checked: {why}"
                ),
                Vec::new(),
            ))),
        };
        self.setups.insert(cfg_path, loaded.clone());
        loaded
    }

    /// Checks an open document and queues its diagnostics.
    fn check(&mut self, uri: &Uri) {
        let Some(path) = self.docs.get(uri).map(|d| d.path.clone()) else {
            return;
        };
        let setup = self.setup_for(path.as_deref());
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let version = Some(doc.version);
        let name = path
            .as_ref()
            .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
        let setup = match setup {
            Ok(s) => s,
            Err(failure) => {
                // Only an agreement is told its settings are broken.
                let diags = if crate::files::looks_like_agreement(&doc.text) {
                    vec![diagnostics::of_setup_failure(&failure.0, &failure.1, enc)]
                } else {
                    Vec::new()
                };
                doc.report = None;
                if self.shown.insert(failure.0.clone()) {
                    self.outbox.push(Message::Notification(Notification::new(
                        ShowMessage::METHOD.into(),
                        ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: failure.0.clone(),
                        },
                    )));
                }
                self.outbox.push(publish(uri.clone(), diags, version));
                return;
            }
        };
        let excluded = path
            .as_deref()
            .is_some_and(|p| setup.opts.config.as_ref().is_some_and(|c| c.excludes(p)));
        let report = (!excluded).then(|| {
            crate::check::check_document(&name, doc.text.clone(), &setup.rules, &setup.opts)
        });
        let report = report.filter(|r| r.checked);
        let diags = match &report {
            Some(r) => {
                let map = LineMap::new(&doc.text, enc);
                r.findings
                    .iter()
                    .map(|f| diagnostics::of_finding(f, uri, &map))
                    .collect()
            }
            None => Vec::new(),
        };
        doc.report = report;
        self.outbox.push(publish(uri.clone(), diags, version));
    }

    fn hover(&mut self, p: &HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        let path = self.docs.get(uri)?.path.clone();
        let setup = self.setup_for(path.as_deref()).ok()?;
        let doc = self.docs.get(uri)?;
        let report = doc.report.as_ref()?;
        let map = LineMap::new(&doc.text, self.enc);
        let at = map.offset(p.text_document_position_params.position);
        let hits = hover::findings_at(&report.findings, &doc.text, at);
        let (text, span) = if let Some(first) = hits.first() {
            let docs = crate::docs::all(&setup.rules);
            (hover::of_findings(&hits, &docs), first.span)
        } else {
            hover::of_key(&doc.text, at, &setup.fields)?
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(map.range(span)),
        })
    }

    fn code_actions(&mut self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(path) = self.docs.get(uri).map(|d| d.path.clone()) else {
            return Vec::new();
        };
        let Ok(setup) = self.setup_for(path.as_deref()) else {
            return Vec::new();
        };
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let Some(report) = &doc.report else {
            return Vec::new();
        };
        let map = LineMap::new(&doc.text, self.enc);
        let waivable: Vec<&str> = setup.waivable.iter().map(String::as_str).collect();
        let cx = actions::Ctx {
            uri,
            src: &doc.text,
            map: &map,
            waivable: &waivable,
        };
        actions::for_range(&cx, &report.findings, map.span(p.range))
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }
}

/// A mistake in a configuration or rule file on one line: `file:line:column: message (help)`.
fn one_line(e: &crate::lang::RuleError) -> String {
    let (line, column) = e.source.as_ref().map_or((1, 1), |s| {
        crate::position::line_col(s.inner(), e.span.start)
    });
    let help = e
        .help
        .as_ref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!("{}:{line}:{column}: {}{help}", e.file_name(), e.message)
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}

fn publish(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.into(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    ))
}

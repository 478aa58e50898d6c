// Drives the real YAML language server over stdio, as an editor would, on an agreement whose
// first line is `s75lint init`'s modeline with the schema written beside it by
// `s75lint schema --write .s75lint`. Asserts that a misspelt key is flagged, that hover on `host`
// shows the field's description, and that completion inside a pool offers `pool_manager`.
//
// Usage: node tests/yaml_ls/run.mjs SERVER AGREEMENT
//   SERVER    target/yaml-ls/node_modules/yaml-language-server/bin/yaml-language-server
//   AGREEMENT an agreement carrying the modeline, with a misspelt `exit_stratgy` key
// Run by tests/schema.rs; exits non-zero with a message on the first failed check.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const [server, agreement] = process.argv.slice(2);
if (!server || !agreement) {
  console.error("usage: node run.mjs SERVER AGREEMENT");
  process.exit(2);
}

const child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
// A safety net only: a server that never answers must not hang the test suite.
const guard = setTimeout(() => fail("no answer from the YAML language server within 60 s"), 60_000);

function fail(message) {
  console.error(`FAIL: ${message}`);
  child.kill();
  process.exit(1);
}

// ---- JSON-RPC over stdio with Content-Length frames
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const listeners = [];
const settings = {
  yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } },
};

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function notify(method, params) {
  send({ method, params });
}
/** Resolves with the first notification `method` whose params satisfy `test`. */
function waitFor(method, test) {
  return new Promise((resolve) => listeners.push({ method, test, resolve }));
}

function onMessage(m) {
  if (m.id !== undefined && m.method === undefined) {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(new Error(`${m.error.code}: ${m.error.message}`));
    else p?.resolve(m.result);
    return;
  }
  if (m.id !== undefined) {
    // A request from the server: settings by section, anything else acknowledged.
    let result = null;
    if (m.method === "workspace/configuration") {
      result = m.params.items.map((i) => settings[i.section] ?? null);
    }
    send({ id: m.id, result });
    return;
  }
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    if (l.method === m.method && l.test(m.params)) {
      listeners.splice(i, 1);
      l.resolve(m.params);
      i--;
    }
  }
}

child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const header = buffer.subarray(0, end).toString("ascii");
    const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    buffer = buffer.subarray(end + 4 + length);
    onMessage(JSON.parse(body));
  }
});
child.on("exit", (code) => {
  if (!done) fail(`the server exited early (code ${code})`);
});
let done = false;

// ---- the session
const text = readFileSync(agreement, "utf8");
const uri = pathToFileURL(agreement).href;
const lines = text.split("\n");
const lineOf = (re) => lines.findIndex((l) => re.test(l));

await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(dirname(agreement)).href,
  capabilities: {
    textDocument: {
      hover: { contentFormat: ["markdown", "plaintext"] },
      completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown"] } },
      publishDiagnostics: {},
    },
    workspace: { configuration: true },
  },
});
notify("initialized", {});
notify("workspace/didChangeConfiguration", { settings });

// 1. The misspelt key is flagged.
const typo = lineOf(/^exit_stratgy:/);
if (typo < 0) fail("the agreement has no `exit_stratgy:` line");
const flagged = waitFor(
  "textDocument/publishDiagnostics",
  (p) => p.uri === uri && p.diagnostics.some((d) => d.range.start.line === typo),
);
notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
const published = (await flagged).diagnostics;
// Everything else in the agreement is valid: the editor's regex engine reads the schema's
// money, date and percent patterns as the tests' Rust engine does.
const elsewhere = published.filter((d) => d.range.start.line !== typo);
if (elsewhere.length > 0) fail(`unexpected diagnostics: ${JSON.stringify(elsewhere)}`);
const diagnostics = published.filter((d) => d.range.start.line === typo);
if (!diagnostics.some((d) => /exit_stratgy/.test(d.message) && /not allowed/.test(d.message))) {
  fail(`the misspelt key is not flagged as not allowed: ${JSON.stringify(diagnostics)}`);
}
console.log(`misspelt key flagged at line ${typo + 1}: ${diagnostics[0].message}`);

// 2. Hover on a pool's `host` shows the field's description.
const host = lineOf(/^ {4}host: /);
if (host < 0) fail("the agreement has no pool `host:` line");
const hover = await request("textDocument/hover", {
  textDocument: { uri },
  position: { line: host, character: 6 },
});
const shown = JSON.stringify(hover?.contents ?? "");
if (!shown.includes("The partner responsible for the pool's accounts and audit")) {
  fail(`hover on host does not show its description: ${shown}`);
}
if (!shown.includes("S75-HOST")) fail(`hover on host does not name S75-HOST: ${shown}`);
console.log(`hover on host (line ${host + 1}) shows its description and S75-HOST`);

// 3. Completion inside a pool offers `pool_manager`. A second, unsaved document beside the
// first, so the modeline resolves to the same schema.
const draftUri = pathToFileURL(join(dirname(agreement), "draft.yaml")).href;
const draft = `${lines[0]}\ns75lint: 1\npools:\n  - id: P\n    \n`;
notify("textDocument/didOpen", {
  textDocument: { uri: draftUri, languageId: "yaml", version: 1, text: draft },
});
const completion = await request("textDocument/completion", {
  textDocument: { uri: draftUri },
  position: { line: 4, character: 4 },
});
const labels = (Array.isArray(completion) ? completion : completion?.items ?? []).map((i) => i.label);
if (!labels.includes("pool_manager")) fail(`completion in a pool does not offer pool_manager: ${labels}`);
console.log(`completion in a pool offers: ${labels.join(", ")}`);

await request("shutdown", null);
done = true;
notify("exit", null);
clearTimeout(guard);
child.stdin.end();

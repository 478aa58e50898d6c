//! The JSON Schema of the agreement format (`s75lint schema`): the committed copy is the
//! generated one, it is a valid draft-07 schema, it accepts what the reader accepts and refuses
//! what the reader refuses, and the real YAML language server uses it for diagnostics, hover and
//! completion.

mod common;
use common::*;
use s75lint::yaml::{self, YamlNode, YamlValue};
use s75lint::{load, Loaded};
use serde_json::{json, Value};

fn generated() -> Value {
    s75lint::schema::generate(rules())
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&generated()).expect("the schema compiles")
}

/// A YAML tree as the YAML language server sees it: plain scalars resolved by the YAML 1.2
/// core schema (so `2025-04-01` and `1,000` stay strings), keys as strings.
fn to_json(n: &YamlNode) -> Value {
    match &n.value {
        YamlValue::Scalar {
            value,
            plain: false,
        } => json!(value),
        YamlValue::Scalar { value, plain: true } => core_scalar(value),
        YamlValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        YamlValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        YamlValue::Scalar { value, .. } => value.clone(),
                        _ => to_json(k).to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
    }
}

fn core_scalar(s: &str) -> Value {
    static CORE: std::sync::OnceLock<[regex::Regex; 4]> = std::sync::OnceLock::new();
    let [int, octal, hex, float] = CORE.get_or_init(|| {
        [
            r"^[-+]?[0-9]+$",
            r"^0o[0-7]+$",
            r"^0x[0-9a-fA-F]+$",
            r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$",
        ]
        .map(|p| regex::Regex::new(p).unwrap())
    });
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return json!(true),
        "false" | "False" | "FALSE" => return json!(false),
        _ => {}
    }
    if int.is_match(s) {
        if let Ok(i) = s.parse::<i64>() {
            return json!(i);
        }
    }
    if octal.is_match(s) {
        return json!(i64::from_str_radix(&s[2..], 8).unwrap_or(0));
    }
    if hex.is_match(s) {
        return json!(i64::from_str_radix(&s[2..], 16).unwrap_or(0));
    }
    if float.is_match(s) {
        if let Some(n) = s.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    json!(s)
}

fn yaml_json(src: &str) -> Option<Value> {
    yaml::parse(src).ok().flatten().map(|n| to_json(&n))
}

/// The ids of the reader's format findings that the schema is meant to agree with.
fn format_problems(src: &str) -> Option<Vec<String>> {
    match load(src, true) {
        Loaded::Agreement(_, findings) => Some(
            findings
                .into_iter()
                .filter(|f| {
                    matches!(
                        f.rule.as_str(),
                        "FMT-TYPE" | "FMT-UNKNOWN-KEY" | "FMT-VERSION"
                    )
                })
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect(),
        ),
        _ => None,
    }
}

fn schema_errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(root().join("schema/agreement.schema.json"))
        .expect("schema/agreement.schema.json");
    let fresh = s75lint::schema::render(rules());
    assert!(
        committed == fresh,
        "schema/agreement.schema.json is stale: run `cargo run -- schema > schema/agreement.schema.json`"
    );
    // `s75lint schema` prints the same text.
    let o = s75lint(&["schema"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o) == fresh);
}

#[test]
fn the_schema_is_a_valid_draft_07_schema() {
    let schema = generated();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::meta::validate(&schema)
        .unwrap_or_else(|e| panic!("not a valid draft-07 schema: {e}"));
    validator();
}

#[test]
fn every_valid_fixture_validates() {
    let v = validator();
    let mut n = 0;
    for e in std::fs::read_dir(root().join("fixtures/valid")).unwrap() {
        let path = e.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        let instance = yaml_json(&src).expect("valid YAML");
        let errors = schema_errors(&v, &instance);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        n += 1;
    }
    assert!(n >= 6);
}

#[test]
fn fixtures_with_wrong_types_or_unknown_keys_fail() {
    let v = validator();
    for (name, at) in [
        ("FMT-TYPE.yaml", "/commencement"),
        ("FMT-UNKNOWN-KEY.yaml", ""),
        ("FMT-VERSION.yaml", "/s75lint"),
    ] {
        let src = std::fs::read_to_string(root().join("fixtures/invalid").join(name)).unwrap();
        let instance = yaml_json(&src).expect("valid YAML");
        let errors: Vec<String> = v
            .iter_errors(&instance)
            .map(|e| e.instance_path().to_string())
            .collect();
        assert!(errors.iter().any(|p| p == at), "{name}: {errors:?}");
    }
}

/// Over every fixture the reader loads, the schema finds a problem exactly when the reader
/// reports a wrong type, an unknown key or a wrong version.
#[test]
fn the_schema_and_the_reader_agree_on_every_fixture() {
    let v = validator();
    for dir in ["fixtures/valid", "fixtures/invalid"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = e.unwrap().path();
            let src = std::fs::read_to_string(&path).unwrap();
            let (Some(problems), Some(instance)) = (format_problems(&src), yaml_json(&src)) else {
                continue;
            };
            let errors = schema_errors(&v, &instance);
            assert_eq!(
                problems.is_empty(),
                errors.is_empty(),
                "{}: reader {problems:#?}, schema {errors:#?}",
                path.display()
            );
        }
    }
}

/// Where a value of each type sits in a small agreement, and its JSON pointer.
const PLACES: &[(&str, &str, &str)] = &[
    (
        "money",
        "pools:\n  - id: P\n    pooled_total: {2025-26: VALUE}\n",
        "/pools/0/pooled_total/2025-26",
    ),
    ("money", "grant:\n  amount: VALUE\n", "/grant/amount"),
    (
        "percent",
        "pools:\n  - id: P\n    risk_share:\n      overspend: {exc: VALUE}\n",
        "/pools/0/risk_share/overspend/exc",
    ),
    ("date", "commencement: VALUE\n", "/commencement"),
    (
        // (Not `notice_months`, which the reader also requires to be whole and not negative.)
        "number",
        "schemes:\n  - id: S\n    outcomes:\n      - target:\n          value: VALUE\n",
        "/schemes/0/outcomes/0/target/value",
    ),
    ("year", "bcf:\n  year: VALUE\n", "/bcf/year"),
    ("bool", "rolling: VALUE\n", "/rolling"),
    ("word", "status: VALUE\n", "/status"),
    ("text", "title: VALUE\n", "/title"),
    (
        "none",
        "staff:\n  - delegated_functions: VALUE\n",
        "/staff/0/delegated_functions",
    ),
];

const VALUES: &[&str] = &[
    "1200000",
    "1200000.50",
    "1200000.505",
    "1e6",
    "0x10",
    "0o17",
    "-5",
    "+5",
    ".5",
    "5.",
    "0",
    "-0",
    "40",
    "100",
    "100.0",
    "101",
    "17.01",
    "£1,200,000",
    "£1,200,000.13",
    "£1.2m",
    "£850k",
    "£1.5bn",
    "1,200,000",
    "£12,00",
    "£0.001",
    "lots",
    "TBC",
    "[insert amount]",
    "40%",
    "17.01%",
    "40 %",
    "1e2%",
    "-0%",
    "101%",
    "2025-04-01",
    "2025-02-29",
    "2024-02-29",
    "2025-4-01",
    "April 2025",
    "01/04/2025",
    "2025-26",
    "2025-27",
    "1999-00",
    "true",
    "false",
    "True",
    "yes",
    "no",
    "null",
    "~",
    "",
    "draft",
    "Draft",
    "signed",
    "none",
    "None",
    "1",
    "2",
    "1.0",
    "01",
    "1_000",
    " 40 ",
    " 2025-04-01 ",
    " none ",
];

/// Each value of `VALUES`, written plain and in double quotes at a field of each type: the
/// schema refuses it exactly when the reader reports a format problem there. The differences
/// allowed are the documented ones: a YAML number whose spelling the reader refuses but whose
/// value the schema accepts (`1e6` as money), an empty value (absent to the reader, the wrong
/// type to the schema), and a percent written as text in exponent form.
#[test]
fn the_schema_accepts_exactly_what_the_reader_accepts_at_each_type() {
    let v = validator();
    let head = "s75lint: 1\npartners:\n  - {id: exc, name: A, kind: local_authority}\n";
    let mut compared = 0;
    for (ty, place, pointer) in PLACES {
        for raw in VALUES {
            let quoted = format!("\"{}\"", raw.replace('\\', "\\\\").replace('"', "\\\""));
            for (plain, written) in [(true, raw.to_string()), (false, quoted)] {
                let src = format!("{head}{}", place.replace("VALUE", &written));
                let (Some(problems), Some(instance)) = (format_problems(&src), yaml_json(&src))
                else {
                    continue; // not YAML, or not an agreement: nothing to compare
                };
                let reader_ok = problems.is_empty();
                let schema_ok = v.is_valid(&instance);
                compared += 1;
                if reader_ok == schema_ok {
                    continue;
                }
                let value = instance.pointer(pointer).unwrap_or(&Value::Null);
                let allowed = (plain && value.is_number() && schema_ok)
                    || (value.is_null() && reader_ok)
                    || (value.is_string() && *ty == "percent" && raw.contains('e') && reader_ok);
                assert!(
                    allowed,
                    "{ty} {written}: reader {problems:?}, schema {:?}",
                    schema_errors(&v, &instance)
                );
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}

#[test]
fn init_writes_the_modeline_and_schema_write_puts_the_schema_where_it_points() {
    let dir = tempdir();
    let o = s75lint(&["init", "a.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("a.yaml")).unwrap();
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, s75lint::schema::MODELINE);
    let target = first.split("$schema=").nth(1).unwrap();

    let o = s75lint(&["schema", "--write", ".s75lint"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("wrote "), "{}", stdout(&o));
    let written = std::fs::read_to_string(dir.join(target)).unwrap();
    assert!(written == s75lint::schema::render(rules()));
    // Again: nothing to change, and it says so.
    let o = s75lint(&["schema", "--write", ".s75lint"], &dir);
    assert!(stdout(&o).starts_with("unchanged: "), "{}", stdout(&o));
    // A folder that cannot be made is a tool error.
    std::fs::write(dir.join("file"), "x").unwrap();
    let o = s75lint(&["schema", "--write", "file/sub"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot create"), "{}", stderr(&o));
}

/// The real YAML language server (`tests/yaml_ls/run.mjs`), installed by
/// `npm install --prefix target/yaml-ls yaml-language-server@1`: a misspelt key is flagged,
/// hover on `host` shows its description, completion in a pool offers `pool_manager`.
#[test]
fn the_yaml_language_server_uses_the_schema() {
    let server =
        root().join("target/yaml-ls/node_modules/yaml-language-server/bin/yaml-language-server");
    let node = std::process::Command::new("node").arg("--version").output();
    let missing = match (&node, server.exists()) {
        (Ok(o), true) if o.status.success() => None,
        (Ok(o), _) if o.status.success() => Some(format!("{} is not installed", server.display())),
        _ => Some("node is not installed".to_string()),
    };
    if let Some(why) = missing {
        let required = std::env::var("S75LINT_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "S75LINT_REQUIRE_TOOLS=1 but {why}");
        println!("skipped: {why} (npm install --prefix target/yaml-ls yaml-language-server@1)");
        return;
    }
    // The documented set-up: an agreement with init's modeline, the schema written beside it.
    let dir = tempdir();
    let agreement =
        std::fs::read_to_string(root().join("fixtures/invalid/FMT-UNKNOWN-KEY.yaml")).unwrap();
    std::fs::write(
        dir.join("agreement.yaml"),
        format!("{}\n{agreement}", s75lint::schema::MODELINE),
    )
    .unwrap();
    let o = s75lint(&["schema", "--write", ".s75lint"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = std::process::Command::new("node")
        .arg(root().join("tests/yaml_ls/run.mjs"))
        .arg(&server)
        .arg(dir.join("agreement.yaml"))
        .output()
        .expect("run node");
    assert!(
        o.status.success(),
        "tests/yaml_ls/run.mjs failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    println!("{}", stdout(&o));
}

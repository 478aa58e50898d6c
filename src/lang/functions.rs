//! The built-in functions of the rule language, in one table: each function's name, what it
//! takes and gives, and what it does. Validation checks calls against the table, evaluation
//! matches on [`Function`] (exhaustively, so a function added here does not compile until it
//! is implemented in `eval::functions`), and the function section of `docs/writing-rules.md`
//! is the table's [`markdown`] (a test keeps the two equal).

/// A built-in function. A call's name is resolved to one when its rule is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Function {
    /// `financial_year(DATE)`
    FinancialYear,
    /// `financial_years(DATE, DATE)`
    FinancialYears,
    /// `location(X)`
    Location,
    /// `lowercase(TEXT)`
    Lowercase,
    /// `days_between(DATE, DATE)`
    DaysBetween,
    /// `first_match(TEXT, "PATTERN", "EXCEPT")`
    FirstMatch,
}

/// What a function takes or gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Any value at all.
    Value,
    /// Text.
    Text,
    /// A date.
    Date,
    /// A number.
    Number,
    /// A financial year.
    Year,
    /// A list of financial years.
    Years,
    /// A regular expression written in the rule as text (checked when the rule is loaded).
    Pattern,
}

impl Kind {
    /// How an argument of this kind is written in the docs' signatures (`DATE`).
    pub(crate) fn placeholder(self) -> &'static str {
        match self {
            Kind::Value => "X",
            Kind::Text => "TEXT",
            Kind::Date => "DATE",
            Kind::Number => "NUMBER",
            Kind::Year => "YEAR",
            Kind::Years => "YEARS",
            Kind::Pattern => "\"PATTERN\"",
        }
    }
}

/// One row of the function table.
#[derive(Debug)]
pub(crate) struct FunctionDef {
    /// Which function it is.
    pub function: Function,
    /// Its name as written in a rule.
    pub name: &'static str,
    /// The kinds of its arguments, in order.
    pub params: &'static [Kind],
    /// The kind of its result.
    pub result: Kind,
    /// What it gives, for the docs (Markdown).
    pub doc: &'static str,
}

/// Every built-in function. The order is the one "there is no function" lists them in.
pub(crate) const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        function: Function::FinancialYear,
        name: "financial_year",
        params: &[Kind::Date],
        result: Kind::Year,
        doc: "the financial year containing a date (`2025-26`)",
    },
    FunctionDef {
        function: Function::FinancialYears,
        name: "financial_years",
        params: &[Kind::Date, Kind::Date],
        result: Kind::Years,
        doc: "every financial year from one date to another",
    },
    FunctionDef {
        function: Function::Location,
        name: "location",
        params: &[Kind::Value],
        result: Kind::Text,
        doc: "where X is in the agreement, like `pools[BCF].host`",
    },
    FunctionDef {
        function: Function::Lowercase,
        name: "lowercase",
        params: &[Kind::Text],
        result: Kind::Text,
        doc: "the text in lower case",
    },
    FunctionDef {
        function: Function::DaysBetween,
        name: "days_between",
        params: &[Kind::Date, Kind::Date],
        result: Kind::Number,
        doc: "days from the first date to the second",
    },
    FunctionDef {
        function: Function::FirstMatch,
        name: "first_match",
        params: &[Kind::Text, Kind::Pattern, Kind::Pattern],
        result: Kind::Text,
        doc: "the first words of TEXT the first pattern matches once whatever the second matches is taken out (`\"\"` for nothing), read as `matches` reads text; not given when none",
    },
];

/// The table row of the function called `name`.
pub(crate) fn named(name: &str) -> Option<&'static FunctionDef> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

impl FunctionDef {
    /// The call as the docs write it: `days_between(DATE, DATE)`.
    pub(crate) fn signature(&self) -> String {
        let params: Vec<&str> = self.params.iter().map(|k| k.placeholder()).collect();
        format!("{}({})", self.name, params.join(", "))
    }
}

/// The function section of `docs/writing-rules.md`: a Markdown table, one row per function
/// (kept fresh by the test below).
#[cfg(test)]
pub(crate) fn markdown() -> String {
    let mut out = String::from("| function | result |\n|---|---|\n");
    for f in FUNCTIONS {
        out.push_str(&format!("| `{}` | {} |\n", f.signature(), f.doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the generated section starts and ends in `docs/writing-rules.md`.
    const START: &str = "<!-- functions: generated from src/lang/functions.rs -->\n";
    const END: &str = "<!-- end of functions -->";

    #[test]
    fn writing_rules_lists_the_functions_of_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/writing-rules.md");
        let doc = std::fs::read_to_string(path).expect("docs/writing-rules.md is readable");
        let start = doc.find(START).expect("the start marker is in the docs") + START.len();
        let len = doc[start..]
            .find(END)
            .expect("the end marker is in the docs");
        assert_eq!(
            &doc[start..start + len],
            markdown(),
            "docs/writing-rules.md's function section differs from src/lang/functions.rs: \
             put the table above between the markers"
        );
    }

    #[test]
    fn each_function_has_one_row_and_one_name() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            let same = |g: &&FunctionDef| g.function == f.function || g.name == f.name;
            assert_eq!(FUNCTIONS.iter().filter(same).count(), 1, "row {i}: {f:?}");
            assert_eq!(named(f.name).map(|g| g.function), Some(f.function));
        }
        assert!(named("no_such_function").is_none());
    }
}

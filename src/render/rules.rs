//! `breachline rules`: the reporting rules this run knows, as a table, Markdown (the list in
//! docs/obligations.md is this output, checked by a test) or JSON.

use serde::Serialize;

use super::text_table::TextTable;
use crate::rule::{Applied, Library, Rule};
use crate::sanitize::{for_terminal, markdown_cell};

/// The rules of `library` in `jurisdictions` (all when empty; `EU` also matches `EU-…`, `US`
/// every US state), in library order.
pub fn select<'l>(library: &'l Library, jurisdictions: &[String]) -> Vec<&'l Rule> {
    library
        .rules()
        .iter()
        .filter(|r| {
            jurisdictions.is_empty()
                || jurisdictions.iter().any(|j| {
                    let j = j.to_ascii_uppercase();
                    r.jurisdiction == j || r.jurisdiction.starts_with(&format!("{j}-"))
                })
        })
        .collect()
}

fn effective(a: &Applied<'_>) -> String {
    match a.effective_to() {
        Some(to) => format!("{} to {to}", a.effective_from()),
        None => format!("from {}", a.effective_from()),
    }
}

fn variants(r: &Rule) -> String {
    r.variants
        .iter()
        .map(|v| v.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rules as a terminal table.
pub fn table(rules: &[&Rule], width: Option<usize>) -> String {
    let mut t = TextTable::new();
    t.push_record([
        "Rule",
        "Where",
        "Deadline",
        "Recipient",
        "Provision",
        "In force",
        "Variants",
    ]);
    for r in rules {
        let Some(a) = r.applied(None) else { continue };
        t.push_record([
            for_terminal(a.id()).into_owned(),
            for_terminal(&r.jurisdiction).into_owned(),
            for_terminal(&a.deadline_words()).into_owned(),
            for_terminal(a.recipient()).into_owned(),
            for_terminal(&format!("{} <{}>", a.provision(), a.url())).into_owned(),
            effective(&a),
            for_terminal(&variants(r)).into_owned(),
        ]);
    }
    let mut out = t.fitted(&[2, 3, 4, 6], width);
    out.push_str(&format!(
        "\n\n{} rule{} of {} regime{}. `breachline rules --format json` gives every key, with the counting and the notes.\n",
        rules.len(),
        if rules.len() == 1 { "" } else { "s" },
        regimes(rules),
        if regimes(rules) == 1 { "" } else { "s" },
    ));
    out
}

fn regimes(rules: &[&Rule]) -> usize {
    let mut names: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| (r.jurisdiction.as_str(), r.regime.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// The rules as a Markdown table, as docs/obligations.md lists them.
pub fn markdown(rules: &[&Rule]) -> String {
    let mut out = String::from(
        "| rule | where | deadline | counting | recipient | provision | in force | variants |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in rules {
        let Some(a) = r.applied(None) else { continue };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | [{}]({}) | {} | {} |\n",
            a.id(),
            markdown_cell(&r.jurisdiction),
            markdown_cell(&a.deadline_words()),
            markdown_cell(&a.counting_words()),
            markdown_cell(a.recipient()),
            markdown_cell(a.provision()),
            a.url(),
            effective(&a),
            markdown_cell(&variants(r)),
        ));
    }
    out
}

#[derive(Serialize)]
struct RuleJson<'a> {
    #[serde(flatten)]
    rule: &'a Rule,
    deadline: String,
    counting: String,
}

#[derive(Serialize)]
struct RulesJson<'a> {
    breachline_version: &'static str,
    rules_sha256: &'a str,
    rules: Vec<RuleJson<'a>>,
}

/// The rules as JSON: every key of each record, with the deadline and counting in words.
pub fn json(library: &Library, rules: &[&Rule]) -> String {
    let doc = RulesJson {
        breachline_version: env!("CARGO_PKG_VERSION"),
        rules_sha256: library.hash(),
        rules: rules
            .iter()
            .filter_map(|r| {
                let a = r.applied(None)?;
                Some(RuleJson {
                    rule: r,
                    deadline: a.deadline_words(),
                    counting: a.counting_words(),
                })
            })
            .collect(),
    };
    let mut s = super::json::pretty::to_string(&doc).unwrap_or_default();
    s.push('\n');
    s
}

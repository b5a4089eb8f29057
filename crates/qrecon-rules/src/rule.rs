//! Rules compiled once, and the set of them a run uses.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use qrecon_core::finding::intern;
use rhai::{AST, Engine};
use sha2::{Digest, Sha256};

use crate::error::RuleError;
use crate::header::{self, Header};

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The file it came from.
    pub path: String,
    /// Its header fields.
    pub header: Header,
    /// Its Markdown doc.
    pub doc: String,
    /// The compiled script.
    pub ast: AST,
    /// SHA-256 of the file, for the summary.
    pub hash: String,
    /// Its `when`, as masks.
    pub dispatch: crate::eval::Dispatch,
    /// Its id and codes as `'static` names for findings, made once.
    pub names: Names,
}

/// A rule's id and codes, interned when it is compiled.
#[derive(Debug, Clone)]
pub struct Names {
    /// The id.
    pub id: &'static str,
    /// The codes, in header order.
    pub codes: Vec<&'static str>,
}

/// The entry point every case rule defines: `fn check(c)`.
pub const ENTRY: &str = "check";

/// Reads, validates and compiles one rule file.
pub fn compile(engine: &Engine, path: &str, text: &str) -> Result<Rule, RuleError> {
    let parsed = header::parse(path, text)?;
    let ast = engine.compile(text).map_err(|e| {
        let pos = e.position();
        RuleError::at(
            path,
            text,
            pos.line(),
            pos.position(),
            e.err_type().to_string(),
        )
    })?;
    if !ast
        .iter_functions()
        .any(|f| f.name == ENTRY && f.params.len() == 1)
    {
        let line = text.lines().filter(|l| l.starts_with("//!")).count() + 1;
        return Err(RuleError::at(
            path,
            text,
            Some(line),
            None,
            format!(
                "a rule defines `fn {ENTRY}(c)`, which takes the case and returns its findings"
            ),
        ));
    }
    let hash =
        Sha256::digest(text.as_bytes())
            .iter()
            .fold(String::with_capacity(64), |mut h, b| {
                let _ = write!(h, "{b:02x}");
                h
            });
    Ok(Rule {
        path: path.to_owned(),
        dispatch: crate::eval::Dispatch::new(&parsed.header.when),
        names: Names {
            id: intern(&parsed.header.id),
            codes: parsed.header.codes.iter().map(|c| intern(c)).collect(),
        },
        header: parsed.header,
        doc: parsed.doc,
        ast,
        hash,
    })
}

/// The rules of a run, by id.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// Rules in id order.
    pub rules: BTreeMap<String, Rule>,
}

impl RuleSet {
    /// Compiles every `(path, text)`; all errors are returned together, none is partial.
    pub fn load(engine: &Engine, files: &[(String, String)]) -> Result<Self, Vec<RuleError>> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        for (path, text) in files {
            match compile(engine, path, text) {
                Ok(rule) => {
                    if let Some(first) = set.rules.get(&rule.header.id) {
                        errors.push(RuleError::at(
                            path,
                            text,
                            Some(1),
                            None,
                            format!(
                                "rule id {:?} is already used by {}",
                                rule.header.id, first.path
                            ),
                        ));
                    } else {
                        set.rules.insert(rule.header.id.clone(), rule);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "//! id: demo\n//! title: A demo rule\n//! scope: case\n//! priority: 10\n//! severity: info\n//! codes: [DEMO]\n//! when: { has: [txn], lacks: [bank] }\n//! ---\n//! ## What it checks\n//! x\n//! ## Why it matters\n//! x\n//! ## Example\n//! x\n//! ## What to do\n//! x\n\nfn check(c) {\n    []\n}\n";

    fn engine() -> Engine {
        crate::sandbox::engine(|_| {})
    }

    #[test]
    fn a_good_rule_compiles() {
        let rule = compile(&engine(), "rules/demo.rhai", GOOD).expect("compiles");
        assert_eq!(rule.header.priority, 10);
        assert_eq!(rule.header.when[0].has, vec![header::Mark::Txn]);
        assert!(rule.doc.contains("## What to do"));
        assert_eq!(rule.hash.len(), 64);
    }

    #[test]
    fn a_syntax_error_names_path_line_column_and_shows_a_caret() {
        let text = GOOD.replace("    []\n", "    let x = ;\n    []\n");
        let e = compile(&engine(), "rules/demo.rhai", &text).expect_err("syntax error");
        assert_eq!((e.line, e.column), (Some(19), Some(13)));
        let shown = e.to_string();
        assert!(shown.starts_with("rules/demo.rhai:19:13: "), "{shown}");
        assert!(
            shown.contains("\n  |     let x = ;\n  |             ^"),
            "{shown}"
        );
    }

    #[test]
    fn header_mistakes_are_named() {
        let e = compile(
            &engine(),
            "rules/demo.rhai",
            &GOOD.replace("scope: case", "scope: everything"),
        )
        .expect_err("bad scope");
        assert_eq!(e.line, Some(3));
        assert!(
            e.message.contains("unknown variant `everything`"),
            "{}",
            e.message
        );
        let e = compile(
            &engine(),
            "rules/demo.rhai",
            &GOOD.replace("//! priority: 10\n", "//! priority: 10\n//! colour: red\n"),
        )
        .expect_err("unknown key");
        assert_eq!(e.line, Some(5));
        let e = compile(&engine(), "rules/other.rhai", GOOD).expect_err("id and file name");
        assert!(
            e.message.contains("must be the file's name"),
            "{}",
            e.message
        );
        let e = compile(
            &engine(),
            "rules/demo.rhai",
            &GOOD.replace("//! ## Example\n", ""),
        )
        .expect_err("doc section");
        assert!(e.message.contains("## Example"), "{}", e.message);
        let e = compile(
            &engine(),
            "rules/demo.rhai",
            &GOOD.replace("fn check(c)", "fn inspect(c)"),
        )
        .expect_err("no entry");
        assert!(e.message.contains("fn check(c)"), "{}", e.message);
    }

    #[test]
    fn the_sandbox_has_no_eval() {
        let text = GOOD.replace("    []\n", "    eval(\"1\");\n    []\n");
        assert!(compile(&engine(), "rules/demo.rhai", &text).is_err());
    }

    #[test]
    fn duplicate_ids_are_refused_together_with_other_errors() {
        let files = vec![
            ("a/demo.rhai".to_owned(), GOOD.to_owned()),
            ("b/demo.rhai".to_owned(), GOOD.to_owned()),
            ("c/demo.rhai".to_owned(), GOOD.replace("[]\n}", "[\n}")),
        ];
        let errors = RuleSet::load(&engine(), &files).expect_err("two errors");
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("already used by a/demo.rhai"));
    }
}

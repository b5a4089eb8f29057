//! `qrecon rules check|list|explain`: reading a rules folder and compiling it in the sandbox.

use std::fmt::Write as _;
use std::path::Path;

use qrecon_rules::{Pack, RuleError, RuleSet};

use crate::cli::RulesCommand;
use crate::{exit, print_err, print_out};

/// Reads every `.rhai` file of `dir` (sorted) as `(path, text)`.
fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the rules folder: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            std::fs::read_to_string(&p)
                .map(|t| (p.display().to_string(), t))
                .map_err(|e| format!("{}: cannot read: {e}", p.display()))
        })
        .collect()
}

/// Loads and compiles the rules of `dir`, printing every error; `None` when any failed.
pub fn load(dir: &Path) -> Option<RuleSet> {
    pack_for_run(Some(dir)).map(|pack| pack.set)
}

/// Lines rules may print (`print`, `debug`) in one run before the rest are left out: a
/// debugging `print` left in a case rule would otherwise write a line per case.
const RULE_LOG_LINES: usize = 1000;

/// Where rules' `print` and `debug` go: stderr, `rule: …`, at most [`RULE_LOG_LINES`] lines.
fn rule_log() -> impl Fn(&str) + Send + Sync + 'static {
    let printed = std::sync::atomic::AtomicUsize::new(0);
    move |s: &str| {
        let n = printed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n < RULE_LOG_LINES {
            print_err(&format!("rule: {s}"));
        } else if n == RULE_LOG_LINES {
            print_err(&format!(
                "rule: … more output from rules is left out (the first {RULE_LOG_LINES} lines are above)"
            ));
        }
    }
}

mod default_pack {
    include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));
}

/// The rules of a run: the folder `dir`, or the pack built into qrecon. Every error is
/// printed; `None` when any rule failed, so the run stops before any work.
pub fn pack_for_run(dir: Option<&Path>) -> Option<Pack> {
    let files = match dir {
        Some(d) => match read_dir(d) {
            Ok(f) => f,
            Err(e) => {
                print_err(&format!("error: {e}"));
                return None;
            }
        },
        None => default_pack::DEFAULT_RULES
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect(),
    };
    match Pack::load(&files, rule_log()) {
        Ok(pack) => {
            if pack.set.rules.is_empty() {
                print_err(&format!(
                    "warning: no rules in {}: every case will be UNDIAGNOSED and no alert raised",
                    dir.map_or_else(
                        || "the built-in pack".to_owned(),
                        |d| d.display().to_string()
                    )
                ));
            }
            Some(pack)
        }
        Err(errors) => {
            report(&errors);
            None
        }
    }
}

fn report(errors: &[RuleError]) {
    for e in errors {
        print_err(&format!("error: {e}"));
    }
    print_err(&format!("{} rule error(s)", errors.len()));
}

/// What `rules check` points out beyond errors: rules that cost every case a call, rules
/// without fixtures, codes two rules share at the same priority (which one is the status
/// then depends on the code's name).
fn lint(set: &RuleSet, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: std::collections::BTreeMap<(u32, &str), &str> = std::collections::BTreeMap::new();
    for r in set.rules.values() {
        let h = &r.header;
        if h.scope == qrecon_rules::Scope::Case && h.when.is_empty() {
            out.push(format!(
                "{}: no `when`: the rule is called for every case; say which links or marks it needs",
                r.path
            ));
        }
        if !dir.join(format!("{}.test.yaml", h.id)).is_file() {
            out.push(format!(
                "{}: no fixtures ({}.test.yaml): `qrecon rules test` will fail",
                r.path, h.id
            ));
        }
        for code in &h.codes {
            if let Some(other) = seen.insert((h.priority, code.as_str()), h.id.as_str()) {
                out.push(format!(
                    "{}: {code} at priority {} is also emitted by {other}",
                    r.path, h.priority
                ));
            }
        }
    }
    out
}

/// Runs a `rules` subcommand.
pub fn command(cmd: &RulesCommand) -> u8 {
    match cmd {
        RulesCommand::Check(d) => match load(&d.dir) {
            Some(set) => {
                let warnings = lint(&set, &d.dir);
                for w in &warnings {
                    print_err(&format!("warning: {w}"));
                }
                print_out(&format!(
                    "{} rule(s) in {} compile and pass their header checks{}\n",
                    set.rules.len(),
                    d.dir.display(),
                    if warnings.is_empty() {
                        String::new()
                    } else {
                        format!("; {} warning(s)", warnings.len())
                    }
                ));
                exit::OK
            }
            None => exit::USAGE,
        },
        RulesCommand::Test(d) => test(&d.dir),
        RulesCommand::List(d) => {
            let Some(set) = load(&d.dir) else {
                return exit::USAGE;
            };
            let mut s = format!(
                "{:<28} {:<8} {:>8} {:<8} {:<36} title\n",
                "id", "scope", "priority", "severity", "codes"
            );
            for r in set.rules.values() {
                let h = &r.header;
                let _ = writeln!(
                    s,
                    "{:<28} {:<8} {:>8} {:<8} {:<36} {}",
                    h.id,
                    format!("{:?}", h.scope).to_lowercase(),
                    h.priority,
                    format!("{:?}", h.severity).to_lowercase(),
                    h.codes.join(","),
                    h.title
                );
            }
            print_out(&s);
            exit::OK
        }
        RulesCommand::Explain { id, dir } => {
            let Some(set) = load(&dir.dir) else {
                return exit::USAGE;
            };
            let Some(r) = set.rules.get(id) else {
                let known: Vec<&str> = set.rules.keys().map(String::as_str).collect();
                print_err(&format!(
                    "error: no rule {id:?} in {} (rules: {})",
                    dir.dir.display(),
                    known.join(", ")
                ));
                return exit::USAGE;
            };
            let h = &r.header;
            print_out(&format!(
                "{} — {}\nfile: {}\nscope: {:?}, priority {}, severity {:?}, codes {}\n\n{}",
                h.id,
                h.title,
                r.path,
                h.scope,
                h.priority,
                h.severity,
                h.codes.join(", "),
                r.doc
            ));
            exit::OK
        }
    }
}

/// Settings fixtures run under: the built-in `cn` calendar and default provider terms.
fn fixture_settings() -> Option<qrecon_core::Settings> {
    let cn: crate::config::CalendarFile = crate::config::parse_yaml(
        Path::new("<built-in cn calendar>"),
        crate::config::CN_CALENDAR,
    )
    .ok()?;
    let as_of = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00").ok()?;
    let mut settings = qrecon_core::Settings::new(as_of, chrono_tz::Asia::Shanghai)
        .with_default_terms(["alipay", "wechatpay", "unionpay"]);
    settings.calendars.insert(
        "cn".to_owned(),
        crate::config::calendar("cn", &cn.holidays, &cn.workdays),
    );
    Some(settings)
}

/// `qrecon rules test`: every rule needs fixtures, and every fixture must pass.
fn test(dir: &Path) -> u8 {
    let Some(set) = load(dir) else {
        return exit::USAGE;
    };
    let Some(settings) = fixture_settings() else {
        return exit::USAGE;
    };
    let engine = qrecon_rules::sandbox::engine(rule_log());
    let (mut passed, mut failed) = (0u32, 0u32);
    let mut out = String::new();
    for rule in set.rules.values() {
        let path = dir.join(format!("{}.test.yaml", rule.header.id));
        let fixtures: Result<Vec<qrecon_rules::fixture::Fixture>, String> =
            std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: {e} (every rule needs fixtures)", path.display()))
                .and_then(|t| crate::config::parse_yaml(&path, &t).map_err(|e| e.to_string()));
        match fixtures {
            Err(e) => {
                failed += 1;
                let _ = writeln!(out, "FAIL {}: {e}", rule.header.id);
            }
            Ok(list) => {
                for f in &list {
                    match qrecon_rules::fixture::check(&engine, rule, f, &settings) {
                        Ok(()) => {
                            passed += 1;
                            let _ = writeln!(out, "ok   {}: {}", rule.header.id, f.name);
                        }
                        Err(e) => {
                            failed += 1;
                            let _ = writeln!(out, "FAIL {}: {}: {e}", rule.header.id, f.name);
                        }
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    print_out(&out);
    if failed == 0 {
        exit::OK
    } else {
        exit::FINDINGS
    }
}

//! Running case rules: only the rules whose `when` fits the case are called; a rule that
//! throws, reads what is not there or runs out of operations becomes an error for that case
//! and the others go on.

use qrecon_core::{Case, Dataset, Finding, Severity, finding::intern};
use rhai::{Array, Dynamic, Engine, Map, Scope};

use crate::header::{self, Link};
use crate::rule::{ENTRY, Rule};
use crate::view::{CaseView, Date, RecordView};

/// Whether `case` has `link`.
fn has(case: &Case, link: Link) -> bool {
    match link {
        Link::Claim => case.claim.is_some(),
        Link::Txn => case.txn.is_some(),
        Link::Refund => !case.refunds.is_empty(),
        Link::Fund => !case.funds.is_empty(),
        Link::Payout => !case.payouts.is_empty(),
        Link::Bank => !case.bank.is_empty(),
    }
}

/// Whether `rule` can fire on `case` (its `when`), so it is worth calling.
pub fn applies(rule: &Rule, case: &Case, data: &Dataset) -> bool {
    let w = &rule.header.when;
    w.has.iter().all(|l| has(case, *l))
        && !w.lacks.iter().any(|l| has(case, *l))
        && (w.providers.is_empty()
            || case
                .provider(data)
                .is_some_and(|p| w.providers.iter().any(|x| x == p)))
}

fn severity(s: header::Severity) -> Severity {
    match s {
        header::Severity::Info => Severity::Info,
        header::Severity::Warn => Severity::Warn,
        header::Severity::Critical => Severity::Critical,
    }
}

fn field(map: &Map, key: &str) -> Result<String, String> {
    map.get(key)
        .and_then(|v| v.clone().into_immutable_string().ok())
        .map(|s| s.to_string())
        .ok_or_else(|| format!("a finding needs `{key}` (a string)"))
}

/// Calls `rule` on one case and turns what it returns into findings.
pub fn run(engine: &Engine, rule: &Rule, view: CaseView) -> Result<Vec<Finding>, String> {
    let out: Array = engine
        .call_fn(&mut Scope::new(), &rule.ast, ENTRY, (view,))
        .map_err(|e| e.to_string())?;
    out.into_iter().map(|item| finding(rule, item)).collect()
}

fn finding(rule: &Rule, item: Dynamic) -> Result<Finding, String> {
    let map = item
        .try_cast::<Map>()
        .ok_or("`check` returns an array of findings, each a map #{code, message, action, …}")?;
    let code = field(&map, "code")?;
    if !rule.header.codes.contains(&code) {
        return Err(format!(
            "code {code:?} is not among the rule's codes ({})",
            rule.header.codes.join(", ")
        ));
    }
    let expected_by = map
        .get("expected_by")
        .and_then(|d| d.clone().try_cast::<Date>())
        .map(|d| d.0);
    let evidence = map
        .get("evidence")
        .and_then(|e| e.clone().try_cast::<Array>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(Dynamic::try_cast::<RecordView>)
        .map(|r| r.evidence())
        .collect();
    Ok(Finding {
        code: intern(&code),
        rule: intern(&rule.header.id),
        priority: rule.header.priority,
        severity: severity(rule.header.severity),
        message: field(&map, "message")?,
        action: field(&map, "action")?,
        expected_by,
        evidence,
    })
}

//! Alerts: what group rules (scope `account`, `payer`, `payee`, `provider`) say about a group
//! over a window, as DESIGN §6 `alerts.jsonl` has them.

use chrono::NaiveDate;
use qrecon_core::{Severity, Source};
use rhai::{Dynamic, Map};

use crate::eval::{date_of, declared_code, evidence_of, severity_of, string};
use crate::header::Scope;
use crate::rule::Rule;

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Stable id: `code:scope:key[:from]` (with `#2`, `#3`… if a rule repeats it).
    pub id: String,
    /// Code.
    pub code: &'static str,
    /// Rule id.
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Scope kind.
    pub scope: Scope,
    /// Group key.
    pub key: String,
    /// Window start.
    pub from: Option<NaiveDate>,
    /// Window end.
    pub to: Option<NaiveDate>,
    /// What was seen.
    pub message: String,
    /// What to do.
    pub action: String,
    /// Case ids it concerns.
    pub cases: Vec<String>,
    /// Records it rests on.
    pub evidence: Vec<Source>,
}

/// A group rule that failed on one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFailure {
    /// Rule id.
    pub rule: &'static str,
    /// Scope kind.
    pub scope: Scope,
    /// Group key.
    pub key: String,
    /// What went wrong.
    pub message: String,
}

/// Turns one item a group rule returned into an alert (its id is set later).
pub(crate) fn alert(rule: &Rule, key: &str, item: Dynamic) -> Result<Alert, String> {
    let map = item
        .try_cast::<Map>()
        .ok_or("`check` returns an array of alerts, each a map #{code, message, action, …}")?;
    let mut a = Alert {
        id: String::new(),
        code: "",
        rule: rule.names.id,
        severity: severity_of(rule),
        scope: rule.header.scope,
        key: key.to_owned(),
        from: None,
        to: None,
        message: String::new(),
        action: String::new(),
        cases: Vec::new(),
        evidence: Vec::new(),
    };
    let (mut has_message, mut has_action) = (false, false);
    for (k, v) in map {
        match k.as_str() {
            "code" => a.code = declared_code(rule, v)?,
            "message" => {
                a.message = string("message", v)?;
                has_message = true;
            }
            "action" => {
                a.action = string("action", v)?;
                has_action = true;
            }
            "window" => {
                let t = v.type_name();
                let w = v
                    .try_cast::<Map>()
                    .ok_or_else(|| format!("`window` is #{{from, to}}, found {t}"))?;
                for (wk, wv) in w {
                    match wk.as_str() {
                        "from" => a.from = date_of("window.from", wv)?,
                        "to" => a.to = date_of("window.to", wv)?,
                        other => return Err(format!("`window` has from and to, not `{other}`")),
                    }
                }
            }
            "cases" => {
                let t = v.type_name();
                let list = v
                    .try_cast::<rhai::Array>()
                    .ok_or_else(|| format!("`cases` is an array of case ids, found {t}"))?;
                for c in list {
                    a.cases.push(string("cases", c)?);
                }
            }
            "evidence" => a.evidence = evidence_of(v)?,
            other => {
                return Err(format!(
                    "an alert has no `{other}` (it has code, message, action, window, cases, evidence)"
                ));
            }
        }
    }
    if a.code.is_empty() {
        return Err("an alert needs `code`".to_owned());
    }
    if !has_message || !has_action {
        return Err("an alert needs `message` and `action`".to_owned());
    }
    a.cases.sort();
    a.cases.dedup();
    Ok(a)
}

/// Gives every alert its id and sorts them by it.
pub(crate) fn finish(alerts: &mut [Alert]) {
    for a in alerts.iter_mut() {
        a.id = match a.from {
            Some(from) => format!("{}:{}:{}:{from}", a.code, a.scope.as_str(), a.key),
            None => format!("{}:{}:{}", a.code, a.scope.as_str(), a.key),
        };
    }
    alerts.sort_by(|a, b| (&a.id, a.rule, &a.message).cmp(&(&b.id, b.rule, &b.message)));
    let mut n = 1;
    for i in 1..alerts.len() {
        if alerts[i].id == alerts[i - 1].id.split('#').next().unwrap_or_default() {
            n += 1;
            alerts[i].id = format!("{}#{n}", alerts[i].id);
        } else {
            n = 1;
        }
    }
}

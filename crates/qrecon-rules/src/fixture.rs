//! Rule fixtures: YAML files beside a rule (`<id>.test.yaml`) describing small cases — their
//! records, the run's `as_of` — and the codes the rule must (or must not) emit for one case.
//!
//! ```yaml
//! - name: the bank credit is there
//!   as_of: 2026-11-26T10:00:00+08:00
//!   records:
//!     - { kind: txn, type: payment, provider: wechatpay, account: "1900000109",
//!         txn_id: "4200000000000000000000000001", time: "2026-11-23T10:00:00+08:00",
//!         amount: "100.00", fee: "0.60" }
//!   case: txn:wechatpay:4200000000000000000000000001
//!   expect: [ARRIVED]      # [] means the rule must stay silent
//! ```

use std::sync::Arc;

use qrecon_core::{Dataset, Kind, Money, RecordIn, Settings, Status};
use serde::Deserialize;

use crate::eval::{applies, run};
use crate::header::Scope;
use crate::rule::Rule;
use crate::view::{CaseView, Run, Session};

/// One record of a fixture.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct FixtureRecord {
    pub kind: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub provider: String,
    pub account: Option<String>,
    pub claim_id: Option<String>,
    pub order_id: Option<String>,
    pub txn_id: Option<String>,
    pub refund_id: Option<String>,
    pub payout_id: Option<String>,
    pub time: Option<String>,
    pub value_date: Option<String>,
    pub amount: String,
    pub fee: Option<String>,
    pub status: Option<String>,
    pub payee_name: Option<String>,
    pub payer: Option<String>,
    pub counterparty: Option<String>,
    pub memo: Option<String>,
}

/// One fixture case.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub name: String,
    pub as_of: String,
    pub records: Vec<FixtureRecord>,
    /// The case a case rule is run on (`claim:…` or `txn:provider:…`).
    #[serde(default)]
    pub case: Option<String>,
    /// The group a group rule is run on: `provider/account`, the payer, the payee name.
    #[serde(default)]
    pub group: Option<String>,
    pub expect: Vec<String>,
    /// Merchant payee names per provider (nothing is foreign without them).
    #[serde(default)]
    pub payees: std::collections::BTreeMap<String, Vec<String>>,
    /// Per-payment limits per provider.
    #[serde(default)]
    pub per_payment: std::collections::BTreeMap<String, String>,
    /// Per-payer daily limits per provider.
    #[serde(default)]
    pub per_payer_day: std::collections::BTreeMap<String, String>,
    /// The kind of QR code per provider: `static` or `dynamic`.
    #[serde(default)]
    pub qr_code: std::collections::BTreeMap<String, String>,
}

fn kind(s: &str) -> Result<Kind, String> {
    Ok(match s {
        "claim" => Kind::Claim,
        "txn" => Kind::Txn,
        "fund" => Kind::Fund,
        "payout" => Kind::Payout,
        "bank" => Kind::Bank,
        other => {
            return Err(format!(
                "kind {other:?} is not claim, txn, fund, payout or bank"
            ));
        }
    })
}

fn status(s: Option<&str>) -> Result<Status, String> {
    Ok(match s.unwrap_or("success") {
        "success" => Status::Success,
        "pending" => Status::Pending,
        "failed" => Status::Failed,
        "revoked" => Status::Revoked,
        "unknown" => Status::Unknown,
        other => {
            return Err(format!(
                "status {other:?} is not success, pending, failed, revoked or unknown"
            ));
        }
    })
}

fn money(s: &str) -> Result<Money, String> {
    s.parse()
}

fn dataset(f: &Fixture) -> Result<Dataset, String> {
    let mut data = Dataset::new(vec!["fixture".to_owned()]);
    for (i, r) in f.records.iter().enumerate() {
        let mut rec = RecordIn::new(
            i as u64 + 1,
            kind(&r.kind)?,
            &r.rtype,
            &r.provider,
            money(&r.amount)?,
        );
        rec.ids = [
            r.account.as_deref(),
            r.claim_id.as_deref(),
            r.order_id.as_deref(),
            r.txn_id.as_deref(),
            r.refund_id.as_deref(),
            r.payout_id.as_deref(),
            None,
        ];
        rec.time = r
            .time
            .as_deref()
            .map(chrono::DateTime::parse_from_rfc3339)
            .transpose()
            .map_err(|e| format!("record {}: time: {e}", i + 1))?;
        rec.value_date = r
            .value_date
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| format!("record {}: value_date: {e}", i + 1))?;
        rec.fee = r.fee.as_deref().map(money).transpose()?;
        rec.status = status(r.status.as_deref())?;
        rec.parties = [
            None,
            r.payee_name.as_deref(),
            None,
            r.payer.as_deref(),
            r.counterparty.as_deref(),
            r.memo.as_deref(),
        ];
        data.push(0, &rec);
    }
    Ok(data)
}

/// Runs a group rule on the group `key` of the fixture's records.
fn group_codes(
    rule: &Rule,
    key: &str,
    data: Dataset,
    settings: Settings,
    outcome: &qrecon_core::Outcome,
) -> Result<Vec<String>, String> {
    let run_data = Arc::new(Run { data, settings });
    let _session = Session::enter(&run_data);
    let index = crate::group::Index::new(
        &run_data.data,
        &run_data.settings,
        &outcome.groups,
        &outcome.cases,
        true,
    );
    let candidates = index.candidates(rule.header.scope);
    let Some(c) = candidates.iter().find(|c| c.key == key) else {
        let keys: Vec<&str> = candidates.iter().map(|c| &*c.key).collect();
        return Err(format!(
            "no {} group {key:?} in the fixture (there are: {})",
            rule.header.scope.as_str(),
            keys.join(", ")
        ));
    };
    if !rule.dispatch.fits(c.marks, None, c.provider.as_deref()) {
        return Ok(Vec::new());
    }
    let Some(view) = index.view(c) else {
        return Ok(Vec::new());
    };
    let group_engine = crate::sandbox::group_engine(|_| {});
    crate::eval::call(&group_engine, rule, view.into_dynamic())
        .map_err(|f| f.message)?
        .into_iter()
        .map(|item| crate::alert::alert(rule, key, item).map(|a| a.code.to_owned()))
        .collect()
}

/// Runs one fixture against `rule`: `Ok(())` when the codes are as expected.
pub fn check(
    engine: &rhai::Engine,
    rule: &Rule,
    f: &Fixture,
    settings: &Settings,
) -> Result<(), String> {
    let data = dataset(f)?;
    let mut settings = settings.clone();
    settings.as_of =
        chrono::DateTime::parse_from_rfc3339(&f.as_of).map_err(|e| format!("as_of: {e}"))?;
    for (provider, names) in &f.payees {
        settings.payees.insert(
            provider.clone(),
            qrecon_core::Payee {
                ids: Vec::new(),
                names: names.clone(),
            },
        );
    }
    for (provider, limit) in &f.per_payment {
        settings
            .per_payment_limits
            .insert(provider.clone(), money(limit)?);
    }
    for (provider, limit) in &f.per_payer_day {
        settings
            .per_payer_day_limits
            .insert(provider.clone(), money(limit)?);
    }
    for (provider, code) in &f.qr_code {
        let code = qrecon_core::QrCode::parse(code)
            .ok_or_else(|| format!("qr_code of {provider}: {code:?} is not static or dynamic"))?;
        settings
            .providers
            .entry(provider.clone())
            .or_insert_with(|| qrecon_core::Terms::default_for(provider))
            .qr_code = Some(code);
    }
    let outcome = qrecon_core::engine::assemble(&data, &settings);
    let codes = match (&f.case, &f.group, rule.header.scope) {
        (Some(id), None, Scope::Case) => {
            let Some(case) = outcome.cases.into_iter().find(|c| c.id(&data) == *id) else {
                return Err(format!("no case {id:?} in the fixture"));
            };
            let fires = applies(rule, &case, &data, &settings);
            let run_data = Arc::new(Run { data, settings });
            let _session = Session::enter(&run_data);
            if fires {
                run(engine, rule, &CaseView::new(case))
                    .map_err(|f| f.message)?
                    .into_iter()
                    .map(|x| x.code.to_owned())
                    .collect()
            } else {
                Vec::new()
            }
        }
        (None, Some(key), scope) if scope != Scope::Case => {
            group_codes(rule, key, data, settings, &outcome)?
        }
        _ => {
            return Err(format!(
                "a fixture of a {} rule names its {}",
                rule.header.scope.as_str(),
                if rule.header.scope == Scope::Case {
                    "`case` (and no `group`)"
                } else {
                    "`group` (and no `case`)"
                }
            ));
        }
    };
    if codes == f.expect {
        Ok(())
    } else {
        Err(format!("expected {:?}, the rule gave {codes:?}", f.expect))
    }
}

//! Assembling cases: claims to platform payments, payments to their refunds and fund lines.
//!
//! Claims are taken in order of (time, claim id), so "earlier" is well defined and the result
//! does not depend on file order. A payment is consumed by the first claim that links to it; a
//! later claim citing it becomes a duplicate. Two equally good candidates are never guessed
//! between.

use std::collections::{BTreeMap, HashMap};

use crate::case::{Case, Link, Method};
use crate::dataset::Dataset;
use crate::record::{Kind, Record, RecordId};
use crate::settings::Settings;

type Index<'a> = HashMap<(&'a str, &'a str), Vec<RecordId>>;

/// Indexes of the platform records, by (provider, id).
struct Indexes<'a> {
    payments_by_txn: Index<'a>,
    payments_by_order: Index<'a>,
    refunds_by_txn: Index<'a>,
    income_by_txn: Index<'a>,
}

impl<'a> Indexes<'a> {
    fn build(data: &'a Dataset) -> Self {
        let mut ix = Indexes {
            payments_by_txn: HashMap::new(),
            payments_by_order: HashMap::new(),
            refunds_by_txn: HashMap::new(),
            income_by_txn: HashMap::new(),
        };
        for (id, r) in data.iter() {
            let p = r.provider.as_str();
            match (r.kind, r.record_type.as_str()) {
                (Kind::Txn, "payment" | "revoke") => {
                    let Some(txn) = r.txn_id.as_deref() else {
                        continue;
                    };
                    // The same payment in two bills of the same day (ALL and SUCCESS) is one.
                    let seen = ix
                        .payments_by_txn
                        .get(&(p, txn))
                        .is_some_and(|v| !v.is_empty());
                    if seen {
                        continue;
                    }
                    ix.payments_by_txn.entry((p, txn)).or_default().push(id);
                    if let Some(order) = r.order_id.as_deref() {
                        ix.payments_by_order.entry((p, order)).or_default().push(id);
                    }
                }
                (Kind::Txn, "refund") => push(&mut ix.refunds_by_txn, p, r.txn_id.as_deref(), id),
                (Kind::Fund, "income") => push(&mut ix.income_by_txn, p, r.txn_id.as_deref(), id),
                _ => {}
            }
        }
        ix
    }
}

fn push<'a>(index: &mut Index<'a>, provider: &'a str, key: Option<&'a str>, id: RecordId) {
    if let Some(key) = key {
        index.entry((provider, key)).or_default().push(id);
    }
}

/// Builds one case per claim and one per platform payment no claim cites, sorted by id.
pub fn assemble(data: &Dataset, settings: &Settings) -> Vec<Case> {
    let ix = Indexes::build(data);
    let mut claimed: HashMap<RecordId, String> = HashMap::new();
    let mut cases = BTreeMap::new();
    let mut claims: Vec<(RecordId, &Record)> =
        data.iter().filter(|(_, r)| r.kind == Kind::Claim).collect();
    claims.sort_by(|a, b| (a.1.time, &a.1.claim_id, a.0).cmp(&(b.1.time, &b.1.claim_id, b.0)));
    for (id, claim) in claims {
        let case = claim_case(data, settings, &ix, &mut claimed, id, claim);
        cases.insert(case.case_id.clone(), case);
    }
    for ids in ix.payments_by_txn.values() {
        for &id in ids {
            if !claimed.contains_key(&id) {
                let r = data.get(id);
                let mut case = Case {
                    case_id: format!(
                        "txn:{}:{}",
                        r.provider,
                        r.txn_id.as_deref().unwrap_or_default()
                    ),
                    ..Case::default()
                };
                attach_payment(data, &ix, &mut case, id);
                cases.insert(case.case_id.clone(), case);
            }
        }
    }
    cases.into_values().collect()
}

fn claim_case(
    data: &Dataset,
    settings: &Settings,
    ix: &Indexes<'_>,
    claimed: &mut HashMap<RecordId, String>,
    id: RecordId,
    claim: &Record,
) -> Case {
    let mut case = Case {
        case_id: format!("claim:{}", claim.claim_id.as_deref().unwrap_or_default()),
        claim: Some(id),
        provider: (claim.provider != "unknown").then(|| claim.provider.clone()),
        amount: claim.amount,
        currency: claim.currency.clone(),
        paid_at: claim.time,
        ..Case::default()
    };
    let foreign = claim
        .payee_name
        .as_deref()
        .is_some_and(|p| !settings.is_merchant(&claim.provider, p));
    if foreign {
        return case;
    }
    let candidates = candidates(ix, claim);
    match candidates {
        Some((field, ids)) if ids.len() == 1 => {
            let txn = ids[0];
            case.links.push(Link {
                from: Kind::Claim,
                to: Kind::Txn,
                method: Method::Id(field),
                evidence: vec![claim.source, data.get(txn).source],
            });
            if let Some(first) = claimed.get(&txn) {
                case.duplicate_of = Some(first.clone());
                case.txn = Some(txn);
                case.provider = Some(data.get(txn).provider.clone());
            } else {
                claimed.insert(txn, case.case_id.clone());
                attach_payment(data, ix, &mut case, txn);
            }
        }
        Some((_, ids)) => case.ambiguous = ids,
        None => {}
    }
    case
}

/// The payments a claim points at: by `txn_id`, else by `order_id`.
fn candidates(ix: &Indexes<'_>, claim: &Record) -> Option<(&'static str, Vec<RecordId>)> {
    let lookup = |index: &Index<'_>, key: Option<&str>| -> Vec<RecordId> {
        let Some(key) = key else { return Vec::new() };
        if claim.provider == "unknown" {
            let mut all: Vec<RecordId> = index
                .iter()
                .filter(|((_, k), _)| *k == key)
                .flat_map(|(_, v)| v.iter().copied())
                .collect();
            all.sort_unstable();
            all
        } else {
            index
                .get(&(claim.provider.as_str(), key))
                .cloned()
                .unwrap_or_default()
        }
    };
    let by_txn = lookup(&ix.payments_by_txn, claim.txn_id.as_deref());
    if !by_txn.is_empty() {
        return Some(("txn_id", by_txn));
    }
    let by_order = lookup(&ix.payments_by_order, claim.order_id.as_deref());
    (!by_order.is_empty()).then_some(("order_id", by_order))
}

fn attach_payment(data: &Dataset, ix: &Indexes<'_>, case: &mut Case, txn: RecordId) {
    let r = data.get(txn);
    case.txn = Some(txn);
    case.provider = Some(r.provider.clone());
    case.amount = r.amount;
    case.currency.clone_from(&r.currency);
    case.paid_at = r.time;
    let Some(txn_id) = r.txn_id.as_deref() else {
        return;
    };
    let key = (r.provider.as_str(), txn_id);
    case.refunds = ix.refunds_by_txn.get(&key).cloned().unwrap_or_default();
    for &refund in &case.refunds {
        case.links.push(Link {
            from: Kind::Txn,
            to: Kind::Txn,
            method: Method::Id("txn_id"),
            evidence: vec![r.source, data.get(refund).source],
        });
    }
    case.funds = ix.income_by_txn.get(&key).cloned().unwrap_or_default();
    for &fund in &case.funds {
        case.links.push(Link {
            from: Kind::Txn,
            to: Kind::Fund,
            method: Method::Id("txn_id"),
            evidence: vec![r.source, data.get(fund).source],
        });
    }
}

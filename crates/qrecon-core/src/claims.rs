//! Claims to platform payments: by `txn_id`, else `order_id`, else amount + time window +
//! payee. Claims are taken in order of (time, claim id); the first claim to reach a payment
//! consumes it, a later one citing it by id is a duplicate. A claim whose payee is not the
//! merchant never links. Two equally close candidates are never guessed between.

use rustc_hash::FxHashMap;

use crate::case::{Case, Key, Method};
use crate::dataset::Dataset;
use crate::index::{Index, Indexes};
use crate::record::{Kind, Record, RecordId};
use crate::settings::Settings;

/// Builds a case per claim; returns them and the payments they consumed (payment → claim).
pub fn link_claims(
    data: &Dataset,
    settings: &Settings,
    ix: &Indexes<'_>,
) -> (Vec<Case>, FxHashMap<RecordId, RecordId>) {
    use rayon::prelude::*;
    let mut consumed: FxHashMap<RecordId, RecordId> = FxHashMap::default();
    let mut claims: Vec<(RecordId, &Record)> =
        data.iter().filter(|(_, r)| r.kind == Kind::Claim).collect();
    claims.par_sort_by_cached_key(|(id, r)| (r.time, data.s(r.claim_id), *id));
    // What each claim's ids find does not depend on the other claims: looked up in parallel;
    // which claim consumes a payment is then decided in order.
    let found: Vec<Found> = claims
        .par_iter()
        .map(|(_, claim)| {
            let provider = data.s(claim.provider);
            let foreign = data
                .str(claim.payee_name)
                .is_some_and(|p| !settings.is_merchant(provider, p));
            if foreign {
                Found::Foreign
            } else {
                by_id(data, ix, claim).map_or(Found::NotById, |(m, ids)| Found::ById(m, ids))
            }
        })
        .collect();
    let mut cases = Vec::with_capacity(claims.len());
    for ((id, claim), found) in claims.into_iter().zip(found) {
        cases.push(claim_case(
            data,
            settings,
            ix,
            &mut consumed,
            id,
            claim,
            found,
        ));
    }
    (cases, consumed)
}

/// What a claim's own ids found.
enum Found {
    /// It names a payee that is not the merchant: it never links.
    Foreign,
    /// Payments its transaction id or order number names.
    ById(Method, Vec<RecordId>),
    /// Nothing by id: match by amount and time.
    NotById,
}

fn claim_case(
    data: &Dataset,
    settings: &Settings,
    ix: &Indexes<'_>,
    consumed: &mut FxHashMap<RecordId, RecordId>,
    id: RecordId,
    claim: &Record,
    found: Found,
) -> Case {
    let mut case = Case::new(Some(id), None);
    let (method, candidates) = match found {
        Found::Foreign => return case,
        Found::ById(method, ids) => (method, ids),
        Found::NotById => (
            Method::Window,
            by_window(data, settings, ix, consumed, claim),
        ),
    };
    match candidates.as_slice() {
        [] => {}
        [txn] => {
            let txn = *txn;
            case.claim_link = Some(method);
            case.txn = Some(txn);
            match consumed.get(&txn) {
                Some(first) => case.duplicate_of = Some(*first),
                None => {
                    consumed.insert(txn, id);
                }
            }
        }
        many => case.rare_mut().ambiguous = many.to_vec(),
    }
    case
}

fn lookup(
    data: &Dataset,
    ix: &Indexes<'_>,
    index: &Index<&str>,
    claim: &Record,
    key: Option<&str>,
) -> Vec<RecordId> {
    let Some(key) = key else { return Vec::new() };
    let provider = Some(data.s(claim.provider)).filter(|p| !p.is_empty() && *p != "unknown");
    ix.lookup(data, index, provider, key).collect()
}

fn by_id(data: &Dataset, ix: &Indexes<'_>, claim: &Record) -> Option<(Method, Vec<RecordId>)> {
    let by_txn = lookup(data, ix, &ix.payments_by_txn, claim, data.str(claim.txn_id));
    if !by_txn.is_empty() {
        return Some((Method::Id(Key::TxnId), by_txn));
    }
    let by_order = lookup(
        data,
        ix,
        &ix.payments_by_order,
        claim,
        data.str(claim.order_id),
    );
    (!by_order.is_empty()).then_some((Method::Id(Key::OrderId), by_order))
}

/// Unconsumed successful payments of the claim's amount within the time window; the closest
/// one, or all that tie for closest.
fn by_window(
    data: &Dataset,
    settings: &Settings,
    ix: &Indexes<'_>,
    consumed: &FxHashMap<RecordId, RecordId>,
    claim: &Record,
) -> Vec<RecordId> {
    let Some(at) = claim.time else {
        return Vec::new();
    };
    if claim.txn_id.is_some() {
        // A claim citing a transaction id that does not exist must not be papered over.
        return Vec::new();
    }
    let provider = data.s(claim.provider);
    let window = settings.windows.claim_secs;
    let mut best: Vec<(i64, RecordId)> = Vec::new();
    let providers: Vec<&str> = if provider == "unknown" || provider.is_empty() {
        let mut ps: Vec<&str> = ix
            .payments_by_amount
            .keys()
            .filter(|(_, m)| *m == claim.amount)
            .map(|(p, _)| *p)
            .collect();
        ps.sort_unstable();
        ps.dedup();
        ps
    } else {
        vec![provider]
    };
    for p in providers {
        for &id in ix.payments_by_amount.get(&(p, claim.amount)) {
            let r = data.get(id);
            let Some(t) = r.time else { continue };
            let gap = (t - at).num_seconds().abs();
            if gap <= window && !consumed.contains_key(&id) {
                best.push((gap, id));
            }
        }
    }
    let Some(min) = best.iter().map(|(g, _)| *g).min() else {
        return Vec::new();
    };
    let mut out: Vec<RecordId> = best
        .into_iter()
        .filter(|(g, _)| *g == min)
        .map(|(_, id)| id)
        .collect();
    out.sort_unstable();
    out
}

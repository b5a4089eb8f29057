//! Payee groups: a payee named in claims that is not the merchant — the claims naming it and
//! the payers who made them. Clusters of claims from several payers are found in Rust, in one
//! pass, however many claims name the payee.

use qrecon_core::{Dataset, Money, RecordId};
use rhai::{Array, Dynamic, Engine, ImmutableString};
use rustc_hash::FxHashMap;

use super::span::{Span, case_ids, records};
use crate::view::{Amount, RecordView, with_run};

/// A payee named in claims that is not the merchant.
#[derive(Debug, Clone)]
pub struct PayeeView {
    pub(crate) name: ImmutableString,
    /// (claim, case key) in time order.
    pub(crate) claims: Vec<(RecordId, RecordId)>,
    /// The same pairs by claim, for `case_of`.
    pub(crate) by_record: Vec<(RecordId, RecordId)>,
    pub(crate) payers: Vec<ImmutableString>,
    pub(crate) total: Money,
}

/// From each claim, the claims within `seconds` of it; a cluster when they come from at
/// least `payers` distinct payers. The next cluster starts after the last one's window.
pub(crate) fn clusters(
    data: &Dataset,
    claims: &[(RecordId, RecordId)],
    seconds: i64,
    payers: usize,
) -> Vec<Span> {
    let list: Vec<_> = claims
        .iter()
        .filter_map(|&(id, key)| {
            let r = data.get(id);
            Some((r.time?, data.str(r.payer)?, id, key))
        })
        .collect();
    let mut out = Vec::new();
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    let (mut i, mut j) = (0, 0);
    while i < list.len() {
        if j <= i {
            seen.clear();
            j = i;
        }
        while j < list.len() && (list[j].0 - list[i].0).num_seconds() <= seconds {
            *seen.entry(list[j].1).or_default() += 1;
            j += 1;
        }
        if seen.len() >= payers {
            let part = &list[i..j];
            let total = part.iter().map(|(_, _, id, _)| data.get(*id).amount).sum();
            let items = part.iter().map(|(_, _, id, key)| (*id, *key)).collect();
            out.push(
                Span::new(items, total).with_payers(u32::try_from(seen.len()).unwrap_or(u32::MAX)),
            );
            i = j;
            continue;
        }
        if let Some(n) = seen.get_mut(list[i].1) {
            *n -= 1;
            if *n == 0 {
                seen.remove(list[i].1);
            }
        }
        i += 1;
    }
    out
}

/// Registers the payee view's getters and functions.
pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<PayeeView>("Payee")
        .register_get("name", |p: &mut PayeeView| p.name.clone())
        .register_get("claims", |p: &mut PayeeView| {
            records(p.claims.iter().map(|(id, _)| *id))
        })
        .register_get("payers", |p: &mut PayeeView| {
            p.payers
                .iter()
                .map(|x| Dynamic::from(x.clone()))
                .collect::<Array>()
        })
        .register_get("total", |p: &mut PayeeView| Amount(p.total))
        .register_fn("clusters", |p: &mut PayeeView, secs: i64, payers: i64| {
            let payers = usize::try_from(payers)
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("payers must be a positive number, found {payers}"))?;
            if secs < 0 {
                return Err(format!("seconds must not be negative, found {secs}").into());
            }
            with_run(|run| {
                clusters(&run.data, &p.claims, secs, payers)
                    .into_iter()
                    .map(Dynamic::from)
                    .collect::<Array>()
            })
        })
        .register_fn("case_of", |p: &mut PayeeView, r: RecordView| {
            p.by_record
                .binary_search_by_key(&r.id(), |(id, _)| *id)
                .ok()
                .map_or(Dynamic::UNIT, |i| {
                    case_ids(std::iter::once(p.by_record[i].1)).remove(0)
                })
        });
}

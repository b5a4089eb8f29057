//! The entries reported, in file order: each payment as a `payer_receipt` claim, everything
//! else as skipped or quarantined with its reason.

use std::collections::{BTreeMap, BTreeSet};

use qrecon_adapter_sdk::{Emitter, Kind, Record, Status};

use crate::frame::Owner;
use crate::link;
use crate::row::{Entry, Payment};
use crate::status;
use crate::{ADAPTER, BEIJING, PROVIDER};

/// What every record of the file shares.
pub(crate) struct Context<'c> {
    /// The file's name (claim ids of rows without a transaction number use it).
    pub(crate) file: &'c str,
    /// The bill's owner.
    pub(crate) owner: &'c Owner,
}

/// Claim ids handed out so far: the payment lines of each transaction number.
#[derive(Default)]
struct ClaimIds {
    lines: BTreeMap<String, Vec<u64>>,
}

impl ClaimIds {
    /// `alipay-personal:<交易订单号>`; a number already used in the file gets `#<line>`
    /// appended, and a row without one gets `alipay-personal:<file>:<line>`.
    fn next(&mut self, p: &Payment, file: &str) -> String {
        let Some(id) = &p.txn_id else {
            return format!("{ADAPTER}:{file}:{}", p.line);
        };
        let lines = self.lines.entry(id.clone()).or_default();
        lines.push(p.line);
        if lines.len() == 1 {
            format!("{ADAPTER}:{id}")
        } else {
            format!("{ADAPTER}:{id}#{}", p.line)
        }
    }

    fn warn_repeats(&self, out: &mut Emitter) {
        for (id, lines) in &self.lines {
            if let [first, _, ..] = lines.as_slice() {
                out.warn(
                    *first,
                    &format!(
                        "交易订单号 {id} is on {} payment rows (lines {}); the claims after the first get ids ending in #<line>",
                        lines.len(),
                        link::join_lines(lines)
                    ),
                );
            }
        }
    }
}

/// Reports every entry, in order.
pub(crate) fn emit(entries: Vec<Entry>, ctx: &Context<'_>, out: &mut Emitter) {
    let mut ids = ClaimIds::default();
    let mut unknown = BTreeSet::new();
    for entry in entries {
        match entry {
            Entry::Payment(p) => {
                let claim_id = ids.next(&p, ctx.file);
                let status = status_of(&p, &mut unknown, out);
                claim(&p, &claim_id, status, ctx, out);
            }
            Entry::Refund(r) => out.skip(r.line, &r.outcome),
            Entry::Skipped { line, reason } => out.skip(line, &reason),
            Entry::Quarantined {
                line,
                field,
                reason,
                raw,
            } => out.quarantine(line, field.as_deref(), &reason, &raw),
        }
    }
    ids.warn_repeats(out);
}

/// The payment's status; an unknown 交易状态 is warned about once per file.
fn status_of(p: &Payment, unknown: &mut BTreeSet<String>, out: &mut Emitter) -> Status {
    let Some(raw) = p.status_raw.as_deref() else {
        return Status::Unknown;
    };
    let refunded = !p.refunds.is_empty() || p.printed_refund.is_some();
    status::of(raw, refunded).unwrap_or_else(|| {
        if unknown.insert(raw.to_owned()) {
            out.warn(
                p.line,
                &format!(
                    "unknown 交易状态 {raw} (first on line {}): its claims' status is unknown",
                    p.line
                ),
            );
        }
        Status::Unknown
    })
}

fn claim(p: &Payment, claim_id: &str, status: Status, ctx: &Context<'_>, out: &mut Emitter) {
    let refunded = (!p.refunds.is_empty()).then(|| link::refunded(p).to_string());
    let refund_lines = (!p.refunds.is_empty()).then(|| {
        link::refund_lines(p)
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    });
    let mut record = Record::new(p.line, Kind::Claim, "payer_receipt", PROVIDER);
    record.claim_id = Some(claim_id);
    record.txn_id = p.txn_id.as_deref();
    record.order_id = p.order_id.as_deref();
    record.time = Some(p.time);
    record.utc_offset_secs = Some(BEIJING);
    record.amount = p.amount;
    record.status = status;
    record.status_raw = p.status_raw.as_deref();
    record.payee_name = p.payee_name.as_deref();
    record.payee_account = p.payee_account.as_deref();
    record.memo = p.memo.as_deref();
    record.payer = ctx.owner.account.as_deref().or(ctx
        .owner
        .name
        .as_ref()
        .map(|(_, v)| v.as_str()));
    record.extra = p
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let (Some(_), Some((label, name))) = (&ctx.owner.account, &ctx.owner.name) {
        record.extra.push((label, name));
    }
    if let (Some(total), Some(lines)) = (&refunded, &refund_lines) {
        record.extra.push(("refunded", total));
        record.extra.push(("refund_lines", lines));
    }
    out.record(&record, &p.raw);
}

//! The entries reported, in file order: each payment as a `payer_receipt` claim, everything
//! else as skipped or quarantined with its reason.

use std::collections::{BTreeMap, BTreeSet};

use qrecon_adapter_sdk::{Decimal, Emitter, Kind, Record, Status};

use crate::BEIJING;
use crate::entry::{Entry, Payment};
use crate::link;

/// What a platform's claims are made of: its names, and how its status texts read.
pub struct Platform {
    /// The provider of every record (`alipay`, `wechatpay`).
    pub provider: &'static str,
    /// The adapter's name, which claim ids start with (`alipay-personal`).
    pub adapter: &'static str,
    /// The transaction number's column, for warnings (`交易订单号`).
    pub txn_id_column: &'static str,
    /// The status's column, for warnings (`交易状态`).
    pub status_column: &'static str,
    /// The status of a payment whose status text is the first argument; `None` for a text
    /// the adapter does not know (the claim's status is then unknown, with a warning).
    pub status: fn(&str, &Payment) -> Option<Status>,
    /// The refund a payment without linked refund rows states itself (recorded as
    /// `refunded`), if any.
    pub stated_refund: fn(&Payment) -> Option<Decimal>,
}

/// What every record of one file shares.
pub struct Context<'c> {
    /// The file's name (claim ids of rows without a transaction number use it).
    pub file: &'c str,
    /// The bill's owner, as the frame names them.
    pub payer: Option<&'c str>,
    /// An `extra` value every claim gets after its own (a label and value of the frame).
    pub extra: Option<(&'c str, &'c str)>,
}

/// Claim ids handed out so far: the payment lines of each transaction number.
#[derive(Default)]
struct ClaimIds {
    lines: BTreeMap<String, Vec<u64>>,
}

impl ClaimIds {
    /// `<adapter>:<transaction number>`; a number already used in the file gets `#<line>`
    /// appended, and a row without one gets `<adapter>:<file>:<line>`.
    fn next(&mut self, p: &Payment, adapter: &str, file: &str) -> String {
        let Some(id) = &p.txn_id else {
            return format!("{adapter}:{file}:{}", p.line);
        };
        let lines = self.lines.entry(id.clone()).or_default();
        lines.push(p.line);
        if lines.len() == 1 {
            format!("{adapter}:{id}")
        } else {
            format!("{adapter}:{id}#{}", p.line)
        }
    }

    fn warn_repeats(&self, column: &str, out: &mut Emitter) {
        for (id, lines) in &self.lines {
            if let [first, _, ..] = lines.as_slice() {
                out.warn(
                    *first,
                    &format!(
                        "{column} {id} is on {} payment rows (lines {}); the claims after the first get ids ending in #<line>",
                        lines.len(),
                        link::join_lines(lines)
                    ),
                );
            }
        }
    }
}

/// Reports every entry, in order, each payment as a claim of `platform`.
pub fn emit(entries: Vec<Entry>, platform: &Platform, ctx: &Context<'_>, out: &mut Emitter) {
    let mut ids = ClaimIds::default();
    let mut unknown = BTreeSet::new();
    for entry in entries {
        match entry {
            Entry::Payment(p) => {
                let claim_id = ids.next(&p, platform.adapter, ctx.file);
                let status = status_of(&p, platform, &mut unknown, out);
                claim(&p, &claim_id, status, platform, ctx, out);
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
    ids.warn_repeats(platform.txn_id_column, out);
}

/// The payment's status; an unknown status text is warned about once per file.
fn status_of(
    p: &Payment,
    platform: &Platform,
    unknown: &mut BTreeSet<String>,
    out: &mut Emitter,
) -> Status {
    let Some(raw) = p.status_raw.as_deref() else {
        return Status::Unknown;
    };
    (platform.status)(raw, p).unwrap_or_else(|| {
        if unknown.insert(raw.to_owned()) {
            out.warn(
                p.line,
                &format!(
                    "unknown {} {raw} (first on line {}): its claims' status is unknown",
                    platform.status_column, p.line
                ),
            );
        }
        Status::Unknown
    })
}

/// The refunded total and the refund lines, as `extra` values: from the linked refund rows,
/// else what the payment states itself (no lines then).
fn refund_extras(p: &Payment, platform: &Platform) -> (Option<String>, Option<String>) {
    if p.refunds.is_empty() {
        return ((platform.stated_refund)(p).map(|d| d.to_string()), None);
    }
    let lines = p
        .refund_lines()
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    (Some(p.refunded().to_string()), Some(lines))
}

fn claim(
    p: &Payment,
    claim_id: &str,
    status: Status,
    platform: &Platform,
    ctx: &Context<'_>,
    out: &mut Emitter,
) {
    let (refunded, refund_lines) = refund_extras(p, platform);
    let mut record = Record::new(p.line, Kind::Claim, "payer_receipt", platform.provider);
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
    record.payer = ctx.payer;
    record.extra = p
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(ctx.extra)
        .collect();
    if let Some(total) = &refunded {
        record.extra.push(("refunded", total));
    }
    if let Some(lines) = &refund_lines {
        record.extra.push(("refund_lines", lines));
    }
    out.record(&record, &p.raw);
}

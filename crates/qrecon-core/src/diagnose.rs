//! The built-in diagnosis: one function that turns a case into findings (DESIGN §3 codes).
//! This is the seam the Rhai rule pack replaces; keep the decision here and only here.

use chrono::{NaiveDate, NaiveTime, TimeZone};
use rust_decimal::Decimal;

use crate::case::Case;
use crate::dataset::Dataset;
use crate::finding::{Finding, Severity};
use crate::money;
use crate::record::{Source, Status};
use crate::settings::Settings;

/// Diagnosis codes in priority order: a case's status is the first of its findings here.
pub const CODES: [&str; 16] = [
    "PAID_TO_OTHER_PAYEE",
    "NOT_FOUND_ON_PLATFORM",
    "DUPLICATE_CLAIM",
    "AMBIGUOUS_MATCH",
    "PAYMENT_FAILED",
    "PAYMENT_PENDING",
    "AMOUNT_MISMATCH",
    "REFUNDED",
    "FUNDS_FROZEN",
    "LIMIT_EXCEEDED",
    "PAYOUT_RETURNED",
    "SETTLEMENT_OVERDUE",
    "BANK_DELAYED",
    "SETTLEMENT_PENDING",
    "BANK_IN_TRANSIT",
    "ARRIVED",
];

fn priority(code: &str) -> u32 {
    CODES
        .iter()
        .position(|c| *c == code)
        .map_or(1000, |p| u32::try_from(p * 10).unwrap_or(u32::MAX))
}

struct Ctx<'a> {
    data: &'a Dataset,
    settings: &'a Settings,
    case: &'a Case,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn add(
        &mut self,
        code: &str,
        severity: Severity,
        message: String,
        action: String,
        evidence: Vec<Source>,
    ) {
        self.add_due(code, severity, message, action, None, evidence);
    }

    fn add_due(
        &mut self,
        code: &str,
        severity: Severity,
        message: String,
        action: String,
        expected_by: Option<NaiveDate>,
        evidence: Vec<Source>,
    ) {
        self.out.push(Finding {
            code: code.to_owned(),
            rule: format!("builtin/{}", code.to_lowercase()),
            priority: priority(code),
            severity,
            message,
            action,
            expected_by,
            evidence,
        });
    }

    fn src(&self, id: Option<crate::record::RecordId>) -> Vec<Source> {
        id.map(|i| vec![self.data.get(i).source])
            .unwrap_or_default()
    }
}

/// Diagnoses one case. Findings come back most important first.
pub fn diagnose(data: &Dataset, settings: &Settings, case: &Case) -> Vec<Finding> {
    let mut cx = Ctx {
        data,
        settings,
        case,
        out: Vec::new(),
    };
    if case.txn.is_none() {
        unlinked_claim(&mut cx);
    } else {
        duplicate(&mut cx);
        payment(&mut cx);
    }
    cx.out
        .sort_by(|a, b| (a.priority, &a.code).cmp(&(b.priority, &b.code)));
    cx.out
}

fn unlinked_claim(cx: &mut Ctx<'_>) {
    let Some(claim_id) = cx.case.claim else {
        return;
    };
    let claim = cx.data.get(claim_id);
    let cited = claim
        .txn_id
        .as_deref()
        .or(claim.order_id.as_deref())
        .unwrap_or("(none)");
    if !cx.case.ambiguous.is_empty() {
        let mut ev = vec![claim.source];
        ev.extend(cx.case.ambiguous.iter().map(|i| cx.data.get(*i).source));
        cx.add(
            "AMBIGUOUS_MATCH",
            Severity::Warn,
            format!(
                "{} platform payments match this claim equally well; none was chosen",
                cx.case.ambiguous.len()
            ),
            "Ask the payer for the transaction number on their receipt and add it to the claim"
                .to_owned(),
            ev,
        );
        return;
    }
    if let Some(payee) = claim
        .payee_name
        .as_deref()
        .filter(|p| !cx.settings.is_merchant(&claim.provider, p))
    {
        cx.add("PAID_TO_OTHER_PAYEE", Severity::Critical,
            format!("the payer's record names payee {payee:?}, which is not this merchant"),
            "Check the QR code at the till for a replaced sticker; ask the payer to contact their provider to trace the payment to that payee".to_owned(),
            vec![claim.source]);
        return;
    }
    if let Some(limit) = cx
        .settings
        .per_payment_limits
        .get(&claim.provider)
        .filter(|l| claim.amount > **l)
    {
        cx.add("LIMIT_EXCEEDED", Severity::Warn,
            format!("the claim of {} is over the {} per-payment limit of {}, so the platform refuses or holds such a payment", money::format(claim.amount), claim.provider, money::format(*limit)),
            "Ask the payer to pay in amounts within the limit, or by bank transfer; nothing reached the platform".to_owned(),
            vec![claim.source]);
        return;
    }
    cx.add("NOT_FOUND_ON_PLATFORM", Severity::Critical,
        format!("no platform transaction at the merchant matches the claim (cited id {cited})"),
        "Ask the payer for the transaction number and a screenshot of the receipt in their app; a receipt whose number the provider cannot find is likely fake".to_owned(),
        vec![claim.source]);
}

fn duplicate(cx: &mut Ctx<'_>) {
    let Some(first) = cx.case.duplicate_of.clone() else {
        return;
    };
    let mut ev = cx.src(cx.case.claim);
    ev.extend(cx.src(cx.case.txn));
    cx.add(
        "DUPLICATE_CLAIM",
        Severity::Warn,
        format!("the platform transaction this claim cites was already claimed by {first}"),
        format!("Treat as one payment: compare with {first} before paying anything out twice"),
        ev,
    );
}

fn payment(cx: &mut Ctx<'_>) {
    if cx.case.duplicate_of.is_some() {
        return;
    }
    let Some(txn_id) = cx.case.txn else { return };
    let txn = cx.data.get(txn_id);
    let ev = cx.src(Some(txn_id));
    match txn.status {
        Status::Failed | Status::Revoked => {
            let raw = txn.status_raw.as_deref().unwrap_or("failed");
            return cx.add("PAYMENT_FAILED", Severity::Critical,
                format!("the platform shows the payment as {raw}; no money moved to the merchant"),
                "Tell the payer the payment did not complete; if their account was debited, the provider returns it to them".to_owned(), ev);
        }
        Status::Pending | Status::Unknown => {
            return cx.add("PAYMENT_PENDING", Severity::Warn,
                "the platform shows the payment unresolved".to_owned(),
                "Look again after the provider's next bill; quote the transaction id to merchant support if it stays open".to_owned(), ev);
        }
        Status::Success => {}
    }
    amount_mismatch(cx, txn.amount);
    refunded(cx, txn.amount);
    settlement(cx, txn);
}

fn amount_mismatch(cx: &mut Ctx<'_>, paid: Decimal) {
    let Some(claim_id) = cx.case.claim else {
        return;
    };
    let claim = cx.data.get(claim_id);
    if claim.amount != paid {
        let mut ev = vec![claim.source];
        ev.extend(cx.src(cx.case.txn));
        cx.add(
            "AMOUNT_MISMATCH",
            Severity::Warn,
            format!(
                "the claim says {} but the platform transaction is {}",
                money::format(claim.amount),
                money::format(paid)
            ),
            "Compare the order with the payer's receipt; collect or return the difference"
                .to_owned(),
            ev,
        );
    }
}

fn refunded(cx: &mut Ctx<'_>, paid: Decimal) {
    let refunds: Vec<_> = cx
        .case
        .refunds
        .iter()
        .map(|i| cx.data.get(*i))
        .filter(|r| r.status == Status::Success)
        .collect();
    if refunds.is_empty() {
        return;
    }
    let total: Decimal = refunds.iter().map(|r| -r.amount).sum();
    let extent = if total >= paid { "in full" } else { "in part" };
    let mut ev = cx.src(cx.case.txn);
    ev.extend(refunds.iter().map(|r| r.source));
    cx.add(
        "REFUNDED",
        Severity::Info,
        format!(
            "refunded {extent}: {} of {} in {} refund(s)",
            money::format(total),
            money::format(paid),
            refunds.len()
        ),
        "Nothing to collect for the refunded part; show the payer the refund id if they ask"
            .to_owned(),
        ev,
    );
}

fn settlement(cx: &mut Ctx<'_>, txn: &crate::record::Record) {
    let Some(paid_at) = txn.time else { return };
    let tz = cx.settings.timezone;
    let paid = paid_at.with_timezone(&tz).date_naive();
    let terms = cx.settings.terms(&txn.provider);
    let due = terms.settlement.due(paid, &cx.settings.calendar(&terms));
    let due_end = tz
        .from_local_datetime(&(due + chrono::TimeDelta::days(1)).and_time(NaiveTime::MIN))
        .earliest();
    let overdue = due_end.is_some_and(|end| cx.settings.as_of >= end);
    let mut ev = cx.src(Some(cx.case.txn.unwrap_or(crate::record::RecordId(0))));
    ev.extend(cx.case.funds.iter().map(|i| cx.data.get(*i).source));
    if overdue {
        cx.add_due("SETTLEMENT_OVERDUE", Severity::Critical,
            format!("paid on {paid}; the payout was due by {due} ({}) and no payout carrying it is in the inputs", terms.settlement),
            format!("Quote transaction id {} to {} merchant support and ask when it settles", txn.txn_id.as_deref().unwrap_or("?"), txn.provider),
            Some(due), ev);
    } else {
        cx.add_due(
            "SETTLEMENT_PENDING",
            Severity::Info,
            format!(
                "paid on {paid}; under {} the payout is due by {due}",
                terms.settlement
            ),
            format!("Nothing to do yet; look again after {due}"),
            Some(due),
            ev,
        );
    }
}

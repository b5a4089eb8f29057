//! The built-in diagnosis: one function that turns a case into findings (DESIGN §3 codes).
//! This is the seam the Rhai rule pack replaces; the decision lives here and only here.

use chrono::NaiveDate;

use crate::case::Case;
use crate::dataset::Dataset;
use crate::finding::{Finding, Severity};
use crate::groups::Groups;
use crate::money::Money;
use crate::record::{Record, RecordId, RecordType, Source, Status};
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
    "LIMIT_EXCEEDED",
    "FUNDS_FROZEN",
    "PAYOUT_RETURNED",
    "SETTLEMENT_OVERDUE",
    "BANK_DELAYED",
    "REFUNDED",
    "SETTLEMENT_PENDING",
    "BANK_IN_TRANSIT",
    "ARRIVED",
];

/// Codes that say where the money of a paid case is.
pub const SETTLEMENT_CODES: [&str; 7] = [
    "FUNDS_FROZEN",
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

struct Verdict<'s> {
    code: &'s str,
    severity: Severity,
    message: String,
    action: String,
    expected_by: Option<NaiveDate>,
    evidence: Vec<Source>,
}

impl Ctx<'_> {
    fn add(&mut self, v: Verdict<'_>) {
        self.out.push(Finding {
            code: crate::finding::intern(v.code),
            rule: crate::finding::intern(&format!("builtin/{}", v.code.to_lowercase())),
            priority: priority(v.code),
            severity: v.severity,
            message: v.message,
            action: v.action,
            expected_by: v.expected_by,
            evidence: {
                let mut e = v.evidence;
                e.shrink_to_fit();
                e
            },
        });
    }

    fn src(&self, ids: &[RecordId]) -> Vec<Source> {
        ids.iter().map(|i| self.data.get(*i).source).collect()
    }

    fn s(&self, s: crate::text::Str) -> &str {
        self.data.s(s)
    }
}

fn v(
    code: &str,
    severity: Severity,
    message: String,
    action: String,
    evidence: Vec<Source>,
) -> Verdict<'_> {
    Verdict {
        code,
        severity,
        message,
        action,
        expected_by: None,
        evidence,
    }
}

/// Diagnoses one case. Findings come back most important first.
pub fn diagnose(data: &Dataset, settings: &Settings, groups: &Groups, case: &Case) -> Vec<Finding> {
    let _ = groups;
    let mut cx = Ctx {
        data,
        settings,
        case,
        out: Vec::new(),
    };
    match case.txn {
        None => unlinked_claim(&mut cx),
        Some(_) if case.duplicate_of.is_some() => duplicate(&mut cx),
        Some(txn) => payment(&mut cx, data.get(txn)),
    }
    cx.out
        .sort_by(|a, b| (a.priority, a.code).cmp(&(b.priority, b.code)));
    cx.out.shrink_to_fit();
    cx.out
}

fn unlinked_claim(cx: &mut Ctx<'_>) {
    let Some(claim_id) = cx.case.claim else {
        return;
    };
    let claim = cx.data.get(claim_id);
    let provider = cx.s(claim.provider).to_owned();
    let cited = cx
        .data
        .str(claim.txn_id)
        .or(cx.data.str(claim.order_id))
        .unwrap_or("(none)")
        .to_owned();
    if !cx.case.ambiguous().is_empty() {
        let mut ev = vec![claim.source];
        ev.extend(cx.src(cx.case.ambiguous()));
        let n = cx.case.ambiguous().len();
        return cx.add(v("AMBIGUOUS_MATCH", Severity::Warn,
            format!("{n} platform payments match this claim equally well (same amount, same time distance); none was chosen"),
            "Ask the payer for the transaction number (交易单号) on their receipt and add it to the claim".to_owned(), ev));
    }
    if let Some(payee) = cx
        .data
        .str(claim.payee_name)
        .filter(|p| !cx.settings.is_merchant(&provider, p))
    {
        return cx.add(v("PAID_TO_OTHER_PAYEE", Severity::Critical,
            format!("the payer's record names payee {payee:?}, which is not this merchant"),
            "Check the QR code at the till for a replaced sticker; ask the payer to report the payment to their provider as paid to the wrong payee".to_owned(),
            vec![claim.source]));
    }
    if let Some(limit) = cx
        .settings
        .per_payment_limits
        .get(&provider)
        .filter(|l| claim.amount > **l)
    {
        return cx.add(v("LIMIT_EXCEEDED", Severity::Warn,
            format!("the claim of {} is over the {provider} per-payment limit of {limit}, so the platform refuses or holds such a payment", claim.amount),
            "Ask the payer to pay within the limit or by bank transfer; nothing reached the platform".to_owned(),
            vec![claim.source]));
    }
    cx.add(v("NOT_FOUND_ON_PLATFORM", Severity::Critical,
        format!("no platform transaction at the merchant matches the claim (cited id {cited})"),
        "Ask the payer for the transaction number and a screenshot of the receipt in their app; a receipt whose number the provider cannot find is likely fake".to_owned(),
        vec![claim.source]));
}

fn duplicate(cx: &mut Ctx<'_>) {
    let first = cx
        .case
        .duplicate_of
        .map(|c| format!("claim:{}", cx.data.s(cx.data.get(c).claim_id)))
        .unwrap_or_default();
    let mut ev = cx.src(&cx.case.claim.into_iter().collect::<Vec<_>>());
    ev.extend(cx.src(&cx.case.txn.into_iter().collect::<Vec<_>>()));
    cx.add(v(
        "DUPLICATE_CLAIM",
        Severity::Warn,
        format!("the platform transaction this claim cites was already claimed by {first}"),
        format!(
            "Treat it as one payment: answer it with {first}, and never pay anything out twice"
        ),
        ev,
    ));
}

fn payment(cx: &mut Ctx<'_>, txn: &Record) {
    let ev = vec![txn.source];
    let raw = cx
        .data
        .str(txn.status_raw)
        .unwrap_or("unresolved")
        .to_owned();
    match txn.status {
        Status::Failed | Status::Revoked => {
            return cx.add(v("PAYMENT_FAILED", Severity::Critical,
                format!("the platform shows the payment as {raw}; no money moved to the merchant"),
                "Tell the payer the payment did not complete; if they were charged, their provider returns it to them".to_owned(), ev));
        }
        Status::Pending | Status::Unknown => {
            return cx.add(v("PAYMENT_PENDING", Severity::Warn,
                format!("the platform shows the payment as {raw}, not yet successful"),
                format!("Look again after the provider's next bill; quote transaction id {} to merchant support if it stays open", cx.s(txn.txn_id)), ev));
        }
        Status::Success => {}
    }
    if txn.rtype == RecordType::Revoke {
        return;
    }
    amount_mismatch(cx, txn);
    let f = &cx.case.facts;
    if f.refunded > Money::ZERO {
        refunded(cx, txn);
        if cx.case.facts.refunded >= cx.case.facts.gross {
            return;
        }
    }
    settlement(cx, txn);
}

fn amount_mismatch(cx: &mut Ctx<'_>, txn: &Record) {
    let Some(claim) = cx.case.claim.map(|c| cx.data.get(c)) else {
        return;
    };
    if claim.amount != txn.amount {
        cx.add(v(
            "AMOUNT_MISMATCH",
            Severity::Warn,
            format!(
                "the claim says {} but the platform transaction is {}",
                claim.amount, txn.amount
            ),
            "Compare the order with the payer's receipt; collect or return the difference"
                .to_owned(),
            vec![claim.source, txn.source],
        ));
    }
}

fn refunded(cx: &mut Ctx<'_>, txn: &Record) {
    let f = &cx.case.facts;
    let ok: Vec<RecordId> = cx
        .case
        .refunds
        .iter()
        .copied()
        .filter(|r| cx.data.get(*r).status == Status::Success)
        .collect();
    let extent = if f.refunded >= f.gross {
        "in full"
    } else {
        "in part"
    };
    let message = format!(
        "refunded {extent}: {} of {} in {} refund(s)",
        f.refunded,
        f.gross,
        ok.len()
    );
    let mut ev = vec![txn.source];
    ev.extend(cx.src(&ok));
    let ids: Vec<&str> = ok
        .iter()
        .filter_map(|r| cx.data.str(cx.data.get(*r).refund_id))
        .collect();
    cx.add(v("REFUNDED", Severity::Info, message,
        format!("Nothing to collect for the refunded part; give the payer the refund id ({}) if they ask", ids.join(", ")), ev));
}

fn settlement(cx: &mut Ctx<'_>, txn: &Record) {
    let case = cx.case;
    let f = case.facts.clone();
    let mut ev = vec![txn.source];
    ev.extend(cx.src(&case.funds));
    let txn_id = cx.s(txn.txn_id).to_owned();
    let provider = cx.s(txn.provider).to_owned();
    if let Some(freeze) = case.frozen_by() {
        ev.push(cx.data.get(freeze).source);
        return cx.add(v("FUNDS_FROZEN", Severity::Critical,
            format!("{} of this payment is held by a freeze on the {provider} account", f.frozen),
            format!("Ask {provider} merchant support why account {} is frozen and what they need to release it; quote transaction id {txn_id}", cx.s(txn.account)), ev));
    }
    if !case.returns().is_empty() && f.paid_out < f.net {
        let ret = cx.data.get(case.returns()[case.returns().len() - 1]);
        let reason = cx
            .data
            .str(ret.memo)
            .unwrap_or("no reason given")
            .to_owned();
        ev.extend(cx.src(&case.payouts.iter().map(|c| c.payout).collect::<Vec<_>>()));
        ev.push(ret.source);
        return cx.add(v("PAYOUT_RETURNED", Severity::Critical,
            format!("the payout carrying this payment bounced back to the {provider} balance ({reason})"),
            format!("Check the settlement bank account name and number registered with {provider}, correct them, and ask for the payout to be sent again"), ev));
    }
    if !case.payouts.is_empty() || !case.bank.is_empty() {
        return bank_stage(cx, &f, ev);
    }
    let Some(due) = f.expected_payout else { return };
    if !cx.settings.is_past(due) {
        return cx.add(Verdict {
            code: "SETTLEMENT_PENDING",
            severity: Severity::Info,
            message: format!(
                "paid on {}; under its settlement cycle the payout is due by {due}",
                f.paid_date.unwrap_or(due)
            ),
            action: format!("Nothing to do yet; look again after {due}"),
            expected_by: Some(due),
            evidence: ev,
        });
    }
    let days = f.days_overdue;
    if f.payouts_stopped {
        return cx.add(Verdict { code: "FUNDS_FROZEN", severity: Severity::Critical,
            message: format!("payouts on {provider} account {} have stopped while sales continue; this payment was due out by {due}", cx.s(txn.account)),
            action: format!("Ask {provider} merchant support whether the account is frozen or under review; quote transaction id {txn_id}"),
            expected_by: Some(due), evidence: ev });
    }
    let unseen = if f.ledger_seen {
        "no payout carrying it is in the platform ledger"
    } else {
        "no payout or bank credit for it is in the inputs (the platform's fund-flow export was not given)"
    };
    cx.add(Verdict {
        code: "SETTLEMENT_OVERDUE",
        severity: Severity::Critical,
        message: format!(
            "paid on {}; the payout was due by {due}, {days} business day(s) ago, and {unseen}",
            f.paid_date.unwrap_or(due)
        ),
        action: format!(
            "Quote transaction id {txn_id} to {provider} merchant support and ask when it settles"
        ),
        expected_by: Some(due),
        evidence: ev,
    });
}

fn bank_stage(cx: &mut Ctx<'_>, f: &crate::case::Facts, mut ev: Vec<Source>) {
    let case = cx.case;
    ev.extend(cx.src(&case.payouts.iter().map(|c| c.payout).collect::<Vec<_>>()));
    if !case.bank.is_empty() {
        ev.extend(case.bank.iter().map(|b| cx.data.get(b.bank).source));
        let on = f.bank_date.map_or_else(String::new, |d| format!(" on {d}"));
        return cx.add(v(
            "ARRIVED",
            Severity::Info,
            format!(
                "reached the merchant's bank{on}: net {} after {} fees",
                f.net, f.fee
            ),
            "Nothing to do".to_owned(),
            ev,
        ));
    }
    if !case.bank_ambiguous().is_empty() {
        ev.extend(cx.src(case.bank_ambiguous()));
        return cx.add(v("AMBIGUOUS_MATCH", Severity::Warn,
            format!("{} bank credits match the payout equally well; none was chosen", case.bank_ambiguous().len()),
            "Match the payout to the bank line by its reference in online banking, then add the reference to the statement export".to_owned(), ev));
    }
    let Some(due) = f.expected_bank else { return };
    let payout = case
        .payouts
        .last()
        .and_then(|c| cx.data.str(cx.data.get(c.payout).payout_id))
        .unwrap_or("?")
        .to_owned();
    if !cx.settings.is_past(due) {
        return cx.add(Verdict {
            code: "BANK_IN_TRANSIT",
            severity: Severity::Info,
            message: format!(
                "paid out on {} in payout {payout}; the bank credit is due by {due}",
                f.payout_date.unwrap_or(due)
            ),
            action: format!(
                "Nothing to do yet; look for payout {payout} on the statement after {due}"
            ),
            expected_by: Some(due),
            evidence: ev,
        });
    }
    let provider = case.provider(cx.data).unwrap_or_default().to_owned();
    let days = f.days_overdue;
    cx.add(Verdict { code: "BANK_DELAYED", severity: Severity::Critical,
        message: format!("paid out on {} in payout {payout}; the bank credit was due by {due}, {days} business day(s) ago, and is not on the statement", f.payout_date.unwrap_or(due)),
        action: format!("Ask the bank to trace an incoming payment of payout {payout} from {provider}; if the bank has nothing, ask {provider} for the payout's bank reference"),
        expected_by: Some(due), evidence: ev });
}

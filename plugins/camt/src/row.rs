//! The record made from an entry, or from one transaction of a split batch: the mapping of
//! camt's fields onto the canonical record (see the crate doc for the table).

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use qrecon_adapter_sdk::{Decimal, Kind, Record, Status};

use crate::entry::{Head, Part, signed};
use crate::node::Node;
use crate::statement::Context;

/// `EndToEndId` when the payer gave none: not an id, so not kept.
const NOT_PROVIDED: &str = "NOTPROVIDED";

/// `Refs` children that go to `extra`, with their keys.
const REFS: [(&str, &str); 9] = [
    ("end_to_end_id", "EndToEndId"),
    ("tx_id", "TxId"),
    ("instr_id", "InstrId"),
    ("msg_id", "MsgId"),
    ("pmt_inf_id", "PmtInfId"),
    ("mandate_id", "MndtId"),
    ("uetr", "UETR"),
    ("cheque_number", "ChqNb"),
    ("clearing_ref", "ClrSysRef"),
];

/// A record in the making: the values it borrows from the entry and the texts it composes.
pub(crate) struct Row<'n> {
    line: u64,
    credit: bool,
    amount: Decimal,
    currency: &'n str,
    status: Status,
    status_raw: Option<&'n str>,
    time: Option<(NaiveDateTime, Option<i32>)>,
    value_date: Option<NaiveDate>,
    account: Option<&'n str>,
    bank_ref: Option<&'n str>,
    counterparty: Option<&'n str>,
    memo: Option<Cow<'n, str>>,
    extra: Vec<(&'static str, Cow<'n, str>)>,
}

impl<'n> Row<'n> {
    /// The record of one transaction of a split batch booking, at its `<TxDtls>`.
    pub(crate) fn part(ctx: &Context<'n>, head: &Head<'n>, part: &Part<'n>) -> Self {
        let mut row = Self::base(ctx, head, part.tx.line, part.credit, part.amount);
        row.details(ctx, head, Some(part.tx), true);
        row.push(
            "entry_amount",
            format!("{} {}", signed(head.amount, head.credit), head.currency),
        );
        row
    }

    /// The record of a whole entry, at its `<Ntry>`. With exactly one `TxDtls` its details
    /// are the record's; with several (a batch that could not be split) only their count is.
    pub(crate) fn whole(ctx: &Context<'n>, head: &Head<'n>, txs: &[&'n Node<'n>]) -> Self {
        let single = match txs {
            [one] => Some(*one),
            _ => None,
        };
        let mut row = Self::base(ctx, head, head.node.line, head.credit, head.amount);
        row.details(ctx, head, single, false);
        if txs.len() > 1 {
            row.push("transactions", txs.len().to_string());
        }
        if let Some(text) = single.and_then(|tx| differing_amount(tx, head)) {
            row.push("tx_amount", text);
        }
        row
    }

    /// The canonical record, borrowing from the row.
    pub(crate) fn record(&self) -> Record<'_> {
        let record_type = if self.credit { "credit" } else { "debit" };
        let mut r = Record::new(self.line, Kind::Bank, record_type, "bank");
        r.account = self.account;
        r.bank_ref = self.bank_ref;
        r.time = self.time.map(|(t, _)| t);
        r.utc_offset_secs = self.time.and_then(|(_, o)| o);
        r.value_date = self.value_date;
        r.amount = signed(self.amount, self.credit);
        r.currency = self.currency;
        r.status = self.status;
        r.status_raw = self.status_raw;
        r.counterparty = self.counterparty;
        r.memo = self.memo.as_deref();
        r.extra = self.extra.iter().map(|(k, v)| (*k, v.as_ref())).collect();
        r
    }

    fn base(ctx: &Context<'n>, head: &Head<'n>, line: u64, credit: bool, amount: Decimal) -> Self {
        Self {
            line,
            credit,
            amount,
            currency: head.currency,
            status: head.status,
            status_raw: head.status_raw,
            time: head.time,
            value_date: head.value_date,
            account: ctx.account,
            bank_ref: None,
            counterparty: None,
            memo: None,
            extra: Vec::new(),
        }
    }

    fn push(&mut self, key: &'static str, value: impl Into<Cow<'n, str>>) {
        self.extra.push((key, value.into()));
    }

    fn push_opt(&mut self, key: &'static str, value: Option<&'n str>) {
        if let Some(v) = value {
            self.push(key, v);
        }
    }

    /// Everything but the amount: ids, codes, parties, memo.
    fn details(
        &mut self,
        ctx: &Context<'n>,
        head: &Head<'n>,
        tx: Option<&'n Node<'n>>,
        split: bool,
    ) {
        let entry = head.node;
        self.push_opt("statement_id", ctx.statement_id);
        self.push_opt("entry_ref", entry.text(&["NtryRef"]));
        self.push_opt("booking_date", head.booking_date);
        if head.reversal {
            self.push("reversal", "true");
        }
        self.references(entry, tx);
        self.codes(entry, tx);
        let charges = tx
            .and_then(charges)
            .or_else(|| if split { None } else { charges(entry) });
        if let Some(c) = charges {
            self.push("charges", c);
        }
        if let Some(tx) = tx {
            self.parties(head, tx);
            if let Some(text) = instructed(tx, self.amount, self.currency) {
                self.push("instructed_amount", text);
            }
        }
        self.memo(head, tx);
    }

    /// `bank_ref` and the `Refs` ids.
    fn references(&mut self, entry: &'n Node<'n>, tx: Option<&'n Node<'n>>) {
        let entry_ref = entry.text(&["AcctSvcrRef"]);
        let tx_ref = tx.and_then(|t| t.text(&["Refs", "AcctSvcrRef"]));
        self.bank_ref = tx_ref.or(entry_ref);
        if tx_ref.is_some() && entry_ref.is_some() && tx_ref != entry_ref {
            self.push_opt("entry_acct_svcr_ref", entry_ref);
        }
        let batch = entry.find(&["NtryDtls", "Btch"]);
        for (key, name) in REFS {
            let own = tx.and_then(|t| t.text(&["Refs", name]));
            let from_batch = || match name {
                "MsgId" | "PmtInfId" => batch.and_then(|b| b.text(&[name])),
                _ => None,
            };
            match own.or_else(from_batch) {
                Some(NOT_PROVIDED) | None => {}
                Some(v) => self.push(key, v),
            }
        }
        self.push_opt(
            "batch_transactions",
            batch.and_then(|b| b.text(&["NbOfTxs"])),
        );
    }

    /// Bank transaction code, purpose, return reason.
    fn codes(&mut self, entry: &'n Node<'n>, tx: Option<&'n Node<'n>>) {
        let domain = tx.and_then(domain_code).or_else(|| domain_code(entry));
        let proprietary = tx
            .and_then(|t| t.text(&["BkTxCd", "Prtry", "Cd"]))
            .or_else(|| entry.text(&["BkTxCd", "Prtry", "Cd"]));
        match domain {
            Some(code) => {
                self.push("bank_tx_code", code);
                self.push_opt("bank_tx_code_proprietary", proprietary);
            }
            None => self.push_opt("bank_tx_code", proprietary),
        }
        let Some(tx) = tx else {
            return;
        };
        self.push_opt(
            "purpose",
            tx.text(&["Purp", "Cd"])
                .or_else(|| tx.text(&["Purp", "Prtry"])),
        );
        self.push_opt("return_reason", return_reason(tx));
        if let Some(info) = joined(tx, &["RtrInf", "AddtlInf"]) {
            self.push("return_info", info);
        }
    }

    /// Counterparty and the named parties. The counterparty is the debtor of a credit and the
    /// creditor of a debit; for a reversal (`RvslInd`) or a return (`RtrInf`) the parties are
    /// those of the original transaction, so the sides swap.
    fn parties(&mut self, head: &Head<'n>, tx: &'n Node<'n>) {
        let returned = head.reversal || tx.child("RtrInf").is_some();
        let toward_us = self.credit != returned;
        let (near, far) = if toward_us {
            ("Dbtr", "UltmtDbtr")
        } else {
            ("Cdtr", "UltmtCdtr")
        };
        self.counterparty = party(tx, near).or_else(|| party(tx, far));
        for (key, role) in [
            ("debtor", "Dbtr"),
            ("creditor", "Cdtr"),
            ("ultimate_debtor", "UltmtDbtr"),
            ("ultimate_creditor", "UltmtCdtr"),
        ] {
            self.push_opt(key, party(tx, role));
        }
        let (acct, agent) = if toward_us {
            ("DbtrAcct", "DbtrAgt")
        } else {
            ("CdtrAcct", "CdtrAgt")
        };
        let account = tx.find(&["RltdPties", acct]).and_then(account_id);
        self.push_opt("counterparty_account", account);
        let fin = tx.find(&["RltdAgts", agent, "FinInstnId"]);
        let bic = fin.and_then(|f| f.text(&["BIC"]).or_else(|| f.text(&["BICFI"])));
        self.push_opt("counterparty_bic", bic);
    }

    /// Memo: the unstructured remittance lines, else the structured references, else the
    /// additional transaction or entry information; a reversal says so first.
    fn memo(&mut self, head: &Head<'n>, tx: Option<&'n Node<'n>>) {
        let entry_info = head.node.text(&["AddtlNtryInf"]);
        let tx_info = tx.and_then(|t| t.text(&["AddtlTxInf"]));
        let unstructured = tx.and_then(|t| joined(t, &["RmtInf", "Ustrd"]));
        let structured = tx.and_then(|t| joined(t, &["RmtInf", "Strd", "CdtrRefInf", "Ref"]));
        let (memo, used) = match (unstructured, &structured) {
            (Some(u), _) => (Some(u), Used::Remittance),
            (None, Some(s)) => (Some(s.clone()), Used::Remittance),
            (None, None) => match (tx_info, entry_info) {
                (Some(t), _) => (Some(Cow::Borrowed(t)), Used::TxInfo),
                (None, Some(e)) => (Some(Cow::Borrowed(e)), Used::EntryInfo),
                (None, None) => (None, Used::Nothing),
            },
        };
        if let Some(s) = structured {
            self.push("creditor_ref", s);
        }
        if used != Used::TxInfo {
            self.push_opt("tx_info", tx_info);
        }
        if used != Used::EntryInfo {
            self.push_opt("entry_info", entry_info);
        }
        self.memo = if head.reversal {
            let reason = tx
                .and_then(return_reason)
                .map_or(String::new(), |r| format!(" {r}"));
            Some(Cow::Owned(match memo {
                Some(m) => format!("reversal{reason}: {m}"),
                None => format!("reversal{reason}"),
            }))
        } else {
            memo
        };
    }
}

/// Which text became the memo.
#[derive(PartialEq, Eq)]
enum Used {
    Remittance,
    TxInfo,
    EntryInfo,
    Nothing,
}

/// `BkTxCd/Domn/Cd` `/` `Fmly/Cd` `/` `Fmly/SubFmlyCd`.
fn domain_code<'n>(node: &'n Node<'n>) -> Option<Cow<'n, str>> {
    let domain = node.find(&["BkTxCd", "Domn"])?;
    let parts = [
        domain.text(&["Cd"]),
        domain.text(&["Fmly", "Cd"]),
        domain.text(&["Fmly", "SubFmlyCd"]),
    ];
    let parts: Vec<&str> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| Cow::Owned(parts.join("/")))
}

/// `RtrInf/Rsn/Cd`, else `RtrInf/Rsn/Prtry`.
fn return_reason<'n>(tx: &'n Node<'n>) -> Option<&'n str> {
    tx.text(&["RtrInf", "Rsn", "Cd"])
        .or_else(|| tx.text(&["RtrInf", "Rsn", "Prtry"]))
}

/// The texts of every element down `path`, joined with a space.
fn joined<'n>(node: &'n Node<'n>, path: &[&str]) -> Option<Cow<'n, str>> {
    let mut found = Vec::new();
    node.find_all(path, &mut found);
    let texts: Vec<&str> = found.iter().filter_map(|n| n.value()).collect();
    match texts.as_slice() {
        [] => None,
        [one] => Some(Cow::Borrowed(*one)),
        many => Some(Cow::Owned(many.join(" "))),
    }
}

/// A party's name: `RltdPties/<role>/Nm`, or `RltdPties/<role>/Pty/Nm` (.08).
fn party<'n>(tx: &'n Node<'n>, role: &str) -> Option<&'n str> {
    tx.text(&["RltdPties", role, "Nm"])
        .or_else(|| tx.text(&["RltdPties", role, "Pty", "Nm"]))
}

/// An account's id: `Id/IBAN`, else `Id/Othr/Id`.
fn account_id<'n>(acct: &'n Node<'n>) -> Option<&'n str> {
    acct.text(&["Id", "IBAN"])
        .or_else(|| acct.text(&["Id", "Othr", "Id"]))
}

/// Charges as written: `Chrgs/TtlChrgsAndTaxAmt` (.03+), else every `Chrgs/Rcrd/Amt` (.03+)
/// and `Chrgs/Amt` (.02), as `1.50 EUR` joined with `; `.
fn charges(node: &Node<'_>) -> Option<String> {
    let all: Vec<&Node<'_>> = node.children_named("Chrgs").collect();
    let total = all.iter().find_map(|c| c.child("TtlChrgsAndTaxAmt"));
    let amounts: Vec<&Node<'_>> = match total {
        Some(t) => vec![t],
        None => all
            .iter()
            .flat_map(|c| {
                c.child("Amt")
                    .into_iter()
                    .chain(c.children_named("Rcrd").filter_map(|r| r.child("Amt")))
            })
            .collect(),
    };
    let texts: Vec<String> = amounts.iter().filter_map(|a| money_text(a)).collect();
    (!texts.is_empty()).then(|| texts.join("; "))
}

/// `1.50 EUR` from an amount element.
fn money_text(amt: &Node<'_>) -> Option<String> {
    let value = amt.value()?;
    Some(match amt.attr("Ccy") {
        Some(ccy) => format!("{value} {ccy}"),
        None => value.to_owned(),
    })
}

/// The instructed amount (`AmtDtls/InstdAmt/Amt`) when it differs from the record's.
fn instructed(tx: &Node<'_>, amount: Decimal, currency: &str) -> Option<String> {
    let amt = tx.find(&["AmtDtls", "InstdAmt", "Amt"])?;
    let same = amt.attr("Ccy") == Some(currency)
        && amt.value().and_then(|v| Decimal::from_str_exact(v).ok()) == Some(amount);
    (!same).then(|| money_text(amt)).flatten()
}

/// The single transaction's own amount when it is not the entry's.
fn differing_amount(tx: &Node<'_>, head: &Head<'_>) -> Option<String> {
    let amt = tx
        .child("Amt")
        .or_else(|| tx.find(&["AmtDtls", "TxAmt", "Amt"]))?;
    let same = amt.attr("Ccy") == Some(head.currency)
        && amt.value().and_then(|v| Decimal::from_str_exact(v).ok()) == Some(head.amount);
    (!same).then(|| money_text(amt)).flatten()
}

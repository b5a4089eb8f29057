//! # ISO 20022 camt.052 / camt.053 / camt.054 adapter
//!
//! Reads the bank-to-customer cash-management messages banks deliver as XML: the account
//! statement camt.053 (`BkToCstmrStmt/Stmt`), the intraday account report camt.052
//! (`BkToCstmrAcctRpt/Rpt`) and the debit/credit notification camt.054
//! (`BkToCstmrDbtCdtNtfctn/Ntfctn`), in the namespaces
//! `urn:iso:std:iso:20022:tech:xsd:camt.05N.001.0V` for V = 02 to 08. Elements are matched by
//! local name, so any namespace prefix works; another version, another namespace or none at
//! all is read the same way, with a warning. The XML declaration may be missing.
//!
//! ## Reading
//! A streaming pull reader (quick-xml's `Reader`, no serde) walks the document and holds one
//! statement-level element at a time (a balance, an entry with its transactions), never the
//! whole tree. It is bounded: a DTD (`<!DOCTYPE`) is refused, no entity is expanded except the
//! five predefined ones and numeric character references, nesting deeper than 64 elements is
//! refused. Malformed XML, a file cut short, a DTD or an undefined entity is a file error
//! naming the line. The text is UTF-8 with or without a BOM (a declared single-byte encoding or
//! a UTF-16 BOM is honoured too; see `decode`).
//!
//! ## Rows
//! XML has no rows, so the adapter defines them: each **entry** (`Ntry`) is a row, or, for a
//! batch booking split into its transactions, each **`TxDtls`** is; each **balance** (`Bal`)
//! and each **statement / report / notification header** (`Stmt`, `Rpt`, `Ntfctn`) is a row
//! reported as skipped (`statement header <Id>`, `balance OPBD 18.15 EUR on 2014-12-30`). So a
//! file's row count is entries (+ extra transactions of split batches) + balances + statements.
//! Everything else (group header, pagination, addresses) belongs to one of these rows.
//!
//! ## Mapping
//! Each entry becomes one [`Kind::Bank`](qrecon_adapter_sdk::Kind::Bank) record of provider
//! `bank`, at the line of its `<Ntry>`:
//!
//! | record | camt |
//! |---|---|
//! | amount | `Amt`, signed by `CdtDbtInd` (`CRDT` +, `DBIT` −); exact, 5 decimals kept |
//! | record type | `credit` / `debit` from `CdtDbtInd` |
//! | currency | `Amt@Ccy` |
//! | status, status raw | `Sts` (text in .02–.07, `Sts/Cd` or `Sts/Prtry` in .08): `BOOK` success, `PDNG` pending, `INFO` and others unknown |
//! | time, UTC offset | `BookgDt/DtTm`, with its offset (`Z` = 0; none stated = none) |
//! | value date | `ValDt/Dt` (or the day of `ValDt/DtTm`), else the booking day |
//! | account | the statement's `Acct/Id/IBAN`, else `Acct/Id/Othr/Id` |
//! | bank ref | `AcctSvcrRef` of the transaction's `Refs`, else of the entry |
//! | counterparty | credit: the debtor (`RltdPties/Dbtr/Nm`, `Dbtr/Pty/Nm` in .08, else `UltmtDbtr`); debit: the creditor (likewise); reversal or return: the other side (see below) |
//! | memo | `RmtInf/Ustrd` lines joined with a space, else `RmtInf/Strd/CdtrRefInf/Ref`, else `AddtlTxInf`, else `AddtlNtryInf`; a reversal's memo starts `reversal <reason>: ` |
//!
//! `extra` keys, each present only when the file has the value: `statement_id`, `entry_ref`
//! (`NtryRef`), `booking_date` (as written), `reversal` (`true`), `end_to_end_id`, `tx_id`,
//! `instr_id`, `msg_id` and `pmt_inf_id` (from `Refs`, else from `NtryDtls/Btch`),
//! `mandate_id`, `uetr`, `cheque_number`, `clearing_ref` (a `Refs` value that is the
//! placeholder `NOTPROVIDED` is no id and is dropped),
//! `batch_transactions` (`Btch/NbOfTxs`), `bank_tx_code` (`Domn/Cd/Fmly/Cd/SubFmlyCd` joined with
//! `/`, else `Prtry/Cd`), `bank_tx_code_proprietary` (`Prtry/Cd` when both are given),
//! `purpose`, `return_reason` (`RtrInf/Rsn/Cd` or `Prtry`), `return_info` (`RtrInf/AddtlInf`),
//! `charges` (`Chrgs/TtlChrgsAndTaxAmt`, else each charge amount, as `1.50 EUR`), `debtor`,
//! `creditor`, `ultimate_debtor`, `ultimate_creditor`, `counterparty_account` (IBAN or
//! `Othr/Id`), `counterparty_bic`, `instructed_amount` (when it differs), `creditor_ref`
//! (structured reference), `tx_info` / `entry_info` (when not the memo), `entry_acct_svcr_ref`
//! (the entry's reference when the transaction has its own), `tx_amount` (a single
//! transaction's own amount when it is not the entry's), `entry_amount` (on split parts),
//! `transactions` (an unsplit batch's count).
//!
//! **Batch bookings.** An entry whose `NtryDtls` hold several `TxDtls` becomes one record per
//! `TxDtls`, each at its `<TxDtls>` line, with the transaction's amount (`TxDtls/Amt`, else
//! `AmtDtls/TxAmt/Amt`) signed by its own `CdtDbtInd` (else the entry's), the entry's status,
//! dates and codes, and the transaction's own references, parties and memo. This happens only
//! when the parts add up exactly to the entry in its currency: otherwise (a part without an
//! amount, another currency, a different sum) the file is warned about and the entry stays
//! **one** record, with `transactions` = the count. Entry-level charges stay on unsplit
//! records only. An entry with a single `TxDtls` is one record with that transaction's
//! details.
//!
//! **Reversals and returns.** `RvslInd` = true keeps the sign `CdtDbtInd` gives (a reversed
//! credit is a debit), adds `reversal=true` and the memo prefix. For a reversal, and for a
//! return (`RtrInf` present), the related parties are those of the original transaction, so the
//! counterparty is taken from the other side: the debtor of a reversed credit, the creditor of
//! a returned payment.
//!
//! **Zero amounts** are records like any other.
//!
//! ## Quarantine and warnings
//! An entry without `Amt`, `Amt@Ccy` or `CdtDbtInd`, or with an unreadable amount, indicator,
//! `RvslInd` or date, is quarantined with the field named and its XML kept. An amount with
//! more than 5 decimals cannot cross the boundary exactly and is quarantined by the SDK. An
//! unknown element inside an entry, transaction, statement or message is drift, not an error:
//! it is warned about once. Per statement the control totals are checked (see `totals`):
//! opening booked balance + booked entries = closing booked balance, and `TxsSummry`; a
//! disagreement is a warning with the statement id and both numbers.

mod balance;
mod decode;
mod entry;
mod lines;
mod message;
mod node;
mod notes;
mod row;
mod sniff;
mod statement;
mod totals;
mod values;
mod xml;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input};

/// The camt.052/053/054 adapter.
#[derive(Debug, Default)]
pub struct Camt;

impl Adapter for Camt {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        sniff::score(head)
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = decode::text(input.bytes)?;
        message::read(&text, out)
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: Camt,
    name: "camt",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "bank",
    formats: "ISO 20022 camt.052/053/054 (.02–.08)",
    description: "ISO 20022 bank-to-customer XML: camt.053 statements, camt.052 intraday reports and camt.054 debit/credit notifications, versions .02 to .08",
}

//! One entry (`Ntry`) → one record, or one record per transaction of a batch booking.
//!
//! The entry's own fields (`Amt`, `CdtDbtInd`, `RvslInd`, `Sts`, `BookgDt`, `ValDt`) are read
//! first ([`Head`]); an entry without a readable amount, currency or direction is quarantined
//! with the field named. A batch booking (`NtryDtls` holding several `TxDtls`) is split into
//! one record per `TxDtls` when every part has an amount (`TxDtls/Amt`, else
//! `TxDtls/AmtDtls/TxAmt/Amt`) in the entry's currency and the parts, signed by their own
//! `CdtDbtInd` (else the entry's), add up to the entry exactly; otherwise the file is warned
//! about and the entry stays one record.

use chrono::{NaiveDate, NaiveDateTime};
use qrecon_adapter_sdk::{Decimal, Emitter, FieldError, Status};

use crate::node::Node;
use crate::notes::Notes;
use crate::row::Row;
use crate::statement::Context;
use crate::totals::Totals;
use crate::values;

/// Children of `Ntry` in the camt versions .02–.08.
const ENTRY_CHILDREN: &[&str] = &[
    "NtryRef",
    "Amt",
    "CdtDbtInd",
    "RvslInd",
    "Sts",
    "BookgDt",
    "ValDt",
    "AcctSvcrRef",
    "Avlbty",
    "BkTxCd",
    "ComssnWvrInd",
    "AddtlInfInd",
    "AmtDtls",
    "Chrgs",
    "TechInptChanl",
    "Intrst",
    "CardTx",
    "NtryDtls",
    "AddtlNtryInf",
];

/// Children of `TxDtls` in the camt versions .02–.08.
const TX_CHILDREN: &[&str] = &[
    "Refs",
    "Amt",
    "CdtDbtInd",
    "AmtDtls",
    "Avlbty",
    "BkTxCd",
    "Chrgs",
    "Intrst",
    "RltdPties",
    "RltdAgts",
    "LclInstrm",
    "Purp",
    "RltdRmtInf",
    "RmtInf",
    "RltdDts",
    "RltdPric",
    "RltdQties",
    "FinInstrmId",
    "Tax",
    "RtrInf",
    "CorpActn",
    "SfkpgAcct",
    "CshDpst",
    "CardTx",
    "AddtlTxInf",
    "SplmtryData",
];

/// The entry-level fields every record of the entry shares.
pub(crate) struct Head<'n> {
    /// The `Ntry` element.
    pub(crate) node: &'n Node<'n>,
    /// `Amt` (unsigned).
    pub(crate) amount: Decimal,
    /// `Amt@Ccy`.
    pub(crate) currency: &'n str,
    /// `CdtDbtInd` = `CRDT`.
    pub(crate) credit: bool,
    /// `RvslInd` = true.
    pub(crate) reversal: bool,
    /// From `Sts` (`Sts/Cd` or `Sts/Prtry` in .08).
    pub(crate) status: Status,
    /// The status code as written.
    pub(crate) status_raw: Option<&'n str>,
    /// `BookgDt/DtTm`, with its offset.
    pub(crate) time: Option<(NaiveDateTime, Option<i32>)>,
    /// `ValDt`, else the booking date.
    pub(crate) value_date: Option<NaiveDate>,
    /// `BookgDt/Dt` or `BookgDt/DtTm` as written.
    pub(crate) booking_date: Option<&'n str>,
}

/// One transaction of a split batch booking.
pub(crate) struct Part<'n> {
    /// The `TxDtls` element.
    pub(crate) tx: &'n Node<'n>,
    /// Its amount (unsigned).
    pub(crate) amount: Decimal,
    /// Its direction.
    pub(crate) credit: bool,
}

/// `amount` with the sign `credit` gives (never a negative zero).
pub(crate) fn signed(amount: Decimal, credit: bool) -> Decimal {
    if credit || amount.is_zero() {
        amount
    } else {
        -amount
    }
}

/// Reports one entry: quarantined, one record, or one record per transaction.
pub(crate) fn emit(
    node: &Node<'_>,
    ctx: &Context<'_>,
    totals: &mut Totals,
    notes: &mut Notes,
    out: &mut Emitter,
) {
    totals.saw_entry();
    notes.unknown_children(node, ENTRY_CHILDREN, "an entry (<Ntry>)", out);
    let head = match Head::read(node) {
        Ok(head) => head,
        Err(e) => {
            totals.saw_quarantined();
            out.row(node.line, ctx.raw(node), Err(e));
            return;
        }
    };
    note_status(&head, notes, out);
    let booked = head.status == Status::Success;
    totals.add(head.amount, head.credit, head.currency, booked);
    let txs = transactions(node);
    for tx in &txs {
        notes.unknown_children(tx, TX_CHILDREN, "a transaction (<TxDtls>)", out);
    }
    if txs.len() > 1 {
        match split(&head, &txs) {
            Ok(parts) => {
                for part in &parts {
                    let row = Row::part(ctx, &head, part);
                    out.record(&row.record(), ctx.raw(part.tx));
                }
                return;
            }
            Err(why) => out.warn(
                node.line,
                &format!(
                    "entry at line {}: {why}; the batch of {} transactions is kept as one \
                     record of {} {}",
                    node.line,
                    txs.len(),
                    signed(head.amount, head.credit),
                    head.currency
                ),
            ),
        }
    }
    let row = Row::whole(ctx, &head, &txs);
    out.record(&row.record(), ctx.raw(node));
}

/// Every `NtryDtls/TxDtls` of the entry, in order.
fn transactions<'n>(node: &'n Node<'n>) -> Vec<&'n Node<'n>> {
    node.children_named("NtryDtls")
        .flat_map(|d| d.children_named("TxDtls"))
        .collect()
}

fn note_status(head: &Head<'_>, notes: &mut Notes, out: &mut Emitter) {
    match head.status_raw {
        Some("BOOK" | "PDNG" | "INFO") => {}
        Some(code) => notes.once(
            format!("status/{code}"),
            head.node.line,
            &format!(
                "entry status {code:?} (first at line {}) is not BOOK, PDNG or INFO: its \
                 records have status unknown",
                head.node.line
            ),
            out,
        ),
        None => notes.once(
            "status/".to_owned(),
            head.node.line,
            &format!(
                "an entry without Sts (first at line {}): its records have status unknown",
                head.node.line
            ),
            out,
        ),
    }
}

impl<'n> Head<'n> {
    /// Reads the entry-level fields; an error names the field that makes the entry unusable.
    pub(crate) fn read(node: &'n Node<'n>) -> Result<Self, FieldError> {
        let (amount, currency) = money(node.child("Amt"), "Amt")?;
        let credit = direction(node.text(&["CdtDbtInd"]), "CdtDbtInd")?;
        let reversal = match node.text(&["RvslInd"]) {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => return Err(FieldError::new("RvslInd", "true or false", other)),
        };
        let status_raw = node
            .text(&["Sts", "Cd"])
            .or_else(|| node.text(&["Sts", "Prtry"]))
            .or_else(|| node.text(&["Sts"]));
        let (time, booking_day, booking_date) = booking(node)?;
        let value_date = match date_of(node.child("ValDt"), "ValDt")? {
            Some((day, _)) => Some(day),
            None => booking_day,
        };
        Ok(Self {
            node,
            amount,
            currency,
            credit,
            reversal,
            status: match status_raw {
                Some("BOOK") => Status::Success,
                Some("PDNG") => Status::Pending,
                _ => Status::Unknown,
            },
            status_raw,
            time,
            value_date,
            booking_date,
        })
    }
}

type Booking<'n> = (
    Option<(NaiveDateTime, Option<i32>)>,
    Option<NaiveDate>,
    Option<&'n str>,
);

/// `BookgDt`: the time (when a `DtTm`), the day, and the text as written.
fn booking<'n>(node: &'n Node<'n>) -> Result<Booking<'n>, FieldError> {
    let Some(bookg) = node.child("BookgDt") else {
        return Ok((None, None, None));
    };
    if let Some(text) = bookg.text(&["DtTm"]) {
        let (time, offset) = values::date_time("BookgDt/DtTm", text)?;
        return Ok((Some((time, offset)), Some(time.date()), Some(text)));
    }
    Ok(match date_of(Some(bookg), "BookgDt")? {
        Some((day, text)) => (None, Some(day), Some(text)),
        None => (None, None, None),
    })
}

/// A `DateAndDateTimeChoice` (`Dt` or `DtTm`): its day and the text as written.
fn date_of<'n>(
    node: Option<&'n Node<'n>>,
    field: &str,
) -> Result<Option<(NaiveDate, &'n str)>, FieldError> {
    let Some(node) = node else {
        return Ok(None);
    };
    if let Some(text) = node.text(&["Dt"]) {
        return values::date(&format!("{field}/Dt"), text).map(|d| Some((d, text)));
    }
    if let Some(text) = node.text(&["DtTm"]) {
        return values::date_time(&format!("{field}/DtTm"), text)
            .map(|(t, _)| Some((t.date(), text)));
    }
    Ok(None)
}

/// An amount element (`<Amt Ccy="EUR">1.00</Amt>`): its value and currency.
pub(crate) fn money<'n>(
    node: Option<&'n Node<'n>>,
    field: &str,
) -> Result<(Decimal, &'n str), FieldError> {
    let node =
        node.ok_or_else(|| values::missing(field, "an amount like <Amt Ccy=\"EUR\">1.00</Amt>"))?;
    let amount = values::amount(field, node.value().unwrap_or_default())?;
    let ccy_field = format!("{field}@Ccy");
    let currency = node
        .attr("Ccy")
        .ok_or_else(|| values::missing(&ccy_field, "a currency code like EUR"))?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FieldError::new(
            &ccy_field,
            "a currency code like EUR",
            currency,
        ));
    }
    Ok((amount, currency))
}

/// `CRDT` → credit, `DBIT` → debit.
pub(crate) fn direction(text: Option<&str>, field: &str) -> Result<bool, FieldError> {
    match text {
        Some("CRDT") => Ok(true),
        Some("DBIT") => Ok(false),
        Some(other) => Err(FieldError::new(field, "CRDT or DBIT", other)),
        None => Err(values::missing(field, "CRDT or DBIT")),
    }
}

/// The parts of a batch booking, or why it cannot be split.
fn split<'n>(head: &Head<'n>, txs: &[&'n Node<'n>]) -> Result<Vec<Part<'n>>, String> {
    let mut parts = Vec::with_capacity(txs.len());
    let mut sum = Decimal::ZERO;
    for tx in txs {
        let amt = tx
            .child("Amt")
            .or_else(|| tx.find(&["AmtDtls", "TxAmt", "Amt"]));
        let Some(amt) = amt else {
            return Err(format!(
                "the TxDtls at line {} has no amount (Amt or AmtDtls/TxAmt/Amt)",
                tx.line
            ));
        };
        let (amount, currency) = money(Some(amt), "Amt")
            .map_err(|e| format!("the TxDtls at line {} has no usable amount ({e})", tx.line))?;
        if currency != head.currency {
            return Err(format!(
                "the TxDtls at line {} is in {currency}, the entry in {}",
                tx.line, head.currency
            ));
        }
        let credit = match tx.text(&["CdtDbtInd"]) {
            None => head.credit,
            text => direction(text, "CdtDbtInd")
                .map_err(|e| format!("the TxDtls at line {}: {e}", tx.line))?,
        };
        sum += signed(amount, credit);
        parts.push(Part { tx, amount, credit });
    }
    let whole = signed(head.amount, head.credit);
    if sum == whole {
        Ok(parts)
    } else {
        Err(format!(
            "its {} TxDtls add up to {sum} {}, not to the entry's {whole}",
            txs.len(),
            head.currency
        ))
    }
}

//! A balance (`Bal`): type code (`Tp/CdOrPrtry/Cd`, e.g. `OPBD`, `CLBD`, `ITBD`, `PRCD`,
//! `OPAV`, `CLAV`, `FWAV`, or `Tp/CdOrPrtry/Prtry`), amount with currency and sign
//! (`CdtDbtInd`), date (`Dt/Dt` or `Dt/DtTm`). A balance is not a record: it is reported as a
//! skipped row, and the booked ones feed the statement's balance check.

use qrecon_adapter_sdk::{Decimal, Emitter, FieldError};

use crate::node::Node;
use crate::values;

/// A balance as the statement's checks need it.
pub(crate) struct Balance {
    /// The type code (`OPBD`, …), or `?` when the file gives none.
    pub(crate) code: String,
    /// Line of its `<Bal>`.
    pub(crate) line: u64,
    /// Signed amount (DBIT negative) and currency, when readable.
    pub(crate) amount: Option<(Decimal, String)>,
}

/// Reads one balance, reports it as a skipped row and warns when it cannot be read.
pub(crate) fn read(node: &Node<'_>, statement: &str, out: &mut Emitter) -> Balance {
    let code = node
        .text(&["Tp", "CdOrPrtry", "Cd"])
        .or_else(|| node.text(&["Tp", "CdOrPrtry", "Prtry"]))
        .unwrap_or("?")
        .to_owned();
    let date = node
        .text(&["Dt", "Dt"])
        .or_else(|| node.text(&["Dt", "DtTm"]))
        .map_or(String::new(), |d| format!(" on {d}"));
    match signed_amount(node) {
        Ok((amount, currency)) => {
            out.skip(
                node.line,
                &format!("balance {code} {amount} {currency}{date}"),
            );
            Balance {
                code,
                line: node.line,
                amount: Some((amount, currency.to_owned())),
            }
        }
        Err(e) => {
            out.skip(node.line, &format!("balance {code}{date} (unreadable)"));
            out.warn(
                node.line,
                &format!("{statement}: balance {code} cannot be read ({e}); it is not checked"),
            );
            Balance {
                code,
                line: node.line,
                amount: None,
            }
        }
    }
}

fn signed_amount<'n>(node: &'n Node<'_>) -> Result<(Decimal, &'n str), FieldError> {
    let amt = node
        .child("Amt")
        .ok_or_else(|| values::missing("Amt", "an amount"))?;
    let value = values::amount("Amt", amt.value().unwrap_or_default())?;
    let currency = amt
        .attr("Ccy")
        .ok_or_else(|| values::missing("Amt@Ccy", "a currency code"))?;
    match node.text(&["CdtDbtInd"]) {
        Some("CRDT") => Ok((value, currency)),
        Some("DBIT") => Ok((-value, currency)),
        Some(other) => Err(FieldError::new("CdtDbtInd", "CRDT or DBIT", other)),
        None => Err(values::missing("CdtDbtInd", "CRDT or DBIT")),
    }
}

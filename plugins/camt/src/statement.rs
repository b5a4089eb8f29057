//! One statement (`Stmt`), report (`Rpt`) or notification (`Ntfctn`): its header (`Id`,
//! `Acct`), balances (`Bal`), summary (`TxsSummry`) and entries (`Ntry`), read one child at a
//! time. The header is reported as one skipped row at the statement's start tag, each balance
//! as one skipped row at its `<Bal>`; the entries go to [`crate::entry`]. When the statement
//! ends its control totals are checked ([`crate::totals`]).

use qrecon_adapter_sdk::{Emitter, FileError};

use crate::balance::{self, Balance};
use crate::entry;
use crate::message::Kind;
use crate::node::Node;
use crate::notes::Notes;
use crate::totals::Totals;
use crate::xml::{Cursor, Ev, Start};

/// Children of a statement, report or notification in the camt versions .02–.08.
const CHILDREN: &[&str] = &[
    "Id",
    "StmtPgntn",
    "RptPgntn",
    "NtfctnPgntn",
    "ElctrncSeqNb",
    "RptgSeq",
    "LglSeqNb",
    "CreDtTm",
    "FrToDt",
    "CpyDplctInd",
    "RptgSrc",
    "Acct",
    "RltdAcct",
    "Intrst",
    "Bal",
    "TxsSummry",
    "Ntry",
    "AddtlStmtInf",
    "AddtlRptInf",
    "AddtlNtfctnInf",
];

/// What every entry of a statement shares.
pub(crate) struct Context<'c> {
    /// The statement's `Id`.
    pub(crate) statement_id: Option<&'c str>,
    /// The statement's account: `Acct/Id/IBAN` or `Acct/Id/Othr/Id`.
    pub(crate) account: Option<&'c str>,
    /// The decoded document, for the raw text of a quarantined entry.
    pub(crate) source: &'c str,
}

impl<'c> Context<'c> {
    /// The XML text of `node`, start tag to end tag.
    pub(crate) fn raw(&self, node: &Node<'_>) -> &'c str {
        self.source
            .get(node.span.0..node.span.1)
            .unwrap_or_default()
    }
}

/// The statement's header, reported once as a skipped row.
struct Header {
    kind: Kind,
    line: u64,
    id: Option<String>,
    account: Option<String>,
    reported: bool,
}

impl Header {
    /// Reports the header row (once), before the first balance or entry.
    fn report(&mut self, out: &mut Emitter) {
        if !self.reported {
            self.reported = true;
            out.skip(
                self.line,
                &format!("{} header {}", self.kind.word(), self.label()),
            );
        }
    }

    fn label(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!(
                "(no Id, <{}> at line {})",
                self.kind.statement_element(),
                self.line
            ),
        }
    }
}

/// Reads the statement `start` opened, up to and including its end tag.
pub(crate) fn read(
    cursor: &mut Cursor<'_>,
    kind: Kind,
    start: &Start,
    notes: &mut Notes,
    out: &mut Emitter,
) -> Result<(), FileError> {
    let mut header = Header {
        kind,
        line: start.line,
        id: None,
        account: None,
        reported: false,
    };
    let mut balances: Vec<Balance> = Vec::new();
    let mut summary: Option<Node<'_>> = None;
    let mut totals = Totals::default();
    loop {
        let child = match cursor.next()? {
            Ev::Start(child) => child,
            Ev::End(_) => break,
            Ev::Text(_) => continue,
            Ev::Eof => return Err(FileError::new("the file ends inside a statement")),
        };
        match child.name.as_str() {
            "Id" => header.id = cursor.subtree(child)?.value().map(str::to_owned),
            "Acct" => {
                let node = cursor.subtree(child)?;
                if totals.entries() > 0 {
                    let message = format!(
                        "{} {}: <Acct> at line {} comes after entries, which are read without \
                         an account",
                        kind.word(),
                        header.label(),
                        node.line
                    );
                    out.warn(node.line, &message);
                }
                header.account = account(&node);
            }
            "Bal" => {
                header.report(out);
                let node = cursor.subtree(child)?;
                balances.push(balance::read(&node, &header.label(), out));
            }
            "TxsSummry" => {
                header.report(out);
                summary = Some(cursor.subtree(child)?);
            }
            "Ntry" => {
                header.report(out);
                let node = cursor.subtree(child)?;
                let ctx = Context {
                    statement_id: header.id.as_deref(),
                    account: header.account.as_deref(),
                    source: cursor.source(),
                };
                entry::emit(&node, &ctx, &mut totals, notes, out);
            }
            name => {
                let what = format!("a {} (<{}>)", kind.word(), kind.statement_element());
                notes.unknown(name, child.line, CHILDREN, &what, out);
                cursor.skip()?;
            }
        }
    }
    header.report(out);
    totals.check(&header.label(), kind, &balances, summary.as_ref(), out);
    Ok(())
}

/// `Acct/Id/IBAN`, else `Acct/Id/Othr/Id`.
fn account(acct: &Node<'_>) -> Option<String> {
    acct.text(&["Id", "IBAN"])
        .or_else(|| acct.text(&["Id", "Othr", "Id"]))
        .map(str::to_owned)
}

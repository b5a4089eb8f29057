//! The summary trailer: its header and its one row are skipped, and the row's figures are
//! checked against the records (a disagreement is a warning, never a failure).

use qrecon_adapter_sdk::{Emitter, text};

use crate::body::BLANK;
use crate::header::Header;
use crate::totals::Totals;

/// Skip reason for the summary header and row.
const SUMMARY: &str = "summary trailer";

/// Reports `lines` (the summary header and everything after it) and checks the totals.
/// `last_line` is where to warn when the file has no summary at all.
pub(crate) fn emit(lines: &[(u64, &str)], totals: &Totals, last_line: u64, out: &mut Emitter) {
    let Some((&summary_header, rest)) = lines.split_first() else {
        out.warn(
            last_line,
            "the bill has no summary (资金流水总笔数…); control totals not checked",
        );
        return;
    };
    let header_line = summary_header.0;
    out.skip(header_line, SUMMARY);
    let mut summary_seen = false;
    for &(line, raw) in rest {
        if text::clean(raw).is_empty() {
            out.skip(line, BLANK);
        } else if summary_seen {
            out.quarantine(line, None, "unexpected line after the summary row", raw);
        } else {
            out.skip(line, SUMMARY);
            check(summary_header, (line, raw), totals, out);
            summary_seen = true;
        }
    }
    if !summary_seen {
        out.warn(
            header_line,
            "the summary header has no row after it; control totals not checked",
        );
    }
}

/// Compares the summary row with `totals` and warns on the summary row's line. Both
/// lines come as (line number, text).
fn check(header: (u64, &str), summary: (u64, &str), totals: &Totals, out: &mut Emitter) {
    let line = summary.0;
    match disagreements(header, summary.1, totals) {
        Ok(found) if found.is_empty() => {}
        Ok(found) => out.warn(
            line,
            &format!(
                "control totals disagree with the rows read: {}",
                found.join("; ")
            ),
        ),
        Err(reason) => out.warn(
            line,
            &format!("summary row unreadable ({reason}); control totals not checked"),
        ),
    }
}

fn disagreements(header: (u64, &str), raw: &str, totals: &Totals) -> Result<Vec<String>, String> {
    let header = Header::read(header.0, header.1).map_err(|e| e.to_string())?;
    let cells = text::split_csv(raw).map_err(|e| e.to_string())?;
    let row = header.row(&cells).map_err(|e| e.to_string())?;
    totals.disagreements(&row).map_err(|e| e.to_string())
}

//! Telling a ZM/ZME file: by its name, or by a head whose lines are all of a known byte
//! length with a 交易代码 and spaces where the separators belong.

use crate::layout::{self, NEWER_LEN, OFFICIAL_LEN, ZME_LEN};
use crate::lines::{is_blank, without_bom};
use crate::name;

/// The name is `INN{yyMMdd}{NN}ZM_…` or `…ZME_…`.
const BY_NAME: u8 = 95;
/// The head's lines are all ZM/ZME lines.
const BY_CONTENT: u8 = 70;

/// The sniff score of a file named `file_name` whose first bytes are `head`.
pub(crate) fn score(file_name: &str, head: &[u8]) -> u8 {
    if name::parse(file_name).named {
        BY_NAME
    } else if head_is_zm(head) {
        BY_CONTENT
    } else {
        0
    }
}

/// Whether every non-blank line of `head` is a ZM/ZME line, and there is one. The head may
/// end inside a line: that last piece counts only when it is a whole line already.
fn head_is_zm(head: &[u8]) -> bool {
    let head = without_bom(head);
    let mut pieces: Vec<&[u8]> = head.split(|b| *b == b'\n').collect();
    let cut_short = pieces.pop().filter(|last| !last.is_empty());
    let mut seen = 0;
    for piece in pieces {
        let line = strip_cr(piece);
        if is_blank(line) {
            continue;
        }
        if !is_data_line(line) {
            return false;
        }
        seen += 1;
    }
    if cut_short.is_some_and(|l| is_data_line(strip_cr(l))) {
        seen += 1;
    }
    seen > 0
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A line of a known length that opens with a 交易代码 and has spaces at its separators.
pub(crate) fn is_data_line(line: &[u8]) -> bool {
    if !layout::opens_like_data(line) {
        return false;
    }
    match line.len() {
        OFFICIAL_LEN | NEWER_LEN => layout::common_separators_fit(line),
        ZME_LEN => layout::shared_head(line).is_some() && head_separators_fit(line),
        _ => false,
    }
}

/// The separators after the seven fields ZM and ZME share.
fn head_separators_fit(line: &[u8]) -> bool {
    let mut end = 0;
    layout::COMMON.iter().take(7).all(|f| {
        end += f.width;
        let fits = line.get(end) == Some(&b' ');
        end += 1;
        fits
    })
}

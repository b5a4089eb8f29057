//! Sniffing a bundle from its head: the first local file header of the zip names the first
//! entry, and the bundle's own name ends in `.csv.zip`.

use super::archive::{ENCRYPTED_FLAG, UTF8_FLAG, decode_name};

/// The signature a zip file starts with: its first local file header.
pub(crate) const LOCAL_HEADER: &[u8] = b"PK\x03\x04";

/// The sniff score of a bundle.
pub(crate) const BUNDLE: u8 = 95;

/// What an entry of a bill bundle is named after (`…_业务明细.csv`, `…_账务明细(汇总).csv`).
const ENTRY_WORDS: [&str; 4] = ["业务明细", "账务明细", "交易明细", "账务汇总"];

/// How sure it is that a file named `file_name` whose head is `head` is a bill bundle: a zip
/// whose first entry is named like a bill, or a zip named `….csv.zip`.
pub(crate) fn sniff(file_name: &str, head: &[u8]) -> u8 {
    if !head.starts_with(LOCAL_HEADER) {
        return 0;
    }
    let named = file_name.to_lowercase().ends_with(".csv.zip");
    if named || first_entry_is_a_bill(head) {
        BUNDLE
    } else {
        0
    }
}

/// Whether the first local file header in `head` names a bill's CSV file. An encrypted
/// entry is not one: merchant bundles are not encrypted (Alipay's personal export, a
/// password-protected zip holding `支付宝交易明细(…).csv`, is).
fn first_entry_is_a_bill(head: &[u8]) -> bool {
    let u16_at = |at: usize| {
        head.get(at..at + 2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map(u16::from_le_bytes)
    };
    let (Some(flags), Some(name_len)) = (u16_at(6), u16_at(26)) else {
        return false;
    };
    let Some(raw) = head.get(30..30 + usize::from(name_len)) else {
        return false;
    };
    if flags & ENCRYPTED_FLAG != 0 {
        return false;
    }
    let name = decode_name(raw, flags & UTF8_FLAG != 0);
    name.to_lowercase().ends_with(".csv") && ENTRY_WORDS.iter().any(|w| name.contains(w))
}

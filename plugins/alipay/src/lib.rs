//! # Alipay merchant bill adapter (业务明细 and 账务明细)
//!
//! Reads the two detail files of the Alipay merchant bill, as found inside the zip that
//! `alipay.data.dataservice.bill.downloadurl.query` points to, or downloaded from the
//! merchant platform — plain, or the downloaded zip itself (see the last section):
//!
//! - the **trade bill** (`bill_type=trade`, `…_业务明细.csv`): payments and refunds, as `txn`
//!   records;
//! - the **account log** (`bill_type=signcustomer`, `…_账务明细.csv`): the fund flow of the
//!   merchant's Alipay balance, as `fund` records.
//!
//! Real downloads are GBK; UTF-8 is read too, and lines may end in `\r\n` or `\n`. The title
//! line (`#支付宝业务明细查询` or `#支付宝账务明细查询`) says which file it is; without one, the
//! header does. A file with neither is refused, naming both headers.
//!
//! Both files share a frame: every `#` line is preamble (before the header) or footer (after
//! it), and newer files pad `#` lines with trailing commas. The account is the PID: the
//! `#账号：[…]` value without the `0156` Alipay appends. Cells may carry a trailing TAB and
//! padding, a row may end in a `,`, and columns are found by name (ASCII and full-width
//! parentheses alike). The footer's control totals are checked against the records; a
//! disagreement is a warning on the footer line, never a failure.
//!
//! ## Trade bill (业务明细)
//! ```text
//! #支付宝业务明细查询
//! #账号：[20880211096256330156]                       ← the PID + "0156"
//! #起始日期：[…]   终止日期：[…]
//! #-----…业务明细列表…-----
//! 支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,…,商家实收（元）,…,服务费（元）,分润（元）,备注
//! <rows>
//! #-----…业务明细列表结束…-----
//! #交易合计：N笔，商家实收共X元，商家优惠共0.00元
//! #退款合计：N笔，商家实收退款共-Y元，商家优惠退款共0.00元
//! #导出时间：[…]
//! ```
//! Each row becomes one `txn` record of provider `alipay`, status success, with
//! `account` = `payee_id` = the PID:
//!
//! | 业务类型 | type | amount | fee | ids |
//! |---|---|---|---|---|
//! | 交易 | `payment` | 商家实收（元）, ≥ 0 | −服务费（元） (`-0.07` → 0.07) | `txn_id` = 支付宝交易号, `order_id` = 商户订单号 |
//! | 退款 | `refund` | 商家实收（元）, ≤ 0 as printed | −服务费（元） (`0.03` returned → −0.03) | the payment's `txn_id` and `order_id`, `refund_id` = 退款批次号/请求号 |
//!
//! time = 完成时间 (naive Beijing time), payer = 对方账户, memo = 商品名称,
//! `status_raw` = 业务类型. Every other non-empty column (创建时间, 门店…, 订单金额, 备注, …)
//! goes into `extra` under its header name, except the `0.00` placeholders.
//!
//! A row with another 业务类型, an empty 支付宝交易号, a bad time or amount, a 商家实收 of the
//! wrong sign or the wrong number of cells is quarantined. The footer's 交易合计 and 退款合计
//! (count and 商家实收) are checked.
//!
//! ## Account log (账务明细)
//! ```text
//! #支付宝账务明细查询
//! #账号：[20880211096256330156]                       ← the PID + "0156"
//! #起始日期：[…]   终止日期：[…]
//! #-----…账务明细列表…-----
//! 账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注
//! <rows>
//! #-----…账务明细列表结束…-----
//! #支出合计：N笔，共-X元
//! #收入合计：N笔，共Y元
//! #导出时间：[…]
//! ```
//! Column order differs between accounts and newer files append 业务描述, 业务账单来源,
//! 业务基础订单号, 业务订单号.
//!
//! Each row becomes one `fund` record of provider `alipay`, status success, with `account` =
//! the PID, time = 发生时间 (naive Beijing time), amount = 收入金额 − |支出金额| (the
//! expense may be printed `-11.93` or `11.93`), `status_raw` = 业务类型 and memo = 备注, or
//! 商品名称 when 备注 is empty. The type comes from 业务类型:
//!
//! | 业务类型 | type | ids |
//! |---|---|---|
//! | 在线支付, 交易付款 | `income` | `txn_id` = 业务流水号, `order_id` = 商户订单号 |
//! | 收费, …服务费…, …手续费… | `fee` | (业务流水号 and 商户订单号 stay in `extra`) |
//! | 交易退款, 退款 | `refund` | `txn_id` = 业务流水号 (the payment's trade no.), `order_id` = 商户订单号 |
//! | 提现 | `withdrawal` | `payout_id` = 业务流水号 |
//! | 提现退回, 退票, or any income line carrying a 提现 line's 业务流水号 | `withdrawal_return` | `payout_id` = 业务流水号 |
//! | …解冻… / …冻结… | `unfreeze` / `freeze` | |
//! | anything else (转账, …) | `other` | |
//!
//! Every other non-empty column (账务流水号, 对方账号, 账户余额, 交易渠道, the appended
//! columns, and ids a type does not map) goes into `extra` under its header name.
//!
//! A row with a bad time or amount, both an income and an expense, or the wrong number of
//! cells is quarantined. The footer's 支出合计 and 收入合计 (count and amount) are checked.
//!
//! ## The downloaded bundle (`.csv.zip`)
//! The API's `bill_download_url` and the merchant platform hand out a zip,
//! `<PID>0156_<yyyyMMdd>.csv.zip` (monthly `…_<yyyyMM>.csv.zip`), holding a detail file and
//! its summary: `…_业务明细.csv` + `…_业务明细(汇总).csv`, or `…_账务明细.csv` +
//! `…_账务明细(汇总).csv` (other names are seen). The adapter reads the zip itself; entry
//! names are GBK unless the entry sets the UTF-8 flag (bit 11) or an Info-ZIP Unicode Path
//! field, and the contents are decoded like plain files.
//!
//! Every entry is classified by its **first line**, not by its name or its place (the summary
//! often comes first): a detail file (`#支付宝业务明细查询`, `#支付宝账务明细查询`) is read
//! exactly like a plain file, with its own footer totals checked; a summary
//! (`#支付宝业务汇总查询`, `#支付宝账务汇总查询`) has every line skipped, and its `合计` row is
//! checked against the bundle's detail records once all entries are read — a figure that
//! disagrees is a warning naming both numbers. The 业务汇总's 交易订单总笔数 is checked
//! against the payments, 退款订单总笔数 against the refunds, and 商家实收（元） against what
//! the payments and refunds net to; the 账务汇总, whose layout is not documented, through the
//! columns it names like 收入…笔, 收入…元, 支出…笔, 支出…元 (by magnitude). An entry without a
//! title is told by its header, as a plain file is. Any other entry (or folder, or empty
//! entry) has each of its lines skipped with a reason naming it, and a warning. A zip with no
//! Alipay bill in it at all is a file error.
//!
//! **Sniffing.** A zip (`PK\x03\x04`) scores 95 when the name in its first local file header
//! (GBK, or UTF-8 when flagged) ends in `.csv` and contains 业务明细, 账务明细, 交易明细 or
//! 账务汇总 — unless that entry is encrypted: merchant bundles are not, and Alipay's personal
//! export is a password-protected zip of `支付宝交易明细(…).csv` — or when the file's own name
//! ends in `.csv.zip`. Any other zip scores 0; plain files are sniffed as before.
//!
//! **Line numbers.** The bundle is one input, so its lines are numbered as if its entries
//! were concatenated in archive order: the first entry's lines are 1..n₁, the second's
//! n₁+1..n₁+n₂, and so on; every line of every entry is reported exactly once under that
//! number. Each record also carries `extra` `zip_entry` (the entry's name) and `zip_line`
//! (its line within the entry), and every quarantine reason and warning of an entry ends with
//! `(zip entry <name>, line <n>)`.
//!
//! **Limits.** The archive is read from memory within limits, each a file error naming the
//! entry: an entry, and all entries together, may unpack to at most 512 MiB; an entry over
//! 1 MiB may not unpack to more than 100 times its packed size (a zip bomb); at most 256
//! entries; and what an entry really unpacks to is held to these limits whatever sizes it
//! declares. A damaged or truncated archive, or an entry that cannot be unpacked (bad data,
//! CRC mismatch, encryption, an unsupported method), is a file error too: a bundle read in
//! part could silently lack records.

mod account;
mod bill;
mod bundle;
mod columns;
mod out;
mod sum;
mod trade;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};

use out::Out;

/// The provider every record of this adapter belongs to.
const PROVIDER: &str = "alipay";

/// The sniff score for a file that is recognisably one of the two formats.
const SURE: u8 = 98;

/// How a format reads a whole file, given as numbered lines: it reports each line and returns
/// what its records add up to.
type Parse = fn(&[(u64, &str)], &mut Out<'_>) -> Result<Tally, FileError>;

/// What the records of one detail file add up to (its control totals), for the summary
/// files of a bundle.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tally {
    /// A 业务明细's payments and refunds.
    Trade(trade::Totals),
    /// A 账务明细's income and expense rows.
    Account(account::Totals),
}

/// One of the two files the adapter reads: how it is told apart, and how it is read.
pub(crate) struct Format {
    /// The first line of every file of the format.
    pub(crate) title: &'static str,
    /// Whether a line is the format's header.
    pub(crate) is_header: fn(&str) -> bool,
    /// Whether a line starts like the format's header (enough for the sniffer).
    pub(crate) starts_like_header: fn(&str) -> bool,
    /// What the header looks like, for errors.
    pub(crate) expected: &'static str,
    /// Reads a whole file of the format, given as numbered lines.
    pub(crate) parse: Parse,
}

/// The formats, in the order they are tried (a header that would do for both is a 业务明细).
pub(crate) const FORMATS: [&Format; 2] = [&trade::FORMAT, &account::FORMAT];

impl Format {
    /// How sure it is that a file whose head is `lines` is of this format: sure when its first
    /// line is the title or a line is (or starts like) the header, else 0.
    fn sniff(&self, lines: &[&str]) -> u8 {
        let titled = bill::first_content(lines.iter().copied()) == Some(self.title);
        let has_header = lines
            .iter()
            .any(|l| (self.starts_like_header)(l) || (self.is_header)(l));
        if titled || has_header { SURE } else { 0 }
    }
}

/// Which format `lines` are: the one the title line names, else the one whose header is where
/// the header must be. A file with neither is an error saying what was expected.
fn format_of(lines: &[(u64, &str)]) -> Result<&'static Format, FileError> {
    let first = bill::first_content(lines.iter().map(|&(_, l)| l));
    let header = bill::header_at(lines).map(|i| lines[i]);
    FORMATS
        .into_iter()
        .find(|f| first == Some(f.title))
        .or_else(|| {
            FORMATS
                .into_iter()
                .find(|f| header.is_some_and(|(_, l)| (f.is_header)(l)))
        })
        .ok_or_else(|| {
            let either = format!(
                "an Alipay bill with {} or {}",
                trade::FORMAT.expected,
                account::FORMAT.expected
            );
            bill::no_header(header, &either)
        })
}

/// The Alipay merchant bill adapter: the trade bill (业务明细) and the account log (账务明细).
#[derive(Debug, Default)]
pub struct Alipay;

impl Adapter for Alipay {
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        if bundle::is_zip(head) {
            return bundle::sniff(file_name, head);
        }
        let head = text::decode_head(head);
        let lines: Vec<&str> = text::lines(&head).map(|(_, l)| l).collect();
        FORMATS
            .iter()
            .map(|f| f.sniff(&lines))
            .max()
            .unwrap_or_default()
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        if bundle::is_zip(input.bytes) {
            return bundle::parse(input.bytes, out);
        }
        let text = input.text();
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        (format_of(&lines)?.parse)(&lines, &mut Out::file(out)).map(|_| ())
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: Alipay,
    name: "alipay",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "txn,fund",
    formats: "Alipay merchant trade bill (业务明细); Alipay merchant account log (账务明细); their downloaded .csv.zip bundle",
    description: "Alipay merchant bills, GBK or UTF-8, plain or in the downloaded .csv.zip bundle (whose 汇总 summaries are checked as control totals): the trade bill (bill_type=trade, 业务明细) with payments and refunds and their service fees, and the account log (bill_type=signcustomer, 账务明细) with settled income, service fees, refunds, withdrawals and their returns",
}

//! # UnionPay ACP ZM/ZME adapter
//!
//! Reads the merchant reconciliation files of UnionPay's 全渠道 (ACP) platform: the
//! transaction detail file `INN{yyMMdd}{NN}ZM_{merId}` and the error file
//! `INN{yyMMdd}{NN}ZME_{merId}` (差错), as `fileTransfer` (txnType 76, fileType 00) returns
//! them zipped. Unzip first: this adapter reads the entries, not the ZIP.
//!
//! **No public sample exists.** The layout below comes from the official ACP SDK
//! (`SDKUtil.parseZMFile`/`parseZMEFile`), the field list in its copies, and the newer widths
//! of dromara/dax-pay. The tests build their files from these widths; nothing here has been
//! checked against a file UnionPay produced.
//!
//! ## Layout
//! One transaction a line, no header, no footer. Fixed width, **GBK, widths in bytes** (a
//! Chinese character takes two), one separator byte (a space) between fields. Lines are
//! never decoded before they are cut, and each field is decoded on its own (a character a
//! field boundary cuts becomes U+FFFD). A file that is valid UTF-8 as a whole is decoded as
//! UTF-8, with the same byte widths.
//!
//! The 41 fields every known layout starts with, in bytes: 交易代码 3 · 代理机构标识码 11 ·
//! 发送机构标识码 11 · 系统跟踪号 6 · 交易传输时间 10 · 帐号 19 · 交易金额 12 · 商户类别 4 ·
//! 终端类型 2 · 查询流水号 21 · 支付方式(旧) 2 · 商户订单号 32 · 支付卡类型 2 ·
//! 原始交易系统跟踪号 6 · 原始交易日期时间 10 · 商户手续费 13 · 结算金额 13 · 支付方式 4 ·
//! 集团商户代码 15 · 交易类型 2 · 交易子类 2 · 业务类型 6 · 帐号类型 2 · 账单类型 4 ·
//! 账单号码 32 · 交互方式 1 · 原交易查询流水号 21 · 商户代码 15 · 分账入账方式 1 ·
//! 二级商户代码 15 · 二级商户简称 32 · 二级商户分账入账金额 13 · 清算净额 13 · 终端号 8 ·
//! 商户自定义域 32 · 优惠金额 13 · 发票金额 13 · 分期付款附加手续费 12 · 分期付款期数 2 ·
//! 交易介质 1 · 原始交易订单号 32. Then a tail, and the line's byte length tells which:
//! - **607 bytes**, the official SDK (`…,1,32,98`): 保留使用 98. The older SDK's `…,1,131`
//!   is the same bytes (131 = 原始交易订单号 32 + separator + 98), so it reads the same;
//! - **608 bytes**, the newer layout (dax-pay `…,1,32,13,2,1,12,67`): 清算金额 13 ·
//!   服务点输入方式码 2 · 移动支付产品标志 1 · 检索参考号 12 · 保留使用 67;
//! - **any other length** of at least 308 bytes (through 商户代码): a warning, once a file,
//!   names the lengths, and only the 41 common fields are read — a field the line ends
//!   inside as far as it goes (what a tool that trims trailing spaces leaves), the bytes
//!   after them kept as `extra.unread_tail`. Shorter lines are quarantined;
//! - **339 bytes** is the official SDK's ZME layout (22 fields): see below.
//!
//! Every separator inside a line must be a space, else the line is quarantined naming the
//! field before it: a byte inserted or lost makes the widths slip, and must not be misread.
//!
//! *Unverified*: which of the two lengths real files have. Field notes quoted by one parser
//! give 保留使用 as `Ans99` (608 bytes with the official fields), and another reads 清算金额
//! from the first 13 bytes of the official 98-byte tail; here a 607-byte line keeps that tail
//! as `extra.保留使用`, as printed, rather than guess.
//!
//! ## Mapping
//! Each data line becomes one [`Kind::Txn`](qrecon_adapter_sdk::Kind::Txn) record from
//! provider `unionpay`, status success (the ZM file lists settled transactions):
//! - record type by 交易代码: `S22` 消费 → `payment`, `S30` 退货 → `refund`; any other code
//!   → `other`, with a warning naming the code once a file (its meaning, and so the sign of
//!   its amount, is unverified);
//! - amount = 交易金额, fen (`n12`, zero-padded, no decimal point) as exact yuan; negative on
//!   a refund, as printed otherwise;
//! - fee = 商户手续费 (`X+n12`), positive when charged to the merchant: `D` (借记, debited),
//!   `+` or no sign is a charge, `C` (贷记, credited back, as on a refund) or `-` a fee
//!   returned. When it carries such a byte, the raw text is kept in `extra.商户手续费`.
//!   *Unverified*: the spec spells the C/D convention out only for 优惠金额 (C on payments,
//!   D on refunds, from the merchant's side), and this reads the fee the same way;
//! - time = 交易传输时间 `MMDDhhmmss`, which has **no year**: the year is the settlement
//!   date's (the file name's `yyMMdd`, 20yy), or the year before when the line's month and
//!   day come after the settlement date's (a December transaction settled in January).
//!   Naive Beijing time (`utc_offset_secs` empty). Without a date in the file name the time
//!   is left empty, with a warning; the raw value is always kept in `extra.交易传输时间`;
//! - payment (and other): `txn_id` = 查询流水号 (`queryId`), `order_id` = 商户订单号
//!   (`orderId`);
//! - refund, as the core links refunds (and as the WeChat Pay trade bill does): `txn_id` =
//!   原交易查询流水号 (`origQryId`, the refunded payment's `queryId`), `refund_id` = the
//!   refund's own 查询流水号, `order_id` = 原始交易订单号 (the payment's `orderId`, when the
//!   line has it); the refund's own 商户订单号 goes to `extra`. A refund without `origQryId`
//!   is quarantined;
//! - `account` = `payee_id` = 商户代码 (`merId`), or the file name's `merId` when it is
//!   blank; `payer` = 帐号 (the card number, masked as printed); `memo` = 商户自定义域;
//! - every other non-blank field goes to `extra` under its name: terminal, 系统跟踪号,
//!   商户类别, 交易类型/交易子类/业务类型, 二级商户…, 原始交易日期时间, and so on. The other
//!   `X+n12` amounts (结算金额, 清算净额, 清算金额, 优惠金额, …) are written as signed yuan
//!   toward the merchant (`C`, `+` or no sign positive; `D` or `-` negative); one that is not
//!   `X+n12` stays as printed, with a warning. `extra.settle_date` is the file name's date.
//!
//! A line with a bad 交易代码, 交易金额, 商户手续费 or 交易传输时间, or without its ids, is
//! quarantined with the field and what was expected. Blank lines are skipped.
//!
//! ## ZME (差错) files
//! The ZME layout is published only as widths (`3,11,11,6,10,19,12,4,2,2,6,10,4,12,13,13,15,
//! 15,1,12,2,135`; one SDK even reads ZME with the ZM widths), so its lines are not turned
//! into records: each is skipped with the reason "error-file line (差错), not a settled
//! transaction" and the 交易代码, 交易传输时间 and 交易金额 it opens with (the seven fields ZM
//! and ZME share), and one warning says how many were skipped. A file is a ZME file by its
//! name; a 339-byte line in any other file is treated the same way.
//!
//! ## Sniffing
//! 95 for a name `INN{yyMMdd}{NN}ZM_…` or `…ZME_…`; 70 for a head whose lines are all of a
//! known length (607, 608, 339), open with a 3-character 交易代码 and have spaces at the
//! separators; 0 otherwise. A file not so named in which no line looks like that is refused.

mod layout;
mod lines;
mod money;
mod name;
mod notes;
mod row;
mod sniff;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input};

use crate::layout::{CORE_LEN, Layout, ZME_LEN};
use crate::lines::{decode, is_blank};
use crate::name::FileName;
use crate::notes::Notes;
use crate::row::Context;

/// The UnionPay ACP ZM/ZME adapter.
#[derive(Default)]
pub struct UnionPayZm;

impl Adapter for UnionPayZm {
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        sniff::score(file_name, head)
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let name = name::parse(input.path);
        let bytes = lines::without_bom(input.bytes);
        if !name.named && !lines::lines(bytes).any(|(_, l)| sniff::is_data_line(l)) {
            return Err(FileError::new(format!(
                "not a UnionPay ZM/ZME file: the name does not follow INN{{yyMMdd}}{{NN}}ZM_{{merId}} \
                 and no line is a ZM line ({} or {} bytes) or a ZME line ({ZME_LEN} bytes) opening \
                 with a 3-character 交易代码",
                layout::OFFICIAL_LEN,
                layout::NEWER_LEN
            )));
        }
        let ctx = Context {
            settle: name.settle,
            settle_text: name.settle.map(|d| d.to_string()),
            mer_id: name.mer_id,
            utf8: std::str::from_utf8(bytes).is_ok(),
        };
        let mut notes = Notes::default();
        for (no, line) in lines::lines(bytes) {
            read_line(&ctx, &name, (no, line), &mut notes, out);
        }
        notes.finish(name.error_file, name.settle_digits, out);
        Ok(())
    }
}

/// Reports one line: blank, a ZME line, too short to read, or a ZM data line.
fn read_line(
    ctx: &Context<'_>,
    name: &FileName<'_>,
    (no, line): (u64, &[u8]),
    notes: &mut Notes,
    out: &mut Emitter,
) {
    if is_blank(line) {
        out.skip(no, "blank line");
    } else if name.error_file || line.len() == ZME_LEN {
        notes.error_line(no);
        out.skip(no, &error_reason(line, ctx.utf8));
    } else {
        let layout = Layout::of_len(line.len());
        if layout == Layout::Unknown {
            if line.len() < CORE_LEN {
                let reason = format!(
                    "the line is {} bytes: a ZM line is {} or {} bytes, and at least {CORE_LEN} \
                     (through 商户代码) are needed to read one",
                    line.len(),
                    layout::OFFICIAL_LEN,
                    layout::NEWER_LEN
                );
                return out.quarantine(no, None, &reason, &decode(line, ctx.utf8));
            }
            notes.odd_length(no, line.len());
        }
        row::emit(ctx, (no, line), layout, notes, out);
    }
}

/// Why a ZME line is skipped, with what it opens with.
fn error_reason(line: &[u8], utf8: bool) -> String {
    const WHY: &str = "error-file line (差错), not a settled transaction";
    let Some(head) = layout::shared_head(line) else {
        return format!("{WHY} ({} bytes)", line.len());
    };
    let [code, .., time, _, amount] = head.map(|f| decode(f, utf8));
    format!(
        "{WHY}: 交易代码 {}, 交易传输时间 {}, 交易金额 {} (fen), {} bytes",
        code.trim(),
        time.trim(),
        amount.trim(),
        line.len()
    )
}

qrecon_adapter_sdk::export_adapter! {
    adapter: UnionPayZm,
    name: "unionpay-zm",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "txn",
    formats: "UnionPay ACP ZM/ZME files",
    description: "UnionPay 全渠道 (ACP) merchant reconciliation files: ZM transaction detail (fixed width, GBK, 607/608-byte layouts) and ZME 差错 files (listed, not read)",
}

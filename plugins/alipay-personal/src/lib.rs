//! # Alipay personal bill adapter (支付宝交易明细)
//!
//! Reads the transaction list a payer exports from Alipay (支付宝) — the CSV inside the
//! password-protected zip Alipay e-mails — as evidence of what the payer says they paid: each
//! payment row becomes a `claim` record of type `payer_receipt`.
//!
//! The file is GBK (read as GB18030); a UTF-8 copy (with or without a BOM) reads the same.
//! Lines end in `\n` or `\r\n`. Cells are mostly bare, padded with spaces, ids end in a TAB,
//! and every row ends in a `,`; a quoted cell may be followed by padding.
//!
//! ## Layouts
//! The header is found by its content (a line naming 收/支, 金额, a time column and 交易订单号
//! or 交易号), and its columns are mapped by name, so all three generations read the same way:
//! - **v2023+ app export**: a dashes line, the 导出信息 preamble (姓名, 支付宝账户, period,
//!   `共N笔记录`, `收入：N笔 X元`, `支出：…`, `不计收支：…`, notices), the banner
//!   `---支付宝（中国）网络技术有限公司  电子客户回单---`, then the header
//!   `交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,`
//!   and the rows. No footer.
//! - **v2021 app export**: the banner, the header (`收/支,交易对方,…,交易时间,`), the rows, a
//!   dashes line and the same summary block as a footer; 收/支 says `其他` for neutral rows.
//! - **PC web export (≤2021)**: title `支付宝交易记录明细查询`, `账号:[…]`, period, a dashes
//!   line, the header `交易号,商家订单号,交易创建时间,付款时间,最近修改时间,交易来源地,类型,交易对方,商品名称,金额（元）,收/支,交易状态,服务费（元）,成功退款（元）,备注,资金状态,`,
//!   the rows, a dashes line, then `共N笔记录`, `已收入:N笔,X元`, `待收入`, `已支出`, `待支出`
//!   and `导出时间:[…]    用户:…`.
//!
//! Lines before the header are the preamble, lines after the dashes line that ends the rows the
//! footer; both are reported as skipped. A column the layouts do not have is kept in `extra` and
//! warned about; a missing 交易订单号 or 交易状态 column is warned about too.
//!
//! ## Which rows are claims
//! Only money the payer paid out is a claim: 收/支 `支出`. Other rows are skipped with a reason
//! saying what they are: `收入` (income), `不计收支` / `其他` / empty (neutral: transfers
//! between the owner's accounts, 余额宝 and fund moves, closed orders). A 收/支 value none of
//! these is quarantined.
//!
//! **Refunds** (交易分类 `退款`, 交易状态 `退款…`, or 商品说明 `退款-…`, whatever their 收/支)
//! are linked to their payment: by 交易订单号, a refund's being the payment's followed by `_`
//! and a suffix, else by 商家订单号 when exactly one payment has it, else by a payment's
//! 交易订单号 (16 characters or more) that the refund's starts with. The payment's claim gets
//! `extra` `refunded` (the linked refunds' total) and `refund_lines` (their lines, `9,11`), and
//! the refund row is skipped as "refund of the payment at line N (recorded on its claim)". A
//! refund whose payment is not in the file is skipped as "refund of a payment not in this
//! file: `<id>`", and one that could be for several payments is not linked; both are warned
//! about, as are refunds adding up to more than their payment.
//!
//! ## Mapping of a payment row
//! - provider `alipay`, kind `claim`, type `payer_receipt`, currency `CNY`;
//! - `claim_id` = `alipay-personal:<交易订单号>` (the contract's `<adapter>:<transaction
//!   number>`). A number already used by an earlier payment row of the file gets `#<line>`
//!   appended (and a warning); a row without one gets `alipay-personal:<file name>:<line>`;
//! - `txn_id` = 交易订单号 / 交易号, `order_id` = 商家订单号 (none when `/` or empty), both
//!   without padding, TABs and backticks;
//! - `time` = 交易时间; in the PC layout 付款时间, or 交易创建时间 when 付款时间 is empty.
//!   Alipay prints Beijing time, so `utc_offset_secs` = 28800;
//! - `amount` = 金额, positive (the payer paid toward the payee); a negative one is
//!   quarantined, the direction being in 收/支;
//! - `status` from 交易状态, kept as `status_raw`: 交易成功, 支付成功, 已支付, 已转账,
//!   对方已收钱 … → success; 等待…, 待…, …处理中 (including 等待确认收货: paid into escrow,
//!   not released to the payee) → pending; 交易关闭 → revoked when money came back on it (a
//!   linked refund, or the PC layout's 成功退款（元） above zero), else failed; 退款成功,
//!   已全额退款 → revoked; 支付失败 → failed; anything else → unknown, with a warning;
//! - `payee_name` = 交易对方, `payee_account` = 对方账号 (masked as printed);
//! - `payer` = the owner's account from the frame (`支付宝账户：…`, `账号:[…]`), else their name;
//!   the name (`姓名`, `用户`) also goes into `extra` under its label;
//! - `memo` = 商品说明 / 商品名称;
//! - every other non-empty column (交易分类, 收/付款方式, 备注, 类型, 交易来源地, 服务费（元）,
//!   成功退款（元）, 资金状态, the unused time columns, unknown columns) goes into `extra` under
//!   its header name.
//!
//! A row with the wrong number of cells, or a payment or refund whose amount or time cannot be
//! read, is quarantined naming the field.
//!
//! ## Control totals
//! `共N笔记录` is checked against the data rows, and each `<label>：N笔 X元` against the rows
//! whose 收/支 (收入, 支出, 不计收支, 其他) or 资金状态 (已收入, 已支出, …) is that label. A
//! disagreement is a warning on the total's line (Alipay itself says the summed rows may differ).

mod bill;
mod columns;
mod frame;
mod link;
mod row;
mod status;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};
use qrecon_payer_bill::emit::{self, Context, Platform};

/// How the claims read: provider `alipay`, ids `alipay-personal:<交易订单号>`, statuses from
/// 交易状态, and no refund stated but by refund rows.
const PLATFORM: Platform = Platform {
    provider: "alipay",
    adapter: "alipay-personal",
    txn_id_column: "交易订单号",
    status_column: "交易状态",
    status: status::of_payment,
    stated_refund: |_| None,
};

/// The sniff score for a recognisable personal Alipay bill.
const SURE: u8 = 95;

/// The Alipay personal bill adapter.
#[derive(Debug, Default)]
pub struct AlipayPersonal;

impl Adapter for AlipayPersonal {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        if frame::looks_like_bill(&text::decode_head(head)) {
            SURE
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        let mut bill = bill::read(&lines, out)?;
        link::link(&mut bill.entries, out);
        let file = qrecon_payer_bill::file_name(input.path);
        let ctx = Context {
            file: &file,
            payer: bill.owner.payer(),
            extra: bill.owner.extra(),
        };
        emit::emit(bill.entries, &PLATFORM, &ctx, out);
        Ok(())
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: AlipayPersonal,
    name: "alipay-personal",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "claim",
    formats: "Alipay personal transaction export (支付宝交易明细: v2023 app, v2021 app, PC web)",
    description: "A payer's own Alipay bill (支付宝交易明细 CSV, GBK or UTF-8): each payment (收/支 支出) becomes a payer_receipt claim, refunds recorded on their payment's claim",
}

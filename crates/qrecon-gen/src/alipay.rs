//! Alipay merchant bills as the platform exports them (GBK, `#` preamble and footer, cells
//! ending in a TAB): the trade bill 业务明细 and the account log 账务明细, one file per PID and
//! day.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use qrecon_core::Money;

use crate::model::{Account, FundLine, Merchant, Payment};

const TRADE_HEADER: &str = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
const ACCOUNT_HEADER: &str = "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注";

fn day_cn(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

fn preamble(kind: &str, list: &str, pid: &str, day: NaiveDate) -> String {
    format!(
        "#支付宝{kind}查询\r\n#账号：[{pid}0156]\r\n#起始日期：[{} 00:00:00]   终止日期：[{} 00:00:00]\r\n#-----------------------------------------{list}----------------------------------------\r\n",
        day_cn(day),
        day_cn(day.succ_opt().unwrap_or(day))
    )
}

fn write_gbk(path: &Path, text: &str) -> anyhow::Result<()> {
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    crate::write::write_bytes(path, &bytes)
}

/// One trade-bill row: time, text, 商家实收 (signed), is-refund.
type Row = (chrono::NaiveDateTime, String, Money, bool);

fn payment_row(p: &Payment, item: &str) -> Row {
    let text = format!(
        "{}\t,{}\t,交易\t,{item},{},{},,,,,{},{},{},0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,{},0.00,",
        p.txn,
        p.order,
        crate::write::t(p.time - chrono::TimeDelta::seconds(5)),
        crate::write::t(p.time),
        mask_payer(&p.openid),
        p.amount,
        p.amount,
        -p.fee
    );
    (p.time, text, p.amount, false)
}

fn refund_row(p: &Payment, item: &str) -> Option<Row> {
    let r = p.refund.as_ref()?;
    let text = format!(
        "{}\t,{}\t,退款\t,{item},{},{},,,,,{},{},{},0.00,0.00,0.00,0.00,0.00,,0.00,0.00,{},{},0.00,",
        p.txn,
        p.order,
        crate::write::t(p.time),
        crate::write::t(r.time),
        mask_payer(&p.openid),
        -r.amount,
        -r.amount,
        r.out_no,
        r.fee_back
    );
    Some((r.time, text, -r.amount, true))
}

fn mask_payer(openid: &str) -> String {
    format!(
        "*{}(1{}***@qq.com)",
        &openid[openid.len() - 2..],
        &openid[openid.len() - 4..openid.len() - 2]
    )
}

/// Writes the Alipay trade bills of every Alipay account; returns the number of files.
pub fn trade_bills(m: &Merchant, out: &Path) -> anyhow::Result<u64> {
    let mut bills: BTreeMap<(usize, NaiveDate), Vec<Row>> = BTreeMap::new();
    for (i, p) in m
        .payments
        .iter()
        .enumerate()
        .filter(|(_, p)| m.accounts[p.account].provider == crate::model::Provider::Alipay)
    {
        let item = crate::write::ITEMS[i % crate::write::ITEMS.len()];
        bills
            .entry((p.account, p.time.date()))
            .or_default()
            .push(payment_row(p, item));
        if let Some(row) = refund_row(p, item) {
            bills
                .entry((p.account, row.0.date()))
                .or_default()
                .push(row);
        }
    }
    let n = bills.len() as u64;
    for ((a, day), mut rows) in bills {
        rows.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
        let pid = &m.accounts[a].id;
        let mut text = preamble("业务明细", "业务明细列表", pid, day);
        text.push_str(TRADE_HEADER);
        text.push_str("\r\n");
        let (mut n_pay, mut pay, mut n_ref, mut refunds) = (0, Money::ZERO, 0, Money::ZERO);
        for (_, row, amount, refund) in &rows {
            text.push_str(row);
            text.push_str("\r\n");
            if *refund {
                n_ref += 1;
                refunds += *amount;
            } else {
                n_pay += 1;
                pay += *amount;
            }
        }
        let _ = write!(
            text,
            "#-----------------------------------------业务明细列表结束------------------------------------\r\n#交易合计：{n_pay}笔，商家实收共{pay}元，商家优惠共0.00元\r\n#退款合计：{n_ref}笔，商家实收退款共{refunds}元，商家优惠退款共0.00元\r\n#导出时间：[{} 05:46:49]\r\n",
            day_cn(day.succ_opt().unwrap_or(day))
        );
        write_gbk(
            &out.join(format!(
                "exports/alipay_trade/{pid}_{}.csv",
                day.format("%Y%m%d")
            )),
            &text,
        )?;
    }
    Ok(n)
}

/// Writes one Alipay account's daily account logs; returns the number of files.
pub fn account_logs(a: &Account, out: &Path) -> anyhow::Result<u64> {
    let mut by_day: BTreeMap<NaiveDate, Vec<&FundLine>> = BTreeMap::new();
    for l in &a.fund {
        by_day.entry(l.time.date()).or_default().push(l);
    }
    let mut balance = Money::ZERO;
    let mut flow = 0u64;
    for (day, lines) in &by_day {
        let mut text = preamble("账务明细", "账务明细列表", &a.id, *day);
        text.push_str(ACCOUNT_HEADER);
        text.push_str("\r\n");
        let (mut n_in, mut s_in, mut n_out, mut s_out) = (0, Money::ZERO, 0, Money::ZERO);
        for l in lines {
            flow += 1;
            let (income, expense) = if l.income {
                (l.amount, Money::ZERO)
            } else {
                (Money::ZERO, -l.amount)
            };
            balance += income + expense;
            if l.income {
                n_in += 1;
                s_in += income;
            } else {
                n_out += 1;
                s_out += expense;
            }
            let _ = write!(
                text,
                "{}{flow:09}\t,{}\t,{}\t,{},{},,{income},{expense},{balance},支付宝,{},{}\r\n",
                day.format("%Y%m%d"),
                l.biz_id,
                l.voucher,
                l.name,
                crate::write::t(l.time),
                l.kind,
                l.memo
            );
        }
        let _ = write!(
            text,
            "#-----------------------------------------账务明细列表结束------------------------------------\r\n#支出合计：{n_out}笔，共{s_out}元,,,,,,,\r\n#收入合计：{n_in}笔，共{s_in}元,,,,,,,\r\n#导出时间：[{} 05:46:49]\r\n",
            day_cn(day.succ_opt().unwrap_or(*day))
        );
        write_gbk(
            &out.join(format!(
                "exports/alipay_account/{}_{}.csv",
                a.id,
                day.format("%Y%m%d")
            )),
            &text,
        )?;
    }
    Ok(by_day.len() as u64)
}

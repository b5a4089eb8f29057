//! Writes the model in the real export formats qrecon's adapters read: WeChat Pay trade
//! bills (ALL layout) per account and day, fund-flow bills per account and day, one ICBC
//! statement per settlement account, the merchant's claims CSV, a `qrecon.yaml`, and
//! `expected.jsonl` with the expected status of every case.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use qrecon_core::Money;

use crate::model::{Account, Merchant, Payment, Provider, mask};

const TRADE_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const TRADE_SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const FUND_HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号";
const FUND_SUMMARY: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";
/// One bill row: time, text, settlement amount, refund amount, fee.
type BillRow = (NaiveDateTime, String, Money, Money, Money);

/// Item names.
pub const ITEMS: [&str; 6] = ["牛肉面", "小笼包", "炸酱面", "豆浆油条", "馄饨", "葱油拌面"];

/// A time as the bills print it.
pub fn t(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Five decimal places, as WeChat Pay prints fees.
fn fee5(m: Money) -> String {
    let sign = if m.is_negative() { "-" } else { "" };
    let a = m.abs().0;
    format!("{sign}{}.{:05}", a / 100_000, a % 100_000)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path`, creating its folder.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(bytes)?;
    f.flush()?;
    Ok(())
}

/// Writes everything under `out`.
pub fn all(m: &Merchant, out: &Path) -> anyhow::Result<u64> {
    let mut files = 0;
    files += trade_bills(m, out)?;
    files += crate::alipay::trade_bills(m, out)?;
    for a in &m.accounts {
        files += match a.provider {
            Provider::WeChat => fund_flows(a, out)?,
            Provider::Alipay => crate::alipay::account_logs(a, out)?,
        };
        files += bank(a, out)?;
    }
    write(&out.join("exports/claims.csv"), &claims(m))?;
    write(&out.join("qrecon.yaml"), &config(m))?;
    write(&out.join("expected.jsonl"), &expected(m))?;
    Ok(files + 1)
}

fn trade_bills(m: &Merchant, out: &Path) -> anyhow::Result<u64> {
    let mut bills: BTreeMap<(usize, NaiveDate), Vec<BillRow>> = BTreeMap::new();
    for (i, p) in m
        .payments
        .iter()
        .enumerate()
        .filter(|(_, p)| m.accounts[p.account].provider == Provider::WeChat)
    {
        let acct = &m.accounts[p.account].id;
        let item = ITEMS[i % ITEMS.len()];
        let pay = format!(
            "`{},`wx2421b1c4370ec43b,`{acct},`0,`,`{},`{},`{},`NATIVE,`SUCCESS,`OTHERS,`CNY,`{},`0.00,`0,`0,`0.00,`0.00,`,`,`{item},`,`{},`0.60%,`{},`0.00,`",
            t(p.time),
            p.txn,
            p.order,
            p.openid,
            p.amount,
            fee5(p.fee),
            p.amount
        );
        bills.entry((p.account, p.time.date())).or_default().push((
            p.time,
            pay,
            p.amount,
            Money::ZERO,
            p.fee,
        ));
        if let Some(r) = &p.refund {
            let row = refund_row(acct, p, item);
            bills.entry((p.account, r.time.date())).or_default().push((
                r.time,
                row,
                Money::ZERO,
                r.amount,
                -r.fee_back,
            ));
        }
    }
    let n = bills.len() as u64;
    for ((a, day), mut rows) in bills {
        rows.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
        let mut text = String::with_capacity(rows.len() * 360);
        text.push_str(TRADE_HEADER);
        text.push_str("\r\n");
        let (mut settle, mut refunds, mut fees) = (Money::ZERO, Money::ZERO, Money::ZERO);
        for (_, row, s, r, f) in &rows {
            text.push_str(row);
            text.push_str("\r\n");
            settle += *s;
            refunds += *r;
            fees += *f;
        }
        let _ = write!(
            text,
            "{TRADE_SUMMARY}\r\n`{},`{settle},`{refunds},`0.00,`{},`{settle},`{refunds}\r\n",
            rows.len(),
            fee5(fees)
        );
        let acct = &m.accounts[a].id;
        write(
            &out.join(format!(
                "exports/tradebill/{acct}_{}.csv",
                day.format("%Y%m%d")
            )),
            &text,
        )?;
    }
    Ok(n)
}

fn refund_row(acct: &str, p: &Payment, item: &str) -> String {
    let Some(r) = &p.refund else {
        return String::new();
    };
    format!(
        "`{},`wx2421b1c4370ec43b,`{acct},`0,`,`{},`{},`{},`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`{},`{},`{},`0.00,`ORIGINAL,`SUCCESS,`{item},`,`{},`0.60%,`0.00,`{},`",
        t(r.time),
        p.txn,
        p.order,
        p.openid,
        r.id,
        r.out_no,
        r.amount,
        fee5(-r.fee_back),
        r.amount
    )
}

fn fund_flows(a: &Account, out: &Path) -> anyhow::Result<u64> {
    let mut by_day: BTreeMap<NaiveDate, Vec<&crate::model::FundLine>> = BTreeMap::new();
    for l in &a.fund {
        by_day.entry(l.time.date()).or_default().push(l);
    }
    let mut balance = Money::ZERO;
    let mut flow = 0u64;
    for (day, lines) in &by_day {
        let mut text = String::with_capacity(lines.len() * 200);
        text.push_str(FUND_HEADER);
        text.push_str("\r\n");
        let (mut n_in, mut n_out, mut s_in, mut s_out) = (0, 0, Money::ZERO, Money::ZERO);
        for l in lines {
            flow += 1;
            if l.income {
                balance += l.amount;
                n_in += 1;
                s_in += l.amount;
            } else {
                balance -= l.amount;
                n_out += 1;
                s_out += l.amount;
            }
            let io = if l.income { "收入" } else { "支出" };
            let _ = write!(
                text,
                "`{},`{},`{:028},`{},`{},`{io},`{},`{},`{}API,`{},`{}\r\n",
                t(l.time),
                l.biz_id,
                flow,
                l.name,
                l.kind,
                l.amount,
                balance,
                a.id,
                l.memo,
                l.voucher
            );
        }
        let _ = write!(
            text,
            "{FUND_SUMMARY}\r\n`{},`{n_in},`{s_in},`{n_out},`{s_out}\r\n",
            lines.len()
        );
        write(
            &out.join(format!(
                "exports/fundflow/{}/{}.csv",
                a.id,
                day.format("%Y%m%d")
            )),
            &text,
        )?;
    }
    Ok(by_day.len() as u64)
}

fn cell(v: &str, width: usize) -> String {
    format!("\"{v:<width$}\t\"")
}

fn thousands(m: Money) -> String {
    let s = m.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{out}.{frac}")
}

fn bank(a: &Account, out: &Path) -> anyhow::Result<u64> {
    let mut text = format!(
        "明细查询文件下载\n\n卡号: {},\"卡别名: 结算卡{}\"\n\n子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"\n\n交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户\n",
        mask(&a.settlement_card),
        a.id
    );
    let mut balance = Money::cents(1_000_000);
    let mut total = Money::ZERO;
    for l in &a.bank {
        balance += l.amount;
        total += l.amount;
        let _ = writeln!(
            text,
            "{}     \t,{},{},{},{},钞        \t,{},{},-              \t,{},{},人民币         \t,{},{},{},",
            l.date,
            cell("提现", 20),
            cell(&l.detail, 30),
            cell("", 60),
            cell("CHN", 20),
            cell("-", 20),
            cell("-", 20),
            cell(&thousands(l.amount), 20),
            cell("", 20),
            cell(&thousands(balance), 20),
            cell(
                if a.provider == crate::model::Provider::Alipay {
                    "支付宝（中国）网络技术有限公司"
                } else {
                    "财付通支付科技有限公司"
                },
                40
            ),
            cell("2430****0588", 20)
        );
    }
    let _ = writeln!(
        text,
        " \n人民币合计,,,,,,,,,\"{}          \t\",\"0.00          \t\",",
        thousands(total)
    );
    write(
        &out.join(format!(
            "exports/bank/icbc_{}.csv",
            mask(&a.settlement_card).replace('*', "x")
        )),
        &text,
    )?;
    Ok(1)
}

fn claims(m: &Merchant) -> String {
    let mut text = String::from(
        "claim_id,source,provider,paid_at,amount,currency,order_id,txn_id,payer,payee_seen,note\n",
    );
    for c in &m.claims {
        let _ = writeln!(
            text,
            "{},{},{},{},{},CNY,{},{},{},{},",
            c.id,
            c.source,
            c.provider.name(),
            t(c.time),
            c.amount,
            c.order.as_deref().unwrap_or(""),
            c.txn.as_deref().unwrap_or(""),
            c.payer,
            c.payee
        );
    }
    text
}

fn config(m: &Merchant) -> String {
    let ids = |p: Provider| -> String {
        m.accounts
            .iter()
            .filter(|a| a.provider == p)
            .map(|a| format!("\"{}\"", a.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let banks: Vec<String> = m
        .accounts
        .iter()
        .map(|a| format!("\"{}\"", a.settlement_card))
        .collect();
    let mut text = format!(
        "# Written by qrecon-gen: {} days from {} of {} WeChat Pay and Alipay accounts.\nas_of: {}+08:00\ntimezone: Asia/Shanghai\nmerchant:\n  name: 晨光面馆\n  payees:\n    wechatpay: {{ ids: [{}], names: [\"晨光面馆\"] }}\n    alipay: {{ ids: [{}], names: [\"晨光面馆\"] }}\n  bank_accounts: [{}]\n  settlement_accounts: {{ {} }}\nproviders:\n  wechatpay: {{ settlement: T+1, calendar: cn, bank_days: 1 }}\n  alipay: {{ settlement: T+1, calendar: cn, bank_days: 1 }}\ninputs:\n  - exports/bank/\n  - exports/claims.csv\n",
        m.days,
        m.start,
        m.accounts.len(),
        m.as_of.format("%Y-%m-%dT%H:%M:%S"),
        ids(Provider::WeChat),
        ids(Provider::Alipay),
        banks.join(", "),
        m.accounts
            .iter()
            .map(|a| format!("\"{}\": \"{}\"", a.id, a.settlement_card))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (provider, dir) in [
        (Provider::WeChat, "tradebill"),
        (Provider::Alipay, "alipay_trade"),
        (Provider::Alipay, "alipay_account"),
    ] {
        if m.accounts.iter().any(|a| a.provider == provider) {
            let _ = writeln!(text, "  - exports/{dir}/");
        }
    }
    for a in m
        .accounts
        .iter()
        .filter(|a| a.provider == Provider::WeChat && !a.fund.is_empty())
    {
        let _ = writeln!(
            text,
            "  - {{ path: exports/fundflow/{}/, account: \"{}\" }}",
            a.id, a.id
        );
    }
    text
}

fn expected(m: &Merchant) -> String {
    let mut cases: BTreeMap<String, &str> = BTreeMap::new();
    let claimed: std::collections::BTreeSet<&str> =
        m.claims.iter().filter_map(|c| c.txn.as_deref()).collect();
    let by_order: std::collections::BTreeSet<&str> =
        m.claims.iter().filter_map(|c| c.order.as_deref()).collect();
    let window: std::collections::BTreeSet<(Money, NaiveDateTime)> = m
        .claims
        .iter()
        .filter(|c| c.txn.is_none() && c.order.is_none() && c.payee == "晨光面馆")
        .map(|c| (c.amount, c.time - chrono::TimeDelta::seconds(30)))
        .collect();
    for c in &m.claims {
        cases.insert(format!("claim:{}", c.id), c.expected);
    }
    for p in &m.payments {
        let has_claim = claimed.contains(p.txn.as_str())
            || by_order.contains(p.order.as_str())
            || window.contains(&(p.amount, p.time));
        if !has_claim {
            cases.insert(format!("txn:{}:{}", p.provider.name(), p.txn), p.expected);
        }
    }
    let mut text = String::new();
    for (id, status) in cases {
        let _ = writeln!(text, "{{\"case_id\":\"{id}\",\"status\":\"{status}\"}}");
    }
    text
}

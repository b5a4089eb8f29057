//! The merchant's days as a model: accounts, payments, refunds, settlement, payouts, bank
//! credits and claims, with faults injected at the chosen rates and the expected diagnosis of
//! every case derived from the injected faults (not from qrecon's engine).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use qrecon_core::{Calendar, Money};

use crate::rng::Rng;

/// Fault rates, per mille of payments (or of payouts, for payout faults).
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Payment refunded in full.
    pub full_refund: u64,
    /// Payment refunded in part.
    pub partial_refund: u64,
    /// Settled income line missing (late settlement).
    pub late_settlement: u64,
    /// Payout's bank credit missing (bank delay), per mille of payouts.
    pub bank_delay: u64,
    /// Payouts whose bank line carries no reference (matched by window), per mille.
    pub no_reference: u64,
    /// Payments that get a claim.
    pub claims: u64,
    /// Of claims: a second claim for the same payment.
    pub duplicate: u64,
    /// Claims with a transaction id that does not exist, per mille of payments.
    pub fake: u64,
    /// Claims naming another payee, per mille of payments.
    pub wrong_payee: u64,
    /// Accounts whose last payout bounces, per mille of accounts.
    pub returned_payout: u64,
    /// Accounts frozen near the end, per mille of accounts.
    pub freeze: u64,
}

impl Faults {
    /// Realistic default rates.
    pub fn default_rates() -> Self {
        Faults {
            full_refund: 10,
            partial_refund: 10,
            late_settlement: 5,
            bank_delay: 50,
            no_reference: 200,
            claims: 20,
            duplicate: 100,
            fake: 1,
            wrong_payee: 1,
            returned_payout: 50,
            freeze: 30,
        }
    }

    /// No faults at all.
    pub fn none() -> Self {
        Faults {
            full_refund: 0,
            partial_refund: 0,
            late_settlement: 0,
            bank_delay: 0,
            no_reference: 0,
            claims: 0,
            duplicate: 0,
            fake: 0,
            wrong_payee: 0,
            returned_payout: 0,
            freeze: 0,
        }
    }
}

/// A refund of a payment.
#[derive(Clone, Debug)]
pub struct Refund {
    pub time: NaiveDateTime,
    pub amount: Money,
    /// Fee returned with it (positive).
    pub fee_back: Money,
    pub id: String,
    pub out_no: String,
}

/// One payment.
#[derive(Clone, Debug)]
pub struct Payment {
    pub account: usize,
    pub provider: Provider,
    pub time: NaiveDateTime,
    pub txn: String,
    pub order: String,
    pub amount: Money,
    pub fee: Money,
    pub openid: String,
    pub refund: Option<Refund>,
    /// The income line is missing (late settlement).
    pub unsettled: bool,
    pub expected: &'static str,
}

/// A fund-flow line.
#[derive(Clone, Debug)]
pub struct FundLine {
    pub time: NaiveDateTime,
    pub biz_id: String,
    pub name: &'static str,
    pub kind: &'static str,
    pub income: bool,
    pub amount: Money,
    pub memo: String,
    pub voucher: String,
}

/// A bank credit.
#[derive(Clone, Debug)]
pub struct BankLine {
    pub date: NaiveDate,
    pub amount: Money,
    pub detail: String,
}

/// A claim.
#[derive(Clone, Debug)]
pub struct Claim {
    pub id: String,
    pub provider: Provider,
    pub source: &'static str,
    pub time: NaiveDateTime,
    pub amount: Money,
    pub order: Option<String>,
    pub txn: Option<String>,
    pub payer: String,
    pub payee: String,
    pub expected: &'static str,
}

/// The platform an account is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// WeChat Pay: income posts at the settlement date, net of the fee.
    WeChat,
    /// Alipay: income posts when paid, gross, with the fee as its own line.
    Alipay,
}

impl Provider {
    /// The provider name in records and config.
    pub fn name(self) -> &'static str {
        match self {
            Provider::WeChat => "wechatpay",
            Provider::Alipay => "alipay",
        }
    }
}

/// One provider account (WeChat Pay 商户号, Alipay PID) and its settlement bank account.
#[derive(Clone, Debug)]
pub struct Account {
    pub provider: Provider,
    pub id: String,
    pub settlement_card: String,
    pub fund: Vec<FundLine>,
    pub bank: Vec<BankLine>,
}

/// The whole merchant.
pub struct Merchant {
    pub accounts: Vec<Account>,
    pub payments: Vec<Payment>,
    pub claims: Vec<Claim>,
    pub start: NaiveDate,
    pub days: u32,
    pub as_of: NaiveDateTime,
}

/// What to generate.
pub struct Plan {
    pub payments: u64,
    pub accounts: u32,
    pub days: u32,
    pub start: NaiveDate,
    pub seed: u64,
    pub faults: Faults,
    /// Where payers come from.
    pub payers: Payers,
    /// Every `n`-th account is on Alipay (0: none is).
    pub alipay_every: u32,
}

/// Who pays.
#[derive(Clone, Debug)]
pub enum Payers {
    /// Passers-by: each payment from one of ten million payers, nearly all seen once.
    Uniform,
    /// Regulars: this many payers, the `k`-th paying in proportion to `1/k` (Zipf), so the
    /// first few pay thousands of times — the shape of a canteen or a market stall.
    Regulars(Vec<u64>),
}

impl Payers {
    /// `n` regular payers with Zipf weights (`n = 0`: uniform).
    pub fn regulars(n: u64) -> Self {
        // Cumulative weights of 1/k in integers: k-th weight = L / k.
        const L: u64 = 720_720_000;
        if n == 0 {
            return Payers::Uniform;
        }
        let mut total = 0;
        Payers::Regulars(
            (1..=n)
                .map(|k| {
                    total += L / k;
                    total
                })
                .collect(),
        )
    }

    /// The payer of the next payment, from one random draw (one draw either way, so a
    /// uniform run gives the same data as before payer pools existed).
    fn pick(&self, draw: u64) -> u64 {
        match self {
            Payers::Uniform => draw % 10_000_000,
            Payers::Regulars(cumulative) => {
                let total = cumulative.last().copied().unwrap_or(1);
                let x = draw % total;
                cumulative.partition_point(|c| *c <= x) as u64
            }
        }
    }
}

impl Plan {
    /// The provider of account `i`.
    pub fn provider_of(&self, i: usize) -> Provider {
        let every = self.alipay_every as usize;
        if every > 0 && i % every == every - 1 {
            Provider::Alipay
        } else {
            Provider::WeChat
        }
    }
}

fn at(day: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(h, m, s).unwrap_or(NaiveTime::MIN))
}

fn fee_of(amount: Money) -> Money {
    // 0.6 %, rounded half up to the fen, as WeChat Pay charges it.
    let fen = amount.0 / 1000;
    Money::cents((fen * 6 + 500) / 1000)
}

/// Builds the merchant.
pub fn generate(plan: &Plan, cal: &Calendar) -> Merchant {
    let mut rng = Rng::new(plan.seed);
    let as_of = at(plan.start + TimeDelta::days(i64::from(plan.days)), 10, 0, 0);
    let mut accounts: Vec<Account> = (0..plan.accounts)
        .map(|i| Account {
            provider: plan.provider_of(i as usize),
            id: if plan.provider_of(i as usize) == Provider::Alipay {
                format!("2088{:012}", 102_177_000 + i)
            } else {
                format!("19{:08}", 100 + i)
            },
            settlement_card: format!("62220202{:011}", 4_000 + i),
            fund: Vec::new(),
            bank: Vec::new(),
        })
        .collect();
    let mut payments = payments(plan, &mut rng);
    for p in &mut payments {
        // Bills and ledgers are exported for whole days: a refund on the as-of day is not in them.
        if p.refund
            .as_ref()
            .is_some_and(|r| r.time.date() >= as_of.date())
        {
            p.refund = None;
        }
    }
    let special = special_accounts(plan, &mut rng);
    for (a, account) in accounts.iter_mut().enumerate() {
        settle(
            plan,
            cal,
            as_of,
            &mut rng,
            a,
            account,
            special.get(&a).copied(),
            &mut payments,
        );
    }
    let claims = claims(plan, &mut rng, as_of, &payments);
    Merchant {
        accounts,
        payments,
        claims,
        start: plan.start,
        days: plan.days,
        as_of,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Special {
    Returned,
    Frozen,
}

fn special_accounts(plan: &Plan, rng: &mut Rng) -> BTreeMap<usize, Special> {
    let mut out = BTreeMap::new();
    for a in 0..plan.accounts as usize {
        if rng.chance(plan.faults.freeze) {
            out.insert(a, Special::Frozen);
        } else if rng.chance(plan.faults.returned_payout) {
            out.insert(a, Special::Returned);
        }
    }
    out
}

fn payments(plan: &Plan, rng: &mut Rng) -> Vec<Payment> {
    let per_account_day = (plan.payments / u64::from(plan.accounts * plan.days)).max(1);
    let mut out = Vec::new();
    let mut seq = 0u64;
    for d in 0..plan.days {
        let day = plan.start + TimeDelta::days(i64::from(d));
        for a in 0..plan.accounts as usize {
            for _ in 0..per_account_day {
                seq += 1;
                let secs = u32::try_from(rng.below(14 * 3600)).unwrap_or(0) + 8 * 3600;
                let time = at(day, secs / 3600, (secs / 60) % 60, secs % 60);
                let amount = Money::cents(i64::try_from(100 + rng.below(49_900)).unwrap_or(100));
                let provider = plan.provider_of(a);
                let mut p = Payment {
                    account: a,
                    provider,
                    time,
                    txn: if provider == Provider::Alipay {
                        format!("{}22001404{seq:012}", day.format("%Y%m%d"))
                    } else {
                        format!("42000{:04}{}{:011}", a, day.format("%Y%m%d"), seq)
                    },
                    order: format!("CG{}{:09}", day.format("%Y%m%d"), seq),
                    amount,
                    fee: fee_of(amount),
                    openid: format!("oUpF8u{:022}", plan.payers.pick(rng.below(u64::MAX / 2))),
                    refund: None,
                    unsettled: false,
                    expected: "",
                };
                refund(plan, rng, &mut p, seq);
                out.push(p);
            }
        }
    }
    out
}

fn refund(plan: &Plan, rng: &mut Rng, p: &mut Payment, seq: u64) {
    let full = rng.chance(plan.faults.full_refund);
    let part = !full && rng.chance(plan.faults.partial_refund);
    if !(full || part) {
        return;
    }
    let amount = if full {
        p.amount
    } else {
        Money::cents((p.amount.0 / 1000) / 2).max(Money::cents(1))
    };
    let fee_back = if full { p.fee } else { fee_of(amount) };
    let mins = 30 + rng.below(600);
    p.refund = Some(Refund {
        time: p.time + TimeDelta::minutes(i64::try_from(mins).unwrap_or(30)),
        amount,
        fee_back,
        id: format!("503001{seq:023}"),
        out_no: format!("RF{seq:012}"),
    });
}

/// Settlement, payouts and bank credits of one account, and the expected status of its
/// payments.
#[allow(clippy::too_many_arguments)]
fn settle(
    plan: &Plan,
    cal: &Calendar,
    as_of: NaiveDateTime,
    rng: &mut Rng,
    a: usize,
    account: &mut Account,
    special: Option<Special>,
    payments: &mut [Payment],
) {
    let as_of_day = as_of.date();
    let business: Vec<NaiveDate> = (0..=plan.days + 10)
        .map(|d| plan.start + TimeDelta::days(i64::from(d)))
        .filter(|d| cal.is_business_day(*d) && *d < as_of_day)
        .collect();
    let freeze_day = (special == Some(Special::Frozen))
        .then(|| business.len().checked_sub(3).map(|i| business[i]))
        .flatten();
    let last_withdrawal_day = business.last().copied();
    let mine: Vec<usize> = (0..payments.len())
        .filter(|i| payments[*i].account == a)
        .collect();
    let alipay = account.provider == Provider::Alipay;
    // Refund debits at refund time.
    for &i in &mine {
        let p = &payments[i];
        if let Some(r) = &p.refund
            && r.time < as_of
        {
            let (name, kind) = if alipay {
                ("交易退款", "交易退款")
            } else {
                ("退款", "退款")
            };
            account.fund.push(FundLine {
                time: r.time + TimeDelta::seconds(2),
                biz_id: if alipay { p.txn.clone() } else { r.id.clone() },
                name,
                kind,
                income: false,
                amount: r.amount - r.fee_back,
                memo: format!("退款总金额{}元;含手续费{}元", r.amount, r.fee_back),
                voucher: if alipay {
                    p.order.clone()
                } else {
                    r.out_no.clone()
                },
            });
        }
    }
    // WeChat Pay posts the net income on the due date; Alipay the gross when paid, with the
    // fee as its own line. Withdrawals leave at 13:00 on business days.
    let mut income_at: BTreeMap<usize, NaiveDateTime> = BTreeMap::new();
    for &i in &mine {
        let p = &mut payments[i];
        let due = cal.add_business_days(p.time.date(), 1);
        let posted = if alipay {
            p.time
        } else {
            at(
                due,
                9,
                u32::try_from(i % 3600).unwrap_or(0) / 60,
                u32::try_from(i % 60).unwrap_or(0),
            )
        };
        if posted.date() >= as_of_day {
            continue;
        }
        if freeze_day.is_none() && rng.chance(plan.faults.late_settlement) {
            p.unsettled = true;
            continue;
        }
        if alipay {
            account.fund.push(FundLine {
                time: posted,
                biz_id: p.txn.clone(),
                name: "在线支付",
                kind: "在线支付",
                income: true,
                amount: p.amount,
                memo: String::new(),
                voucher: p.order.clone(),
            });
            account.fund.push(FundLine {
                time: posted,
                biz_id: p.txn.clone(),
                name: "服务费",
                kind: "收费",
                income: false,
                amount: p.fee,
                memo: "交易服务费".to_owned(),
                voucher: p.order.clone(),
            });
        } else {
            account.fund.push(FundLine {
                time: posted,
                biz_id: p.txn.clone(),
                name: "交易",
                kind: "交易",
                income: true,
                amount: p.amount - p.fee,
                memo: format!("含手续费{}元", p.fee),
                voucher: p.order.clone(),
            });
        }
        income_at.insert(i, posted);
    }
    account
        .fund
        .sort_by(|x, y| x.time.cmp(&y.time).then_with(|| x.biz_id.cmp(&y.biz_id)));
    let outcome = payouts(
        plan,
        cal,
        as_of_day,
        rng,
        account,
        freeze_day,
        special == Some(Special::Returned),
        last_withdrawal_day,
        &business,
    );
    for &i in &mine {
        payments[i].expected = expect(
            cal,
            as_of,
            &payments[i],
            income_at.get(&i).copied(),
            &outcome,
            freeze_day,
        );
    }
}

/// What happened to each day's payout of an account.
struct PayoutDays {
    /// Payout date → (bank credit present, bank credit due date).
    paid: BTreeMap<NaiveDate, (bool, NaiveDate)>,
    returned: Option<NaiveDate>,
}

#[allow(clippy::too_many_arguments)]
fn payouts(
    plan: &Plan,
    cal: &Calendar,
    as_of_day: NaiveDate,
    rng: &mut Rng,
    account: &mut Account,
    freeze_day: Option<NaiveDate>,
    returns: bool,
    last: Option<NaiveDate>,
    business: &[NaiveDate],
) -> PayoutDays {
    let mut lines = std::mem::take(&mut account.fund);
    let mut out = Vec::new();
    let mut balance = Money::ZERO;
    let mut days = PayoutDays {
        paid: BTreeMap::new(),
        returned: None,
    };
    let mut k = 0;
    for &day in business {
        let noon = at(day, 13, 0, 0);
        while k < lines.len() && lines[k].time <= noon {
            balance += if lines[k].income {
                lines[k].amount
            } else {
                -lines[k].amount
            };
            out.push(lines[k].clone());
            k += 1;
        }
        if freeze_day == Some(day) {
            out.push(FundLine {
                time: at(day, 12, 30, 0),
                biz_id: format!("FZ{}{}", account.id, day.format("%Y%m%d")),
                name: "冻结",
                kind: "冻结",
                income: false,
                amount: balance,
                memo: "风险冻结".to_owned(),
                voucher: String::new(),
            });
            balance = Money::ZERO;
        }
        if freeze_day.is_some_and(|f| day >= f) || balance <= Money::ZERO {
            continue;
        }
        let id = format!("WD{}{}", account.id, day.format("%Y%m%d"));
        out.push(FundLine {
            time: noon,
            biz_id: id.clone(),
            name: "提现",
            kind: "提现",
            income: false,
            amount: balance,
            memo: format!("提现到银行卡{}", mask(&account.settlement_card)),
            voucher: id.clone(),
        });
        let bank_due = cal.add_business_days(day, 1);
        if returns && Some(day) == last {
            out.push(FundLine {
                time: at(day, 16, 0, 0),
                biz_id: id.clone(),
                name: "退票",
                kind: "退票",
                income: true,
                amount: balance,
                memo: "银行退票:户名与账号不符".to_owned(),
                voucher: id,
            });
            days.returned = Some(day);
        } else {
            let arrives = bank_due < as_of_day && !rng.chance(plan.faults.bank_delay);
            if arrives {
                let label = if account.provider == Provider::Alipay {
                    "支付宝提现"
                } else {
                    "财付通提现"
                };
                let detail = if rng.chance(plan.faults.no_reference) {
                    label.to_owned()
                } else {
                    format!("{label} {id}")
                };
                account.bank.push(BankLine {
                    date: bank_due,
                    amount: balance,
                    detail,
                });
            }
            days.paid.insert(day, (arrives, bank_due));
        }
        balance = Money::ZERO;
    }
    out.extend(lines.drain(k..).filter(|l| l.time.date() < as_of_day));
    // Stable: a payout written at the same second as lines it carries stays after them.
    out.sort_by_key(|l| l.time);
    account.fund = out;
    days
}

fn expect(
    cal: &Calendar,
    as_of: NaiveDateTime,
    p: &Payment,
    income_at: Option<NaiveDateTime>,
    days: &PayoutDays,
    freeze_day: Option<NaiveDate>,
) -> &'static str {
    let as_of_day = as_of.date();
    let refund = p.refund.as_ref().filter(|r| r.time < as_of);
    let partial = refund.is_some_and(|r| r.amount < p.amount);
    if refund.is_some_and(|r| r.amount >= p.amount) {
        return "REFUNDED";
    }
    let due = cal.add_business_days(p.time.date(), 1);
    let due_past = due < as_of_day;
    let settlement = match income_at {
        None if !due_past => "SETTLEMENT_PENDING",
        None if freeze_day.is_some() => "FUNDS_FROZEN",
        None => "SETTLEMENT_OVERDUE",
        Some(t) => {
            // The first withdrawal (13:00 on a business day) after the income was posted.
            let first = if t.time() <= NaiveTime::from_hms_opt(13, 0, 0).unwrap_or(NaiveTime::MIN) {
                t.date()
            } else {
                t.date() + TimeDelta::days(1)
            };
            let paid = days.paid.range(first..).next();
            let returned = days.returned.filter(|r| *r >= first);
            match (freeze_day, paid, returned) {
                (Some(f), p, _) if p.is_none_or(|(d, _)| *d >= f) => {
                    let held = t < at(f, 12, 30, 0);
                    if held || due_past {
                        "FUNDS_FROZEN"
                    } else {
                        "SETTLEMENT_PENDING"
                    }
                }
                (_, Some((pd, _)), Some(r)) if r < *pd => "PAYOUT_RETURNED",
                (_, None, Some(_)) => "PAYOUT_RETURNED",
                (_, Some((_, (true, _))), _) => "ARRIVED",
                (_, Some((_, (false, bank_due))), _) if *bank_due >= as_of_day => "BANK_IN_TRANSIT",
                (_, Some(_), _) => "BANK_DELAYED",
                (_, None, None) if due_past => "SETTLEMENT_OVERDUE",
                (_, None, None) => "SETTLEMENT_PENDING",
            }
        }
    };
    let outranks_refund = matches!(
        settlement,
        "FUNDS_FROZEN" | "PAYOUT_RETURNED" | "SETTLEMENT_OVERDUE" | "BANK_DELAYED"
    );
    if partial && !outranks_refund {
        "REFUNDED"
    } else {
        settlement
    }
}

/// The masked form of a card number, as statements print it.
pub fn mask(account: &str) -> String {
    format!("{}****{}", &account[..4], &account[account.len() - 4..])
}

fn claims(plan: &Plan, rng: &mut Rng, as_of: NaiveDateTime, payments: &[Payment]) -> Vec<Claim> {
    let mut by_amount: BTreeMap<Money, Vec<NaiveDateTime>> = BTreeMap::new();
    for p in payments {
        by_amount.entry(p.amount).or_default().push(p.time);
    }
    let unique_in_window = |p: &Payment| {
        by_amount[&p.amount]
            .iter()
            .filter(|t| (**t - p.time).num_seconds().abs() <= 700)
            .count()
            == 1
    };
    let mut out = Vec::new();
    let mut n = 0u64;
    let mut id = || {
        n += 1;
        format!("C{n:07}")
    };
    for p in payments {
        if rng.chance(plan.faults.claims) {
            let how = rng.below(3);
            let (order, txn, time) = match how {
                0 => (None, Some(p.txn.clone()), p.time),
                1 => (Some(p.order.clone()), None, p.time),
                _ if unique_in_window(p) => (None, None, p.time + TimeDelta::seconds(30)),
                _ => (None, Some(p.txn.clone()), p.time),
            };
            let first = Claim {
                id: id(),
                provider: p.provider,
                source: "complaint",
                time,
                amount: p.amount,
                order,
                txn: txn.clone(),
                payer: p.openid.clone(),
                payee: "晨光面馆".to_owned(),
                expected: p.expected,
            };
            let dup = rng.chance(plan.faults.duplicate);
            out.push(first);
            if dup {
                out.push(Claim {
                    id: id(),
                    provider: p.provider,
                    source: "complaint",
                    time: p.time + TimeDelta::hours(2),
                    amount: p.amount,
                    order: None,
                    txn: Some(p.txn.clone()),
                    payer: p.openid.clone(),
                    payee: "晨光面馆".to_owned(),
                    expected: "DUPLICATE_CLAIM",
                });
            }
        }
        if rng.chance(plan.faults.fake) {
            out.push(Claim {
                id: id(),
                provider: p.provider,
                source: "payer_receipt",
                time: p.time,
                amount: p.amount,
                order: None,
                txn: Some(format!("4200099{:021}", rng.below(1 << 60))),
                payer: "截图顾客".to_owned(),
                payee: "晨光面馆".to_owned(),
                expected: "NOT_FOUND_ON_PLATFORM",
            });
        }
        if rng.chance(plan.faults.wrong_payee) {
            out.push(Claim {
                id: id(),
                provider: p.provider,
                source: "complaint",
                time: p.time,
                amount: p.amount,
                order: None,
                txn: None,
                payer: "扫错码顾客".to_owned(),
                payee: "隔壁水果店".to_owned(),
                expected: "PAID_TO_OTHER_PAYEE",
            });
        }
    }
    out.retain(|c| c.time < as_of);
    out
}

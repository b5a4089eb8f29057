//! Platform ledgers: which payout carried each payment's money. Per provider account, the
//! fund lines are replayed in time order over a first-in first-out balance of lots (one lot
//! per settled income): a refund debit takes from its own payment's lot first; what is left of
//! it, and fees and other debits, are netted into the next withdrawal, which carries out the
//! oldest lots worth its amount plus those debits; a returned
//! withdrawal puts its lots back at the front, a freeze holds lots until an unfreeze.
//! An income line that names its payout batch is tied to it by id instead.
//!
//! Fund-flow files carry no merchant id: a file belongs to the account named for it in
//! config, else to the account whose payments its income lines settle.

use std::collections::VecDeque;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::case::{Carried, Method};
use crate::dataset::Dataset;
use crate::index::{Indexes, Lists};
use crate::money::Money;
use crate::record::{Kind, Record, RecordId, RecordType};

/// A payout: money leaving the platform toward the bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout<'a> {
    /// The withdrawal or payout record.
    pub record: RecordId,
    /// Provider.
    pub provider: &'a str,
    /// Provider account.
    pub account: &'a str,
    /// Its local date.
    pub date: NaiveDate,
    /// Amount paid out (positive).
    pub amount: Money,
    /// The line that returned it.
    pub returned_by: Option<RecordId>,
}

/// What the ledgers tell.
#[derive(Default)]
pub struct Ledgers<'a> {
    /// Payment → the payouts that carried its money, in order.
    pub carried: CarriedBy,
    /// The same, for one account while it is replayed.
    carrying: FxHashMap<RecordId, Shares>,
    /// Payment → the freeze line holding (part of) its money, and how much.
    pub frozen: FxHashMap<RecordId, (RecordId, Money)>,
    /// Every payout, in ledger order.
    pub payouts: Vec<Payout<'a>>,
    /// Payout record → index in `payouts`.
    pub payout_index: FxHashMap<RecordId, usize>,
    /// (provider, account) pairs whose ledger is in the inputs.
    pub accounts: FxHashSet<(&'a str, &'a str)>,
    /// Freeze lines per (provider, account).
    pub freezes: FxHashMap<(&'a str, &'a str), Vec<RecordId>>,
}

/// The shares of one payment's money, by payout.
type Shares = smallvec::SmallVec<[Carried; 1]>;

/// Payment → the payouts that carried its money, found through a table over the records:
/// cases come mostly in record order, so a lookup reads the table and the lists front to
/// back instead of probing a hash table of a million entries at random.
#[derive(Default)]
pub struct CarriedBy(Lists<Carried>);

impl CarriedBy {
    /// From each account's lists, in account order (a payment two accounts carried keeps
    /// the later account's list, as one map extended account by account did).
    fn new(records: usize, mut lists: Vec<(RecordId, Shares)>) -> Self {
        // Stable: a payment's lists stay in account order.
        lists.par_sort_by_key(|(txn, _)| *txn);
        let mut pairs = Vec::with_capacity(lists.len());
        let mut lists = lists.into_iter().peekable();
        while let Some((txn, shares)) = lists.next() {
            if lists.peek().is_some_and(|(next, _)| *next == txn) {
                continue;
            }
            pairs.extend(shares.into_iter().map(|c| (txn, c)));
        }
        CarriedBy(Lists::from_sorted(records, pairs))
    }

    /// The payouts that carried `payment`'s money, in order.
    pub fn of(&self, payment: RecordId) -> &[Carried] {
        self.0.of(payment)
    }
}

#[derive(Clone, Copy)]
struct Lot {
    txn: Option<RecordId>,
    remaining: Money,
}

struct Replay<'a, 'i> {
    data: &'a Dataset,
    ix: &'i Indexes<'i>,
    lots: VecDeque<Lot>,
    held: Vec<(RecordId, Lot)>,
    by_payout_id: FxHashMap<&'a str, usize>,
    /// Lots each payout carried, to put back if it is returned.
    out_lots: FxHashMap<usize, Vec<Lot>>,
    /// Lots tied to a payout batch by id, waiting for the batch's payout line.
    explicit: FxHashMap<&'a str, Vec<Lot>>,
    /// Debits (refunds before their payment settled, fees) netted into the next payout.
    netted: Money,
}

/// The account each fund record belongs to.
fn fund_accounts<'a>(data: &'a Dataset, ix: &Indexes<'_>) -> FxHashMap<u32, &'a str> {
    type Votes<'v> = FxHashMap<u32, FxHashMap<&'v str, u32>>;
    // Each income line votes for the account of the payment it settles (in parallel, votes
    // added up after).
    let votes: Votes<'a> = data
        .records
        .par_iter()
        .zip(0..crate::dataset::ids(data))
        .filter(|(r, _)| r.kind == Kind::Fund && r.rtype == RecordType::Income)
        .filter_map(|(r, i)| {
            let pay = ix.payment_of(RecordId(i))?;
            Some((r.source.file, data.s(data.get(pay).account)))
        })
        .fold(Votes::default, |mut votes, (file, account)| {
            *votes.entry(file).or_default().entry(account).or_default() += 1;
            votes
        })
        .reduce(Votes::default, |mut a, b| {
            for (file, accounts) in b {
                let into = a.entry(file).or_default();
                for (account, n) in accounts {
                    *into.entry(account).or_default() += n;
                }
            }
            a
        });
    votes
        .into_iter()
        .filter_map(|(file, v)| {
            let best = v
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
            Some((file, best.0))
        })
        .collect()
}

/// Replays every account's ledger.
pub fn replay<'a>(data: &'a Dataset, ix: &Indexes<'_>, tz: Tz) -> Ledgers<'a> {
    type Groups<'g> = FxHashMap<(&'g str, &'g str), Vec<RecordId>>;
    let by_file = fund_accounts(data, ix);
    // Lines by account, gathered in parallel (each account's lines are sorted by time below,
    // so the order they are gathered in does not matter).
    let mut groups: Groups<'_> = (0..data.records.len())
        .into_par_iter()
        .filter_map(|i| {
            let id = RecordId(u32::try_from(i).ok()?);
            let r = data.get(id);
            matches!(r.kind, Kind::Fund | Kind::Payout).then_some((id, r))
        })
        .fold(Groups::default, |mut groups, (id, r)| {
            let account = data
                .str(r.account)
                .or_else(|| by_file.get(&r.source.file).copied())
                .unwrap_or_default();
            groups
                .entry((data.s(r.provider), account))
                .or_default()
                .push(id);
            groups
        })
        .reduce(Groups::default, |mut a, b| {
            for (k, v) in b {
                a.entry(k).or_default().extend(v);
            }
            a
        });
    let mut keys: Vec<(&str, &str)> = groups.keys().copied().collect();
    keys.sort_unstable();
    let work: Vec<((&str, &str), Vec<RecordId>)> = keys
        .into_iter()
        .map(|k| (k, groups.remove(&k).unwrap_or_default()))
        .collect();
    // Accounts are independent: replay them in parallel, then merge in account order.
    let parts: Vec<Ledgers<'_>> = work
        .into_par_iter()
        .map(|(key, mut lines)| {
            // Keys read once per line, not twice per comparison (records are scattered).
            lines.sort_by_cached_key(|id| {
                let r = data.get(*id);
                (r.time, r.source)
            });
            let mut part = Ledgers::default();
            replay_account(data, ix, tz, key, &lines, &mut part);
            part.accounts.insert(key);
            part
        })
        .collect();
    let mut out = Ledgers::default();
    let mut carried = Vec::new();
    for mut part in parts {
        carried.extend(std::mem::take(&mut part.carrying));
        out.absorb(part);
    }
    out.carried = CarriedBy::new(data.records.len(), carried);
    out
}

impl<'a> Ledgers<'a> {
    /// Appends another account's ledger (its payout indexes shift by the payouts so far).
    fn absorb(&mut self, part: Ledgers<'a>) {
        let base = self.payouts.len();
        self.payout_index
            .extend(part.payout_index.into_iter().map(|(r, i)| (r, i + base)));
        self.payouts.extend(part.payouts);
        self.frozen.extend(part.frozen);
        self.accounts.extend(part.accounts);
        self.freezes.extend(part.freezes);
    }
}

fn replay_account<'a>(
    data: &'a Dataset,
    ix: &Indexes<'_>,
    tz: Tz,
    key: (&'a str, &'a str),
    lines: &[RecordId],
    out: &mut Ledgers<'a>,
) {
    let mut rp = Replay {
        data,
        ix,
        lots: VecDeque::new(),
        held: Vec::new(),
        by_payout_id: FxHashMap::default(),
        out_lots: FxHashMap::default(),
        explicit: FxHashMap::default(),
        netted: Money::ZERO,
    };
    let payout_ids: FxHashSet<&str> = lines
        .iter()
        .map(|id| data.get(*id))
        .filter(|r| is_payout(r))
        .filter_map(|r| data.str(r.payout_id))
        .collect();
    for &id in lines {
        let r = data.get(id);
        match (r.rtype, r.kind) {
            (_, Kind::Payout) | (RecordType::Withdrawal, _) => rp.withdraw(id, r, key, tz, out),
            (RecordType::WithdrawalReturn, _) => rp.returned(id, r, out),
            (RecordType::Income, _) => rp.income(id, r, &payout_ids),
            (RecordType::Freeze, _) => rp.freeze(id, r, key, out),
            (RecordType::Unfreeze, _) => rp.unfreeze(r.amount.abs()),
            (RecordType::Refund, _) if r.amount.is_negative() => {
                let payment = ix.payment_of(id);
                rp.debit(r.amount.abs(), payment);
            }
            _ if r.amount.is_negative() => rp.debit(r.amount.abs(), None),
            _ if !r.amount.is_zero() => rp.lots.push_back(Lot {
                txn: None,
                remaining: r.amount,
            }),
            _ => {}
        }
    }
    for (freeze, lot) in rp.held {
        if let Some(txn) = lot.txn {
            let e = out.frozen.entry(txn).or_insert((freeze, Money::ZERO));
            e.1 += lot.remaining;
        }
    }
}

fn is_payout(r: &Record) -> bool {
    r.kind == Kind::Payout || r.rtype == RecordType::Withdrawal
}

impl<'a> Replay<'a, '_> {
    fn income(&mut self, id: RecordId, r: &'a Record, payout_ids: &FxHashSet<&str>) {
        let lot = Lot {
            txn: self.ix.payment_of(id),
            remaining: r.amount,
        };
        match self
            .data
            .str(r.payout_id)
            .filter(|p| payout_ids.contains(p))
        {
            Some(batch) => self.explicit.entry(batch).or_default().push(lot),
            None => self.lots.push_back(lot),
        }
    }

    /// Takes `amount` out of the balance: from `payment`'s own lots first; the rest is netted
    /// into the next payout (which then carries that much more of the oldest lots), so no
    /// payment is singled out to fund another's refund.
    fn debit(&mut self, amount: Money, payment: Option<RecordId>) {
        let mut left = amount;
        if let Some(p) = payment {
            for lot in self.lots.iter_mut().filter(|l| l.txn == Some(p)) {
                let take = left.min(lot.remaining);
                lot.remaining -= take;
                left -= take;
            }
            self.lots.retain(|l| l.remaining > Money::ZERO);
        }
        self.netted += left;
    }

    /// Removes `amount` from the oldest lots and returns what it took.
    fn take_fifo(&mut self, amount: Money) -> Vec<Lot> {
        let mut left = amount;
        let mut taken = Vec::new();
        while left > Money::ZERO {
            let Some(front) = self.lots.front_mut() else {
                break;
            };
            let take = left.min(front.remaining);
            if take > Money::ZERO {
                taken.push(Lot {
                    txn: front.txn,
                    remaining: take,
                });
            }
            front.remaining -= take;
            left -= take;
            if front.remaining <= Money::ZERO {
                self.lots.pop_front();
            }
        }
        taken
    }

    fn withdraw(
        &mut self,
        id: RecordId,
        r: &'a Record,
        key: (&'a str, &'a str),
        tz: Tz,
        out: &mut Ledgers<'a>,
    ) {
        let amount = r.amount.abs();
        let index = out.payouts.len();
        out.payouts.push(Payout {
            record: id,
            provider: key.0,
            account: key.1,
            date: r.local_date(tz).unwrap_or_default(),
            amount,
            returned_by: None,
        });
        out.payout_index.insert(id, index);
        let batch = self.data.str(r.payout_id);
        let explicit = batch
            .and_then(|b| self.explicit.remove(b))
            .unwrap_or_default();
        let explicit_sum: Money = explicit.iter().map(|l| l.remaining).sum();
        let fifo = self.take_fifo(amount - explicit_sum.min(amount) + self.netted);
        self.netted = Money::ZERO;
        for (lots, method) in [
            (&explicit, Method::Id(crate::case::Key::PayoutId)),
            (&fifo, Method::Fifo),
        ] {
            for lot in lots {
                if let Some(txn) = lot.txn {
                    out.carrying.entry(txn).or_default().push(Carried {
                        payout: id,
                        amount: lot.remaining,
                        method,
                    });
                }
            }
        }
        if let Some(b) = batch {
            self.by_payout_id.insert(b, index);
        }
        let mut carried = explicit;
        carried.extend(fifo);
        self.out_lots.insert(index, carried);
    }

    fn returned(&mut self, id: RecordId, r: &'a Record, out: &mut Ledgers<'a>) {
        let Some(index) = self
            .data
            .str(r.payout_id)
            .and_then(|p| self.by_payout_id.get(p))
            .copied()
        else {
            if r.amount > Money::ZERO {
                self.lots.push_back(Lot {
                    txn: None,
                    remaining: r.amount,
                });
            }
            return;
        };
        out.payouts[index].returned_by = Some(id);
        let lots = self.out_lots.remove(&index).unwrap_or_default();
        for lot in lots.into_iter().rev() {
            self.lots.push_front(lot);
        }
    }

    fn freeze(&mut self, id: RecordId, r: &Record, key: (&'a str, &'a str), out: &mut Ledgers<'a>) {
        out.freezes.entry(key).or_default().push(id);
        let amount = if r.amount.is_zero() {
            self.lots.iter().map(|l| l.remaining).sum()
        } else {
            r.amount.abs()
        };
        for lot in self.take_fifo(amount) {
            self.held.push((id, lot));
        }
    }

    fn unfreeze(&mut self, amount: Money) {
        let mut left = if amount.is_zero() {
            self.held.iter().map(|(_, l)| l.remaining).sum()
        } else {
            amount
        };
        let mut released = Vec::new();
        while left > Money::ZERO && !self.held.is_empty() {
            let (_, lot) = &mut self.held[0];
            let take = left.min(lot.remaining);
            released.push(Lot {
                txn: lot.txn,
                remaining: take,
            });
            lot.remaining -= take;
            left -= take;
            if lot.remaining <= Money::ZERO {
                self.held.remove(0);
            }
        }
        for lot in released.into_iter().rev() {
            self.lots.push_front(lot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(payout: u32, cents: i64) -> Carried {
        Carried {
            payout: RecordId(payout),
            amount: Money::cents(cents),
            method: Method::Fifo,
        }
    }

    #[test]
    fn carried_lists_are_found_by_payment_and_a_later_account_wins() {
        let lists = vec![
            (
                RecordId(7),
                Shares::from_slice(&[share(100, 5), share(101, 3)]),
            ),
            (RecordId(2), Shares::from_slice(&[share(100, 1)])),
            // A later account's list for payment 7 replaces the earlier one.
            (RecordId(7), Shares::from_slice(&[share(200, 8)])),
        ];
        let by = CarriedBy::new(10, lists);
        assert_eq!(by.of(RecordId(2)), &[share(100, 1)]);
        assert_eq!(by.of(RecordId(7)), &[share(200, 8)]);
        assert_eq!(by.of(RecordId(3)), &[]);
        assert_eq!(by.of(RecordId(99)), &[]);
    }
}

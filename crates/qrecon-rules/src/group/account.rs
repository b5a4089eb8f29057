//! Account groups: a provider account's daily sales and payouts, its freeze lines, the due
//! dates payouts missed or fell short on, and the payments held.

use chrono::NaiveDate;
use qrecon_core::{Money, RecordId};
use rhai::{Array, Dynamic, Engine, ImmutableString};

use super::span::records;
use crate::view::{Amount, Date};

/// One day of an account, for rules.
#[derive(Debug, Clone)]
pub struct DayView {
    pub(crate) date: NaiveDate,
    pub(crate) sales: Money,
    pub(crate) sales_count: u32,
    pub(crate) payouts: Money,
    pub(crate) payout_count: u32,
}

/// A provider account over the run.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub(crate) provider: ImmutableString,
    pub(crate) account: ImmutableString,
    pub(crate) ledger_seen: bool,
    pub(crate) freezes: Vec<RecordId>,
    pub(crate) days: Vec<DayView>,
    pub(crate) missed: Vec<NaiveDate>,
    pub(crate) shrunk: Vec<NaiveDate>,
    pub(crate) last_payout: Option<NaiveDate>,
    /// Held payments: (case id, payment).
    pub(crate) held: Vec<(ImmutableString, RecordId)>,
}

fn dates(ds: &[NaiveDate]) -> Array {
    ds.iter().map(|d| Dynamic::from(Date(*d))).collect()
}

/// Registers the account view's types and getters.
pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<DayView>("Day")
        .register_get("date", |d: &mut DayView| Date(d.date))
        .register_get("sales", |d: &mut DayView| Amount(d.sales))
        .register_get("sales_count", |d: &mut DayView| i64::from(d.sales_count))
        .register_get("payouts", |d: &mut DayView| Amount(d.payouts))
        .register_get("payout_count", |d: &mut DayView| i64::from(d.payout_count));
    engine
        .register_type_with_name::<AccountView>("Account")
        .register_get("provider", |a: &mut AccountView| a.provider.clone())
        .register_get("account", |a: &mut AccountView| a.account.clone())
        .register_get("ledger_seen", |a: &mut AccountView| a.ledger_seen)
        .register_get("freezes", |a: &mut AccountView| {
            records(a.freezes.iter().copied())
        })
        .register_get("days", |a: &mut AccountView| {
            a.days.iter().cloned().map(Dynamic::from).collect::<Array>()
        })
        .register_get("missed_due_dates", |a: &mut AccountView| dates(&a.missed))
        .register_get("shrunk_due_dates", |a: &mut AccountView| dates(&a.shrunk))
        .register_get("last_payout", |a: &mut AccountView| {
            a.last_payout
                .map_or(Dynamic::UNIT, |d| Dynamic::from(Date(d)))
        })
        .register_get("held_cases", |a: &mut AccountView| {
            a.held
                .iter()
                .map(|(id, _)| Dynamic::from(id.clone()))
                .collect::<Array>()
        })
        .register_get("held_payments", |a: &mut AccountView| {
            records(a.held.iter().map(|(_, t)| *t))
        });
}

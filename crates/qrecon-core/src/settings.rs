//! What the core needs to know about the merchant and its providers (resolved config).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::calendar::{Calendar, Cycle};

/// Who the merchant is on one provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payee {
    /// Merchant ids (商户号, PID).
    pub ids: Vec<String>,
    /// Names a payer may see.
    pub names: Vec<String>,
}

/// A provider's settlement terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    /// Settlement cycle.
    pub settlement: Cycle,
    /// Calendar name.
    pub calendar: String,
    /// Business days from payout to bank credit.
    pub bank_days: u32,
}

impl Default for Terms {
    fn default() -> Self {
        Self {
            settlement: Cycle::Business(1),
            calendar: "cn".to_owned(),
            bank_days: 1,
        }
    }
}

/// Everything a reconciliation run is told.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The run's reference instant.
    pub as_of: DateTime<FixedOffset>,
    /// Zone for naive times and for dates.
    pub timezone: Tz,
    /// Merchant display name.
    pub merchant_name: Option<String>,
    /// The merchant per provider.
    pub payees: BTreeMap<String, Payee>,
    /// The merchant's bank accounts.
    pub bank_accounts: Vec<String>,
    /// Terms per provider.
    pub providers: BTreeMap<String, Terms>,
    /// Calendars by name.
    pub calendars: BTreeMap<String, Calendar>,
    /// Per-payment limits by provider.
    pub per_payment_limits: BTreeMap<String, Decimal>,
    /// Per-payer daily limits by provider.
    pub per_payer_day_limits: BTreeMap<String, Decimal>,
}

impl Settings {
    /// Terms for `provider` (defaults when the config names none).
    pub fn terms(&self, provider: &str) -> Terms {
        self.providers.get(provider).cloned().unwrap_or_default()
    }

    /// The calendar of `terms` (an empty weekday-only calendar when unknown).
    pub fn calendar(&self, terms: &Terms) -> Calendar {
        self.calendars
            .get(&terms.calendar)
            .cloned()
            .unwrap_or_default()
    }

    /// Whether a payee name or id a payer saw is the merchant on `provider` (any provider
    /// when `provider` is unknown). With no payees configured, nothing is foreign.
    pub fn is_merchant(&self, provider: &str, seen: &str) -> bool {
        if self.payees.is_empty() {
            return true;
        }
        let seen = seen.trim();
        let matches = |p: &Payee| p.ids.iter().chain(&p.names).any(|x| x == seen);
        match self.payees.get(provider) {
            Some(p) => matches(p),
            None => self.payees.values().any(matches),
        }
    }
}

//! What the core needs to know about the merchant and its providers (resolved config).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use crate::calendar::{Calendar, Cycle};
use crate::money::Money;

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
    /// Names the provider's payouts carry on bank statements (matched as substrings).
    pub counterparties: Vec<String>,
    /// The kind of QR code payers scan on this provider, when the config says.
    pub qr_code: Option<QrCode>,
}

/// The kind of QR code a merchant's payers scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrCode {
    /// A printed code (a sticker at the till): the payer types the amount.
    Static,
    /// A code made per order by the till or the app, with the amount in it.
    Dynamic,
}

impl QrCode {
    /// Parses `static` / `dynamic`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "static" => Some(Self::Static),
            "dynamic" => Some(Self::Dynamic),
            _ => None,
        }
    }
}

impl Terms {
    /// Defaults for a provider: `T+1` on the `cn` calendar, one bank day, and the provider's
    /// usual payout names.
    pub fn default_for(provider: &str) -> Self {
        Self {
            settlement: Cycle::Business(1),
            calendar: "cn".to_owned(),
            bank_days: 1,
            counterparties: default_counterparties(provider),
            qr_code: None,
        }
    }
}

/// The names a provider's payouts carry on Chinese bank statements.
pub fn default_counterparties(provider: &str) -> Vec<String> {
    let names: &[&str] = match provider {
        "alipay" => &["支付宝（中国）网络技术有限公司", "支付宝"],
        "wechatpay" => &["财付通支付科技有限公司", "财付通"],
        "unionpay" => &["中国银联股份有限公司", "银联"],
        _ => &[],
    };
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// How loosely records may be matched when no id links them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
    /// A claim and a payment of the same amount link when this close in time (seconds).
    pub claim_secs: i64,
    /// A bank credit may arrive this many business days after it was due.
    pub bank_days: u32,
}

impl Default for Windows {
    fn default() -> Self {
        Self {
            claim_secs: 600,
            bank_days: 3,
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
    /// The merchant's bank accounts (masked forms like `6222****3445` match).
    pub bank_accounts: Vec<String>,
    /// Provider account (商户号, PID) → the bank account its payouts go to: a payout is then
    /// only matched to credits on that account's statement (a service provider's hundreds of
    /// sub-merchants pay out equal amounts on the same day).
    pub settlement_accounts: BTreeMap<String, String>,
    /// Terms per provider.
    pub providers: BTreeMap<String, Terms>,
    /// Calendars by name.
    pub calendars: BTreeMap<String, Calendar>,
    /// Per-payment limits by provider.
    pub per_payment_limits: BTreeMap<String, Money>,
    /// Per-payer daily limits by provider.
    pub per_payer_day_limits: BTreeMap<String, Money>,
    /// Matching windows.
    pub windows: Windows,
}

/// The People's Bank of China caps payments by a static QR code (the sticker at a till) at
/// 500 CNY per payer per day (银发〔2017〕296号; dynamic codes: level B 5,000, C 1,000, D 500).
/// It applies where a provider's `qr_code` is `static` and `limits.per_payer_day` names no
/// other limit.
pub const STATIC_QR_DAY_LIMIT: Money = Money(500 * 100_000);

impl Settings {
    /// Settings with defaults, for tests and tools.
    pub fn new(as_of: DateTime<FixedOffset>, timezone: Tz) -> Self {
        Self {
            as_of,
            timezone,
            merchant_name: None,
            payees: BTreeMap::new(),
            bank_accounts: Vec::new(),
            settlement_accounts: BTreeMap::new(),
            providers: BTreeMap::new(),
            calendars: BTreeMap::new(),
            per_payment_limits: BTreeMap::new(),
            per_payer_day_limits: BTreeMap::new(),
            windows: Windows::default(),
        }
    }

    /// What one payer may pay the merchant on `provider` in a day: the configured limit, else
    /// [`STATIC_QR_DAY_LIMIT`] where the provider's code is static, else none (a dynamic
    /// code's limit depends on the payer's verification level, which no export shows).
    pub fn per_payer_day_limit(&self, provider: &str) -> Option<Money> {
        self.per_payer_day_limits
            .get(provider)
            .copied()
            .or_else(|| {
                (self.providers.get(provider).and_then(|t| t.qr_code) == Some(QrCode::Static))
                    .then_some(STATIC_QR_DAY_LIMIT)
            })
    }

    /// Terms for `provider` (defaults when the config names none).
    pub fn terms(&self, provider: &str) -> std::borrow::Cow<'_, Terms> {
        match self.providers.get(provider) {
            Some(t) => std::borrow::Cow::Borrowed(t),
            None => std::borrow::Cow::Owned(Terms::default_for(provider)),
        }
    }

    /// Fills in default terms for `providers` not configured, so [`Settings::terms`] need not
    /// build them on every call.
    #[must_use]
    pub fn with_default_terms<'p>(mut self, providers: impl IntoIterator<Item = &'p str>) -> Self {
        for p in providers {
            self.providers
                .entry(p.to_owned())
                .or_insert_with(|| Terms::default_for(p));
        }
        self
    }

    /// The calendar named `name` (weekdays only when unknown).
    pub fn calendar(&self, name: &str) -> &Calendar {
        static EMPTY: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        self.calendars
            .get(name)
            .unwrap_or_else(|| EMPTY.get_or_init(Calendar::default))
    }

    /// The `as_of` date in the run's zone.
    pub fn as_of_date(&self) -> NaiveDate {
        self.as_of.with_timezone(&self.timezone).date_naive()
    }

    /// Whether something due by the end of `due` (in the run's zone) is past due at `as_of`.
    pub fn is_past(&self, due: NaiveDate) -> bool {
        // Past the end of `due` means `as_of` falls on a later local date (this also holds
        // where a DST change skips local midnight).
        self.as_of_date() > due
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

    /// Whether a bank line's account is one of the merchant's (every account is when none
    /// are configured). Masked forms match on their visible head and tail.
    pub fn is_merchant_bank_account(&self, seen: Option<&str>) -> bool {
        let Some(seen) = seen else { return true };
        self.bank_accounts.is_empty() || self.bank_accounts.iter().any(|a| accounts_match(a, seen))
    }
}

/// Whether two account numbers are the same, allowing `*` masking on either side.
pub fn accounts_match(a: &str, b: &str) -> bool {
    fn parts(s: &str) -> (&str, &str) {
        match (s.find('*'), s.rfind('*')) {
            (Some(i), Some(j)) => (&s[..i], &s[j + 1..]),
            _ => (s, ""),
        }
    }
    if !a.contains('*') && !b.contains('*') {
        return a == b;
    }
    let (masked, full) = if b.contains('*') { (b, a) } else { (a, b) };
    let (head, tail) = parts(masked);
    let (full_head, full_tail) = parts(full);
    let full = if full.contains('*') { full_head } else { full };
    full.starts_with(head)
        && (full.ends_with(tail) || full_tail.ends_with(tail))
        && !head.is_empty()
        && !tail.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_accounts_match_on_head_and_tail() {
        assert!(accounts_match("6222020200112233445", "6222****3445"));
        assert!(accounts_match("6222****3445", "6222****3445"));
        assert!(!accounts_match("6222020200112233445", "6222****9876"));
        assert!(accounts_match("123", "123"));
        assert!(!accounts_match("123", "124"));
    }
}

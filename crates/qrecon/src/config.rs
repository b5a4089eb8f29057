//! `qrecon.yaml` (DESIGN §5): every key accepted, unknown keys rejected with key and line,
//! values validated while parsing so each error names `file:line:col`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use qrecon_core::{Calendar, Cycle, Money};
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// A config error: where, and what was expected.
#[derive(Debug)]
pub struct ConfigError {
    /// `file[:line[:col]]`.
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The file as written.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub as_of: Option<Instant>,
    pub timezone: Option<Zone>,
    pub merchant: Option<MerchantConfig>,
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
    #[serde(default)]
    pub calendars: BTreeMap<String, CalendarConfig>,
    pub limits: Option<LimitsConfig>,
    #[serde(default)]
    pub inputs: Vec<InputConfig>,
    pub rules: Option<PathBuf>,
    /// Mapping files (`docs/adapters.md`), beside those found among the inputs.
    #[serde(default)]
    pub mappings: Vec<PathBuf>,
    pub plugins: Option<PluginsConfig>,
    pub matching: Option<MatchingConfig>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct MatchingConfig {
    /// A claim and a payment of the same amount link when this close in time.
    pub claim_window_minutes: Option<u32>,
    /// Business days a bank credit may come after its due date.
    pub bank_window_days: Option<u32>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct MerchantConfig {
    pub name: Option<String>,
    #[serde(default)]
    pub payees: BTreeMap<String, PayeeConfig>,
    #[serde(default)]
    pub bank_accounts: Vec<String>,
    /// Provider account id → the bank account it pays out to.
    #[serde(default)]
    pub settlement_accounts: BTreeMap<String, String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct PayeeConfig {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub settlement: Option<CycleValue>,
    pub calendar: Option<String>,
    pub bank_days: Option<u32>,
    pub counterparties: Option<Vec<String>>,
    /// `static` (a printed code: the PBOC's 500 CNY per payer per day applies unless
    /// `limits.per_payer_day` says otherwise) or `dynamic`.
    pub qr_code: Option<QrCodeValue>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    pub file: Option<PathBuf>,
    #[serde(default)]
    pub holidays: Vec<Day>,
    #[serde(default)]
    pub workdays: Vec<Day>,
}

/// A calendar data file (like `calendars/cn.yaml`).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    /// Informational; the config's key names the calendar.
    #[allow(dead_code)]
    pub name: Option<String>,
    #[serde(default)]
    pub holidays: Vec<Day>,
    #[serde(default)]
    pub workdays: Vec<Day>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default)]
    pub per_payment: BTreeMap<String, Amount>,
    #[serde(default)]
    pub per_payer_day: BTreeMap<String, Amount>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct PluginsConfig {
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum InputConfig {
    Path(PathBuf),
    Detailed(InputDetail),
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct InputDetail {
    pub path: PathBuf,
    pub adapter: Option<String>,
    pub account: Option<String>,
}

macro_rules! parsed_value {
    ($name:ident, $inner:ty, $expected:literal, $parse:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                let parse: fn(&str) -> Option<$inner> = $parse;
                parse(&s).map($name).ok_or_else(|| {
                    de::Error::custom(format!(concat!("expected ", $expected, ", found {:?}"), s))
                })
            }
        }
    };
}

parsed_value!(
    Instant,
    DateTime<FixedOffset>,
    "an RFC 3339 instant like 2026-11-26T08:00:00+08:00",
    |s| { DateTime::parse_from_rfc3339(s).ok() }
);
parsed_value!(Zone, Tz, "an IANA time zone like Asia/Shanghai", |s| s
    .parse()
    .ok());
parsed_value!(Day, NaiveDate, "a date like 2026-10-01", |s| {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
});
parsed_value!(
    CycleValue,
    Cycle,
    "a settlement cycle like T+1, T+0 or D+3",
    |s| s.parse().ok()
);
parsed_value!(
    QrCodeValue,
    qrecon_core::QrCode,
    "static or dynamic",
    qrecon_core::QrCode::parse
);
parsed_value!(Amount, Money, "a decimal amount like \"500.00\"", |s| s
    .parse()
    .ok());

/// The built-in `cn` calendar (mainland China, 2025–2026).
pub const CN_CALENDAR: &str = include_str!("../calendars/cn.yaml");

/// Reads and parses a YAML document, turning errors into `file:line:col: message`.
pub fn parse_yaml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T, ConfigError> {
    serde_yaml::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        // A value rejected by its own parser is reported at the document's start; the value
        // it names finds its line.
        let located = e
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|l| *l != (1, 1));
        let line = located
            .map(|(l, _)| l)
            .or_else(|| found_value(&message).and_then(|v| line_of(text, v)));
        let at = match (line, located) {
            (Some(l), Some((_, c))) => format!("{}:{l}:{c}", path.display()),
            (Some(l), None) => format!("{}:{l}", path.display()),
            (None, _) => path.display().to_string(),
        };
        ConfigError { at, message }
    })
}

/// Builds a calendar from a data file's days.
pub fn calendar(name: &str, holidays: &[Day], workdays: &[Day]) -> Calendar {
    Calendar {
        name: name.to_owned(),
        holidays: holidays.iter().map(|d| d.0).collect(),
        workdays: workdays.iter().map(|d| d.0).collect(),
    }
}

/// The 1-based line of the first occurrence of `needle` in `text` (for values checked after
/// parsing, such as a missing input file).
pub fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// The value a "…, found \"X\"" message names.
fn found_value(message: &str) -> Option<&str> {
    let rest = message.rsplit_once("found \"")?.1;
    rest.strip_suffix('"').filter(|v| !v.is_empty())
}

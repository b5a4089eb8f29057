//! The resolved run: command line and config merged, validated, ready to execute. Every
//! error here happens before any work and names the file and line it comes from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Amount;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use qrecon_core::{Money, Payee, Settings, Terms, Windows};

use crate::cli::{FailOn, Format, RunArgs};
use crate::config::{self, CalendarFile, ConfigError, ConfigFile, InputConfig};

/// One input file and how to read it.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The path to read.
    pub path: PathBuf,
    /// As outputs name it.
    pub display: String,
    /// Adapter pinned in config.
    pub adapter: Option<String>,
    /// Provider account named in config.
    pub account: Option<String>,
}

/// Everything a run needs.
#[derive(Debug)]
pub struct RunPlan {
    pub settings: Settings,
    pub inputs: Vec<InputFile>,
    pub plugin_dirs: Vec<PathBuf>,
    /// Mapped adapters: config `mappings:` and `*.qrecon-map.yaml` files among the inputs.
    pub mappings: Vec<std::sync::Arc<qrecon_mapped::Mapping>>,
    pub out: PathBuf,
    pub format: Format,
    pub fail_on: Option<FailOn>,
    pub threads: Option<usize>,
    pub rules: Option<PathBuf>,
    /// How the run was asked for, to repeat it (`qrecon explain`): absolute paths.
    pub repeat: Repeat,
}

/// The folder a run was started in, and its config file and command-line inputs as given.
#[derive(Debug, Clone, Default)]
pub struct Repeat {
    pub cwd: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub inputs: Vec<PathBuf>,
}

const DEFAULT_CONFIG: &str = "qrecon.yaml";

pub struct Loaded {
    path: PathBuf,
    text: String,
    file: ConfigFile,
}

impl Loaded {
    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new(""))
    }

    fn error_near(&self, needle: &str, message: String) -> ConfigError {
        let at = match config::line_of(&self.text, needle) {
            Some(line) => format!("{}:{line}", self.path.display()),
            None => self.path.display().to_string(),
        };
        ConfigError { at, message }
    }
}

fn load_config(args: &RunArgs) -> Result<Option<Loaded>, ConfigError> {
    let path = match &args.config {
        Some(p) => p.clone(),
        None if Path::new(DEFAULT_CONFIG).is_file() => PathBuf::from(DEFAULT_CONFIG),
        None => return Ok(None),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        at: path.display().to_string(),
        message: format!("cannot read the config file: {e}"),
    })?;
    let file = if text.trim().is_empty() {
        ConfigFile::default()
    } else {
        config::parse_yaml(&path, &text)?
    };
    Ok(Some(Loaded { path, text, file }))
}

/// Resolves the command line and config into a plan.
pub fn resolve(args: &RunArgs) -> Result<RunPlan, ConfigError> {
    let loaded = load_config(args)?;
    let empty = ConfigFile::default();
    let file = loaded.as_ref().map_or(&empty, |l| &l.file);
    let timezone = file.timezone.map_or(chrono_tz::Asia::Shanghai, |z| z.0);
    let as_of = resolve_as_of(args.as_of.as_deref(), file.as_of.map(|i| i.0), timezone)?;
    let calendars = resolve_calendars(loaded.as_ref())?;
    let providers = resolve_providers(loaded.as_ref(), &calendars)?;
    let merchant = file.merchant.as_ref();
    let settings = Settings {
        as_of,
        timezone,
        merchant_name: merchant.and_then(|m| m.name.clone()),
        payees: merchant
            .map(|m| {
                m.payees
                    .iter()
                    .map(|(k, p)| {
                        (
                            k.clone(),
                            Payee {
                                ids: p.ids.clone(),
                                names: p.names.clone(),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        bank_accounts: merchant
            .map(|m| m.bank_accounts.clone())
            .unwrap_or_default(),
        settlement_accounts: merchant
            .map(|m| m.settlement_accounts.clone())
            .unwrap_or_default(),
        providers,
        calendars,
        per_payment_limits: limits(file.limits.as_ref().map(|l| &l.per_payment)),
        per_payer_day_limits: limits(file.limits.as_ref().map(|l| &l.per_payer_day)),
        windows: windows(file.matching.as_ref()),
    }
    .with_default_terms(["alipay", "wechatpay", "unionpay"]);
    let (inputs, mapping_files) = split_mappings(resolve_inputs(loaded.as_ref(), &args.inputs)?);
    let mappings = resolve_mappings(loaded.as_ref(), &mapping_files)?;
    if inputs.is_empty() {
        return Err(ConfigError {
            at: "qrecon run".to_owned(),
            message: "no input files besides mapping files".to_owned(),
        });
    }
    let plugin_dirs = plugin_dirs(&args.plugins.plugin_dirs, loaded.as_ref());
    let rules = args.rules.clone().or_else(|| {
        loaded
            .as_ref()
            .and_then(|l| l.file.rules.as_ref().map(|r| l.dir().join(r)))
    });
    let repeat = Repeat {
        cwd: std::env::current_dir().ok(),
        config: loaded.as_ref().map(|l| l.path.clone()),
        inputs: args.inputs.clone(),
    };
    Ok(RunPlan {
        repeat,
        settings,
        inputs,
        plugin_dirs,
        mappings,
        out: args.out.clone(),
        format: args.plugins.format,
        fail_on: args.fail_on,
        threads: args.threads,
        rules,
    })
}

fn resolve_as_of(
    cli: Option<&str>,
    config: Option<DateTime<FixedOffset>>,
    tz: Tz,
) -> Result<DateTime<FixedOffset>, ConfigError> {
    if let Some(s) = cli {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(t);
        }
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ConfigError {
            at: "--as-of".to_owned(),
            message: format!("expected an RFC 3339 instant like 2026-11-26T08:00:00+08:00 or a date like 2026-11-26, found {s:?}"),
        })?;
        let start = tz
            .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
            .earliest();
        return start.map(|t| t.fixed_offset()).ok_or_else(|| ConfigError {
            at: "--as-of".to_owned(),
            message: format!("{date} has no midnight in {tz}"),
        });
    }
    Ok(config.unwrap_or_else(|| Utc::now().with_timezone(&tz).fixed_offset()))
}

fn resolve_calendars(
    loaded: Option<&Loaded>,
) -> Result<BTreeMap<String, qrecon_core::Calendar>, ConfigError> {
    let builtin: CalendarFile =
        config::parse_yaml(Path::new("<built-in cn calendar>"), config::CN_CALENDAR)?;
    let mut calendars = BTreeMap::new();
    calendars.insert(
        "cn".to_owned(),
        config::calendar("cn", &builtin.holidays, &builtin.workdays),
    );
    let Some(l) = loaded else {
        return Ok(calendars);
    };
    for (name, c) in &l.file.calendars {
        let cal = if let Some(file) = &c.file {
            let path = l.dir().join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                l.error_near(
                    &file.display().to_string(),
                    format!("calendar {name}: cannot read {}: {e}", path.display()),
                )
            })?;
            let data: CalendarFile = config::parse_yaml(&path, &text)?;
            config::calendar(name, &data.holidays, &data.workdays)
        } else {
            config::calendar(name, &c.holidays, &c.workdays)
        };
        calendars.insert(name.clone(), cal);
    }
    Ok(calendars)
}

fn resolve_providers(
    loaded: Option<&Loaded>,
    calendars: &BTreeMap<String, qrecon_core::Calendar>,
) -> Result<BTreeMap<String, Terms>, ConfigError> {
    let mut providers = BTreeMap::new();
    let Some(l) = loaded else {
        return Ok(providers);
    };
    for (name, p) in &l.file.providers {
        let defaults = Terms::default_for(name);
        let terms = Terms {
            settlement: p.settlement.map_or(defaults.settlement, |c| c.0),
            calendar: p.calendar.clone().unwrap_or(defaults.calendar),
            bank_days: p.bank_days.unwrap_or(defaults.bank_days),
            counterparties: p.counterparties.clone().unwrap_or(defaults.counterparties),
            qr_code: p.qr_code.map(|q| q.0),
        };
        if !calendars.contains_key(&terms.calendar) {
            let known: Vec<&str> = calendars.keys().map(String::as_str).collect();
            return Err(l.error_near(
                &format!("calendar: {}", terms.calendar),
                format!(
                    "provider {name}: unknown calendar {:?} (known: {})",
                    terms.calendar,
                    known.join(", ")
                ),
            ));
        }
        providers.insert(name.clone(), terms);
    }
    Ok(providers)
}

fn resolve_inputs(loaded: Option<&Loaded>, cli: &[PathBuf]) -> Result<Vec<InputFile>, ConfigError> {
    let mut files = Vec::new();
    if let Some(l) = loaded {
        for input in &l.file.inputs {
            let (path, adapter, account) = match input {
                InputConfig::Path(p) => (p, None, None),
                InputConfig::Detailed(d) => (&d.path, d.adapter.clone(), d.account.clone()),
            };
            let full = l.dir().join(path);
            if !full.exists() {
                let shown = path.display().to_string();
                return Err(
                    l.error_near(&shown, format!("input {} does not exist", full.display()))
                );
            }
            expand(&full, adapter.as_deref(), account.as_deref(), &mut files)
                .map_err(|e| l.error_near(&path.display().to_string(), e))?;
        }
    }
    for path in cli {
        if !path.exists() {
            return Err(ConfigError {
                at: path.display().to_string(),
                message: "input does not exist".to_owned(),
            });
        }
        expand(path, None, None, &mut files).map_err(|message| ConfigError {
            at: path.display().to_string(),
            message,
        })?;
    }
    if files.is_empty() {
        return Err(ConfigError {
            at: "qrecon run".to_owned(),
            message: "no input files: name files or folders on the command line or under `inputs:` in qrecon.yaml".to_owned(),
        });
    }
    Ok(files)
}

/// The name every mapping file ends with, so one can sit among the files it reads.
pub const MAPPING_SUFFIX: &str = ".qrecon-map.yaml";

/// Inputs apart from the mapping files among them.
fn split_mappings(files: Vec<InputFile>) -> (Vec<InputFile>, Vec<PathBuf>) {
    let (maps, inputs): (Vec<InputFile>, Vec<InputFile>) = files.into_iter().partition(|f| {
        f.path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(MAPPING_SUFFIX))
    });
    (inputs, maps.into_iter().map(|f| f.path).collect())
}

/// Loads every mapping (config `mappings:` first, then those among the inputs). A mistake in
/// one, or two of one name, stops the run with the mapping's `file:line`.
fn resolve_mappings(
    loaded: Option<&Loaded>,
    among_inputs: &[PathBuf],
) -> Result<Vec<std::sync::Arc<qrecon_mapped::Mapping>>, ConfigError> {
    let mut paths: Vec<PathBuf> = loaded
        .map(|l| l.file.mappings.iter().map(|m| l.dir().join(m)).collect())
        .unwrap_or_default();
    paths.extend(among_inputs.iter().cloned());
    let mut out: Vec<(PathBuf, std::sync::Arc<qrecon_mapped::Mapping>)> = Vec::new();
    for path in paths {
        if out.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let at = |line: Option<usize>| match line {
            Some(n) => format!("{}:{n}", path.display()),
            None => path.display().to_string(),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            at: at(None),
            message: format!("cannot read the mapping: {e}"),
        })?;
        let mapping = qrecon_mapped::Mapping::from_yaml(&text).map_err(|e| ConfigError {
            at: at(e.line),
            message: e.message,
        })?;
        if let Some((first, _)) = out.iter().find(|(_, m)| m.name() == mapping.name()) {
            return Err(ConfigError {
                at: at(None),
                message: format!(
                    "a mapping named {} is already loaded from {}",
                    mapping.name(),
                    first.display()
                ),
            });
        }
        out.push((path, std::sync::Arc::new(mapping)));
    }
    Ok(out.into_iter().map(|(_, m)| m).collect())
}

/// Adds `path` (a file, or every file under a folder, sorted, hidden ones left out).
fn expand(
    path: &Path,
    adapter: Option<&str>,
    account: Option<&str>,
    out: &mut Vec<InputFile>,
) -> Result<(), String> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot list {}: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        for entry in entries {
            expand(&entry, adapter, account, out)?;
        }
    } else {
        out.push(InputFile {
            display: path.display().to_string(),
            path: path.to_owned(),
            adapter: adapter.map(str::to_owned),
            account: account.map(str::to_owned),
        });
    }
    Ok(())
}

/// Plugin folders in search order: `--plugin-dir`, config `plugins.dirs`,
/// `QRECON_PLUGIN_PATH`, then the folder of the `qrecon` executable.
pub fn plugin_dirs(cli: &[PathBuf], loaded: Option<&Loaded>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = cli.to_vec();
    if let Some((l, p)) = loaded.and_then(|l| l.file.plugins.as_ref().map(|p| (l, p))) {
        dirs.extend(p.dirs.iter().map(|d| l.dir().join(d)));
    }
    if let Some(env) = std::env::var_os("QRECON_PLUGIN_PATH") {
        dirs.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir);
    }
    dirs
}

/// Plugin folders for `plugins list` (no config file is involved).
pub fn plugin_dirs_without_config(cli: &[PathBuf]) -> Vec<PathBuf> {
    plugin_dirs(cli, None)
}

fn limits(map: Option<&BTreeMap<String, Amount>>) -> BTreeMap<String, Money> {
    map.map(|m| m.iter().map(|(k, v)| (k.clone(), v.0)).collect())
        .unwrap_or_default()
}

fn windows(m: Option<&crate::config::MatchingConfig>) -> Windows {
    let d = Windows::default();
    let Some(m) = m else { return d };
    Windows {
        claim_secs: m
            .claim_window_minutes
            .map_or(d.claim_secs, |x| i64::from(x) * 60),
        bank_days: m.bank_window_days.unwrap_or(d.bank_days),
    }
}

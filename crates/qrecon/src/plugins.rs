//! Finding and loading adapter plugins, in the search order of DESIGN §4. The first adapter
//! of a name wins; later ones, and files that are not loadable adapters, are refused with
//! the reason. Libraries are never unloaded.

use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::loader::{self, Refusal};
use qrecon_adapter_sdk::plugin::Plugin;

/// How the adapter of a mapping is named: `mapped:<mapping name>`.
pub const MAPPED_PREFIX: &str = "mapped:";

/// A loaded adapter and where it came from.
#[derive(Clone)]
pub struct Adapter {
    pub plugin: Plugin,
    pub path: PathBuf,
}

/// What plugin discovery found.
#[derive(Default)]
pub struct Registry {
    pub adapters: Vec<Adapter>,
    /// Mapped adapters from the run's config, named `mapped:<name>`.
    pub mapped: Vec<std::sync::Arc<qrecon_mapped::Mapping>>,
    pub refused: Vec<Refusal>,
    pub searched: Vec<PathBuf>,
}

impl Registry {
    /// Loads every adapter-named library in `dirs` (missing folders are skipped).
    pub fn discover(dirs: &[PathBuf]) -> Self {
        let mut registry = Registry {
            searched: dirs.to_vec(),
            ..Registry::default()
        };
        let mut seen_files = std::collections::HashSet::new();
        for dir in dirs {
            for path in candidates(dir) {
                let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if seen_files.insert(key) {
                    registry.add(&path);
                }
            }
        }
        registry
    }

    fn add(&mut self, path: &Path) {
        match loader::load(path) {
            Ok(plugin) => {
                if let Some(first) = self.adapters.iter().find(|a| a.plugin.name == plugin.name) {
                    self.refused.push(Refusal {
                        path: path.to_owned(),
                        reason: format!(
                            "adapter {} is already loaded from {}",
                            plugin.name,
                            first.path.display()
                        ),
                    });
                } else {
                    self.adapters.push(Adapter {
                        plugin,
                        path: path.to_owned(),
                    });
                }
            }
            Err(refusal) => self.refused.push(refusal),
        }
    }

    /// The adapter called `name`.
    pub fn get(&self, name: &str) -> Option<&Adapter> {
        self.adapters.iter().find(|a| a.plugin.name == name)
    }

    /// The mapping an adapter name `mapped:<name>` stands for.
    pub fn mapping(&self, name: &str) -> Option<&std::sync::Arc<qrecon_mapped::Mapping>> {
        let name = name.strip_prefix(MAPPED_PREFIX)?;
        self.mapped.iter().find(|m| m.name() == name)
    }

    /// Whether a plugin or a mapping goes by `name`.
    pub fn knows(&self, name: &str) -> bool {
        self.get(name).is_some() || self.mapping(name).is_some()
    }

    /// Adapter names, for messages.
    pub fn names(&self) -> String {
        let mut names: Vec<String> = self
            .adapters
            .iter()
            .map(|a| a.plugin.name.to_owned())
            .collect();
        names.extend(
            self.mapped
                .iter()
                .map(|m| format!("{MAPPED_PREFIX}{}", m.name())),
        );
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    }
}

fn candidates(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| loader::is_candidate(p))
        .collect();
    paths.sort();
    paths
}

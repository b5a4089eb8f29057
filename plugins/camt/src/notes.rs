//! File-level warnings said once: an unknown element or status code is reported where it is
//! first seen, not on every entry that repeats it.

use std::collections::HashSet;

use qrecon_adapter_sdk::Emitter;

use crate::node::Node;

/// Which warnings were already given.
#[derive(Default)]
pub(crate) struct Notes {
    said: HashSet<String>,
}

impl Notes {
    /// Warns at `line` unless a warning with `key` was already given.
    pub(crate) fn once(&mut self, key: String, line: u64, message: &str, out: &mut Emitter) {
        if self.said.insert(key) {
            out.warn(line, message);
        }
    }

    /// Warns once per name about children of `node` that are not in `known` (`what` names
    /// the parent for the message: "an entry", "a statement").
    pub(crate) fn unknown_children(
        &mut self,
        node: &Node<'_>,
        known: &[&str],
        what: &str,
        out: &mut Emitter,
    ) {
        for child in &node.children {
            self.unknown(&child.name, child.line, known, what, out);
        }
    }

    /// Warns once if `name` (found at `line` inside `what`) is not in `known`.
    pub(crate) fn unknown(
        &mut self,
        name: &str,
        line: u64,
        known: &[&str],
        what: &str,
        out: &mut Emitter,
    ) {
        if !known.contains(&name) {
            let message = format!(
                "unknown element <{name}> in {what} (first at line {line}): not a camt \
                 element this adapter knows, ignored"
            );
            self.once(format!("{what}/{name}"), line, &message, out);
        }
    }
}

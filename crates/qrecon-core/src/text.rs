//! An append-only text arena: every string of a run lives in one buffer and records hold
//! 8-byte handles ([`Str`]). Millions of records then cost no allocation each.

/// A handle to a string in a [`Text`]; the default handle is "no value".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Str {
    start: u32,
    len: u32,
}

impl Str {
    /// No value.
    pub const NONE: Str = Str { start: 0, len: 0 };

    /// Whether this handle holds a value (empty strings are stored as no value).
    pub fn is_some(self) -> bool {
        self.len > 0
    }

    /// Moves the handle by `base` bytes (when chunks are concatenated).
    #[must_use]
    pub fn rebased(self, base: u32) -> Str {
        if self.is_some() {
            Str {
                start: self.start + base,
                len: self.len,
            }
        } else {
            self
        }
    }
}

/// The arena.
#[derive(Clone, Debug, Default)]
pub struct Text {
    buf: String,
}

impl Text {
    /// Stores `s`; empty strings and `None` give [`Str::NONE`].
    ///
    /// # Panics
    /// When the arena would pass 4 GiB.
    pub fn push(&mut self, s: Option<&str>) -> Str {
        match s {
            Some(s) if !s.is_empty() => {
                let start = u32::try_from(self.buf.len()).expect("text arena under 4 GiB");
                self.buf.push_str(s);
                Str {
                    start,
                    len: u32::try_from(s.len()).expect("string under 4 GiB"),
                }
            }
            _ => Str::NONE,
        }
    }

    /// The string behind `s`.
    pub fn get(&self, s: Str) -> Option<&str> {
        if s.is_some() {
            self.buf.get(s.start as usize..(s.start + s.len) as usize)
        } else {
            None
        }
    }

    /// Makes room for `bytes` more.
    pub fn reserve(&mut self, bytes: usize) {
        self.buf.reserve(bytes);
    }

    /// Bytes stored.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends another arena; its handles must be rebased by the returned base.
    ///
    /// # Panics
    /// When the arena would pass 4 GiB.
    pub fn append(&mut self, other: &Text) -> u32 {
        let base = u32::try_from(self.buf.len()).expect("text arena under 4 GiB");
        self.buf.push_str(&other.buf);
        base
    }
}

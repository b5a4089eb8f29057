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

/// Whether two byte strings of the same length are equal: up to 16 bytes with two
/// overlapping word loads each, longer ones as slices.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    let u64_at = |x: &[u8], at: usize| {
        x.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_ne_bytes)
    };
    let u32_at = |x: &[u8], at: usize| {
        x.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map(u32::from_ne_bytes)
    };
    match n {
        8..=16 => u64_at(a, 0) == u64_at(b, 0) && u64_at(a, n - 8) == u64_at(b, n - 8),
        4..=7 => u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
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

    /// Whether `s` holds exactly `text` (never for [`Str::NONE`]): what `get(s) == Some(text)`
    /// says, without a `memcmp` call for the short strings a chunk compares with the previous
    /// row's a dozen times per record.
    pub fn holds(&self, s: Str, text: &str) -> bool {
        if !s.is_some() || s.len as usize != text.len() {
            return false;
        }
        let at = s.start as usize;
        self.buf
            .as_bytes()
            .get(at..at + text.len())
            .is_some_and(|stored| same_bytes(stored, text.as_bytes()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_says_what_get_says() {
        let mut t = Text::default();
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "晨光面馆",
            "0.60%",
            "wx2421b1c4370ec43b",
        ];
        let handles: Vec<Str> = words.iter().map(|w| t.push(Some(w))).collect();
        let mut probes: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        // The same lengths with one byte changed at each end and in the middle.
        for w in words.iter().filter(|w| !w.is_empty() && w.is_ascii()) {
            for at in [0, w.len() / 2, w.len() - 1] {
                let mut b = w.as_bytes().to_vec();
                b[at] = b'#';
                probes.push(String::from_utf8(b).expect("ascii"));
            }
        }
        for h in &handles {
            for p in &probes {
                assert_eq!(
                    t.holds(*h, p),
                    t.get(*h) == Some(p.as_str()),
                    "{:?} vs {p:?}",
                    t.get(*h)
                );
            }
        }
        assert!(!t.holds(Str::NONE, ""));
    }
}

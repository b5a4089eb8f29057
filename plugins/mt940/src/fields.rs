//! The file cut into fields and the lines around them.
//!
//! A field starts at a line `:NN:` or `:NNa:` (`:20:`, `:28C:`, `:60F:`; also letter tags
//! such as `:NS:`) and takes every following line up to the next tag line, so `:86:` text
//! and the supplementary details of `:61:` travel with their field. A tag cut over two lines
//! (a line `:` followed by `86:…`, as a Sparkasse export does) is one field. Outside fields
//! come blank lines, the SWIFT envelope (`{1:…}{2:O940…}{3:…}{4:` … `-}{5:…}`), the end of
//! a message (`-`), and non-SWIFT header lines that banks put before a message
//! (`0000 01INGBNL2AXXXX00001`, `ABNANL2A`, `940`, `:940:`).
//!
//! Every line of the file ends up in exactly one [`Item`].

use crate::message::MessageType;

/// One field: its tag and all its lines, the first with the tag cut off.
#[derive(Debug, Clone)]
pub(crate) struct Field<'t> {
    /// The tag without colons: `20`, `61`, `86`, `NS`.
    pub(crate) tag: &'t str,
    /// `(line number, text)`; the first is the text after the tag. For a tag cut over two
    /// lines the first is `(n, "")` and the second the text after `86:`.
    pub(crate) lines: Vec<(u64, &'t str)>,
}

impl<'t> Field<'t> {
    /// The line the field starts at.
    pub(crate) fn line(&self) -> u64 {
        self.lines.first().map_or(0, |&(n, _)| n)
    }

    /// The lines of text, without the empty first line of a tag cut over two lines.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &'t str> + '_ {
        let split = self.lines.len() > 1 && self.lines.first().is_some_and(|(_, t)| t.is_empty());
        self.lines.iter().skip(usize::from(split)).map(|&(_, t)| t)
    }

    /// The first line of text, trimmed at the end.
    pub(crate) fn first(&self) -> &'t str {
        self.texts().next().unwrap_or_default().trim_end()
    }
}

/// What one or more lines of the file are.
#[derive(Debug, Clone)]
pub(crate) enum Item<'t> {
    /// A field (all its lines).
    Field(Field<'t>),
    /// An empty or whitespace-only line.
    Blank(u64),
    /// A line outside any message that is not SWIFT: a bank's file header.
    Header(u64, &'static str),
    /// A SWIFT envelope line before a message, with the message type its block 2 names.
    Envelope(u64, Option<MessageType>),
    /// The envelope opened on a line whose block 4 also starts the first field (no line).
    EnvelopeType(Option<MessageType>),
    /// The end of a message (`-`, `-}`, `-}{5:…}`).
    End(u64, &'static str),
}

/// Cuts the text into items, in file order (a blank line inside a field comes before the
/// field, which does not end there).
pub(crate) fn items(text: &str) -> Vec<Item<'_>> {
    let lines: Vec<(u64, &str)> = qrecon_adapter_sdk::text::lines(text).collect();
    let mut out = Vec::new();
    let mut open: Option<Field<'_>> = None;
    let mut i = 0;
    while let Some(&(no, line)) = lines.get(i) {
        i += 1;
        if line.trim().is_empty() {
            out.push(Item::Blank(no));
            continue;
        }
        if let Some((tag, rest)) = tag_line(line) {
            close(&mut open, &mut out);
            open = Some(Field {
                tag,
                lines: vec![(no, rest)],
            });
            continue;
        }
        if line.trim_end() == ":"
            && let Some(&(next_no, next)) = lines.get(i)
            && let Some((tag, rest)) = split_tag(next)
        {
            close(&mut open, &mut out);
            i += 1;
            open = Some(Field {
                tag,
                lines: vec![(no, ""), (next_no, rest)],
            });
            continue;
        }
        if let Some(item) =
            outside_field(line, no, lines.get(i..).unwrap_or_default(), open.as_ref())
        {
            close(&mut open, &mut out);
            match item {
                Outside::Item(item) => out.push(item),
                Outside::Opens(kind, tag, rest) => {
                    out.push(Item::EnvelopeType(kind));
                    open = Some(Field {
                        tag,
                        lines: vec![(no, rest)],
                    });
                }
            }
            continue;
        }
        match open.as_mut() {
            Some(field) => field.lines.push((no, line)),
            None => out.push(Item::Header(
                no,
                "non-SWIFT header line before a message (bank file header)",
            )),
        }
    }
    close(&mut open, &mut out);
    out
}

fn close<'t>(open: &mut Option<Field<'t>>, out: &mut Vec<Item<'t>>) {
    if let Some(field) = open.take() {
        out.push(Item::Field(field));
    }
}

/// What a line that is not a field's continuation is.
enum Outside<'t> {
    /// An item of its own.
    Item(Item<'t>),
    /// An envelope whose block 4 starts a field on the same line.
    Opens(Option<MessageType>, &'t str, &'t str),
}

/// The envelope, end-of-message and message-type lines; `None` for anything else.
fn outside_field<'t>(
    line: &'t str,
    no: u64,
    after: &[(u64, &str)],
    open: Option<&Field<'_>>,
) -> Option<Outside<'t>> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("-}") {
        let reason = if rest.is_empty() {
            "end of message (-})"
        } else {
            "end of message and SWIFT trailer (-}{5:…})"
        };
        return Some(Outside::Item(Item::End(no, reason)));
    }
    if t == "-" {
        return Some(Outside::Item(Item::End(no, "end of message (-)")));
    }
    if t.starts_with('-') && ends_message(after) {
        return Some(Outside::Item(Item::End(
            no,
            "end of message (a line starting with -)",
        )));
    }
    if t.starts_with('{') && (open.is_none() || is_envelope(t)) {
        return Some(envelope(t, no));
    }
    if is_message_type_line(t) && open.is_none_or(|f| f.tag != "86") {
        return Some(Outside::Item(Item::Header(
            no,
            "message type line before a message (e.g. :940:)",
        )));
    }
    None
}

/// Whether a line starting with `-` that is not `-` alone ends the message: it does when
/// nothing but blank lines, a new message or an envelope follows (ING ends files with `-XXX`).
fn ends_message(after: &[(u64, &str)]) -> bool {
    match after.iter().map(|(_, l)| l.trim()).find(|l| !l.is_empty()) {
        None => true,
        Some(next) => {
            next.starts_with(":20:") || next.starts_with('{') || is_message_type_line(next)
        }
    }
}

/// `:940:`, `:942:`: three digits between colons and nothing else.
fn is_message_type_line(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5 && b[0] == b':' && b[4] == b':' && b[1..4].iter().all(u8::is_ascii_digit)
}

/// A line of SWIFT blocks `{1:…}{2:…}`.
fn is_envelope(t: &str) -> bool {
    ["{1:", "{2:", "{3:", "{4:", "{5:"]
        .iter()
        .any(|b| t.starts_with(b))
}

/// An envelope line: the message type from block 2 and whether block 4 starts a field here.
fn envelope(t: &str, no: u64) -> Outside<'_> {
    let kind = t
        .find("{2:")
        .and_then(|at| t.get(at + 3..))
        .and_then(MessageType::from_block2);
    if let Some(at) = t.find("{4:")
        && let Some(rest) = t.get(at + 3..)
        && let Some((tag, text)) = tag_line(rest.trim_start())
    {
        return Outside::Opens(kind, tag, text);
    }
    Outside::Item(Item::Envelope(no, kind))
}

/// `(tag, rest)` for a line starting `:NN:`, `:NNa:` or `:AA:` (letters only, like `:NS:`).
pub(crate) fn tag_line(line: &str) -> Option<(&str, &str)> {
    split_tag(line.strip_prefix(':')?)
}

/// `(tag, rest)` for `NN:…`, `NNa:…` or `AA:…` (a tag without its opening colon).
fn split_tag(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let len = match b {
        [d1, d2, b':', ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => 2,
        [d1, d2, l, b':', ..]
            if d1.is_ascii_digit() && d2.is_ascii_digit() && l.is_ascii_uppercase() =>
        {
            3
        }
        [l1, l2, b':', ..] if l1.is_ascii_uppercase() && l2.is_ascii_uppercase() => 2,
        _ => return None,
    };
    Some((s.get(..len)?, s.get(len + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        items(text)
            .iter()
            .map(|item| match item {
                Item::Field(f) => format!("{}@{}x{}", f.tag, f.line(), f.lines.len()),
                Item::Blank(n) => format!("blank@{n}"),
                Item::Header(n, _) => format!("header@{n}"),
                Item::Envelope(n, k) => format!("envelope@{n}:{k:?}"),
                Item::EnvelopeType(k) => format!("type:{k:?}"),
                Item::End(n, _) => format!("end@{n}"),
            })
            .collect()
    }

    #[test]
    fn tags_and_continuations() {
        let text = "ABNANL2A\n940\n:20:X\n:86:a\nb\n\n:61:1\n-\n:940:\n";
        assert_eq!(
            kinds(text),
            [
                "header@1", "header@2", "20@3x1", "blank@6", "86@4x2", "61@7x1", "end@8",
                "header@9"
            ]
        );
    }

    #[test]
    fn a_tag_cut_over_two_lines_is_one_field() {
        let fields = items(":61:1811261126CR\n30,00N062NONREF\n:\n86:166?00X\n");
        let Some(Item::Field(info)) = fields.get(1) else {
            panic!("{fields:?}")
        };
        assert_eq!(info.tag, "86");
        assert_eq!(info.lines, [(3, ""), (4, "166?00X")]);
        assert_eq!(info.texts().collect::<Vec<_>>(), ["166?00X"]);
    }

    #[test]
    fn envelopes_and_trailers() {
        let text =
            "{1:F01X}{2:O940ABCDXXXXN}{4:\n:20:A\n-}{5:{CHK:1}}\n{1:F01X}{2:O942Y}{4::20:B\n-}\n";
        assert_eq!(
            kinds(text),
            [
                "envelope@1:Some(Mt940)",
                "20@2x1",
                "end@3",
                "type:Some(Mt942)",
                "20@4x1",
                "end@5"
            ]
        );
    }

    #[test]
    fn dash_lines_end_a_message_only_at_its_end() {
        let text = ":86:text\n-5 items\nmore\n:62F:C1\n-XXX\n";
        assert_eq!(kinds(text), ["86@1x3", "62F@4x1", "end@5"]);
    }
}

//! A bounded pull reader over the message (quick-xml's streaming `Reader`, no serde, no DOM of
//! the whole document):
//! - a DTD (`<!DOCTYPE …>`) is refused, so no entity is ever declared, let alone expanded;
//! - the five predefined entities and numeric character references are resolved, any other
//!   reference is an error (it could only be defined by a DTD);
//! - elements nested deeper than [`MAX_DEPTH`] are refused;
//! - every error names the line, computed from the reader's byte offset.

use std::borrow::Cow;

use qrecon_adapter_sdk::FileError;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use crate::lines::LineIndex;
use crate::node::Node;

/// How deep elements may nest. A camt message needs about 15 levels
/// (`Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Id/OrgId/Othr/SchmeNm/Cd`).
pub(crate) const MAX_DEPTH: usize = 64;

/// What the reader hands on.
#[derive(Debug)]
pub(crate) enum Ev<'a> {
    /// A start tag (an empty element `<a/>` comes as a start and an end).
    Start(Start),
    /// An end tag; the byte offset just after it.
    End(usize),
    /// A piece of text (a CDATA section, a resolved reference, or plain text).
    Text(Cow<'a, str>),
    /// The end of the document.
    Eof,
}

/// A start tag.
#[derive(Debug)]
pub(crate) struct Start {
    /// Local name (namespace prefix dropped).
    pub(crate) name: String,
    /// 1-based line.
    pub(crate) line: u64,
    /// Byte offset of its `<`.
    pub(crate) offset: usize,
    /// Attributes as `(qualified name, value)`.
    pub(crate) attrs: Vec<(String, String)>,
}

/// The pull reader.
pub(crate) struct Cursor<'a> {
    reader: Reader<&'a [u8]>,
    lines: LineIndex,
    /// Names and lines of the open elements.
    open: Vec<(String, u64)>,
    /// The decoded text, for slicing elements out.
    text: &'a str,
    /// The end of an empty element (`<a/>`) still to hand on, at this offset.
    pending_end: Option<usize>,
}

impl<'a> Cursor<'a> {
    /// A reader over `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Self {
            reader,
            lines: LineIndex::new(text),
            open: Vec::new(),
            text,
            pending_end: None,
        }
    }

    /// The decoded text the cursor reads.
    pub(crate) fn source(&self) -> &'a str {
        self.text
    }

    /// The 1-based line of byte `offset`.
    pub(crate) fn line(&self, offset: u64) -> u64 {
        self.lines.line(offset)
    }

    /// The next event that matters (declarations, comments and processing instructions are
    /// passed over).
    pub(crate) fn next(&mut self) -> Result<Ev<'a>, FileError> {
        if let Some(end) = self.pending_end.take() {
            self.open.pop();
            return Ok(Ev::End(end));
        }
        loop {
            let offset = self.reader.buffer_position();
            let event = self.reader.read_event().map_err(|e| self.malformed(&e))?;
            let ev = match event {
                Event::Start(e) => Ev::Start(self.start(&e, offset)?),
                // Not produced while `expand_empty_elements` is on; handled all the same.
                Event::Empty(e) => {
                    let start = self.start(&e, offset)?;
                    let end = self.reader.buffer_position();
                    self.pending_end = Some(usize::try_from(end).unwrap_or(usize::MAX));
                    Ev::Start(start)
                }
                Event::End(_) => {
                    self.open.pop();
                    Ev::End(usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX))
                }
                Event::Text(t) => Ev::Text(t.xml10_content()),
                Event::CData(c) => Ev::Text(c.xml10_content()),
                Event::GeneralRef(r) => Ev::Text(self.reference(&r, offset)?),
                Event::DocType(_) => return Err(self.doctype(offset)),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
                Event::Eof => self.eof()?,
            };
            return Ok(ev);
        }
    }

    /// Reads the element `start` opened, with everything inside it.
    pub(crate) fn subtree(&mut self, start: Start) -> Result<Node<'a>, FileError> {
        let mut stack = vec![node(start)];
        loop {
            match self.next()? {
                Ev::Start(s) => stack.push(node(s)),
                Ev::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.push_text(t);
                    }
                }
                Ev::End(end) => {
                    let Some(mut done) = stack.pop() else {
                        return Err(FileError::new("unbalanced elements"));
                    };
                    done.span.1 = end;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Ev::Eof => return Err(FileError::new("the file ends inside an element")),
            }
        }
    }

    /// Reads past the element whose start tag was just handed on, keeping nothing.
    pub(crate) fn skip(&mut self) -> Result<(), FileError> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Ev::Start(_) => depth += 1,
                Ev::End(_) => depth -= 1,
                Ev::Text(_) => {}
                Ev::Eof => return Err(FileError::new("the file ends inside an element")),
            }
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, offset: u64) -> Result<Start, FileError> {
        let line = self.line(offset);
        let name = e.name().local_name().as_ref().to_owned();
        if self.open.len() >= MAX_DEPTH {
            return Err(FileError::at(
                line,
                format!(
                    "<{name}> is nested deeper than {MAX_DEPTH} elements (a camt message needs \
                     about 15): refused"
                ),
            ));
        }
        let mut attrs = Vec::new();
        for attr in e.attributes() {
            let attr = attr.map_err(|err| FileError::at(line, format!("in <{name}>: {err}")))?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| FileError::at(line, format!("in <{name}>: {err}")))?;
            attrs.push((attr.key.as_ref().to_owned(), value.into_owned()));
        }
        self.open.push((name.clone(), line));
        Ok(Start {
            name,
            line,
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            attrs,
        })
    }

    fn reference(&self, r: &BytesRef<'_>, offset: u64) -> Result<Cow<'a, str>, FileError> {
        let line = self.line(offset);
        match r.resolve_char_ref() {
            Ok(Some(c)) => return Ok(Cow::Owned(c.to_string())),
            Ok(None) => {}
            Err(e) => return Err(FileError::at(line, format!("&{};: {e}", &**r))),
        }
        match resolve_predefined_entity(r) {
            Some(s) => Ok(Cow::Borrowed(s)),
            None => Err(FileError::at(
                line,
                format!(
                    "the entity &{}; is not one of the five XML predefines (&amp; &lt; &gt; \
                     &apos; &quot;); entities are never expanded",
                    &**r
                ),
            )),
        }
    }

    fn doctype(&self, offset: u64) -> FileError {
        FileError::at(
            self.line(offset),
            "a document type declaration (<!DOCTYPE …>) is not allowed in a camt message: \
             refused, so that no entity it declares is ever expanded",
        )
    }

    fn eof(&self) -> Result<Ev<'a>, FileError> {
        match self.open.last() {
            Some((name, line)) => Err(FileError::at(
                self.line(self.text.len() as u64),
                format!("the file ends inside <{name}> (opened at line {line}): is it cut short?"),
            )),
            None => Ok(Ev::Eof),
        }
    }

    fn malformed(&self, e: &quick_xml::Error) -> FileError {
        FileError::at(
            self.line(self.reader.error_position()),
            format!("malformed XML: {e}"),
        )
    }
}

fn node<'a>(start: Start) -> Node<'a> {
    Node::new(start.name, start.line, start.offset, start.attrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Result<Node<'_>, FileError> {
        let mut cursor = Cursor::new(text);
        loop {
            match cursor.next()? {
                Ev::Start(s) => return cursor.subtree(s),
                Ev::Eof => return Err(FileError::new("no element")),
                _ => {}
            }
        }
    }

    #[test]
    fn references_resolve_and_spans_cover_the_element() {
        let text = "<?xml version=\"1.0\"?>\n<a x=\"&lt;1&#x3E;\"><b>M&#252;ller &amp; S&#xF6;hne</b>\
                    <c/><d><![CDATA[<raw>]]></d></a>";
        let a = tree(text).expect("well-formed");
        assert_eq!(a.line, 2);
        assert_eq!(a.attr("x"), Some("<1>"));
        assert_eq!(a.text(&["b"]), Some("Müller & Söhne"));
        assert_eq!(a.text(&["d"]), Some("<raw>"));
        assert!(a.child("c").is_some());
        assert_eq!(&text[a.span.0..a.span.1], &text[22..]);
    }

    #[test]
    fn prefixes_are_dropped_from_names() {
        let a = tree("<x:a xmlns:x=\"urn:x\"><x:b>1</x:b></x:a>").expect("well-formed");
        assert_eq!((a.name.as_str(), a.text(&["b"])), ("a", Some("1")));
    }

    #[test]
    fn a_doctype_is_refused_with_its_line() {
        let e = tree("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>")
            .expect_err("refused");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
    }

    #[test]
    fn undefined_entities_and_bad_char_refs_are_refused() {
        let e = tree("<a>\n&nbsp;</a>").expect_err("undefined");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("&nbsp;"), "{}", e.message);
        assert!(tree("<a>&#0;</a>").is_err());
        assert!(tree("<a b=\"&foo;\"/>").is_err());
        assert!(tree("<a>AT&T</a>").is_err(), "a bare ampersand");
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let e = tree(&deep).expect_err("too deep");
        assert!(e.message.contains("deeper"), "{}", e.message);
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(tree(&ok).is_ok());
    }

    #[test]
    fn malformed_and_cut_documents_name_the_line() {
        let e = tree("<a>\n<b>\n</c>\n</a>").expect_err("mismatched");
        assert_eq!(e.line, Some(3));
        assert!(e.message.starts_with("malformed XML"), "{}", e.message);
        let e = tree("<a>\n<b>x</b>\n").expect_err("cut");
        assert!(e.message.contains("<a>"), "{}", e.message);
    }
}

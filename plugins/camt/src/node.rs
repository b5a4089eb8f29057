//! One element of the message with everything inside it, as [`crate::xml::Cursor::subtree`]
//! builds it: the adapter holds one statement-level element (a balance, an entry) at a time,
//! never the whole document.

use std::borrow::Cow;

/// An element: its local name (namespace prefix dropped), where it is, its attributes, its
/// text (entity and character references resolved) and its child elements.
#[derive(Debug)]
pub(crate) struct Node<'a> {
    /// Local name, e.g. `Ntry`.
    pub(crate) name: String,
    /// 1-based line of the start tag.
    pub(crate) line: u64,
    /// Byte range of the element in the decoded text, start tag to end tag.
    pub(crate) span: (usize, usize),
    /// Attributes as `(qualified name, value)`, references resolved.
    pub(crate) attrs: Vec<(String, String)>,
    /// The element's own text, concatenated.
    text: Cow<'a, str>,
    /// Child elements in document order.
    pub(crate) children: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    /// An element just opened.
    pub(crate) fn new(name: String, line: u64, start: usize, attrs: Vec<(String, String)>) -> Self {
        Self {
            name,
            line,
            span: (start, start),
            attrs,
            text: Cow::Borrowed(""),
            children: Vec::new(),
        }
    }

    /// Appends a piece of the element's text.
    pub(crate) fn push_text(&mut self, piece: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = piece;
        } else {
            self.text.to_mut().push_str(&piece);
        }
    }

    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Self> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub(crate) fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Self> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first element down `path` (searching every branch, in document order).
    pub(crate) fn find(&self, path: &[&str]) -> Option<&Self> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        self.children
            .iter()
            .filter(|c| c.name == *first)
            .find_map(|c| c.find(rest))
    }

    /// Every element down `path`, in document order.
    pub(crate) fn find_all<'s>(&'s self, path: &[&str], found: &mut Vec<&'s Self>) {
        match path.split_first() {
            None => found.push(self),
            Some((first, rest)) => {
                for c in self.children.iter().filter(|c| c.name == *first) {
                    c.find_all(rest, found);
                }
            }
        }
    }

    /// The element's text without surrounding whitespace, or `None` when that is empty.
    pub(crate) fn value(&self) -> Option<&str> {
        let v = self
            .text
            .trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        (!v.is_empty()).then_some(v)
    }

    /// The text of the first element down `path`.
    pub(crate) fn text(&self, path: &[&str]) -> Option<&str> {
        let Some((first, rest)) = path.split_first() else {
            return self.value();
        };
        self.children
            .iter()
            .filter(|c| c.name == *first)
            .find_map(|c| c.text(rest))
    }

    /// The value of the attribute whose local name is `name`.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(name) && !k.starts_with("xmlns"))
            .map(|(_, v)| v.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::Node;

    fn leaf<'a>(name: &str, text: &'a str) -> Node<'a> {
        let mut n = Node::new(name.to_owned(), 1, 0, Vec::new());
        n.push_text(text.into());
        n
    }

    #[test]
    fn paths_search_every_branch() {
        let mut root = Node::new("RmtInf".into(), 1, 0, Vec::new());
        let mut first = Node::new("Strd".into(), 1, 0, Vec::new());
        first.children.push(leaf("AddtlRmtInf", "x"));
        let mut second = Node::new("Strd".into(), 1, 0, Vec::new());
        let mut cri = Node::new("CdtrRefInf".into(), 1, 0, Vec::new());
        cri.children.push(leaf("Ref", "  RF18 \n"));
        second.children.push(cri);
        root.children.push(first);
        root.children.push(second);
        assert_eq!(root.text(&["Strd", "CdtrRefInf", "Ref"]), Some("RF18"));
        assert_eq!(root.text(&["Strd", "AddtlRmtInf"]), Some("x"));
        assert!(root.find(&["Strd", "Nope"]).is_none());
        let mut all = Vec::new();
        root.find_all(&["Strd"], &mut all);
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn text_pieces_join_and_attributes_match_by_local_name() {
        let mut n = Node::new(
            "Amt".into(),
            1,
            0,
            vec![
                ("xmlns:x".into(), "urn".into()),
                ("x:Ccy".into(), " EUR ".into()),
            ],
        );
        n.push_text("A ".into());
        n.push_text("&".into());
        n.push_text(" B".into());
        assert_eq!(n.value(), Some("A & B"));
        assert_eq!(n.attr("Ccy"), Some("EUR"));
        assert_eq!(n.attr("x"), None);
        assert_eq!(leaf("Nm", " \n ").value(), None);
    }
}

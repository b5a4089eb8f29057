//! The frame around the rows: the preamble before the header and the footer after the dashes
//! line that ends the rows. They name the bill's owner (`支付宝账户：…`, `账号:[…]`, `姓名：…`,
//! `用户:…`) and state control totals (`共N笔记录`, `支出：N笔 X元`, `已收入:N笔,X元`).

use qrecon_adapter_sdk::text;
pub(crate) use qrecon_payer_bill::frame::{content, control, is_blank, is_dashes};

/// The PC layout's title, its first line.
pub(crate) const PC_TITLE: &str = "支付宝交易记录明细查询";
/// Part of the banner line of the app layouts (`---支付宝（中国）网络技术有限公司  电子客户回单---`).
const BANNER: &str = "电子客户回单";

/// Who the bill belongs to, as the frame names them.
#[derive(Default)]
pub(crate) struct Owner {
    /// The Alipay account (`支付宝账户：…`, `账号:[…]`), masked as printed.
    pub(crate) account: Option<String>,
    /// The name (`姓名：…`, `用户:…`) with the label it was printed under.
    pub(crate) name: Option<(String, String)>,
}

impl Owner {
    /// The claims' payer: the account, else the name.
    pub(crate) fn payer(&self) -> Option<&str> {
        self.account
            .as_deref()
            .or(self.name.as_ref().map(|(_, v)| v.as_str()))
    }

    /// The name under its label, which the claims get in `extra` when the payer is the
    /// account.
    pub(crate) fn extra(&self) -> Option<(&str, &str)> {
        match (&self.account, &self.name) {
            (Some(_), Some((label, name))) => Some((label, name)),
            _ => None,
        }
    }

    /// Takes what a frame line says about the owner.
    pub(crate) fn read(&mut self, line: &str) {
        for (label, value) in fields(line) {
            let value = value.trim_start_matches('[').trim_end_matches(']');
            let Some(value) = text::non_empty(value) else {
                continue;
            };
            match label {
                "支付宝账户" | "账号" | "账户" => {
                    self.account.get_or_insert_with(|| value.to_owned());
                }
                "姓名" | "用户" | "用户名" => {
                    self.name
                        .get_or_insert_with(|| (label.to_owned(), value.to_owned()));
                }
                _ => {}
            }
        }
    }
}

/// The `label：value` fields of a frame line; several on one line are apart by two or more
/// spaces (`起始时间：[…]    终止时间：[…]`).
fn fields(line: &str) -> impl Iterator<Item = (&str, &str)> {
    content(line)
        .split("  ")
        .filter_map(|piece| piece.split_once(['：', ':']))
        .map(|(label, value)| (text::clean(label), text::clean(value)))
}

/// Whether a head of a file (its first bytes, decoded) is a personal Alipay bill: the PC
/// title, the app layouts' banner, the v2023 preamble, or a header line.
pub(crate) fn looks_like_bill(head: &str) -> bool {
    let lines: Vec<&str> = text::lines(head).map(|(_, l)| l).collect();
    let first = lines.iter().copied().find(|l| !is_blank(l)).map(content);
    let Some(first) = first else {
        return false;
    };
    if first == PC_TITLE || (first.contains("支付宝") && first.contains(BANNER)) {
        return true;
    }
    // v2023: a bare dashes line, then the 导出信息 block.
    let second = lines
        .iter()
        .copied()
        .filter(|l| !is_blank(l))
        .nth(1)
        .map(content);
    let v2023_preamble =
        first.bytes().all(|b| b == b'-') && second.is_some_and(|s| s.starts_with("导出信息"));
    v2023_preamble || lines.iter().any(|l| crate::columns::is_header(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_from_either_layout() {
        let mut owner = Owner::default();
        owner.read("姓名：xx");
        owner.read("支付宝账户：xx@gmail.com");
        assert_eq!(owner.account.as_deref(), Some("xx@gmail.com"));
        assert_eq!(owner.name, Some(("姓名".to_owned(), "xx".to_owned())));
        let mut pc = Owner::default();
        pc.read("账号:[faker@faker.com]");
        pc.read("导出时间:[2019-10-08 14:34:22]    用户:测试");
        assert_eq!(pc.account.as_deref(), Some("faker@faker.com"));
        assert_eq!(pc.name, Some(("用户".to_owned(), "测试".to_owned())));
    }
}

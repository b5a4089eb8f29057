//! The constructed samples in `fixtures/`, as data: each fixture file is what these
//! functions build (a test checks it, and writes it with `QRECON_BLESS=1`).

use super::builder::{Line, Shape, file, zme_line};

/// The merchant of samples A and C.
pub(crate) const MER: &str = "777290058110048";
/// The merchant of sample B.
pub(crate) const MER_B: &str = "898310048990011";

/// Sample A: the official 607-byte layout, CRLF, settled 2026-01-03.
pub(crate) const A: &str = "INN26010301ZM_777290058110048";
/// Sample B: the newer 608-byte layout with one official-layout line, LF, settled 2026-01-04.
pub(crate) const B: &str = "INN26010401ZM_898310048990011";
/// Sample C: a ZME error file, CRLF.
pub(crate) const C: &str = "INN26010301ZME_777290058110048";

/// What every sample line shares.
pub(crate) fn base(code: &str, mer_id: &str) -> Line {
    Line::default()
        .set("交易代码", code)
        .set("代理机构标识码", "00010344")
        .set("发送机构标识码", "00010000")
        .set("商户类别", "5812")
        .set("终端类型", "08")
        .set("支付卡类型", "01")
        .set("支付方式", "0001")
        .set("业务类型", "000201")
        .set("帐号类型", "01")
        .set("交互方式", "1")
        .set("商户代码", mer_id)
        .set("终端号", "T0000001")
}

/// A 消费 (S22) line.
pub(crate) fn payment(mer_id: &str) -> Line {
    base("S22", mer_id)
        .set("交易类型", "01")
        .set("交易子类", "01")
}

/// A 退货 (S30) line.
pub(crate) fn refund(mer_id: &str) -> Line {
    base("S30", mer_id)
        .set("交易类型", "04")
        .set("交易子类", "00")
}

/// A: L1 payment 100.00 · L2 partial refund 30.00 of it · L3 a payment of 31 December,
/// settled in January · L4 a payment with Chinese text in 二级商户简称 and 商户自定义域 ·
/// L5 an unknown 交易代码 (S31).
pub(crate) fn a_lines() -> Vec<Line> {
    vec![
        payment(MER)
            .set("系统跟踪号", "100001")
            .set("交易传输时间", "0102101530")
            .set("帐号", "622202******1234")
            .fen("交易金额", 10000)
            .set("查询流水号", "612601021015301000001")
            .set("商户订单号", "ORD20260102001")
            .set("商户手续费", "D000000000060")
            .set("结算金额", "C000000009940")
            .set("清算净额", "C000000009940"),
        refund(MER)
            .set("系统跟踪号", "100002")
            .set("交易传输时间", "0103090000")
            .set("帐号", "622202******1234")
            .fen("交易金额", 3000)
            .set("查询流水号", "612601030900001000002")
            .set("商户订单号", "RFD20260103001")
            .set("原始交易系统跟踪号", "100001")
            .set("原始交易日期时间", "0102101530")
            .set("商户手续费", "C000000000018")
            .set("结算金额", "D000000002982")
            .set("原交易查询流水号", "612601021015301000001")
            .set("清算净额", "D000000002982")
            .set("原始交易订单号", "ORD20260102001"),
        payment(MER)
            .set("系统跟踪号", "099881")
            .set("交易传输时间", "1231235959")
            .set("帐号", "622848******0021")
            .fen("交易金额", 8800)
            .set("查询流水号", "612512312359591000003")
            .set("商户订单号", "ORD20251231099")
            .set("商户手续费", "D000000000053")
            .set("结算金额", "C000000008747")
            .set("清算净额", "C000000008747"),
        payment(MER)
            .set("系统跟踪号", "100003")
            .set("交易传输时间", "0103083000")
            .set("帐号", "621700******5678")
            .fen("交易金额", 3550)
            .set("查询流水号", "612601030830001000004")
            .set("商户订单号", "ORD20260103002")
            .set("商户手续费", "D000000000021")
            .set("结算金额", "C000000003529")
            .set("二级商户代码", "777290058110049")
            .set("二级商户简称", "晨光面馆（南京西路店）")
            .set("清算净额", "C000000003529")
            .set("商户自定义域", "桌号12 午餐"),
        base("S31", MER)
            .set("系统跟踪号", "100004")
            .set("交易传输时间", "0102120000")
            .set("帐号", "622202******1234")
            .fen("交易金额", 1200)
            .set("查询流水号", "612601021200001000005")
            .set("商户订单号", "ORD20260102003")
            .set("商户手续费", "C000000000007")
            .set("交易类型", "31")
            .set("交易子类", "00")
            .set("原交易查询流水号", "612601021150001000006"),
    ]
}

/// B: L1 a payment in the newer layout · L2 a payment in the official layout (unsigned
/// fee) · L3 blank · L4 the full refund of L1 in the newer layout.
pub(crate) fn b_lines() -> Vec<(Shape, Line)> {
    vec![
        (
            Shape::Newer,
            payment(MER_B)
                .set("系统跟踪号", "300001")
                .set("交易传输时间", "0103201510")
                .set("帐号", "625807******9012")
                .fen("交易金额", 20000)
                .set("查询流水号", "712601032015101000001")
                .set("商户订单号", "NB-20260103-0001")
                .set("商户手续费", "D000000000120")
                .set("结算金额", "C000000019880")
                .set("清算净额", "C000000019880")
                .set("清算金额", "C000000020000")
                .set("服务点输入方式码", "07")
                .set("移动支付产品标志", "1")
                .set("检索参考号", "401234567890"),
        ),
        (
            Shape::Official,
            payment(MER_B)
                .set("系统跟踪号", "300002")
                .set("交易传输时间", "0103221000")
                .set("帐号", "625807******9012")
                .fen("交易金额", 5000)
                .set("查询流水号", "712601032210001000002")
                .set("商户订单号", "NB-20260103-0002")
                .set("商户手续费", "000000000030")
                .set("结算金额", "C000000004970"),
        ),
        (
            Shape::Newer,
            refund(MER_B)
                .set("系统跟踪号", "300003")
                .set("交易传输时间", "0104093000")
                .set("帐号", "625807******9012")
                .fen("交易金额", 20000)
                .set("查询流水号", "712601040930001000003")
                .set("商户订单号", "NB-R-0001")
                .set("原始交易系统跟踪号", "300001")
                .set("原始交易日期时间", "0103201510")
                .set("商户手续费", "C000000000120")
                .set("结算金额", "D000000019880")
                .set("原交易查询流水号", "712601032015101000001")
                .set("清算净额", "D000000019880")
                .set("原始交易订单号", "NB-20260103-0001")
                .set("清算金额", "D000000020000")
                .set("检索参考号", "401234567999"),
        ),
    ]
}

/// The bytes of sample A.
pub(crate) fn a() -> Vec<u8> {
    let lines: Vec<Vec<u8>> = a_lines().iter().map(|l| l.bytes(Shape::Official)).collect();
    file(&lines, "\r\n")
}

/// The bytes of sample B (its third line is blank).
pub(crate) fn b() -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = b_lines().iter().map(|(s, l)| l.bytes(*s)).collect();
    lines.insert(2, Vec::new());
    file(&lines, "\n")
}

/// The bytes of sample C: two 差错 lines of the ZME layout.
pub(crate) fn c() -> Vec<u8> {
    let head = ["00010344", "00010000"];
    let lines = [
        zme_line(&[
            "E22",
            head[0],
            head[1],
            "100007",
            "0102153000",
            "622202******1234",
            "000000002000",
            "5812",
            "08",
        ]),
        zme_line(&[
            "E30",
            head[0],
            head[1],
            "100008",
            "0102160000",
            "622202******1234",
            "000000000500",
            "5812",
            "08",
        ]),
    ];
    file(&lines, "\r\n")
}

/// Every sample: file name and bytes.
pub(crate) fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![(A, a()), (B, b()), (C, c())]
}

//! Workbooks for the tests, written with `rust_xlsxwriter`: a small cell model, the writer,
//! the three generated `.xlsx` fixtures (BOC, CMB, BOCOM layouts), and the CCB sample read
//! back into the model so drift tests can rewrite it.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::value::Value;

/// One cell of a test workbook.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum C {
    /// Nothing written.
    E,
    /// A text cell.
    S(String),
    /// A number cell.
    N(f64),
    /// A date cell (`yyyy-mm-dd` format).
    D(u16, u8, u8),
    /// A time cell (`hh:mm:ss` format).
    T(u16, u8, u8),
}

/// A text cell.
pub(crate) fn s(text: &str) -> C {
    C::S(text.to_owned())
}

/// A row of text cells (`""` = nothing written).
pub(crate) fn texts(cells: &[&str]) -> Vec<C> {
    cells
        .iter()
        .map(|t| if t.is_empty() { C::E } else { s(t) })
        .collect()
}

/// A worksheet of a test workbook.
#[derive(Clone, Debug)]
pub(crate) struct SheetSpec {
    pub(crate) name: String,
    pub(crate) hidden: bool,
    pub(crate) rows: Vec<Vec<C>>,
}

impl SheetSpec {
    /// A visible sheet.
    pub(crate) fn new(name: &str, rows: Vec<Vec<C>>) -> Self {
        Self {
            name: name.to_owned(),
            hidden: false,
            rows,
        }
    }
}

/// Writes the sheets as an `.xlsx` workbook, with a fixed creation time so the same sheets
/// always give the same bytes.
pub(crate) fn xlsx(sheets: &[SheetSpec]) -> Vec<u8> {
    write(sheets).expect("the test workbook is valid")
}

fn write(sheets: &[SheetSpec]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm:ss");
    for spec in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(&spec.name)?;
        sheet.set_hidden(spec.hidden);
        for (r, row) in (0u32..).zip(&spec.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    C::E => continue,
                    C::S(t) => sheet.write_string(r, c, t)?,
                    C::N(n) => sheet.write_number(r, c, *n)?,
                    C::D(y, m, d) => {
                        let at = ExcelDateTime::from_ymd(*y, *m, *d)?;
                        sheet.write_datetime_with_format(r, c, at, &date)?
                    }
                    C::T(h, m, sec) => {
                        let at = ExcelDateTime::from_hms(*h, *m, *sec)?;
                        sheet.write_datetime_with_format(r, c, at, &time)?
                    }
                };
            }
        }
    }
    book.save_to_buffer()
}

/// The CCB sample's only sheet, read back into the cell model (its dates are text cells,
/// its amounts numbers).
pub(crate) fn ccb_rows() -> Vec<Vec<C>> {
    let sheets = crate::workbook::read(super::CCB).expect("the CCB sample reads");
    let sheet = sheets.into_iter().next().expect("one sheet");
    sheet
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| match v {
                    Value::Empty => C::E,
                    Value::Text(t) => C::S(t.clone()),
                    Value::Number(n) => C::N(*n),
                    other => panic!("the CCB sample has no {other:?} cell"),
                })
                .collect()
        })
        .collect()
}

/// BOC 交易流水明细单: the title row, the header, and eight rows (newest first, balances
/// chained). Dates and times are date and time cells, amounts and balances numbers. Cell
/// values are from the BOC debit example of deb-sig/double-entry-generator (Apache-2.0).
pub(crate) fn boc() -> Vec<SheetSpec> {
    let header = texts(&[
        "记账日期",
        "记账时间",
        "币别",
        "金额",
        "余额",
        "交易名称",
        "渠道",
        "网点名称",
        "附言",
        "对方账户名",
        "对方卡号/账号",
        "对方开户行",
        "借记卡号",
    ]);
    let dash = "-------------------";
    let row = |day: u8, (h, m, sec): (u16, u8, u8), amount: f64, balance: f64, rest: [&str; 8]| {
        let mut cells = vec![
            C::D(2025, 8, day),
            C::T(h, m, sec),
            s("人民币"),
            C::N(amount),
            C::N(balance),
        ];
        cells.extend(texts(&rest));
        cells
    };
    let (li, zheng, quick) = ("支付宝-李四", "支付宝-郑六", "Z200******010N");
    let rows = vec![
        texts(&["中国银行交易流水明细单"]),
        header,
        row(
            22,
            (17, 57, 17),
            -71.89,
            3240.28,
            [
                "无卡支付",
                "卡组织线上/无卡交易",
                dash,
                "----------",
                "张三",
                "6226******5669",
                dash,
                "3167",
            ],
        ),
        row(
            22,
            (12, 24, 20),
            -326.0,
            3312.17,
            [
                "网上快捷支付",
                "银企对接",
                dash,
                li,
                li,
                quick,
                dash,
                "3167",
            ],
        ),
        row(
            22,
            (12, 23, 4),
            50.0,
            3638.17,
            [
                "网上快捷退款",
                "银企对接",
                dash,
                li,
                li,
                "8000******1303",
                dash,
                "3167",
            ],
        ),
        row(
            22,
            (12, 22, 50),
            -50.0,
            3588.17,
            [
                "网上快捷支付",
                "银企对接",
                dash,
                li,
                li,
                quick,
                dash,
                "3167",
            ],
        ),
        row(
            19,
            (10, 52, 29),
            -60.0,
            3638.17,
            [
                "网上快捷支付",
                "银企对接",
                dash,
                zheng,
                zheng,
                quick,
                dash,
                "3167",
            ],
        ),
        row(
            14,
            (13, 43, 29),
            -206.8,
            3698.17,
            [
                "无卡支付",
                "卡组织线上/无卡交易",
                dash,
                "----------",
                "张三",
                "6222******4664",
                dash,
                "3167",
            ],
        ),
        row(
            14,
            (13, 43, 7),
            -68.14,
            3904.97,
            [
                "无卡支付",
                "卡组织线上/无卡交易",
                dash,
                "----------",
                "张三",
                "6225******4294",
                dash,
                "3167",
            ],
        ),
        row(
            12,
            (16, 49, 29),
            -2600.0,
            3973.11,
            [
                "跨行转账",
                "手机银行",
                "------------------- 张三17670961139美金",
                "数据有限公司",
                "上海十企业管理顾问有限公司",
                "3101******6787",
                "浙江泰隆商业银行",
                "3167",
            ],
        ),
    ];
    vec![SheetSpec::new("交易流水明细", rows)]
}

/// CMB 交易流水: the header first, then five rows whose dates and amounts are text cells
/// (`"1,234.00"`) as in the CSV conversion of the statement. Values are from the CMB debit
/// example of deb-sig/double-entry-generator (Apache-2.0), whose balances do not chain.
pub(crate) fn cmb() -> Vec<SheetSpec> {
    let rows = vec![
        texts(&[
            "记账日期",
            "货币",
            "交易金额",
            "联机余额",
            "交易摘要",
            "对手信息",
            "客户摘要",
        ]),
        texts(&[
            "2024-01-01",
            "CNY",
            "1,234.00",
            "1,271.66",
            "代发住房公积金",
            "北京住房公积金管理中心1111111111",
            "01月01日约定提取",
        ]),
        texts(&[
            "2024-01-01",
            "CNY",
            "-1,000.00",
            "271.66",
            "转账汇款",
            "张三 66666666666666",
            "转账",
        ]),
        texts(&[
            "2024-01-27",
            "CNY",
            "-3.00",
            "81.22",
            "一网通支付",
            "国网电力有限公司99999999999999",
            "供电",
        ]),
        texts(&[
            "2024-01-20",
            "CNY",
            "-1,000.00",
            "123.45",
            "银联ATM取款",
            "",
            "银联 ATM 取款，中国银行",
        ]),
        texts(&[
            "2024-01-23",
            "CNY",
            "-10.14",
            "1,218.24",
            "快捷支付",
            "抖音电商商家888888888",
            "抖音支付-抖音电商商家",
        ]),
    ];
    vec![SheetSpec::new("Sheet1", rows)]
}

/// BOCOM 交易明细: the header, then six rows with an unsigned amount and a 借贷 column
/// (`贷 Cr` / `借 Dr`); 序号 and amounts are numbers, dates and times text. Values are from
/// the BOCOM debit example of deb-sig/double-entry-generator (Apache-2.0), whose balances do
/// not chain.
pub(crate) fn bocom() -> Vec<SheetSpec> {
    let row = |n: f64,
               date: &str,
               time: &str,
               kind: &str,
               dir: &str,
               amount: f64,
               balance: f64,
               rest: [&str; 4]| {
        let mut cells = vec![
            C::N(n),
            s(date),
            s(time),
            s(kind),
            s(dir),
            C::N(amount),
            C::N(balance),
        ];
        cells.extend(texts(&rest));
        cells
    };
    let rows = vec![
        texts(&[
            "序号",
            "交易日期",
            "交易时间",
            "交易类型",
            "借贷",
            "交易金额",
            "余额",
            "对方账号",
            "对方户名",
            "交易地点",
            "摘要",
        ]),
        row(
            1.0,
            "2025-01-01",
            "00:00:00",
            "存款利息",
            "贷 Cr",
            1.23,
            1334.63,
            [
                "1323132313211331313",
                "应付个人活期储蓄存款利息",
                "批处理",
                "",
            ],
        ),
        row(
            2.0,
            "2024-02-02",
            "13:15:12",
            "信用卡转账还款",
            "借 Dr",
            3.21,
            2334.62,
            ["6666666666666666", "哈哈", "其他", ""],
        ),
        row(
            3.0,
            "2024-03-03",
            "09:20:43",
            "存款利息",
            "贷 Cr",
            0.02,
            45.67,
            [
                "1323132313211331313",
                "应付个人活期储蓄存款利息",
                "批处理",
                "",
            ],
        ),
        row(
            4.0,
            "2024-04-04",
            "11:46:44",
            "其他交易",
            "贷 Cr",
            10.0,
            184.69,
            [
                "6666666666666666",
                "哈哈",
                "网络支付",
                "银联入账(哈哈/其它)转账",
            ],
        ),
        row(
            5.0,
            "2024-05-05",
            "12:48:15",
            "异地跨行消费",
            "借 Dr",
            10.0,
            99.66,
            ["555551312313213123", "网上国网", "网上国网", ""],
        ),
        row(
            6.0,
            "2024-06-06",
            "11:30:54",
            "网上支付",
            "借 Dr",
            100.79,
            3154.93,
            [
                "11111111111111",
                "京东肯特瑞基金销售有限公司",
                "网银在线（北京）科技有限公司",
                "网上支付 基金理财产品申购 订单编号20250123123213213131321313131 肯特瑞小金库网银平台 交易流水号20250123123213213131321313131",
            ],
        ),
    ];
    vec![SheetSpec::new("交易明细", rows)]
}

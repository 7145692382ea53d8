//! 批量导入: the listing spreadsheet's columns and the parsing of each row, with errors
//! that name the row and the column.

use crate::money::Fen;

/// The columns, as the export writes them and the import reads them (zh-CN header, or the
/// English key). Order does not matter on import; unknown columns are ignored.
pub const COLUMNS: [(&str, &str); 10] = [
    ("product_id", "商品编号"),
    ("brand", "品牌"),
    ("model", "型号"),
    ("title", "商品名称"),
    ("price", "单价（元）"),
    ("stock", "库存"),
    ("delivery_days", "送达天数"),
    ("cities", "供货城市"),
    ("unit", "计量单位"),
    ("reason", "调价原因"),
];

/// How a row names its standard product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    Id(i64),
    BrandModel(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub product: ProductRef,
    pub price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
    /// City codes or names as written, split on `;`, `、`, `,` or spaces.
    pub cities: Vec<String>,
    pub unit: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("no product: give the product id, or brand and model")]
    Product,
    #[error("the price is an amount in yuan, e.g. 12.50")]
    Price,
    #[error("stock is a whole number, 0 or more")]
    Stock,
    #[error("delivery days are 1 to 90")]
    DeliveryDays,
    #[error("at least one city")]
    Cities,
    #[error("the header has no price column")]
    Header,
}

/// Errors of one file: (line, column, error).
pub type Errors = Vec<(usize, &'static str, RowError)>;

fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}');
    COLUMNS
        .iter()
        .find(|(key, zh)| h.eq_ignore_ascii_case(key) || h == *zh)
        .map(|(key, _)| *key)
}

/// Parses a table whose first row is the header. Empty rows are skipped.
pub fn parse(table: &[Vec<String>]) -> (Vec<Row>, Errors) {
    let mut errors = Errors::new();
    let Some(header) = table.first() else {
        return (Vec::new(), vec![(1, "price", RowError::Header)]);
    };
    let columns: Vec<Option<&'static str>> = header.iter().map(|h| column_of(h)).collect();
    if !columns.contains(&Some("price")) {
        return (Vec::new(), vec![(1, "price", RowError::Header)]);
    }
    let mut rows = Vec::new();
    for (i, cells) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |key: &str| -> &str {
            columns
                .iter()
                .position(|c| *c == Some(key))
                .and_then(|p| cells.get(p))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let before = errors.len();
        let product = match get("product_id") {
            id if !id.is_empty() => id.parse().ok().map(ProductRef::Id),
            _ if !get("brand").is_empty() && !get("model").is_empty() => Some(
                ProductRef::BrandModel(get("brand").to_string(), get("model").to_string()),
            ),
            _ => None,
        };
        if product.is_none() {
            errors.push((line, "product_id", RowError::Product));
        }
        let price = Fen::parse_yuan(get("price")).ok().filter(|p| p.get() > 0);
        if price.is_none() {
            errors.push((line, "price", RowError::Price));
        }
        let stock = get("stock").parse::<i64>().ok().filter(|s| *s >= 0);
        if stock.is_none() {
            errors.push((line, "stock", RowError::Stock));
        }
        let days = get("delivery_days")
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=90).contains(d));
        if days.is_none() {
            errors.push((line, "delivery_days", RowError::DeliveryDays));
        }
        let cities: Vec<String> = get("cities")
            .split([';', '；', '、', ',', '，', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if cities.is_empty() {
            errors.push((line, "cities", RowError::Cities));
        }
        if errors.len() > before {
            continue;
        }
        if let (Some(product), Some(price), Some(stock), Some(delivery_days)) =
            (product, price, stock, days)
        {
            rows.push(Row {
                line,
                product,
                price,
                stock,
                delivery_days,
                cities,
                unit: Some(get("unit").to_string()).filter(|u| !u.is_empty()),
                reason: get("reason").to_string(),
            });
        }
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn reads_chinese_or_english_headers_in_any_order() {
        let t = table(&[
            &[
                "\u{feff}品牌",
                "型号",
                "单价（元）",
                "库存",
                "送达天数",
                "供货城市",
                "备注",
            ],
            &["得力", "7401", "25.80", "100", "2", "310100；330100", "x"],
            &["", "", "", "", "", "", ""],
        ]);
        let (rows, errors) = parse(&t);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].product,
            ProductRef::BrandModel("得力".into(), "7401".into())
        );
        assert_eq!(rows[0].price, Fen(2580));
        assert_eq!(rows[0].cities, ["310100", "330100"]);
        assert_eq!(rows[0].line, 2);
        let t = table(&[
            &["price", "product_id", "stock", "delivery_days", "cities"],
            &["9", "12", "0", "1", "上海市"],
        ]);
        assert_eq!(parse(&t).0[0].product, ProductRef::Id(12));
    }

    #[test]
    fn every_bad_cell_is_named_by_line_and_column() {
        let t = table(&[
            &["商品编号", "单价（元）", "库存", "送达天数", "供货城市"],
            &["", "abc", "-1", "0", ""],
            &["7", "12.5", "3", "5", "310100"],
        ]);
        let (rows, errors) = parse(&t);
        assert_eq!(rows.len(), 1);
        let cells: Vec<(usize, &str)> = errors.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            cells,
            [
                (2, "product_id"),
                (2, "price"),
                (2, "stock"),
                (2, "delivery_days"),
                (2, "cities")
            ]
        );
        assert_eq!(parse(&table(&[&["a", "b"]])).1[0].2, RowError::Header);
    }
}

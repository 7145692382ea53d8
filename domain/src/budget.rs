//! 支出经济分类: what a budget line may be spent on, by the economic classification of
//! departmental expenditure (部门预算支出经济分类科目), and which classification a purchase
//! falls under. A checkout proposes the line whose classification fits what is bought and
//! warns, for the buyer and the approver, when the chosen line's does not.

use crate::money::Fen;
use serde::{Deserialize, Serialize};

/// The economic classifications a mall purchase is paid under (款级 codes), kept and sent
/// as their codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EconClass {
    /// 30201 办公费: paper, stationery, toner, small office items.
    #[serde(rename = "30201")]
    Office,
    /// 30202 印刷费: printing and copying services.
    #[serde(rename = "30202")]
    Printing,
    /// 30209 物业管理费: property management and cleaning services.
    #[serde(rename = "30209")]
    Property,
    /// 30213 维修（护）费: repair and maintenance.
    #[serde(rename = "30213")]
    Repairs,
    /// 30299 其他商品和服务支出: goods and services no other class takes (canteen food).
    #[serde(rename = "30299")]
    OtherGoods,
    /// 31002 办公设备购置: office equipment and furniture kept as fixed assets.
    #[serde(rename = "31002")]
    OfficeEquipment,
}

impl EconClass {
    pub const ALL: [EconClass; 6] = [
        EconClass::Office,
        EconClass::Printing,
        EconClass::Property,
        EconClass::Repairs,
        EconClass::OtherGoods,
        EconClass::OfficeEquipment,
    ];

    /// The code kept and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EconClass::Office => "30201",
            EconClass::Printing => "30202",
            EconClass::Property => "30209",
            EconClass::Repairs => "30213",
            EconClass::OtherGoods => "30299",
            EconClass::OfficeEquipment => "31002",
        }
    }

    pub fn parse(code: &str) -> Option<EconClass> {
        EconClass::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// 固定资产标准: general equipment and furniture below this unit price are not fixed
/// assets and are paid as office expenses (政府会计准则: ¥1,000).
pub const FIXED_ASSET_THRESHOLD: Fen = Fen(100_000);

impl EconClass {
    /// The classification one line of a purchase falls under: by its procurement category
    /// and, for equipment and furniture, whether its unit price makes it a fixed asset.
    pub fn of_purchase(category: &str, unit_price: Fen) -> EconClass {
        let equipment = category.starts_with("A02") || category.starts_with("A05");
        if equipment {
            return if unit_price >= FIXED_ASSET_THRESHOLD {
                EconClass::OfficeEquipment
            } else {
                EconClass::Office
            };
        }
        const BY_PREFIX: [(&str, EconClass); 5] = [
            ("A09", EconClass::Office),
            ("C05", EconClass::Repairs),
            ("C16", EconClass::Printing),
            ("C21", EconClass::Property),
            ("B", EconClass::Repairs),
        ];
        BY_PREFIX
            .iter()
            .find(|(prefix, _)| category.starts_with(prefix))
            .map_or(EconClass::OtherGoods, |&(_, class)| class)
    }

    /// The classification of a whole purchase: the one most of its money falls under (the
    /// first such on a tie). `lines`: `(category, unit price, line total)`.
    pub fn of_lines<'a>(lines: impl IntoIterator<Item = (&'a str, Fen, Fen)>) -> Option<EconClass> {
        let mut sums: Vec<(EconClass, i64)> = Vec::new();
        for (category, unit_price, total) in lines {
            let class = EconClass::of_purchase(category, unit_price);
            match sums.iter_mut().find(|(c, _)| *c == class) {
                Some((_, sum)) => *sum += total.get(),
                None => sums.push((class, total.get())),
            }
        }
        let most = sums.iter().map(|&(_, sum)| sum).max()?;
        sums.into_iter()
            .find(|&(_, sum)| sum == most)
            .map(|(class, _)| class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equipment_is_a_fixed_asset_from_the_threshold() {
        assert_eq!(
            EconClass::of_purchase("A02010105", Fen(520_000)),
            EconClass::OfficeEquipment
        );
        assert_eq!(
            EconClass::of_purchase("A0201050801", Fen(4_900)),
            EconClass::Office,
            "a USB stick is an office expense"
        );
        assert_eq!(
            EconClass::of_purchase("A050101", FIXED_ASSET_THRESHOLD),
            EconClass::OfficeEquipment
        );
    }

    #[test]
    fn consumables_services_and_the_rest() {
        assert_eq!(
            EconClass::of_purchase("A090101", Fen(2_500)),
            EconClass::Office
        );
        assert_eq!(
            EconClass::of_purchase("C1601", Fen(50)),
            EconClass::Printing
        );
        assert_eq!(
            EconClass::of_purchase("C2102", Fen(50)),
            EconClass::Property
        );
        assert_eq!(EconClass::of_purchase("C0503", Fen(50)), EconClass::Repairs);
        assert_eq!(
            EconClass::of_purchase("A2101", Fen(50)),
            EconClass::OtherGoods
        );
    }

    #[test]
    fn a_purchase_is_classed_by_most_of_its_money() {
        let lines = [
            ("A090101", Fen(2_500), Fen(25_000)),
            ("A02010105", Fen(520_000), Fen(520_000)),
        ];
        assert_eq!(EconClass::of_lines(lines), Some(EconClass::OfficeEquipment));
        assert_eq!(EconClass::of_lines([]), None);
        let tie = [
            ("A090101", Fen(100), Fen(100)),
            ("C1601", Fen(100), Fen(100)),
        ];
        assert_eq!(EconClass::of_lines(tie), Some(EconClass::Office));
    }

    #[test]
    fn codes_round_trip_and_are_what_json_carries() {
        for class in EconClass::ALL {
            assert_eq!(EconClass::parse(class.as_str()), Some(class));
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
        }
    }
}

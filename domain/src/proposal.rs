//! 新增标准商品: a supplier's proposal of a standard product the catalogue lacks. The same
//! brand and model is the same standard product, whoever proposes it.

use crate::category::CategoryCode;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalInput {
    /// A leaf of the procurement catalogue, e.g. `A02010104`.
    pub category_code: String,
    pub brand: String,
    pub model: String,
    pub title: String,
    /// Unit of sale, e.g. 台, 包, 箱.
    pub unit: String,
    /// Reference market price in yuan, e.g. `3299.00`.
    pub reference_price: String,
    /// Where the reference price comes from (a brand's list price, a public platform).
    pub reference_source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub category_code: CategoryCode,
    pub brand: String,
    pub model: String,
    pub title: String,
    pub unit: String,
    pub reference_price: Fen,
    pub reference_source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("required, at most {0} characters")]
    Text(usize),
    #[error("an amount in yuan above zero")]
    Price,
    #[error("a code of the procurement catalogue")]
    Category,
}

/// Brand and model as compared for sameness: trimmed, width- and case-folded, no spaces.
pub fn identity(brand: &str, model: &str) -> (String, String) {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .flat_map(char::to_lowercase)
            .collect()
    };
    (fold(brand), fold(model))
}

impl Proposal {
    pub fn parse(input: &ProposalInput) -> Result<Proposal, Vec<(&'static str, ProposalError)>> {
        let mut errors = Vec::new();
        let category_code = CategoryCode::parse(&input.category_code).ok();
        if category_code.is_none() {
            errors.push(("category_code", ProposalError::Category));
        }
        let mut text = |field: &'static str, value: &str, max: usize| {
            let v = value.trim().to_string();
            if v.is_empty() || v.chars().count() > max {
                errors.push((field, ProposalError::Text(max)));
            }
            v
        };
        let brand = text("brand", &input.brand, 40);
        let model = text("model", &input.model, 60);
        let title = text("title", &input.title, 120);
        let unit = text("unit", &input.unit, 10);
        let reference_source = text("reference_source", &input.reference_source, 60);
        let price = Fen::parse_yuan(&input.reference_price)
            .ok()
            .filter(|p| p.get() > 0);
        if price.is_none() {
            errors.push(("reference_price", ProposalError::Price));
        }
        match (price, category_code) {
            (Some(reference_price), Some(category_code)) if errors.is_empty() => Ok(Proposal {
                category_code,
                brand,
                model,
                title,
                unit,
                reference_price,
                reference_source,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_brand_and_model_whatever_the_typing() {
        assert_eq!(
            identity(" 得力 ", "DL-7401"),
            identity("得力", "dl-７４０１")
        );
        assert_ne!(identity("得力", "7401"), identity("得力", "7402"));
    }

    #[test]
    fn parses_or_lists_every_fault() {
        let ok = ProposalInput {
            category_code: "A02010104".into(),
            brand: "联想".into(),
            model: "M7400".into(),
            title: "联想 M7400 黑白激光多功能一体机".into(),
            unit: "台".into(),
            reference_price: "1,699.00".into(),
            reference_source: "品牌官网".into(),
        };
        assert_eq!(Proposal::parse(&ok).unwrap().reference_price, Fen(169_900));
        let bad = ProposalInput {
            brand: " ".into(),
            reference_price: "0".into(),
            ..ok
        };
        let fields: Vec<&str> = Proposal::parse(&bad)
            .unwrap_err()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["brand", "reference_price"]);
    }
}

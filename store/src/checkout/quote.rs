//! 购物车报价: what the cart's lines cost now, priced exactly as a checkout prices them
//! (volume tiers under the city's cap, one order per supplier), without a budget line, so
//! the cart shows the total the order will have.

use super::{price, Refusal};
use crate::db::Db;
use emall_domain::budget::EconClass;
use emall_domain::purchase::{self, PurchaseRules};
use emall_domain::Fen;
use std::collections::HashMap;

/// The cart priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Per offer: the unit price at the quantity and the line's total.
    pub lines: HashMap<i64, (Fen, Fen)>,
    /// Per supplier (one order each): the order's total and whether it waits for the
    /// unit's approver.
    pub orders: Vec<(i64, Fen, bool)>,
    pub total: Fen,
    /// 支出经济分类 of what the cart buys: the budget line to propose.
    pub class: Option<EconClass>,
}

/// `items`: `(offer, quantity)` of the unit `unit_id`'s cart.
pub async fn quote(
    db: &Db,
    rules: &PurchaseRules,
    unit_id: i64,
    items: &[(i64, i64)],
) -> anyhow::Result<Result<Quote, Refusal>> {
    let mut conn = db.pool().acquire().await?;
    let priced = match price::price(&mut *conn, rules, unit_id, items).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let lines = priced
        .drafts
        .iter()
        .flat_map(|d| d.lines.iter())
        .map(|&(offer, _, unit, total)| (offer, (unit, total)))
        .collect();
    let orders = priced
        .drafts
        .iter()
        .map(|d| {
            let approval = purchase::needs_approval(d.total, priced.threshold);
            (d.supplier_id, d.total, approval)
        })
        .collect();
    Ok(Ok(Quote {
        lines,
        orders,
        total: priced.needed,
        class: priced.class_of(&priced.drafts),
    }))
}

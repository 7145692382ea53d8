//! What checking out would do, shown to the buyer before placing.

use super::price::price;
use super::split::{draft_categories, earlier_in_window};
use super::{available, Refusal, Request};
use crate::clock;
use crate::db::Db;
use emall_domain::purchase::{self, PurchaseRules};
use emall_model::{Preview, PreviewOrder};

/// What checking out would do, without doing it: the same checks and prices, and the
/// split-purchase warnings, so the buyer sees them before placing.
pub async fn preview(
    db: &Db,
    rules: &PurchaseRules,
    req: &Request<'_>,
) -> anyhow::Result<Result<Preview, Refusal>> {
    let mut conn = db.pool().acquire().await?;
    let Some((available, line_class)) = available(&mut *conn, req).await? else {
        return Ok(Err(Refusal::NoSuchBudgetLine));
    };
    let priced = match price(&mut *conn, rules, req.unit_id, &req.items).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if priced.needed > available {
        return Ok(Err(Refusal::InsufficientBudget {
            available,
            needed: priced.needed,
        }));
    }
    let mut warnings = Vec::new();
    for draft in &priced.drafts {
        for (category, amount) in draft_categories(&priced.categories, draft) {
            let earlier = earlier_in_window(
                &mut *conn,
                rules,
                req.unit_id,
                None,
                &category,
                clock::now(),
            )
            .await?;
            if purchase::looks_split(amount, earlier, rules) && !warnings.contains(&category) {
                warnings.push(category);
            }
        }
    }
    Ok(Ok(Preview {
        orders: priced
            .drafts
            .iter()
            .map(|d| PreviewOrder {
                supplier_id: d.supplier_id,
                total: d.total,
                needs_approval: purchase::needs_approval(d.total, priced.threshold),
            })
            .collect(),
        total: priced.needed,
        available,
        warnings,
        goods_class: priced.class_of(&priced.drafts),
        line_class,
    }))
}

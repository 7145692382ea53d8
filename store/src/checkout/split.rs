//! 拆分采购: a purchase split to stay under the e-mall cap. A checkout records each order's
//! amount per procurement category and sums the unit's live orders in that category within
//! the window; over the cap together leaves an alert for the regulator and a warning.

use crate::args;
use crate::db::Sql;
use emall_domain::purchase::{self, Draft, PurchaseRules};
use emall_domain::Fen;
use std::collections::HashMap;

/// A draft's amount per procurement category.
pub(super) fn draft_categories(
    categories: &HashMap<i64, String>,
    draft: &Draft,
) -> Vec<(String, Fen)> {
    let mut sums: Vec<(String, Fen)> = Vec::new();
    for &(offer_id, _, _, line_total) in &draft.lines {
        let Some(category) = categories.get(&offer_id) else {
            continue;
        };
        match sums.iter_mut().find(|(c, _)| c == category) {
            Some((_, sum)) => *sum = Fen(sum.get() + line_total.get()),
            None => sums.push((category.clone(), line_total)),
        }
    }
    sums
}

/// The unit's live orders in a category within the split window (excluding one order), from
/// `order_categories`.
pub(super) async fn earlier_in_window<S: Sql>(
    conn: &mut S,
    rules: &PurchaseRules,
    unit_id: i64,
    except_order: Option<i64>,
    category: &str,
    now: i64,
) -> anyhow::Result<Fen> {
    let since = now - rules.split_window_days * 24 * 3600;
    let (earlier,): (Option<i64>,) = conn
        .fetch_one(
            "SELECT CAST(SUM(amount_fen) AS BIGINT) FROM order_categories \
             WHERE unit_id = $1 AND category_code = $2 AND created_at >= $3 AND order_id <> $4",
            args![unit_id, category, since, except_order.unwrap_or(0)],
        )
        .await?;
    Ok(Fen(earlier.unwrap_or(0)))
}

/// 拆分采购: records the new order's amount per category in `order_categories` and, in the
/// same statement, sums the unit's other live orders in that category within the window;
/// over the cap together leaves an alert and a warning.
pub(super) async fn split_check<S: Sql>(
    tx: &mut S,
    rules: &PurchaseRules,
    unit_id: i64,
    order_id: i64,
    draft: &Draft,
    categories: Vec<(String, Fen)>,
    now: i64,
) -> anyhow::Result<Vec<String>> {
    let mut warnings = Vec::new();
    let since = now - rules.split_window_days * 24 * 3600;
    for (category, amount) in categories {
        let (earlier,): (Option<i64>,) = tx
            .fetch_one(
                "INSERT INTO order_categories (unit_id, category_code, created_at, order_id, amount_fen) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING (SELECT CAST(SUM(amount_fen) AS BIGINT) \
                 FROM order_categories WHERE unit_id = $1 AND category_code = $2 AND created_at >= $6 \
                 AND order_id <> $4)",
                args![unit_id, &category, now, order_id, amount.get(), since],
            )
            .await?;
        let earlier = Fen(earlier.unwrap_or(0));
        if purchase::looks_split(amount, earlier, rules) {
            let details = serde_json::json!({
                "order_amount": amount.get(), "earlier_in_window": earlier.get(), "cap": rules.order_cap.get(),
                "window_days": rules.split_window_days,
            });
            // The same key as the scan's finding over these orders (domain::redflags), so
            // the scan adds to this alert rather than raising a second one.
            let window: Vec<(i64,)> = tx
                .fetch_all(
                    "SELECT order_id FROM order_categories \
                     WHERE unit_id = $1 AND category_code = $2 AND created_at >= $3 ORDER BY order_id",
                    args![unit_id, &category, since],
                )
                .await?;
            let orders: Vec<i64> = window.into_iter().map(|(id,)| id).collect();
            let first = orders.first().copied().unwrap_or(order_id);
            tx.execute(
                "INSERT INTO alerts (kind, key, unit_id, supplier_id, order_id, category_code, amount_fen, evidence, details, \
                 created_at, updated_at) VALUES ('split_purchase', $1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 ON CONFLICT (key) DO UPDATE SET amount_fen = excluded.amount_fen, evidence = excluded.evidence, \
                 details = excluded.details, updated_at = excluded.updated_at",
                args![
                    &format!("split_purchase:u{unit_id}:{category}:o{first}"),
                    unit_id,
                    draft.supplier_id,
                    order_id,
                    &category,
                    amount.get() + earlier.get(),
                    &serde_json::json!({ "orders": orders }).to_string(),
                    &details.to_string(),
                    now,
                ],
            )
            .await?;
            warnings.push(category);
        }
    }
    Ok(warnings)
}

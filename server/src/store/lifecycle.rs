//! Moving an order through its lifecycle, with the budget line's money in the same
//! transaction.

use crate::auth::Tenant;
use crate::clock;
use crate::db::Db;
use emall_domain::lifecycle::{self, Action, Actor, LifecycleError, Money, Status};

pub enum Moved {
    Done(Status),
    NotFound,
    NotYours,
    WrongStatus,
}

pub async fn act(
    db: &Db,
    order_id: i64,
    tenant: Tenant,
    actor: Actor,
    user_id: i64,
    action: Action,
    note: &str,
) -> anyhow::Result<Moved> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT status, unit_id, supplier_id, budget_line_id, total_fen FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, unit_id, supplier_id, budget_line, total)) = row else {
        return Ok(Moved::NotFound);
    };
    let own = match (tenant, actor) {
        (Tenant::Unit(u), Actor::Buyer | Actor::Approver) => u == unit_id,
        (Tenant::Supplier(s), Actor::Supplier) => s == supplier_id,
        _ => false,
    };
    if !own {
        return Ok(Moved::NotYours);
    }
    let from = Status::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("order {order_id} has unknown status {status}"))?;
    let (to, money) = match lifecycle::transition(from, action, actor) {
        Ok(t) => t,
        Err(LifecycleError::NotYours) => return Ok(Moved::NotYours),
        Err(LifecycleError::WrongStatus) => return Ok(Moved::WrongStatus),
    };
    let now = clock::now();
    let moved =
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(order_id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if moved == 0 {
        return Ok(Moved::WrongStatus);
    }
    let sql = match money {
        Money::Unchanged => None,
        Money::Release => Some("UPDATE budget_lines SET frozen_fen = frozen_fen - $1 WHERE id = $2"),
        Money::Spend => Some("UPDATE budget_lines SET frozen_fen = frozen_fen - $1, spent_fen = spent_fen + $1 WHERE id = $2"),
    };
    if let Some(sql) = sql {
        sqlx::query(sql)
            .bind(total)
            .bind(budget_line)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO order_events (order_id, action, status, user_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(order_id)
        .bind(serde_json::to_value(action)?.as_str().unwrap_or_default())
        .bind(to.as_str())
        .bind(user_id)
        .bind(note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Moved::Done(to))
}

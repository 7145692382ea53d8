//! Money on a budget line: the one place that freezes, releases and spends it. A freeze
//! succeeds only if the money is there at that instant (a conditional UPDATE), and the
//! table's CHECK refuses overspending even if a rule upstream were wrong.

use crate::db::Sql;
use emall_domain::Fen;
use sqlx::{Any, Transaction};

/// Freezes `amount` on the unit's line; `false` when the line lacks it (nothing changed).
pub async fn freeze<S: Sql>(
    tx: &mut S,
    line: i64,
    unit_id: i64,
    amount: Fen,
) -> anyhow::Result<bool> {
    let done = tx
        .execute(
            "UPDATE budget_lines SET frozen_fen = frozen_fen + $1 \
             WHERE id = $2 AND unit_id = $3 AND amount_fen - frozen_fen - spent_fen >= $1",
            crate::args![amount.get(), line, unit_id],
        )
        .await?;
    Ok(done == 1)
}

/// Gives frozen money back to the line.
pub async fn release(tx: &mut Transaction<'_, Any>, line: i64, amount: Fen) -> sqlx::Result<()> {
    if amount.get() != 0 {
        sqlx::query("UPDATE budget_lines SET frozen_fen = frozen_fen - $1 WHERE id = $2")
            .bind(amount.get())
            .bind(line)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Turns frozen money into spent money (payment).
pub async fn spend(tx: &mut Transaction<'_, Any>, line: i64, amount: Fen) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE budget_lines SET frozen_fen = frozen_fen - $1, spent_fen = spent_fen + $1 WHERE id = $2",
    )
    .bind(amount.get())
    .bind(line)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What is left to freeze on a line.
pub async fn available(tx: &mut Transaction<'_, Any>, line: i64) -> sqlx::Result<Fen> {
    let (left,): (i64,) = sqlx::query_as(
        "SELECT amount_fen - frozen_fen - spent_fen FROM budget_lines WHERE id = $1",
    )
    .bind(line)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Fen(left))
}

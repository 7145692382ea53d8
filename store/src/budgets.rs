//! Money on a budget line: the one place that freezes, releases and spends it. A freeze
//! succeeds only if the money is there at that instant (a conditional UPDATE), and the
//! table's CHECK refuses overspending even if a rule upstream were wrong. Each change
//! answers the line's money as it left it (`RETURNING`, no second read), which the audit
//! log digests.

use crate::db::Sql;
use emall_domain::audit::State;
use emall_domain::Fen;
use sqlx::{Any, Transaction};

/// A budget line's money at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMoney {
    pub id: i64,
    pub amount: Fen,
    pub frozen: Fen,
    pub spent: Fen,
}

impl LineMoney {
    /// The line as it was before `frozen` was added to its frozen money and `spent` to its
    /// spent money (either may be negative).
    pub fn before(self, frozen: Fen, spent: Fen) -> LineMoney {
        LineMoney {
            frozen: Fen(self.frozen.get() - frozen.get()),
            spent: Fen(self.spent.get() - spent.get()),
            ..self
        }
    }

    /// What the audit log digests of it.
    pub fn state(&self) -> State {
        State::new()
            .int("id", self.id)
            .int("amount_fen", self.amount.get())
            .int("frozen_fen", self.frozen.get())
            .int("spent_fen", self.spent.get())
    }
}

type Money = (i64, i64, i64, i64);

fn money((id, amount, frozen, spent): Money) -> LineMoney {
    LineMoney {
        id,
        amount: Fen(amount),
        frozen: Fen(frozen),
        spent: Fen(spent),
    }
}

/// Freezes `amount` on the unit's line; `None` when the line lacks it (nothing changed).
pub async fn freeze<S: Sql>(
    tx: &mut S,
    line: i64,
    unit_id: i64,
    amount: Fen,
) -> anyhow::Result<Option<LineMoney>> {
    let after: Option<Money> = tx
        .fetch_optional(
            "UPDATE budget_lines SET frozen_fen = frozen_fen + $1 \
             WHERE id = $2 AND unit_id = $3 AND amount_fen - frozen_fen - spent_fen >= $1 \
             RETURNING id, amount_fen, frozen_fen, spent_fen",
            crate::args![amount.get(), line, unit_id],
        )
        .await?;
    Ok(after.map(money))
}

/// Gives frozen money back to the line.
pub async fn release<S: Sql>(tx: &mut S, line: i64, amount: Fen) -> anyhow::Result<LineMoney> {
    let after: Money = tx
        .fetch_one(
            "UPDATE budget_lines SET frozen_fen = frozen_fen - $1 WHERE id = $2 \
             RETURNING id, amount_fen, frozen_fen, spent_fen",
            crate::args![amount.get(), line],
        )
        .await?;
    Ok(money(after))
}

/// Turns frozen money into spent money (payment).
pub async fn spend<S: Sql>(tx: &mut S, line: i64, amount: Fen) -> anyhow::Result<LineMoney> {
    let after: Money = tx
        .fetch_one(
            "UPDATE budget_lines SET frozen_fen = frozen_fen - $1, spent_fen = spent_fen + $1 WHERE id = $2 \
             RETURNING id, amount_fen, frozen_fen, spent_fen",
            crate::args![amount.get(), line],
        )
        .await?;
    Ok(money(after))
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

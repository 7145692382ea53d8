//! The close: settlement of a pool in one transaction.

use super::{commitment_state, event, money_change};
use crate::audit::Journal;
use crate::budgets::release;
use crate::checkout::{insert_order, placed, record_categories, NewOrder};
use crate::db::Db;
use crate::lifecycle::{order_state, Timing};
use crate::outbox;
use emall_domain::audit::{Action, Actor, Change, Object, ObjectKind, State};
use emall_domain::pool::{
    settle, Award, Bid, BidTiers, Commitment, FailReason, Line, Outcome, PoolTerms,
};
use emall_domain::{Fen, Tier};
use sqlx::{Any, Transaction};

/// Who closes, and the terms the orders get.
pub struct Closing<'a> {
    /// The operator, or the system (the timer, at the deadline).
    pub by: Actor,
    pub timing: &'a Timing,
    pub payment_terms_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    Awarded {
        supplier_id: i64,
        unit_price: Fen,
        orders: Vec<i64>,
        product_id: i64,
    },
    Failed {
        product_id: i64,
    },
    /// Closed before (by another node, or another request): nothing done.
    AlreadyClosed,
    NoSuchPool,
}

const DAY: i64 = 86_400;

/// Settles a pool: the total, the winner at the tier it reached, one order per unit at the
/// same unit price, each freeze cut to exactly quantity × price; or, below the minimum or
/// without a bid serving the total, every freeze released. Idempotent: only the first
/// close of a pool does anything.
pub async fn close(db: &Db, pool_id: i64, c: &Closing<'_>, now: i64) -> anyhow::Result<Closed> {
    let mut tx = db.begin_write().await?;
    let taken =
        sqlx::query("UPDATE pools SET version = version + 1 WHERE id = $1 AND state = 'open'")
            .bind(pool_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if taken == 0 {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM pools WHERE id = $1")
            .bind(pool_id)
            .fetch_optional(&mut *tx)
            .await?;
        return Ok(if exists.is_some() {
            Closed::AlreadyClosed
        } else {
            Closed::NoSuchPool
        });
    }
    let pool = Settling::read(&mut tx, pool_id, c, now).await?;
    let outcome = settle(&pool.terms, &pool.bids, &pool.commitments)?;
    let mut journal = Journal::new();
    let closed = match &outcome {
        Outcome::Awarded(award) => pool.award(&mut tx, award, &outcome, &mut journal).await?,
        Outcome::Failed { reason, releases } => {
            pool.fail(&mut tx, reason, releases, &outcome, &mut journal)
                .await?
        }
    };
    outbox::record(&mut *tx, &outbox::Change::pool_closed(pool_id, &closed)).await?;
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(closed)
}

/// A bid as the close reads it: id, supplier, offer, tiers (JSON), placed at, the supplier's
/// performance score.
type BidRow = (i64, i64, i64, String, i64, Option<i64>);

/// An active commitment as the close reads it: id, unit, quantity, frozen, budget line,
/// buyer.
type CommitmentRow = (i64, i64, i64, i64, i64, i64);

/// A pool being settled: what its close read of it in the close's transaction, and who
/// closes it when.
struct Settling<'a, 'c> {
    id: i64,
    product_id: i64,
    city: String,
    validity: i64,
    terms: PoolTerms,
    /// The admitted suppliers' bids.
    bid_rows: Vec<BidRow>,
    bids: Vec<Bid>,
    /// The active commitments, by id.
    rows: Vec<CommitmentRow>,
    commitments: Vec<Commitment>,
    c: &'a Closing<'c>,
    now: i64,
}

/// What every order of an award shares: the award, the winning offer and its delivery days,
/// and the note on each order's first event.
struct AwardOrders<'a> {
    award: &'a Award,
    offer_id: i64,
    delivery_days: i64,
    note: String,
}

impl<'a, 'c> Settling<'a, 'c> {
    /// Reads the pool's terms, its admitted suppliers' bids and its active commitments.
    async fn read(
        tx: &mut Transaction<'_, Any>,
        pool_id: i64,
        c: &'a Closing<'c>,
        now: i64,
    ) -> anyhow::Result<Settling<'a, 'c>> {
        let (product_id, city, min_total, ceiling, opens_at, closes_at, validity): (i64, String, i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT product_id, city, min_total_quantity, ceiling_fen, opens_at, closes_at, validity_days FROM pools WHERE id = $1",
        )
        .bind(pool_id)
        .fetch_one(&mut **tx)
        .await?;
        let terms = PoolTerms::new(min_total, Fen(ceiling), opens_at, closes_at, validity)?;
        let bid_rows: Vec<BidRow> = sqlx::query_as(
        "SELECT b.id, b.supplier_id, b.offer_id, b.tiers, b.placed_at, s.performance_score FROM pool_bids b \
         JOIN suppliers s ON s.id = b.supplier_id WHERE b.pool_id = $1 AND s.status = 'admitted'",
    )
    .bind(pool_id)
    .fetch_all(&mut **tx)
    .await?;
        let mut bids = Vec::with_capacity(bid_rows.len());
        for (bid_id, supplier_id, _, tiers, placed_at, score) in &bid_rows {
            let tiers: Vec<Tier> = serde_json::from_str(tiers)?;
            bids.push(Bid {
                bid_id: *bid_id,
                supplier_id: *supplier_id,
                tiers: BidTiers::parse(tiers, Fen(ceiling))?,
                score: score.unwrap_or(0),
                placed_at: *placed_at,
            });
        }
        let rows: Vec<CommitmentRow> = sqlx::query_as(
        "SELECT id, unit_id, quantity, frozen_fen, budget_line_id, user_id FROM pool_commitments \
         WHERE pool_id = $1 AND state = 'active' ORDER BY id",
    )
    .bind(pool_id)
    .fetch_all(&mut **tx)
    .await?;
        let commitments: Vec<Commitment> = rows
            .iter()
            .map(|&(id, unit_id, quantity, frozen, _, _)| Commitment {
                commitment_id: id,
                unit_id,
                quantity,
                frozen: Fen(frozen),
            })
            .collect();
        Ok(Settling {
            id: pool_id,
            product_id,
            city,
            validity,
            terms,
            bid_rows,
            bids,
            rows,
            commitments,
            c,
            now,
        })
    }

    /// A commitment's budget line and buyer.
    fn line_of(&self, id: i64) -> Option<(i64, i64)> {
        self.rows.iter().find(|r| r.0 == id).map(|r| (r.4, r.5))
    }

    /// The pool in the audit log.
    fn object(&self) -> Object {
        Object::new(ObjectKind::Pool, self.id)
    }

    /// The pool as the audit log saw it before its close.
    fn open(&self) -> State {
        State::new().int("id", self.id).text("state", "open")
    }

    /// Awards the pool to the winner: one order per unit at the winner's unit price, each
    /// commitment's freeze cut to its order's amount; the award's price then caps the
    /// product in the city for the pool's validity.
    async fn award(
        &self,
        tx: &mut Transaction<'_, Any>,
        award: &Award,
        outcome: &Outcome,
        journal: &mut Journal,
    ) -> anyhow::Result<Closed> {
        let (pool_id, now, c) = (self.id, self.now, self.c);
        let closed_by = c.by.user_id();
        let offer_id = self
            .bid_rows
            .iter()
            .find(|b| b.0 == award.winner_bid_id)
            .map(|b| b.2)
            .ok_or_else(|| anyhow::anyhow!("the winning bid vanished"))?;
        let (delivery_days,): (i64,) =
            sqlx::query_as("SELECT delivery_days FROM offers WHERE id = $1")
                .bind(offer_id)
                .fetch_one(&mut **tx)
                .await?;
        let shared = AwardOrders {
            award,
            offer_id,
            delivery_days,
            note: format!("联合采购 #{pool_id}"),
        };
        journal.push(
            Change::new(now, c.by.clone(), self.object(), Action::Award)
                .related(Object::new(ObjectKind::Supplier, award.supplier_id))
                .amount(award.total_amount)
                .before(&self.open())
                .after(
                    &State::new()
                        .int("id", pool_id)
                        .text("state", "awarded")
                        .int("winner_supplier_id", award.supplier_id)
                        .int("winner_bid_id", award.winner_bid_id)
                        .int("unit_price_fen", award.unit_price.get())
                        .int("total_quantity", award.total_quantity),
                ),
        );
        let mut orders = Vec::with_capacity(award.lines.len());
        for line in &award.lines {
            orders.push(self.award_order(tx, &shared, line, journal).await?);
        }
        let product_id = self.product_id;
        let (baseline, reference) = baseline(tx, product_id, &self.city, now).await?;
        sqlx::query(
                "UPDATE pools SET state = 'awarded', closed_at = $1, closed_by = $2, total_quantity = $3, unit_price_fen = $4, \
                 winner_supplier_id = $5, winner_bid_id = $6, cap_until = $7, baseline_fen = $8, reference_fen = $9, result = $10 \
                 WHERE id = $11",
            )
            .bind(now)
            .bind(closed_by)
            .bind(award.total_quantity)
            .bind(award.unit_price.get())
            .bind(award.supplier_id)
            .bind(award.winner_bid_id)
            .bind(now + self.validity * DAY)
            .bind(baseline)
            .bind(reference)
            .bind(serde_json::to_string(&outcome)?)
            .bind(pool_id)
            .execute(&mut **tx)
            .await?;
        event(
            tx,
            pool_id,
            "awarded",
            closed_by,
            serde_json::json!({ "outcome": outcome, "orders": orders }),
            now,
        )
        .await?;
        Ok(Closed::Awarded {
            supplier_id: award.supplier_id,
            unit_price: award.unit_price,
            orders,
            product_id,
        })
    }

    /// Writes one unit's order of the award: the rest of its commitment's freeze goes back
    /// to the budget line, the order (placed, with its one line and its categories) takes
    /// the freeze, and the commitment is settled with the order.
    async fn award_order(
        &self,
        tx: &mut Transaction<'_, Any>,
        shared: &AwardOrders<'_>,
        line: &Line,
        journal: &mut Journal,
    ) -> anyhow::Result<i64> {
        let (pool_id, product_id, now, c) = (self.id, self.product_id, self.now, self.c);
        let AwardOrders {
            award,
            offer_id,
            delivery_days,
            ref note,
        } = *shared;
        let (budget_line_id, user_id) = self
            .line_of(line.commitment_id)
            .ok_or_else(|| anyhow::anyhow!("a commitment vanished"))?;
        let line_after = release(&mut **tx, budget_line_id, line.release).await?;
        let (order_id, _) = insert_order(
            &mut **tx,
            &NewOrder {
                unit_id: line.unit_id,
                buyer_id: user_id,
                supplier_id: award.supplier_id,
                budget_line_id,
                city: &self.city,
                status: "placed",
                total: line.amount,
                delivery_days,
                payment_terms_days: c.payment_terms_days,
                placed_at: Some(now),
                confirm_by: Some(c.timing.confirm_by(now)),
                pool_id: Some(pool_id),
                note,
            },
            now,
        )
        .await?;
        sqlx::query(
                    "INSERT INTO order_items (order_id, offer_id, product_id, title, unit, quantity, unit_price_fen, line_total_fen) \
                     SELECT $1, $2, p.id, p.title, p.unit, $3, $4, $5 FROM products p WHERE p.id = $6",
                )
                .bind(order_id)
                .bind(offer_id)
                .bind(line.quantity)
                .bind(award.unit_price.get())
                .bind(line.amount.get())
                .bind(product_id)
                .execute(&mut **tx)
                .await?;
        record_categories(&mut **tx, order_id, order_id).await?;
        // The commitment's freeze becomes the order's; the rest went back above.
        journal.push(placed(
            Action::PoolOrder,
            now,
            c.by.clone(),
            order_id,
            line.amount,
            order_state(order_id, "placed", line.amount, budget_line_id),
            [
                line_after.before(Fen(-line.release.get()), Fen::ZERO),
                line_after,
            ],
        ));
        sqlx::query(
                    "UPDATE pool_commitments SET state = 'settled', frozen_fen = $1, amount_fen = $1, order_id = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(line.amount.get())
                .bind(order_id)
                .bind(now)
                .bind(line.commitment_id)
                .execute(&mut **tx)
                .await?;
        Ok(order_id)
    }

    /// Fails the pool (below its minimum, or no bid serves the total): every commitment's
    /// freeze goes back to its budget line.
    async fn fail(
        &self,
        tx: &mut Transaction<'_, Any>,
        reason: &FailReason,
        releases: &[(i64, Fen)],
        outcome: &Outcome,
        journal: &mut Journal,
    ) -> anyhow::Result<Closed> {
        let (pool_id, product_id, now, c) = (self.id, self.product_id, self.now, self.c);
        let closed_by = c.by.user_id();
        let total = self.commitments.iter().map(|c| c.quantity).sum::<i64>();
        journal.push(
            Change::new(now, c.by.clone(), self.object(), Action::Fail)
                .before(&self.open())
                .after(
                    &State::new()
                        .int("id", pool_id)
                        .text("state", "failed")
                        .int("total_quantity", total),
                ),
        );
        for &(commitment_id, amount) in releases {
            self.release_commitment(tx, commitment_id, amount, journal)
                .await?;
        }
        sqlx::query(
                "UPDATE pools SET state = 'failed', closed_at = $1, closed_by = $2, total_quantity = $3, result = $4 WHERE id = $5",
            )
            .bind(now)
            .bind(closed_by)
            .bind(total)
            .bind(serde_json::to_string(&outcome)?)
            .bind(pool_id)
            .execute(&mut **tx)
            .await?;
        let why = match reason {
            FailReason::BelowMinimum { .. } => "below_minimum",
            FailReason::NoQualifyingBid => "no_qualifying_bid",
        };
        event(
            tx,
            pool_id,
            "failed",
            closed_by,
            serde_json::json!({ "reason": why, "outcome": outcome }),
            now,
        )
        .await?;
        Ok(Closed::Failed { product_id })
    }

    /// Gives a failed pool's commitment its freeze back and marks it released.
    async fn release_commitment(
        &self,
        tx: &mut Transaction<'_, Any>,
        commitment_id: i64,
        amount: Fen,
        journal: &mut Journal,
    ) -> anyhow::Result<()> {
        let (now, c) = (self.now, self.c);
        let (budget_line_id, _) = self
            .line_of(commitment_id)
            .ok_or_else(|| anyhow::anyhow!("a commitment vanished"))?;
        let after = release(&mut **tx, budget_line_id, amount).await?;
        let (unit_id, quantity) = self
            .rows
            .iter()
            .find(|r| r.0 == commitment_id)
            .map(|r| (r.1, r.2))
            .unwrap_or_default();
        let commitment = |frozen: Fen, state: &str| {
            commitment_state(unit_id, budget_line_id, quantity, frozen, state)
        };
        journal.push(money_change(
            Change::new(now, c.by.clone(), self.object(), Action::Release),
            amount,
            [after.before(Fen(-amount.get()), Fen::ZERO), after],
            [
                Some(commitment(amount, "active")),
                Some(commitment(Fen::ZERO, "released")),
            ],
        ));
        sqlx::query("UPDATE pool_commitments SET state = 'released', frozen_fen = 0, updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(commitment_id)
                    .execute(&mut **tx)
                    .await?;
        Ok(())
    }
}

/// The average unit price the city paid for the product over the 12 months before `now`
/// (orders outside pools that went ahead), and the product's reference price.
async fn baseline(
    tx: &mut Transaction<'_, Any>,
    product_id: i64,
    city: &str,
    now: i64,
) -> sqlx::Result<(Option<i64>, i64)> {
    let (quantity, paid): (Option<i64>, Option<i64>) = sqlx::query_as(&format!(
        "SELECT CAST(SUM(i.quantity) AS BIGINT), CAST(SUM(i.line_total_fen) AS BIGINT) FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE i.product_id = $1 AND o.city = $2 AND o.pool_id IS NULL AND o.created_at >= $3 AND o.created_at < $4 \
         AND o.status IN {}",
        crate::CONTRACTED_STATUSES
    ))
    .bind(product_id)
    .bind(city)
    .bind(now - 365 * DAY)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let (reference,): (i64,) = sqlx::query_as("SELECT ref_price_fen FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_one(&mut **tx)
        .await?;
    let average = match (quantity, paid) {
        // Rounded half up to the fen.
        (Some(q), Some(p)) if q > 0 => Some((p * 2 + q) / (2 * q)),
        _ => None,
    };
    Ok((average, reference))
}

/// Closes every open pool whose deadline has passed (the timer; any node, any number of
/// times). Returns what was settled.
pub async fn close_due(db: &Db, c: &Closing<'_>, now: i64) -> anyhow::Result<Vec<(i64, Closed)>> {
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM pools WHERE state = 'open' AND closes_at <= $1 ORDER BY closes_at LIMIT 100",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let mut closed = Vec::new();
    for (id,) in due {
        match close(db, id, c, now).await? {
            Closed::AlreadyClosed | Closed::NoSuchPool => {}
            done => closed.push((id, done)),
        }
    }
    Ok(closed)
}

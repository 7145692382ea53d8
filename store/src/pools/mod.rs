//! 联合采购: pools, their bids and commitments. Every write that must not race the close
//! (a bid, a commitment, a withdrawal, the close itself) first bumps the pool's `version`
//! under its state and window: on PostgreSQL that row lock orders them, on SQLite the
//! write lock does; after a close, the condition no longer holds and the write is refused.
//! Each of them leaves its entries in the audit log, appended last.

mod cap;
mod close;
mod views;

pub use cap::{announce_ended_caps, city_cap, current_cap, CityCap};
pub use close::{close, close_due, Closed, Closing};
pub use views::{cap_view, city, detail, events, list, my_part, PoolEvent};

use crate::audit::Journal;
use crate::budgets::{self, LineMoney};
use crate::clock;
use crate::db::Db;
use crate::outbox;
use emall_domain::audit::{Action, Change, Object, ObjectKind, State, User};
use emall_domain::pool::{freeze_amount, BidError, BidTiers, PoolTerms};
use emall_domain::{Fen, RegionCode, Tier};
use sqlx::{Any, Transaction};

/// A pool about to be opened.
pub struct NewPool {
    pub product_id: i64,
    pub city: RegionCode,
    pub title: String,
    pub description: String,
    pub delivery_terms: String,
    pub terms: PoolTerms,
    /// The purchasing unit leading it (NULL: the operator).
    pub lead_unit_id: Option<i64>,
}

pub enum Opened {
    Opened(i64),
    NoSuchProduct,
    /// Not a city the mall trades in.
    NoSuchCity,
}

async fn event(
    tx: &mut Transaction<'_, Any>,
    pool_id: i64,
    kind: &str,
    user_id: Option<i64>,
    details: serde_json::Value,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO pool_events (pool_id, kind, user_id, details, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(pool_id)
    .bind(kind)
    .bind(user_id)
    .bind(details.to_string())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What the audit log digests of a commitment.
fn commitment_state(unit_id: i64, line: i64, quantity: i64, frozen: Fen, state: &str) -> State {
    State::new()
        .int("unit_id", unit_id)
        .int("budget_line_id", line)
        .int("quantity", quantity)
        .int("frozen_fen", frozen.get())
        .text("state", state)
}

/// A pool's money moving on a budget line: `commitment` before and after beside the line.
fn money_change(
    change: Change,
    amount: Fen,
    lines: [LineMoney; 2],
    commitment: [Option<State>; 2],
) -> Change {
    let [line_before, line_after] = lines;
    let [c_before, c_after] = commitment;
    let mut before = State::new().part("budget_line", line_before.state());
    let mut after = State::new().part("budget_line", line_after.state());
    if let Some(c) = c_before {
        before = before.part("commitment", c);
    }
    if let Some(c) = c_after {
        after = after.part("commitment", c);
    }
    change
        .related(Object::new(ObjectKind::BudgetLine, line_before.id))
        .amount(amount)
        .before(&before)
        .after(&after)
}

pub async fn open(db: &Db, by: &User, p: &NewPool) -> anyhow::Result<Opened> {
    let now = clock::now();
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let product: Option<(i64,)> = sqlx::query_as("SELECT id FROM products WHERE id = $1")
        .bind(p.product_id)
        .fetch_optional(&mut *tx)
        .await?;
    if product.is_none() {
        return Ok(Opened::NoSuchProduct);
    }
    let (cities,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM regions WHERE code = $1 AND level = 2 AND code IN \
         (SELECT city FROM purchasing_units UNION SELECT city FROM supplier_cities)",
    )
    .bind(p.city.to_string())
    .fetch_one(&mut *tx)
    .await?;
    if cities == 0 {
        return Ok(Opened::NoSuchCity);
    }
    let t = &p.terms;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pools (product_id, city, title, description, delivery_terms, min_total_quantity, ceiling_fen, \
         opens_at, closes_at, validity_days, opened_by, lead_unit_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(p.product_id)
    .bind(p.city.to_string())
    .bind(&p.title)
    .bind(&p.description)
    .bind(&p.delivery_terms)
    .bind(t.min_total_quantity())
    .bind(t.ceiling().get())
    .bind(t.opens_at())
    .bind(t.closes_at())
    .bind(t.validity_days())
    .bind(user_id)
    .bind(p.lead_unit_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    event(
        &mut tx,
        id,
        "opened",
        Some(user_id),
        serde_json::json!({ "terms": t }),
        now,
    )
    .await?;
    let after = State::new()
        .int("id", id)
        .int("product_id", p.product_id)
        .text("city", p.city.to_string())
        .text("title", p.title.clone())
        .int("min_total_quantity", t.min_total_quantity())
        .int("ceiling_fen", t.ceiling().get())
        .int("opens_at", t.opens_at())
        .int("closes_at", t.closes_at())
        .int("validity_days", t.validity_days())
        .text("state", "open");
    let mut journal = Journal::new();
    journal.push(
        Change::new(
            now,
            by.into(),
            Object::new(ObjectKind::Pool, id),
            Action::Open,
        )
        .amount(t.ceiling())
        .after(&after),
    );
    outbox::record(&mut *tx, &outbox::Change::pool(id)).await?;
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(Opened::Opened(id))
}

/// Why a bid, commitment or withdrawal was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoSuchPool,
    /// Before the window opens, after it closes, or already settled.
    NotOpen,
    /// The unit is not in the pool's city, or the supplier does not serve it.
    WrongCity,
    /// The supplier has no offer of the product on sale in the city.
    NoOffer,
    BadTiers(BidError),
    NoSuchBudgetLine,
    InsufficientBudget {
        available: Fen,
        needed: Fen,
    },
    BadQuantity,
    /// The quantity at the pool's ceiling is more money than any budget holds.
    AmountTooLarge,
    NoCommitment,
}

/// Takes the pool for a write inside its window; `(city, product, ceiling)`.
async fn take_open(
    tx: &mut Transaction<'_, Any>,
    pool_id: i64,
    now: i64,
) -> sqlx::Result<Result<(String, i64, Fen), Refusal>> {
    let taken: Option<(String, i64, i64)> = sqlx::query_as(
        "UPDATE pools SET version = version + 1 WHERE id = $1 AND state = 'open' AND opens_at <= $2 AND closes_at > $2 \
         RETURNING city, product_id, ceiling_fen",
    )
    .bind(pool_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((city, product, ceiling)) = taken {
        return Ok(Ok((city, product, Fen(ceiling))));
    }
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM pools WHERE id = $1")
        .bind(pool_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(Err(if exists.is_some() {
        Refusal::NotOpen
    } else {
        Refusal::NoSuchPool
    }))
}

/// A supplier's volume-tier bid, or its revision (the latest counts; an earlier one wins
/// a tie, so a revision takes a new time). Returns the bid's id.
pub async fn bid(
    db: &Db,
    pool_id: i64,
    supplier_id: i64,
    by: &User,
    tiers: Vec<Tier>,
    now: i64,
) -> anyhow::Result<Result<i64, Refusal>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let (city, product, ceiling) = match take_open(&mut tx, pool_id, now).await? {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let tiers = match BidTiers::parse(tiers, ceiling) {
        Ok(t) => t,
        Err(e) => return Ok(Err(Refusal::BadTiers(e))),
    };
    let offer: Option<(i64,)> = sqlx::query_as(
        "SELECT o.id FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.supplier_id = $1 AND o.product_id = $2 AND oc.city = $3 AND o.status = 'on_sale' AND s.status = 'admitted'",
    )
    .bind(supplier_id)
    .bind(product)
    .bind(&city)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((offer_id,)) = offer else {
        return Ok(Err(Refusal::NoOffer));
    };
    let json = serde_json::to_string(tiers.tiers())?;
    let previous: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT offer_id, tiers, placed_at FROM pool_bids WHERE pool_id = $1 AND supplier_id = $2",
    )
    .bind(pool_id)
    .bind(supplier_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pool_bids (pool_id, supplier_id, offer_id, tiers, placed_at, created_at) VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (pool_id, supplier_id) DO UPDATE SET offer_id = $3, tiers = $4, placed_at = $5 RETURNING id",
    )
    .bind(pool_id)
    .bind(supplier_id)
    .bind(offer_id)
    .bind(&json)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    event(
        &mut tx,
        pool_id,
        "bid",
        Some(user_id),
        serde_json::json!({ "supplier_id": supplier_id, "tiers": tiers.tiers() }),
        now,
    )
    .await?;
    let bid_state = |offer: i64, tiers: String, placed_at: i64| {
        State::new()
            .int("supplier_id", supplier_id)
            .int("offer_id", offer)
            .text("tiers", tiers)
            .int("placed_at", placed_at)
    };
    let mut change = Change::new(
        now,
        by.into(),
        Object::new(ObjectKind::Pool, pool_id),
        Action::Bid,
    )
    .related(Object::new(ObjectKind::Supplier, supplier_id))
    .after(&bid_state(offer_id, json, now));
    if let Some((offer, tiers, placed_at)) = previous {
        change = change.before(&bid_state(offer, tiers, placed_at));
    }
    let mut journal = Journal::new();
    journal.push(change);
    outbox::record(&mut *tx, &outbox::Change::pool(pool_id)).await?;
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// A unit commits a quantity (or changes its commitment) against one of its budget lines:
/// quantity × ceiling is frozen, the previous freeze released, in one transaction.
pub async fn commit(
    db: &Db,
    pool_id: i64,
    unit_id: i64,
    by: &User,
    budget_line_id: i64,
    quantity: i64,
    now: i64,
) -> anyhow::Result<Result<Fen, Refusal>> {
    let user_id = by.id;
    if !(1..=1_000_000).contains(&quantity) {
        return Ok(Err(Refusal::BadQuantity));
    }
    let mut tx = db.begin_write().await?;
    let (city, _, ceiling) = match take_open(&mut tx, pool_id, now).await? {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let unit_city: Option<(String,)> =
        sqlx::query_as("SELECT city FROM purchasing_units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await?;
    if unit_city.map(|(c,)| c) != Some(city) {
        return Ok(Err(Refusal::WrongCity));
    }
    let line: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM budget_lines WHERE id = $1 AND unit_id = $2")
            .bind(budget_line_id)
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await?;
    if line.is_none() {
        return Ok(Err(Refusal::NoSuchBudgetLine));
    }
    let Ok(needed) = freeze_amount(quantity, ceiling) else {
        return Ok(Err(Refusal::AmountTooLarge));
    };
    let previous: Option<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT budget_line_id, frozen_fen, state, quantity FROM pool_commitments WHERE pool_id = $1 AND unit_id = $2",
    )
    .bind(pool_id)
    .bind(unit_id)
    .fetch_optional(&mut *tx)
    .await?;
    let was = previous
        .as_ref()
        .map(|(line, frozen, state, q)| commitment_state(unit_id, *line, *q, Fen(*frozen), state));
    let pool = Object::new(ObjectKind::Pool, pool_id);
    let mut journal = Journal::new();
    // Release first, then freeze: a unit moving its commitment between lines, or lowering
    // it, never needs both amounts at once.
    if let Some((old_line, old_frozen, state, _)) = &previous {
        if state == "active" {
            let old = Fen(*old_frozen);
            let after = budgets::release(&mut *tx, *old_line, old).await?;
            journal.push(money_change(
                Change::new(now, by.into(), pool, Action::Release),
                old,
                [after.before(Fen(-old.get()), Fen::ZERO), after],
                [was.clone(), None],
            ));
        }
    }
    let Some(line_after) = budgets::freeze(&mut *tx, budget_line_id, unit_id, needed).await? else {
        let available = budgets::available(&mut tx, budget_line_id).await?;
        return Ok(Err(Refusal::InsufficientBudget { available, needed }));
    };
    journal.push(money_change(
        Change::new(now, by.into(), pool, Action::Commit),
        needed,
        [line_after.before(needed, Fen::ZERO), line_after],
        [
            was,
            Some(commitment_state(
                unit_id,
                budget_line_id,
                quantity,
                needed,
                "active",
            )),
        ],
    ));
    sqlx::query(
        "INSERT INTO pool_commitments (pool_id, unit_id, user_id, budget_line_id, quantity, frozen_fen, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7) \
         ON CONFLICT (pool_id, unit_id) DO UPDATE SET user_id = $3, budget_line_id = $4, quantity = $5, frozen_fen = $6, \
         state = 'active', updated_at = $7",
    )
    .bind(pool_id)
    .bind(unit_id)
    .bind(user_id)
    .bind(budget_line_id)
    .bind(quantity)
    .bind(needed.get())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let kind = if previous.is_some() {
        "changed"
    } else {
        "committed"
    };
    event(
        &mut tx,
        pool_id,
        kind,
        Some(user_id),
        serde_json::json!({ "unit_id": unit_id, "quantity": quantity, "budget_line_id": budget_line_id, "frozen": needed }),
        now,
    )
    .await?;
    outbox::record(&mut *tx, &outbox::Change::pool(pool_id)).await?;
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(Ok(needed))
}

/// A unit withdraws before the close: its frozen money is released at once.
pub async fn withdraw(
    db: &Db,
    pool_id: i64,
    unit_id: i64,
    by: &User,
    now: i64,
) -> anyhow::Result<Result<Fen, Refusal>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    if let Err(r) = take_open(&mut tx, pool_id, now).await? {
        return Ok(Err(r));
    }
    let active: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT budget_line_id, frozen_fen, quantity FROM pool_commitments WHERE pool_id = $1 AND unit_id = $2 AND state = 'active'",
    )
    .bind(pool_id)
    .bind(unit_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((line, frozen, quantity)) = active else {
        return Ok(Err(Refusal::NoCommitment));
    };
    let after = budgets::release(&mut *tx, line, Fen(frozen)).await?;
    let mut journal = Journal::new();
    journal.push(money_change(
        Change::new(
            now,
            by.into(),
            Object::new(ObjectKind::Pool, pool_id),
            Action::Withdraw,
        ),
        Fen(frozen),
        [after.before(Fen(-frozen), Fen::ZERO), after],
        [
            Some(commitment_state(
                unit_id,
                line,
                quantity,
                Fen(frozen),
                "active",
            )),
            Some(commitment_state(
                unit_id,
                line,
                quantity,
                Fen::ZERO,
                "withdrawn",
            )),
        ],
    ));
    sqlx::query(
        "UPDATE pool_commitments SET state = 'withdrawn', frozen_fen = 0, updated_at = $1 WHERE pool_id = $2 AND unit_id = $3",
    )
    .bind(now)
    .bind(pool_id)
    .bind(unit_id)
    .execute(&mut *tx)
    .await?;
    event(
        &mut tx,
        pool_id,
        "withdrawn",
        Some(user_id),
        serde_json::json!({ "unit_id": unit_id, "released": frozen }),
        now,
    )
    .await?;
    outbox::record(&mut *tx, &outbox::Change::pool(pool_id)).await?;
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(Ok(Fen(frozen)))
}

//! Checkout in one transaction: re-check every line, price it, freeze the money on the
//! budget line, create one order per supplier, take the stock, flag split purchases, and
//! append each order to the audit log.
//!
//! On SQLite the transaction takes the write lock as it begins (`BEGIN IMMEDIATE`), so
//! concurrent checkouts queue instead of failing, and it runs on the direct writer
//! ([`crate::db::DirectWriter`]); on PostgreSQL the conditional UPDATEs serialise them on the
//! budget row. The statements are written once, over [`Sql`], for both.

mod order;
mod preview;
mod price;
mod quote;
mod split;

pub use emall_model::{PlacedOrder, Preview, PreviewOrder, Receipt};
pub use order::{insert_order, placed, record_categories, NewOrder};
pub use preview::preview;
pub use quote::{quote, Quote};

use super::audit::Journal;
use super::lifecycle::{order_state, Timing};
use crate::db::{run_ready, Db, Sql};
use crate::{args, clock};
use emall_domain::audit::{Action, Actor};
use emall_domain::budget::EconClass;
use emall_domain::purchase::{self, Draft, PurchaseError, PurchaseRules};
use emall_domain::stock::StockLevel;
use emall_domain::Fen;
use order::take_stock;
use price::{price, Priced};
use split::{draft_categories, split_check};

pub struct Request<'a> {
    pub user_id: i64,
    /// The buyer's username, as the audit log names them.
    pub username: &'a str,
    pub unit_id: i64,
    pub budget_line_id: i64,
    /// Days after acceptance within which the unit pays (the contract's terms).
    pub payment_terms_days: i64,
    /// `(offer, quantity)`; from the cart or a one-click purchase.
    pub items: Vec<(i64, i64)>,
    pub from_cart: bool,
    pub idempotency_key: Option<&'a str>,
}

#[derive(Debug)]
pub enum Refusal {
    Empty,
    /// An offer that cannot be bought now, and why.
    Line {
        offer_id: i64,
        reason: LineFault,
    },
    Rule(PurchaseError),
    NoSuchBudgetLine,
    InsufficientBudget {
        available: Fen,
        needed: Fen,
    },
}

/// Why one offer of a checkout cannot be bought now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFault {
    /// Off sale, or its supplier is not admitted.
    NotOnSale,
    /// Its supplier does not serve the unit's city.
    NotInCity,
    /// Short of stock.
    Stock,
    /// Another supplier's price is above the city's pooled price cap.
    AboveCap,
}

impl From<LineFault> for emall_model::CartProblem {
    fn from(fault: LineFault) -> Self {
        use emall_model::CartProblem;
        match fault {
            LineFault::NotOnSale => CartProblem::NotOnSale,
            LineFault::NotInCity => CartProblem::NotInCity,
            LineFault::Stock => CartProblem::Stock,
            LineFault::AboveCap => CartProblem::AboveCap,
        }
    }
}

pub enum Outcome {
    Placed(Receipt),
    /// The same Idempotency-Key was used before: its first answer.
    Replayed(Receipt),
    /// The same key is being used by a request that has not finished.
    InProgress,
    Refused(Refusal),
}

async fn replay(db: &Db, user_id: i64, key: &str) -> sqlx::Result<Option<Receipt>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT response FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|(r,)| serde_json::from_str(&r).ok()))
}

pub async fn checkout(
    db: &Db,
    rules: &PurchaseRules,
    timing: &Timing,
    req: Request<'_>,
) -> anyhow::Result<Outcome> {
    if let Some(key) = req.idempotency_key {
        if let Some(receipt) = replay(db, req.user_id, key).await? {
            return Ok(Outcome::Replayed(receipt));
        }
    }
    let outcome = match db.direct() {
        Some(direct) => {
            direct
                .transaction(|tx| {
                    let outcome = run_ready(write(tx, rules, timing, &req))?;
                    if matches!(outcome, Outcome::Placed(_)) {
                        tx.commit()?;
                    }
                    Ok(outcome)
                })
                .await?
        }
        None => {
            let mut tx = db.begin_write().await?;
            let outcome = write(&mut *tx, rules, timing, &req).await?;
            if matches!(outcome, Outcome::Placed(_)) {
                tx.commit().await?;
            }
            outcome
        }
    };
    if let (Outcome::InProgress, Some(key)) = (&outcome, req.idempotency_key) {
        // A concurrent request with this key committed first: its answer is ours.
        if let Some(receipt) = replay(db, req.user_id, key).await? {
            return Ok(Outcome::Replayed(receipt));
        }
    }
    Ok(outcome)
}

/// The transaction's work: claim the key, place, keep the answer with the key. Only
/// `Placed` is to be committed. Nothing of a refused checkout is kept, not even its key: a
/// corrected retry may use it again.
async fn write<S: Sql>(
    tx: &mut S,
    rules: &PurchaseRules,
    timing: &Timing,
    req: &Request<'_>,
) -> anyhow::Result<Outcome> {
    if let Some(key) = req.idempotency_key {
        let claimed = tx
            .execute(
                "INSERT INTO idempotency_keys (user_id, idem_key, response, created_at) \
                 VALUES ($1, $2, '', $3) ON CONFLICT DO NOTHING",
                args![req.user_id, key, clock::now()],
            )
            .await?;
        if claimed == 0 {
            return Ok(Outcome::InProgress);
        }
    }
    let mut journal = Journal::new();
    let mut change = super::outbox::Change::default();
    let receipt = match place(tx, rules, timing, req, &mut journal, &mut change).await? {
        Ok(receipt) => receipt,
        Err(refusal) => return Ok(Outcome::Refused(refusal)),
    };
    if let Some(key) = req.idempotency_key {
        tx.execute(
            "UPDATE idempotency_keys SET response = $1 WHERE user_id = $2 AND idem_key = $3",
            args![&serde_json::to_string(&receipt)?, req.user_id, key],
        )
        .await?;
    }
    // Last: on PostgreSQL the chain's head is held from here to the commit.
    journal.append_recording(tx, &change).await?;
    Ok(Outcome::Placed(receipt))
}

/// What the buyer's budget line has left now and what it may be spent on; `None` if the
/// unit has no such line.
async fn available<S: Sql>(
    conn: &mut S,
    req: &Request<'_>,
) -> anyhow::Result<Option<(Fen, EconClass)>> {
    let row: Option<(i64, EconClass)> = conn
        .fetch_optional(
            "SELECT amount_fen - frozen_fen - spent_fen, econ_class FROM budget_lines \
             WHERE id = $1 AND unit_id = $2",
            args![req.budget_line_id, req.unit_id],
        )
        .await?;
    Ok(row.map(|(left, class)| (Fen(left), class)))
}

/// Prices the lines, freezes their total on the budget line and writes one order per
/// supplier (its lines, its categories, its audit entry); empties the cart of what was
/// bought.
async fn place<S: Sql>(
    tx: &mut S,
    rules: &PurchaseRules,
    timing: &Timing,
    req: &Request<'_>,
    journal: &mut Journal,
    change: &mut super::outbox::Change,
) -> anyhow::Result<Result<Receipt, Refusal>> {
    let priced = match price(tx, rules, req.unit_id, &req.items).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let needed = priced.needed;

    // No overspend, ever: the freeze succeeds only if the money is there at this instant.
    let Some(line_after) =
        super::budgets::freeze(tx, req.budget_line_id, req.unit_id, needed).await?
    else {
        return Ok(Err(match available(tx, req).await? {
            Some((available, _)) => Refusal::InsufficientBudget { available, needed },
            None => Refusal::NoSuchBudgetLine,
        }));
    };
    // Each order's entry moves its own total: the line as the orders before it left it.
    let mut line = line_after.before(needed, Fen::ZERO);
    let buyer = Actor::user(req.user_id, req.username);

    let now = clock::now();
    let mut orders = Vec::with_capacity(priced.drafts.len());
    let mut warnings = Vec::new();
    for draft in &priced.drafts {
        let order = new_order(req, &priced, timing, draft, now);
        let (order_id, order_no) = insert_order(tx, &order, now).await?;
        if let Some(refusal) = write_lines(tx, order_id, draft, &priced, change).await? {
            return Ok(Err(refusal));
        }
        let split = draft_categories(&priced.categories, draft);
        warnings.extend(split_check(tx, rules, req.unit_id, order_id, draft, split, now).await?);
        let frozen = line.before(Fen(-draft.total.get()), Fen::ZERO);
        journal.push(placed(
            Action::Place,
            now,
            buyer.clone(),
            order_id,
            draft.total,
            order_state(order_id, order.status, draft.total, req.budget_line_id),
            [line, frozen],
        ));
        line = frozen;
        orders.push(PlacedOrder {
            id: order_id,
            order_no,
            supplier_id: draft.supplier_id,
            status: order.status.into(),
            total: draft.total,
        });
    }
    if req.from_cart {
        clear_cart(tx, req).await?;
    }
    Ok(Ok(Receipt {
        orders,
        frozen: needed,
        warnings,
    }))
}

/// The order a supplier's draft becomes: placed now, or waiting for the approver at or above
/// the unit's approval threshold; promised in its slowest line's delivery days.
fn new_order<'a>(
    req: &Request<'_>,
    priced: &'a Priced,
    timing: &Timing,
    draft: &Draft,
    now: i64,
) -> NewOrder<'a> {
    let pending = purchase::needs_approval(draft.total, priced.threshold);
    let status = if pending {
        "pending_approval"
    } else {
        "placed"
    };
    // Placed now: the supplier's confirmation clock starts; after approval it starts then.
    let (placed_at, confirm_by) = if pending {
        (None, None)
    } else {
        (Some(now), Some(timing.confirm_by(now)))
    };
    let days = draft
        .lines
        .iter()
        .filter_map(|l| priced.delivery_days.get(&l.0).copied())
        .max()
        .unwrap_or(7);
    NewOrder {
        unit_id: req.unit_id,
        buyer_id: req.user_id,
        supplier_id: draft.supplier_id,
        budget_line_id: req.budget_line_id,
        city: &priced.city,
        status,
        total: draft.total,
        delivery_days: days,
        payment_terms_days: req.payment_terms_days,
        placed_at,
        confirm_by,
        pool_id: None,
        note: "",
    }
}

/// Writes the order's lines, each taking its quantity from the offer's stock; the refusal
/// when an offer's stock ran short. An offer whose stock level moved (as public pages show
/// it, [`StockLevel`]) has its product's pages changed.
async fn write_lines<S: Sql>(
    tx: &mut S,
    order_id: i64,
    draft: &Draft,
    priced: &Priced,
    change: &mut super::outbox::Change,
) -> anyhow::Result<Option<Refusal>> {
    for &(offer_id, quantity, unit_price, line_total) in &draft.lines {
        let Some(left) =
            take_stock(tx, order_id, offer_id, quantity, unit_price, line_total).await?
        else {
            return Ok(Some(Refusal::Line {
                offer_id,
                reason: LineFault::Stock,
            }));
        };
        if StockLevel::moves(left + quantity, quantity) {
            change.products.extend(priced.product_of.get(&offer_id));
        }
    }
    Ok(None)
}

/// Takes the bought offers out of the buyer's cart.
async fn clear_cart<S: Sql>(tx: &mut S, req: &Request<'_>) -> anyhow::Result<()> {
    for &(offer_id, _) in &req.items {
        tx.execute(
            "DELETE FROM cart_items WHERE user_id = $1 AND offer_id = $2",
            args![req.user_id, offer_id],
        )
        .await?;
    }
    Ok(())
}

//! Checkout in one transaction: re-check every line, price it, freeze the money on the
//! budget line, create one order per supplier, take the stock, flag split purchases, and
//! append each order to the audit log.
//!
//! On SQLite the transaction takes the write lock as it begins (`BEGIN IMMEDIATE`), so
//! concurrent checkouts queue instead of failing, and it runs on the direct writer
//! ([`crate::db::DirectWriter`]); on PostgreSQL the conditional UPDATEs serialise them on the
//! budget row. The statements are written once, over [`Sql`], for both.

use super::audit::Journal;
use super::budgets::LineMoney;
use super::lifecycle::{order_state, Timing};
use crate::db::{run_ready, Backend, Db, Sql};
use crate::{args, clock};
use emall_domain::audit::{Action, Actor, Change, Object, ObjectKind, State};
use emall_domain::purchase::{self, Draft, Line, PurchaseError, PurchaseRules};
use emall_domain::{Fen, PriceSchedule, Tier};

pub use emall_app::model::{PlacedOrder, Preview, PreviewOrder, Receipt};
use std::collections::{BTreeSet, HashMap};

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
    /// An offer that cannot be bought now, and why (`not_on_sale`, `not_in_city`, `stock`).
    Line {
        offer_id: i64,
        reason: &'static str,
    },
    Rule(PurchaseError),
    NoSuchBudgetLine,
    InsufficientBudget {
        available: Fen,
        needed: Fen,
    },
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
    let receipt = match place(tx, rules, timing, req, &mut journal).await? {
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
    journal.append(tx).await?;
    Ok(Outcome::Placed(receipt))
}

/// What the buyer's budget line has left now; `None` if the unit has no such line.
async fn available<S: Sql>(conn: &mut S, req: &Request<'_>) -> anyhow::Result<Option<Fen>> {
    let row: Option<(i64,)> = conn
        .fetch_optional(
            "SELECT amount_fen - frozen_fen - spent_fen FROM budget_lines WHERE id = $1 AND unit_id = $2",
            args![req.budget_line_id, req.unit_id],
        )
        .await?;
    Ok(row.map(|(left,)| Fen(left)))
}

/// What a checkout would be: the re-checked lines priced into one draft per supplier.
struct Priced {
    /// The unit's city and approval threshold.
    city: String,
    threshold: Fen,
    drafts: Vec<Draft>,
    needed: Fen,
    /// Promised delivery days per offer.
    delivery_days: HashMap<i64, i64>,
    /// Procurement category per offer (for the split-purchase check).
    categories: HashMap<i64, String>,
    /// The products bought: their stock changed, and the pages showing it.
    products: BTreeSet<i64>,
}

/// Re-reads and checks every line and prices the drafts; writes nothing.
async fn price<S: Sql>(
    conn: &mut S,
    rules: &PurchaseRules,
    req: &Request<'_>,
) -> anyhow::Result<Result<Priced, Refusal>> {
    if req.items.is_empty() {
        return Ok(Err(Refusal::Empty));
    }
    // A checkout is a dozen statements in the write transaction: each one saved counts. The
    // unit's city and threshold come with each offer; the budget line is read only by the
    // freeze, or when it refuses.
    let mut unit: Option<(String, i64)> = None;
    let mut lines = Vec::with_capacity(req.items.len());
    let mut delivery_days = HashMap::new();
    let mut categories = HashMap::new();
    let mut products = BTreeSet::new();
    for &(offer_id, quantity) in &req.items {
        let row: Option<OfferFacts> = conn
            .fetch_optional(
                concat!(
                    "SELECT o.supplier_id, o.price_fen, o.stock, o.status, s.status, \
                     (SELECT COUNT(*) FROM offer_cities oc WHERE oc.offer_id = o.id AND oc.city = u.city), o.delivery_days, \
                     p.category_code, (SELECT COUNT(*) FROM offer_tiers t WHERE t.offer_id = o.id), (",
                    crate::city_cap_sql!("unit_price_fen", "o.product_id", "u.city", "$3"),
                    "), (",
                    crate::city_cap_sql!("winner_supplier_id", "o.product_id", "u.city", "$3"),
                    "), u.city, u.approval_threshold_fen, o.product_id FROM offers o JOIN suppliers s ON s.id = o.supplier_id \
                     JOIN products p ON p.id = o.product_id JOIN purchasing_units u ON u.id = $2 WHERE o.id = $1"
                ),
                args![offer_id, req.unit_id, clock::now()],
            )
            .await?;
        let Some((
            supplier_id,
            price,
            stock,
            status,
            supplier_status,
            serves,
            days,
            category,
            tier_count,
            cap_price,
            cap_supplier,
            city,
            threshold,
            product,
        )) = row
        else {
            return Ok(Err(Refusal::Line {
                offer_id,
                reason: "not_on_sale",
            }));
        };
        unit = Some((city, threshold));
        if status != "on_sale" || supplier_status != "admitted" {
            return Ok(Err(Refusal::Line {
                offer_id,
                reason: "not_on_sale",
            }));
        }
        if serves == 0 {
            return Ok(Err(Refusal::Line {
                offer_id,
                reason: "not_in_city",
            }));
        }
        if stock < quantity {
            return Ok(Err(Refusal::Line {
                offer_id,
                reason: "stock",
            }));
        }
        delivery_days.insert(offer_id, days);
        categories.insert(offer_id, category);
        products.insert(product);
        let tiers: Vec<(i64, i64)> = if tier_count == 0 {
            Vec::new()
        } else {
            conn.fetch_all(
                "SELECT min_quantity, price_fen FROM offer_tiers WHERE offer_id = $1",
                args![offer_id],
            )
            .await?
        };
        let tiers = tiers
            .into_iter()
            .map(|(q, p)| Tier {
                min_quantity: q,
                price: Fen(p),
            })
            .collect();
        // Stored tiers were validated when written; a broken one falls back to the base price.
        let mut schedule = PriceSchedule::new(Fen(price), tiers)
            .or_else(|_| PriceSchedule::new(Fen(price), Vec::new()))
            .map_err(|e| anyhow::anyhow!("offer {offer_id}: {e}"))?;
        // 同城同质同价: a pool's price caps the product in the city. Its winner sells at no
        // more; another supplier's offer above it cannot be bought.
        if let (Some(cap), Some(winner)) = (cap_price.map(Fen), cap_supplier) {
            if supplier_id == winner {
                schedule = schedule.capped(cap);
            } else if schedule.unit_price(quantity) > cap {
                return Ok(Err(Refusal::Line {
                    offer_id,
                    reason: "above_cap",
                }));
            }
        }
        lines.push(Line {
            offer_id,
            supplier_id,
            quantity,
            schedule,
        });
    }
    let drafts = match purchase::drafts(&lines, rules) {
        Ok(d) => d,
        Err(e) => return Ok(Err(Refusal::Rule(e))),
    };
    let needed = drafts
        .iter()
        .try_fold(Fen::ZERO, |sum, d| sum.checked_add(d.total))
        .ok_or_else(|| anyhow::anyhow!("overflow"))?;
    let Some((city, threshold)) = unit else {
        return Ok(Err(Refusal::Empty));
    };
    Ok(Ok(Priced {
        city,
        threshold: Fen(threshold),
        drafts,
        needed,
        delivery_days,
        categories,
        products,
    }))
}

/// supplier, base price, stock, offer status, supplier status, serves the city (0/1),
/// delivery days, category, tier count, and the city's price cap on the product with the
/// supplier it is the winner's price of ([`crate::store::pools::city_cap`]), if one holds;
/// the unit's city and approval threshold; the offer's product
type OfferFacts = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    i64,
    i64,
);

/// What checking out would do, without doing it: the same checks and prices, and the
/// split-purchase warnings, so the buyer sees them before placing.
pub async fn preview(
    db: &Db,
    rules: &PurchaseRules,
    req: &Request<'_>,
) -> anyhow::Result<Result<Preview, Refusal>> {
    let mut conn = db.pool().acquire().await?;
    let Some(available) = available(&mut *conn, req).await? else {
        return Ok(Err(Refusal::NoSuchBudgetLine));
    };
    let priced = match price(&mut *conn, rules, req).await? {
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
    }))
}

/// A draft's amount per procurement category.
fn draft_categories(categories: &HashMap<i64, String>, draft: &Draft) -> Vec<(String, Fen)> {
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
async fn earlier_in_window<S: Sql>(
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

async fn place<S: Sql>(
    tx: &mut S,
    rules: &PurchaseRules,
    timing: &Timing,
    req: &Request<'_>,
    journal: &mut Journal,
) -> anyhow::Result<Result<Receipt, Refusal>> {
    let Priced {
        city,
        threshold,
        drafts,
        needed,
        delivery_days,
        categories,
        products,
    } = match price(tx, rules, req).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };

    // No overspend, ever: the freeze succeeds only if the money is there at this instant.
    let Some(line_after) =
        super::budgets::freeze(tx, req.budget_line_id, req.unit_id, needed).await?
    else {
        return Ok(Err(match available(tx, req).await? {
            Some(available) => Refusal::InsufficientBudget { available, needed },
            None => Refusal::NoSuchBudgetLine,
        }));
    };
    // Each order's entry moves its own total: the line as the orders before it left it.
    let mut line = line_after.before(needed, Fen::ZERO);
    let buyer = Actor::user(req.user_id, req.username);

    let now = clock::now();
    let mut orders = Vec::with_capacity(drafts.len());
    let mut warnings = Vec::new();
    for draft in &drafts {
        let pending = purchase::needs_approval(draft.total, threshold);
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
            .filter_map(|l| delivery_days.get(&l.0).copied())
            .max()
            .unwrap_or(7);
        let (order_id, order_no) = insert_order(
            tx,
            &NewOrder {
                unit_id: req.unit_id,
                buyer_id: req.user_id,
                supplier_id: draft.supplier_id,
                budget_line_id: req.budget_line_id,
                city: &city,
                status,
                total: draft.total,
                delivery_days: days,
                payment_terms_days: req.payment_terms_days,
                placed_at,
                confirm_by,
                pool_id: None,
                note: "",
            },
            now,
        )
        .await?;
        for &(offer_id, quantity, unit_price, line_total) in &draft.lines {
            let took = take_stock(tx, order_id, offer_id, quantity, unit_price, line_total).await?;
            if !took {
                return Ok(Err(Refusal::Line {
                    offer_id,
                    reason: "stock",
                }));
            }
        }
        let split = draft_categories(&categories, draft);
        warnings.extend(split_check(tx, rules, req.unit_id, order_id, draft, split, now).await?);
        let frozen = line.before(Fen(-draft.total.get()), Fen::ZERO);
        journal.push(placed(
            Action::Place,
            now,
            buyer.clone(),
            order_id,
            draft.total,
            order_state(order_id, status, draft.total, req.budget_line_id),
            [line, frozen],
        ));
        line = frozen;
        orders.push(PlacedOrder {
            id: order_id,
            order_no,
            supplier_id: draft.supplier_id,
            status: status.into(),
            total: draft.total,
        });
    }
    if req.from_cart {
        for &(offer_id, _) in &req.items {
            tx.execute(
                "DELETE FROM cart_items WHERE user_id = $1 AND offer_id = $2",
                args![req.user_id, offer_id],
            )
            .await?;
        }
    }
    // Stock changed: the products' listings follow within a second.
    super::outbox::record(tx, &super::outbox::Change::products(products)).await?;
    Ok(Ok(Receipt {
        orders,
        frozen: needed,
        warnings,
    }))
}

/// The audit entry of an order placed (at checkout, by a pool's award, by the demo seed):
/// the order as written and its budget line before and after (`lines`).
pub fn placed(
    action: Action,
    at: i64,
    actor: Actor,
    order_id: i64,
    total: Fen,
    order: State,
    lines: [LineMoney; 2],
) -> Change {
    let [before, after] = lines;
    Change::new(at, actor, Object::new(ObjectKind::Order, order_id), action)
        .related(Object::new(ObjectKind::BudgetLine, before.id))
        .amount(total)
        .before(&State::new().part("budget_line", before.state()))
        .after(
            &State::new()
                .part("order", order)
                .part("budget_line", after.state()),
        )
}

/// An order about to be written; its lines follow.
pub struct NewOrder<'a> {
    pub unit_id: i64,
    pub buyer_id: i64,
    pub supplier_id: i64,
    pub budget_line_id: i64,
    pub city: &'a str,
    pub status: &'a str,
    pub total: Fen,
    pub delivery_days: i64,
    pub payment_terms_days: i64,
    /// Placed now (the supplier's confirmation clock starts), or after approval.
    pub placed_at: Option<i64>,
    pub confirm_by: Option<i64>,
    /// The joint-purchase pool whose award this order is.
    pub pool_id: Option<i64>,
    /// On the order's first event.
    pub note: &'a str,
}

/// The columns of a new order, after its id and number; `$1` is the day for its number.
macro_rules! order_insert {
    ($with:literal, $number:literal, $from:literal) => {
        concat!(
            $with,
            "INSERT INTO orders (id, order_no, unit_id, buyer_id, supplier_id, budget_line_id, city, status, \
             total_fen, created_at, updated_at, delivery_days, payment_terms_days, placed_at, confirm_by, pool_id) \
             SELECT n.id, 'EM' || $1 || ",
            $number,
            ", $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14 FROM ",
            $from,
        )
    };
}

/// PostgreSQL: the order, numbered from its id, and its first event in one statement.
const INSERT_ORDER_PG: &str = concat!(
    order_insert!(
        "WITH n AS (SELECT nextval(pg_get_serial_sequence('orders', 'id')) AS id), o AS (",
        "lpad(n.id::text, greatest(7, length(n.id::text)), '0')",
        "n RETURNING id, order_no), "
    ),
    "e AS (INSERT INTO order_events (order_id, action, status, user_id, note, at) \
     SELECT id, 'place', $7, $3, $15, $9 FROM o) SELECT id, order_no FROM o"
);

/// SQLite (one writer at a time): the order, numbered from the id it will get.
const INSERT_ORDER_SQLITE: &str = order_insert!(
    "",
    "printf('%07d', n.id)",
    "(SELECT COALESCE(MAX(id), 0) + 1 AS id FROM orders) n RETURNING id, order_no"
);

/// Writes an order with its first event and its number (EM + day + id, at least seven
/// digits); returns both. The money is already frozen by the caller, in the same
/// transaction.
pub async fn insert_order<S: Sql>(
    tx: &mut S,
    o: &NewOrder<'_>,
    now: i64,
) -> anyhow::Result<(i64, String)> {
    let day = clock::rfc3339(now)[..10].replace('-', "");
    let postgres = tx.backend() == Backend::Postgres;
    let sql = if postgres {
        INSERT_ORDER_PG
    } else {
        INSERT_ORDER_SQLITE
    };
    let all = args![
        &day,
        o.unit_id,
        o.buyer_id,
        o.supplier_id,
        o.budget_line_id,
        o.city,
        o.status,
        o.total.get(),
        now,
        o.delivery_days,
        o.payment_terms_days,
        o.placed_at,
        o.confirm_by,
        o.pool_id,
        o.note,
    ];
    // SQLite writes the event apart, and binds no note here.
    let bound = if postgres { all } else { &all[..14] };
    let (order_id, order_no): (i64, String) = tx.fetch_one(sql, bound).await?;
    if !postgres {
        tx.execute(
            "INSERT INTO order_events (order_id, action, status, user_id, note, at) VALUES ($1, 'place', $2, $3, $4, $5)",
            args![order_id, o.status, o.buyer_id, o.note, now],
        )
        .await?;
    }
    Ok((order_id, order_no))
}

/// Takes `quantity` from the offer's stock if it has that much and writes the order's line
/// for it; false (nothing written) when the stock ran short. One statement on PostgreSQL.
async fn take_stock<S: Sql>(
    tx: &mut S,
    order_id: i64,
    offer_id: i64,
    quantity: i64,
    unit_price: Fen,
    line_total: Fen,
) -> anyhow::Result<bool> {
    macro_rules! take {
        () => {
            "UPDATE offers SET stock = stock - $1 WHERE id = $2 AND stock >= $1"
        };
    }
    macro_rules! item_line {
        () => {
            "INSERT INTO order_items (order_id, offer_id, product_id, title, unit, quantity, \
             unit_price_fen, line_total_fen) SELECT $3, o.id, p.id, p.title, p.unit, $1, $4, $5"
        };
    }
    let args = args![
        quantity,
        offer_id,
        order_id,
        unit_price.get(),
        line_total.get()
    ];
    if tx.backend() == Backend::Postgres {
        let written = tx
            .execute(
                concat!(
                    "WITH o AS (",
                    take!(),
                    " RETURNING id, product_id) ",
                    item_line!(),
                    " FROM o JOIN products p ON p.id = o.product_id"
                ),
                args,
            )
            .await?;
        return Ok(written == 1);
    }
    if tx.execute(take!(), &args[..2]).await? == 0 {
        return Ok(false);
    }
    tx.execute(
        concat!(
            item_line!(),
            " FROM offers o JOIN products p ON p.id = o.product_id WHERE o.id = $2"
        ),
        args,
    )
    .await?;
    Ok(true)
}

/// Writes `order_categories` for the live orders with ids from `first` to `last`, once their
/// items are written: at checkout, at a pool's award, after seeding.
pub async fn record_categories<S: Sql>(tx: &mut S, first: i64, last: i64) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO order_categories (unit_id, category_code, created_at, order_id, amount_fen) \
         SELECT o.unit_id, p.category_code, o.created_at, o.id, SUM(i.line_total_fen) \
         FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id \
         WHERE o.id BETWEEN $1 AND $2 AND o.status NOT IN ('cancelled', 'rejected') \
         GROUP BY o.id, o.unit_id, o.created_at, p.category_code",
        args![first, last],
    )
    .await?;
    Ok(())
}

/// 拆分采购: records the new order's amount per category in `order_categories` and, in the
/// same statement, sums the unit's other live orders in that category within the window;
/// over the cap together leaves an alert and a warning.
async fn split_check<S: Sql>(
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

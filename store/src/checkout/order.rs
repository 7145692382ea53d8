//! Writing an order: its row and first event, its lines with the stock they take, its
//! categories for the split-purchase check, and its audit entry.

use super::super::budgets::LineMoney;
use crate::db::{Backend, Sql};
use crate::{args, clock};
use emall_domain::audit::{Action, Actor, Change, Object, ObjectKind, State};
use emall_domain::Fen;

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
/// for it; the stock left, or `None` (nothing written) when the stock ran short. One
/// statement on PostgreSQL.
pub(super) async fn take_stock<S: Sql>(
    tx: &mut S,
    order_id: i64,
    offer_id: i64,
    quantity: i64,
    unit_price: Fen,
    line_total: Fen,
) -> anyhow::Result<Option<i64>> {
    macro_rules! take {
        () => {
            "UPDATE offers SET stock = stock - $1 WHERE id = $2 AND stock >= $1 RETURNING "
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
        let left: Option<(i64,)> = tx
            .fetch_optional(
                concat!(
                    "WITH o AS (",
                    take!(),
                    "id, product_id, stock) ",
                    item_line!(),
                    " FROM o JOIN products p ON p.id = o.product_id RETURNING (SELECT stock FROM o)"
                ),
                args,
            )
            .await?;
        return Ok(left.map(|(stock,)| stock));
    }
    let Some((left,)) = tx
        .fetch_optional::<(i64,)>(concat!(take!(), "stock"), &args[..2])
        .await?
    else {
        return Ok(None);
    };
    tx.execute(
        concat!(
            item_line!(),
            " FROM offers o JOIN products p ON p.id = o.product_id WHERE o.id = $2"
        ),
        args,
    )
    .await?;
    Ok(Some(left))
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

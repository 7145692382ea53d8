//! The demo's twelve months of trading: orders drawn from the live offers of each unit's
//! city and paid from its budget lines, each written as checkout writes one and walked
//! through its lifecycle to the status its age gives it.

use super::super::insert::{self, V};
use super::super::rng::Rng;
use super::super::ProductSeed;
use super::{Budget, Offer, Supplier, Unit, DAY, ORDERS, ORDER_CAP_FEN};
use crate::audit::Journal;
use crate::clock;
use crate::lifecycle::Timing;
use crate::{budgets, checkout, lifecycle};
use emall_domain::audit::{Action, Actor};
use emall_domain::Fen;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// Adds up to [`ORDERS`] orders over the past year; returns how many were written.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_orders(
    tx: &mut Transaction<'_, Any>,
    units: &[Unit],
    suppliers: &[Supplier],
    budgets: &mut [Budget],
    offers: &[Offer],
    products: &[ProductSeed],
    product_ids: &[i64],
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<usize> {
    let trading = Trading::new(units, suppliers, offers, products, product_ids, now);
    let mut seq_per_day: HashMap<String, u32> = HashMap::new();
    // History has a generator of its own so the choice of orders stays as it was.
    let mut history_rng = Rng::new(2612);
    let mut written = 0;
    let mut attempts = 0;
    // Every order's entries, appended once the history is written (one head update).
    let mut journal = Journal::new();
    while written < ORDERS && attempts < ORDERS * 4 {
        attempts += 1;
        let Some(drawn) = trading.draw(rng, budgets) else {
            continue;
        };
        let total = drawn.total;
        let budget = &mut budgets[drawn.budget];
        match drawn.status {
            "paid" => budget.spent += total,
            "cancelled" => {}
            _ => budget.frozen += total,
        }
        let mut created = drawn.created;
        if drawn.status == "placed" {
            // Still waiting for the supplier: within the confirmation deadline.
            created = now - history_rng.range(600, 20 * 3600);
        }
        let order_no = order_no(&mut seq_per_day, created);
        let order_id = trading
            .write(tx, &drawn, budget.id, created, &order_no, &mut journal)
            .await?;
        trading
            .replay(
                tx,
                &drawn,
                order_id,
                created,
                &mut history_rng,
                &mut journal,
            )
            .await?;
        written += 1;
    }
    journal.append(&mut **tx).await?;
    Ok(written)
}

/// The demo's order number: EM, the day it was placed, its place in that day.
fn order_no(seq_per_day: &mut HashMap<String, u32>, created: i64) -> String {
    let day = clock::rfc3339(created)[..10].replace('-', "");
    let seq = seq_per_day.entry(day.clone()).or_insert(0);
    *seq += 1;
    format!("EM{day}{:05}", *seq)
}

/// What the demo's orders are drawn from: the parties, the live offers of each city (and of
/// each supplier in it), and the working-day calendar of the confirmation deadline.
struct Trading<'a> {
    units: &'a [Unit],
    suppliers: &'a [Supplier],
    offers: &'a [Offer],
    products: &'a [ProductSeed],
    product_ids: &'a [i64],
    by_city: HashMap<&'a str, Vec<usize>>,
    by_supplier_city: HashMap<(usize, &'a str), Vec<usize>>,
    timing: Timing,
    now: i64,
}

/// An order as drawn, before it is written.
struct Drawn {
    unit: usize,
    /// The offer drawn first; its supplier's other offers in the city may join it.
    first: usize,
    supplier: usize,
    /// (offer, quantity)
    items: Vec<(usize, i64)>,
    total: i64,
    created: i64,
    budget: usize,
    /// The status the order's age gives it.
    status: &'static str,
    /// At or above the unit's approval threshold.
    pending: bool,
    delivery_days: i64,
}

impl<'a> Trading<'a> {
    /// Indexes the live offers by city, and by supplier and city.
    fn new(
        units: &'a [Unit],
        suppliers: &'a [Supplier],
        offers: &'a [Offer],
        products: &'a [ProductSeed],
        product_ids: &'a [i64],
        now: i64,
    ) -> Trading<'a> {
        let live: Vec<usize> = (0..offers.len()).filter(|&o| offers[o].live).collect();
        let mut by_city: HashMap<&str, Vec<usize>> = HashMap::new();
        for &o in &live {
            for c in &offers[o].cities {
                by_city.entry(c.as_str()).or_default().push(o);
            }
        }
        let mut by_supplier_city: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        for &o in &live {
            for c in &offers[o].cities {
                by_supplier_city
                    .entry((offers[o].supplier, c.as_str()))
                    .or_default()
                    .push(o);
            }
        }
        Trading {
            units,
            suppliers,
            offers,
            products,
            product_ids,
            by_city,
            by_supplier_city,
            timing: Timing {
                calendar: std::sync::Arc::new(emall_domain::calendar::WorkCalendar::china()),
                confirm_working_days: 2,
            },
            now,
        }
    }

    /// Draws an order: a unit, an offer of its city and up to two more of the same
    /// supplier, the quantities, a moment in the past year, a budget line of that year with
    /// the money left, and the status its age gives it. `None` when the draw cannot be an
    /// order (no offers in the city, over the cap, no budget line left).
    fn draw(&self, rng: &mut Rng, budgets: &[Budget]) -> Option<Drawn> {
        let (units, offers, now) = (self.units, self.offers, self.now);
        let ui = rng.range(0, units.len() as i64 - 1) as usize;
        let unit = &units[ui];
        let city_offers = self.by_city.get(unit.city.as_str())?;
        let first = *rng.pick(city_offers);
        let supplier = offers[first].supplier;
        let same_supplier = &self.by_supplier_city[&(supplier, unit.city.as_str())];
        let mut lines = vec![first];
        for _ in 0..rng.range(0, 2) {
            let o = *rng.pick(same_supplier);
            if !lines.contains(&o) {
                lines.push(o);
            }
        }
        let items: Vec<(usize, i64)> = lines
            .iter()
            .map(|&o| {
                let price = offers[o].price;
                let qty = match price {
                    p if p < 10_000 => rng.range(5, 60),
                    p if p < 100_000 => rng.range(1, 12),
                    _ => rng.range(1, 3),
                };
                (o, qty)
            })
            .collect();
        let total: i64 = items.iter().map(|(o, q)| offers[*o].price * q).sum();
        if total > ORDER_CAP_FEN {
            return None;
        }
        let created = now - rng.range(3600, 364 * DAY);
        let age_days = (now - created) / DAY;
        let year = clock::year_of(created);
        let bi = budgets
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                b.unit == ui && b.year == year && b.amount - b.frozen - b.spent >= total
            })
            .max_by_key(|(_, b)| b.amount - b.frozen - b.spent)
            .map(|(i, _)| i)?;
        let status = match age_days {
            d if d > 60 => {
                if rng.chance(5) {
                    "cancelled"
                } else {
                    "paid"
                }
            }
            d if d > 30 => *rng.pick(&["paid", "paid", "invoiced", "accepted"]),
            d if d > 10 => *rng.pick(&["paid", "invoiced", "accepted", "delivered", "shipped"]),
            _ if total >= unit.threshold => "pending_approval",
            _ => *rng.pick(&["placed", "confirmed", "shipped", "delivered", "accepted"]),
        };
        let delivery_days = lines
            .iter()
            .map(|&o| offers[o].delivery_days)
            .max()
            .unwrap_or(3);
        Some(Drawn {
            unit: ui,
            first,
            supplier,
            items,
            total,
            created,
            budget: bi,
            status,
            pending: total >= unit.threshold,
            delivery_days,
        })
    }

    /// Writes the order as checkout does: the order, the money frozen on its budget line,
    /// its first event, its items and categories; its audit entry into `journal`.
    async fn write(
        &self,
        tx: &mut Transaction<'_, Any>,
        drawn: &Drawn,
        budget_id: i64,
        created: i64,
        order_no: &str,
        journal: &mut Journal,
    ) -> anyhow::Result<i64> {
        let (offers, products, product_ids) = (self.offers, self.products, self.product_ids);
        let Drawn {
            first,
            total,
            pending,
            delivery_days,
            ref items,
            ..
        } = *drawn;
        let unit = &self.units[drawn.unit];
        let (initial, placed_at, confirm_by) = if pending {
            ("pending_approval", None, None)
        } else {
            (
                "placed",
                Some(created),
                Some(self.timing.confirm_by(created)),
            )
        };
        let (order_id,): (i64,) = sqlx::query_as(
            "INSERT INTO orders (order_no, unit_id, buyer_id, supplier_id, budget_line_id, city, status, \
             total_fen, created_at, updated_at, delivery_days, placed_at, confirm_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) RETURNING id",
        )
        .bind(order_no)
        .bind(unit.id)
        .bind(unit.buyer)
        .bind(offers[first].supplier_id)
        .bind(budget_id)
        .bind(&unit.city)
        .bind(initial)
        .bind(total)
        .bind(created)
        .bind(delivery_days)
        .bind(placed_at)
        .bind(confirm_by)
        .fetch_one(&mut **tx)
        .await?;
        // As checkout does: the money is frozen, then the history moves it.
        let line = budgets::freeze(&mut **tx, budget_id, unit.id, Fen(total))
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo order {order_id}: the budget line ran out"))?;
        journal.push(checkout::placed(
            Action::Place,
            created,
            Actor::user(unit.buyer, &unit.buyer_name),
            order_id,
            Fen(total),
            lifecycle::order_state(order_id, initial, Fen(total), budget_id),
            [line.before(Fen(total), Fen::ZERO), line],
        ));
        sqlx::query("INSERT INTO order_events (order_id, action, status, user_id, note, at) VALUES ($1, 'place', $2, $3, '', $4)")
            .bind(order_id)
            .bind(initial)
            .bind(unit.buyer)
            .bind(created)
            .execute(&mut **tx)
            .await?;
        insert::rows(
            tx,
            "order_items",
            &[
                "order_id",
                "offer_id",
                "product_id",
                "title",
                "unit",
                "quantity",
                "unit_price_fen",
                "line_total_fen",
            ],
            items.iter().map(|&(o, qty)| {
                let offer = &offers[o];
                let product = &products[offer.product];
                vec![
                    V::I(order_id),
                    V::I(offer.id),
                    V::I(product_ids[offer.product]),
                    V::from(product.title.as_str()),
                    V::from(product.unit.as_str()),
                    V::I(qty),
                    V::I(offer.price),
                    V::I(offer.price * qty),
                ]
            }),
        )
        .await?;
        checkout::record_categories(&mut **tx, order_id, order_id).await?;
        Ok(order_id)
    }

    /// Walks the written order through its lifecycle to its drawn status, at plausible past
    /// moments.
    async fn replay(
        &self,
        tx: &mut Transaction<'_, Any>,
        drawn: &Drawn,
        order_id: i64,
        created: i64,
        history_rng: &mut Rng,
        journal: &mut Journal,
    ) -> anyhow::Result<()> {
        let unit = &self.units[drawn.unit];
        let supplier = &self.suppliers[drawn.supplier];
        let order = super::super::history::Order {
            id: order_id,
            unit_id: unit.id,
            buyer: (unit.buyer, &unit.buyer_name),
            approver: (unit.approver, &unit.approver_name),
            supplier_id: supplier.id,
            supplier_user: (supplier.user, &supplier.username),
            created,
            delivery_days: drawn.delivery_days,
            needs_approval: drawn.pending,
            // Every fifth supplier is a less reliable one, so scores differ.
            reliable: supplier.id % 5 != 0,
        };
        super::super::history::replay(
            tx,
            &self.timing,
            &order,
            drawn.status,
            self.now,
            history_rng,
            journal,
        )
        .await?;
        Ok(())
    }
}

//! A buyer's cart: offers and quantities, kept until checkout.

use crate::clock;
use crate::db::Db;
use emall_domain::purchase::line_quantity_ok;
use emall_domain::Fen;

pub use emall_model::CartLine;

pub async fn lines(db: &Db, user_id: i64) -> sqlx::Result<Vec<CartLine>> {
    let rows: Vec<(i64, i64, String, String, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT c.offer_id, p.id, p.title, p.unit, s.id, s.name, o.price_fen, c.quantity FROM cart_items c \
         JOIN offers o ON o.id = c.offer_id JOIN products p ON p.id = o.product_id \
         JOIN suppliers s ON s.id = o.supplier_id WHERE c.user_id = $1 ORDER BY s.id, c.added_at",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(offer_id, product_id, title, unit, supplier_id, supplier_name, price, quantity)| {
                CartLine {
                    offer_id,
                    product_id,
                    title,
                    unit,
                    supplier_id,
                    supplier_name,
                    price: Fen(price),
                    quantity,
                }
            },
        )
        .collect())
}

/// Sets the quantity of an offer in the cart (adding it if absent). `false` if the offer is
/// not on sale.
pub async fn put(db: &Db, user_id: i64, offer_id: i64, quantity: i64) -> sqlx::Result<bool> {
    let live: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM offers WHERE id = $1 AND status = 'on_sale'")
            .bind(offer_id)
            .fetch_optional(db.pool())
            .await?;
    if live.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO cart_items (user_id, offer_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, offer_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(user_id)
    .bind(offer_id)
    .bind(quantity)
    .bind(clock::now())
    .execute(db.pool())
    .await?;
    Ok(true)
}

/// What adding to the cart did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    /// The line would hold more than one line may: nothing changed.
    TooMany,
    NotOnSale,
}

/// Adds `quantity` of an offer to the cart, to what the line already holds.
pub async fn add(db: &Db, user_id: i64, offer_id: i64, quantity: i64) -> sqlx::Result<Added> {
    let held: Option<(i64,)> =
        sqlx::query_as("SELECT quantity FROM cart_items WHERE user_id = $1 AND offer_id = $2")
            .bind(user_id)
            .bind(offer_id)
            .fetch_optional(db.pool())
            .await?;
    let total = held.map_or(0, |(q,)| q).saturating_add(quantity);
    if !line_quantity_ok(total) {
        return Ok(Added::TooMany);
    }
    Ok(match put(db, user_id, offer_id, total).await? {
        true => Added::Added,
        false => Added::NotOnSale,
    })
}

/// Sets the quantity of a line already in the cart; `false` if there is no such line.
pub async fn update(db: &Db, user_id: i64, offer_id: i64, quantity: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE cart_items SET quantity = $1 WHERE user_id = $2 AND offer_id = $3")
            .bind(quantity)
            .bind(user_id)
            .bind(offer_id)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn remove(db: &Db, user_id: i64, offer_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND offer_id = $2")
        .bind(user_id)
        .bind(offer_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// An offer as the "add to cart" page names it: product, supplier, list price, stock.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferToAdd {
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub supplier_name: String,
    pub price: Fen,
    pub stock: i64,
}

/// The offer, if it is on sale by an admitted supplier.
pub async fn offer_to_add(db: &Db, offer_id: i64) -> sqlx::Result<Option<OfferToAdd>> {
    let row: Option<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, p.unit, s.name, o.price_fen, o.stock FROM offers o \
         JOIN products p ON p.id = o.product_id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.id = $1 AND o.status = 'on_sale' AND s.status = 'admitted'",
    )
    .bind(offer_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(
        |(product_id, title, unit, supplier_name, price, stock)| OfferToAdd {
            offer_id,
            product_id,
            title,
            unit,
            supplier_name,
            price: Fen(price),
            stock,
        },
    ))
}

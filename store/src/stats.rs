use crate::db::Db;
use emall_model::MallStats;

pub async fn mall(db: &Db) -> sqlx::Result<MallStats> {
    let (products, suppliers, units, live_offers): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM products), \
                (SELECT COUNT(*) FROM suppliers WHERE status = 'admitted'), \
                (SELECT COUNT(*) FROM purchasing_units), \
                (SELECT COUNT(*) FROM offers WHERE status = 'on_sale')",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(MallStats {
        products,
        suppliers,
        units,
        live_offers,
    })
}

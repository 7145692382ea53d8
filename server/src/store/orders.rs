use crate::auth::Tenant;
use crate::clock;
use crate::db::Db;
use emall_app::model::OrderRow;
use emall_domain::Fen;

/// Which orders a list shows; built from the viewer's tenant, so it cannot be widened.
#[derive(Debug, Clone, Copy)]
pub enum OrderScope {
    Unit(i64),
    Supplier(i64),
    All,
}

impl From<Tenant> for OrderScope {
    fn from(t: Tenant) -> Self {
        match t {
            Tenant::Unit(id) => OrderScope::Unit(id),
            Tenant::Supplier(id) => OrderScope::Supplier(id),
            Tenant::Bureau => OrderScope::All,
        }
    }
}

const ORDER_ROW: &str = "SELECT o.id, o.order_no, o.created_at, pu.name, s.name, o.status, o.total_fen \
     FROM orders o JOIN purchasing_units pu ON pu.id = o.unit_id JOIN suppliers s ON s.id = o.supplier_id";

type RawOrder = (i64, String, i64, String, String, String, i64);

fn to_row(
    (id, order_no, created_at, unit_name, supplier_name, status, total): RawOrder,
) -> OrderRow {
    OrderRow {
        id,
        order_no,
        created_at: clock::rfc3339(created_at),
        unit_name,
        supplier_name,
        status,
        total: Fen(total),
    }
}

/// Orders in scope, newest first. `open_only` keeps those the supplier still has to act on.
pub async fn list(
    db: &Db,
    scope: OrderScope,
    open_only: bool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<OrderRow>> {
    let (filter, id) = match scope {
        OrderScope::Unit(id) => ("o.unit_id = $1", id),
        OrderScope::Supplier(id) => ("o.supplier_id = $1", id),
        OrderScope::All => ("$1 = $1", 0),
    };
    let open = if open_only {
        " AND o.status IN ('placed', 'confirmed', 'shipped')"
    } else {
        ""
    };
    let sql = format!(
        "{ORDER_ROW} WHERE {filter}{open} ORDER BY o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3"
    );
    let rows: Vec<RawOrder> = sqlx::query_as(&sql)
        .bind(id)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(to_row).collect())
}

/// One order with the ids that decide who may see it.
pub async fn get(db: &Db, order_id: i64) -> sqlx::Result<Option<(OrderRow, i64, i64)>> {
    let sql = "SELECT o.id, o.order_no, o.created_at, pu.name, s.name, o.status, o.total_fen, \
         o.unit_id, o.supplier_id FROM orders o JOIN purchasing_units pu ON pu.id = o.unit_id \
         JOIN suppliers s ON s.id = o.supplier_id WHERE o.id = $1"
        .to_string();
    let row: Option<(i64, String, i64, String, String, String, i64, i64, i64)> =
        sqlx::query_as(&sql)
            .bind(order_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(
        row.map(|(id, no, at, un, sn, st, total, unit_id, supplier_id)| {
            (
                to_row((id, no, at, un, sn, st, total)),
                unit_id,
                supplier_id,
            )
        }),
    )
}

//! 订单中心: a party's orders by tab (where they stand), found by order number, product or
//! counterparty, a page at a time, with each tab's count.

use crate::db::{Built, Db};
use crate::orders::OrderScope;
use emall_domain::lifecycle::Status;
use emall_domain::stage::Stage;
use emall_model::OrderRow;
use sqlx::Row;

/// Orders of one page, newest first, and how many match in all.
pub struct Found {
    pub rows: Vec<OrderRow>,
    pub matching: i64,
}

/// What the centre asks for.
pub struct Asked<'a> {
    pub scope: OrderScope,
    pub stage: Option<Stage>,
    /// Words of an order number, a product's title or the other party's name; empty for all.
    pub search: &'a str,
    pub limit: i64,
    pub offset: i64,
}

/// `sql` narrowed to the orders of the scope's party, after ` AND `.
fn scoped(sql: &mut Built, scope: OrderScope) {
    match scope {
        OrderScope::Unit(id) => {
            sql.push(" AND o.unit_id = ").push_value(id);
        }
        OrderScope::Supplier(id) => {
            sql.push(" AND o.supplier_id = ").push_value(id);
        }
        OrderScope::All => {}
    }
}

/// `sql` narrowed to the scope, the tab and the search, each condition after ` AND `.
fn narrow(sql: &mut Built, asked: &Asked<'_>) {
    scoped(sql, asked.scope);
    if let Some(stage) = asked.stage {
        sql.push(" AND o.status IN (");
        for (i, status) in stage.statuses().into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push_value(status.as_str());
        }
        sql.push(")");
    }
    for word in asked.search.split_whitespace().take(5) {
        // A word is a pattern's literal text: its wildcards are escaped, not stripped.
        let pattern = format!(
            "%{}%",
            word.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = |sql: &mut Built, column: &str| {
            sql.push("LOWER(")
                .push(column)
                .push(") LIKE ")
                .push_value(pattern.as_str())
                .push(" ESCAPE '\\'");
        };
        sql.push(" AND (");
        like(sql, "o.order_no");
        sql.push(" OR ");
        like(sql, "pu.name");
        sql.push(" OR ");
        like(sql, "s.name");
        sql.push(" OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND ");
        like(sql, "i.title");
        sql.push("))");
    }
}

const FROM: &str = " FROM orders o JOIN purchasing_units pu ON pu.id = o.unit_id \
     JOIN suppliers s ON s.id = o.supplier_id WHERE 1 = 1";

/// One page of the orders asked for.
pub async fn find(db: &Db, asked: &Asked<'_>) -> sqlx::Result<Found> {
    let mut count = Built::new("SELECT COUNT(*)");
    count.push(FROM);
    narrow(&mut count, asked);
    let matching: i64 = count.query().fetch_one(db.pool()).await?.try_get(0)?;
    let mut page = Built::new(crate::orders::ORDER_COLUMNS);
    page.push(FROM);
    narrow(&mut page, asked);
    page.push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ")
        .push_value(asked.limit)
        .push(" OFFSET ")
        .push_value(asked.offset);
    let rows = page
        .query_as::<crate::orders::RawOrder>()
        .fetch_all(db.pool())
        .await?;
    Ok(Found {
        rows: rows.into_iter().map(crate::orders::to_row).collect(),
        matching,
    })
}

/// How many orders of the scope stand under each tab (every tab, zeros included).
pub async fn counts(db: &Db, scope: OrderScope) -> sqlx::Result<Vec<(Stage, i64)>> {
    let mut sql = Built::new("SELECT o.status, COUNT(*) FROM orders o WHERE 1 = 1");
    scoped(&mut sql, scope);
    sql.push(" GROUP BY o.status");
    let rows: Vec<(String, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    let mut counts: Vec<(Stage, i64)> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
    for (status, n) in rows {
        let Some(status) = Status::parse(&status) else {
            continue;
        };
        if let Some(c) = counts.iter_mut().find(|(s, _)| *s == Stage::of(status)) {
            c.1 += n;
        }
    }
    Ok(counts)
}

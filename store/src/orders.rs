use crate::clock;
use crate::db::Db;
use crate::users::Tenant;
use emall_domain::budget::EconClass;
use emall_domain::Fen;
use emall_model::{OrderDetail, OrderEventView, OrderRow};

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

macro_rules! order_columns {
    () => {
        "SELECT o.id, o.order_no, o.created_at, pu.name, s.name, o.status, o.total_fen"
    };
}

/// The columns of an [`OrderRow`], over `orders o`, `purchasing_units pu` and `suppliers s`.
pub(crate) const ORDER_COLUMNS: &str = order_columns!();

const ORDER_ROW: &str = concat!(
    order_columns!(),
    " FROM orders o JOIN purchasing_units pu ON pu.id = o.unit_id JOIN suppliers s ON s.id = o.supplier_id"
);

pub(crate) type RawOrder = (i64, String, i64, String, String, String, i64);

pub(crate) fn to_row(
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

/// Which of the orders in scope a list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFilter {
    All,
    /// Those the supplier still has to act on.
    SupplierOpen,
    /// Those waiting for the unit's approver.
    AwaitingApproval,
}

/// Orders in scope, newest first.
pub async fn list(
    db: &Db,
    scope: OrderScope,
    which: OrderFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<OrderRow>> {
    let (filter, id) = match scope {
        OrderScope::Unit(id) => ("o.unit_id = $1", id),
        OrderScope::Supplier(id) => ("o.supplier_id = $1", id),
        OrderScope::All => ("$1 = $1", 0),
    };
    let open = match which {
        OrderFilter::All => "",
        OrderFilter::SupplierOpen => " AND o.status IN ('placed', 'confirmed', 'shipped')",
        OrderFilter::AwaitingApproval => " AND o.status = 'pending_approval'",
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

crate::named_row! {
    /// An order's terms, parties, deadlines, inspection and invoice.
    struct DetailRow {
        delivery_days: i64,
        terms: i64,
        buyer_name: String,
        budget_code: String,
        budget_purpose: String,
        budget_class: EconClass,
        city_name: String,
        confirm_by: Option<i64>,
        confirmed_at: Option<i64>,
        payment_due: Option<i64>,
        rating: Option<i64>,
        /// 0/1
        overdue: i64,
        notes: String,
        invoice_no: Option<String>,
        invoice_fen: Option<i64>,
        carrier: Option<String>,
        tracking_no: Option<String>,
    }
}

/// Everything about one order (see [`OrderDetail`]); access is the caller's to check with
/// `unit_id` and `supplier_id`.
pub async fn detail(db: &Db, order_id: i64) -> sqlx::Result<Option<OrderDetail>> {
    let Some((order, unit_id, supplier_id)) = get(db, order_id).await? else {
        return Ok(None);
    };
    let DetailRow {
        delivery_days,
        terms,
        buyer_name,
        budget_code,
        budget_purpose,
        budget_class,
        city_name,
        confirm_by,
        confirmed_at,
        payment_due,
        rating,
        overdue,
        notes,
        invoice_no,
        invoice_fen,
        carrier,
        tracking_no,
    } = sqlx::query_as(
            "SELECT o.delivery_days, o.payment_terms_days, u.display_name, b.code, b.purpose, b.econ_class, r.name, \
             o.confirm_by, o.confirmed_at, o.payment_due_at, o.rating, o.payment_overdue, \
             o.inspection_notes, o.invoice_no, o.invoice_fen, o.carrier, o.tracking_no \
             FROM orders o JOIN users u ON u.id = o.buyer_id JOIN budget_lines b ON b.id = o.budget_line_id \
             JOIN regions r ON r.code = o.city WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_one(db.pool())
        .await?;
    let contract: Option<(String,)> =
        sqlx::query_as("SELECT sha256 FROM contracts WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(db.pool())
            .await?;
    let events: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT e.action, e.status, u.display_name, e.note, e.at FROM order_events e \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.order_id = $1 ORDER BY e.at, e.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let bought: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT p.category_code, i.unit_price_fen, i.line_total_fen FROM order_items i \
         JOIN products p ON p.id = i.product_id WHERE i.order_id = $1",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let goods_class = EconClass::of_lines(
        bought
            .iter()
            .map(|(category, price, total)| (category.as_str(), Fen(*price), Fen(*total))),
    );
    let open = ["placed", "confirmed", "shipped"];
    let pending_payment = ["accepted", "invoiced"];
    Ok(Some(OrderDetail {
        unit_id,
        supplier_id,
        buyer_name,
        budget_line: format!("{budget_code} {budget_purpose}"),
        budget_class,
        goods_class,
        city_name,
        items: super::contracts::items(db.pool(), order_id).await?,
        delivery_days,
        payment_terms_days: terms,
        confirm_by: confirm_by
            .filter(|_| order.status == "placed")
            .map(clock::rfc3339),
        delivery_due: confirmed_at
            .filter(|_| open.contains(&order.status.as_str()))
            .map(|c| clock::rfc3339(c + delivery_days * 86_400)),
        payment_due: payment_due.map(clock::rfc3339),
        payment_overdue: overdue == 1 && pending_payment.contains(&order.status.as_str()),
        rating,
        inspection_notes: notes,
        invoice_no,
        invoice_amount: invoice_fen.map(Fen),
        carrier: carrier.filter(|c| !c.is_empty()),
        tracking_no: tracking_no.filter(|t| !t.is_empty()),
        contract_sha256: contract.map(|(h,)| h),
        events: events
            .into_iter()
            .map(|(action, status, by, note, at)| OrderEventView {
                action,
                status,
                by: by.unwrap_or_default(),
                note,
                at: clock::rfc3339(at),
            })
            .collect(),
        complaints: super::complaints::of_order(db, order_id).await?,
        order,
    }))
}

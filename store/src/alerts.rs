//! Red flags: the facts each rule of `domain::redflags` reads, loaded from the database,
//! and the findings written back as alerts (upserted by their key, so a scan can run on
//! every node, as often as wanted); the regulator's triage.

use crate::db::{stored, Db};
use emall_domain::redflags::{
    self, ConfirmFact, Finding, OfferFact, OrderFact, PaymentFact, PoolClose, PriceChange,
    SupplierContact, Thresholds,
};
use emall_domain::Fen;
use std::collections::HashMap;

const DAY: i64 = 86_400;

/// Orders that went ahead (not cancelled or refused), one fact per order and category,
/// since `since`.
async fn order_facts(db: &Db, since: i64) -> sqlx::Result<Vec<OrderFact>> {
    let rows: Vec<(i64, i64, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT o.id, o.unit_id, o.supplier_id, p.category_code, CAST(SUM(i.line_total_fen) AS BIGINT), o.created_at \
         FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id \
         WHERE o.created_at >= $1 AND o.status NOT IN ('cancelled', 'rejected') \
         GROUP BY o.id, o.unit_id, o.supplier_id, p.category_code, o.created_at",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(id, unit_id, supplier_id, category, total, created_at)| {
            Ok(OrderFact {
                id,
                unit_id,
                supplier_id,
                category: stored(&category)?,
                total: Fen(total),
                created_at,
            })
        })
        .collect()
}

/// Price changes since `since` (of one offer, or of all), each with the price before it.
async fn price_changes(db: &Db, since: i64, offer: Option<i64>) -> sqlx::Result<Vec<PriceChange>> {
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT h.offer_id, o.supplier_id, o.product_id, h.price_fen, h.changed_at FROM offer_price_history h \
         JOIN offers o ON o.id = h.offer_id WHERE h.offer_id IN \
         (SELECT offer_id FROM offer_price_history WHERE changed_at >= $1 AND ($2 = 0 OR offer_id = $2)) \
         ORDER BY h.offer_id, h.changed_at, h.id",
    )
    .bind(since)
    .bind(offer.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    let mut previous: Option<(i64, i64)> = None;
    for (offer_id, supplier_id, product_id, price, at) in rows {
        if let Some((prev_offer, prev_price)) = previous {
            if prev_offer == offer_id && at >= since {
                out.push(PriceChange {
                    offer_id,
                    supplier_id,
                    product_id,
                    old_price: Fen(prev_price),
                    new_price: Fen(price),
                    at,
                });
            }
        }
        previous = Some((offer_id, price));
    }
    Ok(out)
}

/// Runs every rule over the mall as of `now` and writes the findings. Returns how many
/// findings there are and how many of them are new.
pub async fn scan(db: &Db, t: &Thresholds, now: i64) -> anyhow::Result<(usize, usize)> {
    let window = t
        .dominant_window_days
        .max(t.bunching_window_days)
        .max(t.split_window_days);
    let orders = order_facts(db, now - window * DAY).await?;
    let mut findings = redflags::split_purchases(&orders, t);
    findings.extend(redflags::dominant_supplier(&orders, now, t));

    // Bunching: each unit against the e-mall cap and its own approval threshold.
    let thresholds: HashMap<i64, i64> =
        sqlx::query_as::<_, (i64, i64)>("SELECT id, approval_threshold_fen FROM purchasing_units")
            .fetch_all(db.pool())
            .await?
            .into_iter()
            .collect();
    let mut by_unit: HashMap<i64, Vec<OrderFact>> = HashMap::new();
    for o in &orders {
        by_unit.entry(o.unit_id).or_default().push(o.clone());
    }
    for (unit, unit_orders) in &by_unit {
        let approval = Fen(thresholds.get(unit).copied().unwrap_or(0));
        let limits = [("cap", t.order_cap), ("approval", approval)];
        findings.extend(redflags::bunching(unit_orders, &limits, now, t));
    }

    findings.extend(price_findings(db, t, now, None).await?);

    let contacts: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, phone, email, bank_account, address FROM suppliers WHERE status <> 'revoked'",
    )
    .fetch_all(db.pool())
    .await?;
    let contacts: Vec<SupplierContact> = contacts
        .into_iter()
        .map(
            |(supplier_id, phone, email, bank_account, address)| SupplierContact {
                supplier_id,
                phone,
                email,
                bank_account,
                address,
            },
        )
        .collect();
    findings.extend(redflags::shared_contacts(&contacts));

    let confirms: Vec<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, unit_id, supplier_id, confirm_by, confirmed_at FROM orders WHERE confirm_by IS NOT NULL \
         AND confirm_by >= $1 AND confirm_by < $2 AND (confirmed_at IS NULL OR confirmed_at > confirm_by)",
    )
    .bind(now - window * DAY)
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let confirms: Vec<ConfirmFact> = confirms
        .into_iter()
        .map(
            |(order_id, unit_id, supplier_id, confirm_by, confirmed_at)| ConfirmFact {
                order_id,
                unit_id,
                supplier_id,
                confirm_by,
                confirmed_at,
            },
        )
        .collect();
    findings.extend(redflags::late_confirmation(&confirms, now));

    let payments: Vec<(i64, i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, unit_id, supplier_id, total_fen, accepted_at, paid_at FROM orders WHERE accepted_at IS NOT NULL \
         AND accepted_at >= $1 AND COALESCE(paid_at, $2) - accepted_at > $3",
    )
    .bind(now - window * DAY)
    .bind(now)
    .bind(t.late_payment_days * DAY)
    .fetch_all(db.pool())
    .await?;
    let payments: Vec<PaymentFact> = payments
        .into_iter()
        .map(
            |(order_id, unit_id, supplier_id, total, accepted_at, paid_at)| PaymentFact {
                order_id,
                unit_id,
                supplier_id,
                total: Fen(total),
                accepted_at,
                paid_at,
            },
        )
        .collect();
    findings.extend(redflags::late_payment(&payments, now, t));

    let mut new = 0;
    for f in &findings {
        if upsert(db, f, now).await? {
            new += 1;
        }
    }
    Ok((findings.len(), new))
}

/// The price rules (above the reference price, repeated changes, a raise after a pool),
/// over one offer or every offer.
async fn price_findings(
    db: &Db,
    t: &Thresholds,
    now: i64,
    offer: Option<i64>,
) -> sqlx::Result<Vec<Finding>> {
    let offers: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.id, o.supplier_id, o.product_id, o.price_fen, p.ref_price_fen FROM offers o \
         JOIN products p ON p.id = o.product_id WHERE o.status = 'on_sale' AND o.price_fen > p.ref_price_fen \
         AND ($1 = 0 OR o.id = $1)",
    )
    .bind(offer.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let offers: Vec<OfferFact> = offers
        .into_iter()
        .map(
            |(offer_id, supplier_id, product_id, price, reference)| OfferFact {
                offer_id,
                supplier_id,
                product_id,
                price: Fen(price),
                reference: Fen(reference),
            },
        )
        .collect();
    let mut findings = redflags::above_reference(&offers);

    let since = now - t.price_change_window_days.max(t.raise_after_pool_days) * DAY;
    let changes = price_changes(db, since, offer).await?;
    findings.extend(redflags::repeated_price_changes(&changes, now, t));
    let pools: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, product_id, closed_at FROM pools WHERE closed_at IS NOT NULL AND closed_at >= $1",
    )
    .bind(since - t.raise_after_pool_days * DAY)
    .fetch_all(db.pool())
    .await?;
    let pools: Vec<PoolClose> = pools
        .into_iter()
        .map(|(pool_id, product_id, closed_at)| PoolClose {
            pool_id,
            product_id,
            closed_at,
        })
        .collect();
    findings.extend(redflags::raise_after_pool(&changes, &pools, t));
    Ok(findings)
}

/// The price rules over one offer whose price just changed, as the change happens (the
/// hourly scan covers the rest). Returns how many findings are new.
pub async fn scan_offer(db: &Db, t: &Thresholds, offer_id: i64, now: i64) -> sqlx::Result<usize> {
    let mut new = 0;
    for f in price_findings(db, t, now, Some(offer_id)).await? {
        if upsert(db, &f, now).await? {
            new += 1;
        }
    }
    Ok(new)
}

/// Writes one finding: new, or the same finding with fresh evidence (its triage kept).
/// Returns whether it is new.
async fn upsert(db: &Db, f: &Finding, now: i64) -> sqlx::Result<bool> {
    let evidence =
        serde_json::json!({ "orders": f.orders, "offers": f.offers, "suppliers": f.suppliers });
    let mut details = serde_json::Map::new();
    for (k, v) in &f.measure {
        details.insert(k.clone(), (*v).into());
    }
    if let Some(field) = &f.field {
        details.insert("field".into(), field.clone().into());
    }
    let known: Option<(i64,)> = sqlx::query_as("SELECT id FROM alerts WHERE key = $1")
        .bind(&f.key)
        .fetch_optional(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO alerts (kind, key, unit_id, supplier_id, order_id, offer_id, category_code, amount_fen, evidence, \
         details, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
         ON CONFLICT (key) DO UPDATE SET amount_fen = $8, evidence = $9, details = $10, updated_at = $11",
    )
    .bind(f.kind.as_str())
    .bind(&f.key)
    .bind(f.unit_id)
    .bind(f.supplier_id)
    .bind(f.orders.first().copied())
    .bind(f.offers.first().copied())
    .bind(f.category.as_deref())
    .bind(f.amount.map(|a| a.get()))
    .bind(evidence.to_string())
    .bind(serde_json::Value::Object(details).to_string())
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(known.is_none())
}

const ALERT: &str = "SELECT a.id, a.kind, a.unit_id, u.name AS unit_name, a.supplier_id, s.name AS supplier_name, \
     a.category_code, c.name_zh AS category_name, c.name_en AS category_name_en, a.amount_fen, a.evidence, \
     a.details, a.status, a.note, a.created_at, a.updated_at \
     FROM alerts a LEFT JOIN purchasing_units u ON u.id = a.unit_id LEFT JOIN suppliers s ON s.id = a.supplier_id \
     LEFT JOIN categories c ON c.code = a.category_code";

fn alert_view(r: &sqlx::any::AnyRow) -> sqlx::Result<emall_model::AlertView> {
    use sqlx::Row;
    let evidence: serde_json::Value =
        serde_json::from_str(&r.try_get::<String, _>("evidence")?).unwrap_or_default();
    let ids = |k: &str| -> Vec<i64> {
        evidence[k]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
            .unwrap_or_default()
    };
    Ok(emall_model::AlertView {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        supplier_id: r.try_get("supplier_id")?,
        supplier_name: r.try_get("supplier_name")?,
        category_code: r.try_get("category_code")?,
        category_name: r.try_get("category_name")?,
        category_name_en: r.try_get("category_name_en")?,
        amount: r.try_get::<Option<i64>, _>("amount_fen")?.map(Fen),
        orders: ids("orders"),
        offers: ids("offers"),
        suppliers: ids("suppliers"),
        details: serde_json::from_str(&r.try_get::<String, _>("details")?).unwrap_or_default(),
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        created_at: crate::clock::rfc3339(r.try_get("created_at")?),
        updated_at: crate::clock::rfc3339(r.try_get("updated_at")?),
    })
}

/// Alerts in a status (`""`: any) of a kind (`""`: any), newest first.
pub async fn list(
    db: &Db,
    status: &str,
    kind: &str,
    limit: i64,
) -> sqlx::Result<Vec<emall_model::AlertView>> {
    page(db, status, kind, limit, 0).await
}

/// `list` from the `offset`-th on.
pub async fn page(
    db: &Db,
    status: &str,
    kind: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<emall_model::AlertView>> {
    let rows = sqlx::query(&format!(
        "{ALERT} WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR a.kind = $2) \
         ORDER BY a.updated_at DESC, a.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(status)
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(alert_view).collect()
}

/// How many alerts `list` would find without a limit.
pub async fn count(db: &Db, status: &str, kind: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM alerts a WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR a.kind = $2)",
    )
    .bind(status)
    .bind(kind)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<emall_model::AlertView>> {
    let row = sqlx::query(&format!("{ALERT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(alert_view).transpose()
}

/// The suppliers an alert names, by name, in the order named.
pub async fn evidence_suppliers(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::db::Built::new("SELECT id, name FROM suppliers WHERE 1 = 1");
    sql.push_in(" AND ", "id", &ids[..ids.len().min(200)]);
    let rows: Vec<(i64, String)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|(s, _)| s == id).cloned())
        .collect())
}

/// The offers an alert names: product and supplier, in the order named.
pub async fn evidence_offers(
    db: &Db,
    ids: &[i64],
) -> sqlx::Result<Vec<emall_model::EvidenceOffer>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::db::Built::new(
        "SELECT o.id, p.id, p.title, s.name FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN suppliers s ON s.id = o.supplier_id WHERE 1 = 1",
    );
    sql.push_in(" AND ", "o.id", &ids[..ids.len().min(200)]);
    let rows: Vec<(i64, i64, String, String)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.0 == *id))
        .map(
            |(offer_id, product_id, title, supplier_name)| emall_model::EvidenceOffer {
                offer_id: *offer_id,
                product_id: *product_id,
                title: title.clone(),
                supplier_name: supplier_name.clone(),
            },
        )
        .collect())
}

/// The orders an alert names, for its page.
pub async fn evidence_orders(
    db: &Db,
    ids: &[i64],
) -> sqlx::Result<Vec<emall_model::EvidenceOrder>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::id_list(&ids[..ids.len().min(200)]);
    let rows: Vec<(i64, String, String, String, i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT o.id, o.order_no, u.name, s.name, o.total_fen, o.status, o.created_at FROM orders o \
         JOIN purchasing_units u ON u.id = o.unit_id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.id IN ({list}) ORDER BY o.created_at, o.id"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, order_no, unit_name, supplier_name, total, status, at)| {
                emall_model::EvidenceOrder {
                    id,
                    order_no,
                    unit_name,
                    supplier_name,
                    total: Fen(total),
                    status,
                    created_at: crate::clock::rfc3339(at),
                }
            },
        )
        .collect())
}

/// The regulator's triage: `confirmed` or `dismissed` (with the note); `false` when there
/// is no such alert.
pub async fn triage(
    db: &Db,
    id: i64,
    status: &str,
    note: &str,
    user_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE alerts SET status = $1, note = $2, triaged_by = $3, triaged_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(note)
    .bind(user_id)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(done == 1)
}

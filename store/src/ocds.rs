//! Open data: orders and joint purchases as Open Contracting Data Standard (OCDS 1.1)
//! release packages. One release per order (award and contract, with the payment as a
//! transaction) and one per pool (the tender, and its award once closed). Money is in
//! yuan (CNY); parties are named by their unified social credit code (scheme CN-USCC);
//! items are classified by the government procurement catalogue (政府采购品目分类目录).

use crate::clock;
use crate::db::Db;
use crate::CONTRACTED_STATUSES;
use emall_domain::Fen;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// The mall's OCID prefix (`ocds-` and six characters).
pub const OCID_PREFIX: &str = "ocds-emall0";
const CATALOGUE_SCHEME: &str = "X-CN-GPCATALOGUE";

fn amount(fen: i64) -> Value {
    json!({ "amount": fen as f64 / 100.0, "currency": "CNY" })
}

fn party_id(uscc: &str) -> String {
    format!("CN-USCC-{uscc}")
}

fn party(uscc: &str, name: &str, region: &str, roles: &[&str], sme: Option<bool>) -> Value {
    let mut p = json!({
        "id": party_id(uscc),
        "name": name,
        "identifier": { "scheme": "CN-USCC", "id": uscc, "legalName": name },
        "address": { "region": region, "countryName": "中国" },
        "roles": roles,
    });
    if let Some(sme) = sme {
        p["details"] = json!({ "scale": if sme { "sme" } else { "large" } });
    }
    p
}

/// The OCDS award and contract statuses of an order's status.
fn order_statuses(status: &str) -> (&'static str, &'static str) {
    match status {
        "pending_approval" => ("pending", "pending"),
        "placed" => ("active", "pending"),
        "cancelled" => ("cancelled", "cancelled"),
        "rejected" => ("active", "terminated"),
        _ => ("active", "active"),
    }
}

/// Orders in contracted states (at or above `threshold`), newest first, as releases.
pub async fn order_releases(db: &Db, threshold: Fen, limit: i64) -> sqlx::Result<Vec<Value>> {
    let rows = sqlx::query(&format!(
        "SELECT o.id, o.order_no, o.status, o.total_fen, o.created_at, o.updated_at, o.placed_at, o.paid_at, \
           o.pool_id, u.name AS unit_name, u.uscc AS unit_uscc, ur.name AS unit_city, \
           s.name AS supplier_name, s.uscc AS supplier_uscc, s.size, sr.name AS supplier_city \
         FROM orders o JOIN purchasing_units u ON u.id = o.unit_id JOIN regions ur ON ur.code = u.city \
         JOIN suppliers s ON s.id = o.supplier_id JOIN regions sr ON sr.code = s.city \
         WHERE o.status IN {CONTRACTED_STATUSES} AND o.total_fen >= $1 \
         ORDER BY o.created_at DESC, o.id DESC LIMIT $2"
    ))
    .bind(threshold.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<Result<_, _>>()?;
    let items = order_items(db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let status: String = r.try_get("status")?;
        let updated: i64 = r.try_get("updated_at")?;
        let placed: Option<i64> = r.try_get("placed_at")?;
        let created: i64 = r.try_get("created_at")?;
        let paid: Option<i64> = r.try_get("paid_at")?;
        let total: i64 = r.try_get("total_fen")?;
        let unit_uscc: String = r.try_get("unit_uscc")?;
        let unit_name: String = r.try_get("unit_name")?;
        let supplier_uscc: String = r.try_get("supplier_uscc")?;
        let supplier_name: String = r.try_get("supplier_name")?;
        let size: String = r.try_get("size")?;
        let pooled = r.try_get::<Option<i64>, _>("pool_id")?.is_some();
        let ocid = format!("{OCID_PREFIX}-order-{id}");
        let (award_status, contract_status) = order_statuses(&status);
        let buyer_roles: &[&str] = if paid.is_some() {
            &["buyer", "procuringEntity", "payer"]
        } else {
            &["buyer", "procuringEntity"]
        };
        let supplier_roles: &[&str] = if paid.is_some() {
            &["supplier", "payee"]
        } else {
            &["supplier"]
        };
        let buyer_ref = json!({ "id": party_id(&unit_uscc), "name": unit_name });
        let supplier_ref = json!({ "id": party_id(&supplier_uscc), "name": supplier_name });
        let lines = items.get(&id).cloned().unwrap_or_default();
        let signed = clock::rfc3339(placed.unwrap_or(created));
        let mut contract = json!({
            "id": format!("{ocid}-contract"),
            "awardID": format!("{ocid}-award"),
            "title": r.try_get::<String, _>("order_no")?,
            "status": contract_status,
            "value": amount(total),
            "items": lines,
            "dateSigned": signed,
        });
        let mut tags = vec!["award", "contract"];
        if let Some(paid) = paid {
            tags.push("implementation");
            contract["implementation"] = json!({ "transactions": [{
                "id": format!("{ocid}-payment"),
                "date": clock::rfc3339(paid),
                "value": amount(total),
                "payer": buyer_ref,
                "payee": supplier_ref,
            }]});
        }
        out.push(json!({
            "ocid": ocid,
            "id": format!("{ocid}-{updated}"),
            "date": clock::rfc3339(updated),
            "tag": tags,
            "initiationType": "tender",
            "language": "zh",
            "parties": [
                party(&unit_uscc, &unit_name, &r.try_get::<String, _>("unit_city")?, buyer_roles, None),
                party(&supplier_uscc, &supplier_name, &r.try_get::<String, _>("supplier_city")?, supplier_roles, Some(size != "large")),
            ],
            "buyer": buyer_ref,
            "tender": {
                "id": format!("{ocid}-tender"),
                "status": "complete",
                "procurementMethod": if pooled { "limited" } else { "direct" },
                "procurementMethodDetails": if pooled { "电子卖场联合采购成交价下单" } else { "电子卖场直购（小额零星采购）" },
                "items": lines,
            },
            "awards": [{
                "id": format!("{ocid}-award"),
                "status": award_status,
                "date": signed,
                "value": amount(total),
                "suppliers": [supplier_ref],
                "items": lines,
            }],
            "contracts": [contract],
        }));
    }
    Ok(out)
}

/// OCDS items of each order.
async fn order_items(db: &Db, ids: &[i64]) -> sqlx::Result<BTreeMap<i64, Vec<Value>>> {
    let mut out: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows = sqlx::query(&format!(
            "SELECT i.id, i.order_id, i.title, i.unit, i.quantity, i.unit_price_fen, p.category_code, c.name_zh \
             FROM order_items i JOIN products p ON p.id = i.product_id JOIN categories c ON c.code = p.category_code \
             WHERE i.order_id IN ({list}) ORDER BY i.id"
        ))
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            out.entry(r.try_get("order_id")?).or_default().push(item(
                r.try_get::<i64, _>("id")?.to_string(),
                r.try_get("title")?,
                r.try_get("category_code")?,
                r.try_get("name_zh")?,
                r.try_get("quantity")?,
                r.try_get("unit")?,
                r.try_get("unit_price_fen")?,
            ));
        }
    }
    Ok(out)
}

fn item(
    id: String,
    title: String,
    category: String,
    category_name: String,
    quantity: i64,
    unit: String,
    price: i64,
) -> Value {
    json!({
        "id": id,
        "description": title,
        "classification": { "scheme": CATALOGUE_SCHEME, "id": category, "description": category_name },
        "quantity": quantity,
        "unit": { "name": unit, "value": amount(price) },
    })
}

/// Every joint purchase, newest first, as releases: the tender, and the award once closed.
pub async fn pool_releases(db: &Db, limit: i64) -> sqlx::Result<Vec<Value>> {
    let rows = sqlx::query(
        "SELECT p.id, p.title, p.description, p.state, p.opens_at, p.closes_at, p.closed_at, p.created_at, \
           p.ceiling_fen, p.min_total_quantity, p.total_quantity, p.unit_price_fen, p.winner_supplier_id, \
           p.product_id, pr.title AS product_title, pr.unit, pr.category_code, c.name_zh AS category_name, \
           r.name AS city_name \
         FROM pools p JOIN products pr ON pr.id = p.product_id JOIN categories c ON c.code = pr.category_code \
         JOIN regions r ON r.code = p.city ORDER BY p.created_at DESC, p.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(pool_release(db, r).await?);
    }
    Ok(out)
}

/// A joint purchase's release: its tender, with the committed units as buyers and the
/// bidders as tenderers, and its award once awarded.
async fn pool_release(db: &Db, r: &AnyRow) -> sqlx::Result<Value> {
    let id: i64 = r.try_get("id")?;
    let state: String = r.try_get("state")?;
    let ocid = format!("{OCID_PREFIX}-pool-{id}");
    let city: String = r.try_get("city_name")?;
    let ceiling: i64 = r.try_get("ceiling_fen")?;
    let closed_at: Option<i64> = r.try_get("closed_at")?;
    let units: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT u.uscc, u.name, CAST(c.quantity AS BIGINT) FROM pool_commitments c \
         JOIN purchasing_units u ON u.id = c.unit_id WHERE c.pool_id = $1 ORDER BY u.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let bidders: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.uscc, s.name, s.size FROM pool_bids b JOIN suppliers s ON s.id = b.supplier_id \
         WHERE b.pool_id = $1 ORDER BY s.id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let committed: i64 = units.iter().map(|u| u.2).sum();
    let quantity = r
        .try_get::<Option<i64>, _>("total_quantity")?
        .unwrap_or(committed)
        .max(r.try_get::<i64, _>("min_total_quantity")?);
    let winner: Option<i64> = r.try_get("winner_supplier_id")?;
    let parties = pool_parties(&units, &bidders, &city, winner);
    let product = item(
        r.try_get::<i64, _>("product_id")?.to_string(),
        r.try_get("product_title")?,
        r.try_get("category_code")?,
        r.try_get("category_name")?,
        quantity,
        r.try_get("unit")?,
        ceiling,
    );
    let tender_status = match state.as_str() {
        "open" => "active",
        "awarded" => "complete",
        _ => "unsuccessful",
    };
    let mut tender = json!({
        "id": format!("{ocid}-tender"),
        "title": r.try_get::<String, _>("title")?,
        "description": r.try_get::<String, _>("description")?,
        "status": tender_status,
        "procurementMethod": "open",
        "procurementMethodDetails": "联合采购（带量采购），成交价为同城限价",
        "mainProcurementCategory": "goods",
        "value": amount(ceiling.saturating_mul(quantity)),
        "tenderPeriod": {
            "startDate": clock::rfc3339(r.try_get("opens_at")?),
            "endDate": clock::rfc3339(r.try_get("closes_at")?),
        },
        "numberOfTenderers": bidders.len(),
        "items": [product],
    });
    if !bidders.is_empty() {
        tender["tenderers"] = bidders
            .iter()
            .map(|(_, uscc, name, _)| json!({ "id": party_id(uscc), "name": name }))
            .collect();
    }
    let mut release = json!({
        "ocid": ocid,
        "id": format!("{ocid}-{}", closed_at.unwrap_or(r.try_get("created_at")?)),
        "date": clock::rfc3339(closed_at.unwrap_or(r.try_get("created_at")?)),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "zh",
        "tender": tender,
    });
    if !parties.is_empty() {
        release["parties"] = json!(parties);
    }
    if let (Some(w), Some(price), "awarded") = (
        winner,
        r.try_get::<Option<i64>, _>("unit_price_fen")?,
        state.as_str(),
    ) {
        if let Some((_, uscc, name, _)) = bidders.iter().find(|b| b.0 == w) {
            let mut awarded = product.clone();
            awarded["unit"]["value"] = amount(price);
            release["tag"] = json!(["tender", "award"]);
            release["awards"] = json!([{
                "id": format!("{ocid}-award"),
                "status": "active",
                "date": clock::rfc3339(closed_at.unwrap_or_default()),
                "value": amount(price.saturating_mul(quantity)),
                "suppliers": [{ "id": party_id(uscc), "name": name }],
                "items": [awarded],
            }]);
        }
    }
    Ok(release)
}

/// The parties of a joint purchase: the committed units as buyers, the bidders as
/// tenderers, the winner also as the supplier.
fn pool_parties(
    units: &[(String, String, i64)],
    bidders: &[(i64, String, String, String)],
    city: &str,
    winner: Option<i64>,
) -> Vec<Value> {
    let mut parties: Vec<Value> = units
        .iter()
        .map(|(uscc, name, _)| party(uscc, name, city, &["buyer"], None))
        .collect();
    for (sid, uscc, name, size) in bidders {
        let roles: &[&str] = if winner == Some(*sid) {
            &["tenderer", "supplier"]
        } else {
            &["tenderer"]
        };
        parties.push(party(uscc, name, city, roles, Some(size != "large")));
    }
    parties
}

/// A release package around `releases`, served at `base` + `path` (`base`: the mall's
/// absolute URL, e.g. `https://emall.example.gov.cn`). The publication policy is the
/// disclosure page, which says what is published.
pub fn package(base: &str, path: &str, releases: Vec<Value>, now: i64) -> Value {
    json!({
        "uri": format!("{base}{path}"),
        "version": "1.1",
        "publishedDate": clock::rfc3339(now),
        "publisher": { "name": "政府采购电子卖场 / Government e-Procurement Mall" },
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": format!("{base}/disclosure"),
        "releases": releases,
    })
}

//! 一屏管交易: the dashboard's figures, read from a pre-aggregated table.
//!
//! `spend_rollup` holds one row per month (Beijing time, by order date), purchasing unit,
//! supplier and category (each line in its category and every ancestor of it), and one row
//! per month, unit and supplier with category `*`
//! for whole orders. [`refresh`] rebuilds, month by month, the months of every order
//! changed since the last refresh (orders carry `updated_at`), each month in one
//! transaction that nodes refreshing at once take in turns: the dashboard never sees half a
//! month, and a month rebuilt twice is the same month. Every dashboard question is then a
//! GROUP BY over rollup rows instead of orders, items and events.
//!
//! Three narrower sums are rebuilt from it in the same transaction: `spend_by_unit` (no
//! supplier), `spend_by_supplier` (no unit) and `spend_by_category` (neither). Without a
//! unit filter every question reads one of them, at most tens of thousands of rows a year
//! even at a million orders; with a unit filter, the unit's own rows of `spend_rollup`.
//!
//! Whole-order rows answer the unfiltered questions (an order in two categories counts
//! once). Category rows exist for the line's category and every ancestor of it, so with a
//! category filter the rows of exactly that category answer them (the orders containing
//! it, each once), and the category breakdown reads the rows of its subcategories.

use super::CONTRACTED_STATUSES;
use crate::db::{Backend, Db};
use emall_app::model::{
    Choice, CityOption, Dashboard, DashboardFilter, Figures, MonthAmount, Slice,
};
use emall_domain::calendar::Month;
use emall_domain::concentration::{share_bp, Concentration};
use emall_domain::Fen;
use sqlx::Row;

/// The category of a whole-order row.
const WHOLE_ORDER: &str = "*";
/// Orders changed this close to a refresh are folded in again by the next one, so a
/// transaction that commits late is never missed.
const MARGIN_SECS: i64 = 120;
/// Any key will do: it only has to be the same on every node.
const REFRESH_LOCK_KEY: i64 = 0x726f_6c6c_7570;
/// Lines shown per breakdown; the export has them all.
pub const SHOWN: usize = 15;

/// Rebuilds the months of the orders changed since the last refresh. Returns the number
/// of months rebuilt.
pub async fn refresh(db: &Db, now: i64) -> sqlx::Result<usize> {
    let watermark: Option<(i64,)> =
        sqlx::query_as("SELECT watermark FROM rollup_state WHERE name = 'spend'")
            .fetch_optional(db.pool())
            .await?;
    let since = watermark.map_or(i64::MIN, |(w,)| w);
    let month = month_of(db.backend(), "created_at");
    let months: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT DISTINCT {month} FROM orders WHERE updated_at >= $1"
    ))
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    for (m,) in &months {
        if let Some(m) = Month::parse(m) {
            rebuild_month(db, m).await?;
        }
    }
    sqlx::query(
        "INSERT INTO rollup_state (name, watermark, refreshed_at) VALUES ('spend', $1, $2) \
         ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark, refreshed_at = excluded.refreshed_at",
    )
    .bind(now - MARGIN_SECS)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(months.len())
}

/// Drops the watermark: the next refresh rebuilds every month.
pub async fn forget(db: &Db) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rollup_state WHERE name = 'spend'")
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// `YYYY-MM` in Beijing time of a unix-seconds column.
fn month_of(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("strftime('%Y-%m', {column} + 28800, 'unixepoch')"),
        Backend::Postgres => {
            format!("to_char(to_timestamp({column} + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')")
        }
    }
}

fn tagged(tag: &str) -> String {
    format!("CASE WHEN (',' || p.tags || ',') LIKE '%,{tag},%' THEN i.line_total_fen ELSE 0 END")
}

/// Replaces one month's rows with fresh sums, in one transaction.
async fn rebuild_month(db: &Db, month: Month) -> sqlx::Result<()> {
    let items = |category: &str, group: &str| {
        format!(
            "SELECT i.order_id, {category} AS cat, SUM(i.line_total_fen) AS amount, \
             SUM(p.ref_price_fen * i.quantity) AS reference, SUM({energy}) AS energy, \
             SUM({environmental}) AS environmental, SUM({poverty}) AS poverty \
             FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id \
             WHERE o.created_at >= $2 AND o.created_at < $3 AND o.status || '' IN {CONTRACTED_STATUSES} \
             GROUP BY {group}",
            energy = tagged("energy_saving"),
            environmental = tagged("environmental"),
            poverty = tagged("poverty_area"),
        )
    };
    // Every line counts in its category and in each of the category's ancestors (`anc`,
    // leaf to ancestor), so a category at any level is one exact key and its orders are
    // counted once.
    let by_category = items("anc.code", "i.order_id, anc.code").replace(
        "JOIN products p ON p.id = i.product_id",
        "JOIN products p ON p.id = i.product_id JOIN anc ON anc.leaf = p.category_code",
    );
    let whole = items(&format!("'{WHOLE_ORDER}'"), "i.order_id");
    let overdue = "o.payment_overdue = 1 AND o.paid_at IS NULL";
    // The month's orders are found by date (`status || ''` keeps the planner off the
    // status index, which matches nearly every order).
    let sql = format!(
        "WITH anc AS MATERIALIZED (SELECT d.code AS leaf, a.code FROM categories d \
           JOIN categories a ON SUBSTR(d.code, 1, LENGTH(a.code)) = a.code) \
         INSERT INTO spend_rollup (month, city, district, unit_id, supplier_id, category_code, orders, \
           amount_fen, reference_fen, pool_amount_fen, pool_reference_fen, energy_fen, environmental_fen, \
           poverty_fen, delivered, delivered_on_time, inspected, inspection_passed, confirmed, confirm_secs, \
           paid, paid_late, overdue, overdue_fen) \
         SELECT CAST($1 AS TEXT), u.city, u.district, o.unit_id, o.supplier_id, x.cat, COUNT(*), \
           SUM(x.amount), SUM(x.reference), \
           SUM(CASE WHEN o.pool_id IS NULL THEN 0 ELSE x.amount END), \
           SUM(CASE WHEN o.pool_id IS NULL THEN 0 ELSE x.reference END), \
           SUM(x.energy), SUM(x.environmental), SUM(x.poverty), \
           SUM(CASE WHEN o.delivered_at IS NULL THEN 0 ELSE 1 END), \
           SUM(COALESCE(e.on_time, 0)), SUM(COALESCE(e.inspected, 0)), SUM(COALESCE(e.passed, 0)), \
           SUM(CASE WHEN o.confirmed_at IS NULL THEN 0 ELSE 1 END), \
           SUM(CASE WHEN o.confirmed_at IS NULL THEN 0 ELSE o.confirmed_at - COALESCE(o.placed_at, o.created_at) END), \
           SUM(CASE WHEN o.paid_at IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(e.paid_late, 0)), \
           SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), SUM(CASE WHEN {overdue} THEN x.amount ELSE 0 END) \
         FROM ({by_category} UNION ALL {whole}) x \
         JOIN orders o ON o.id = x.order_id \
         JOIN purchasing_units u ON u.id = o.unit_id \
         LEFT JOIN (SELECT pe.order_id, \
             SUM(CASE WHEN pe.kind = 'delivered_on_time' THEN 1 ELSE 0 END) AS on_time, \
             SUM(CASE WHEN pe.kind IN ('inspection_passed', 'inspection_failed') THEN 1 ELSE 0 END) AS inspected, \
             SUM(CASE WHEN pe.kind = 'inspection_passed' THEN 1 ELSE 0 END) AS passed, \
             SUM(CASE WHEN pe.kind = 'paid_late' THEN 1 ELSE 0 END) AS paid_late \
           FROM orders o2 JOIN performance_events pe ON pe.order_id = o2.id \
           WHERE o2.created_at >= $2 AND o2.created_at < $3 GROUP BY pe.order_id) e ON e.order_id = o.id \
         GROUP BY u.city, u.district, o.unit_id, o.supplier_id, x.cat"
    );
    let mut tx = db.begin_write().await?;
    if db.backend() == Backend::Postgres {
        // Nodes refreshing at once take turns (SQLite's write transaction already does).
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(REFRESH_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM spend_rollup WHERE month = $1")
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(&sql)
        .bind(month.to_string())
        .bind(month.start())
        .bind(month.plus(1).start())
        .execute(&mut *tx)
        .await?;
    let columns = MEASURES.join(", ");
    let summed = sums();
    // (table, its key columns, their values from spend_rollup, grouped by)
    for (table, keys, select, by) in [
        (
            "spend_by_unit",
            "city, district, unit_id, category_code",
            "MAX(r.city), MAX(r.district), r.unit_id, r.category_code",
            "r.unit_id, r.category_code",
        ),
        (
            "spend_by_supplier",
            "city, district, supplier_id, category_code",
            "r.city, r.district, r.supplier_id, r.category_code",
            "r.city, r.district, r.supplier_id, r.category_code",
        ),
        (
            "spend_by_category",
            "city, district, category_code",
            "r.city, r.district, r.category_code",
            "r.city, r.district, r.category_code",
        ),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE month = $1"))
            .bind(month.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO {table} (month, {keys}, {columns}) \
             SELECT CAST($1 AS TEXT), {select}, {summed} FROM spend_rollup r WHERE r.month = $1 GROUP BY {by}"
        ))
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A dashboard query's narrowing, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub from: Month,
    pub to: Month,
    pub city: Option<String>,
    pub district: Option<String>,
    /// A category code at any level; its subcategories count too.
    pub category: Option<String>,
    pub unit: Option<i64>,
}

/// Why a filter was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("月份应为 YYYY-MM / a month is YYYY-MM")]
    Month,
    #[error("起始月份晚于截止月份 / the first month is after the last")]
    Order,
    #[error("一次最多查询 60 个月 / at most 60 months at once")]
    TooLong,
    #[error("地区或品目代码无效 / not a region or category code")]
    Code,
}

impl From<ScopeError> for crate::error::ApiError {
    fn from(e: ScopeError) -> Self {
        crate::error::ApiError::field(e.field(), e.to_string())
    }
}

impl ScopeError {
    /// The filter field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            ScopeError::Month | ScopeError::Order | ScopeError::TooLong => "from",
            ScopeError::Code => "city",
        }
    }
}

const MAX_MONTHS: i64 = 60;

impl Scope {
    /// Empty fields mean all; the period defaults to the twelve months up to `now`.
    pub fn parse(f: &DashboardFilter, now: i64) -> Result<Scope, ScopeError> {
        let month = |s: &str| Month::parse(s).ok_or(ScopeError::Month);
        let to = if f.to.trim().is_empty() {
            Month::of(now)
        } else {
            month(&f.to)?
        };
        let from = if f.from.trim().is_empty() {
            to.plus(-11)
        } else {
            month(&f.from)?
        };
        if from.span(to) == 0 {
            return Err(ScopeError::Order);
        }
        if from.span(to) > MAX_MONTHS {
            return Err(ScopeError::TooLong);
        }
        let code = |s: &str, len: std::ops::RangeInclusive<usize>, digits: bool| {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let ok = len.contains(&s.len())
                && s.chars().all(|c| {
                    if digits {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphanumeric()
                    }
                });
            if ok {
                Ok(Some(s.to_string()))
            } else {
                Err(ScopeError::Code)
            }
        };
        Ok(Scope {
            from,
            to,
            city: code(&f.city, 6..=6, true)?,
            district: code(&f.district, 6..=6, true)?,
            category: code(&f.category, 1..=16, false)?,
            unit: f.unit.filter(|u| *u > 0),
        })
    }

    pub fn filter(&self) -> DashboardFilter {
        DashboardFilter {
            from: self.from.to_string(),
            to: self.to.to_string(),
            city: self.city.clone().unwrap_or_default(),
            district: self.district.clone().unwrap_or_default(),
            category: self.category.clone().unwrap_or_default(),
            unit: self.unit,
        }
    }

    /// The WHERE clause over `spend_rollup r` and its parameters, in order. `categories`:
    /// the category rows (for the category breakdown) rather than the whole-order rows.
    fn clause(&self, categories: bool) -> (String, Vec<Param>) {
        let mut sql = String::from("r.month >= $1 AND r.month <= $2");
        let mut params = vec![
            Param::Text(self.from.to_string()),
            Param::Text(self.to.to_string()),
        ];
        // `cond`, with `$` where the parameter's number goes.
        let mut push = |cond: &str, p: Option<Param>| {
            sql.push_str(" AND ");
            match p {
                Some(p) => {
                    params.push(p);
                    sql.push_str(&cond.replace('$', &format!("${}", params.len())));
                }
                None => sql.push_str(cond),
            }
        };
        match (&self.category, categories) {
            (Some(c), false) => push("r.category_code = $", Some(Param::Text(c.clone()))),
            (None, false) => push("r.category_code = $", Some(Param::Text(WHOLE_ORDER.into()))),
            // the breakdown: the chosen category's children, or the second level
            (Some(c), true) => push(
                "r.category_code IN (SELECT code FROM categories WHERE parent = $)",
                Some(Param::Text(c.clone())),
            ),
            (None, true) => push(
                "r.category_code IN (SELECT code FROM categories WHERE parent IN \
                 (SELECT code FROM categories WHERE parent IS NULL))",
                None,
            ),
        }
        if let Some(c) = &self.city {
            push("r.city = $", Some(Param::Text(c.clone())));
        }
        if let Some(d) = &self.district {
            push("r.district = $", Some(Param::Text(d.clone())));
        }
        if let Some(u) = self.unit {
            push("r.unit_id = $", Some(Param::Int(u)));
        }
        (sql, params)
    }
}

enum Param {
    Text(String),
    Int(i64),
}

/// The summed columns of the three rollup tables, in [`figures`]' order.
const MEASURES: [&str; 18] = [
    "orders",
    "amount_fen",
    "reference_fen",
    "pool_amount_fen",
    "pool_reference_fen",
    "energy_fen",
    "environmental_fen",
    "poverty_fen",
    "delivered",
    "delivered_on_time",
    "inspected",
    "inspection_passed",
    "confirmed",
    "confirm_secs",
    "paid",
    "paid_late",
    "overdue",
    "overdue_fen",
];

/// `CAST(SUM(r.orders) AS BIGINT), …` over every measure.
fn sums() -> String {
    MEASURES
        .iter()
        .map(|m| format!("CAST(SUM(r.{m}) AS BIGINT)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads [`sums`] from `row`, starting at column `at`.
fn figures(row: &sqlx::any::AnyRow, at: usize) -> sqlx::Result<Figures> {
    let n =
        |i: usize| -> sqlx::Result<i64> { Ok(row.try_get::<Option<i64>, _>(at + i)?.unwrap_or(0)) };
    Ok(Figures {
        orders: n(0)?,
        amount: Fen(n(1)?),
        reference: Fen(n(2)?),
        sme_amount: Fen(0),
        pool_amount: Fen(n(3)?),
        pool_reference: Fen(n(4)?),
        energy: Fen(n(5)?),
        environmental: Fen(n(6)?),
        poverty: Fen(n(7)?),
        delivered: n(8)?,
        delivered_on_time: n(9)?,
        inspected: n(10)?,
        inspection_passed: n(11)?,
        confirmed: n(12)?,
        confirm_secs: n(13)?,
        paid: n(14)?,
        paid_late: n(15)?,
        overdue: n(16)?,
        overdue_amount: Fen(n(17)?),
    })
}

/// Runs `SELECT <key>, <name>, <extra>, sums` grouped by key over the scope's rows.
async fn grouped(
    db: &Db,
    scope: &Scope,
    categories: bool,
    select: &str,
    from: &str,
    group: &str,
) -> sqlx::Result<Vec<sqlx::any::AnyRow>> {
    let (clause, params) = scope.clause(categories);
    let sql = format!(
        "SELECT {select}, {} FROM {from} WHERE {clause} GROUP BY {group}",
        sums()
    );
    let mut q = sqlx::query(&sql);
    for p in params {
        q = match p {
            Param::Text(s) => q.bind(s),
            Param::Int(i) => q.bind(i),
        };
    }
    q.fetch_all(db.pool()).await
}

/// Every breakdown in full (the page shows the first [`SHOWN`] of each).
pub struct Breakdowns {
    pub totals: Figures,
    pub monthly: Vec<MonthAmount>,
    pub by_category: Vec<Slice>,
    pub by_unit: Vec<Slice>,
    pub by_supplier: Vec<Slice>,
    pub concentration: Concentration,
    pub late_payments: Vec<Slice>,
}

pub async fn breakdowns(db: &Db, scope: &Scope) -> sqlx::Result<Breakdowns> {
    // One unit's rows are few in the full rollup; the whole mall reads the narrow sums.
    let (by_unit, by_supplier, by_category) = if scope.unit.is_some() {
        ("spend_rollup", "spend_rollup", "spend_rollup")
    } else {
        ("spend_by_unit", "spend_by_supplier", "spend_by_category")
    };
    let months_from = format!("{by_category} r");
    let categories_from = format!("{by_category} r JOIN categories c ON c.code = r.category_code");
    let units_from = format!("{by_unit} r JOIN purchasing_units u ON u.id = r.unit_id");
    let suppliers_from = format!("{by_supplier} r JOIN suppliers s ON s.id = r.supplier_id");
    let (monthly, categories, units, suppliers) = tokio::try_join!(
        grouped(db, scope, false, "r.month", &months_from, "r.month"),
        grouped(
            db,
            scope,
            true,
            "r.category_code, MAX(c.name_zh), MAX(c.name_en)",
            &categories_from,
            "r.category_code",
        ),
        grouped(
            db,
            scope,
            false,
            "r.unit_id, MAX(u.name), MAX(u.name_en)",
            &units_from,
            "r.unit_id",
        ),
        grouped(
            db,
            scope,
            false,
            "r.supplier_id, MAX(s.name), MAX(s.name_en), MAX(CASE WHEN s.size = 'large' THEN 0 ELSE 1 END)",
            &suppliers_from,
            "r.supplier_id",
        ),
    )?;

    let mut by_supplier = Vec::with_capacity(suppliers.len());
    for row in &suppliers {
        let sme = row.try_get::<i64, _>(3)? == 1;
        let mut f = figures(row, 4)?;
        if sme {
            f.sme_amount = f.amount;
        }
        by_supplier.push(slice(row, row.try_get::<i64, _>(0)?.to_string(), sme, f)?);
    }
    let mut totals = Figures::default();
    let mut by_unit = Vec::with_capacity(units.len());
    for row in &units {
        let f = figures(row, 3)?;
        totals.add(&f);
        by_unit.push(slice(row, row.try_get::<i64, _>(0)?.to_string(), false, f)?);
    }
    totals.sme_amount = Fen(by_supplier.iter().map(|s| s.figures.sme_amount.get()).sum());
    let mut by_category = Vec::with_capacity(categories.len());
    for row in &categories {
        by_category.push(slice(row, row.try_get(0)?, false, figures(row, 3)?)?);
    }
    let mut months = Vec::with_capacity(monthly.len());
    for row in &monthly {
        let f = figures(row, 1)?;
        months.push(MonthAmount {
            month: row.try_get(0)?,
            amount: f.amount,
            orders: f.orders,
        });
    }
    months.sort_by(|a, b| a.month.cmp(&b.month));

    let concentration = Concentration::of(by_supplier.iter().map(|s| s.figures.amount.get()));
    let whole = totals.amount.get();
    for list in [&mut by_category, &mut by_unit, &mut by_supplier] {
        for s in list.iter_mut() {
            s.share_bp = share_bp(s.figures.amount.get(), whole);
        }
        list.sort_by(|a, b| {
            b.figures
                .amount
                .get()
                .cmp(&a.figures.amount.get())
                .then_with(|| a.key.cmp(&b.key))
        });
    }
    let mut late_payments: Vec<Slice> = by_unit
        .iter()
        .filter(|s| s.figures.overdue + s.figures.paid_late > 0)
        .cloned()
        .collect();
    late_payments.sort_by(|a, b| {
        (
            b.figures.overdue_amount.get(),
            b.figures.overdue,
            b.figures.paid_late,
        )
            .cmp(&(
                a.figures.overdue_amount.get(),
                a.figures.overdue,
                a.figures.paid_late,
            ))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(Breakdowns {
        totals,
        monthly: months,
        by_category,
        by_unit,
        by_supplier,
        concentration,
        late_payments,
    })
}

/// A breakdown line from a row that selected key, name and English name first.
fn slice(row: &sqlx::any::AnyRow, key: String, sme: bool, figures: Figures) -> sqlx::Result<Slice> {
    Ok(Slice {
        key,
        name: row.try_get(1)?,
        name_en: row.try_get(2)?,
        share_bp: 0,
        sme,
        figures,
    })
}

/// The dashboard as the console shows it: breakdowns cut to [`SHOWN`] lines, the as-of
/// time and the filter's choices.
/// `en`: English labels in the category choices.
pub async fn load(db: &Db, scope: &Scope, en: bool) -> sqlx::Result<Dashboard> {
    let (b, as_of, cities, districts, categories, units) = tokio::try_join!(
        breakdowns(db, scope),
        as_of(db),
        super::regions::mall_cities(db),
        districts(db, scope.city.as_deref()),
        category_choices(db, en),
        unit_choices(db, scope),
    )?;
    let cut = |mut v: Vec<Slice>| {
        v.truncate(SHOWN);
        v
    };
    Ok(Dashboard {
        filter: scope.filter(),
        totals: b.totals,
        monthly: fill_months(scope, b.monthly),
        by_category: cut(b.by_category),
        by_unit: cut(b.by_unit),
        by_supplier: cut(b.by_supplier),
        concentration: b.concentration,
        late_payments: cut(b.late_payments),
        as_of: as_of.map(crate::clock::rfc3339).unwrap_or_default(),
        cities,
        districts,
        categories,
        units,
    })
}

/// Every month of the scope, empty months as zero, so the trend has no gaps.
pub fn fill_months(scope: &Scope, found: Vec<MonthAmount>) -> Vec<MonthAmount> {
    let mut found = found.into_iter().peekable();
    (0..scope.from.span(scope.to))
        .map(|i| {
            let month = scope.from.plus(i).to_string();
            match found.peek() {
                Some(m) if m.month == month => found.next().unwrap_or_else(|| unreachable!()),
                _ => MonthAmount {
                    month,
                    amount: Fen(0),
                    orders: 0,
                },
            }
        })
        .collect()
}

pub async fn as_of(db: &Db) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT refreshed_at FROM rollup_state WHERE name = 'spend'")
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(t,)| t))
}

async fn districts(db: &Db, city: Option<&str>) -> sqlx::Result<Vec<CityOption>> {
    let Some(city) = city else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM regions WHERE parent = $1 AND code IN \
         (SELECT district FROM purchasing_units) ORDER BY code",
    )
    .bind(city)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| CityOption { code, name })
        .collect())
}

/// Categories down to the third level, indented by depth.
async fn category_choices(db: &Db, en: bool) -> sqlx::Result<Vec<Choice>> {
    let name = if en { "name_en" } else { "name_zh" };
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT code, {name} FROM categories ORDER BY code"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(code, _)| code.len() <= 5)
        .map(|(code, name)| Choice {
            label: format!("{}{name}", "\u{3000}".repeat(code.len() / 2)),
            value: code,
        })
        .collect())
}

/// The units of the chosen city (or district), by name; none until a city is chosen.
async fn unit_choices(db: &Db, scope: &Scope) -> sqlx::Result<Vec<Choice>> {
    let rows: Vec<(i64, String)> =
        match (&scope.city, &scope.district) {
            (_, Some(d)) => sqlx::query_as(
                "SELECT id, name FROM purchasing_units WHERE district = $1 ORDER BY name LIMIT 500",
            )
            .bind(d)
            .fetch_all(db.pool())
            .await?,
            (Some(c), None) => {
                sqlx::query_as(
                    "SELECT id, name FROM purchasing_units WHERE city = $1 ORDER BY name LIMIT 500",
                )
                .bind(c)
                .fetch_all(db.pool())
                .await?
            }
            (None, None) => {
                sqlx::query_as("SELECT id, name FROM purchasing_units WHERE id = $1")
                    .bind(scope.unit.unwrap_or(0))
                    .fetch_all(db.pool())
                    .await?
            }
        };
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(from: &str, to: &str) -> DashboardFilter {
        DashboardFilter {
            from: from.into(),
            to: to.into(),
            ..DashboardFilter::default()
        }
    }

    #[test]
    fn the_period_defaults_to_the_twelve_months_up_to_now() {
        let now = Month::parse("2026-11").unwrap().start() + 86_400;
        let s = Scope::parse(&DashboardFilter::default(), now).unwrap();
        assert_eq!(
            (s.from.to_string(), s.to.to_string()),
            ("2025-12".into(), "2026-11".into())
        );
        let s = Scope::parse(&filter("", "2026-03"), now).unwrap();
        assert_eq!(s.from.to_string(), "2025-04");
    }

    #[test]
    fn bad_filters_are_refused_by_field() {
        let now = Month::parse("2026-11").unwrap().start();
        assert_eq!(
            Scope::parse(&filter("2026-13", ""), now),
            Err(ScopeError::Month)
        );
        assert_eq!(
            Scope::parse(&filter("2026-10", "2026-01"), now),
            Err(ScopeError::Order)
        );
        assert_eq!(
            Scope::parse(&filter("2020-01", "2026-01"), now),
            Err(ScopeError::TooLong)
        );
        let bad_city = DashboardFilter {
            city: "31010X".into(),
            ..DashboardFilter::default()
        };
        assert_eq!(Scope::parse(&bad_city, now), Err(ScopeError::Code));
        assert_eq!(ScopeError::Code.field(), "city");
        assert!(ScopeError::Month.to_string().contains(" / "));
    }

    #[test]
    fn empty_months_are_filled_in_order() {
        let now = Month::parse("2026-03").unwrap().start();
        let scope = Scope::parse(&filter("2026-01", "2026-03"), now).unwrap();
        let found = vec![MonthAmount {
            month: "2026-02".into(),
            amount: Fen(500),
            orders: 2,
        }];
        let months: Vec<(String, i64)> = fill_months(&scope, found)
            .into_iter()
            .map(|m| (m.month, m.amount.get()))
            .collect();
        assert_eq!(
            months,
            [
                ("2026-01".into(), 0),
                ("2026-02".into(), 500),
                ("2026-03".into(), 0)
            ]
        );
    }
}

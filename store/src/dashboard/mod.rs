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

mod choices;
mod rollup;
mod scope;

pub use rollup::{forget, refresh};
pub use scope::{Scope, ScopeError, MAX_MONTHS};

use crate::db::{Built, Db};
use choices::{category_choices, districts, unit_choices};
use emall_domain::concentration::{share_bp, Concentration};
use emall_domain::Fen;
use emall_model::{Dashboard, Figures, MonthAmount, Slice};
use sqlx::Row;

/// The category of a whole-order row.
const WHOLE_ORDER: &str = "*";
/// Lines shown per breakdown; the export has them all.
pub const SHOWN: usize = 15;

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
    let mut sql = Built::new(&format!("SELECT {select}, {} FROM {from}", sums()));
    scope.narrow(&mut sql, categories);
    sql.push(" GROUP BY ").push(group);
    sql.query().fetch_all(db.pool()).await
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
        districts(db, scope.city),
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

#[cfg(test)]
mod tests {
    use super::*;
    use emall_domain::calendar::Month;
    use emall_model::DashboardFilter;

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
    fn the_console_leaves_out_what_it_cannot_use() {
        let now = Month::parse("2026-11").unwrap().start();
        let f = DashboardFilter {
            from: "2026-10".into(),
            to: "2026-01".into(),
            city: "310100".into(),
            district: "320102".into(),
            category: "A02".into(),
            unit: Some(7),
        };
        let (scope, faults) = Scope::parse_or_narrower(&f, now);
        assert_eq!(faults, [ScopeError::Order, ScopeError::Code("district")]);
        assert_eq!(scope.filter().from, "2025-12");
        assert_eq!(scope.filter().to, "2026-11");
        assert_eq!(scope.city.map(|c| c.to_string()).as_deref(), Some("310100"));
        assert_eq!(scope.district, None);
        assert_eq!(scope.category.as_ref().map(|c| c.as_str()), Some("A02"));
        assert_eq!(scope.unit, Some(7));
        let (_, none) = Scope::parse_or_narrower(&DashboardFilter::default(), now);
        assert!(none.is_empty());
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
        assert_eq!(Scope::parse(&bad_city, now), Err(ScopeError::Code("city")));
        assert_eq!(ScopeError::Code("city").field(), "city");
        // a province is no city, a city no district; a category is A, B or C and its levels
        for (city, district, category, field) in [
            ("310000", "", "", "city"),
            ("", "310100", "", "district"),
            ("", "", "A0'", "category"),
            ("", "", "X02", "category"),
        ] {
            let f = DashboardFilter {
                city: city.into(),
                district: district.into(),
                category: category.into(),
                ..DashboardFilter::default()
            };
            assert_eq!(Scope::parse(&f, now), Err(ScopeError::Code(field)), "{f:?}");
        }
        let good = DashboardFilter {
            city: " 310100 ".into(),
            district: "310115".into(),
            category: "a0201".into(),
            ..DashboardFilter::default()
        };
        let scope = Scope::parse(&good, now).unwrap();
        assert_eq!(
            (
                scope.filter().city,
                scope.filter().district,
                scope.filter().category
            ),
            ("310100".into(), "310115".into(), "A0201".into())
        );
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

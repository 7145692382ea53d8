//! The demo's parties: purchasing units with their people and budget lines, suppliers with
//! the cities they serve and their owners, and the mall's staff.

use super::super::rng::Rng;
use super::{person, uscc, Budget, Supplier, SupplierSeed, Unit, UnitSeed, DAY};
use crate::clock;
use crate::users::{self, NewUser};
use emall_domain::Role;
use sqlx::{Any, Transaction};

/// Adds the purchasing units, each with a buyer, an approver and three budget lines for
/// last year and three for this year; the demo buyer and approver work for the first
/// Shanghai unit that is not the finance bureau.
pub(super) async fn insert_units(
    tx: &mut Transaction<'_, Any>,
    seeds: &[UnitSeed],
    password_hash: &str,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<(Vec<Unit>, Vec<Budget>)> {
    let year = clock::year_of(now);
    // The demo buyer works for the first Shanghai unit that is not the finance bureau itself.
    let demo_unit = seeds
        .iter()
        .position(|u| u.city == "310100" && !u.name.contains("财政"))
        .unwrap_or(0);
    let mut units = Vec::with_capacity(seeds.len());
    let mut budgets = Vec::new();
    for (i, u) in seeds.iter().enumerate() {
        let threshold = match u.kind.as_str() {
            "hospital" => 10_000_000,
            "school" => 3_000_000,
            _ => 5_000_000,
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO purchasing_units (name, name_en, uscc, city, district, kind, \
             approval_threshold_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&u.name)
        .bind(&u.name_en)
        .bind(uscc(if u.kind == "agency" { "11" } else { "12" }, &u.district, rng)?)
        .bind(&u.city)
        .bind(&u.district)
        .bind(&u.kind)
        .bind(threshold)
        .bind(now - 500 * DAY)
        .fetch_one(&mut **tx)
        .await?;
        let (buyer_name, approver_name) = if i == demo_unit {
            ("demo-buyer".to_string(), "demo-approver".to_string())
        } else {
            (
                format!("unit{id:03}-buyer"),
                format!("unit{id:03}-approver"),
            )
        };
        let buyer = users::insert(
            &mut **tx,
            &NewUser {
                username: &buyer_name,
                password_hash,
                display_name: &person(rng),
                role: Role::Buyer,
                unit_id: Some(id),
                supplier_id: None,
            },
        )
        .await?;
        let approver = users::insert(
            &mut **tx,
            &NewUser {
                username: &approver_name,
                password_hash,
                display_name: &person(rng),
                role: Role::Approver,
                unit_id: Some(id),
                supplier_id: None,
            },
        )
        .await?;
        budgets.extend(insert_budget_lines(tx, units.len(), id, &u.kind, year, now, rng).await?);
        units.push(Unit {
            id,
            city: u.city.clone(),
            threshold,
            buyer,
            approver,
            buyer_name,
            approver_name,
        });
    }
    Ok((units, budgets))
}

/// Adds the budget lines of unit `id` (the `unit`-th) for last year and this one: three
/// each, whose purposes follow the unit's kind, of ¥40,000 – ¥300,000.
async fn insert_budget_lines(
    tx: &mut Transaction<'_, Any>,
    unit: usize,
    id: i64,
    kind: &str,
    year: i32,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Budget>> {
    let mut budgets = Vec::with_capacity(6);
    // (funding source, purpose, 支出经济分类)
    let purposes: [(&str, &str, &str); 3] = match kind {
        "hospital" => [
            ("general", "办公用品及耗材", "30201"),
            ("special", "医疗信息化设备更新", "31002"),
            ("own", "后勤保障及食堂", "30299"),
        ],
        "school" => [
            ("general", "教学办公用品", "30201"),
            ("general", "信息化设备更新", "31002"),
            ("own", "食堂食材及后勤", "30299"),
        ],
        _ => [
            ("general", "办公用品及耗材", "30201"),
            ("general", "信息化设备更新", "31002"),
            ("fund", "后勤保障及物业", "30209"),
        ],
    };
    for fy in [year - 1, year] {
        for (n, (source, purpose, class)) in purposes.iter().enumerate() {
            let amount = rng.range(40, 300) * 1_000_000 / 10; // ¥40,000 – ¥300,000 in ¥1,000 steps
            let code = format!("{fy}-{id:03}-{:02}", n + 1);
            let (bid,): (i64,) = sqlx::query_as(
                "INSERT INTO budget_lines (unit_id, code, fiscal_year, funding_source, purpose, \
                 econ_class, amount_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(id)
            .bind(&code)
            .bind(i64::from(fy))
            .bind(*source)
            .bind(*purpose)
            .bind(*class)
            .bind(amount)
            .bind(now - 400 * DAY)
            .fetch_one(&mut **tx)
            .await?;
            budgets.push(Budget {
                id: bid,
                unit,
                year: fy,
                amount,
                frozen: 0,
                spent: 0,
            });
        }
    }
    Ok(budgets)
}

/// Adds the suppliers (the last two waiting for admission, the one before them
/// suspended), the cities each serves and its owner's account; then the mall's operator and
/// regulator.
pub(super) async fn insert_suppliers(
    tx: &mut Transaction<'_, Any>,
    seeds: &[SupplierSeed],
    password_hash: &str,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Supplier>> {
    let n = seeds.len();
    let mut suppliers = Vec::with_capacity(n);
    for (i, s) in seeds.iter().enumerate() {
        // The last two wait for admission; the one before them is suspended.
        let status = match n - i {
            1 | 2 => "pending",
            3 => "suspended",
            _ => "admitted",
        };
        let admitted_at = (status != "pending").then_some(now - rng.range(200, 700) * DAY);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO suppliers (name, name_en, uscc, city, district, size, status, legal_rep, \
             contact, phone, email, address, created_at, admitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&s.name)
        .bind(&s.name_en)
        .bind(uscc("91", &s.district, rng)?)
        .bind(&s.city)
        .bind(&s.district)
        .bind(&s.size)
        .bind(status)
        .bind(&s.legal_rep)
        .bind(&s.contact)
        .bind(&s.phone)
        .bind(&s.email)
        .bind(&s.address)
        .bind(admitted_at.unwrap_or(now) - 10 * DAY)
        .bind(admitted_at)
        .fetch_one(&mut **tx)
        .await?;
        let cities = cities_served(s, rng);
        for c in &cities {
            sqlx::query("INSERT INTO supplier_cities (supplier_id, city) VALUES ($1, $2)")
                .bind(id)
                .bind(c)
                .execute(&mut **tx)
                .await?;
        }
        let username = if i == 0 {
            "demo-supplier".to_string()
        } else {
            format!("supplier{id:03}")
        };
        let user = users::insert(
            &mut **tx,
            &NewUser {
                username: &username,
                password_hash,
                display_name: &s.contact,
                role: Role::Supplier,
                unit_id: None,
                supplier_id: Some(id),
            },
        )
        .await?;
        // The registering account owns the supplier's staff.
        sqlx::query("UPDATE users SET is_owner = 1 WHERE id = $1")
            .bind(user)
            .execute(&mut **tx)
            .await?;
        suppliers.push(Supplier {
            id,
            admitted: status == "admitted",
            cities,
            user,
            username,
        });
    }
    insert_mall_staff(tx, password_hash).await?;
    Ok(suppliers)
}

/// 一地注册 区域通用: the cities a supplier serves; its own, and the other two for larger
/// suppliers (and some small ones).
fn cities_served(s: &SupplierSeed, rng: &mut Rng) -> Vec<String> {
    const CITIES: [&str; 3] = ["310100", "330100", "320500"];
    let mut cities = vec![s.city.clone()];
    for c in CITIES {
        let serve = match s.size.as_str() {
            "large" | "medium" => true,
            "small" => rng.chance(40),
            _ => false,
        };
        if serve && !cities.iter().any(|x| x == c) {
            cities.push(c.to_string());
        }
    }
    cities
}

/// Adds the mall's operator and the finance bureau's regulator.
async fn insert_mall_staff(
    tx: &mut Transaction<'_, Any>,
    password_hash: &str,
) -> anyhow::Result<()> {
    users::insert(
        &mut **tx,
        &NewUser {
            username: "demo-operator",
            password_hash,
            display_name: "卖场运营 · 周敏",
            role: Role::Operator,
            unit_id: None,
            supplier_id: None,
        },
    )
    .await?;
    users::insert(
        &mut **tx,
        &NewUser {
            username: "demo-regulator",
            password_hash,
            display_name: "财政监管 · 沈建华",
            role: Role::Regulator,
            unit_id: None,
            supplier_id: None,
        },
    )
    .await?;
    Ok(())
}

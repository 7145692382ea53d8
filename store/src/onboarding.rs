//! 供应商入驻: registration, the application's review by the operator, and resubmission,
//! each with its entry in the audit log.

use crate::audit::Journal;
use crate::clock;
use crate::db::Db;
use crate::outbox;
use crate::users::{self, NewUser};
use emall_domain::audit::{Action, Actor, Change, Object, ObjectKind, State, User};
use emall_domain::registration::Company;
use emall_domain::Role;
use sqlx::{Any, Transaction};

/// Why a registration or resubmission was refused by the database's facts.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The field that clashes with an existing supplier or user.
    Taken(&'static str),
    /// A region code the mall does not know.
    UnknownRegion(&'static str),
    /// The application is not in a state that allows this.
    WrongState,
}

async fn taken(
    tx: &mut Transaction<'_, Any>,
    company: &Company,
    except: Option<i64>,
) -> sqlx::Result<Option<&'static str>> {
    let except = except.unwrap_or(0);
    for (field, sql) in [
        (
            "uscc",
            "SELECT COUNT(*) FROM suppliers WHERE uscc = $1 AND id <> $2",
        ),
        (
            "company_name",
            "SELECT COUNT(*) FROM suppliers WHERE name = $1 AND id <> $2",
        ),
    ] {
        let value = if field == "uscc" {
            company.uscc.to_string()
        } else {
            company.name.clone()
        };
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(value)
            .bind(except)
            .fetch_one(&mut **tx)
            .await?;
        if n > 0 {
            return Ok(Some(field));
        }
    }
    Ok(None)
}

async fn unknown_region(
    tx: &mut Transaction<'_, Any>,
    company: &Company,
) -> sqlx::Result<Option<&'static str>> {
    let mut checks: Vec<(&'static str, String)> = vec![
        ("city", company.city.to_string()),
        ("district", company.district.to_string()),
    ];
    checks.extend(company.cities.iter().map(|c| ("cities", c.to_string())));
    for (field, code) in checks {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM regions WHERE code = $1")
            .bind(code)
            .fetch_one(&mut **tx)
            .await?;
        if n == 0 {
            return Ok(Some(field));
        }
    }
    Ok(None)
}

async fn log(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    decision: &str,
    reason: &str,
    user_id: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO supplier_reviews (supplier_id, decision, reason, user_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(supplier_id)
    .bind(decision)
    .bind(reason)
    .bind(user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What the audit log digests of an application: where it stands and what it says.
fn application_state(supplier_id: i64, status: &str, review_state: &str) -> State {
    State::new()
        .int("id", supplier_id)
        .text("status", status)
        .text("review_state", review_state)
}

fn company_state(state: State, company: &Company) -> State {
    let cities: Vec<String> = company.cities.iter().map(|c| c.to_string()).collect();
    state
        .text("name", company.name.clone())
        .text("uscc", company.uscc.to_string())
        .text("city", company.city.to_string())
        .text("district", company.district.to_string())
        .text("size", company.size.as_str())
        .text("legal_rep", company.legal_rep.clone())
        .text("bank_account", company.bank_account.clone())
        .text("cities", cities.join(","))
}

/// Appends one change of a supplier's application as the transaction's last write.
async fn audit(tx: &mut Transaction<'_, Any>, change: Change) -> anyhow::Result<()> {
    let mut journal = Journal::new();
    journal.push(change);
    journal.append(&mut **tx).await
}

async fn set_cities(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    company: &Company,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM supplier_cities WHERE supplier_id = $1")
        .bind(supplier_id)
        .execute(&mut **tx)
        .await?;
    for city in &company.cities {
        sqlx::query("INSERT INTO supplier_cities (supplier_id, city) VALUES ($1, $2)")
            .bind(supplier_id)
            .bind(city.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub struct Registered {
    pub supplier_id: i64,
    pub user_id: i64,
}

/// Creates the supplier (pending, application submitted) and its owner's account, in one
/// transaction.
pub async fn register(
    db: &Db,
    company: &Company,
    username: &str,
    password_hash: &str,
) -> anyhow::Result<Result<Registered, Refusal>> {
    let mut tx = db.begin_write().await?;
    if let Some(field) = taken(&mut tx, company, None).await? {
        return Ok(Err(Refusal::Taken(field)));
    }
    if let Some(field) = unknown_region(&mut tx, company).await? {
        return Ok(Err(Refusal::UnknownRegion(field)));
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(username.to_lowercase())
        .fetch_one(&mut *tx)
        .await?;
    if n > 0 {
        return Ok(Err(Refusal::Taken("username")));
    }
    let now = clock::now();
    let (supplier_id,): (i64,) = sqlx::query_as(
        "INSERT INTO suppliers (name, uscc, city, district, size, status, legal_rep, contact, phone, email, \
         address, created_at, sme_declared, bank_name, bank_account, review_state, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $14, 'submitted', $11) RETURNING id",
    )
    .bind(&company.name)
    .bind(company.uscc.to_string())
    .bind(company.city.to_string())
    .bind(company.district.to_string())
    .bind(company.size.as_str())
    .bind(&company.legal_rep)
    .bind(&company.contact)
    .bind(&company.phone)
    .bind(&company.email)
    .bind(&company.address)
    .bind(now)
    .bind(i64::from(company.sme_declared))
    .bind(&company.bank_name)
    .bind(&company.bank_account)
    .fetch_one(&mut *tx)
    .await?;
    set_cities(&mut tx, supplier_id, company).await?;
    let user_id = users::insert(
        &mut *tx,
        &NewUser {
            username,
            password_hash,
            display_name: &company.contact,
            role: Role::Supplier,
            unit_id: None,
            supplier_id: Some(supplier_id),
        },
    )
    .await?;
    sqlx::query("UPDATE users SET is_owner = 1 WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    log(&mut tx, supplier_id, "submit", "", user_id, now).await?;
    let after = company_state(
        application_state(supplier_id, "pending", "submitted"),
        company,
    );
    audit(
        &mut tx,
        Change::new(
            now,
            Actor::user(user_id, username.to_lowercase()),
            Object::new(ObjectKind::Supplier, supplier_id),
            Action::Register,
        )
        .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Registered {
        supplier_id,
        user_id,
    }))
}

pub use emall_model::Application;

pub async fn application(db: &Db, supplier_id: i64) -> sqlx::Result<Option<Application>> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT status, review_state, review_reason, name, uscc, legal_rep, contact, phone, email, city, district, \
         address, sme_declared, size, bank_name, bank_account, submitted_at FROM suppliers WHERE id = $1",
    )
    .bind(supplier_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let cities: Vec<(String,)> =
        sqlx::query_as("SELECT city FROM supplier_cities WHERE supplier_id = $1 ORDER BY city")
            .bind(supplier_id)
            .fetch_all(db.pool())
            .await?;
    let name: String = r.try_get("name")?;
    let submitted_at: Option<i64> = r.try_get("submitted_at")?;
    Ok(Some(Application {
        supplier_id,
        status: r.try_get("status")?,
        review_state: r.try_get("review_state")?,
        review_reason: r.try_get("review_reason")?,
        company: emall_domain::registration::CompanyInput {
            bank_account_name: name.clone(),
            company_name: name,
            uscc: r.try_get("uscc")?,
            legal_rep: r.try_get("legal_rep")?,
            contact: r.try_get("contact")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            city: r.try_get("city")?,
            district: r.try_get("district")?,
            address: r.try_get("address")?,
            size: r.try_get("size")?,
            sme_declared: r.try_get::<i64, _>("sme_declared")? == 1,
            bank_name: r.try_get("bank_name")?,
            bank_account: r.try_get("bank_account")?,
            cities: cities.into_iter().map(|(c,)| c).collect(),
        },
        submitted_at: submitted_at.map(clock::rfc3339),
    }))
}

/// The supplier corrects its application after a rejection or a request for changes.
pub async fn resubmit(
    db: &Db,
    supplier_id: i64,
    by: &User,
    company: &Company,
) -> anyhow::Result<Result<(), Refusal>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let was: Option<(String,)> = sqlx::query_as("SELECT review_state FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(field) = taken(&mut tx, company, Some(supplier_id)).await? {
        return Ok(Err(Refusal::Taken(field)));
    }
    if let Some(field) = unknown_region(&mut tx, company).await? {
        return Ok(Err(Refusal::UnknownRegion(field)));
    }
    let now = clock::now();
    let changed = sqlx::query(
        "UPDATE suppliers SET name = $1, uscc = $2, city = $3, district = $4, size = $5, legal_rep = $6, \
         contact = $7, phone = $8, email = $9, address = $10, sme_declared = $11, bank_name = $12, \
         bank_account = $13, review_state = 'submitted', review_reason = '', submitted_at = $14 \
         WHERE id = $15 AND status = 'pending' AND review_state IN ('changes_requested', 'rejected')",
    )
    .bind(&company.name)
    .bind(company.uscc.to_string())
    .bind(company.city.to_string())
    .bind(company.district.to_string())
    .bind(company.size.as_str())
    .bind(&company.legal_rep)
    .bind(&company.contact)
    .bind(&company.phone)
    .bind(&company.email)
    .bind(&company.address)
    .bind(i64::from(company.sme_declared))
    .bind(&company.bank_name)
    .bind(&company.bank_account)
    .bind(now)
    .bind(supplier_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(Err(Refusal::WrongState));
    }
    set_cities(&mut tx, supplier_id, company).await?;
    log(&mut tx, supplier_id, "submit", "", user_id, now).await?;
    let before = application_state(
        supplier_id,
        "pending",
        &was.map(|(s,)| s).unwrap_or_default(),
    );
    let after = company_state(
        application_state(supplier_id, "pending", "submitted"),
        company,
    );
    audit(
        &mut tx,
        Change::new(
            now,
            by.into(),
            Object::new(ObjectKind::Supplier, supplier_id),
            Action::Resubmit,
        )
        .before(&before)
        .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub use emall_model::AdmissionDecision as Decision;

/// The operator decides on a submitted application.
pub async fn review(
    db: &Db,
    supplier_id: i64,
    decision: Decision,
    reason: &str,
    by: &User,
) -> anyhow::Result<Result<(), Refusal>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let now = clock::now();
    const OPEN: &str = "WHERE id = $3 AND status = 'pending' AND review_state = 'submitted'";
    let changed = match decision {
        Decision::Admit => {
            let sql = format!(
                "UPDATE suppliers SET status = 'admitted', admitted_at = $1, review_state = 'admitted', \
                 review_reason = $2 {OPEN}"
            );
            sqlx::query(&sql)
                .bind(now)
                .bind(reason)
                .bind(supplier_id)
                .execute(&mut *tx)
                .await?
        }
        Decision::Reject | Decision::RequestChanges => {
            let sql = format!("UPDATE suppliers SET review_state = $1, review_reason = $2 {OPEN}");
            let state = if decision == Decision::Reject {
                "rejected"
            } else {
                "changes_requested"
            };
            sqlx::query(&sql)
                .bind(state)
                .bind(reason)
                .bind(supplier_id)
                .execute(&mut *tx)
                .await?
        }
    }
    .rows_affected();
    if changed == 0 {
        return Ok(Err(Refusal::WrongState));
    }
    log(
        &mut tx,
        supplier_id,
        decision.as_str(),
        reason,
        user_id,
        now,
    )
    .await?;
    let (status, state, action) = match decision {
        Decision::Admit => ("admitted", "admitted", Action::Admit),
        Decision::Reject => ("pending", "rejected", Action::Reject),
        Decision::RequestChanges => ("pending", "changes_requested", Action::RequestChanges),
    };
    audit(
        &mut tx,
        Change::new(
            now,
            by.into(),
            Object::new(ObjectKind::Supplier, supplier_id),
            action,
        )
        .before(&application_state(supplier_id, "pending", "submitted"))
        .after(&application_state(supplier_id, status, state).text("reason", reason)),
    )
    .await?;
    if decision == Decision::Admit {
        // Admission puts the supplier's existing listings on the storefront.
        outbox::record(&mut *tx, &outbox::Change::supplier(supplier_id)).await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// The application with the names pages show and its review history.
pub async fn view(db: &Db, supplier_id: i64) -> sqlx::Result<Option<emall_model::ApplicationView>> {
    let Some(a) = application(db, supplier_id).await? else {
        return Ok(None);
    };
    let name = |code: String| async move {
        super::regions::name(db, &code)
            .await
            .map(|n| n.unwrap_or(code))
    };
    let mut served = Vec::with_capacity(a.company.cities.len());
    for c in &a.company.cities {
        served.push(name(c.clone()).await?);
    }
    let province: Option<(Option<String>,)> =
        sqlx::query_as("SELECT parent FROM regions WHERE code = $1")
            .bind(&a.company.city)
            .fetch_optional(db.pool())
            .await?;
    let history: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT r.decision, r.reason, u.display_name, r.at FROM supplier_reviews r \
         LEFT JOIN users u ON u.id = r.user_id WHERE r.supplier_id = $1 ORDER BY r.at, r.id",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(emall_model::ApplicationView {
        supplier_id,
        province: province.and_then(|(p,)| p).unwrap_or_default(),
        city_name: name(a.company.city.clone()).await?,
        district_name: name(a.company.district.clone()).await?,
        served_city_names: served,
        status: a.status,
        review_state: a.review_state,
        review_reason: a.review_reason,
        company: a.company,
        submitted_at: a.submitted_at,
        history: history
            .into_iter()
            .map(|(d, r, by, at)| (d, r, by.unwrap_or_default(), clock::rfc3339(at)))
            .collect(),
        qualifications: super::qualifications::list(db, supplier_id).await?,
    }))
}

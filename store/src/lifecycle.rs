//! Moving an order through its lifecycle, with the budget line's money, the order's
//! milestones, the contract, the performance events and the audit log's entries in the
//! same transaction.

use super::audit::Journal;
use super::budgets::LineMoney;
use super::performance::{self, Parties};
use crate::clock;
use crate::db::Db;
use crate::users::Tenant;
use emall_domain::audit::{self, Change, Digest, Object, ObjectKind, State};
use emall_domain::calendar::WorkCalendar;
use emall_domain::lifecycle::{
    self, Action, Actor, Checked, DetailError, Details, LifecycleError, Money, Status,
};
use emall_domain::performance::EventKind;
use emall_domain::Fen;
use std::sync::Arc;

const DAY: i64 = 24 * 3600;

/// Who takes a step.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    Person {
        actor: Actor,
        tenant: Tenant,
        user_id: i64,
        /// As the audit log names them.
        username: &'a str,
    },
    /// The mall's timers (an order not confirmed in time).
    System,
}

impl By<'_> {
    fn actor(self) -> Actor {
        match self {
            By::Person { actor, .. } => actor,
            By::System => Actor::System,
        }
    }

    fn audit(self) -> audit::Actor {
        match self {
            By::Person {
                user_id, username, ..
            } => audit::Actor::user(user_id, username),
            By::System => audit::Actor::System,
        }
    }
}

/// What the audit log digests of an order: the facts a step may change.
pub fn order_state(id: i64, status: &str, total: Fen, budget_line: i64) -> State {
    State::new()
        .int("id", id)
        .text("status", status)
        .int("total_fen", total.get())
        .int("budget_line_id", budget_line)
}

/// The deadlines a step may set.
#[derive(Clone)]
pub struct Timing {
    pub calendar: Arc<WorkCalendar>,
    pub confirm_working_days: u32,
}

impl Timing {
    pub fn confirm_by(&self, placed_at: i64) -> i64 {
        self.calendar
            .add_working_days(placed_at, self.confirm_working_days)
    }
}

#[derive(Debug)]
pub enum Moved {
    Done { status: Status, supplier_id: i64 },
    NotFound,
    NotYours,
    WrongStatus,
    Invalid(DetailError),
}

type OrderRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
);

/// Takes one step now, in a transaction of its own.
pub async fn act(
    db: &Db,
    timing: &Timing,
    order_id: i64,
    by: By<'_>,
    action: Action,
    details: &Details,
) -> anyhow::Result<Moved> {
    let mut tx = db.begin_write().await?;
    let mut journal = Journal::new();
    let step = Step {
        order_id,
        by,
        action,
        now: clock::now(),
    };
    let moved = act_in(&mut tx, timing, step, details, &mut journal).await?;
    if let Moved::Done { .. } = moved {
        // Contracts and their amounts are published on the disclosure page.
        super::outbox::record(&mut *tx, &super::outbox::Change::disclosure()).await?;
        journal.append(&mut *tx).await?;
        tx.commit().await?;
    }
    Ok(moved)
}

/// One step: which order, who, what, when.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub order_id: i64,
    pub by: By<'a>,
    pub action: Action,
    pub now: i64,
}

/// Takes one step inside `tx`, its audit entries into `journal` for the caller to append
/// before committing (the demo seed replays history with it).
pub async fn act_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    timing: &Timing,
    step: Step<'_>,
    details: &Details,
    journal: &mut Journal,
) -> anyhow::Result<Moved> {
    let Step {
        order_id,
        by,
        action,
        now,
    } = step;
    let row: Option<OrderRow> = sqlx::query_as(
        "SELECT status, unit_id, supplier_id, budget_line_id, total_fen, placed_at, confirmed_at, \
         delivery_days, payment_due_at FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((
        status,
        unit_id,
        supplier_id,
        budget_line,
        total,
        placed_at,
        confirmed_at,
        delivery_days,
        payment_due,
    )) = row
    else {
        return Ok(Moved::NotFound);
    };
    if !is_party(by, unit_id, supplier_id) {
        // Another tenant's order: answered as one that does not exist.
        return Ok(Moved::NotFound);
    }
    let from = Status::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("order {order_id} has unknown status {status}"))?;
    let (to, money) = match lifecycle::transition(from, action, by.actor()) {
        Ok(t) => t,
        Err(LifecycleError::NotYours) => return Ok(Moved::NotYours),
        Err(LifecycleError::WrongStatus) => return Ok(Moved::WrongStatus),
    };
    let checked = match lifecycle::check_details(action, details, Fen(total)) {
        Ok(c) => c,
        Err(e) => return Ok(Moved::Invalid(e)),
    };
    let moved =
        sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(order_id)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if moved == 0 {
        return Ok(Moved::WrongStatus);
    }
    if matches!(to, Status::Cancelled | Status::Rejected) {
        // no longer counts towards a split purchase
        sqlx::query("DELETE FROM order_categories WHERE order_id = $1")
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
    }
    let parties = Parties {
        order_id,
        supplier_id,
        unit_id,
    };
    let facts = Facts {
        placed_at,
        confirmed_at,
        delivery_days,
        payment_due,
    };
    let contract = milestones(tx, timing, parties, action, by, &checked, &facts, now).await?;
    let total = Fen(total);
    let lines = move_money(tx, money, budget_line, total).await?;
    record_event(tx, step, to, &checked.note).await?;
    journal.push(step_change(
        step,
        from,
        to,
        total,
        budget_line,
        &checked,
        lines,
    ));
    if let Some(sha256) = contract {
        journal.push(contract_signed(step, total, &sha256)?);
    }
    Ok(Moved::Done {
        status: to,
        supplier_id,
    })
}

/// Whether the one taking a step is a party to the order: a buyer or approver of its unit,
/// its supplier, or the mall's timers.
fn is_party(by: By<'_>, unit_id: i64, supplier_id: i64) -> bool {
    match by {
        By::Person {
            tenant: Tenant::Unit(u),
            actor: Actor::Buyer | Actor::Approver,
            ..
        } => u == unit_id,
        By::Person {
            tenant: Tenant::Supplier(s),
            actor: Actor::Supplier,
            ..
        } => s == supplier_id,
        By::System => true,
        _ => false,
    }
}

/// Moves the order's money on its budget line as the step says (its freeze released, or
/// spent); the line before and after, when it moved.
async fn move_money(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    money: Money,
    budget_line: i64,
    total: Fen,
) -> anyhow::Result<Option<[LineMoney; 2]>> {
    Ok(match money {
        Money::Unchanged => None,
        Money::Release => {
            let after = super::budgets::release(&mut **tx, budget_line, total).await?;
            Some([after.before(Fen(-total.get()), Fen::ZERO), after])
        }
        Money::Spend => {
            let after = super::budgets::spend(&mut **tx, budget_line, total).await?;
            Some([after.before(Fen(-total.get()), total), after])
        }
    })
}

/// Writes the step into the order's events: what was done, the status it led to, by whom,
/// with the step's note.
async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    step: Step<'_>,
    to: Status,
    note: &str,
) -> anyhow::Result<()> {
    let Step {
        order_id,
        by,
        action,
        now,
    } = step;
    let user_id = match by {
        By::Person { user_id, .. } => Some(user_id),
        By::System => None,
    };
    sqlx::query("INSERT INTO order_events (order_id, action, status, user_id, note, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(order_id)
        .bind(action.as_str())
        .bind(to.as_str())
        .bind(user_id)
        .bind(note)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The step's audit entry: the order before and after (with the step's note, rating or
/// invoice), and its budget line when the step moved its money.
fn step_change(
    step: Step<'_>,
    from: Status,
    to: Status,
    total: Fen,
    budget_line: i64,
    checked: &Checked,
    lines: Option<[LineMoney; 2]>,
) -> Change {
    let Step {
        order_id,
        by,
        action,
        now,
    } = step;
    let mut before = State::new().part(
        "order",
        order_state(order_id, from.as_str(), total, budget_line),
    );
    let mut after_order = order_state(order_id, to.as_str(), total, budget_line);
    if !checked.note.is_empty() {
        after_order = after_order.text("note", checked.note.clone());
    }
    if let Some(rating) = checked.rating {
        after_order = after_order.int("rating", i64::from(rating));
    }
    if let Some((no, amount)) = &checked.invoice {
        after_order = after_order
            .text("invoice_no", no.clone())
            .int("invoice_fen", amount.get());
    }
    if let Some(shipment) = &checked.shipment {
        after_order = after_order
            .text("carrier", shipment.carrier.clone())
            .text("tracking_no", shipment.tracking_no.clone());
    }
    let mut after = State::new().part("order", after_order);
    let mut change = Change::new(
        now,
        by.audit(),
        Object::new(ObjectKind::Order, order_id),
        action.into(),
    );
    if let Some([line_before, line_after]) = lines {
        before = before.part("budget_line", line_before.state());
        after = after.part("budget_line", line_after.state());
        change = change
            .related(Object::new(ObjectKind::BudgetLine, budget_line))
            .amount(total);
    }
    change.before(&before).after(&after)
}

/// 电子合同: the entry of the order's contract as it is signed, its SHA-256 entering the
/// chain.
fn contract_signed(step: Step<'_>, total: Fen, sha256: &str) -> anyhow::Result<Change> {
    let Step {
        order_id, by, now, ..
    } = step;
    let digest = Digest::parse_hex(sha256)
        .ok_or_else(|| anyhow::anyhow!("contract of order {order_id}: not a SHA-256"))?;
    Ok(Change::new(
        now,
        by.audit(),
        Object::new(ObjectKind::Contract, order_id),
        audit::Action::Sign,
    )
    .related(Object::new(ObjectKind::Order, order_id))
    .amount(total)
    .after_digest(digest))
}

/// Orders still waiting for their supplier's confirmation after its deadline, the oldest
/// first (the timers cancel them).
pub async fn unconfirmed(db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE status = 'placed' AND confirm_by < $1 ORDER BY confirm_by LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Accepted or invoiced orders whose payment is past due and not yet flagged, the oldest
/// first (the timers flag them).
pub async fn payment_overdue(db: &Db, now: i64, limit: i64) -> sqlx::Result<Vec<Parties>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, supplier_id, unit_id FROM orders WHERE status IN ('accepted', 'invoiced') \
         AND payment_overdue = 0 AND payment_due_at < $1 ORDER BY payment_due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(order_id, supplier_id, unit_id)| Parties {
            order_id,
            supplier_id,
            unit_id,
        })
        .collect())
}

/// 付款逾期: flags an accepted or invoiced order whose payment is past due (the timers),
/// with its performance event and audit entry; `false` when it was flagged already (by
/// another node, say).
pub async fn flag_overdue(db: &Db, p: Parties, now: i64) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let flagged = sqlx::query(
        "UPDATE orders SET payment_overdue = 1, updated_at = $2 WHERE id = $1 \
         AND payment_overdue = 0 AND status IN ('accepted', 'invoiced')",
    )
    .bind(p.order_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if flagged == 0 {
        return Ok(false);
    }
    performance::record(&mut tx, p, EventKind::PaymentOverdue, 0, now).await?;
    let state = |flag: i64| {
        State::new().part(
            "order",
            State::new()
                .int("id", p.order_id)
                .int("payment_overdue", flag),
        )
    };
    let mut journal = Journal::new();
    journal.push(
        Change::new(
            now,
            audit::Actor::System,
            Object::new(ObjectKind::Order, p.order_id),
            audit::Action::FlagOverdue,
        )
        .before(&state(0))
        .after(&state(1)),
    );
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

struct Facts {
    placed_at: Option<i64>,
    confirmed_at: Option<i64>,
    delivery_days: i64,
    payment_due: Option<i64>,
}

/// Whole days late (at least 1 once past the due moment), or 0 when on time.
fn days_late(due: i64, at: i64) -> i64 {
    if at <= due {
        0
    } else {
        ((at - due) / DAY).max(1)
    }
}

/// What a step writes besides the status: the order's dates, inspection and invoice, the
/// contract at confirmation (its SHA-256 is returned when it was written now), and the
/// performance events.
#[allow(clippy::too_many_arguments)]
async fn milestones(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    timing: &Timing,
    p: Parties,
    action: Action,
    by: By<'_>,
    checked: &Checked,
    facts: &Facts,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let set = |sql: &'static str| sqlx::query(sql);
    let mut contract = None;
    match action {
        Action::Approve => {
            set("UPDATE orders SET placed_at = $1, confirm_by = $2 WHERE id = $3")
                .bind(now)
                .bind(timing.confirm_by(now))
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
        }
        Action::Confirm => {
            set("UPDATE orders SET confirmed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
            let placed = facts.placed_at.unwrap_or(now);
            let kind = if now <= timing.confirm_by(placed) {
                EventKind::ConfirmedInTime
            } else {
                EventKind::ConfirmedLate
            };
            performance::record(tx, p, kind, now - placed, now).await?;
            contract = super::contracts::sign(tx, p.order_id, now).await?;
        }
        Action::Deliver => {
            set("UPDATE orders SET delivered_at = $1 WHERE id = $2")
                .bind(now)
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
            let due = facts.confirmed_at.unwrap_or(now) + facts.delivery_days * DAY;
            let late = days_late(due, now);
            let kind = if late == 0 {
                EventKind::DeliveredOnTime
            } else {
                EventKind::DeliveredLate
            };
            performance::record(tx, p, kind, late, now).await?;
        }
        Action::Accept => {
            set("UPDATE orders SET accepted_at = $1, payment_due_at = $1 + payment_terms_days * 86400, \
                 rating = $2, inspection_notes = $3 WHERE id = $4")
                .bind(now)
                .bind(checked.rating.map(i64::from))
                .bind(&checked.note)
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
            performance::record(tx, p, EventKind::InspectionPassed, 0, now).await?;
            let rating = i64::from(checked.rating.unwrap_or(0));
            performance::record(tx, p, EventKind::Rated, rating, now).await?;
        }
        Action::RejectDelivery => {
            set("UPDATE orders SET inspection_notes = $1 WHERE id = $2")
                .bind(&checked.note)
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
            performance::record(tx, p, EventKind::InspectionFailed, 0, now).await?;
        }
        Action::Invoice => {
            let (no, amount) = checked.invoice.clone().unwrap_or_default();
            set("UPDATE orders SET invoice_no = $1, invoice_fen = $2 WHERE id = $3")
                .bind(no)
                .bind(amount.get())
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
        }
        Action::Pay => {
            set("UPDATE orders SET paid_at = $1 WHERE id = $2")
                .bind(now)
                .bind(p.order_id)
                .execute(&mut **tx)
                .await?;
            let late = days_late(facts.payment_due.unwrap_or(now), now);
            let kind = if late == 0 {
                EventKind::PaidOnTime
            } else {
                EventKind::PaidLate
            };
            performance::record(tx, p, kind, late, now).await?;
        }
        Action::Cancel => match by.actor() {
            Actor::Supplier => {
                performance::record(tx, p, EventKind::SupplierCancelled, 0, now).await?
            }
            Actor::System => performance::record(tx, p, EventKind::NotConfirmed, 0, now).await?,
            _ => {}
        },
        Action::Ship => {
            if let Some(shipment) = &checked.shipment {
                set("UPDATE orders SET carrier = $1, tracking_no = $2 WHERE id = $3")
                    .bind(&shipment.carrier)
                    .bind(&shipment.tracking_no)
                    .bind(p.order_id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Action::Decline => {}
    }
    Ok(contract)
}

#[cfg(test)]
mod tests {
    use super::days_late;

    #[test]
    fn lateness_counts_whole_days() {
        assert_eq!(days_late(1000, 1000), 0);
        assert_eq!(days_late(1000, 999), 0);
        assert_eq!(days_late(0, 1), 1);
        assert_eq!(days_late(0, 86_400), 1);
        assert_eq!(days_late(0, 86_401), 1);
        assert_eq!(days_late(0, 3 * 86_400 + 5), 3);
    }
}

//! The demo's past: each seeded order is walked through the real lifecycle
//! ([`act_in`]) at plausible past moments, so milestones, budgets, contracts,
//! performance events and audit entries are exactly what live use would have produced.

use super::rng::Rng;
use crate::audit::Journal;
use crate::complaints;
use crate::lifecycle::{act_in, By, Moved, Step, Timing};
use crate::performance::Parties;
use crate::users::Tenant;
use emall_domain::lifecycle::{Action, Actor, Details};
use sqlx::{Any, Transaction};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// A demo order; people as (user id, username).
pub struct Order<'a> {
    pub id: i64,
    pub unit_id: i64,
    pub buyer: (i64, &'a str),
    pub approver: (i64, &'a str),
    pub supplier_id: i64,
    pub supplier_user: (i64, &'a str),
    pub created: i64,
    pub delivery_days: i64,
    pub needs_approval: bool,
    pub reliable: bool,
}

/// The steps that lead from placement to `status`.
fn path(status: &str, approval: bool, rng: &mut Rng) -> Vec<Action> {
    use Action::*;
    let full = [Confirm, Ship, Deliver, Accept, Invoice, Pay];
    let upto = match status {
        "confirmed" => 1,
        "shipped" => 2,
        "delivered" => 3,
        "accepted" => 4,
        "invoiced" => 5,
        "paid" => 6,
        _ => 0,
    };
    let mut steps: Vec<Action> = Vec::new();
    if approval && status != "pending_approval" {
        steps.push(Approve);
    }
    if status == "cancelled" {
        // A buyer changing their mind, or a supplier unable to serve after all.
        if rng.chance(70) {
            steps.push(Cancel);
        } else {
            steps.extend([Confirm, Ship, Deliver, RejectDelivery]);
        }
        return steps;
    }
    steps.extend(full.into_iter().take(upto));
    steps
}

/// Hours after the previous step.
fn delay(action: Action, o: &Order<'_>, rng: &mut Rng) -> i64 {
    let slow = !o.reliable && rng.chance(25);
    match action {
        Action::Approve => rng.range(1, 6) * HOUR,
        Action::Confirm if slow => rng.range(40, 80) * HOUR,
        Action::Confirm => rng.range(1, 30) * HOUR,
        Action::Ship => rng.range(1, 6) * HOUR,
        Action::Deliver if slow => o.delivery_days * DAY + rng.range(1, 5) * DAY,
        Action::Deliver => o.delivery_days * DAY * rng.range(20, 70) / 100,
        Action::Accept | Action::RejectDelivery => rng.range(4, 72) * HOUR,
        Action::Invoice => rng.range(1, 5) * DAY,
        Action::Pay if rng.chance(8) => rng.range(27, 40) * DAY,
        Action::Pay => rng.range(4, 22) * DAY,
        Action::Cancel | Action::Decline => rng.range(1, 20) * HOUR,
    }
}

pub async fn replay(
    tx: &mut Transaction<'_, Any>,
    timing: &Timing,
    o: &Order<'_>,
    status: &str,
    now: i64,
    rng: &mut Rng,
    journal: &mut Journal,
) -> anyhow::Result<()> {
    let steps = path(status, o.needs_approval, rng);
    let mut offsets = Vec::with_capacity(steps.len());
    let mut t = 0;
    for &a in &steps {
        t += delay(a, o, rng);
        offsets.push(t);
    }
    // Squeeze the history into the time that has passed since the order was placed.
    let room = (now - 60 - o.created).max(steps.len() as i64);
    let scale = |off: i64| {
        if t > room {
            (i128::from(off) * i128::from(room) / i128::from(t)) as i64
        } else {
            off
        }
    };
    let buyer = By::Person {
        actor: Actor::Buyer,
        tenant: Tenant::Unit(o.unit_id),
        user_id: o.buyer.0,
        username: o.buyer.1,
    };
    let supplier = By::Person {
        actor: Actor::Supplier,
        tenant: Tenant::Supplier(o.supplier_id),
        user_id: o.supplier_user.0,
        username: o.supplier_user.1,
    };
    let cancel_by_supplier = rng.chance(30);
    for (i, &action) in steps.iter().enumerate() {
        let at = o.created + scale(offsets[i]).max(i as i64 + 1);
        let by = match action {
            Action::Approve | Action::Decline => By::Person {
                actor: Actor::Approver,
                tenant: Tenant::Unit(o.unit_id),
                user_id: o.approver.0,
                username: o.approver.1,
            },
            Action::Confirm | Action::Ship | Action::Deliver | Action::Invoice => supplier,
            Action::Cancel if cancel_by_supplier && !o.needs_approval => supplier,
            _ => buyer,
        };
        let details = match action {
            Action::Accept => Details {
                rating: Some(if o.reliable {
                    rng.range(4, 5)
                } else {
                    rng.range(2, 5)
                }),
                ..Details::default()
            },
            Action::RejectDelivery => Details {
                note: "规格与合同不符，退货 / not as specified".into(),
                ..Details::default()
            },
            Action::Invoice => Details {
                invoice_no: Some(format!("2631{:016}", o.id)),
                ..Details::default()
            },
            Action::Cancel => Details {
                note: "需求变更 / requirement changed".into(),
                ..Details::default()
            },
            _ => Details::default(),
        };
        let step = Step {
            order_id: o.id,
            by,
            action,
            now: at,
        };
        match act_in(tx, timing, step, &details, journal).await? {
            Moved::Done { .. } => {}
            other => anyhow::bail!("demo order {}: {action:?} refused: {other:?}", o.id),
        }
        if action == Action::Deliver && !o.reliable && rng.chance(20) {
            complain(tx, o, at + 2 * HOUR).await?;
        }
    }
    Ok(())
}

/// A complaint about a late or poor delivery, answered by the supplier.
async fn complain(tx: &mut Transaction<'_, Any>, o: &Order<'_>, at: i64) -> anyhow::Result<()> {
    let parties = Parties {
        order_id: o.id,
        supplier_id: o.supplier_id,
        unit_id: o.unit_id,
    };
    let body = "送货延误且未提前告知，外包装有破损。";
    let id = complaints::file_in(tx, parties, o.buyer.0, body, at).await?;
    sqlx::query(
        "UPDATE complaints SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4",
    )
    .bind("已核实，物流环节延误，已为贵单位更换包装并加强配送管理。")
    .bind(o.supplier_user.0)
    .bind(at + 20 * HOUR)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

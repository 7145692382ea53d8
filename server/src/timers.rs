//! The mall's clocks: orders not confirmed in time are cancelled, payments past their due
//! date are flagged, joint-purchase pools are settled at their deadline, lapsed
//! qualifications suspend their supplier's offers, and scores follow the rolling 12-month
//! window. Each run first reloads the working-day calendar, so a year loaded on any node
//! counts on every node from its next run, and last verifies the audit log's new entries.
//!
//! Safe on several nodes at once: every change is a conditional UPDATE on the row's current
//! state inside a transaction, and a performance event is unique per order and kind, so a
//! node that loses a race changes nothing.

use crate::state::AppState;
use emall_domain::lifecycle::{Action, Details};
use emall_store::clock;
use emall_store::lifecycle::{self, By, Moved};
use emall_store::performance;
use std::time::Duration;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub cancelled: usize,
    pub overdue: usize,
    pub rescored: usize,
    /// Products whose offers a lapsed qualification suspended.
    pub suspended_products: usize,
    /// Joint-purchase pools settled at their deadline.
    pub pools_closed: usize,
    /// Credit suspensions that ended (the supplier sells again).
    pub suspensions_ended: usize,
    /// Red flags found for the first time by the hourly scan.
    pub new_alerts: usize,
    /// Months of dashboard figures rebuilt from changed orders.
    pub dashboard_months: usize,
    /// The audit log's chain broke at this entry (found among the entries new since the
    /// last check).
    pub audit_broken_at: Option<i64>,
}

/// Rows handled per kind and run; the next run takes the rest.
const BATCH: i64 = 500;
const RESCORE_EVERY_SECS: i64 = 3600;

/// Runs the timers every `timer_interval_secs` until the process ends.
pub fn spawn(state: AppState) {
    let every = state.settings.timer_interval_secs;
    if every == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_rescore = 0;
        loop {
            tick.tick().await;
            let now = clock::now();
            let rescore_all = now - last_rescore >= RESCORE_EVERY_SECS;
            match run_once(&state, now, rescore_all).await {
                Ok(report) => {
                    if rescore_all {
                        last_rescore = now;
                    }
                    if report != Report::default() {
                        tracing::info!(?report, "timers");
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "timers failed; retrying next tick"),
            }
        }
    });
}

/// One pass of every timer as of `now`.
pub async fn run_once(state: &AppState, now: i64, rescore_all: bool) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let db = &state.db;
    // A year the operator loaded on another node counts here from this run on.
    state.calendar.reload(db).await?;
    // Throttle keys quiet for a day have been forgotten by every policy.
    emall_store::throttles::prune(db, now - 24 * 3600).await?;
    let mut touched = Vec::new();

    let timing = state.timing();
    for order_id in lifecycle::unconfirmed(db, now, BATCH).await? {
        let note = Details {
            note: "未在规定的工作日内确认，系统自动取消 / not confirmed in time".into(),
            ..Details::default()
        };
        if let Moved::Done { supplier_id, .. } =
            lifecycle::act(db, &timing, order_id, By::System, Action::Cancel, &note).await?
        {
            report.cancelled += 1;
            touched.push(supplier_id);
        }
    }

    for parties in lifecycle::payment_overdue(db, now, BATCH).await? {
        if lifecycle::flag_overdue(db, parties, now).await? {
            report.overdue += 1;
        }
    }

    let closing = emall_store::pools::Closing {
        by: emall_domain::audit::Actor::System,
        timing: &timing,
        payment_terms_days: state.settings.rules.payment_terms_days,
    };
    let closed = emall_store::pools::close_due(db, &closing, now).await?;
    report.pools_closed = closed.len();

    // A city price cap that just ran out: search shows the offers' own prices again.
    let window = (state.settings.timer_interval_secs as i64).max(1) * 2;
    emall_store::pools::announce_ended_caps(db, now, window).await?;

    // Suspensions that ran their course: the supplier's offers return to search.
    report.suspensions_ended = emall_store::credit::end_due(db, now).await?.len();

    let today = emall_domain::calendar::Date::of(now).to_string();
    let suspended = emall_store::qualifications::lapse_expired(db, &today, now).await?;
    report.suspended_products = suspended.len();

    if rescore_all {
        // The red-flag rules over the whole mall, hourly; findings are upserted by key, so
        // every node may run them.
        let (_, new) = emall_store::alerts::scan(db, &state.thresholds(), now).await?;
        report.new_alerts = new;
        touched.extend(emall_store::suppliers::all_ids(db).await?);
    }
    report.dashboard_months = emall_store::dashboard::refresh(db, now).await?;
    touched.sort_unstable();
    touched.dedup();
    for supplier_id in touched {
        if performance::rescore(db, supplier_id, now).await? {
            report.rescored += 1;
        }
    }
    // The entries appended since the last check: pages verify only what comes after it.
    if let Some(broken) = emall_store::audit::check_new(db, now).await? {
        tracing::error!(%broken, "the audit log's chain is broken: run `emall audit verify`");
        report.audit_broken_at = Some(broken.seq);
    }
    Ok(report)
}

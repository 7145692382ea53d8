//! What every handler shares.

use crate::auth::throttle::Throttle;
use crate::cache::PageCache;
use crate::calendar::SharedCalendar;
use crate::changes::ChangeFeed;
use crate::metrics::Metrics;
use crate::render::Renderer;
use crate::search::SearchService;
use crate::settings::Settings;
use emall_store::catalogue::Categories;
use emall_store::db::Db;
use emall_store::lifecycle::Timing;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub renderer: Arc<Renderer>,
    /// Attempts strangers can repeat (sign-in, registration, invitations), counted in the
    /// database.
    pub throttle: Throttle,
    /// Gates for CPU-heavy work any request can ask for.
    pub scarce: Arc<crate::scarce::Scarce>,
    pub metrics: Arc<Metrics>,
    pub search: Arc<SearchService>,
    /// Rendered public pages.
    pub cache: Arc<PageCache>,
    /// Where every change to what public pages show is announced.
    pub changes: Arc<ChangeFeed>,
    /// The procurement catalogue's categories, loaded at start.
    pub categories: Arc<Categories>,
    /// Working days for lifecycle deadlines: shipped and loaded years, reloaded by the
    /// timers.
    pub calendar: SharedCalendar,
}

impl AppState {
    /// The red-flag thresholds, with the cap and the split window of the purchase rules.
    pub fn thresholds(&self) -> emall_domain::redflags::Thresholds {
        let rules = self.settings.rules.purchase();
        emall_domain::redflags::Thresholds {
            order_cap: rules.order_cap,
            split_window_days: rules.split_window_days,
            ..self.settings.red_flags
        }
    }

    /// The deadlines' rules as they are now (a reload later does not change them).
    pub fn timing(&self) -> Timing {
        Timing {
            calendar: self.calendar.get(),
            confirm_working_days: self.settings.rules.confirm_working_days,
        }
    }
}

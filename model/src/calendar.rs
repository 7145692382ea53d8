//! The working-day calendar (工作日历) as the operator sees it: the years in effect, the
//! years missing, and the form that loads one.

use super::Me;
use serde::{Deserialize, Serialize};

/// A year of the working-day calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarYearView {
    pub year: i32,
    /// `shipped` (comes with the mall) or `loaded` (by the operator, in place of any
    /// shipped calendar of that year)
    pub origin: String,
    /// Where the dates come from, e.g. the notice's title.
    pub source: Option<String>,
    /// Days off listed, weekends among them where the notice lists them.
    pub holidays: usize,
    /// Make-up working days (调休).
    pub workdays: usize,
    /// RFC 3339, for a loaded year.
    pub loaded_at: Option<String>,
    /// The operator's username, for a loaded year.
    pub loaded_by: Option<String>,
}

impl CalendarYearView {
    pub fn is_loaded(&self) -> bool {
        self.origin == "loaded"
    }
}

/// The years a deadline set today may reach (this one and the next) without a calendar,
/// and what the viewer may do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarNotice {
    pub missing: Vec<i32>,
    /// The operator may load a year; the regulator sees the notice only.
    pub can_load: bool,
    /// The session's CSRF token, sent back by the form that loads a year (it works
    /// without script, so it cannot set the header).
    pub csrf_token: String,
}

/// `/console/calendar`: the years in effect and the form to load one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub me: Me,
    pub years: Vec<CalendarYearView>,
    pub notice: CalendarNotice,
    /// The file's text as sent, kept after a refusal.
    pub text: String,
    /// Why it was refused, one line per fault.
    pub errors: Vec<String>,
    /// The year just loaded.
    pub loaded: Option<i32>,
}

//! The node's working-day calendar: the years the mall ships with, and in their place the
//! years the operator loaded. Read from the database at start and at every timer run, so
//! every node counts deadlines with a loaded year within one timer interval; the node that
//! takes the load swaps at once.

use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::state::AppState;
use emall_app::model::CalendarYearView;
use emall_app::{Locale, Msg};
use emall_domain::calendar::{Date, WorkCalendar, YearCalendar, YearFileError, YearFileProblem};
use emall_domain::Role;
use emall_store::calendar::{self as store, LoadedYear};
use emall_store::clock;
use emall_store::db::Db;
use std::sync::{Arc, RwLock};

/// The calendar every handler and timer reads; a reload swaps it whole, so a deadline is
/// always counted on one version.
#[derive(Clone)]
pub struct SharedCalendar(Arc<RwLock<Arc<WorkCalendar>>>);

impl SharedCalendar {
    pub fn new(calendar: WorkCalendar) -> SharedCalendar {
        SharedCalendar(Arc::new(RwLock::new(Arc::new(calendar))))
    }

    /// The shipped years with the loaded ones in their place.
    pub async fn load(db: &Db) -> anyhow::Result<SharedCalendar> {
        Ok(SharedCalendar::new(build(&store::loaded(db).await?)))
    }

    pub fn get(&self) -> Arc<WorkCalendar> {
        // A writer cannot panic while holding the lock (it only swaps an Arc).
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub async fn reload(&self, db: &Db) -> anyhow::Result<()> {
        let calendar = Arc::new(build(&store::loaded(db).await?));
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = calendar;
        Ok(())
    }

    /// The years a deadline set now may reach that have no calendar.
    pub fn missing_years(&self) -> Vec<i32> {
        self.get().missing_years(Date::of(clock::now()))
    }
}

/// The shipped calendar with the loaded years in place of the same years. A stored file
/// that no longer parses (the rules grew stricter) is skipped with a warning: the shipped
/// year or the fallback applies and the year shows as missing.
pub fn build(loaded: &[LoadedYear]) -> WorkCalendar {
    WorkCalendar::china().with_years(loaded.iter().filter_map(parse))
}

fn parse(loaded: &LoadedYear) -> Option<YearCalendar> {
    YearCalendar::parse(&loaded.body)
        .map_err(|errors| {
            tracing::warn!(
                year = loaded.year,
                ?errors,
                "a loaded calendar year no longer parses"
            );
        })
        .ok()
}

/// Every year in effect, shipped or loaded, in order.
pub async fn years(db: &Db) -> sqlx::Result<Vec<CalendarYearView>> {
    let loaded: Vec<(LoadedYear, YearCalendar)> = store::loaded(db)
        .await?
        .into_iter()
        .filter_map(|l| parse(&l).map(|y| (l, y)))
        .collect();
    let mut views: Vec<CalendarYearView> = WorkCalendar::shipped()
        .iter()
        .filter(|s| !loaded.iter().any(|(_, y)| y.year() == s.year()))
        .map(|s| view(s, None))
        .collect();
    views.extend(loaded.iter().map(|(l, y)| view(y, Some(l))));
    views.sort_by_key(|v| v.year);
    Ok(views)
}

fn view(year: &YearCalendar, loaded: Option<&LoadedYear>) -> CalendarYearView {
    CalendarYearView {
        year: year.year(),
        origin: if loaded.is_some() {
            "loaded"
        } else {
            "shipped"
        }
        .into(),
        source: year.source().map(str::to_string),
        holidays: year.holidays().len(),
        workdays: year.workdays().len(),
        loaded_at: loaded.map(|l| clock::rfc3339(l.loaded_at)),
        loaded_by: loaded.map(|l| l.loaded_by.clone()),
    }
}

/// Loads a year's file for the operator: parsed, stored, and this node's calendar swapped.
/// The faults, each with its line, when the file is wrong (nothing stored).
pub async fn load_year(
    state: &AppState,
    viewer: &Viewer,
    text: &str,
) -> ApiResult<Result<(YearCalendar, bool), Vec<YearFileError>>> {
    viewer.require(&[Role::Operator])?;
    let year = match YearCalendar::parse(text) {
        Ok(year) => year,
        Err(errors) => return Ok(Err(errors)),
    };
    let replaced = emall_store::calendar::save(
        &state.db,
        year.year(),
        text,
        &viewer.user(),
        emall_store::clock::now(),
    )
    .await?;
    state.calendar.reload(&state.db).await?;
    tracing::info!(
        year = year.year(),
        replaced,
        by = %viewer.username,
        "working-day calendar loaded"
    );
    Ok(Ok((year, replaced)))
}

/// A fault as a person reads it: `第 4 行：不是有效日期（…）：2027-02-30`.
pub fn fault_text(locale: Locale, e: &YearFileError) -> String {
    use YearFileProblem as P;
    let (msg, detail) = match &e.problem {
        P::Syntax => (Msg::CalSyntax, None),
        P::UnknownKey(k) => (Msg::CalUnknownKey, Some(k.clone())),
        P::RepeatedKey(k) => (Msg::CalRepeatedKey, Some(k.clone())),
        P::NoYear => (Msg::CalNoYear, None),
        P::BadYear => (Msg::CalBadYear, None),
        P::BadSource => (Msg::CalBadSource, None),
        P::NotAList(k) => (Msg::CalNotAList, Some(k.clone())),
        P::BadDate(s) => (Msg::CalBadDate, Some(s.clone())),
        P::BadRange(s) => (Msg::CalBadRange, Some(s.clone())),
        P::OutsideYear(d) => (Msg::CalOutsideYear, Some(d.to_string())),
        P::Repeated(d) => (Msg::CalRepeated, Some(d.to_string())),
        P::OffAndWorked(d) => (Msg::CalOffAndWorked, Some(d.to_string())),
        P::WorkdayNotWeekend(d) => (Msg::CalWorkdayNotWeekend, Some(d.to_string())),
        P::StatutoryMissing(d) => (Msg::CalStatutoryMissing, Some(d.to_string())),
    };
    let colon = match locale {
        Locale::ZhCn => "：",
        Locale::En => ": ",
    };
    let mut text = format!("{}{colon}{}", line_label(locale, e.line), locale.t(msg));
    if let Some(detail) = detail {
        text.push_str(colon);
        text.push_str(&detail);
    }
    text
}

fn line_label(locale: Locale, line: usize) -> String {
    if line == 0 {
        locale.t(Msg::CalendarWholeFile).to_string()
    } else {
        locale.fill(Msg::RowLabel, &[("line", &line)])
    }
}

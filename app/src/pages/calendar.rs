use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{CalendarNotice, CalendarPage};
use leptos::prelude::*;

/// `/console/calendar`: the years of the working-day calendar in effect, the years a
/// deadline may reach without one, and a plain form (no script needed) to load a year.
pub fn calendar(locale: Locale, page: CalendarPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let can_load = page.notice.can_load;
    let form = can_load.then(|| load_form(locale, &page.notice.csrf_token, page.text.clone()));
    view! {
        {page_heading(t(Msg::CalendarTitle), page.me.org_label(locale))}
        {page.loaded.map(|year| view! {
            <p class="alert success" role="status" id="calendar-loaded">{t(Msg::CalendarLoadedOk)}" "{year}</p>
        })}
        {(!page.errors.is_empty()).then(|| view! {
            <div class="alert error" role="alert" id="calendar-errors">
                <p>{t(Msg::CalendarRefused)}</p>
                <ul>{page.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            </div>
        })}
        {missing_years(locale, &page.notice.missing)}
        <section class="panel" aria-labelledby="calendar-years-heading">
            <h2 id="calendar-years-heading">{t(Msg::CalendarTitle)}</h2>
            <div class="table-scroll" tabindex="0"><table class="data" id="calendar-years">
                <thead><tr>
                    <th scope="col">{t(Msg::CalendarYear)}</th>
                    <th scope="col">{t(Msg::CalendarOrigin)}</th>
                    <th scope="col">{t(Msg::CalendarSource)}</th>
                    <th scope="col" class="num">{t(Msg::CalendarHolidays)}</th>
                    <th scope="col" class="num">{t(Msg::CalendarWorkdays)}</th>
                    <th scope="col">{t(Msg::CalendarLoadedAt)}</th>
                </tr></thead>
                <tbody>
                    {page.years.into_iter().map(|y| {
                        let origin = if y.is_loaded() {
                            t(Msg::CalendarLoadedByOperator)
                        } else {
                            t(Msg::CalendarShipped)
                        };
                        let loaded = y.loaded_at.as_deref().map(format::time).unwrap_or_default();
                        let by = y.loaded_by.map(|u| format!(" · {u}")).unwrap_or_default();
                        view! {
                            <tr><td>{y.year}</td><td>{origin}</td><td>{y.source.unwrap_or_default()}</td>
                            <td class="num">{y.holidays}</td><td class="num">{y.workdays}</td>
                            <td>{loaded}{by}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        {form.map(|f| view! {
            <section class="panel" aria-labelledby="calendar-load-heading">
                <h2 id="calendar-load-heading">{t(Msg::CalendarFile)}</h2>
                {f}
            </section>
        })}
    }
    .into_any()
}

/// On the console: which years have no calendar, with the form to load one; nothing when
/// every year a deadline may reach has one.
pub fn calendar_notice(locale: Locale, notice: &CalendarNotice) -> Option<AnyView> {
    if notice.missing.is_empty() {
        return None;
    }
    let t = move |m: Msg| locale.t(m);
    let form = notice
        .can_load
        .then(|| load_form(locale, &notice.csrf_token, String::new()));
    Some(
        view! {
            <section class="panel" aria-labelledby="calendar-notice-heading" id="calendar-notice">
                <h2 id="calendar-notice-heading">
                    <a href=locale.href("/console/calendar")>{t(Msg::CalendarTitle)}</a>
                </h2>
                {missing_years(locale, &notice.missing)}
                {form.map(|f| view! {
                    <details><summary>{t(Msg::CalendarFile)}</summary>{f}</details>
                })}
            </section>
        }
        .into_any(),
    )
}

fn missing_years(locale: Locale, missing: &[i32]) -> Option<AnyView> {
    if missing.is_empty() {
        return None;
    }
    let t = move |m: Msg| locale.t(m);
    let years = missing
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        view! {
            <div class="alert warning" role="status" id="calendar-missing">
                <p><strong>{t(Msg::CalendarMissing)}" "<span id="calendar-missing-years">{years}</span></strong></p>
                <p>{t(Msg::CalendarMissingHint)}</p>
            </div>
        }
        .into_any(),
    )
}

/// Posts the file's text with the session's CSRF token as a field: a plain form cannot
/// send the header that scripts send.
fn load_form(locale: Locale, csrf_token: &str, text: String) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <form method="post" action=locale.href("/console/calendar") class="stack" id="calendar-form">
            <input type="hidden" name="csrf_token" value=csrf_token.to_string()/>
            <label for="calendar-text">{t(Msg::CalendarFile)}</label>
            <textarea id="calendar-text" name="text" rows="14" required=true class="mono">{text}</textarea>
            <p class="subtle">{t(Msg::CalendarFileHint)}</p>
            <button type="submit" class="primary">{t(Msg::CalendarLoad)}</button>
        </form>
    }
    .into_any()
}

use super::home_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{
    ConsolePage, Dashboard, DashboardFilter, DashboardTable, FilterNote, MonthAmount, Slice,
};
use emall_domain::Role;
use leptos::prelude::*;

/// The operator's and regulator's console: 一屏管交易, the whole mall's numbers on one
/// screen, narrowed by a plain GET form so that it works without JavaScript.
pub fn console(locale: Locale, page: ConsolePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let title = match page.me.role {
        Role::Regulator => t(Msg::RegulatorConsoleTitle),
        _ => t(Msg::OperatorConsoleTitle),
    };
    let d = page.dashboard;
    let query = filter_query(&d.filter);
    let as_of = if d.as_of.is_empty() {
        t(Msg::DashNotYet).to_string()
    } else {
        format::time(&d.as_of)
    };
    let calendar = super::calendar::calendar_notice(locale, &page.calendar);
    view! {
        {home_heading(locale, title, page.me.org_label(locale))}
        {calendar}
        {filter_form(locale, &d)}
        {filter_notes(locale, &page.filter_notes)}
        <p class="subtle" id="dash-as-of">{t(Msg::DashAsOf)}" "{as_of}</p>
        {indicators(locale, &d, &query)}
        <div class="grid-2">
            <section class="panel" aria-labelledby="monthly-heading">
                <h2 id="monthly-heading">{t(Msg::MonthlySpend)}</h2>
                {monthly_chart(&d.monthly)}
                <details>
                    <summary>{t(Msg::MonthlySpend)}</summary>
                    <table class="data" id="dash-monthly">
                        <thead><tr><th>{t(Msg::DashMonth)}</th><th class="num">{t(Msg::DashOrders)}</th><th class="num">{t(Msg::DashSpend)}</th></tr></thead>
                        <tbody>
                            {d.monthly.iter().map(|m| view! {
                                <tr><td>{m.month.clone()}</td><td class="num">{format::count(m.orders, locale)}</td>
                                <td class="num">{m.amount.to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
                {exports(locale, DashboardTable::Monthly, &query)}
            </section>
            {breakdown(locale, "categories", Msg::DashByCategory, &d.by_category, DashboardTable::Categories, &query, Some(&d.filter))}
        </div>
        <div class="grid-2">
            {breakdown(locale, "suppliers", Msg::DashBySupplier, &d.by_supplier, DashboardTable::Suppliers, &query, None)}
            {breakdown(locale, "units", Msg::DashByUnit, &d.by_unit, DashboardTable::Units, &query, None)}
        </div>
        {late_payments(locale, &d.late_payments, &query)}
        <p><a class="button secondary" id="listing-queue-link" href=locale.href("/console/listings")>{t(Msg::ListingQueueTitle)}</a>" "
            <a class="button secondary" id="pool-console-link" href=locale.href("/console/pools")>{t(Msg::PoolConsoleTitle)}</a>" "
            <a class="button secondary" id="alerts-link" href=locale.href("/console/alerts")>{t(Msg::AlertsTitle)}</a>" "
            <a class="button secondary" id="calendar-link" href=locale.href("/console/calendar")>{t(Msg::CalendarTitle)}</a>" "
            <a class="button secondary" id="audit-link" href=locale.href("/console/audit")>{t(Msg::AuditTitle)}</a></p>
        <section class="panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{t(Msg::SupplierQueue)}</h2>
            {if page.supplier_queue.is_empty() {
                view! { <p class="empty">"—"</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="data">
                        <tbody>
                            {page.supplier_queue.into_iter().map(|s| view! {
                                <tr><td><a href=locale.href(&format!("/console/suppliers/{}", s.id))>{s.name}</a></td><td class="mono">{s.uscc}</td>
                                <td>{t(format::supplier_size(&s.size))}</td><td>{s.city_name}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// What of the asked filter the figures leave out, in words, beside the form.
fn filter_notes(locale: Locale, notes: &[FilterNote]) -> Option<AnyView> {
    let t = move |m: Msg| locale.t(m);
    let period = |problem: String| locale.fill(Msg::DashDefaultPeriod, &[("problem", &problem)]);
    let words = |n: &FilterNote| match n {
        FilterNote::Month => period(t(Msg::ErrMonth).to_string()),
        FilterNote::MonthOrder => period(t(Msg::ErrMonthOrder).to_string()),
        FilterNote::MonthSpan { max } => period(locale.fill(Msg::ErrMonthSpan, &[("max", max)])),
        FilterNote::Ignored { field } => {
            let field = match field.as_str() {
                "city" => t(Msg::City),
                "district" => t(Msg::DashDistrict),
                "category" => t(Msg::DashCategory),
                "unit" => t(Msg::DashUnit),
                _ => t(Msg::Filter),
            };
            locale.fill(Msg::DashIgnoredField, &[("field", &field)])
        }
    };
    (!notes.is_empty()).then(|| {
        view! {
            <div class="alert warning" role="status" id="dash-notes">
                <ul>{notes.iter().map(|n| view! { <li>{words(n)}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    })
}

/// The filter's query string (without `?`).
fn filter_query(f: &DashboardFilter) -> String {
    let mut q = format!("from={}&to={}", f.from, f.to);
    for (k, v) in [
        ("city", &f.city),
        ("district", &f.district),
        ("category", &f.category),
    ] {
        if !v.is_empty() {
            q.push_str(&format!("&{k}={}", format::urlencode(v)));
        }
    }
    if let Some(u) = f.unit {
        q.push_str(&format!("&unit={u}"));
    }
    q
}

fn filter_form(locale: Locale, d: &Dashboard) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let f = &d.filter;
    let option = |value: String, label: String, chosen: &str| {
        let selected = value == chosen;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let unit = f.unit.map(|u| u.to_string()).unwrap_or_default();
    view! {
        <form class="dash-filter panel" method="get" action=locale.href("/console") id="dash-filter">
            <label>{t(Msg::DashFrom)}<input type="month" name="from" value=f.from.clone() required=true/></label>
            <label>{t(Msg::DashTo)}<input type="month" name="to" value=f.to.clone() required=true/></label>
            <label>{t(Msg::City)}
                <select name="city">
                    <option value="">{t(Msg::DashAllCities)}</option>
                    {d.cities.iter().map(|c| option(c.code.clone(), c.name.clone(), &f.city)).collect_view()}
                </select>
            </label>
            <label>{t(Msg::DashDistrict)}
                <select name="district" disabled=d.districts.is_empty()>
                    <option value="">{t(Msg::DashAllDistricts)}</option>
                    {d.districts.iter().map(|c| option(c.code.clone(), c.name.clone(), &f.district)).collect_view()}
                </select>
            </label>
            <label>{t(Msg::DashCategory)}
                <select name="category">
                    <option value="">{t(Msg::AllCategories)}</option>
                    {d.categories.iter().map(|c| option(c.value.clone(), c.label.clone(), &f.category)).collect_view()}
                </select>
            </label>
            <label>{t(Msg::DashUnit)}
                <select name="unit" disabled=d.units.is_empty()>
                    <option value="">{t(Msg::DashAllUnits)}</option>
                    {d.units.iter().map(|c| option(c.value.clone(), c.label.clone(), &unit)).collect_view()}
                </select>
            </label>
            <button type="submit">{t(Msg::Apply)}</button>
            <a class="button secondary" href=locale.href("/console")>{t(Msg::DashReset)}</a>
        </form>
    }
    .into_any()
}

/// The key figures as cards, then the policy products, with their export.
fn indicators(locale: Locale, d: &Dashboard, query: &str) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let f = &d.totals;
    let rate = |bp: Option<i64>| bp.map(format::percent_bp).unwrap_or_else(|| "—".into());
    let savings = format!(
        "{} ({})",
        f.savings(),
        format::signed_percent_bp(f.savings_bp())
    );
    let hhi = if d.concentration.is_high() {
        format!("{} · {}", d.concentration.hhi, t(Msg::DashHhiHigh))
    } else {
        d.concentration.hhi.to_string()
    };
    let cards = [
        ("dash-spend", Msg::DashSpend, f.amount.to_string()),
        (
            "dash-orders",
            Msg::DashOrders,
            format::count(f.orders, locale),
        ),
        ("dash-sme", Msg::SmeShare, format::percent_bp(f.sme_bp())),
        ("dash-savings", Msg::DashSavings, savings),
        (
            "dash-pool-savings",
            Msg::DashPoolSavings,
            f.pool_savings().to_string(),
        ),
        ("dash-on-time", Msg::DashOnTime, rate(f.on_time_bp())),
        ("dash-pass", Msg::DashPassRate, rate(f.pass_bp())),
        (
            "dash-confirm",
            Msg::DashConfirmTime,
            f.confirm_hours()
                .map(|h| format!("{h:.1}"))
                .unwrap_or_else(|| "—".into()),
        ),
        (
            "dash-top5",
            Msg::DashTop5,
            format::percent_bp(d.concentration.top5_bp),
        ),
        ("dash-hhi", Msg::DashHhi, hhi),
        (
            "dash-overdue",
            Msg::DashOverdue,
            format!(
                "{} · {}",
                format::count(f.overdue, locale),
                f.overdue_amount
            ),
        ),
    ];
    let policy = [
        (Msg::PolicyEnergy, f.energy),
        (Msg::PolicyEnvironment, f.environmental),
        (Msg::PolicyPoverty, f.poverty),
    ];
    let whole = f.amount.get();
    view! {
        <section aria-labelledby="indicators-heading">
            <h2 id="indicators-heading" class="visually-hidden">{t(Msg::DashIndicators)}</h2>
            <dl class="kpis" id="dash-kpis">
                {cards.into_iter().map(|(id, label, value)| view! {
                    <div class="kpi" id=id><dt>{t(label)}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
            <div class="panel">
                <h3>{t(Msg::DashPolicy)}</h3>
                <table class="data" id="dash-policy">
                    <tbody>
                        {policy.into_iter().map(|(label, amount)| view! {
                            <tr><th scope="row">{t(label)}</th><td class="num">{amount.to_string()}</td>
                            <td class="num">{format::percent_bp(emall_domain::concentration::share_bp(amount.get(), whole))}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {exports(locale, DashboardTable::Indicators, query)}
            </div>
        </section>
    }
    .into_any()
}

fn exports(locale: Locale, table: DashboardTable, query: &str) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let lang = if locale == Locale::En { "&lang=en" } else { "" };
    let href = |format: &str| {
        format!(
            "/api/v1/dashboard/export?table={}&format={format}&{query}{lang}",
            table.as_str()
        )
    };
    view! {
        <p class="exports">
            <a href=href("csv") download="" class=format!("export-{}-csv", table.as_str())>{t(Msg::ExportCsv)}</a>" · "
            <a href=href("xlsx") download="" class=format!("export-{}-xlsx", table.as_str())>{t(Msg::ExportXlsx)}</a>
        </p>
    }
    .into_any()
}

fn slice_name(s: &Slice, locale: Locale) -> String {
    s.name_in(locale).to_string()
}

/// A breakdown as horizontal bars, with the same numbers as a table. `drill`: the
/// categories' names narrow the dashboard to them.
fn breakdown(
    locale: Locale,
    id: &'static str,
    heading: Msg,
    slices: &[Slice],
    table: DashboardTable,
    query: &str,
    drill: Option<&DashboardFilter>,
) -> AnyView {
    let name = move |s: &Slice| match drill {
        Some(f) => {
            let narrowed = DashboardFilter {
                category: s.key.clone(),
                ..f.clone()
            };
            let href = locale.href(&format!("/console?{}", filter_query(&narrowed)));
            view! { <a href=href>{slice_name(s, locale)}</a> }.into_any()
        }
        None => slice_name(s, locale).into_any(),
    };
    let t = move |m: Msg| locale.t(m);
    let heading_id = format!("{id}-heading");
    let body = if slices.is_empty() {
        view! { <p class="empty">{t(Msg::DashEmpty)}</p> }.into_any()
    } else {
        view! {
            {bar_chart(slices, locale, t(heading))}
            <details>
                <summary>{t(heading)}</summary>
                <div class="table-scroll" tabindex="0"><table class="data" id=format!("dash-{id}")>
                    <thead><tr><th>{t(Msg::DashName)}</th><th class="num">{t(Msg::DashOrders)}</th>
                        <th class="num">{t(Msg::DashSpend)}</th><th class="num">{t(Msg::DashShare)}</th></tr></thead>
                    <tbody>
                        {slices.iter().map(|s| view! {
                            <tr>
                                <td>{name(s)}{s.sme.then(|| view! { " "<span class="tag">{t(Msg::DashSme)}</span> })}</td>
                                <td class="num">{format::count(s.figures.orders, locale)}</td>
                                <td class="num">{s.figures.amount.to_string()}</td>
                                <td class="num">{format::percent_bp(s.share_bp)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
                <p class="subtle">{t(Msg::DashShownTop)}</p>
            </details>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby=format!("{id}-heading") id=format!("dash-{id}-panel")>
            <h2 id=heading_id>{t(heading)}</h2>
            {body}
            {exports(locale, table, query)}
        </section>
    }
    .into_any()
}

fn late_payments(locale: Locale, slices: &[Slice], query: &str) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <section class="panel" aria-labelledby="late-heading">
            <h2 id="late-heading">{t(Msg::DashLatePayments)}</h2>
            {if slices.is_empty() {
                view! { <p class="empty">"—"</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="data" id="dash-late-payments">
                        <thead><tr><th>{t(Msg::DashUnit)}</th><th class="num">{t(Msg::DashOverdue)}</th>
                            <th class="num">{t(Msg::DashOverdueAmount)}</th><th class="num">{t(Msg::DashPaidLate)}</th>
                            <th class="num">{t(Msg::DashOrders)}</th></tr></thead>
                        <tbody>
                            {slices.iter().map(|s| view! {
                                <tr><td>{slice_name(s, locale)}</td>
                                <td class="num">{s.figures.overdue}</td>
                                <td class="num">{s.figures.overdue_amount.to_string()}</td>
                                <td class="num">{s.figures.paid_late}</td>
                                <td class="num">{format::count(s.figures.orders, locale)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            {exports(locale, DashboardTable::LatePayments, query)}
        </section>
    }
    .into_any()
}

/// Horizontal bars as inline SVG, one per slice, the numbers in `<title>`s.
fn bar_chart(slices: &[Slice], locale: Locale, label: &str) -> AnyView {
    const W: i64 = 600;
    const ROW: i64 = 22;
    const LABEL: i64 = 210;
    let max = slices
        .iter()
        .map(|s| s.figures.amount.get())
        .max()
        .unwrap_or(0)
        .max(1);
    let h = ROW * slices.len() as i64;
    view! {
        <svg class="chart hbars" viewBox=format!("0 0 {W} {h}") role="img" aria-label=label.to_string()>
            {slices.iter().enumerate().map(|(i, s)| {
                let y = i as i64 * ROW;
                let w = (s.figures.amount.get() * (W - LABEL - 90) / max).max(1);
                let name: String = slice_name(s, locale).chars().take(14).collect();
                view! {
                    <g>
                        <text x=LABEL - 6 y=y + 15 text-anchor="end" class="axis">{name}</text>
                        <rect x=LABEL y=y + 4 width=w height=ROW - 8 class="bar">
                            <title>{format!("{} {} ({})", slice_name(s, locale), s.figures.amount, format::percent_bp(s.share_bp))}</title>
                        </rect>
                        <text x=LABEL + w + 4 y=y + 15 class="axis">{format::percent_bp(s.share_bp)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// A bar chart as inline SVG: readable without JavaScript, numbers in `<title>`s.
fn monthly_chart(months: &[MonthAmount]) -> AnyView {
    const W: i64 = 600;
    const H: i64 = 200;
    let max = months
        .iter()
        .map(|m| m.amount.get())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = months.len().max(1) as i64;
    let slot = W / n;
    let bar = (slot * 7 / 10).max(1);
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {}", H + 24) role="img" aria-label="monthly spend">
            {months.iter().enumerate().map(|(i, m)| {
                let h = m.amount.get() * H / max;
                let x = i as i64 * slot + (slot - bar) / 2;
                view! {
                    <g>
                        <rect x=x y=H - h width=bar height=h class="bar">
                            <title>{format!("{} {}", m.month, m.amount)}</title>
                        </rect>
                        <text x=x + bar / 2 y=H + 16 text-anchor="middle" class="axis">
                            {m.month.get(5..).unwrap_or("").to_string()}
                        </text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

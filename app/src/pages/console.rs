use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{ConsolePage, MonthAmount};
use emall_domain::Role;
use leptos::prelude::*;

/// The operator's and regulator's console: the whole mall's numbers on one screen.
pub fn console(locale: Locale, page: ConsolePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let title = match page.me.role {
        Role::Regulator => t(Msg::RegulatorConsoleTitle),
        _ => t(Msg::OperatorConsoleTitle),
    };
    let kpis = [
        (Msg::SpendThisYear, page.spend_12m.to_string()),
        (Msg::OrdersThisYear, format::count(page.orders_12m, locale)),
        (Msg::SmeShare, format::percent_bp(page.sme_share_bp)),
    ];
    view! {
        {page_heading(title, page.me.org_label(locale))}
        <dl class="kpis">
            {kpis.into_iter().map(|(label, value)| view! {
                <div class="kpi"><dt>{t(label)}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
        <div class="grid-2">
            <section class="panel" aria-labelledby="monthly-heading">
                <h2 id="monthly-heading">{t(Msg::MonthlySpend)}</h2>
                {monthly_chart(&page.monthly)}
                <details>
                    <summary>{t(Msg::MonthlySpend)}</summary>
                    <table class="data">
                        <tbody>
                            {page.monthly.iter().map(|m| view! {
                                <tr><td>{m.month.clone()}</td><td class="num">{m.orders}</td>
                                <td class="num">{m.amount.to_string()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </section>
            <section class="panel" aria-labelledby="top-heading">
                <h2 id="top-heading">{t(Msg::TopSuppliers)}</h2>
                <ol class="ranking">
                    {page.top_suppliers.into_iter().map(|s| view! {
                        <li><span>{s.name}</span><span class="num">{s.amount.to_string()}</span></li>
                    }).collect_view()}
                </ol>
            </section>
        </div>
        <p><a class="button secondary" id="listing-queue-link" href=locale.href("/console/listings")>{t(Msg::ListingQueueTitle)}</a>" "
            <a class="button secondary" id="pool-console-link" href=locale.href("/console/pools")>{t(Msg::PoolConsoleTitle)}</a>" "
            <a class="button secondary" id="alerts-link" href=locale.href("/console/alerts")>{t(Msg::AlertsTitle)}</a></p>
        <section class="panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{t(Msg::SupplierQueue)}</h2>
            {if page.supplier_queue.is_empty() {
                view! { <p class="empty">"—"</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="data">
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

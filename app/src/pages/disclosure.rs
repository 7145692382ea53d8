//! 信息公开: the public disclosure page, the same HTML for every visitor.

use super::page_heading;
use super::supplier::{credit_kind, credit_state};
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{DisclosurePage, IntentionView};
use leptos::prelude::*;

pub fn disclosure(locale: Locale, page: DisclosurePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let empty = move || view! { <p class="empty">"—"</p> }.into_any();
    view! {
        {page_heading(t(Msg::DisclosureTitle), String::new())}
        <p class="lead">{t(Msg::DisclosureIntro)}</p>
        <p class="exports" id="open-data">{t(Msg::OpenData)}": "
            <a href="/api/v1/ocds/orders" id="ocds-orders">{t(Msg::OpenDataOrders)}" (JSON)"</a>" · "
            <a href="/api/v1/ocds/pools" id="ocds-pools">{t(Msg::OpenDataPools)}" (JSON)"</a></p>
        <section class="panel" aria-labelledby="results-heading">
            <h2 id="results-heading">{t(Msg::DisclosureResults)}</h2>
            <p class="subtle">{t(Msg::DisclosureThreshold)}" "{page.threshold.to_string()}</p>
            {if page.results.is_empty() { empty() } else { view! {
                <div class="table-scroll" tabindex="0"><table class="data" id="disclosed-results">
                    <thead><tr><th>{t(Msg::PlacedAt)}</th><th>{t(Msg::Buyer)}</th><th>{t(Msg::Supplier)}</th>
                        <th>{t(Msg::City)}</th><th>{t(Msg::DashName)}</th><th class="num">{t(Msg::DashSpend)}</th></tr></thead>
                    <tbody>
                        {page.results.into_iter().map(|o| view! {
                            <tr data-order=o.id>
                                <td><time>{format::date_of(&o.placed_at).to_string()}</time><p class="subtle mono">{o.order_no}</p></td>
                                <td>{o.unit_name}</td>
                                <td><a href=locale.href(&format!("/supplier/{}", o.supplier_id))>{o.supplier_name}</a></td>
                                <td>{o.city_name}</td>
                                <td>{o.first_item}{(o.items > 1).then(|| format!(" +{}", o.items - 1))}
                                    {o.pooled.then(|| view! { " "<span class="tag">{t(Msg::Pooled)}</span> })}</td>
                                <td class="num">{o.total.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any() }}
        </section>
        <section class="panel" aria-labelledby="pools-heading">
            <h2 id="pools-heading">{t(Msg::DisclosurePools)}</h2>
            {super::pools::pools_table(locale, page.pools, "disclosed-pools")}
        </section>
        <section class="panel" aria-labelledby="credit-heading">
            <h2 id="credit-heading">{t(Msg::DisclosureCredit)}</h2>
            {if page.credit.is_empty() { empty() } else { view! {
                <div class="table-scroll" tabindex="0"><table class="data" id="disclosed-credit">
                    <thead><tr><th>{t(Msg::Supplier)}</th><th>{t(Msg::CreditKindLabel)}</th>
                        <th>{t(Msg::ReviewReasonLabel)}</th><th>{t(Msg::RecordedOn)}</th><th>{t(Msg::Status)}</th></tr></thead>
                    <tbody>
                        {page.credit.into_iter().map(|c| view! {
                            <tr data-credit=c.entry.id>
                                <td><a href=locale.href(&format!("/supplier/{}", c.supplier_id))>{c.supplier_name}</a></td>
                                <td><span class=format!("status status-credit-{}", c.entry.kind)>{t(credit_kind(&c.entry.kind))}</span></td>
                                <td>{c.entry.reason}</td>
                                <td><time>{format::time(&c.entry.recorded_at)}</time>
                                    {c.entry.ends_at.map(|end| view! { <p class="subtle">{t(Msg::UntilLabel)}" "{format::time(&end)}</p> })}</td>
                                <td>{t(credit_state(&c.entry.state))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any() }}
        </section>
        <section class="panel" aria-labelledby="intentions-heading">
            <h2 id="intentions-heading">{t(Msg::DisclosureIntentions)}" · "{page.year}</h2>
            {intentions_table(locale, &page.intentions, "disclosed-intentions", None)}
        </section>
    }
    .into_any()
}

/// Intentions by expected month; `withdraw`: the unit's own list, with a withdraw form
/// (the session's CSRF token for it).
pub fn intentions_table(
    locale: Locale,
    list: &[IntentionView],
    id: &'static str,
    withdraw: Option<&str>,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if list.is_empty() {
        return view! { <p class="empty" id=id>"—"</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id=id>
            <thead><tr><th>{t(Msg::ExpectedMonth)}</th><th>{t(Msg::Buyer)}</th><th>{t(Msg::IntentionTitle)}</th>
                <th>{t(Msg::DashCategory)}</th><th class="num">{t(Msg::Budget)}</th><th>{t(Msg::Status)}</th></tr></thead>
            <tbody>
                {list.iter().map(|i| view! {
                    <tr data-intention=i.id>
                        <td>{format!("{}-{:02}", i.year, i.month)}</td>
                        <td>{i.unit_name.clone()}</td>
                        <td>{i.title.clone()}{(!i.description.is_empty()).then(|| view! { <p class="subtle">{i.description.clone()}</p> })}</td>
                        <td>{i.category_name.clone()}</td>
                        <td class="num">{i.budget.to_string()}</td>
                        <td>{match (&i.withdrawn_at, withdraw) {
                            (Some(_), _) => t(Msg::IntentionWithdrawn).into_any(),
                            (None, Some(token)) => view! { <crate::islands::WithdrawIntention locale=locale id=i.id csrf_token=token.to_string()/> }.into_any(),
                            (None, None) => format::time(&i.published_at).into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

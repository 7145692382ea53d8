use super::{orders_table, page_heading, pager};
use crate::i18n::{Locale, Msg};
use crate::model::OrderCentrePage;
use emall_domain::stage::Stage;
use emall_domain::Role;
use leptos::prelude::*;

/// A tab's name.
fn tab_name(tab: Option<Stage>) -> Msg {
    match tab {
        None => Msg::TabAll,
        Some(Stage::AwaitingApproval) => Msg::TabAwaitingApproval,
        Some(Stage::AwaitingConfirmation) => Msg::TabAwaitingConfirmation,
        Some(Stage::AwaitingShipment) => Msg::TabAwaitingShipment,
        Some(Stage::AwaitingDelivery) => Msg::TabAwaitingDelivery,
        Some(Stage::AwaitingInspection) => Msg::TabAwaitingInspection,
        Some(Stage::AwaitingInvoice) => Msg::TabAwaitingInvoice,
        Some(Stage::AwaitingPayment) => Msg::TabAwaitingPayment,
        Some(Stage::Completed) => Msg::TabCompleted,
        Some(Stage::Closed) => Msg::TabClosed,
    }
}

/// The centre's address for a tab, a search and a page (the defaults left out).
fn address(locale: Locale, tab: Option<Stage>, search: &str, page: i64) -> String {
    let mut query = Vec::new();
    if let Some(tab) = tab {
        query.push(format!("tab={}", tab.as_str()));
    }
    if !search.is_empty() {
        query.push(format!("q={}", crate::format::urlencode(search)));
    }
    if page > 1 {
        query.push(format!("page={page}"));
    }
    let path = if query.is_empty() {
        "/orders".to_string()
    } else {
        format!("/orders?{}", query.join("&"))
    };
    locale.href(&path)
}

/// 订单中心: tabs by where an order stands (each with its count), a search over order
/// numbers, products and the other party, and pages of 20; plain links and a GET form.
pub fn order_centre(locale: Locale, page: OrderCentrePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let total: i64 = page.counts.iter().map(|(_, n)| n).sum();
    let tabs = std::iter::once((None, total))
        .chain(page.counts.iter().map(|(s, n)| (Some(*s), *n)))
        .map(|(tab, n)| {
            let current = tab == page.tab;
            view! {
                <li><a href=address(locale, tab, &page.search, 1) class:current=current
                    aria-current=current.then_some("page") id=format!("tab-{}", tab.map_or("all", |s| s.as_str()))>
                    {t(tab_name(tab))}<span class="count">{n}</span></a></li>
            }
        })
        .collect_view();
    let counterpart = match page.me.role {
        Role::Supplier => Msg::Buyer,
        _ => Msg::Supplier,
    };
    let search = page.search.clone();
    let tab = page.tab;
    view! {
        {page_heading(t(Msg::OrderCentreTitle), page.me.org_label(locale))}
        {page.placed.map(|n| view! {
            <p class="alert success" role="status" id="placed-note">{locale.fill(Msg::OrdersPlacedCount, &[("n", &n)])}</p>
        })}
        <section class="panel order-centre" aria-labelledby="orders-heading">
            <h2 id="orders-heading" class="visually-hidden">{t(Msg::OrderCentreTitle)}</h2>
            <nav aria-label=t(Msg::OrderTabs)><ul class="tabs" id="order-tabs">{tabs}</ul></nav>
            <form class="order-search" method="get" action=locale.href("/orders") role="search">
                {tab.map(|s| view! { <input type="hidden" name="tab" value=s.as_str()/> })}
                <label for="order-q">{t(Msg::OrderSearch)}</label>
                <input id="order-q" type="search" name="q" value=search.clone() placeholder=t(Msg::OrderSearchHint)/>
                <button type="submit">{t(Msg::SearchButton)}</button>
            </form>
            <p class="subtle" id="orders-matching">{locale.fill(Msg::OrdersMatching, &[("count", &page.matching)])}</p>
            {orders_table(locale, page.orders, counterpart)}
            {(page.pages > 1).then(|| pager(locale, page.page, page.pages, move |p| address(locale, tab, &search, p)))}
        </section>
    }
    .into_any()
}

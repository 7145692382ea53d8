//! One module per page. Each is a pure function of its view model and locale.

mod alerts;
mod audit;
mod buyer;
mod calendar;
mod cart;
mod console;
mod contract;
mod disclosure;
mod error;
mod invitation;
mod listings;
mod login;
mod order;
mod order_centre;
mod performance;
mod pool_part;
mod pools;
mod product;
mod register;
mod search;
mod sessions;
mod storefront;
mod supplier;
mod workbench;

pub use alerts::{alert, alerts};
pub use audit::audit;
pub use buyer::buyer_home;
pub use calendar::calendar;
pub use cart::{cart, cart_add};
pub use console::console;
pub use contract::contract;
pub use disclosure::disclosure;
pub use error::error_page;
pub use invitation::invitation;
pub use listings::{listing_queue, listings};
pub use login::login;
pub use order::order;
pub use order_centre::order_centre;
pub use performance::performance;
pub use pool_part::pool_part;
pub use pools::{pool, pool_console, pools};
pub use product::product;
pub use register::{register, review};
pub use search::search;
pub use sessions::sessions;
pub use storefront::storefront;
pub use supplier::supplier;
pub use workbench::workbench;

use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::OrderRow;
use leptos::prelude::*;

/// The orders table shared by the buyer's, the supplier's and the console's pages.
pub(crate) fn orders_table(locale: Locale, orders: Vec<OrderRow>, counterpart: Msg) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if orders.is_empty() {
        return view! { <p class="empty">{t(Msg::NoOrders)}</p> }.into_any();
    }
    let show_unit = counterpart == Msg::Buyer;
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::OrderNo)}</th>
                        <th scope="col">{t(Msg::OrderDate)}</th>
                        <th scope="col">{t(counterpart)}</th>
                        <th scope="col">{t(Msg::Status)}</th>
                        <th scope="col" class="num">{t(Msg::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {orders.into_iter().map(|o| {
                        let party = if show_unit { o.unit_name.clone() } else { o.supplier_name.clone() };
                        view! {
                            <tr>
                                <td class="mono"><a href=locale.href(&format!("/orders/{}", o.id))>{o.order_no.clone()}</a></td>
                                <td>{format::date_of(&o.created_at).to_string()}</td>
                                <td>{party}</td>
                                <td><span class=format!("status status-{}", o.status)>{t(format::order_status(&o.status))}</span></td>
                                <td class="num">{o.total.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Previous and next links around "page / pages" (`link`: a page's address).
fn pager(locale: Locale, page: i64, pages: i64, link: impl Fn(i64) -> String) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <nav class="pager" aria-label=t(Msg::PageOf)>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t(Msg::PrevPage)}</a> })}
            <span>{page}" / "{pages}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t(Msg::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}

/// A page heading with the signed-in person's organisation under it.
/// A signed-in person's home heading: the page heading, with the way to their sessions.
fn home_heading(locale: Locale, title: &'static str, org: String) -> AnyView {
    view! {
        {page_heading(title, org)}
        <p class="account-links"><a id="my-sessions" href=locale.href("/account/sessions")>{locale.t(Msg::SessionsLink)}</a></p>
    }
    .into_any()
}

fn page_heading(title: &'static str, org: String) -> AnyView {
    view! {
        <div class="page-heading">
            <h1>{title}</h1>
            <p class="subtle">{org}</p>
        </div>
    }
    .into_any()
}

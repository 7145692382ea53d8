use super::page_heading;
use crate::i18n::{Locale, Msg};
use crate::islands::CheckoutForm;
use crate::model::CartPage;
use leptos::prelude::*;

/// The cart: lines grouped by supplier (one order each), and the checkout.
pub fn cart(locale: Locale, page: CartPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let city = page.city.clone();
    view! {
        {page_heading(t(Msg::CartTitle), page.me.org_label(locale))}
        {if page.lines.is_empty() {
            view! {
                <section class="panel"><p class="empty">{t(Msg::CartEmpty)}</p>
                <p><a class="button" href=locale.href("/")>{t(Msg::GoShopping)}</a></p></section>
            }.into_any()
        } else {
            view! {
                <section class="panel" aria-labelledby="cart-heading">
                    <h2 id="cart-heading">{t(Msg::CartTitle)}</h2>
                    <p class="subtle">{t(Msg::OrderPerSupplier)}</p>
                    <div class="table-scroll">
                        <table class="data" id="cart">
                            <thead><tr>
                                <th scope="col">{t(Msg::Product)}</th>
                                <th scope="col">{t(Msg::Supplier)}</th>
                                <th scope="col" class="num">{t(Msg::Price)}</th>
                                <th scope="col" class="num">{t(Msg::QuantityLabel)}</th>
                                <th scope="col" class="num">{t(Msg::LineTotal)}</th>
                            </tr></thead>
                            <tbody>
                                {page.lines.iter().map(|l| view! {
                                    <tr>
                                        <td><a href=locale.href(&format!("/product/{}?city={city}", l.product_id))>{l.title.clone()}</a></td>
                                        <td>{l.supplier_name.clone()}</td>
                                        <td class="num">{l.price.to_string()}"/"{l.unit.clone()}</td>
                                        <td class="num">{l.quantity}</td>
                                        <td class="num strong">{l.line_total.to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="panel" aria-labelledby="checkout-heading">
                    <h2 id="checkout-heading">{t(Msg::PlaceOrder)}</h2>
                    <CheckoutForm locale=locale budget_lines=page.budget_lines.clone() total=page.total/>
                </section>
            }.into_any()
        }}
    }
    .into_any()
}

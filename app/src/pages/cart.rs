use super::page_heading;
use crate::i18n::{Locale, Msg};
use crate::islands::CheckoutForm;
use crate::model::{CartAddPage, CartGroup, CartLineView, CartPage};
use leptos::prelude::*;

/// The cart: one table per supplier (one order each), each line priced as the order will be
/// (volume tiers applied) and edited with plain forms — the quantity, one fewer or one more,
/// remove — that work without script; then the checkout.
pub fn cart(locale: Locale, page: CartPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if page.groups.is_empty() {
        return view! {
            {page_heading(t(Msg::CartTitle), page.me.org_label(locale))}
            <section class="panel"><p class="empty">{t(Msg::CartEmpty)}</p>
            <p><a class="button" href=locale.href("/")>{t(Msg::GoShopping)}</a></p></section>
        }
        .into_any();
    }
    let edit = Edit {
        locale,
        city: page.city.clone(),
        csrf_token: page.csrf_token.clone(),
        refused: page.refused_quantity,
    };
    view! {
        {page_heading(t(Msg::CartTitle), page.me.org_label(locale))}
        <section class="panel" aria-labelledby="cart-heading" id="cart">
            <h2 id="cart-heading">{t(Msg::CartTitle)}</h2>
            <p class="subtle">{t(Msg::OrderPerSupplier)}</p>
            {page.groups.iter().map(|g| edit.group(g)).collect_view()}
            <p class="total cart-total">{t(Msg::Total)}" "<strong id="cart-total">{page.total.to_string()}</strong></p>
            {page.blocked.then(|| view! { <p class="alert error" role="alert" id="cart-blocked">{t(Msg::CartBlocked)}</p> })}
        </section>
        {(!page.blocked).then(|| view! {
            <section class="panel" aria-labelledby="checkout-heading">
                <h2 id="checkout-heading">{t(Msg::PlaceOrder)}</h2>
                <CheckoutForm locale=locale budget_lines=page.budget_lines.clone() total=page.total
                    proposed=page.proposed csrf_token=page.csrf_token.clone() checkout_key=page.checkout_key.clone()
                    refused=page.checkout_error.clone() chosen=page.chosen_line/>
            </section>
        })}
    }
    .into_any()
}

/// What every line's forms need.
struct Edit {
    locale: Locale,
    city: String,
    csrf_token: String,
    refused: Option<i64>,
}

impl Edit {
    fn group(&self, g: &CartGroup) -> AnyView {
        let t = move |m: Msg| self.locale.t(m);
        let heading = format!("cart-supplier-{}", g.supplier_id);
        view! {
            <div class="cart-group" role="group" aria-labelledby=heading.clone()>
                <h3 id=heading.clone()>{g.supplier_name.clone()}</h3>
                <div class="table-scroll" tabindex="0">
                    <table class="data cart-lines">
                        <thead><tr>
                            <th scope="col">{t(Msg::Product)}</th>
                            <th scope="col" class="num">{t(Msg::Price)}</th>
                            <th scope="col">{t(Msg::QuantityLabel)}</th>
                            <th scope="col" class="num">{t(Msg::LineTotal)}</th>
                            <th scope="col"><span class="visually-hidden">{t(Msg::CartRemove)}</span></th>
                        </tr></thead>
                        <tbody>{g.lines.iter().map(|l| self.line(l)).collect_view()}</tbody>
                    </table>
                </div>
                <p class="cart-order-total">{t(Msg::CartOrderTotal)}" "<strong>{g.total.to_string()}</strong>
                    {g.needs_approval.then(|| view! { <span class="alert info inline">{t(Msg::NeedsApprovalNote)}</span> })}
                </p>
            </div>
        }
        .into_any()
    }

    fn line(&self, l: &CartLineView) -> AnyView {
        let locale = self.locale;
        let t = move |m: Msg| locale.t(m);
        let title = &l.title;
        let base = format!("/buyer/cart/{}", l.offer_id);
        let input_id = format!("qty-{}", l.offer_id);
        let problem = l.problem.map(|p| t(p.message()));
        let refused = (self.refused == Some(l.offer_id)).then(|| t(Msg::ErrQuantity));
        view! {
            <tr data-offer=l.offer_id class:has-problem=problem.is_some()>
                <td><a href=locale.href(&format!("/product/{}?city={}", l.product_id, self.city))>{title.clone()}</a>
                    {problem.map(|p| view! { <p class="line-problem" role="note">{p}</p> })}
                </td>
                <td class="num">{l.price.to_string()}"/"{l.unit.clone()}
                    {(l.price != l.list_price).then(|| view! {
                        <span class="tier-note">{locale.fill(Msg::CartTierPrice, &[("price", &l.list_price)])}</span>
                    })}
                </td>
                <td>
                    <form class="qty-form" method="post" action=locale.href(&base)>
                        <input type="hidden" name="csrf_token" value=self.csrf_token.clone()/>
                        // The first submit button is the one Enter presses: "update".
                        <button type="submit" name="step" value="0" class="secondary qty-update">{t(Msg::CartUpdate)}</button>
                        <button type="submit" name="step" value="-1" class="qty-step" disabled=l.quantity <= 1
                            aria-label=locale.fill(Msg::CartLess, &[("title", title)])>"−"</button>
                        <input id=input_id type="number" name="quantity" min="1" max="100000" step="1" inputmode="numeric"
                            value=l.quantity.to_string() aria-label=locale.fill(Msg::CartQuantityOf, &[("title", title)])
                            aria-invalid=refused.is_some().then_some("true")/>
                        <button type="submit" name="step" value="1" class="qty-step"
                            aria-label=locale.fill(Msg::CartMore, &[("title", title)])>"+"</button>
                    </form>
                    {refused.map(|e| view! { <p class="line-problem" role="alert">{e}</p> })}
                </td>
                <td class="num strong">{l.line_total.to_string()}</td>
                <td>
                    <form method="post" action=locale.href(&format!("{base}/remove"))>
                        <input type="hidden" name="csrf_token" value=self.csrf_token.clone()/>
                        <button type="submit" class="link danger" aria-label=locale.fill(Msg::CartRemoveOf, &[("title", title)])>
                            {t(Msg::CartRemove)}</button>
                    </form>
                </td>
            </tr>
        }
        .into_any()
    }
}

/// 加入购物车 without script: the offer named, a quantity, and the button that adds it.
pub fn cart_add(locale: Locale, page: CartAddPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {page_heading(t(Msg::AddToCart), page.me.org_label(locale))}
        <section class="panel narrow-form" aria-labelledby="add-heading">
            <h2 id="add-heading"><a href=locale.href(&format!("/product/{}", page.product_id))>{page.title.clone()}</a></h2>
            <dl class="facts">
                <div><dt>{t(Msg::Supplier)}</dt><dd>{page.supplier_name.clone()}</dd></div>
                <div><dt>{t(Msg::Price)}</dt><dd>{page.price.to_string()}"/"{page.unit.clone()}</dd></div>
                <div><dt>{t(Msg::Stock)}</dt><dd>{page.stock}</dd></div>
            </dl>
            <form method="post" action=locale.href("/buyer/cart/add") id="cart-add-form">
                <input type="hidden" name="csrf_token" value=page.csrf_token.clone()/>
                <input type="hidden" name="offer" value=page.offer_id.to_string()/>
                <label for="add-quantity">{t(Msg::QuantityLabel)}</label>
                <input id="add-quantity" type="number" name="quantity" min="1" max="100000" step="1" inputmode="numeric"
                    value=page.quantity.to_string() aria-invalid=page.refused.then_some("true")/>
                {page.refused.then(|| view! { <p class="alert error" role="alert">{t(Msg::ErrQuantity)}</p> })}
                <button type="submit" class="primary">{t(Msg::AddToCart)}</button>
            </form>
        </section>
    }
    .into_any()
}

use crate::i18n::{Locale, Msg};
use crate::model::BuyOption;
use leptos::prelude::*;

/// Puts `quantity` of an offer in the signed-in buyer's cart, then either goes to the cart
/// (`then_checkout`: the line is set to this quantity) or says it is added (added to what
/// the line holds). A visitor is sent to sign in and back to `back`; anyone but a buyer is
/// told they cannot buy. `None` when the page moves on.
#[cfg(feature = "hydrate")]
async fn put_in_cart(
    locale: Locale,
    offer_id: i64,
    quantity: i64,
    then_checkout: bool,
    back: &str,
) -> Option<String> {
    let me = super::api::fetch_me().await.ok().flatten();
    match me {
        None => {
            let next = crate::format::urlencode(back);
            super::api::go(&locale.href(&format!("/login?next={next}")));
            None
        }
        Some(m) if m.role != emall_domain::Role::Buyer => {
            Some(locale.t(Msg::ErrForbidden).to_string())
        }
        Some(_) => {
            let url = format!("/api/v1/cart/items/{offer_id}");
            let body = crate::model::Quantity { quantity };
            let method = if then_checkout {
                super::api::Method::Put
            } else {
                super::api::Method::Post
            };
            match super::api::send(method, &url, &body, &[]).await {
                Ok(answer) if answer.is_ok() && then_checkout => {
                    super::api::go(&locale.href("/buyer/cart"));
                    None
                }
                Ok(answer) if answer.is_ok() => Some(locale.t(Msg::AddedToCart).to_string()),
                Ok(answer) => Some(answer.error_message()),
                Err(_) => Some(locale.t(Msg::ErrInternal).to_string()),
            }
        }
    }
}

/// A quantity as typed, if a line may hold it.
#[cfg(feature = "hydrate")]
fn quantity_of(typed: &str) -> Option<i64> {
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|q| emall_domain::purchase::line_quantity_ok(*q))
}

/// On the comparison page: a quantity and "add to cart" / "buy now" for the offer that is
/// cheapest at that quantity among those whose stock fills it. Visitors are sent to sign in;
/// only buyers can buy.
#[island]
pub fn BuyBox(
    locale: Locale,
    offers: Vec<BuyOption>,
    product_id: i64,
    city: String,
) -> impl IntoView {
    // The box as typed: read when a button is pressed, never rewritten while typing.
    let typed = RwSignal::new("1".to_string());
    let message = RwSignal::new(None::<String>);
    let offers = StoredValue::new(offers);
    let busy = RwSignal::new(false);
    // Where a visitor comes back to after signing in (`StoredValue` keeps the closure `Copy`).
    let back = StoredValue::new(format!("/product/{product_id}?city={city}"));
    let add = move |then_checkout: bool| {
        #[cfg(feature = "hydrate")]
        {
            let Some(quantity) = quantity_of(&typed.get_untracked()) else {
                return message.set(Some(locale.t(Msg::ErrQuantity).to_string()));
            };
            let Some(offer_id) =
                offers.with_value(|o| BuyOption::cheapest_for(o, quantity).map(|o| o.offer_id))
            else {
                return message.set(Some(
                    locale.fill(Msg::ErrNoStockFor, &[("quantity", &quantity)]),
                ));
            };
            leptos::task::spawn_local(async move {
                busy.set(true);
                let said =
                    put_in_cart(locale, offer_id, quantity, then_checkout, &back.get_value()).await;
                message.set(said);
                busy.set(false);
            });
        }
        let _ = (then_checkout, back, offers, typed);
    };
    view! {
        <div class="buy-box">
            <label for="buy-quantity">{locale.t(Msg::QuantityLabel)}</label>
            <input id="buy-quantity" type="number" min="1" max="100000" step="1" inputmode="numeric"
                value="1" on:input=move |ev| typed.set(event_target_value(&ev))/>
            <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| add(false)>
                {locale.t(Msg::AddToCart)}</button>
            <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| add(true)>
                {locale.t(Msg::BuyLowestNow)}</button>
            <p class="buy-message" role="status">{move || message.get()}</p>
        </div>
    }
}

/// One supplier's offer on the comparison page: a quantity and "add to cart" for that
/// offer. A plain GET form to the cart's confirmation page without script; with it, one
/// click. `blocked`: why it cannot be bought (nothing in stock, above the city's cap).
#[island]
pub fn OfferBuy(
    locale: Locale,
    offer_id: i64,
    supplier_name: String,
    back: String,
    blocked: Option<String>,
) -> impl IntoView {
    let typed = RwSignal::new("1".to_string());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let back = StoredValue::new(back);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            let Some(quantity) = quantity_of(&typed.get_untracked()) else {
                return message.set(Some(locale.t(Msg::ErrQuantity).to_string()));
            };
            leptos::task::spawn_local(async move {
                busy.set(true);
                let said = put_in_cart(locale, offer_id, quantity, false, &back.get_value()).await;
                message.set(said);
                busy.set(false);
            });
        }
        let _ = (ev, back, typed);
    };
    let id = format!("offer-qty-{offer_id}");
    let is_blocked = blocked.is_some();
    view! {
        <form class="offer-buy" method="get" action=locale.href("/buyer/cart/add") on:submit=submit>
            <input type="hidden" name="offer" value=offer_id.to_string()/>
            <input id=id type="number" name="quantity" min="1" max="100000" step="1" inputmode="numeric" value="1"
                disabled=is_blocked aria-label=locale.fill(Msg::OfferQuantityOf, &[("supplier", &supplier_name)])
                on:input=move |ev| typed.set(event_target_value(&ev))/>
            <button type="submit" class="secondary" disabled=move || is_blocked || busy.get()
                aria-label=locale.fill(Msg::AddToCartFrom, &[("supplier", &supplier_name)])>
                {locale.t(Msg::AddToCart)}</button>
            {blocked.map(|why| view! { <span class="offer-blocked">{why}</span> })}
            <span class="buy-message" role="status">{move || message.get()}</span>
        </form>
    }
}

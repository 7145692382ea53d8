use crate::i18n::{Locale, Msg};
use crate::model::BuyOption;
use leptos::prelude::*;

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
            let quantity = match typed.get_untracked().trim().parse::<i64>() {
                Ok(q) if emall_domain::purchase::line_quantity_ok(q) => q,
                _ => return message.set(Some(locale.t(Msg::ErrQuantity).to_string())),
            };
            let Some(offer_id) =
                offers.with_value(|o| BuyOption::cheapest_for(o, quantity).map(|o| o.offer_id))
            else {
                return message.set(Some(
                    locale.fill(Msg::ErrNoStockFor, &[("quantity", &quantity)]),
                ));
            };
            let next = back.get_value();
            leptos::task::spawn_local(async move {
                busy.set(true);
                let me = super::api::fetch_me().await.ok().flatten();
                match me {
                    None => super::api::go(
                        &locale.href(&format!("/login?next={}", crate::format::urlencode(&next))),
                    ),
                    Some(m) if m.role != emall_domain::Role::Buyer => {
                        message.set(Some(locale.t(Msg::ErrForbidden).to_string()))
                    }
                    Some(_) => {
                        let url = format!("/api/v1/cart/items/{offer_id}");
                        let body = crate::model::Quantity { quantity };
                        // Buying now sets the line to this quantity; adding adds to it.
                        let method = if then_checkout {
                            super::api::Method::Put
                        } else {
                            super::api::Method::Post
                        };
                        match super::api::send(method, &url, &body, &[]).await {
                            Ok(answer) if answer.is_ok() && then_checkout => {
                                super::api::go(&locale.href("/buyer/cart"))
                            }
                            Ok(answer) if answer.is_ok() => {
                                message.set(Some(locale.t(Msg::AddedToCart).to_string()))
                            }
                            Ok(answer) => message.set(Some(answer.error_message())),
                            Err(_) => message.set(Some(locale.t(Msg::ErrInternal).to_string())),
                        }
                    }
                }
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

use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// On the comparison page: a quantity and "add to cart" / "buy now" for the lowest offer.
/// Visitors are sent to sign in; only buyers can buy.
#[island]
pub fn BuyBox(locale: Locale, offer_id: i64, product_id: i64, city: String) -> impl IntoView {
    let quantity = RwSignal::new(1i64);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Where a visitor comes back to after signing in (`StoredValue` keeps the closure `Copy`).
    let back = StoredValue::new(format!("/product/{product_id}?city={city}"));
    let add = move |then_checkout: bool| {
        #[cfg(feature = "hydrate")]
        {
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
                        let body = crate::model::Quantity {
                            quantity: quantity.get_untracked(),
                        };
                        let method = super::api::Method::Put;
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
        let _ = (then_checkout, back, offer_id);
    };
    view! {
        <div class="buy-box">
            <label for="buy-quantity">{locale.t(Msg::QuantityLabel)}</label>
            <input id="buy-quantity" type="number" min="1" max="100000" inputmode="numeric"
                prop:value=move || quantity.get().to_string()
                on:input=move |ev| quantity.set(event_target_value(&ev).parse().unwrap_or(1).clamp(1, 100_000))/>
            <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| add(false)>
                {locale.t(Msg::AddToCart)}</button>
            <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| add(true)>
                {locale.t(Msg::BuyLowestNow)}</button>
            <p class="buy-message" role="status">{move || message.get()}</p>
        </div>
    }
}

use crate::i18n::{Locale, Msg};
use crate::model::BudgetLineView;
use leptos::prelude::*;

/// The cart's checkout: choose a budget line, place the orders, see the receipt.
#[island]
pub fn CheckoutForm(
    locale: Locale,
    budget_lines: Vec<BudgetLineView>,
    total: emall_domain::Fen,
) -> impl IntoView {
    let chosen = RwSignal::new(
        budget_lines
            .iter()
            .find(|b| b.available >= total)
            .or(budget_lines.first())
            .map(|b| b.id)
            .unwrap_or(0),
    );
    let terms = RwSignal::new(30i64);
    let error = RwSignal::new(None::<String>);
    let receipt = RwSignal::new(None::<serde_json::Value>);
    let preview = RwSignal::new(None::<serde_json::Value>);
    let busy = RwSignal::new(false);
    // What placing would do, asked again whenever the budget line or the terms change.
    Effect::new(move |_| {
        let body = serde_json::json!({ "budget_line_id": chosen.get(), "payment_terms_days": terms.get() });
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match super::api::send_json("POST", "/api/v1/checkout/preview", &body, &[]).await {
                Ok((200, p)) => {
                    error.set(None);
                    preview.set(Some(p));
                }
                Ok((_, body)) => {
                    preview.set(None);
                    error.set(Some(super::api::error_message(&body)));
                }
                Err(_) => {}
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = body;
    });
    let place = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            busy.set(true);
            error.set(None);
            let key = super::api::idempotency_key();
            let body = serde_json::json!({
                "budget_line_id": chosen.get_untracked(),
                "payment_terms_days": terms.get_untracked(),
            });
            match super::api::send_json(
                "POST",
                "/api/v1/checkout",
                &body,
                &[("Idempotency-Key", &key)],
            )
            .await
            {
                Ok((200 | 201, r)) => receipt.set(Some(r)),
                Ok((_, body)) => error.set(Some(super::api::error_message(&body))),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="checkout">
            {move || match receipt.get() {
                Some(r) => view! {
                    <div class="alert success" role="status" id="receipt">
                        <p><strong>{locale.t(Msg::OrdersPlaced)}</strong></p>
                        <ul>
                            {r["orders"].as_array().cloned().unwrap_or_default().into_iter().map(|o| view! {
                                <li class="mono">{o["order_no"].as_str().unwrap_or("").to_string()}" · "
                                    {emall_domain::Fen(o["total"].as_i64().unwrap_or(0)).to_string()}</li>
                            }).collect_view()}
                        </ul>
                        {r["warnings"].as_array().cloned().unwrap_or_default().into_iter().map(|w| view! {
                            <p class="alert warning">{w.as_str().unwrap_or("").to_string()}</p>
                        }).collect_view()}
                        <p><a class="button" href=locale.href("/buyer")>{locale.t(Msg::MyHome)}</a></p>
                    </div>
                }.into_any(),
                None => view! {
                    <label for="budget-line">{locale.t(Msg::PayFrom)}</label>
                    <select id="budget-line" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {budget_lines.iter().map(|b| view! {
                            <option value=b.id.to_string() disabled=b.available < total>
                                {format!("{} · {} · {} {}", b.code, b.purpose, locale.t(Msg::Available), b.available)}
                            </option>
                        }).collect_view()}
                    </select>
                    <label for="payment-terms">{locale.t(Msg::PaymentTermsDays)}</label>
                    <input id="payment-terms" type="number" min="1" max="60" inputmode="numeric"
                        prop:value=move || terms.get().to_string()
                        on:change=move |ev| terms.set(event_target_value(&ev).parse().unwrap_or(30))/>
                    <p class="total">{locale.t(Msg::Total)}" "<strong>{total.to_string()}</strong></p>
                    {move || preview.get().map(|p| view! {
                        <div class="preview" id="checkout-preview" aria-live="polite">
                            {p["orders"].as_array().cloned().unwrap_or_default().into_iter()
                                .filter(|o| o["needs_approval"].as_bool() == Some(true))
                                .take(1)
                                .map(|_| view! { <p class="alert info">{locale.t(Msg::NeedsApprovalNote)}</p> })
                                .collect_view()}
                            {p["warnings"].as_array().cloned().unwrap_or_default().into_iter().map(|w| view! {
                                <p class="alert warning split-warning">{w.as_str().unwrap_or("").to_string()}</p>
                            }).collect_view()}
                        </div>
                    })}
                    {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
                    <button type="button" class="primary" id="place-order" disabled=move || busy.get() on:click=place>
                        {locale.t(Msg::PlaceOrder)}</button>
                }.into_any(),
            }}
        </div>
    }
}

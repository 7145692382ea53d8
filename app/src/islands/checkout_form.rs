use crate::i18n::{Locale, Msg};
use crate::model::{BudgetLineView, CheckoutRequest, Preview, Receipt};
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
    let receipt = RwSignal::new(None::<Receipt>);
    let preview = RwSignal::new(None::<Preview>);
    let busy = RwSignal::new(false);
    // What placing would do, asked again whenever the budget line or the terms change.
    Effect::new(move |_| {
        let body = CheckoutRequest {
            budget_line_id: chosen.get(),
            items: None,
            payment_terms_days: Some(terms.get()),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = "/api/v1/checkout/preview";
            match super::api::send(super::api::Method::Post, url, &body, &[]).await {
                Ok(answer) if answer.is_ok() => {
                    error.set(None);
                    preview.set(answer.json());
                }
                Ok(answer) => {
                    preview.set(None);
                    error.set(Some(answer.error_message()));
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
            let body = CheckoutRequest {
                budget_line_id: chosen.get_untracked(),
                items: None,
                payment_terms_days: Some(terms.get_untracked()),
            };
            let idempotency = [("Idempotency-Key", key.as_str())];
            match super::api::send(super::api::Method::Post, "/api/v1/checkout", &body, &idempotency)
                .await
            {
                Ok(answer) if answer.is_ok() => receipt.set(answer.json()),
                Ok(answer) => error.set(Some(answer.error_message())),
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
                            {r.orders.into_iter().map(|o| view! {
                                <li class="mono">{o.order_no}" · "{o.total.to_string()}</li>
                            }).collect_view()}
                        </ul>
                        {r.warnings.into_iter().map(|w| view! {
                            <p class="alert warning">{w}</p>
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
                            {p.orders.iter().any(|o| o.needs_approval).then(|| view! {
                                <p class="alert info">{locale.t(Msg::NeedsApprovalNote)}</p>
                            })}
                            {p.warnings.into_iter().map(|w| view! {
                                <p class="alert warning split-warning">{w}</p>
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

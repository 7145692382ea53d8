use crate::i18n::{Locale, Msg};
use crate::model::{BudgetLineView, CheckoutRequest, Preview, Receipt};
use emall_domain::budget::EconClass;
use emall_domain::Fen;
use leptos::prelude::*;

/// The line a checkout starts on: the one just chosen, else the first with the money whose
/// classification fits what is bought, else the first with the money.
fn first_choice(lines: &[BudgetLineView], total: Fen, proposed: Option<EconClass>, chosen: Option<i64>) -> i64 {
    let fits = |b: &&BudgetLineView| b.available >= total;
    chosen
        .filter(|id| lines.iter().any(|b| b.id == *id))
        .or_else(|| lines.iter().filter(fits).find(|b| Some(b.econ_class) == proposed).map(|b| b.id))
        .or_else(|| lines.iter().find(fits).or(lines.first()).map(|b| b.id))
        .unwrap_or(0)
}

/// The cart's checkout, a plain form that places the cart without script (the page's
/// Idempotency-Key makes a second send order nothing); with script it previews what placing
/// does and shows the receipt in place. The budget line proposed fits what is bought; a line
/// for something else is warned of, as the approver will be.
#[island]
pub fn CheckoutForm(
    locale: Locale,
    budget_lines: Vec<BudgetLineView>,
    total: Fen,
    proposed: Option<EconClass>,
    csrf_token: String,
    checkout_key: String,
    refused: Option<String>,
    chosen: Option<i64>,
) -> impl IntoView {
    let chosen = RwSignal::new(first_choice(&budget_lines, total, proposed, chosen));
    let classes = StoredValue::new(
        budget_lines.iter().map(|b| (b.id, b.econ_class)).collect::<Vec<(i64, EconClass)>>(),
    );
    let mismatch = move || {
        let id = chosen.get();
        let line = classes.with_value(|c| c.iter().find(|(l, _)| *l == id).map(|&(_, c)| c))?;
        let goods = proposed.filter(|g| *g != line)?;
        Some(locale.fill(Msg::BudgetMismatch, &[
            ("goods", &locale.t(crate::format::econ_class(goods))),
            ("line", &locale.t(crate::format::econ_class(line))),
        ]))
    };
    let terms = RwSignal::new(30i64);
    let error = RwSignal::new(refused);
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
    #[cfg(feature = "hydrate")]
    let key = checkout_key.clone();
    let place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        let key = key.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            busy.set(true);
            error.set(None);
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
                Some(r) => placed(locale, r).into_any(),
                None => view! {
                    <form method="post" action=locale.href("/buyer/checkout") on:submit=place.clone()>
                    <input type="hidden" name="csrf_token" value=csrf_token.clone()/>
                    <input type="hidden" name="key" value=checkout_key.clone()/>
                    {proposed.map(|c| view! {
                        <p class="subtle" id="budget-proposal">{locale.fill(Msg::BudgetProposed, &[("class", &locale.t(crate::format::econ_class(c)))])}</p>
                    })}
                    <label for="budget-line">{locale.t(Msg::PayFrom)}</label>
                    <select id="budget-line" name="budget_line_id" aria-describedby="budget-proposal"
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {line_options(locale, &budget_lines, total, chosen.get_untracked())}
                    </select>
                    {move || mismatch().map(|m| view! { <p class="alert warning" id="budget-mismatch" role="note">{m}</p> })}
                    <label for="payment-terms">{locale.t(Msg::PaymentTermsDays)}</label>
                    <input id="payment-terms" name="payment_terms_days" type="number" min="1" max="60" inputmode="numeric"
                        value=terms.get_untracked().to_string()
                        prop:value=move || terms.get().to_string()
                        on:change=move |ev| terms.set(event_target_value(&ev).parse().unwrap_or(30))/>
                    <p class="total">{locale.t(Msg::Total)}" "<strong>{total.to_string()}</strong></p>
                    {move || preview.get().map(|p| preview_notes(locale, p))}
                    {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
                    <button type="submit" class="primary" id="place-order" disabled=move || busy.get()>
                        {locale.t(Msg::PlaceOrder)}</button>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// The receipt shown in place of the form once the orders are placed.
fn placed(locale: Locale, r: Receipt) -> impl IntoView {
    view! {
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
            <p><a class="button" href=locale.href("/orders")>{locale.t(Msg::OrderCentreTitle)}</a></p>
        </div>
    }
}

/// The unit's lines to pay from, each with its classification and what it has left; those
/// short of the total cannot be chosen.
fn line_options(locale: Locale, lines: &[BudgetLineView], total: Fen, chosen: i64) -> impl IntoView {
    lines
        .iter()
        .map(|b| {
            let text = format!(
                "{} · {} · {} · {} {}",
                b.code,
                locale.t(crate::format::econ_class(b.econ_class)),
                b.purpose,
                locale.t(Msg::Available),
                b.available
            );
            view! {
                <option value=b.id.to_string() disabled=b.available < total selected=b.id == chosen>{text}</option>
            }
        })
        .collect_view()
}

/// What the server's preview says before placing: approval needed, split-purchase warnings.
fn preview_notes(locale: Locale, p: Preview) -> impl IntoView {
    view! {
        <div class="preview" id="checkout-preview" aria-live="polite">
            {p.orders.iter().any(|o| o.needs_approval).then(|| view! {
                <p class="alert info">{locale.t(Msg::NeedsApprovalNote)}</p>
            })}
            {p.warnings.into_iter().map(|w| view! {
                <p class="alert warning split-warning">{w}</p>
            }).collect_view()}
        </div>
    }
}

//! 联合采购 in the browser: a unit joins, changes or leaves a pool; a supplier bids volume
//! tiers; the operator opens and closes pools. The pool page itself is the same for every
//! visitor; these islands fetch the viewer's own part after load.

use super::Method;
use crate::i18n::{Locale, Msg};
use crate::model::{
    typed_tiers, BidBody, CityOption, CommitBody, MyCommitment, MyPoolPart, PoolCreate, ProductPick,
};
use leptos::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The viewer's part in one pool, and what they may do while it is open.
#[island]
pub fn PoolActions(locale: Locale, pool_id: i64, open: bool) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let part = RwSignal::new(None::<MyPoolPart>);
    let signed_out = RwSignal::new(false);
    let line = RwSignal::new(0i64);
    let quantity = RwSignal::new(String::new());
    let tiers = RwSignal::new(vec![(String::new(), String::new()); 3]);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| load_part(pool_id, part, signed_out, line, quantity, tiers));
    let commitment = move || format!("/api/v1/pools/{pool_id}/commitment");
    let commit = move |_| {
        let body = CommitBody {
            budget_line_id: line.get_untracked(),
            quantity: quantity.get_untracked().trim().parse::<i64>().unwrap_or(0),
        };
        step(locale, message, Method::Put, commitment(), Some(body));
    };
    let withdraw = move |_| {
        step::<()>(locale, message, Method::Delete, commitment(), None);
    };
    let bid = move |_| {
        let tiers = typed_tiers(&tiers.get_untracked());
        let path = format!("/api/v1/pools/{pool_id}/bid");
        step(locale, message, Method::Put, path, Some(BidBody { tiers }));
    };
    let close = move |_| {
        let path = format!("/api/v1/pools/{pool_id}/close");
        step::<()>(locale, message, Method::Post, path, None);
    };
    let tier_row = move |i: usize| {
        view! {
            <tr>
                <td><input class="tier-quantity" inputmode="numeric" aria-label=t(Msg::TierFrom)
                    prop:value=move || tiers.with(|v| v.get(i).map(|r| r.0.clone()).unwrap_or_default())
                    on:input=move |ev| tiers.update(|v| v[i].0 = event_target_value(&ev))/></td>
                <td><input class="tier-price" inputmode="decimal" aria-label=t(Msg::UnitPrice)
                    prop:value=move || tiers.with(|v| v.get(i).map(|r| r.1.clone()).unwrap_or_default())
                    on:input=move |ev| tiers.update(|v| v[i].1 = event_target_value(&ev))/></td>
            </tr>
        }
    };
    view! {
        <div class="stack pool-actions" id="pool-actions">
            // Before the viewer's part is known (and always without script): its own page.
            {move || (part.with(Option::is_none) && !signed_out.get()).then(|| view! {
                <p><a class="button secondary" id="pool-part-link" href=locale.href(&format!("/pools/{pool_id}/part"))>{t(Msg::PoolTakePart)}</a></p>
            })}
            {move || signed_out.get().then(|| view! {
                <p><a class="button secondary" href=locale.href(&format!("/login?next=/pools/{pool_id}"))>{t(Msg::SignInToJoin)}</a></p>
            })}
            {move || part.get().map(|p| {
                let commitment = p.commitment.clone();
                view! {
                    {commitment.as_ref().map(|c| commitment_note(locale, c))}
                    {(open && p.can_commit).then(|| view! {
                        <div class="stack commit-form">
                            <label for="pool-line">{t(Msg::BudgetLineLabel)}</label>
                            <select id="pool-line" on:change=move |ev| line.set(event_target_value(&ev).parse().unwrap_or(0))>
                                {p.budget_lines.iter().map(|b| {
                                    let id = b.id;
                                    view! { <option value=id selected=move || line.get() == id>{format!("{} {} · {} {}", b.code, b.purpose, t(Msg::Available), b.available)}</option> }
                                }).collect_view()}
                            </select>
                            <label for="pool-quantity">{t(Msg::CommitQuantity)}</label>
                            <input id="pool-quantity" inputmode="numeric" prop:value=move || quantity.get()
                                on:input=move |ev| quantity.set(event_target_value(&ev))/>
                            <p class="subtle">{t(Msg::FreezeNote)}</p>
                            <div class="button-row">
                                <button type="button" class="primary" id="pool-commit" on:click=commit>
                                    {if commitment.as_ref().is_some_and(|c| c.state == "active") { t(Msg::ChangeCommitment) } else { t(Msg::JoinPool) }}</button>
                                {commitment.as_ref().filter(|c| c.state == "active").map(|_| view! {
                                    <button type="button" class="secondary" id="pool-withdraw" on:click=withdraw>{t(Msg::WithdrawCommitment)}</button>
                                })}
                            </div>
                        </div>
                    })}
                    {(open && p.can_bid).then(|| view! {
                        <div class="stack bid-form">
                            {p.bid_label.clone().map(|l| view! {
                                <p class="alert info" id="my-bid-label">{locale.fill(Msg::MyBidListedAs, &[("bidder", &l)])}</p>
                            })}
                            <p class="subtle">{t(Msg::BidHelp)}</p>
                            <table class="data" id="bid-tiers">
                                <thead><tr><th scope="col">{t(Msg::TierFrom)}</th><th scope="col">{t(Msg::UnitPrice)}</th></tr></thead>
                                <tbody>{move || (0..tiers.with(Vec::len)).map(tier_row).collect_view()}</tbody>
                            </table>
                            <div class="button-row">
                                <button type="button" class="secondary" on:click=move |_| tiers.update(|v| v.push((String::new(), String::new())))>{t(Msg::AddTier)}</button>
                                <button type="button" class="primary" id="pool-bid" on:click=bid>
                                    {if p.bid.is_some() { t(Msg::ReviseBid) } else { t(Msg::PlaceBid) }}</button>
                            </div>
                        </div>
                    })}
                    {(open && p.can_close).then(|| view! {
                        <button type="button" class="secondary" id="pool-close" on:click=close>{t(Msg::ClosePoolNow)}</button>
                    })}
                }
            })}
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "alert success" } else { "alert error" } role="alert">{m}</p> })}
        </div>
    }
}

/// A unit's commitment to a pool: its quantity, the money frozen, and once settled its
/// amount and order.
pub fn commitment_note(locale: Locale, c: &MyCommitment) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <p class="alert info" id="my-commitment">
            {t(Msg::MyCommitment)}": "<strong>{c.quantity}</strong>
            " · "{t(Msg::Frozen)}" "{c.frozen.to_string()}
            {c.amount.map(|a| view! { " · "{t(Msg::PoolAmount)}" "<strong>{a.to_string()}</strong> })}
            {c.order_id.map(|o| view! { " · "<a href=locale.href(&format!("/orders/{o}"))>{t(Msg::ViewOrder)}</a> })}
            {(c.state == "withdrawn").then(|| view! { " · "{t(Msg::Withdrawn)} })}
        </p>
    }
}

/// The operator opens a pool: a standard product found in the catalogue, a city, the
/// terms.
#[island]
pub fn OpenPoolForm(locale: Locale, cities: Vec<CityOption>) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<ProductPick>::new());
    let product = RwSignal::new(None::<ProductPick>);
    let first_city = cities.first().map(|c| c.code.clone()).unwrap_or_default();
    let fields = [
        first_city,
        String::new(),
        String::new(),
        "100".into(),
        String::new(),
        String::new(),
        "365".into(),
    ]
    .map(RwSignal::new);
    let [city, title, delivery, minimum, ceiling, closes, validity] = fields;
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let find = move |_| super::find_products(query.get_untracked(), hits, None);
    let submit = move |_| {
        let Some(p) = product.get_untracked() else {
            return;
        };
        let body = PoolCreate {
            product_id: p.id,
            city: Some(city.get_untracked()),
            title: title.get_untracked(),
            description: String::new(),
            delivery_terms: delivery.get_untracked(),
            min_total_quantity: minimum.get_untracked().trim().parse::<i64>().unwrap_or(0),
            ceiling_price: ceiling.get_untracked(),
            opens_at: None,
            closes_at: closes.get_untracked(),
            validity_days: validity.get_untracked().trim().parse::<i64>().unwrap_or(0),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            errors.set(BTreeMap::new());
            match super::api::send(Method::Post, "/api/v1/pools", &body, &[]).await {
                Ok(answer) if answer.is_ok() => {
                    if let Some(opened) = answer.json::<crate::model::PoolOpened>() {
                        super::api::go(&locale.href(&format!("/pools/{}", opened.id)))
                    }
                }
                Ok(answer) => errors.set(
                    answer
                        .json::<crate::model::ErrorBody>()
                        .and_then(|e| e.error.fields)
                        .unwrap_or_default(),
                ),
                Err(_) => {}
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, errors);
    };
    let error_of = move |k: &'static str| {
        move || {
            errors.with(|e| {
                e.get(k)
                    .map(|m| view! { <span class="field-error">{m.clone()}</span> })
            })
        }
    };
    let input = move |id: &'static str, label: Msg, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label for=format!("pool-{id}")>{t(label)}</label>
            <input id=format!("pool-{id}") type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            {error_of(id)}
        }
    };
    view! {
        <div class="stack open-pool">
            <label for="pool-find">{t(Msg::FindProduct)}</label>
            <div class="button-row">
                <input id="pool-find" type="search" on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="button" class="secondary" id="pool-find-button" on:click=find>{t(Msg::Filter)}</button>
            </div>
            <ul class="product-picks">
                {move || hits.get().into_iter().map(|h| {
                    let pick = h.clone();
                    view! {
                        <li><button type="button" class="link" on:click=move |_| {
                                ceiling.set(pick.reference_price.to_plain_yuan());
                                title.set(format!("{} {}", t(Msg::JointPurchase), pick.title));
                                product.set(Some(pick.clone()));
                            }>{t(Msg::PickProduct)}</button>" "{h.title}</li>
                    }
                }).collect_view()}
            </ul>
            {move || product.get().map(|p| view! { <p><strong id="pool-product">{p.title}</strong></p> })}
            <label for="pool-city">{t(Msg::City)}</label>
            <select id="pool-city" on:change=move |ev| city.set(event_target_value(&ev))>
                {cities.into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
            </select>
            {error_of("city")}
            {input("title", Msg::PoolTitle, title, "text")}
            {input("delivery_terms", Msg::DeliveryTerms, delivery, "text")}
            {input("min_total_quantity", Msg::MinTotalQuantity, minimum, "number")}
            {input("ceiling_price", Msg::CeilingPrice, ceiling, "text")}
            {input("closes_at", Msg::ClosesAt, closes, "datetime-local")}
            {input("validity_days", Msg::CapValidityDays, validity, "number")}
            <button type="button" class="primary" id="open-pool" on:click=submit disabled=move || product.with(Option::is_none)>{t(Msg::OpenPool)}</button>
        </div>
    }
}

/// Sends one of the viewer's steps in a pool (a commitment, a withdrawal, a bid, the
/// close); reloads when it is done, or says why not.
fn step<B: Serialize + 'static>(
    locale: Locale,
    message: RwSignal<Option<(bool, String)>>,
    method: Method,
    path: String,
    body: Option<B>,
) {
    super::submit(locale, method, path, body, None, move |e| {
        message.set(Some((false, e)))
    });
}

/// The viewer's part in the pool, fetched after load: their commitment and budget lines,
/// or their bid; the form starts from it.
fn load_part(
    pool_id: i64,
    part: RwSignal<Option<MyPoolPart>>,
    signed_out: RwSignal<bool>,
    line: RwSignal<i64>,
    quantity: RwSignal<String>,
    tiers: RwSignal<Vec<(String, String)>>,
) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        match super::api::get(&format!("/api/v1/pools/{pool_id}/mine")).await {
            Ok(answer) if answer.is_ok() => {
                if let Some(p) = answer.json::<MyPoolPart>() {
                    line.set(
                        p.commitment
                            .as_ref()
                            .map(|c| c.budget_line_id)
                            .or(p
                                .budget_lines
                                .iter()
                                .max_by_key(|b| b.available)
                                .map(|b| b.id))
                            .unwrap_or(0),
                    );
                    if let Some(c) = &p.commitment {
                        quantity.set(c.quantity.to_string());
                    }
                    if let Some(bid) = &p.bid {
                        tiers.set(
                            bid.iter()
                                .map(|t| (t.min_quantity.to_string(), t.price.to_plain_yuan()))
                                .collect(),
                        );
                    }
                    part.set(Some(p));
                }
            }
            Ok(answer) if answer.status == 401 => signed_out.set(true),
            _ => {}
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (pool_id, part, signed_out, line, quantity, tiers);
}

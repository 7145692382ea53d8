//! The supplier's listing tools: inline price edit, bulk import, API tokens, new offers;
//! and the operator's decision on a held-back listing.

use crate::i18n::{Locale, Msg};
use crate::model::{
    ApiTokenView, CityOption, ImportReport, Invitation, NewToken, OfferCreate, OfferForm,
    AddOfferState, StaffSection,
};
use emall_domain::Fen;
use leptos::prelude::*;

/// One offer's price, stock and delivery days, edited in place: a plain form the listings
/// page takes without script; with it, sent from here and said beside the boxes.
#[island]
pub fn PriceEditor(
    locale: Locale,
    offer_id: i64,
    price: Fen,
    stock: i64,
    delivery_days: i64,
    status: String,
    csrf_token: String,
    /// Where the plain form posts (the listings page's query kept).
    action: String,
    /// What became of the last change sent from the plain form, when it was this offer's.
    said: Option<(bool, String)>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let was = price.to_plain_yuan();
    let new_price = RwSignal::new(was.clone());
    let new_stock = RwSignal::new(stock.to_string());
    let new_days = RwSignal::new(delivery_days.to_string());
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(said);
    let send = move |form: OfferForm| {
        let body = match form.to_update() {
            Ok(body) => body,
            Err(fault) => return message.set(Some((false, locale.t(fault).to_string()))),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/offers/{offer_id}");
            match super::api::send(super::api::Method::Patch, &url, &body, &[]).await {
                Ok(answer) if answer.status == 202 => {
                    message.set(Some((true, locale.t(Msg::PriceHeldNote).to_string())))
                }
                Ok(answer) if answer.is_ok() && body.status.is_some() => super::api::reload(),
                Ok(answer) if answer.is_ok() => {
                    message.set(Some((true, locale.t(Msg::Saved).to_string())))
                }
                Ok(answer) => message.set(Some((false, answer.error_message()))),
                Err(_) => message.set(Some((false, locale.t(Msg::ErrInternal).to_string()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, offer_id);
    };
    let typed = {
        let was = was.clone();
        move |status: &str| OfferForm {
            price: new_price.get_untracked(),
            was: was.clone(),
            stock: new_stock.get_untracked(),
            delivery_days: new_days.get_untracked(),
            reason: reason.get_untracked(),
            status: status.to_string(),
        }
    };
    let typed_too = typed.clone();
    // On or off sale; an offer under review or suspended waits for the operator.
    let toggle_to = match status.as_str() {
        "on_sale" => Some(("off_sale", Msg::TakeOffSale)),
        "off_sale" => Some(("on_sale", Msg::PutOnSale)),
        _ => None,
    };
    view! {
        <form class="price-editor" method="post" id=format!("offer-{offer_id}") action=action>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            <input type="hidden" name="was" value=was.clone()/>
            <input class="price-input" name="price" aria-label=t(Msg::Price) inputmode="decimal" value=was.clone() prop:value=move || new_price.get()
                on:input=move |ev| new_price.set(event_target_value(&ev))/>
            <input class="stock-input" name="stock" aria-label=t(Msg::Stock) inputmode="numeric" value=stock.to_string() prop:value=move || new_stock.get()
                on:input=move |ev| new_stock.set(event_target_value(&ev))/>
            <input class="days-input" name="delivery_days" aria-label=t(Msg::DeliveryDays) inputmode="numeric" value=delivery_days.to_string() prop:value=move || new_days.get()
                on:input=move |ev| new_days.set(event_target_value(&ev))/>
            <input class="reason-input" name="reason" aria-label=t(Msg::PriceChangeReason) placeholder=t(Msg::PriceChangeReason)
                on:input=move |ev| reason.set(event_target_value(&ev))/>
            <button type="submit" class="secondary"
                on:click=move |ev| { ev.prevent_default(); send(typed("")) }>{t(Msg::SaveButton)}</button>
            {toggle_to.map(|(to, label)| view! {
                <button type="submit" name="status" value=to class="secondary sale-toggle"
                    on:click=move |ev| { ev.prevent_default(); send(typed_too(to)) }>{t(label)}</button>
            })}
            {move || message.get().map(|(ok, m)| view! {
                <span class=if ok { "ok-note" } else { "field-error" } role="status">{m}</span> })}
        </form>
    }
}

/// Bulk import: preview the file, then apply it all or nothing.
#[island]
pub fn ImportPanel(locale: Locale) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |dry_run: bool| {
        #[cfg(feature = "hydrate")]
        {
            let file = file_input
                .get_untracked()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            leptos::task::spawn_local(async move {
                let Some(file) = file else { return };
                busy.set(true);
                error.set(None);
                let url = format!("/api/v1/offers/import?dry_run={dry_run}");
                match super::api::send_bytes(&url, file.into()).await {
                    Ok(answer) if answer.is_ok() => {
                        report.set(answer.json());
                        if !dry_run {
                            super::api::reload();
                        }
                    }
                    Ok(answer) => error.set(Some(answer.error_message())),
                    Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (dry_run, file_input, report, error, busy);
    };
    let summary = move |r: &ImportReport| {
        locale.fill(
            Msg::ImportSummary,
            &[
                ("rows", &r.rows),
                ("created", &r.created),
                ("updated", &r.updated),
                ("held", &r.held),
            ],
        )
    };
    view! {
        <div class="stack import-panel">
            <p class="subtle">{t(Msg::ImportHelp)}</p>
            <label for="import-file">{t(Msg::ImportFileLabel)}</label>
            <input id="import-file" type="file" accept=".csv,.xlsx,text/csv" node_ref=file_input/>
            <div class="button-row">
                <button type="button" class="secondary" id="import-preview" disabled=move || busy.get() on:click=move |_| run(true)>{t(Msg::PreviewButton)}</button>
                <button type="button" class="primary" id="import-apply" disabled=move || busy.get()
                    hidden=move || !report.with(|r| r.as_ref().is_some_and(|r| r.errors.is_empty()))
                    on:click=move |_| run(false)>{t(Msg::ApplyImport)}</button>
            </div>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
            {move || report.get().map(|r| {
                let errors = r.errors.clone();
                view! {
                    <div id="import-report" aria-live="polite">
                        <p class="alert info">{summary(&r)}</p>
                        {(!errors.is_empty()).then(|| view! {
                            <p>{t(Msg::ImportErrors)}</p>
                            <table class="data" id="import-errors"><tbody>
                                {errors.into_iter().map(|e| view! {
                                    <tr><td class="num">{locale.fill(Msg::RowLabel, &[("line", &e.line)])}</td>
                                        <td>{e.column}</td>
                                        <td>{e.message}</td></tr>
                                }).collect_view()}
                            </tbody></table>
                        })}
                    </div>
                }
            })}
        </div>
    }
}

/// The supplier's API tokens: create one (its secret shown once), revoke. Plain forms
/// (`new_token` / `token_error`: what the page's own form just did), sent in place with
/// script.
#[island]
pub fn TokenPanel(
    locale: Locale,
    tokens: Vec<ApiTokenView>,
    csrf_token: String,
    new_token: Option<String>,
    token_error: Option<String>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let name = RwSignal::new(String::new());
    let shown = RwSignal::new(new_token);
    let error = RwSignal::new(token_error);
    let create = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let body = NewToken {
            name: name.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = "/api/v1/api-tokens";
            match super::api::send(super::api::Method::Post, url, &body, &[]).await {
                Ok(answer) if answer.is_ok() => {
                    shown.set(answer.json::<crate::model::CreatedToken>().map(|c| c.token))
                }
                Ok(answer) => error.set(Some(answer.error_message())),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, shown, error);
    };
    let revoke = move |id: i64| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/api-tokens/{id}");
            let answer = super::api::send_empty(super::api::Method::Delete, &url).await;
            if answer.is_ok_and(|a| a.is_ok()) {
                super::api::reload();
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let token = StoredValue::new(csrf_token);
    view! {
        <div class="stack token-panel">
            <p class="subtle">{t(Msg::TokenHelp)}</p>
            <table class="data" id="tokens"><tbody>
                {tokens.into_iter().map(|tok| view! {
                    <tr>
                        <td>{tok.name}</td><td class="mono">{tok.prefix}"…"</td>
                        <td>{t(Msg::LastUsed)}" "{tok.last_used_at.as_deref().map(crate::format::time).unwrap_or_else(|| "—".into())}</td>
                        <td>{if tok.revoked { view! { <span class="status status-cancelled">{t(Msg::Revoked)}</span> }.into_any() }
                            else { let id = tok.id; view! {
                                <form method="post" action=locale.href(&format!("/workbench/api-tokens/{id}/revoke"))>
                                    <input type="hidden" name="csrf_token" value=token.get_value()/>
                                    <button type="submit" class="secondary"
                                        on:click=move |ev| { ev.prevent_default(); revoke(id) }>{t(Msg::RevokeToken)}</button>
                                </form>
                            }.into_any() }}</td>
                    </tr>
                }).collect_view()}
            </tbody></table>
            <form class="stack" method="post" action=locale.href("/workbench/api-tokens")>
                <input type="hidden" name="csrf_token" value=token.get_value()/>
                <label for="token-name">{t(Msg::TokenName)}</label>
                <input id="token-name" name="name" type="text" maxlength="60" on:input=move |ev| name.set(event_target_value(&ev))/>
                <div class="button-row">
                    <button type="submit" class="secondary" id="create-token" on:click=create>{t(Msg::CreateToken)}</button>
                </div>
            </form>
            {move || shown.get().map(|tok| view! { <p class="alert success" id="token-shown">{t(Msg::NewTokenShown)}<code id="new-token">{tok}</code></p> })}
            {move || error.get().map(|e| view! { <p class="alert error" role="alert" id="token-error">{e}</p> })}
        </div>
    }
}

/// A new offer: find the standard product, then price it for the cities served. Plain
/// forms (a search that reloads the page with what it found, a link per product to choose
/// it, a listing form), which script runs in place; `state` is what they left.
#[island]
pub fn AddOffer(
    locale: Locale,
    cities: Vec<CityOption>,
    csrf_token: String,
    state: AddOfferState,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let query = RwSignal::new(state.find);
    let searched = RwSignal::new(state.found.is_some());
    let hits = RwSignal::new(state.found.unwrap_or_default());
    let chosen = RwSignal::new(state.chosen);
    let (typed_price, typed_stock, typed_days) = state
        .typed
        .unwrap_or_else(|| (String::new(), "100".into(), "3".into()));
    let price = RwSignal::new(typed_price);
    let stock = RwSignal::new(typed_stock);
    let days = RwSignal::new(typed_days);
    let message = RwSignal::new(state.refused.map(|r| (false, r)));
    let city_codes: Vec<String> = cities.iter().map(|c| c.code.clone()).collect();
    let find = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        super::find_products(query.get_untracked(), hits, Some(searched))
    };
    let list_it = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let Some(product) = chosen.get_untracked() else {
            return;
        };
        let price_fen = Fen::parse_yuan(&price.get_untracked())
            .map(|f| f.get())
            .unwrap_or(0);
        let body = OfferCreate {
            product_id: product.id,
            price_fen,
            stock: stock.get_untracked().trim().parse::<i64>().unwrap_or(-1),
            delivery_days: days.get_untracked().trim().parse::<i64>().unwrap_or(0),
            cities: city_codes.clone(),
            unit: None,
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = "/api/v1/offers";
            match super::api::send(super::api::Method::Post, url, &body, &[]).await {
                Ok(answer) if answer.is_ok() => {
                    let held = answer
                        .json::<crate::model::OfferCreated>()
                        .is_some_and(|c| c.status == emall_domain::listing::OfferStatus::InReview);
                    let note = if held { Msg::OfferHeld } else { Msg::OfferCreated };
                    message.set(Some((true, locale.t(note).to_string())))
                }
                Ok(answer) => message.set(Some((false, answer.error_message()))),
                Err(_) => message.set(Some((false, locale.t(Msg::ErrInternal).to_string()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, message);
    };
    let token = StoredValue::new(csrf_token);
    let pick_href = move |id: i64| {
        let find = crate::format::urlencode(&query.get());
        locale.href(&format!("/workbench/listings?find={find}&pick={id}#add-heading"))
    };
    view! {
        <div class="stack add-offer">
            <form class="stack" method="get" action=locale.href("/workbench/listings#add-heading")>
                <label for="find-product">{t(Msg::FindProduct)}</label>
                <div class="button-row">
                    <input id="find-product" name="find" type="search" value=query.get_untracked()
                        on:input=move |ev| query.set(event_target_value(&ev))/>
                    <button type="submit" class="secondary" id="find-button" on:click=find>{t(Msg::Filter)}</button>
                </div>
            </form>
            <ul class="product-picks">
                {move || hits.get().into_iter().map(|h| {
                    let pick = h.clone();
                    view! {
                        <li>
                            <a class="pick" href=pick_href(h.id)
                                on:click=move |ev| { ev.prevent_default(); chosen.set(Some(pick.clone())) }>{t(Msg::PickProduct)}</a>" "
                            {h.title}
                            <span class="subtle">" "{h.brand}" "{h.model}
                            " · "{h.unit}
                            " · "{t(Msg::ReferencePrice)}" "{h.reference_price.to_string()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (searched.get() && hits.with(Vec::is_empty)).then(|| view! {
                <p class="alert info" id="no-product">{t(Msg::NoProductFound)}" "<a href="#propose-heading">{t(Msg::ProposeHeading)}</a></p>
            })}
            {move || chosen.get().map(|p| view! {
                <form class="stack" method="post" action=locale.href("/workbench/offers")>
                    <input type="hidden" name="csrf_token" value=token.get_value()/>
                    <input type="hidden" name="product_id" value=p.id/>
                    <input type="hidden" name="find" value=query.get_untracked()/>
                    <p><strong id="chosen-product">{p.title}</strong></p>
                    <label for="new-price">{t(Msg::Price)}</label>
                    <input id="new-price" name="price" inputmode="decimal" value=price.get_untracked()
                        on:input=move |ev| price.set(event_target_value(&ev))/>
                    <label for="new-stock">{t(Msg::Stock)}</label>
                    <input id="new-stock" name="stock" inputmode="numeric" value=stock.get_untracked()
                        prop:value=move || stock.get() on:input=move |ev| stock.set(event_target_value(&ev))/>
                    <label for="new-days">{t(Msg::DeliveryDays)}</label>
                    <input id="new-days" name="delivery_days" inputmode="numeric" value=days.get_untracked()
                        prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                    <div class="button-row">
                        <button type="submit" class="primary" id="create-offer" on:click=list_it.clone()>{t(Msg::CreateOffer)}</button>
                    </div>
                </form>
            })}
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "alert success" } else { "alert error" } role="alert" id="offer-said">{m}</p> })}
        </div>
    }
}

/// The supplier's accounts, for its owner: invite a colleague (a one-time link shown once),
/// deactivate one. Plain forms (`section.invited` / `section.refused`: what the page's own
/// form just did), sent in place with script.
#[island]
pub fn StaffPanel(locale: Locale, section: StaffSection) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let name = RwSignal::new(String::new());
    let link = RwSignal::new(section.invited);
    let error = RwSignal::new(section.refused);
    let invite = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let body = Invitation {
            display_name: name.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = "/api/v1/suppliers/me/invitations";
            match super::api::send(super::api::Method::Post, url, &body, &[]).await {
                Ok(answer) if answer.is_ok() => {
                    let origin = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    let invited = answer.json::<crate::model::InvitationLink>();
                    link.set(invited.map(|i| format!("{origin}{}", i.link)));
                }
                Ok(answer) => error.set(Some(answer.error_message())),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, link, error);
    };
    let deactivate = move |id: i64| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/suppliers/me/staff/{id}");
            let answer = super::api::send_empty(super::api::Method::Delete, &url).await;
            if answer.is_ok_and(|a| a.is_ok()) {
                super::api::reload();
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let token = StoredValue::new(section.csrf_token);
    view! {
        <div class="stack staff-panel">
            <table class="data" id="staff"><tbody>
                {section.members.into_iter().map(|m| view! {
                    <tr>
                        <td>{m.display_name}</td><td class="mono">{m.username}</td>
                        <td>{if m.is_owner { t(Msg::OwnerLabel).into_any() }
                            else if !m.active { view! { <span class="status status-cancelled">{t(Msg::Deactivated)}</span> }.into_any() }
                            else { let id = m.id; view! {
                                <form method="post" action=locale.href(&format!("/workbench/staff/{id}/deactivate"))>
                                    <input type="hidden" name="csrf_token" value=token.get_value()/>
                                    <button type="submit" class="secondary"
                                        on:click=move |ev| { ev.prevent_default(); deactivate(id) }>{t(Msg::Deactivate)}</button>
                                </form>
                            }.into_any() }}</td>
                    </tr>
                }).collect_view()}
            </tbody></table>
            <form class="stack" method="post" action=locale.href("/workbench/staff")>
                <input type="hidden" name="csrf_token" value=token.get_value()/>
                <label for="invite-name">{t(Msg::ColleagueName)}</label>
                <input id="invite-name" name="display_name" type="text" maxlength="30" on:input=move |ev| name.set(event_target_value(&ev))/>
                <div class="button-row">
                    <button type="submit" class="secondary" id="invite-button" on:click=invite>{t(Msg::InviteColleague)}</button>
                </div>
            </form>
            {move || link.get().map(|l| view! { <p class="alert success">{t(Msg::InvitationLinkNote)}<code id="invite-link">{l}</code></p> })}
            {move || error.get().map(|e| view! { <p class="alert error" role="alert" id="invite-error">{e}</p> })}
        </div>
    }
}

use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{AppealForm, Choice, NoteDecision};
use crate::model::{SupplierPage, Verdict};
use emall_domain::credit::AppealDecision;
use leptos::prelude::*;

/// A supplier's public storefront: who they are and what they sell in the city.
pub fn supplier(locale: Locale, page: SupplierPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let city = page.city.code.clone();
    let pages = (page.pages > 1).then(|| {
        let (id, city) = (page.id, city.clone());
        super::pager(locale, page.page, page.pages, move |p| {
            locale.href(&format!("/supplier/{id}?city={city}&page={p}"))
        })
    });
    view! {
        <div class="page-heading">
            <h1>{page.name.clone()}</h1>
            <p class="subtle">{t(Msg::SupplierStore)}" · "{page.home_city.clone()}</p>
        </div>
        <dl class="facts">
            <div><dt>{t(Msg::AdmissionStatus)}</dt><dd><span class=format!("status status-{}", page.status)>
                {t(format::supplier_status(page.status))}</span></dd></div>
            <div><dt>{t(Msg::EnterpriseSize)}</dt><dd>{t(format::supplier_size(&page.size))}</dd></div>
            <div><dt>{t(Msg::SupplierScoreLabel)}</dt><dd>{page.score.map(|s| s.to_string()).unwrap_or_else(|| t(Msg::NoScore).to_string())}</dd></div>
            <div><dt>{t(Msg::CitiesServed)}</dt><dd>{page.cities.join("、")}</dd></div>
            <div><dt>{t(Msg::AdmittedOn)}</dt><dd>{page.admitted_on.clone().unwrap_or_else(|| "—".into())}</dd></div>
        </dl>
        <section class="panel" aria-labelledby="store-offers">
            <h2 id="store-offers">{t(Msg::OffersOfSupplier)}" · "{page.city.name.clone()}" ("{page.offer_total}")"</h2>
            {if page.offers.is_empty() {
                view! { <p class="empty">{t(Msg::NoOffers)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="data">
                        <thead><tr>
                            <th scope="col">{t(Msg::Product)}</th>
                            <th scope="col" class="num">{t(Msg::Price)}</th>
                            <th scope="col" class="num">{t(Msg::ReferencePrice)}</th>
                            <th scope="col" class="num">{t(Msg::DeliveryDays)}</th>
                            <th scope="col" class="num">{t(Msg::Stock)}</th>
                        </tr></thead>
                        <tbody>
                            {page.offers.into_iter().map(|o| view! {
                                <tr>
                                    <td><a href=locale.href(&format!("/product/{}?city={city}", o.product_id))>{o.title}</a></td>
                                    <td class="num strong">{o.price.to_string()}"/"{o.unit}</td>
                                    <td class="num">{o.reference_price.to_string()}</td>
                                    <td class="num">{o.delivery_days}" "{t(Msg::Days)}</td>
                                    <td class="num">{format::stock_level(locale, o.stock)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            {pages}
        </section>
        <section class="panel" aria-labelledby="credit-heading">
            <h2 id="credit-heading">{t(Msg::CreditRecord)}</h2>
            {credit_table(locale, &page.credit, CreditActions::None)}
        </section>
    }
    .into_any()
}

pub fn credit_kind(kind: &str) -> Msg {
    match kind {
        "suspension" => Msg::CreditSuspension,
        "revocation" => Msg::CreditRevocation,
        _ => Msg::CreditWarning,
    }
}

pub fn credit_state(state: &str) -> Msg {
    match state {
        "appealed" => Msg::CreditAppealed,
        "upheld" => Msg::CreditUpheld,
        "overturned" => Msg::CreditOverturned,
        "ended" => Msg::CreditEnded,
        _ => Msg::CreditInForce,
    }
}

/// What the viewer of a credit record may do with its entries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CreditActions<'a> {
    None,
    /// The supplier itself: appeal an entry in force (the session's CSRF token, for the
    /// plain form).
    Appeal(&'a str),
    /// The regulator: decide an appeal (the session's CSRF token, for the plain form).
    Decide(&'a str),
}

/// The CSRF token of a supplier's appeal forms, when `actions` appeals.
fn appeal(actions: CreditActions<'_>) -> Option<&str> {
    match actions {
        CreditActions::Appeal(token) => Some(token),
        _ => None,
    }
}

/// The CSRF token of a regulator's decision forms, when `actions` decides appeals.
fn decide(actions: CreditActions<'_>) -> Option<&str> {
    match actions {
        CreditActions::Decide(token) => Some(token),
        _ => None,
    }
}

/// 信用记录 as a table: kind, reason, dates, state, the appeal and its decision.
pub fn credit_table(
    locale: Locale,
    entries: &[crate::model::CreditEntryView],
    actions: CreditActions,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if entries.is_empty() {
        return view! { <p class="empty" id="credit-record">{t(Msg::NoCreditEntries)}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id="credit-record">
            <thead><tr>
                <th scope="col">{t(Msg::CreditKindLabel)}</th>
                <th scope="col">{t(Msg::ReviewReasonLabel)}</th>
                <th scope="col">{t(Msg::RecordedOn)}</th>
                <th scope="col">{t(Msg::Status)}</th>
            </tr></thead>
            <tbody>
                {entries.iter().map(|e| view! {
                    <tr data-credit=e.id>
                        <td><span class=format!("status status-credit-{}", e.kind)>{t(credit_kind(&e.kind))}</span></td>
                        <td>{e.reason.clone()}
                            {(!e.orders.is_empty()).then(|| view! { <p class="subtle">{t(Msg::OrdersLabel)}" "
                                {e.orders.iter().map(|o| format!("#{o}")).collect::<Vec<_>>().join(" ")}</p> })}
                            {e.appeal.clone().map(|a| view! { <p class="note">{t(Msg::AppealLabel)}": "{a}</p> })}
                            {e.decision_note.clone().map(|d| view! { <p class="note">{t(Msg::DecisionLabel)}": "{d}</p> })}</td>
                        <td><time>{format::time(&e.recorded_at)}</time>
                            {e.ends_at.clone().map(|end| view! { <p class="subtle">{t(Msg::UntilLabel)}" "{format::time(&end)}</p> })}</td>
                        <td>{t(credit_state(&e.state))}
                            {appeal(actions).filter(|_| e.state == "in_force").map(|csrf_token| view! { <AppealForm locale=locale entry_id=e.id csrf_token=csrf_token.to_string()/> })}
                            {decide(actions).filter(|_| e.state == "appealed").map(|csrf_token| view! { <NoteDecision locale=locale subject=e.id csrf_token=csrf_token.to_string()
                                note_label=t(Msg::DecisionLabel).to_string() id=None
                                choices=vec![Choice::new(Verdict::Appeal(AppealDecision::Uphold), t(Msg::UpholdAppeal)),
                                             Choice::new(Verdict::Appeal(AppealDecision::Overturn), t(Msg::OverturnEntry))]/> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

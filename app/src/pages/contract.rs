use super::order::items_table;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{ContractPage, ContractParty};
use leptos::prelude::*;

/// The printable electronic contract with its digest and whether it still matches.
pub fn contract(locale: Locale, page: ContractPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let c = page.contract;
    let fill = |msg: Msg| {
        locale.fill(
            msg,
            &[
                ("total", &c.total),
                ("days", &c.delivery_days),
                ("place", &c.delivery_place),
                ("terms", &c.payment_terms_days),
                ("budget", &c.budget_line),
                ("version", &c.terms_version),
            ],
        )
    };
    let mut clauses = vec![
        fill(Msg::ClauseSubject),
        fill(Msg::ClauseDelivery),
        fill(Msg::ClauseInspection),
        fill(Msg::ClausePayment),
    ];
    if c.supplier_is_sme {
        clauses.push(fill(Msg::ClauseSme));
    }
    clauses.push(fill(Msg::ClauseTerms));
    view! {
        <article class="contract" id="contract">
            <p class="no-print">
                <a href=locale.href(&format!("/orders/{}", page.order_id))>{t(Msg::BackToOrder)}</a>" "
                <button type="button" class="secondary" onclick="window.print()">{t(Msg::Print)}</button>
            </p>
            <h1>{t(Msg::ContractTitle)}</h1>
            <dl class="facts">
                <div><dt>{t(Msg::ContractNo)}</dt><dd class="mono">{c.contract_no.clone()}</dd></div>
                <div><dt>{t(Msg::OrderNo)}</dt><dd class="mono">{c.order_no.clone()}</dd></div>
                <div><dt>{t(Msg::PlacedAt)}</dt><dd>{format::time(&c.placed_at)}</dd></div>
                <div><dt>{t(Msg::SignedAt)}</dt><dd>{format::time(&c.signed_at)}</dd></div>
            </dl>
            <div class="grid-2">
                {party(locale, Msg::PartyA, &c.buyer)}
                {party(locale, Msg::PartyB, &c.supplier)}
            </div>
            {items_table(locale, &c.items, c.total)}
            <ol class="clauses">
                {clauses.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
            </ol>
            <p class="digest-line">{t(Msg::ContractDigest)}": "<code class="digest" id="contract-sha256">{page.sha256}</code></p>
            {if page.intact {
                view! { <p class="alert success" id="contract-check">{t(Msg::ContractIntact)}</p> }.into_any()
            } else {
                view! { <p class="alert error" id="contract-check">{t(Msg::ContractBroken)}</p> }.into_any()
            }}
        </article>
    }
    .into_any()
}

fn party(locale: Locale, role: Msg, p: &ContractParty) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <section class="party">
            <h2>{t(role)}</h2>
            <dl>
                <dt>{p.name.clone()}</dt>
                <dd>{t(Msg::UsccLabel)}": "<span class="mono">{p.uscc.clone()}</span></dd>
                <dd>{t(Msg::AddressLabel)}": "{p.address.clone()}</dd>
                <dd>{t(Msg::ContactLabel)}": "{p.contact.clone()}</dd>
            </dl>
        </section>
    }
    .into_any()
}

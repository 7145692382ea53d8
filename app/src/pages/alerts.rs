//! 预警: the bureau's red flags, and one alert with its evidence and what to do about it.

use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{Choice, CreditForm, NoteDecision, ScanButton, Verdict};
use crate::model::Triage;
use crate::model::{AlertPage, AlertView, AlertsPage};
use leptos::prelude::*;

pub const RULES: [(&str, Msg); 9] = [
    ("split_purchase", Msg::RuleSplitPurchase),
    ("bunching", Msg::RuleBunching),
    ("above_reference", Msg::RuleAboveReference),
    ("repeated_price_changes", Msg::RuleRepeatedPriceChanges),
    ("raise_after_pool", Msg::RuleRaiseAfterPool),
    ("dominant_supplier", Msg::RuleDominantSupplier),
    ("shared_contacts", Msg::RuleSharedContacts),
    ("late_confirmation", Msg::RuleLateConfirmation),
    ("late_payment", Msg::RuleLatePayment),
];
const STATUSES: [(&str, Msg); 4] = [
    ("open", Msg::AlertOpen),
    ("confirmed", Msg::AlertConfirmed),
    ("dismissed", Msg::AlertDismissed),
    ("acted", Msg::AlertActed),
];

fn label(pairs: &[(&str, Msg)], key: &str, locale: Locale) -> String {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| locale.t(*m).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// The measures of a finding, as "name value" pairs.
fn measures(a: &AlertView) -> String {
    a.details
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    format!(
                        "{k} {}",
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    )
                })
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .unwrap_or_default()
}

fn who(a: &AlertView) -> String {
    [a.unit_name.clone(), a.supplier_name.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ")
}

pub fn alerts(locale: Locale, page: AlertsPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {page_heading(t(Msg::AlertsTitle), page.me.org_label(locale))}
        <form method="get" class="filter-bar" action=locale.href("/console/alerts")>
            <select name="kind" aria-label=t(Msg::AlertRule)>
                <option value="">{t(Msg::AllRules)}</option>
                {RULES.iter().map(|(k, m)| view! { <option value=*k selected=page.kind == *k>{t(*m)}</option> }).collect_view()}
            </select>
            <select name="status" aria-label=t(Msg::Status)>
                {STATUSES.iter().map(|(k, m)| view! { <option value=*k selected=page.status == *k>{t(*m)}</option> }).collect_view()}
                <option value="all" selected=page.status == "all">{t(Msg::AllStatuses)}</option>
            </select>
            <button type="submit" class="secondary">{t(Msg::Filter)}</button>
            <ScanButton locale=locale/>
        </form>
        <section class="panel">
            {if page.alerts.is_empty() {
                view! { <p class="empty">{t(Msg::NoAlerts)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="data" id="alerts">
                        <thead><tr>
                            <th scope="col">{t(Msg::AlertRule)}</th>
                            <th scope="col">{t(Msg::AlertWho)}</th>
                            <th scope="col" class="num">{t(Msg::AmountLabel)}</th>
                            <th scope="col">{t(Msg::AlertMeasures)}</th>
                            <th scope="col">{t(Msg::Status)}</th>
                            <th scope="col">{t(Msg::UpdatedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {page.alerts.into_iter().map(|a| view! {
                                <tr data-alert=a.id data-kind=a.kind.clone()>
                                    <td><a href=locale.href(&format!("/console/alerts/{}", a.id))>{label(&RULES, &a.kind, locale)}</a></td>
                                    <td>{who(&a)}{a.category_code.clone().map(|c| view! { <span class="subtle">" · "{c}</span> })}</td>
                                    <td class="num">{a.amount.map(|x| x.to_string()).unwrap_or_default()}</td>
                                    <td class="subtle">{measures(&a)}</td>
                                    <td><span class=format!("status status-alert-{}", a.status)>{label(&STATUSES, &a.status, locale)}</span></td>
                                    <td><time>{format::time(&a.updated_at)}</time></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

pub fn alert(locale: Locale, page: AlertPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let a = page.alert;
    view! {
        {page_heading(t(Msg::AlertsTitle), label(&RULES, &a.kind, locale))}
        <div class="grid-2">
            <section class="panel">
                <dl class="facts" id="alert-facts">
                    <div><dt>{t(Msg::AlertRule)}</dt><dd>{label(&RULES, &a.kind, locale)}</dd></div>
                    <div><dt>{t(Msg::Status)}</dt><dd><span class=format!("status status-alert-{}", a.status) id="alert-status">{label(&STATUSES, &a.status, locale)}</span></dd></div>
                    {a.unit_name.clone().map(|u| view! { <div><dt>{t(Msg::Buyer)}</dt><dd>{u}</dd></div> })}
                    {a.supplier_id.zip(a.supplier_name.clone()).map(|(id, s)| view! {
                        <div><dt>{t(Msg::Supplier)}</dt><dd><a href=locale.href(&format!("/console/suppliers/{id}"))>{s}</a></dd></div> })}
                    {a.category_code.clone().map(|c| view! { <div><dt>{t(Msg::CategoryLabel)}</dt><dd>{c}</dd></div> })}
                    {a.amount.map(|x| view! { <div><dt>{t(Msg::AmountLabel)}</dt><dd>{x.to_string()}</dd></div> })}
                    <div><dt>{t(Msg::AlertMeasures)}</dt><dd>{measures(&a)}</dd></div>
                    {a.note.clone().map(|n| view! { <div><dt>{t(Msg::TriageNote)}</dt><dd>{n}</dd></div> })}
                </dl>
                {page.can_triage.then(|| view! { <NoteDecision locale=locale path=format!("/api/v1/alerts/{}/triage", a.id)
                    note_label=t(Msg::TriageNote).to_string() id=Some("alert-triage".to_string())
                    choices=vec![Choice::new(Verdict::Alert(Triage::Confirm), t(Msg::ConfirmAlert)).with_id("alert-confirm"),
                                 Choice::new(Verdict::Alert(Triage::Dismiss), t(Msg::DismissAlert)).with_id("alert-dismiss")]/> })}
            </section>
            <section class="panel" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">{t(Msg::Evidence)}</h2>
                <div class="table-scroll"><table class="data" id="alert-evidence">
                    <thead><tr>
                        <th scope="col">{t(Msg::OrderNo)}</th>
                        <th scope="col">{t(Msg::Buyer)}</th>
                        <th scope="col">{t(Msg::Supplier)}</th>
                        <th scope="col" class="num">{t(Msg::AmountLabel)}</th>
                        <th scope="col">{t(Msg::PlacedAt)}</th>
                    </tr></thead>
                    <tbody>
                        {page.orders.iter().map(|o| view! {
                            <tr><td><a href=locale.href(&format!("/orders/{}", o.id))>{o.order_no.clone()}</a></td>
                                <td>{o.unit_name.clone()}</td><td>{o.supplier_name.clone()}</td>
                                <td class="num">{o.total.to_string()}</td><td><time>{format::time(&o.created_at)}</time></td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
                {(!a.offers.is_empty()).then(|| view! { <p>{t(Msg::OffersLabel)}" "{a.offers.iter().map(|o| format!("#{o}")).collect::<Vec<_>>().join(" ")}</p> })}
                {(!a.suppliers.is_empty()).then(|| view! {
                    <p>{t(Msg::Supplier)}" "{a.suppliers.iter().map(|s| view! { <a href=locale.href(&format!("/console/suppliers/{s}"))>"#"{*s}</a>" " }).collect_view()}</p>
                })}
            </section>
        </div>
        {(page.can_triage && a.supplier_id.is_some()).then(|| view! {
            <section class="panel narrow-form" aria-labelledby="act-heading">
                <h2 id="act-heading">{t(Msg::ActOnAlert)}</h2>
                <CreditForm locale=locale supplier_id=a.supplier_id.unwrap_or(0) alert_id=Some(a.id) orders=a.orders.clone()/>
            </section>
        })}
    }
    .into_any()
}

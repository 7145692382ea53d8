//! 预警: the bureau's red flags, and one alert with its evidence and what to do about it.

use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{Choice, CreditForm, NoteDecision, ScanButton};
use crate::model::{AlertPage, AlertView, AlertsPage, Triage, Verdict};
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

/// The measures of a finding in words: money in yuan, shares in per cent, counts and days
/// with their units. A measure the page has no words for is left out, never shown raw.
fn measures(a: &AlertView, locale: Locale) -> String {
    let Some(m) = a.details.as_object() else {
        return String::new();
    };
    let n = |msg: Msg, v: i64| locale.fill(msg, &[("n", &v)]);
    let yuan = |msg: Msg, v: i64| locale.fill(msg, &[("yuan", &emall_domain::Fen(v))]);
    let percent = |msg: Msg, v: i64| locale.fill(msg, &[("percent", &format::percent_bp(v))]);
    let yes_no = |v: i64, yes: Msg, no: Msg| locale.t(if v != 0 { yes } else { no }).to_string();
    m.iter()
        .filter_map(|(k, v)| {
            if k == "field" {
                let msg = match v.as_str()? {
                    "phone" => Msg::SharedPhone,
                    "email" => Msg::SharedEmail,
                    "bank_account" => Msg::SharedBankAccount,
                    "address" => Msg::SharedAddress,
                    _ => return None,
                };
                return Some(locale.t(msg).to_string());
            }
            let v = v.as_i64()?;
            Some(match k.as_str() {
                "count" | "orders" => n(Msg::MeasureOrders, v),
                "changes" => n(Msg::MeasureChanges, v),
                "raises" => n(Msg::MeasureRaises, v),
                "suppliers" => n(Msg::MeasureSuppliers, v),
                "days" => n(Msg::MeasureDays, v),
                "window_days" => n(Msg::MeasureWindow, v),
                "late_secs" => n(Msg::MeasureLateHours, (v + 3599) / 3600),
                "cap" => yuan(Msg::MeasureCap, v),
                "threshold" => yuan(Msg::MeasureThreshold, v),
                "old_price" => yuan(Msg::MeasureOldPrice, v),
                "new_price" => yuan(Msg::MeasureNewPrice, v),
                "total" => yuan(Msg::MeasureTotal, v),
                "order_amount" => yuan(Msg::MeasureOrderAmount, v),
                "earlier_in_window" => yuan(Msg::MeasureEarlier, v),
                "over_bp" => percent(Msg::MeasureOver, v),
                "raise_bp" => percent(Msg::MeasureRaise, v),
                "share_bp" => percent(Msg::MeasureShare, v),
                "confirmed" => yes_no(v, Msg::MeasureConfirmedYes, Msg::MeasureConfirmedNo),
                "paid" => yes_no(v, Msg::MeasurePaidYes, Msg::MeasurePaidNo),
                _ => return None,
            })
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The alert's category by name in the page's language.
fn category(a: &AlertView, locale: Locale) -> Option<String> {
    let name = match locale {
        Locale::En => a.category_name_en.clone().or(a.category_name.clone()),
        Locale::ZhCn => a.category_name.clone(),
    };
    name.or(a.category_code.clone())
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
    let (status, kind) = (page.status.clone(), page.kind.clone());
    let pages = (page.pages > 1).then(|| {
        super::pager(locale, page.page, page.pages, move |p| {
            locale.href(&format!(
                "/console/alerts?status={status}&kind={kind}&page={p}"
            ))
        })
    });
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
        <form id="scan-form" method="post" action=locale.href("/console/alerts/scan")>
            <input type="hidden" name="csrf_token" value=page.csrf_token.clone()/>
        </form>
        <section class="panel">
            {if page.alerts.is_empty() {
                view! { <p class="empty">{t(Msg::NoAlerts)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0"><table class="data" id="alerts">
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
                                    <td>{who(&a)}{category(&a, locale).map(|c| view! { <span class="subtle">" · "{c}</span> })}</td>
                                    <td class="num">{a.amount.map(|x| x.to_string()).unwrap_or_default()}</td>
                                    <td class="subtle">{measures(&a, locale)}</td>
                                    <td><span class=format!("status status-alert-{}", a.status)>{label(&STATUSES, &a.status, locale)}</span></td>
                                    <td><time>{format::time(&a.updated_at)}</time></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            <p class="subtle" id="alerts-matching">{locale.fill(Msg::AlertsMatching, &[("count", &page.matching)])}</p>
            {pages}
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
                    {category(&a, locale).map(|c| view! { <div><dt>{t(Msg::CategoryLabel)}</dt><dd>{c}</dd></div> })}
                    {a.amount.map(|x| view! { <div><dt>{t(Msg::AmountLabel)}</dt><dd>{x.to_string()}</dd></div> })}
                    <div><dt>{t(Msg::AlertMeasures)}</dt><dd>{measures(&a, locale)}</dd></div>
                    {a.note.clone().map(|n| view! { <div><dt>{t(Msg::TriageNote)}</dt><dd>{n}</dd></div> })}
                </dl>
                {page.can_triage.then(|| view! { <NoteDecision locale=locale subject=a.id csrf_token=page.csrf_token.clone()
                    note_label=t(Msg::TriageNote).to_string() id=Some("alert-triage".to_string())
                    choices=vec![Choice::new(Verdict::Alert(Triage::Confirm), t(Msg::ConfirmAlert)).with_id("alert-confirm"),
                                 Choice::new(Verdict::Alert(Triage::Dismiss), t(Msg::DismissAlert)).with_id("alert-dismiss")]/> })}
            </section>
            <section class="panel" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">{t(Msg::Evidence)}</h2>
                <div class="table-scroll" tabindex="0"><table class="data" id="alert-evidence">
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
                {(!page.offers.is_empty()).then(|| view! {
                    <p id="alert-offers">{t(Msg::OffersLabel)}" "{page.offers.iter().map(|o| view! {
                        <a href=locale.href(&format!("/product/{}", o.product_id))>{o.title.clone()}</a>" ("{o.supplier_name.clone()}") "
                    }).collect_view()}</p>
                })}
                {(!page.suppliers.is_empty()).then(|| view! {
                    <p id="alert-suppliers">{t(Msg::Supplier)}" "{page.suppliers.iter().map(|(id, name)| view! {
                        <a href=locale.href(&format!("/console/suppliers/{id}"))>{name.clone()}</a>" " }).collect_view()}</p>
                })}
            </section>
        </div>
        {(page.can_triage && a.supplier_id.is_some()).then(|| view! {
            <section class="panel narrow-form" aria-labelledby="act-heading">
                <h2 id="act-heading">{t(Msg::ActOnAlert)}</h2>
                <CreditForm locale=locale supplier_id=a.supplier_id.unwrap_or(0) alert_id=Some(a.id) orders=a.orders.clone()
                    csrf_token=page.csrf_token.clone()/>
            </section>
        })}
    }
    .into_any()
}

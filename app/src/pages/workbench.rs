use super::{home_heading, orders_table};
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::SupplierHomePage;
use leptos::prelude::*;

/// The supplier's workbench: admission status, listings and orders to handle.
pub fn workbench(locale: Locale, page: SupplierHomePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {home_heading(locale, t(Msg::SupplierHomeTitle), page.me.org_label(locale))}
        <dl class="facts">
            <div><dt>{t(Msg::AdmissionStatus)}</dt>
                <dd><span class=format!("status status-{}", page.supplier_status)>
                    {t(format::supplier_status(page.supplier_status))}</span></dd></div>
            <div><dt>{t(Msg::EnterpriseSize)}</dt><dd>{t(format::supplier_size(&page.size))}</dd></div>
            <div><dt>{t(Msg::MyOffers)}</dt><dd>{format::count(page.offer_total, locale)}</dd></div>
            <div><dt>{t(Msg::SupplierScoreLabel)}</dt><dd>
                <a id="my-score" href=locale.href(&format!("/supplier/{}/performance/events", page.supplier_id))>
                    {page.score.map(|s| s.to_string()).unwrap_or_else(|| t(Msg::NoScore).to_string())}</a></dd></div>
        </dl>
        <p class="button-row">
            <a class="button" id="listings-link" href=locale.href("/workbench/listings")>{t(Msg::ListingsTitle)}</a>
            <a class="button secondary" href=locale.href("/workbench/application")>{t(Msg::MyApplication)}" · "{t(Msg::QualificationsHeading)}</a>
        </p>
        {(page.review_state != "admitted").then(|| view! {
            <div class="alert warning" id="application-state">
                <p><strong>{t(format::review_state(&page.review_state))}</strong>" · "{t(Msg::ApplicationPending)}</p>
                {(!page.review_reason.is_empty()).then(|| view! { <p>{t(Msg::ReviewReasonLabel)}": "{page.review_reason.clone()}</p> })}
                <p><a class="button secondary" href=locale.href("/workbench/application")>
                    {if matches!(page.review_state.as_str(), "changes_requested" | "rejected") { t(Msg::EditApplication) } else { t(Msg::MyApplication) }}</a></p>
            </div>
        })}
        {(!page.notices.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="notices-heading" id="notices">
                <h2 id="notices-heading">{t(Msg::NoticesHeading)}</h2>
                <ul>
                    {page.notices.iter().map(|n| view! {
                        <li><time>{format::time(&n.at)}</time>" "
                            {t(match n.kind.as_str() {
                                "qualification_lapsed" => Msg::NoticeLapsed,
                                "qualification_flagged" => Msg::NoticeFlagged,
                                _ => Msg::NoticeRestored,
                            })}
                            " "{n.details.clone()}" "
                            <a href=locale.href("/workbench/application")>{t(Msg::QualificationsHeading)}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!page.credit.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="credit-heading">
                <h2 id="credit-heading">{t(Msg::CreditRecord)}</h2>
                {super::supplier::credit_table(locale, &page.credit, super::supplier::CreditActions::Appeal(&page.csrf_token))}
            </section>
        })}
        <section class="panel" aria-labelledby="open-orders-heading">
            <div class="panel-head">
                <h2 id="open-orders-heading">{t(Msg::IncomingOrders)}</h2>
                <a id="order-centre-link" href=locale.href("/orders")>{t(Msg::OrderCentreLink)}</a>
            </div>
            {orders_table(locale, page.open_orders, Msg::Buyer)}
        </section>
        <section class="panel" aria-labelledby="offers-heading">
            <h2 id="offers-heading">{t(Msg::MyOffers)}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="data" id="my-offers">
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::Product)}</th>
                            <th scope="col" class="num">{t(Msg::Price)}</th>
                            <th scope="col" class="num">{t(Msg::Stock)}</th>
                            <th scope="col" class="num">{t(Msg::DeliveryDays)}</th>
                            <th scope="col">{t(Msg::City)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.offers.into_iter().map(|o| view! {
                            <tr>
                                <td><a href=locale.href(&format!("/product/{}", o.product_id))>{o.product_title}</a></td>
                                <td class="num">{o.price.to_string()}</td>
                                <td class="num">{o.stock}</td>
                                <td class="num">{o.delivery_days}" "{t(Msg::Days)}</td>
                                <td>{o.cities.join("、")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

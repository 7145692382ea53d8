use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::SupplierPage;
use leptos::prelude::*;

/// A supplier's public storefront: who they are and what they sell in the city.
pub fn supplier(locale: Locale, page: SupplierPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let city = page.city.code.clone();
    view! {
        <div class="page-heading">
            <h1>{page.name.clone()}</h1>
            <p class="subtle">{t(Msg::SupplierStore)}" · "{page.home_city.clone()}</p>
        </div>
        <dl class="facts">
            <div><dt>{t(Msg::AdmissionStatus)}</dt><dd><span class=format!("status status-{}", page.status)>
                {t(format::supplier_status(&page.status))}</span></dd></div>
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
                    <div class="table-scroll"><table class="data">
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
                                    <td class="num">{o.stock}</td>
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

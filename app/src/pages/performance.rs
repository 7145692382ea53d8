use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::PerformancePage;
use leptos::prelude::*;

/// 履约评价: a supplier's score and its parts (public), and the events behind it for the
/// supplier itself and the regulator.
pub fn performance(locale: Locale, page: PerformancePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let s = page.summary;
    let facts = [
        (Msg::OrdersCount, s.orders.to_string()),
        (Msg::DeliveredOnTime, s.delivered_on_time.to_string()),
        (Msg::DeliveredLate, s.delivered_late.to_string()),
        (Msg::InspectionsFailed, s.inspections_failed.to_string()),
        (
            Msg::AverageRating,
            s.average_rating_x100
                .map(|r| format!("{}.{:02}", r / 100, r % 100))
                .unwrap_or_else(|| t(Msg::NoScore).to_string()),
        ),
        (
            Msg::AverageConfirmHours,
            s.average_confirm_hours
                .map(|h| h.to_string())
                .unwrap_or_else(|| t(Msg::NoScore).to_string()),
        ),
        (Msg::ComplaintsCount, s.complaints.to_string()),
        (Msg::SupplierCancelled, s.cancelled_by_supplier.to_string()),
        (Msg::NotConfirmed, s.not_confirmed.to_string()),
    ];
    let id = s.supplier_id;
    view! {
        <div class="page-heading">
            <h1>{t(Msg::PerformanceTitle)}</h1>
            <p class="subtle"><a href=locale.href(&format!("/supplier/{id}"))>{s.supplier_name.clone()}</a></p>
        </div>
        <div class="grid-2">
            <section class="panel" aria-labelledby="score-heading">
                <h2 id="score-heading">{t(Msg::SupplierScoreLabel)}" "<span class="score" id="score">{s.score}</span></h2>
                <p class="subtle">{t(Msg::PerformanceWindow)}</p>
                <table class="data" id="score-parts">
                    <thead><tr>
                        <th scope="col">{t(Msg::PerformanceTitle)}</th>
                        <th scope="col" class="num">{t(Msg::Weight)}</th>
                        <th scope="col" class="num">{t(Msg::Observations)}</th>
                        <th scope="col" class="num">{t(Msg::RatePercent)}</th>
                    </tr></thead>
                    <tbody>
                        {s.parts.iter().map(|p| view! {
                            <tr>
                                <td>{t(format::score_part(&p.name))}
                                    <div class="meter" aria-hidden="true"><span style=format!("width:{}%", p.percent.clamp(0, 100))></span></div></td>
                                <td class="num">{p.weight}</td>
                                <td class="num">{p.observations}</td>
                                <td class="num">{p.percent}"%"</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="panel">
                <dl class="facts">
                    {facts.into_iter().map(|(label, value)| view! {
                        <div><dt>{t(label)}</dt><dd>{value}</dd></div>
                    }).collect_view()}
                </dl>
            </section>
        </div>
        <section class="panel" aria-labelledby="events-heading">
            <h2 id="events-heading">{t(Msg::PerformanceEvents)}</h2>
            {match page.events {
                None => view! {
                    <p class="subtle">{t(Msg::EventsPrivate)}" "
                        <a href=locale.href(&format!("/supplier/{id}/performance/events"))>{t(Msg::ViewEvents)}</a></p>
                }.into_any(),
                Some(events) => view! {
                    <div class="table-scroll" tabindex="0"><table class="data" id="performance-events">
                        <thead><tr>
                            <th scope="col">{t(Msg::OrderDate)}</th>
                            <th scope="col">{t(Msg::OrderNo)}</th>
                            <th scope="col">{t(Msg::Buyer)}</th>
                            <th scope="col">{t(Msg::EventLabel)}</th>
                            <th scope="col" class="num">{t(Msg::ValueLabel)}</th>
                        </tr></thead>
                        <tbody>
                            {events.into_iter().map(|e| view! {
                                <tr>
                                    <td>{format::time(&e.at)}</td>
                                    <td class="mono"><a href=locale.href(&format!("/orders/{}", e.order_id))>{e.order_no}</a></td>
                                    <td>{e.unit_name}</td>
                                    <td>{t(format::performance_event(&e.kind))}</td>
                                    <td class="num">{(e.value != 0).then(|| e.value.to_string())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

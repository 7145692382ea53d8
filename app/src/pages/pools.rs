//! 联合采购: the pools of a city, one pool with its bids and result (both public and the
//! same for every visitor), and the operator's management page.

use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{OpenPoolForm, PoolActions};
use crate::model::{
    PoolConsolePage, PoolPage, PoolResultView, PoolSummary, PoolsPage, SavingsView,
};
use leptos::prelude::*;

fn state_label(state: &str) -> Msg {
    match state {
        "awarded" => Msg::PoolStateAwarded,
        "failed" => Msg::PoolStateFailed,
        _ => Msg::PoolStateOpen,
    }
}

/// Progress towards the minimum, then towards the next tier, as a bar with its numbers.
fn progress(locale: Locale, p: &PoolSummary) -> AnyView {
    let target = p
        .next_tier
        .map(|n| n.min_quantity)
        .unwrap_or(p.min_total_quantity)
        .max(1);
    let percent = (p.total_quantity * 100 / target).clamp(0, 100);
    view! {
        <div class="pool-progress">
            <div class="meter" role="progressbar" aria-valuemin="0" aria-valuemax=target aria-valuenow=p.total_quantity
                aria-label=locale.t(Msg::PoolProgress)>
                <span style=format!("width: {percent}%")></span>
            </div>
            <p class="subtle">{locale.fill(Msg::CommittedOf, &[("total", &p.total_quantity), ("min", &p.min_total_quantity)])}
                {p.next_tier.map(|n| view! { " · "<span class="next-tier">{locale.fill(Msg::NextTierHint,
                    &[("missing", &n.missing), ("unit", &p.unit), ("price", &n.price)])}</span> })}</p>
        </div>
    }
    .into_any()
}

fn pool_row(locale: Locale, p: PoolSummary) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <tr data-pool=p.id>
            <td><a href=locale.href(&format!("/pools/{}", p.id))>{p.title.clone()}</a>
                <p class="subtle">{p.product_title.clone()}" · "{p.city_name.clone()}</p></td>
            <td><span class=format!("status status-pool-{}", p.state)>{t(state_label(&p.state))}</span></td>
            <td class="num strong">{p.current_price.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}
                <span class="per">"/"{p.unit.clone()}</span></td>
            <td>{progress(locale, &p)}</td>
            <td class="num">{p.units}" / "{p.bidders}</td>
            <td><time>{format::time(&p.closes_at)}</time></td>
        </tr>
    }
    .into_any()
}

pub(super) fn pools_table(locale: Locale, pools: Vec<PoolSummary>, id: &'static str) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if pools.is_empty() {
        return view! { <p class="empty">{t(Msg::NoPools)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id=id>
            <thead><tr>
                <th scope="col">{t(Msg::PoolTitle)}</th>
                <th scope="col">{t(Msg::Status)}</th>
                <th scope="col" class="num">{t(Msg::PoolPriceNow)}</th>
                <th scope="col">{t(Msg::CommitQuantity)}</th>
                <th scope="col" class="num">{t(Msg::UnitsJoined)}" / "{t(Msg::Bidders)}</th>
                <th scope="col">{t(Msg::ClosesAt)}</th>
            </tr></thead>
            <tbody>{pools.into_iter().map(|p| pool_row(locale, p)).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// The pools of a city: open ones first, then the results.
pub fn pools(locale: Locale, page: PoolsPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {page_heading(t(Msg::PoolsTitle), page.city.name.clone())}
        <p class="lead">{t(Msg::PoolsIntro)}</p>
        <section class="panel" aria-labelledby="open-pools-heading">
            <h2 id="open-pools-heading">{t(Msg::OpenPoolsHeading)}</h2>
            {pools_table(locale, page.open, "open-pools")}
        </section>
        <section class="panel" aria-labelledby="closed-pools-heading">
            <h2 id="closed-pools-heading">{t(Msg::ClosedPoolsHeading)}</h2>
            {pools_table(locale, page.closed, "closed-pools")}
        </section>
    }
    .into_any()
}

fn savings_row(locale: Locale, label: Msg, s: Option<SavingsView>) -> Option<AnyView> {
    let t = move |m: Msg| locale.t(m);
    s.map(|s| {
        // Saved, or paid more than the baseline: said as it is.
        let (word, per_unit, total) = if s.per_unit.get() >= 0 {
            (Msg::SavedBy, s.per_unit, s.total)
        } else {
            (Msg::MoreBy, emall_domain::Fen(-s.per_unit.get()), emall_domain::Fen(-s.total.get()))
        };
        view! {
            <div><dt>{t(label)}" "{s.baseline.to_string()}</dt>
                <dd>{t(word)}" "{per_unit.to_string()}" ("{format::percent_bp(s.basis_points.abs())}")"
                    <span class="subtle">" · "{t(Msg::InTotal)}" "{total.to_string()}</span></dd></div>
        }
        .into_any()
    })
}

fn result(locale: Locale, r: &PoolResultView, unit: &str) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    match r.unit_price {
        Some(price) => view! {
            <dl class="facts" id="pool-result">
                <div><dt>{t(Msg::WinnerLabel)}</dt><dd><strong>{r.winner_name.clone()}</strong></dd></div>
                <div><dt>{t(Msg::PoolPriceNow)}</dt><dd class="price"><strong id="pool-price">{price.to_string()}</strong><span class="per">"/"{unit.to_string()}</span></dd></div>
                <div><dt>{t(Msg::UnitsServed)}</dt><dd>{r.units_served}</dd></div>
                {savings_row(locale, Msg::SavingsVsHistory, r.vs_history)}
                {savings_row(locale, Msg::SavingsVsReference, r.vs_reference)}
                {r.cap_until.clone().map(|u| view! { <div><dt>{t(Msg::CapUntilLabel)}</dt><dd>{format::time(&u)}</dd></div> })}
                <div><dt>{t(Msg::ClosesAt)}</dt><dd>{format::time(&r.closed_at)}{r.closed_early.then(|| t(Msg::ClosedEarly))}</dd></div>
            </dl>
        }
        .into_any(),
        None => view! {
            <p class="alert warning" id="pool-result">{t(if r.fail_reason.as_deref() == Some("no_qualifying_bid") { Msg::FailNoBid } else { Msg::FailBelowMinimum })}</p>
        }
        .into_any(),
    }
}

/// One pool: its terms and progress, the bids, the viewer's part (an island), the result.
pub fn pool(locale: Locale, page: PoolPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let d = page.pool;
    let s = d.summary.clone();
    let open = s.state == "open";
    view! {
        {page_heading(t(Msg::JointPurchase), s.city_name.clone())}
        <div class="grid-2">
            <section class="panel" aria-labelledby="pool-title">
                <p><span class=format!("status status-pool-{}", s.state) id="pool-state">{t(state_label(&s.state))}</span></p>
                <h1 id="pool-title">{s.title.clone()}</h1>
                <p><a href=locale.href(&format!("/product/{}?city={}", s.product_id, s.city))>{s.product_title.clone()}</a></p>
                {(!d.description.is_empty()).then(|| view! { <p>{d.description.clone()}</p> })}
                <dl class="facts">
                    <div><dt>{t(Msg::PoolPriceNow)}</dt><dd class="price"><strong id="pool-current-price">
                        {s.current_price.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</strong><span class="per">"/"{s.unit.clone()}</span></dd></div>
                    <div><dt>{t(Msg::CeilingPrice)}</dt><dd>{s.ceiling.to_string()}</dd></div>
                    <div><dt>{t(Msg::ReferencePrice)}</dt><dd>{s.reference_price.to_string()}</dd></div>
                    <div><dt>{t(Msg::MinTotalQuantity)}</dt><dd>{s.min_total_quantity}" "{s.unit.clone()}</dd></div>
                    <div><dt>{t(Msg::DeliveryTerms)}</dt><dd>{d.delivery_terms.clone()}</dd></div>
                    <div><dt>{t(Msg::CapValidityDays)}</dt><dd>{d.validity_days}</dd></div>
                    <div><dt>{t(Msg::ClosesAt)}</dt><dd><time>{format::time(&s.closes_at)}</time></dd></div>
                    <div><dt>{t(Msg::UnitsJoined)}</dt><dd id="pool-units">{s.units}</dd></div>
                </dl>
                {progress(locale, &s)}
                <PoolActions locale=locale pool_id=s.id open=open/>
            </section>
            <section class="panel" aria-labelledby="bids-heading">
                {d.result.as_ref().map(|r| view! {
                    <h2>{t(Msg::ResultHeading)}</h2>
                    {result(locale, r, &s.unit)}
                })}
                <h2 id="bids-heading">{t(Msg::BidsHeading)}</h2>
                {if d.bids.is_empty() {
                    view! { <p class="empty">{t(Msg::NoOffers)}</p> }.into_any()
                } else {
                    view! {
                        <table class="data" id="pool-bids">
                            <thead><tr>
                                <th scope="col">{t(Msg::Supplier)}</th>
                                <th scope="col">{t(Msg::VolumeTiers)}</th>
                                <th scope="col" class="num">{t(Msg::PriceAtTotal)}</th>
                            </tr></thead>
                            <tbody>
                                {d.bids.iter().map(|b| view! {
                                    <tr class:best=b.winner>
                                        <td>{if b.supplier_id.is_some() { b.bidder.clone() } else { format!("{}{}", t(Msg::BidderLabel), b.bidder) }}</td>
                                        <td><ul class="tiers">{b.tiers.iter().map(|tier| view! {
                                            <li>"≥"{tier.min_quantity}" "{s.unit.clone()}": "{tier.price.to_string()}</li>
                                        }).collect_view()}</ul></td>
                                        <td class="num strong">{b.price_at_total.map(|p| p.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        </div>
    }
    .into_any()
}

/// The operator's pools: open a new one; every pool with its state.
pub fn pool_console(locale: Locale, page: PoolConsolePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {page_heading(t(Msg::PoolConsoleTitle), page.me.org_label(locale))}
        <section class="panel" aria-labelledby="pool-list-heading">
            <h2 id="pool-list-heading">{t(Msg::PoolsTitle)}</h2>
            {pools_table(locale, page.pools, "console-pools")}
        </section>
        {page.can_manage.then(|| view! {
            <section class="panel narrow-form" aria-labelledby="open-pool-heading">
                <h2 id="open-pool-heading">{t(Msg::OpenPool)}</h2>
                <OpenPoolForm locale=locale cities=page.cities/>
            </section>
        })}
    }
    .into_any()
}

use super::{home_heading, orders_table};
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{IntentionForm, OpenPoolForm};
use crate::model::BuyerHomePage;
use leptos::prelude::*;

/// The buyer's and approver's home: the unit's budget lines and recent orders.
pub fn buyer_home(locale: Locale, page: BuyerHomePage) -> AnyView {
    let opened = page.intentions.sent.is_some();
    let t = move |m: Msg| locale.t(m);
    let payments = emall_domain::performance::PaymentRecord {
        paid_on_time: page.payments.paid_on_time,
        paid_late: page.payments.paid_late,
        overdue_now: page.payments.overdue_now,
    };
    view! {
        {home_heading(locale, t(Msg::BuyerHomeTitle), page.me.org_label(locale))}
        <section class="panel" aria-labelledby="budget-heading">
            <div class="panel-head">
                <h2 id="budget-heading">{t(Msg::BudgetLines)}</h2>
                <span>
                    <a class="button" href=locale.href("/")>{t(Msg::GoShopping)}</a>" "
                    <a class="button secondary" href=locale.href("/buyer/cart")>{t(Msg::CartTitle)}</a>
                </span>
            </div>
            <div class="table-scroll" tabindex="0">
                <table class="data" id="budget-lines">
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::BudgetCode)}</th>
                            <th scope="col">{t(Msg::FiscalYear)}</th>
                            <th scope="col">{t(Msg::FundingSource)}</th>
                            <th scope="col">{t(Msg::Purpose)}</th>
                            <th scope="col" class="num">{t(Msg::Amount)}</th>
                            <th scope="col" class="num">{t(Msg::Frozen)}</th>
                            <th scope="col" class="num">{t(Msg::Spent)}</th>
                            <th scope="col" class="num">{t(Msg::Available)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.budget_lines.into_iter().map(|b| view! {
                            <tr>
                                <td class="mono">{b.code}</td>
                                <td>{b.fiscal_year}</td>
                                <td>{t(format::funding_source(&b.funding_source))}</td>
                                <td>{b.purpose}</td>
                                <td class="num">{b.amount.to_string()}</td>
                                <td class="num">{b.frozen.to_string()}</td>
                                <td class="num">{b.spent.to_string()}</td>
                                <td class="num strong">{b.available.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(!page.awaiting_approval.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="approval-heading" id="approval-queue">
                <h2 id="approval-heading">{t(Msg::AwaitingApproval)}</h2>
                {orders_table(locale, page.awaiting_approval.clone(), Msg::Supplier)}
            </section>
        })}
        <dl class="kpis">
            <div class="kpi"><dt>{t(Msg::PaymentTimeliness)}</dt>
                <dd id="paid-on-time">{payments.on_time_bp().map(format::percent_bp).unwrap_or_else(|| t(Msg::NoScore).to_string())}</dd></div>
            <div class="kpi"><dt>{t(Msg::OverdueNow)}</dt><dd id="overdue-now">{payments.overdue_now}</dd></div>
        </dl>
        <section class="panel" aria-labelledby="orders-heading">
            <div class="panel-head">
                <h2 id="orders-heading">{t(Msg::RecentOrders)}</h2>
                <a id="order-centre-link" href=locale.href("/orders")>{t(Msg::OrderCentreLink)}</a>
            </div>
            {orders_table(locale, page.recent_orders, Msg::Supplier)}
        </section>
        <section class="panel" aria-labelledby="unit-pools-heading">
            <div class="panel-head">
                <h2 id="unit-pools-heading">{t(Msg::PoolsTitle)}" · "{page.city.name.clone()}</h2>
                <a href=locale.href(&format!("/pools?city={}", page.city.code))>{t(Msg::AllPools)}</a>
            </div>
            {super::pools::pools_table(locale, page.open_pools, "unit-pools")}
            {(page.me.role == emall_domain::Role::Buyer).then(|| view! {
                <details class="lead-pool">
                    <summary>{t(Msg::LeadPool)}</summary>
                    <OpenPoolForm locale=locale cities=vec![page.city.clone()]/>
                </details>
            })}
        </section>
        <section class="panel" aria-labelledby="intentions-heading">
            <div class="panel-head">
                <h2 id="intentions-heading">{t(Msg::MyIntentions)}</h2>
                <a href=locale.href("/disclosure")>{t(Msg::DisclosureTitle)}</a>
            </div>
            {super::disclosure::intentions_table(locale, &page.intentions.intentions, "unit-intentions", Some(&page.intentions.csrf_token))}
            <details class="publish-intention" open=opened>
                <summary>{t(Msg::PublishIntention)}</summary>
                <IntentionForm locale=locale categories=page.intentions.categories this_year=page.intentions.this_year
                    csrf_token=page.intentions.csrf_token.clone() sent=page.intentions.sent refused=page.intentions.refused/>
            </details>
        </section>
    }
    .into_any()
}

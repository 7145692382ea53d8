use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{confirm_question, OrderActions};
use crate::model::{OrderDetail, OrderItemView, OrderPage, PendingStep};
use emall_domain::Role;
use leptos::prelude::*;

/// Where the order stands on its way to payment: the statuses passed, the current one, and
/// the next step with who owes it and by when.
fn stepper(locale: Locale, d: &OrderDetail) -> AnyView {
    use emall_domain::lifecycle::{next_step, path, Actor, Status};
    let t = move |m: Msg| locale.t(m);
    let Some(status) = Status::parse(&d.order.status) else {
        return ().into_any();
    };
    let path: Vec<Status> = path().collect();
    let at = path.iter().position(|s| *s == status);
    let steps = path
        .iter()
        .enumerate()
        .filter(|(_, s)| **s != Status::PendingApproval || status == Status::PendingApproval)
        .map(|(i, s)| {
            let state = match at {
                Some(a) if i < a => "done",
                Some(a) if i == a => "current",
                _ => "todo",
            };
            view! {
                <li class=format!("step step-{state}") aria-current=(state == "current").then_some("step")>
                    {t(format::order_status(s.as_str()))}</li>
            }
        })
        .collect_view();
    let next = next_step(status).map(|(action, who)| {
        let who = t(match who {
            Actor::Buyer => Msg::RoleBuyer,
            Actor::Approver => Msg::RoleApprover,
            Actor::Supplier | Actor::System => Msg::RoleSupplier,
        });
        let due = match status {
            Status::Placed => d.confirm_by.clone(),
            Status::Confirmed | Status::Shipped => d.delivery_due.clone(),
            Status::Accepted | Status::Invoiced => d.payment_due.clone(),
            _ => None,
        };
        let what = t(format::action(action.as_str()));
        view! {
            <p class="next-step" id="next-step">{locale.fill(Msg::NextStepBy, &[("who", &who), ("action", &what)])}
                {due.map(|due| view! { " · "{locale.fill(Msg::DueBy, &[("time", &format::time(&due))])} })}</p>
        }
    });
    view! {
        <section class="panel stepper" aria-labelledby="stepper-heading">
            <h2 id="stepper-heading" class="visually-hidden">{t(Msg::OrderProgress)}</h2>
            <ol class="steps">{steps}</ol>
            {next}
        </section>
    }
    .into_any()
}

/// One order: parties, lines, deadlines, inspection, invoice, contract, history and
/// complaints, with the steps open to the viewer.
pub fn order(locale: Locale, page: OrderPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let d = page.detail;
    let o = &d.order;
    let title = format!("{} {}", t(Msg::OrderTitle), o.order_no);
    let unanswered: Vec<i64> = d
        .complaints
        .iter()
        .filter(|c| c.answer.is_none())
        .map(|c| c.id)
        .collect();
    let facts = order_facts(locale, &d);
    // 用途不符: the goods fall under another classification than the line paying for them.
    let mismatch = d.goods_class.filter(|g| *g != d.budget_class).map(|goods| {
        locale.fill(
            Msg::BudgetMismatchOrder,
            &[
                ("goods", &t(format::econ_class(goods))),
                ("line", &t(format::econ_class(d.budget_class))),
            ],
        )
    });
    view! {
        {page_heading(t(Msg::OrderTitle), o.order_no.clone())}
        <p><span id="order-status" class=format!("status status-{}", o.status)>{t(format::order_status(&o.status))}</span>
            {d.payment_overdue.then(|| view! { " "<span class="status status-rejected" id="overdue">{t(Msg::Overdue)}</span> })}</p>
        {stepper(locale, &d)}
        <div class="grid-2">
            <section class="panel" aria-labelledby="facts-heading">
                <h2 id="facts-heading" class="visually-hidden">{title}</h2>
                <dl class="facts">{facts}</dl>
            </section>
            <section class="panel" aria-labelledby="next-heading">
                <h2 id="next-heading">{t(Msg::NextStep)}</h2>
                {mismatch.map(|m| view! { <p class="alert warning" id="budget-mismatch" role="note">{m}</p> })}
                {page.step_error.clone().map(|e| view! { <p class="alert error" role="alert" id="step-error">{e}</p> })}
                {page.confirming.clone().map(|p| confirm_form(locale, o.id, o.total, &page.csrf_token, p))}
                <OrderActions locale=locale order_id=o.id actions=page.actions.clone() total=o.total
                    can_complain=page.can_complain unanswered=if page.can_answer { unanswered } else { Vec::new() }
                    csrf_token=page.csrf_token.clone()/>
            </section>
        </div>
        <section class="panel" aria-labelledby="items-heading">
            <h2 id="items-heading">{t(Msg::Items)}</h2>
            {items_table(locale, &d.items, o.total)}
        </section>
        <div class="grid-2">
            <section class="panel" aria-labelledby="inspection-heading">
                <h2 id="inspection-heading">{t(Msg::Inspection)}" · "{t(Msg::InvoiceHeading)}</h2>
                <dl class="facts">
                    {d.rating.map(|r| view! { <div><dt>{t(Msg::RatingLabel)}</dt><dd class="stars" id="rating" title=r.to_string()>{format::stars(r)}</dd></div> })}
                    {(!d.inspection_notes.is_empty()).then(|| view! { <div><dt>{t(Msg::InspectionNotes)}</dt><dd>{d.inspection_notes.clone()}</dd></div> })}
                    {d.carrier.clone().map(|c| view! { <div><dt>{t(Msg::Shipment)}</dt><dd id="shipment">{c}
                        {d.tracking_no.clone().map(|n| view! { " · "{t(Msg::TrackingNo)}" "<span class="mono" id="tracking-no-shown">{n}</span> })}</dd></div> })}
                    {d.invoice_no.clone().map(|no| view! { <div><dt>{t(Msg::InvoiceNo)}</dt><dd class="mono" id="invoice-no">{no}</dd></div> })}
                    {d.invoice_amount.map(|a| view! { <div><dt>{t(Msg::InvoiceAmount)}</dt><dd>{a.to_string()}</dd></div> })}
                </dl>
                <h3>{t(Msg::ContractHeading)}</h3>
                {match d.contract_sha256.clone() {
                    Some(sha) => view! {
                        <p><a class="button secondary" id="contract-link" href=locale.href(&format!("/orders/{}/contract", o.id))>{t(Msg::ViewContract)}</a></p>
                        <p class="subtle">{t(Msg::ContractDigest)}": "<code class="digest">{sha}</code></p>
                    }.into_any(),
                    None => view! { <p class="subtle">{t(Msg::ContractPending)}</p> }.into_any(),
                }}
            </section>
            <section class="panel" aria-labelledby="history-heading">
                <h2 id="history-heading">{t(Msg::History)}</h2>
                {matches!(page.me.role, Role::Operator | Role::Regulator).then(|| view! {
                    <p><a class="button secondary" id="audit-link"
                        href=locale.href(&format!("/console/audit?object=order&id={}", o.id))>{t(Msg::AuditTitle)}</a></p>
                })}
                <ol class="timeline" id="timeline">
                    {d.events.iter().map(|e| view! {
                        <li class=format!("status-{}", e.status)>
                            <time>{format::time(&e.at)}</time>
                            <strong>{t(format::action(&e.action))}</strong>
                            <span class="subtle">{if e.by.is_empty() { t(Msg::SystemActor).to_string() } else { e.by.clone() }}</span>
                            {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </div>
        <section class="panel" aria-labelledby="complaints-heading">
            <h2 id="complaints-heading">{t(Msg::ComplaintsHeading)}</h2>
            {if d.complaints.is_empty() {
                view! { <p class="empty">{t(Msg::NoComplaints)}</p> }.into_any()
            } else {
                view! {
                    <ul class="complaints" id="complaints">
                        {d.complaints.iter().map(|c| view! {
                            <li>
                                <p><strong>{c.filed_by.clone()}</strong>" · "<time>{format::time(&c.filed_at)}</time></p>
                                <p>{c.body.clone()}</p>
                                {match (&c.answer, &c.answered_at) {
                                    (Some(a), Some(at)) => view! {
                                        <blockquote><p class="subtle">{t(Msg::AnswerLabel)}" · "{format::time(at)}</p><p>{a.clone()}</p></blockquote>
                                    }.into_any(),
                                    _ => view! { <p class="subtle">{t(Msg::AwaitingAnswer)}</p> }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

fn order_facts(locale: Locale, d: &OrderDetail) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let o = &d.order;
    let mut rows: Vec<(Msg, AnyView)> = vec![
        (Msg::Buyer, view! { {o.unit_name.clone()} }.into_any()),
        (Msg::OrderedBy, view! { {d.buyer_name.clone()} }.into_any()),
        (Msg::Supplier, view! {
            <a href=locale.href(&format!("/supplier/{}", d.supplier_id))>{o.supplier_name.clone()}</a>" "
            <a class="subtle" href=locale.href(&format!("/supplier/{}/performance", d.supplier_id))>{t(Msg::PerformanceTitle)}</a>
        }.into_any()),
        (Msg::BudgetLineLabel, view! { {d.budget_line.clone()}" · "{t(format::econ_class(d.budget_class))} }.into_any()),
        (Msg::City, view! { {d.city_name.clone()} }.into_any()),
        (Msg::PlacedAt, view! { {format::time(&o.created_at)} }.into_any()),
        (Msg::PromisedDelivery, view! { {d.delivery_days}" "{t(Msg::Days)} }.into_any()),
        (Msg::PaymentTerms, view! { {d.payment_terms_days}" "{t(Msg::Days)} }.into_any()),
    ];
    let deadlines = [
        (Msg::ConfirmBy, &d.confirm_by),
        (Msg::DeliveryDue, &d.delivery_due),
        (Msg::PaymentDue, &d.payment_due),
    ];
    for (label, at) in deadlines {
        if let Some(at) = at {
            rows.push((label, view! { <time>{format::time(at)}</time> }.into_any()));
        }
    }
    rows.into_iter()
        .map(|(label, value)| view! { <div><dt>{t(label)}</dt><dd>{value}</dd></div> })
        .collect_view()
        .into_any()
}

/// The order's lines with the total (shared with the contract).
pub fn items_table(locale: Locale, items: &[OrderItemView], total: emall_domain::Fen) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="data items">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::Product)}</th>
                        <th scope="col" class="num">{t(Msg::QuantityLabel)}</th>
                        <th scope="col">{t(Msg::Unit)}</th>
                        <th scope="col" class="num">{t(Msg::UnitPrice)}</th>
                        <th scope="col" class="num">{t(Msg::LineTotal)}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.iter().map(|i| view! {
                        <tr>
                            <td>{i.title.clone()}</td>
                            <td class="num">{i.quantity}</td>
                            <td>{i.unit.clone()}</td>
                            <td class="num">{i.unit_price.to_string()}</td>
                            <td class="num">{i.line_total.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="4">{t(Msg::Total)}</th><td class="num strong" id="order-total">{total.to_string()}</td></tr>
                </tfoot>
            </table>
        </div>
    }
    .into_any()
}

/// An irreversible step sent without script, asked once more: the form as sent, confirmed.
fn confirm_form(
    locale: Locale,
    order_id: i64,
    total: emall_domain::Fen,
    csrf: &str,
    p: PendingStep,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let f = p.form;
    let hidden = [
        ("action", p.action.as_str().to_string()),
        ("note", f.note),
        ("rating", f.rating),
        ("invoice_no", f.invoice_no),
        ("carrier", f.carrier),
        ("tracking_no", f.tracking_no),
        ("confirmed", "1".to_string()),
    ];
    view! {
        <form method="post" action=locale.href(&format!("/orders/{order_id}/step"))
            class="alert warning confirm-step" id="confirm-step" aria-labelledby="confirm-question">
            <p id="confirm-question">{confirm_question(locale, p.action, total)}</p>
            <input type="hidden" name="csrf_token" value=csrf.to_string()/>
            {hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <div class="button-row">
                <button type="submit" class="primary" id="confirm-yes">{t(format::action(p.action.as_str()))}</button>
                <a class="button secondary" id="confirm-no" href=locale.href(&format!("/orders/{order_id}"))>{t(Msg::GoBack)}</a>
            </div>
        </form>
    }
    .into_any()
}

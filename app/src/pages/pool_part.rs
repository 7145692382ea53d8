//! A person's part in one pool on its own page, every step a plain form: a unit commits
//! its quantity against a budget line or withdraws, a supplier bids volume tiers, the
//! operator closes the pool early. A refused form comes back as sent, with why.

use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::commitment_note;
use crate::model::{MyPoolPart, PoolPartForm, PoolPartPage, PoolStep};
use leptos::prelude::*;

/// Tier rows a bid form offers, the bid's own and blank ones to reach this many.
const TIER_ROWS: usize = 5;

pub fn pool_part(locale: Locale, page: PoolPartPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let s = page.pool;
    let open = s.state == "open";
    let part = page.part;
    let (sent, said) = page.refused.unzip();
    let action = locale.href(&format!("/pools/{}/part", s.id));
    let token = page.csrf_token;
    let nothing = !part.can_commit && !part.can_bid && !part.can_close && part.commitment.is_none();
    view! {
        {page_heading(t(Msg::PoolPartTitle), s.city_name.clone())}
        <section class="panel stack" aria-labelledby="pool-title" id="pool-part">
            <h2 id="pool-title"><a href=locale.href(&format!("/pools/{}", s.id))>{s.title.clone()}</a></h2>
            <dl class="facts">
                <div><dt>{t(Msg::PoolPriceNow)}</dt><dd>{s.current_price.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}"/"{s.unit.clone()}</dd></div>
                <div><dt>{t(Msg::CeilingPrice)}</dt><dd>{s.ceiling.to_string()}</dd></div>
                <div><dt>{t(Msg::ClosesAt)}</dt><dd><time>{format::time(&s.closes_at)}</time></dd></div>
            </dl>
            {part.commitment.as_ref().map(|c| commitment_note(locale, c))}
            {said.map(|why| view! { <p class="alert error" role="alert" id="part-error">{why}</p> })}
            {(!open).then(|| view! { <p class="alert info">{t(Msg::PoolClosedNote)}</p> })}
            {(open && part.can_commit).then(|| commit_form(locale, &action, &token, &part, sent.as_ref()))}
            {(open && part.can_bid).then(|| bid_form(locale, &action, &token, &part, sent.as_ref()))}
            {(open && part.can_close).then(|| view! {
                <form method="post" action=action.clone()>
                    <input type="hidden" name="csrf_token" value=token.clone()/>
                    <button type="submit" class="secondary" name="step" value="close" id="pool-close">{t(Msg::ClosePoolNow)}</button>
                </form>
            })}
            {nothing.then(|| view! { <p class="empty">{t(Msg::PoolNothingToDo)}</p> })}
            <p><a href=locale.href(&format!("/pools/{}", s.id))>{t(Msg::BackToPool)}</a></p>
        </section>
    }
    .into_any()
}

/// The unit's commitment: a budget line of this year and a quantity; withdraw once in.
fn commit_form(
    locale: Locale,
    action: &str,
    token: &str,
    part: &MyPoolPart,
    sent: Option<&PoolPartForm>,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let sent = sent.filter(|f| f.step == PoolStep::Commit);
    let active = part.commitment.as_ref().filter(|c| c.state == "active");
    let line = sent
        .and_then(|f| f.budget_line_id.parse::<i64>().ok())
        .or(active.map(|c| c.budget_line_id))
        .or(part
            .budget_lines
            .iter()
            .max_by_key(|b| b.available)
            .map(|b| b.id));
    let quantity = sent
        .map(|f| f.quantity.clone())
        .or(active.map(|c| c.quantity.to_string()))
        .unwrap_or_default();
    view! {
        <form class="stack commit-form" method="post" action=action.to_string()>
            <input type="hidden" name="csrf_token" value=token.to_string()/>
            <label for="pool-line">{t(Msg::BudgetLineLabel)}</label>
            <select id="pool-line" name="budget_line_id">
                {part.budget_lines.iter().map(|b| view! {
                    <option value=b.id selected=line == Some(b.id)>{format!("{} {} · {} {}", b.code, b.purpose, t(Msg::Available), b.available)}</option>
                }).collect_view()}
            </select>
            <label for="pool-quantity">{t(Msg::CommitQuantity)}</label>
            <input id="pool-quantity" name="quantity" inputmode="numeric" value=quantity/>
            <p class="subtle">{t(Msg::FreezeNote)}</p>
            <div class="button-row">
                <button type="submit" class="primary" name="step" value="commit" id="pool-commit">
                    {if active.is_some() { t(Msg::ChangeCommitment) } else { t(Msg::JoinPool) }}</button>
                {active.map(|_| view! {
                    <button type="submit" class="secondary" name="step" value="withdraw" id="pool-withdraw">{t(Msg::WithdrawCommitment)}</button>
                })}
            </div>
        </form>
    }
    .into_any()
}

/// The supplier's volume tiers: its bid's rows, or the rows as sent, and blank ones.
fn bid_form(
    locale: Locale,
    action: &str,
    token: &str,
    part: &MyPoolPart,
    sent: Option<&PoolPartForm>,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let mut rows: Vec<(String, String)> = match sent.filter(|f| f.step == PoolStep::Bid) {
        Some(f) => f.tiers.clone(),
        None => part
            .bid
            .iter()
            .flatten()
            .map(|tier| (tier.min_quantity.to_string(), tier.price.to_plain_yuan()))
            .collect(),
    };
    rows.retain(|(q, p)| !q.trim().is_empty() || !p.trim().is_empty());
    rows.resize(rows.len().max(TIER_ROWS), (String::new(), String::new()));
    view! {
        <form class="stack bid-form" method="post" action=action.to_string()>
            <input type="hidden" name="csrf_token" value=token.to_string()/>
            {part.bid_label.clone().map(|l| view! {
                <p class="alert info" id="my-bid-label">{locale.fill(Msg::MyBidListedAs, &[("bidder", &l)])}</p>
            })}
            <p class="subtle">{t(Msg::BidHelp)}</p>
            <table class="data" id="bid-tiers">
                <thead><tr><th scope="col">{t(Msg::TierFrom)}</th><th scope="col">{t(Msg::UnitPrice)}</th></tr></thead>
                <tbody>{rows.into_iter().map(|(q, p)| view! {
                    <tr>
                        <td><input class="tier-quantity" name="tier_from" inputmode="numeric" aria-label=t(Msg::TierFrom) value=q/></td>
                        <td><input class="tier-price" name="tier_price" inputmode="decimal" aria-label=t(Msg::UnitPrice) value=p/></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
            <div class="button-row">
                <button type="submit" class="primary" name="step" value="bid" id="pool-bid">
                    {if part.bid.is_some() { t(Msg::ReviseBid) } else { t(Msg::PlaceBid) }}</button>
            </div>
        </form>
    }
    .into_any()
}

//! 审计日志: an object's audit entries in words (who, what, how much, when) with whether
//! the hash chain verifies up to each; or the newest entries, and a plain form to ask for
//! any object (no script needed).

use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{AuditChainView, AuditEntryView, AuditObjectView, AuditPage};
use leptos::prelude::*;

/// The kinds of object the form offers.
const KINDS: [&str; 7] = [
    "order",
    "contract",
    "budget_line",
    "pool",
    "supplier",
    "credit_entry",
    "calendar_year",
];

/// `订单 EM202603010000012` / `Order EM202603010000012`: what an object is called.
pub fn object_words(locale: Locale, o: &AuditObjectView) -> String {
    let kind = locale.t(format::audit_kind(&o.kind));
    match (&o.label, o.kind.as_str()) {
        (_, "calendar_year") => format!("{kind} {}", o.id),
        (Some(label), _) => format!("{kind} {label}"),
        (None, _) => format!("{kind} #{}", o.id),
    }
}

fn who(locale: Locale, e: &AuditEntryView) -> String {
    match (e.actor_id, &e.actor_name) {
        (None, _) => locale.t(Msg::AuditSystemTimer).to_string(),
        (Some(_), Some(name)) => format!("{name} ({})", e.actor_username),
        (Some(_), None) => e.actor_username.clone(),
    }
}

pub fn audit(locale: Locale, page: AuditPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let log = page.log;
    let (kind, id) = log
        .object
        .as_ref()
        .map(|o| (o.kind.clone(), o.id.to_string()))
        .unwrap_or_default();
    let heading = match &log.object {
        Some(o) => object_words(locale, o),
        None => t(Msg::AuditRecent).to_string(),
    };
    view! {
        {page_heading(t(Msg::AuditTitle), page.me.org_label(locale))}
        <p class="subtle">{t(Msg::AuditIntro)}</p>
        <form method="get" class="filter-bar" action=locale.href("/console/audit") id="audit-form">
            <select name="object" aria-label=t(Msg::AuditAskKind)>
                {KINDS.iter().map(|k| view! {
                    <option value=*k selected=kind == *k>{t(format::audit_kind(k))}</option>
                }).collect_view()}
            </select>
            <input type="number" name="id" min="1" required=true value=id aria-label=t(Msg::AuditAskId)
                placeholder=t(Msg::AuditAskId)/>
            <button type="submit" class="secondary">{t(Msg::AuditShow)}</button>
        </form>
        {chain_notice(locale, &log.chain)}
        <section class="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{heading}</h2>
            {if log.entries.is_empty() {
                view! { <p class="empty">{t(Msg::AuditNoEntries)}</p> }.into_any()
            } else {
                entries_table(locale, log.entries)
            }}
        </section>
    }
    .into_any()
}

fn chain_notice(locale: Locale, chain: &AuditChainView) -> AnyView {
    let at = format::time(&chain.checked_at);
    match chain.broken_at {
        Some(seq) => {
            let why = match chain.broken_reason.as_deref() {
                Some("sequence") => Some(Msg::AuditBrokenSequence),
                Some("hash") => Some(Msg::AuditBrokenHash),
                Some("missing") => Some(Msg::AuditBrokenMissing),
                Some("head") => Some(Msg::AuditBrokenHead),
                _ => None,
            };
            view! {
                <div class="alert error" role="alert" id="audit-chain" data-broken-at=seq>
                    <p>{locale.fill(Msg::AuditChainBroken, &[("seq", &seq), ("at", &at)])}</p>
                    {why.map(|m| view! { <p>{locale.t(m)}</p> })}
                </div>
            }
            .into_any()
        }
        None => view! {
            <p class="alert success" role="status" id="audit-chain" data-verified-through=chain.verified_through>
                {locale.fill(Msg::AuditChainHolds, &[("seq", &chain.verified_through), ("at", &at)])}
            </p>
        }
        .into_any(),
    }
}

fn entries_table(locale: Locale, entries: Vec<AuditEntryView>) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id="audit-entries">
            <thead><tr>
                <th scope="col" class="num">{t(Msg::AuditSeq)}</th>
                <th scope="col">{t(Msg::AuditAt)}</th>
                <th scope="col">{t(Msg::AuditWho)}</th>
                <th scope="col">{t(Msg::AuditAction)}</th>
                <th scope="col">{t(Msg::AuditObject)}</th>
                <th scope="col" class="num">{t(Msg::AuditAmount)}</th>
                <th scope="col">{t(Msg::AuditChain)}</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|e| {
                    let (mark, class) = if e.verified {
                        (t(Msg::AuditVerified), "status status-accepted")
                    } else {
                        (t(Msg::AuditUnverified), "status status-rejected")
                    };
                    let object = object_link(locale, &e.object);
                    let related = e.related.as_ref().map(|r| view! {
                        <br/><span class="subtle">{object_link(locale, r)}</span>
                    });
                    view! {
                        <tr data-seq=e.seq data-action=e.action.clone() data-verified=e.verified.to_string()>
                            <td class="num">{e.seq}</td>
                            <td><time>{format::time(&e.at)}</time></td>
                            <td>{who(locale, &e)}</td>
                            <td>{t(format::audit_action(&e.action))}</td>
                            <td>{object}{related}</td>
                            <td class="num">{e.amount.map(|a| a.to_string()).unwrap_or_default()}</td>
                            <td>
                                <span class=class>{mark}</span>
                                <details><summary>{t(Msg::AuditDigests)}</summary>
                                    <dl class="facts">
                                        {e.before_sha256.clone().map(|d| view! { <div><dt>{t(Msg::AuditBefore)}</dt><dd><code class="digest">{d}</code></dd></div> })}
                                        {e.after_sha256.clone().map(|d| view! { <div><dt>{t(Msg::AuditAfter)}</dt><dd><code class="digest">{d}</code></dd></div> })}
                                        <div><dt>{t(Msg::AuditHash)}</dt><dd><code class="digest">{e.hash.clone()}</code></dd></div>
                                    </dl>
                                </details>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// An object in words, linked to its own log.
fn object_link(locale: Locale, o: &AuditObjectView) -> AnyView {
    let href = locale.href(&format!("/console/audit?object={}&id={}", o.kind, o.id));
    view! { <a href=href>{object_words(locale, o)}</a> }.into_any()
}

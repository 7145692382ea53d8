use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::SessionsPage;
use leptos::prelude::*;

/// `/account/sessions`: where the person is signed in, with plain forms (no script needed)
/// to end one session, every other one, or this one.
pub fn sessions(locale: Locale, page: SessionsPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let token = page.csrf_token.clone();
    let others = page.sessions.iter().filter(|s| !s.current).count();
    let end_form = move |action: String, label: Msg, id: &'static str| {
        view! {
            <form method="post" action=action class="inline" id=id>
                <input type="hidden" name="csrf_token" value=token.clone()/>
                <button type="submit" class="secondary">{t(label)}</button>
            </form>
        }
    };
    view! {
        {page_heading(t(Msg::SessionsTitle), page.me.org_label(locale))}
        {page.ended.map(|n| view! {
            <p class="alert success" role="status" id="sessions-ended">
                {locale.fill(Msg::SessionsEnded, &[("count", &n)])}
            </p>
        })}
        <section class="panel" aria-labelledby="sessions-heading">
            <div class="panel-head">
                <h2 id="sessions-heading">{t(Msg::SessionsActive)}</h2>
                {(others > 0).then(|| end_form(locale.href("/account/sessions/end-others"), Msg::SessionsEndOthers, "end-others"))}
            </div>
            <p class="subtle">{t(Msg::SessionsHint)}</p>
            <div class="table-scroll" tabindex="0"><table class="data" id="sessions">
                <thead><tr>
                    <th scope="col">{t(Msg::SessionsSignedInAt)}</th>
                    <th scope="col">{t(Msg::SessionsBrowser)}</th>
                    <th scope="col">{t(Msg::SessionsAddress)}</th>
                    <th scope="col">{t(Msg::SessionsExpires)}</th>
                    <th scope="col"><span class="visually-hidden">{t(Msg::SessionsEnd)}</span></th>
                </tr></thead>
                <tbody>
                    {page.sessions.into_iter().map(|s| {
                        let action = locale.href(&format!("/account/sessions/{}/end", s.id));
                        let browser = if s.user_agent.is_empty() { t(Msg::SessionsUnknownBrowser).to_string() } else { s.user_agent.clone() };
                        view! {
                            <tr class:current=s.current>
                                <td>{format::time(&s.created_at)}</td>
                                <td>{browser}</td>
                                <td>{s.client_addr.clone()}</td>
                                <td>{format::time(&s.expires_at)}</td>
                                <td>{if s.current {
                                    view! { <strong>{t(Msg::SessionsThis)}</strong> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=action class="inline">
                                            <input type="hidden" name="csrf_token" value=page.csrf_token.clone()/>
                                            <button type="submit" class="secondary">{t(Msg::SessionsEnd)}</button>
                                        </form>
                                    }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <form method="post" action=locale.href("/logout") id="sign-out-form">
            <input type="hidden" name="csrf_token" value=page.csrf_token.clone()/>
            <button type="submit">{t(Msg::SignOut)}</button>
        </form>
    }
    .into_any()
}

use crate::i18n::{Locale, Msg};
use crate::model::InvitationPage;
use leptos::prelude::*;

/// Accepting an invitation works as a plain HTML form (no script needed).
pub fn invitation(locale: Locale, page: InvitationPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <section class="panel login-panel" aria-labelledby="invite-heading">
            <h1 id="invite-heading">{t(Msg::InvitationTitle)}</h1>
            <p>{page.supplier_name}" · "{page.display_name}</p>
            {page.error.clone().map(|e| view! { <p class="alert error" role="alert" id="invite-error">{e}</p> })}
            <form method="post" class="stack">
                <label for="username">{t(Msg::Username)}</label>
                <input id="username" name="username" type="text" required autocomplete="username" value=page.username/>
                <label for="password">{t(Msg::Password)}</label>
                <input id="password" name="password" type="password" required autocomplete="new-password"/>
                <button type="submit" class="primary">{t(Msg::AcceptInvitation)}</button>
            </form>
        </section>
    }
    .into_any()
}

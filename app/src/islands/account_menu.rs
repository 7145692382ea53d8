use crate::i18n::{role_text, Locale, Msg};
use crate::model::Me;
use leptos::prelude::*;

/// The account corner of the header: "sign in" for visitors; name, home and sign-out once
/// the browser learns who is signed in.
#[island]
pub fn AccountMenu(locale: Locale) -> impl IntoView {
    let me = RwSignal::new(None::<Me>);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok(Some(found)) = super::api::fetch_me().await {
            me.set(Some(found));
        }
    });
    let sign_out = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let _ = super::api::sign_out().await;
            super::api::go(&locale.href("/"));
        });
    };
    view! {
        <div class="account" aria-live="polite">
            {move || match me.get() {
                None => view! {
                    <a class="button" href=locale.href("/login")>{locale.t(Msg::SignIn)}</a>
                }.into_any(),
                Some(m) => view! {
                    <span class="who">
                        <span class="who-name">{m.display_name.clone()}</span>
                        <span class="who-org">{m.org_label(locale)}" · "{role_text(m.role, locale)}</span>
                    </span>
                    <a class="button" href=locale.href(&m.home)>{locale.t(Msg::MyHome)}</a>
                    <button type="button" class="secondary" on:click=sign_out>{locale.t(Msg::SignOut)}</button>
                }.into_any(),
            }}
        </div>
    }
}

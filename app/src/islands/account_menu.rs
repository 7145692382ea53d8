use crate::i18n::{role_text, Locale, Msg};
use crate::model::Me;
use leptos::prelude::*;

/// The account corner of the header: "sign in" for visitors; name, home and sign-out for
/// whoever is signed in. A personal page names them from the start (`me`); a page kept for
/// everyone learns it in the browser.
#[island]
pub fn AccountMenu(locale: Locale, me: Option<Me>) -> impl IntoView {
    let known = me.is_some();
    let me = RwSignal::new(me);
    #[cfg(feature = "hydrate")]
    if !known {
        leptos::task::spawn_local(async move {
            if let Ok(Some(found)) = super::api::fetch_me().await {
                me.set(Some(found));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = known;
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

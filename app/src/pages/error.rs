use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// A full error page body (404, 403…), with a way back.
pub fn error_page(locale: Locale, title: Msg, hint: Msg) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <section class="panel error-page">
            <h1>{t(title)}</h1>
            <p>{t(hint)}</p>
            <p><a class="button" href=locale.href("/")>{t(Msg::BackHome)}</a></p>
        </section>
    }
    .into_any()
}

use crate::i18n::{Locale, Msg};
use crate::model::LoginPage;
use leptos::prelude::*;

/// Sign-in works as a plain HTML form (no script needed): POST, then a redirect home.
pub fn login(locale: Locale, page: LoginPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let accounts = [
        ("demo-buyer", Msg::RoleBuyer),
        ("demo-approver", Msg::RoleApprover),
        ("demo-supplier", Msg::RoleSupplier),
        ("demo-operator", Msg::RoleOperator),
        ("demo-regulator", Msg::RoleRegulator),
    ];
    view! {
        <div class="login-layout">
            <section class="panel login-panel" aria-labelledby="login-heading">
                <h1 id="login-heading">{t(Msg::LoginTitle)}</h1>
                <p class="subtle">{t(Msg::LoginIntro)}</p>
                {page.error.clone().map(|e| view! {
                    <p class="alert error" role="alert" id="login-error">{e}</p>
                })}
                <form method="post" action=locale.href("/login") class="stack">
                    <input type="hidden" name="next" value=page.next.clone().unwrap_or_default()/>
                    <label for="username">{t(Msg::Username)}</label>
                    <input id="username" name="username" type="text" required autocomplete="username"
                        value=page.username.clone() autofocus=page.username.is_empty()
                        aria-invalid=page.error.is_some().then_some("true")
                        aria-describedby=page.error.is_some().then_some("login-error")/>
                    <label for="password">{t(Msg::Password)}</label>
                    <input id="password" name="password" type="password" required
                        autocomplete="current-password" autofocus=!page.username.is_empty()/>
                    <button type="submit" class="primary">{t(Msg::LoginButton)}</button>
                </form>
                <p><a href=locale.href("/supplier/register") id="register-link">{t(Msg::RegisterLink)}</a></p>
            </section>
            {page.demo.then(|| view! {
                <aside class="panel demo-accounts" aria-labelledby="demo-heading">
                    <h2 id="demo-heading">{t(Msg::DemoAccounts)}</h2>
                    <ul>
                        {accounts.into_iter().map(|(name, role)| view! {
                            <li><code>{name}</code>" · "{t(role)}</li>
                        }).collect_view()}
                    </ul>
                </aside>
            })}
        </div>
    }
    .into_any()
}

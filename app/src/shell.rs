//! The document shell every page shares: head, header (search, city, account), footer.

use crate::i18n::{Locale, Msg};
use crate::islands::AccountMenu;
use crate::model::CityOption;
use leptos::prelude::*;

/// The fingerprinted asset URLs a page loads: the style sheet and one wasm module with its
/// JavaScript glue (see [`crate::islands`] for the storefront and workspace modules).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

/// What the shell needs besides the page body.
#[derive(Debug, Clone, PartialEq)]
pub struct Chrome {
    pub locale: Locale,
    pub title: String,
    /// The locale-free path and query of this page (for the language switch).
    pub path: String,
    pub cities: Vec<CityOption>,
    /// The city the page is about (public pages carry it in the URL).
    pub city: Option<String>,
    pub query: String,
    /// Who is signed in, on personal pages (never on a page kept for everyone).
    pub me: Option<crate::model::Me>,
    /// What became of the plain form sent last, said once above a personal page.
    pub notice: Option<crate::model::Notice>,
    pub assets: Assets,
}

/// Renders a whole HTML document around the page's already rendered `body` (the server
/// prepends the doctype).
pub fn document(chrome: Chrome, body: String) -> impl IntoView {
    let locale = chrome.locale;
    let t = move |m: Msg| locale.t(m);
    let title = if chrome.title.is_empty() {
        t(Msg::SiteName).to_string()
    } else {
        format!("{} - {}", chrome.title, t(Msg::SiteName))
    };
    let boot = format!(
        "import('{js}').then(m=>m.default({{module_or_path:'{wasm}'}}).then(()=>{{m.hydrate();\
         document.querySelectorAll('leptos-island').forEach(e=>{{const f=m[e.dataset.component];f&&f(e)}})}}))",
        js = chrome.assets.js,
        wasm = chrome.assets.wasm
    );
    let switch_href = chrome.locale.other().href(&chrome.path);
    let city = chrome.city.clone().unwrap_or_else(|| "310100".to_string());
    // Another city keeps the page and its search: a product is compared there, a query
    // searched there; pages that are not about a city go to that city's storefront.
    let here = chrome.path.split('?').next().unwrap_or("/").to_string();
    let by_city = here == "/"
        || here == "/search"
        || here == "/pools"
        || here.starts_with("/product/")
        || here.starts_with("/supplier/");
    let city_target = if by_city {
        here.clone()
    } else {
        "/".to_string()
    };
    let kept_query = (here == "/search" && !chrome.query.is_empty()).then(|| chrome.query.clone());
    view! {
        <html lang=locale.lang()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title}</title>
                <link rel="stylesheet" href=chrome.assets.css.clone()/>
                <link rel="modulepreload" href=chrome.assets.js.clone()/>
                <script type="module">{boot}</script>
            </head>
            <body>
                <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
                <div class="topbar">
                    <div class="wrap topbar-inner">
                        <span class="emblem" aria-hidden="true"></span>
                        <span>{t(Msg::Bureau)}</span>
                        <a class="lang-switch" href=switch_href hreflang=locale.other().lang()
                            lang=locale.other().lang() aria-label=t(Msg::LanguageLabel)>
                            {t(Msg::Language)}
                        </a>
                    </div>
                </div>
                <header class="masthead">
                    <div class="wrap masthead-inner">
                        <a class="brand" href=locale.href("/")>
                            <span class="brand-mark" aria-hidden="true">"采"</span>
                            <span class="brand-name">{t(Msg::SiteName)}</span>
                        </a>
                        <form class="search" role="search" method="get" action=locale.href("/search")>
                            <label class="visually-hidden" for="q">{t(Msg::SearchLabel)}</label>
                            <input id="q" name="q" type="search" value=chrome.query.clone()
                                placeholder=t(Msg::SearchPlaceholder) autocomplete="off" maxlength="200"/>
                            <input type="hidden" name="city" value=city.clone()/>
                            <button type="submit">{t(Msg::SearchButton)}</button>
                        </form>
                        <form class="city-picker" method="get" action=locale.href(&city_target)>
                            {kept_query.map(|q| view! { <input type="hidden" name="q" value=q/> })}
                            <label for="city">{t(Msg::City)}</label>
                            <select id="city" name="city">
                                {chrome.cities.iter().map(|c| {
                                    let selected = c.code == city;
                                    view! { <option value=c.code.clone() selected=selected>{c.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                            <button type="submit" class="secondary">{t(Msg::ChangeCity)}</button>
                        </form>
                        <AccountMenu locale=locale me=chrome.me.clone()/>
                    </div>
                </header>
                {chrome.notice.map(notice)}
                <main id="main" class="wrap" tabindex="-1" inner_html=body></main>
                <footer class="footer">
                    <div class="wrap">
                        <p>{t(Msg::FooterAbout)}</p>
                        <p>{t(Msg::FooterIcp)}" · "{t(Msg::FooterHotline)}</p>
                    </div>
                </footer>
            </body>
        </html>
    }
}

/// A plain form's outcome, above the page it returned to.
fn notice(notice: crate::model::Notice) -> impl IntoView {
    let (class, role) = if notice.refusal {
        ("alert error", "alert")
    } else {
        ("alert success", "status")
    };
    view! {
        <div class="wrap notice-bar"><p class=class role=role id="notice">{notice.text}</p></div>
    }
}

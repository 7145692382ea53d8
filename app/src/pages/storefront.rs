use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{CategoryNode, ProductCard, StorefrontPage};
use leptos::prelude::*;

/// The public home of one city: stats, the category tree and popular products.
pub fn storefront(locale: Locale, page: StorefrontPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let city = page.city.code.clone();
    let stats = [
        (Msg::StatsProducts, page.stats.products),
        (Msg::StatsSuppliers, page.stats.suppliers),
        (Msg::StatsUnits, page.stats.units),
        (Msg::StatsOffers, page.stats.live_offers),
    ];
    view! {
        <section class="hero">
            <div>
                <h1>{t(Msg::HeroTitle)}" · "{page.city.name.clone()}</h1>
                <p>{t(Msg::HeroText)}</p>
                <p><a class="button secondary" id="pools-link" href=locale.href(&format!("/pools?city={}", page.city.code))>{t(Msg::PoolsTitle)}</a>" "
                    <a class="button secondary" id="disclosure-link" href=locale.href("/disclosure")>{t(Msg::DisclosureTitle)}</a></p>
            </div>
            <dl class="stats">
                {stats.into_iter().map(|(label, n)| view! {
                    <div class="stat"><dt>{t(label)}</dt><dd>{format::count(n, locale)}</dd></div>
                }).collect_view()}
            </dl>
        </section>
        <div class="storefront">
            <nav class="category-nav" aria-labelledby="cat-heading">
                <h2 id="cat-heading">{t(Msg::Categories)}</h2>
                <ul>
                    {page.categories.into_iter().map(|c| category_item(locale, &city, c)).collect_view()}
                </ul>
            </nav>
            <section class="featured" aria-labelledby="featured-heading">
                <h2 id="featured-heading">{t(Msg::FeaturedProducts)}</h2>
                <ul class="cards">
                    {page.featured.into_iter().map(|p| product_card(locale, &city, p)).collect_view()}
                </ul>
            </section>
        </div>
    }
    .into_any()
}

fn category_item(locale: Locale, city: &str, node: CategoryNode) -> AnyView {
    let href = locale.href(&format!("/search?category={}&city={city}", node.code));
    let children = node.children;
    view! {
        <li>
            <a href=href>{node.name}<span class="count">{node.product_count}</span></a>
            {(!children.is_empty()).then(|| view! {
                <ul>
                    {children.into_iter().map(|c| {
                        let href = locale.href(&format!("/search?category={}&city={city}", c.code));
                        view! { <li><a href=href>{c.name}<span class="count">{c.product_count}</span></a></li> }
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
    .into_any()
}

pub(crate) fn product_card(locale: Locale, city: &str, p: ProductCard) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let href = locale.href(&format!("/product/{}?city={city}", p.id));
    let price = match p.lowest_price {
        Some(price) => view! {
            <p class="price"><strong>{price.to_string()}</strong>" "{t(Msg::FromPrice)}
                <span class="per">"/"{p.unit.clone()}</span></p>
            <p class="offers">{p.offer_count}" "{t(Msg::OffersCount)}</p>
        }
        .into_any(),
        None => view! { <p class="price none">{t(Msg::NoOffers)}</p> }.into_any(),
    };
    view! {
        <li class="card">
            <p class="card-category">{p.category_name.clone()}</p>
            <h3><a href=href>{p.title.clone()}</a></h3>
            <p class="card-meta">{p.brand.clone()}" · "<span class="mono">{p.model.clone()}</span></p>
            {price}
            <p class="ref">{t(Msg::ReferencePrice)}" "{p.reference_price.to_string()}</p>
            <p class="tags">
                {p.tags.iter().filter_map(|tag| format::policy_tag(tag)).map(|m| view! {
                    <span class="tag">{t(m)}</span>
                }).collect_view()}
            </p>
        </li>
    }
    .into_any()
}

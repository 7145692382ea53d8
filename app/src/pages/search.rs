use crate::format;
use crate::i18n::{Locale, Msg};
use crate::model::{FacetValue, SearchHit, SearchPage, SearchQuery, SpecFacet};
use leptos::prelude::*;

/// Search results and category browsing: facets on the side, a card per standard product
/// (its picture, the lowest price in the city, the number of offers and the spread).
pub fn search(locale: Locale, page: SearchPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let q = page.query.clone();
    let total = page.results.total;
    let took = format!("{:.1} ms", page.results.took_micros as f64 / 1000.0);
    let pages = ((total.max(0) as u64).div_ceil(page.page_size.max(1) as u64)).max(1) as u32;
    let heading = match page.breadcrumb.last() {
        Some((_, name)) if q.q.is_empty() => name.clone(),
        _ if q.q.is_empty() => t(Msg::AllCategories).to_string(),
        _ => format!("{}：{}", t(Msg::SearchResultsFor), q.q),
    };
    view! {
        <nav class="breadcrumb" aria-label="breadcrumb">
            <a href=locale.href(&q.with(|n| { n.category = None; }))>{t(Msg::AllCategories)}</a>
            {page.breadcrumb.iter().map(|(code, name)| {
                let code = code.clone();
                view! { " › "<a href=locale.href(&q.with(|n| n.category = Some(code)))>{name.clone()}</a> }
            }).collect_view()}
        </nav>
        <div class="search-layout">
            {filters(locale, &page)}
            <section class="results" aria-labelledby="results-heading">
                <div class="results-head">
                    <h1 id="results-heading">{heading}</h1>
                    <p class="subtle" id="result-count">
                        {format::count(total, locale)}" "{t(Msg::ResultsCount)}" · "{page.city.name.clone()}
                        " · "{t(Msg::QueryTime)}" "{took}
                    </p>
                </div>
                {page.error.clone().map(|e| view! { <p class="alert warning" role="alert">{e}</p> })}
                {sort_bar(locale, &q)}
                {if page.results.hits.is_empty() {
                    view! {
                        <p class="empty">{t(Msg::NoResults)}</p>
                        {page.did_you_mean.clone().map(|d| {
                            let href = locale.href(&q.with(|n| n.q = d.query));
                            view! { <p class="did-you-mean" id="did-you-mean">{t(Msg::DidYouMean)}
                                <a href=href>{d.shown}</a>{t(Msg::DidYouMeanEnd)}</p> }
                        })}
                    }.into_any()
                } else {
                    view! {
                        <ol class="hits">
                            {page.results.hits.into_iter().map(|h| hit(locale, &q.city, h)).collect_view()}
                        </ol>
                    }.into_any()
                }}
                {pager(locale, &q, pages)}
            </section>
        </div>
    }
    .into_any()
}

fn filters(locale: Locale, page: &SearchPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let q = &page.query;
    let facets = &page.results.facets;
    let toggle = |kind: &'static str, value: &str| -> String {
        let value = value.to_string();
        q.with(move |n| {
            let list = match kind {
                "brand" => &mut n.brands,
                "size" => &mut n.sizes,
                _ => &mut n.tags,
            };
            if let Some(i) = list.iter().position(|v| *v == value) {
                list.remove(i);
            } else {
                list.push(value);
            }
        })
    };
    let group = |title: Msg, kind: &'static str, values: &[FacetValue], chosen: &[String]| {
        (!values.is_empty()).then(|| {
            view! {
                <fieldset class="facet">
                    <legend>{t(title)}</legend>
                    <ul>
                        {values.iter().map(|v| {
                            choice(locale, &toggle(kind, &v.value), chosen.contains(&v.value), v)
                        }).collect_view()}
                    </ul>
                </fieldset>
            }
        })
    };
    let chosen = q.brands.len()
        + q.sizes.len()
        + q.tags.len()
        + q.specs.len()
        + usize::from(q.in_stock)
        + usize::from(!q.min.is_empty() || !q.max.is_empty());
    // On a phone the filters fold into one bar above the results (open it to filter); on a
    // wider screen they stand open beside them (style/main.css).
    view! {
        <details class="filter-panel" id="filters">
        <summary class="filter-summary">{t(Msg::FiltersHeading)}
            {(chosen > 0).then(|| view! { <span class="count">{locale.fill(Msg::FiltersChosen, &[("n", &chosen)])}</span> })}
        </summary>
        <aside class="filters" aria-label=t(Msg::FiltersHeading)>
            {categories(locale, page)}
            {group(Msg::Brand, "brand", &facets.brands, &q.brands)}
            {facets.specs.iter().map(|spec| spec_group(locale, q, spec)).collect_view()}
            {group(Msg::SupplierSize, "size", &facets.sizes, &q.sizes)}
            {group(Msg::PolicyTags, "tag", &facets.tags, &q.tags)}
            <form method="get" action=locale.href("/search") class="facet price-filter">
                <input type="hidden" name="q" value=q.q.clone()/>
                <input type="hidden" name="city" value=q.city.clone()/>
                {q.category.clone().map(|c| view! { <input type="hidden" name="category" value=c/> })}
                {q.brands.iter().map(|b| view! { <input type="hidden" name="brand" value=b.clone()/> }).collect_view()}
                {q.sizes.iter().map(|s| view! { <input type="hidden" name="size" value=s.clone()/> }).collect_view()}
                {q.tags.iter().map(|s| view! { <input type="hidden" name="tag" value=s.clone()/> }).collect_view()}
                {q.specs.iter().map(|(n, v)| view! { <input type="hidden" name="spec" value=crate::model::spec_param(n, v)/> }).collect_view()}
                <input type="hidden" name="sort" value=q.sort.clone()/>
                <fieldset>
                    <legend>{t(Msg::PriceRange)}</legend>
                    <div class="range">
                        <label class="visually-hidden" for="min">{t(Msg::PriceMin)}</label>
                        <input id="min" name="min" inputmode="decimal" value=q.min.clone() placeholder=t(Msg::PriceMin) size="6"
                            aria-invalid=page.error.is_some().then_some("true")/>
                        "–"
                        <label class="visually-hidden" for="max">{t(Msg::PriceMax)}</label>
                        <input id="max" name="max" inputmode="decimal" value=q.max.clone() placeholder=t(Msg::PriceMax) size="6"
                            aria-invalid=page.error.is_some().then_some("true")/>
                    </div>
                </fieldset>
                <label class="inline"><input type="checkbox" name="stock" value="1" checked=q.in_stock/>
                    {t(Msg::InStockOnly)}" ("{facets.in_stock}")"</label>
                <button type="submit" class="secondary">{t(Msg::Apply)}</button>
            </form>
            <p><a href=locale.href(&format!("/search?q={}&city={}", format::urlencode(&q.q), q.city))>{t(Msg::ClearFilters)}</a></p>
        </aside>
        </details>
    }
    .into_any()
}

/// Where to narrow by category: with words typed, the leaf categories the matches are in
/// (复印纸, 打印纸 …), most matches first; browsing, the chosen category's children.
fn categories(locale: Locale, page: &SearchPage) -> Option<AnyView> {
    let q = &page.query;
    let facets = &page.results.facets;
    let typed = !q.q.trim().is_empty();
    let list = if typed && !facets.leaves.is_empty() {
        &facets.leaves
    } else {
        &facets.categories
    };
    // A leaf already chosen is no choice.
    if list.is_empty() || (list.len() == 1 && q.category.as_deref() == Some(&list[0].value)) {
        return None;
    }
    Some(
        view! {
            <fieldset class="facet" id="facet-categories">
                <legend>{locale.t(Msg::Categories)}</legend>
                <ul>
                    {list.iter().map(|c| {
                        let code = c.value.clone();
                        view! { <li><a href=locale.href(&q.with(|n| n.category = Some(code)))>
                            {c.label.clone()}<span class="count">{c.count}</span></a></li> }
                    }).collect_view()}
                </ul>
            </fieldset>
        }
        .into_any(),
    )
}

/// One spec's values (克重: 70g, 80g), each a link that chooses it or lets it go; several
/// values of one spec are alternatives.
fn spec_group(locale: Locale, q: &SearchQuery, spec: &SpecFacet) -> AnyView {
    view! {
        <fieldset class="facet spec-facet">
            <legend>{spec.name.clone()}</legend>
            <ul>
                {spec.values.iter().map(|v| {
                    let pair = (spec.name.clone(), v.value.clone());
                    let on = q.specs.contains(&pair);
                    let href = q.with(move |n| {
                        match n.specs.iter().position(|p| *p == pair) {
                            Some(i) => { n.specs.remove(i); }
                            None => n.specs.push(pair),
                        }
                    });
                    choice(locale, &href, on, v)
                }).collect_view()}
            </ul>
        </fieldset>
    }
    .into_any()
}

/// One facet value as a link that chooses it or, chosen, lets it go.
fn choice(locale: Locale, href: &str, on: bool, v: &FacetValue) -> AnyView {
    view! {
        <li><a href=locale.href(href) class:on=on aria-current=on.then_some("true")>
            <span class="check" aria-hidden="true">{if on { "☑" } else { "☐" }}</span>
            {v.label.clone()}<span class="count">{v.count}</span>
        </a></li>
    }
    .into_any()
}

fn sort_bar(locale: Locale, q: &SearchQuery) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let current = if q.sort.is_empty() {
        "relevance".to_string()
    } else {
        q.sort.clone()
    };
    let options = [
        ("relevance", Msg::SortRelevance),
        ("price_asc", Msg::SortPriceAsc),
        ("price_desc", Msg::SortPriceDesc),
        ("delivery", Msg::SortDelivery),
        ("score", Msg::SortScore),
    ];
    view! {
        <nav class="sort-bar" aria-label=t(Msg::SortBy)>
            <span>{t(Msg::SortBy)}</span>
            {options.into_iter().map(|(key, label)| {
                let on = current == key;
                let href = locale.href(&q.with(|n| n.sort = key.to_string()));
                view! { <a href=href class:on=on aria-current=on.then_some("true")>{t(label)}</a> }
            }).collect_view()}
        </nav>
    }
    .into_any()
}

fn hit(locale: Locale, city: &str, h: SearchHit) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let href = locale.href(&format!("/product/{}?city={city}", h.product_id));
    let spread = h.highest_price.get() - h.lowest_price.get();
    // The operator's picture, or the category's name on a plain tile: the card keeps its
    // shape either way (width and height given, no shift while it loads).
    let picture = match h.image.clone() {
        Some(src) => {
            view! { <img src=src alt="" width="160" height="160" loading="lazy" decoding="async"/> }
                .into_any()
        }
        None => view! { <span class="hit-placeholder">{h.category_name.clone()}</span> }.into_any(),
    };
    view! {
        <li class="hit" data-product=h.product_id>
            <div class="hit-image" aria-hidden="true">{picture}</div>
            <div class="hit-main">
                <p class="card-category">{h.category_name.clone()}</p>
                <h2><a href=href.clone()>{h.title.clone()}</a></h2>
                <p class="card-meta">{h.brand.clone()}" · "<span class="mono">{h.model.clone()}</span>
                    " · "{t(Msg::BestOffer)}" "{h.best_supplier.clone()}</p>
                <p class="tags">
                    {h.tags.iter().filter_map(|tag| format::policy_tag(tag)).map(|m| view! { <span class="tag">{t(m)}</span> }).collect_view()}
                </p>
            </div>
            <div class="hit-price">
                <p class="price"><strong class="lowest">{h.lowest_price.to_string()}</strong>
                    <span class="per">"/"{h.unit.clone()}</span></p>
                <p class="offers">{h.offer_count}" "{t(Msg::OffersCount)}
                    {(spread > 0).then(|| view! { " · "{t(Msg::PriceSpread)}" "{emall_domain::Fen(spread).to_string()} })}</p>
                {h.price_cap.map(|cap| view! { <p class="price-cap-badge"><span class="tag">{t(Msg::PriceCapLabel)}" "{cap.to_string()}</span></p> })}
                <p class="ref">{t(Msg::ReferencePrice)}" "{h.reference_price.to_string()}</p>
                <p class="ref">{t(Msg::DeliveryDays)}" "{t(Msg::DeliveryFrom)}" "{h.min_delivery_days}" "{t(Msg::Days)}</p>
                <a class="button" href=href>{t(Msg::Compare)}</a>
            </div>
        </li>
    }
    .into_any()
}

fn pager(locale: Locale, q: &SearchQuery, pages: u32) -> AnyView {
    super::pager(locale, i64::from(q.page.max(1)), i64::from(pages), |p| {
        let mut next = q.clone();
        next.page = p as u32;
        locale.href(&format!("/search?{}", next.to_query_string()))
    })
}

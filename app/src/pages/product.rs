use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{BuyBox, OfferBuy};
use crate::model::{BuyOption, PricePoint, ProductPage};
use leptos::prelude::*;

/// 全网比价: every live offer for one standard product in the city, lowest first, against
/// the reference market price, with the lowest price's history.
pub fn product(locale: Locale, page: ProductPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let p = page.product.clone();
    let city = page.city.clone();
    let buyable = page.offers.iter().find(|o| !o.above_cap);
    let lowest = buyable.map(|o| o.price);
    view! {
        <nav class="breadcrumb" aria-label="breadcrumb">
            <a href=locale.href(&format!("/search?city={}", city.code))>{t(Msg::AllCategories)}</a>
            {page.breadcrumb.iter().map(|(code, name)| view! {
                " › "<a href=locale.href(&format!("/search?category={code}&city={}", city.code))>{name.clone()}</a>
            }).collect_view()}
        </nav>
        <div class="product-layout">
            <section class="panel product-summary" aria-labelledby="product-title">
                <p class="card-category">{p.category_name.clone()}" · "{t(Msg::CompareTitle)}" · "{city.name.clone()}</p>
                {p.image.clone().map(|src| view! {
                    <img class="product-image" src=src alt=p.title.clone() width="240" height="240" loading="lazy"/>
                })}
                <h1 id="product-title">{p.title.clone()}</h1>
                <p class="card-meta">{p.brand.clone()}" · "<span class="mono">{p.model.clone()}</span></p>
                <p class="tags">
                    {p.tags.iter().filter_map(|tag| format::policy_tag(tag)).map(|m| view! { <span class="tag">{t(m)}</span> }).collect_view()}
                </p>
                <dl class="facts">
                    <div><dt>{t(Msg::LowestPrice)}</dt><dd class="price"><strong id="lowest-price">
                        {lowest.map(|l| l.to_string()).unwrap_or_else(|| t(Msg::NoOffers).to_string())}</strong>
                        <span class="per">"/"{p.unit.clone()}</span></dd></div>
                    <div><dt>{t(Msg::ReferencePrice)}</dt><dd>{p.reference_price.to_string()}</dd></div>
                    <div><dt>{t(Msg::ReferenceSource)}</dt><dd>{p.reference_source.clone()}" · "{p.reference_date.clone()}</dd></div>
                    <div><dt>{t(Msg::OffersInCity)}</dt><dd>{page.offers.len()}</dd></div>
                </dl>
                {page.price_cap.as_ref().map(|cap| view! {
                    <p class="alert info price-cap" id="price-cap">
                        <strong>{t(Msg::PriceCapLabel)}" "{cap.price.to_string()}"/"{p.unit.clone()}</strong>" · "
                        {locale.fill(Msg::PriceCapNote, &[("supplier", &cap.supplier_name), ("until", &format::date_of(&format::time(&cap.until)))])}" "
                        <a href=locale.href(&format!("/pools/{}", cap.pool_id))>{t(Msg::PoolResultLink)}</a>
                    </p>
                })}
                {buyable.is_some().then(|| view! {
                    <BuyBox locale=locale offers=BuyOption::of(&page.offers) product_id=p.id city=city.code.clone()/>
                })}
            </section>
            <section class="panel" aria-labelledby="specs-heading">
                <h2 id="specs-heading">{t(Msg::Specs)}</h2>
                <table class="data specs">
                    <tbody>
                        {p.specs.iter().map(|(k, v)| view! { <tr><th scope="row">{k.clone()}</th><td>{v.clone()}</td></tr> }).collect_view()}
                        <tr><th scope="row">{t(Msg::Unit)}</th><td>{p.unit.clone()}</td></tr>
                        {p.barcode.clone().map(|b| view! { <tr><th scope="row">{t(Msg::Barcode)}</th><td class="mono">{b}</td></tr> })}
                    </tbody>
                </table>
            </section>
        </div>
        <section class="panel" aria-labelledby="offers-heading">
            <h2 id="offers-heading">{t(Msg::OffersInCity)}</h2>
            {if page.offers.is_empty() {
                view! { <p class="empty">{t(Msg::NoOffers)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="data" id="offers">
                            <thead><tr>
                                <th scope="col">{t(Msg::Supplier)}</th>
                                <th scope="col" class="num">{t(Msg::Price)}</th>
                                <th scope="col" class="num">{t(Msg::VsReference)}</th>
                                <th scope="col" class="num">{t(Msg::DeliveryDays)}</th>
                                <th scope="col" class="num">{t(Msg::Stock)}</th>
                                <th scope="col" class="num">{t(Msg::SupplierScoreLabel)}</th>
                                <th scope="col">{t(Msg::SupplierSize)}</th>
                                <th scope="col">{t(Msg::BuyColumn)}</th>
                            </tr></thead>
                            <tbody>
                                {page.offers.iter().enumerate().map(|(i, o)| view! {
                                    <tr class:best=i == 0 && !o.above_cap class:above-cap=o.above_cap class:out-of-stock=o.stock <= 0 data-offer=o.offer_id>
                                        <td><a href=locale.href(&format!("/supplier/{}?city={}", o.supplier_id, city.code))>{o.supplier_name.clone()}</a></td>
                                        <td class="num strong">{o.price.to_string()}
                                            {o.above_cap.then(|| view! { <span class="status status-cancelled">{t(Msg::AboveCap)}</span> })}
                                            {(!o.tiers.is_empty()).then(|| view! {
                                                <ul class="tiers" aria-label=t(Msg::VolumeTiers)>
                                                    {o.tiers.iter().map(|tier| view! {
                                                        <li>"≥"{tier.min_quantity}" "{p.unit.clone()}": "{tier.price.to_string()}</li>
                                                    }).collect_view()}
                                                </ul>
                                            })}
                                        </td>
                                        <td class={if o.vs_reference_bp > 0 { "num above" } else { "num below" }}>{format::signed_percent_bp(o.vs_reference_bp)}</td>
                                        <td class="num">{o.delivery_days}" "{t(Msg::Days)}</td>
                                        <td class="num">{format::stock_level(locale, o.stock)}</td>
                                        <td class="num">{o.supplier_score.map(|s| s.to_string()).unwrap_or_else(|| t(Msg::NoScore).to_string())}</td>
                                        <td>{t(format::supplier_size(&o.supplier_size))}</td>
                                        <td><OfferBuy locale=locale offer_id=o.offer_id supplier_name=o.supplier_name.clone()
                                            back=format!("/product/{}?city={}", p.id, city.code)
                                            blocked=if o.above_cap { Some(t(Msg::AboveCap).to_string()) }
                                                else if o.stock <= 0 { Some(t(Msg::OutOfStock).to_string()) } else { None }/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{t(Msg::PriceHistory)}</h2>
            {history_chart(locale, &page.history, p.reference_price)}
        </section>
    }
    .into_any()
}

/// A step chart of the lowest price as inline SVG, with the reference price as a dashed
/// line; readable without JavaScript (values in `<title>`s and a table).
fn history_chart(locale: Locale, points: &[PricePoint], reference: emall_domain::Fen) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if points.is_empty() {
        return view! { <p class="empty">{t(Msg::PriceHistoryEmpty)}</p> }.into_any();
    }
    const W: i64 = 640;
    const H: i64 = 180;
    const PAD: i64 = 24;
    let max = points
        .iter()
        .map(|p| p.lowest.get())
        .chain([reference.get()])
        .max()
        .unwrap_or(1)
        .max(1);
    let min = points
        .iter()
        .map(|p| p.lowest.get())
        .min()
        .unwrap_or(0)
        .min(reference.get());
    let span = (max - min).max(1);
    let y = |v: i64| PAD + (max - v) * (H - 2 * PAD) / span;
    let n = points.len() as i64;
    let x = |i: i64| {
        if n <= 1 {
            W / 2
        } else {
            PAD + i * (W - 2 * PAD) / (n - 1)
        }
    };
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let (xi, yi) = (x(i as i64), y(p.lowest.get()));
        if i == 0 {
            d.push_str(&format!("M{xi},{yi}"));
        } else {
            d.push_str(&format!(" H{xi} V{yi}"));
        }
    }
    let ry = y(reference.get());
    view! {
        <svg class="chart history" viewBox=format!("0 0 {W} {}", H + 20) role="img" aria-label=t(Msg::PriceHistory)>
            <line x1=PAD y1=ry x2=W - PAD y2=ry class="reference"/>
            <path d=d class="line" fill="none"/>
            {points.iter().enumerate().map(|(i, p)| view! {
                <circle cx=x(i as i64) cy=y(p.lowest.get()) r="3" class="dot"><title>{format!("{} {}", p.date, p.lowest)}</title></circle>
            }).collect_view()}
            <text x=PAD y=H + 14 class="axis">{points.first().map(|p| p.date.clone()).unwrap_or_default()}</text>
            <text x=W - PAD y=H + 14 text-anchor="end" class="axis">{points.last().map(|p| p.date.clone()).unwrap_or_default()}</text>
        </svg>
        <details>
            <summary>{t(Msg::PriceHistory)}</summary>
            <table class="data"><tbody>
                {points.iter().map(|p| view! { <tr><td>{p.date.clone()}</td><td class="num">{p.lowest.to_string()}</td></tr> }).collect_view()}
            </tbody></table>
        </details>
    }
    .into_any()
}

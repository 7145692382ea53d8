//! `emall bench-render`: the comparison page rendered without the page cache. The other
//! benchmarks (search, checkouts) are the store's: [`emall_store::bench`].

use emall_store::bench::Latency;
use std::time::{Duration, Instant};

/// `emall bench-render`: the comparison page of `product` in `city` rendered `rounds` times
/// without the page cache: the render alone (view model to HTML), and the database reads
/// plus the render (what a miss costs before compression).
pub async fn render(
    state: &crate::state::AppState,
    product: i64,
    city: &str,
    rounds: usize,
) -> anyhow::Result<String> {
    let locale = emall_app::Locale::default();
    let city =
        crate::views::catalogue::city(state, Some(city)).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let page = |data: emall_app::model::ProductPage| {
        let meta = crate::render::PageMeta {
            me: None,
            notice: None,
            locale,
            title: data.product.title.clone(),
            path: format!("/product/{product}?city={}", city.code),
            city: Some(city.code.clone()),
            query: String::new(),
        };
        state
            .renderer
            .render(meta, || emall_app::pages::product(locale, data))
    };
    let load = || crate::views::catalogue::product_page(state, product, city.clone(), locale);
    let data = load().await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let bytes = page(data.clone()).len();
    let mut render_only = Vec::with_capacity(rounds);
    let mut with_reads = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let copy = data.clone();
        let t = Instant::now();
        std::hint::black_box(page(copy));
        render_only.push(t.elapsed());
        let t = Instant::now();
        let fresh = load().await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        std::hint::black_box(page(fresh));
        with_reads.push(t.elapsed());
    }
    let r = Latency::from("render", render_only, None);
    let w = Latency::from("reads + render", with_reads, None);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(format!(
        "render p50 {:.3} ms p99 {:.3} ms; reads + render p50 {:.3} ms p99 {:.3} ms; {} offers, {bytes} bytes, {rounds} rounds",
        ms(r.p50),
        ms(r.p99),
        ms(w.p50),
        ms(w.p99),
        data.offers.len(),
    ))
}

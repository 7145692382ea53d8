//! Server-side rendering of Leptos pages into complete HTML documents.
//!
//! Rendering is synchronous and deterministic: a page is a function of its view model, its
//! locale and the fixed asset names, so the same URL and data give the same bytes (no
//! per-request nonce), which is what lets public pages be cached at the edge.

use emall_app::model::CityOption;
use emall_app::shell::{document, Assets, Chrome};
use emall_app::Locale;
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

pub struct Renderer {
    css: String,
    /// The wasm modules, smallest first; the last carries every island.
    bundles: Vec<Bundle>,
    cities: Vec<CityOption>,
}

/// One wasm module the build wrote, with the islands it can hydrate.
#[derive(Debug, serde::Deserialize)]
struct Bundle {
    js: String,
    wasm: String,
    /// The island names (`data-component`) the module exports; empty when unknown.
    #[serde(default)]
    islands: HashSet<String>,
}

/// What a page tells the shell about itself.
pub struct PageMeta {
    pub locale: Locale,
    pub title: String,
    /// Locale-free path and query, for the language switch.
    pub path: String,
    pub city: Option<String>,
    pub query: String,
    /// Who is signed in, on a personal page only (a kept page is the same for everyone):
    /// the header shows them from the first paint instead of after a fetch.
    pub me: Option<emall_app::model::Me>,
    /// What became of the plain form sent last (a personal page only).
    pub notice: Option<emall_app::model::Notice>,
}

impl Renderer {
    pub fn new(site_root: &Path, cities: Vec<CityOption>) -> Renderer {
        let (css, bundles) = load_assets(site_root);
        Renderer {
            css,
            bundles,
            cities,
        }
    }

    pub fn cities(&self) -> &[CityOption] {
        &self.cities
    }

    /// Renders the page body, then the shell around it with the smallest wasm module that
    /// has every island the body holds.
    pub fn render(&self, meta: PageMeta, body: impl FnOnce() -> AnyView) -> String {
        let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
        let (html, bundle) = owner.with(|| {
            let body = body().to_html();
            let bundle = self.bundle_for(&body);
            let chrome = Chrome {
                locale: meta.locale,
                title: meta.title,
                path: meta.path,
                cities: self.cities.clone(),
                city: meta.city,
                query: meta.query,
                me: meta.me,
                notice: meta.notice,
                assets: Assets {
                    css: self.css.clone(),
                    js: bundle.js.clone(),
                    wasm: bundle.wasm.clone(),
                },
            };
            (document(chrome, body).to_html(), bundle)
        });
        debug_assert!(
            bundle.islands.is_empty() || islands(&html).all(|i| bundle.islands.contains(i)),
            "every wasm module has the shell's own islands"
        );
        let mut out = String::with_capacity(html.len() + 16);
        out.push_str("<!DOCTYPE html>");
        out.push_str(&html);
        out
    }

    fn bundle_for(&self, html: &str) -> &Bundle {
        let (last, smaller) = self
            .bundles
            .split_last()
            .expect("load_assets gives at least one module");
        smaller
            .iter()
            .find(|b| islands(html).all(|i| b.islands.contains(i)))
            .unwrap_or(last)
    }
}

/// The names of the islands in rendered HTML, as their `data-component` attributes give them.
fn islands(html: &str) -> impl Iterator<Item = &str> {
    const MARK: &str = "<leptos-island data-component=\"";
    html.match_indices(MARK).filter_map(|(at, _)| {
        let rest = &html[at + MARK.len()..];
        rest.find('"').map(|end| &rest[..end])
    })
}

/// The fingerprinted names the build wrote to `pkg/assets.json`, or the plain names a
/// `cargo leptos` build uses.
fn load_assets(site_root: &Path) -> (String, Vec<Bundle>) {
    #[derive(serde::Deserialize)]
    struct Manifest {
        css: String,
        bundles: Vec<Bundle>,
    }
    let manifest = std::fs::read_to_string(site_root.join("pkg/assets.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<Manifest>(&s).ok())
        .filter(|m| !m.bundles.is_empty());
    match manifest {
        Some(m) => (m.css, m.bundles),
        None => {
            tracing::warn!(site_root = %site_root.display(), "no pkg/assets.json: using unhashed asset names");
            let bundle = Bundle {
                js: "/pkg/emall.js".into(),
                wasm: "/pkg/emall_bg.wasm".into(),
                islands: HashSet::new(),
            };
            ("/pkg/emall.css".into(), vec![bundle])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(islands: &[&str]) -> String {
        islands
            .iter()
            .map(|i| format!("<leptos-island data-component=\"{i}\" data-props=\"{{}}\"><p>x</p></leptos-island>"))
            .collect()
    }

    fn meta() -> PageMeta {
        PageMeta {
            locale: Locale::ZhCn,
            title: "t".into(),
            path: "/".into(),
            city: None,
            query: String::new(),
            me: None,
            notice: None,
        }
    }

    #[test]
    fn each_page_gets_the_smallest_module_that_has_all_its_islands() {
        let site = tempfile::tempdir().unwrap();
        // The shell's own islands (the account corner) are in every module.
        let plain = Renderer::new(site.path(), Vec::new());
        let shell = plain.render(meta(), || ().into_any());
        let mut small: Vec<&str> = islands(&shell).collect();
        assert!(!small.is_empty(), "the shell has the account island");
        small.push("Menu_1");
        let mut full = small.clone();
        full.push("Form_2");
        std::fs::create_dir_all(site.path().join("pkg")).unwrap();
        let manifest = serde_json::json!({ "css": "/pkg/s.css", "bundles": [
            { "js": "/pkg/small.js", "wasm": "/pkg/small.wasm", "islands": small },
            { "js": "/pkg/full.js", "wasm": "/pkg/full.wasm", "islands": full },
        ]});
        std::fs::write(site.path().join("pkg/assets.json"), manifest.to_string()).unwrap();

        let renderer = Renderer::new(site.path(), Vec::new());
        let js = |islands: &[&str]| renderer.bundle_for(&page(islands)).js.clone();
        assert_eq!(js(&[]), "/pkg/small.js");
        assert_eq!(js(&["Menu_1"]), "/pkg/small.js");
        assert_eq!(js(&["Menu_1", "Form_2"]), "/pkg/full.js");
        assert_eq!(js(&["Form_2", "Form_2"]), "/pkg/full.js");
        // An island no module lists gets the module with everything.
        assert_eq!(js(&["Other_3"]), "/pkg/full.js");

        let html = renderer.render(meta(), || view! { <p>"no islands"</p> }.into_any());
        assert!(html.contains("import('/pkg/small.js')"), "{html}");
        assert!(html.contains("module_or_path:'/pkg/small.wasm'"));
        assert!(html.contains("href=\"/pkg/s.css\""));
    }

    #[test]
    fn without_a_manifest_there_is_one_module_with_plain_names() {
        let site = tempfile::tempdir().unwrap();
        let renderer = Renderer::new(site.path(), Vec::new());
        assert_eq!(renderer.bundles.len(), 1);
        assert_eq!(renderer.bundle_for(&page(&["Form_2"])).js, "/pkg/emall.js");
    }
}

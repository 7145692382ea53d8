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
use std::path::Path;
use std::sync::Arc;

pub struct Renderer {
    assets: Assets,
    cities: Vec<CityOption>,
}

/// What a page tells the shell about itself.
pub struct PageMeta {
    pub locale: Locale,
    pub title: String,
    /// Locale-free path and query, for the language switch.
    pub path: String,
    pub city: Option<String>,
    pub query: String,
}

impl Renderer {
    pub fn new(site_root: &Path, cities: Vec<CityOption>) -> Renderer {
        Renderer {
            assets: load_assets(site_root),
            cities,
        }
    }

    pub fn cities(&self) -> &[CityOption] {
        &self.cities
    }

    pub fn render(&self, meta: PageMeta, body: impl FnOnce() -> AnyView) -> String {
        let chrome = Chrome {
            locale: meta.locale,
            title: meta.title,
            path: meta.path,
            cities: self.cities.clone(),
            city: meta.city,
            query: meta.query,
            assets: self.assets.clone(),
        };
        let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new_islands())));
        let html = owner.with(|| document(chrome, body()).to_html());
        let mut out = String::with_capacity(html.len() + 16);
        out.push_str("<!DOCTYPE html>");
        out.push_str(&html);
        out
    }
}

/// The fingerprinted names the build wrote to `pkg/assets.json`, or the plain names a
/// `cargo leptos` build uses.
fn load_assets(site_root: &Path) -> Assets {
    #[derive(serde::Deserialize)]
    struct Manifest {
        css: String,
        js: String,
        wasm: String,
    }
    let manifest = std::fs::read_to_string(site_root.join("pkg/assets.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<Manifest>(&s).ok());
    match manifest {
        Some(m) => Assets {
            css: m.css,
            js: m.js,
            wasm: m.wasm,
        },
        None => {
            tracing::warn!(site_root = %site_root.display(), "no pkg/assets.json: using unhashed asset names");
            Assets {
                css: "/pkg/emall.css".into(),
                js: "/pkg/emall.js".into(),
                wasm: "/pkg/emall_bg.wasm".into(),
            }
        }
    }
}

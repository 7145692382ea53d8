//! The wasm entry point. The server-rendered page loads this module and calls `hydrate`,
//! then hydrates each `<leptos-island>` with the island function the app crate exports.

#[allow(unused_imports)]
use emall_app::islands::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Marks the page as interactive (browser tests wait for it before clicking).
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "");
    }
}

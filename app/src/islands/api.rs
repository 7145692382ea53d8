//! Browser-side calls to the JSON API. Every state-changing call carries the CSRF token
//! from the `emall_csrf` cookie in the `X-CSRF-Token` header (double-submit).

use crate::model::Me;
use gloo_net::http::Request;
use wasm_bindgen::JsCast;

pub const CSRF_COOKIE: &str = "emall_csrf";
pub const CSRF_HEADER: &str = "X-CSRF-Token";

pub fn csrf_token() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let cookies = document
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?
        .cookie()
        .ok()?;
    cookies.split(';').find_map(|c| {
        c.trim()
            .strip_prefix(CSRF_COOKIE)
            .and_then(|rest| rest.strip_prefix('='))
            .map(str::to_string)
    })
}

/// The signed-in person, or `None` when nobody is (the API answers 401).
pub async fn fetch_me() -> Result<Option<Me>, gloo_net::Error> {
    let response = Request::get("/api/v1/auth/me").send().await?;
    if response.status() == 200 {
        Ok(Some(response.json().await?))
    } else {
        Ok(None)
    }
}

pub async fn sign_out() -> Result<(), gloo_net::Error> {
    let mut request = Request::post("/api/v1/auth/logout");
    if let Some(token) = csrf_token() {
        request = request.header(CSRF_HEADER, &token);
    }
    request.send().await?;
    Ok(())
}

pub fn go(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}

pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// A fresh random key for `Idempotency-Key` (one per checkout attempt).
pub fn idempotency_key() -> String {
    let random = || (web_sys::js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!(
        "{:08x}{:08x}{:x}",
        random(),
        random(),
        web_sys::js_sys::Date::now() as u64
    )
}

/// POSTs raw bytes (a file) with the CSRF header; the status and the JSON answer.
pub async fn send_bytes(
    url: &str,
    body: wasm_bindgen::JsValue,
) -> Result<(u16, serde_json::Value), gloo_net::Error> {
    let mut request = Request::post(url);
    if let Some(token) = csrf_token() {
        request = request.header(CSRF_HEADER, &token);
    }
    let response = request.body(body)?.send().await?;
    let status = response.status();
    let json = response.json().await.unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// GETs JSON; the status and the body (if any).
pub async fn get_json(url: &str) -> Result<(u16, serde_json::Value), gloo_net::Error> {
    let response = Request::get(url).send().await?;
    let status = response.status();
    let json = response.json().await.unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// Sends JSON with the CSRF header; returns the status and the JSON body (if any).
pub async fn send_json(
    method: &str,
    url: &str,
    body: &serde_json::Value,
    extra: &[(&str, &str)],
) -> Result<(u16, serde_json::Value), gloo_net::Error> {
    let mut request = match method {
        "PUT" => Request::put(url),
        "PATCH" => Request::patch(url),
        "DELETE" => Request::delete(url),
        _ => Request::post(url),
    };
    if let Some(token) = csrf_token() {
        request = request.header(CSRF_HEADER, &token);
    }
    for (k, v) in extra {
        request = request.header(k, v);
    }
    let response = request.json(body)?.send().await?;
    let status = response.status();
    let json = response.json().await.unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// The first message of an API error body.
pub fn error_message(body: &serde_json::Value) -> String {
    body["error"]["fields"]
        .as_object()
        .and_then(|f| f.values().next())
        .and_then(|v| v.as_str())
        .or_else(|| body["error"]["message"].as_str())
        .unwrap_or("")
        .to_string()
}

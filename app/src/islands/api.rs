//! Browser-side calls to the JSON API. Every state-changing call carries the CSRF token
//! from the `emall_csrf` cookie in the `X-CSRF-Token` header (double-submit).

use crate::model::{ErrorBody, Me};
use gloo_net::http::{Request, RequestBuilder};
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

/// The page's language (`<html lang>`), so the mall answers an island in the language of
/// the page it sits on rather than the browser's.
fn page_language() -> Option<String> {
    let lang = web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("lang")?;
    (!lang.is_empty()).then_some(lang)
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
    send_empty(Method::Post, "/api/v1/auth/logout").await?;
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

/// An API answer: its status and its body, read as the contract's types
/// (`crate::model`, which the handlers answer with too).
pub struct Answer {
    pub status: u16,
    body: String,
}

impl Answer {
    async fn of(response: gloo_net::http::Response) -> Answer {
        Answer {
            status: response.status(),
            body: response.text().await.unwrap_or_default(),
        }
    }

    /// A 2xx answer.
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`; `None` when it is not one (an error, an empty body).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.body).ok()
    }

    /// What went wrong, as the mall said it in the reader's language: the first field's
    /// message, else the error's.
    pub fn error_message(&self) -> String {
        self.json::<ErrorBody>()
            .map(|e| {
                e.error
                    .fields
                    .and_then(|f| f.into_values().next())
                    .unwrap_or(e.error.message)
            })
            .unwrap_or_default()
    }
}

pub use super::Method;

fn request(method: Method, url: &str, extra: &[(&str, &str)]) -> RequestBuilder {
    let mut request = match method {
        Method::Post => Request::post(url),
        Method::Put => Request::put(url),
        Method::Patch => Request::patch(url),
        Method::Delete => Request::delete(url),
    };
    if let Some(token) = csrf_token() {
        request = request.header(CSRF_HEADER, &token);
    }
    if let Some(lang) = page_language() {
        request = request.header("Accept-Language", &lang);
    }
    for (k, v) in extra {
        request = request.header(k, v);
    }
    request
}

/// GETs an answer.
pub async fn get(url: &str) -> Result<Answer, gloo_net::Error> {
    let mut request = Request::get(url);
    if let Some(lang) = page_language() {
        request = request.header("Accept-Language", &lang);
    }
    Ok(Answer::of(request.send().await?).await)
}

/// Sends `body` as JSON with the CSRF header (and `extra` headers).
pub async fn send<B: serde::Serialize + ?Sized>(
    method: Method,
    url: &str,
    body: &B,
    extra: &[(&str, &str)],
) -> Result<Answer, gloo_net::Error> {
    let response = request(method, url, extra).json(body)?.send().await?;
    Ok(Answer::of(response).await)
}

/// Sends a request without a body (a withdrawal, a close, a removal) with the CSRF header.
pub async fn send_empty(method: Method, url: &str) -> Result<Answer, gloo_net::Error> {
    Ok(Answer::of(request(method, url, &[]).send().await?).await)
}

/// POSTs raw bytes (a file) with the CSRF header.
pub async fn send_bytes(url: &str, body: wasm_bindgen::JsValue) -> Result<Answer, gloo_net::Error> {
    let response = request(Method::Post, url, &[]).body(body)?.send().await?;
    Ok(Answer::of(response).await)
}

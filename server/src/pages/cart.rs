//! The buyer's cart: lines grouped by supplier (one order each), priced as the checkout
//! will price them, edited with plain forms (quantity, −/+, remove) that work without
//! script, and the checkout.

use super::homes::{private, signed_in};
use super::{page_error, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::views::checkout as placing;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::{
    CartAddPage, CartGroup, CartLineView, CartPage, CartProblem, CheckoutRequest,
};
use emall_app::Msg;
use emall_domain::purchase::line_quantity_ok;
use emall_domain::{Fen, Role};
use emall_store::checkout::{self, Refusal};
use emall_store::{self as store};

#[derive(serde::Deserialize, Default)]
pub struct Shown {
    /// The offer whose quantity was just refused.
    refused: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: shown, .. }: Lenient<Shown>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Buyer])?;
        let mut page = load(&state, &viewer).await?;
        page.refused_quantity = shown.refused;
        Ok(page)
    }
    .await;
    private(&state, &url, Msg::CartTitle, loaded, emall_app::pages::cart)
}

/// The buyer's cart priced as the checkout will price it, with the lines to pay from.
async fn load(state: &AppState, viewer: &Viewer) -> ApiResult<CartPage> {
    let unit_id = viewer.unit_id()?;
    let lines = store::cart::lines(&state.db, viewer.user_id).await?;
    let items: Vec<(i64, i64)> = lines.iter().map(|l| (l.offer_id, l.quantity)).collect();
    let rules = state.settings.rules.purchase();
    let quote = if items.is_empty() {
        None
    } else {
        Some(checkout::quote(&state.db, &rules, unit_id, &items).await?)
    };
    let (priced, refusal) = match quote {
        Some(Ok(q)) => (Some(q), None),
        Some(Err(r)) => (None, Some(r)),
        None => (None, None),
    };
    let fault_of = |offer: i64| match &refusal {
        Some(Refusal::Line { offer_id, reason }) if *offer_id == offer => {
            Some(CartProblem::from(*reason))
        }
        _ => None,
    };
    let mut groups: Vec<CartGroup> = Vec::new();
    for l in lines {
        let (price, line_total) = priced
            .as_ref()
            .and_then(|q| q.lines.get(&l.offer_id).copied())
            .unwrap_or((l.price, Fen(l.price.get().saturating_mul(l.quantity))));
        let line = CartLineView {
            offer_id: l.offer_id,
            product_id: l.product_id,
            title: l.title,
            unit: l.unit,
            list_price: l.price,
            price,
            quantity: l.quantity,
            line_total,
            problem: fault_of(l.offer_id),
        };
        match groups.last_mut() {
            Some(g) if g.supplier_id == l.supplier_id => g.lines.push(line),
            _ => groups.push(CartGroup {
                supplier_id: l.supplier_id,
                supplier_name: l.supplier_name,
                lines: vec![line],
                total: Fen::ZERO,
                needs_approval: false,
            }),
        }
    }
    for g in &mut groups {
        let order = priced
            .as_ref()
            .and_then(|q| q.orders.iter().find(|(s, _, _)| *s == g.supplier_id));
        g.total = match order {
            Some(&(_, total, _)) => total,
            None => Fen(g.lines.iter().map(|l| l.line_total.get()).sum()),
        };
        g.needs_approval = order.is_some_and(|&(_, _, approval)| approval);
    }
    let total = match &priced {
        Some(q) => q.total,
        None => Fen(groups.iter().map(|g| g.total.get()).sum()),
    };
    let budget_lines =
        store::units::payable_lines(&state.db, unit_id, emall_store::clock::now()).await?;
    Ok(CartPage {
        me: viewer.me(),
        city: state.settings.default_city.clone(),
        groups,
        total,
        blocked: refusal.is_some(),
        budget_lines,
        proposed: priced.as_ref().and_then(|q| q.class),
        csrf_token: viewer.csrf_token.clone(),
        checkout_key: crate::auth::session::random_token(),
        refused_quantity: None,
        checkout_error: None,
        chosen_line: None,
    })
}

/// 提交订单 from the cart's plain form: the budget line, the payment terms and the page's
/// Idempotency-Key (sending the form twice orders once).
#[derive(serde::Deserialize)]
pub struct CheckoutForm {
    #[serde(default)]
    budget_line_id: String,
    #[serde(default)]
    payment_terms_days: String,
    #[serde(default)]
    key: String,
}

/// Places the cart and goes to the order centre, which says how many orders were placed;
/// a refusal shows the cart again with why, the chosen line kept.
pub async fn place(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<CheckoutForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Buyer]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let line = form.budget_line_id.trim().parse::<i64>().ok();
    let terms = form.payment_terms_days.trim();
    let body = CheckoutRequest {
        budget_line_id: line.unwrap_or(0),
        items: None,
        // Terms that are not a number are refused as out of range.
        payment_terms_days: Some(if terms.is_empty() {
            30
        } else {
            terms.parse().unwrap_or(0)
        }),
    };
    let key = form.key.trim();
    let key = (!key.is_empty() && key.len() <= 200).then_some(key);
    let refusal = match placing::place(&state, &viewer, &body, key, locale).await {
        Ok(placed) => {
            let next = format!("/orders?placed={}", placed.receipt.orders.len());
            return Redirect::to(&locale.href(&next)).into_response();
        }
        Err(e) => match super::refusal(e, locale, Msg::ErrConflict) {
            Ok(said) => Some(said),
            Err(e) => return page_error(&state, &url, e),
        },
    };
    let loaded = async {
        let mut page = load(&state, &viewer).await?;
        page.checkout_error = refusal;
        page.chosen_line = line;
        Ok(page)
    }
    .await;
    private(&state, &url, Msg::CartTitle, loaded, emall_app::pages::cart)
}

/// A line's quantity form: the box, or one more or one fewer (`step`).
#[derive(serde::Deserialize)]
pub struct QuantityForm {
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    step: String,
}

/// A cart form's outcome: the page to go to next, or the page that says what went wrong.
async fn answer(
    state: &AppState,
    url: &PageUrl,
    done: impl std::future::Future<Output = ApiResult<String>>,
) -> Response {
    match done.await {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => page_error(state, url, e),
    }
}

/// A quantity as typed in a form, `step` added, if a line may hold it.
fn typed_quantity(typed: &str, step: i64) -> Option<i64> {
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .map(|q| q.saturating_add(step))
        .filter(|q| line_quantity_ok(*q))
}

/// Sets a line's quantity from the cart's form, then shows the cart again.
pub async fn update(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(offer_id): Path<i64>,
    Form(form): Form<QuantityForm>,
) -> Response {
    let done = async {
        let viewer = signed_in(viewer, &[Role::Buyer])?;
        let cart = url.locale.href("/buyer/cart");
        let step = match form.step.as_str() {
            "-1" => -1,
            "1" => 1,
            _ => 0,
        };
        let Some(quantity) = typed_quantity(&form.quantity, step) else {
            return Ok(format!("{cart}?refused={offer_id}"));
        };
        store::cart::update(&state.db, viewer.user_id, offer_id, quantity).await?;
        Ok(cart)
    };
    answer(&state, &url, done).await
}

/// Takes a line out of the cart, then shows the cart again.
pub async fn remove(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(offer_id): Path<i64>,
) -> Response {
    let done = async {
        let viewer = signed_in(viewer, &[Role::Buyer])?;
        store::cart::remove(&state.db, viewer.user_id, offer_id).await?;
        Ok(url.locale.href("/buyer/cart"))
    };
    answer(&state, &url, done).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ToAdd {
    offer: Option<i64>,
    quantity: Option<i64>,
    /// The quantity just sent was refused.
    refused: Option<i64>,
}

/// 加入购物车 from a comparison page without script: names the offer and the quantity and
/// asks to confirm (a visitor signs in first and comes back here).
pub async fn add_page(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: asked, .. }: Lenient<ToAdd>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Buyer])?;
        let offer = asked.offer.ok_or(ApiError::NotFound)?;
        let o = store::cart::offer_to_add(&state.db, offer)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(CartAddPage {
            me: viewer.me(),
            offer_id: o.offer_id,
            product_id: o.product_id,
            title: o.title,
            unit: o.unit,
            supplier_name: o.supplier_name,
            price: o.price,
            stock: o.stock,
            quantity: asked.quantity.unwrap_or(1),
            csrf_token: viewer.csrf_token.clone(),
            refused: asked.refused.is_some(),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::AddToCart,
        loaded,
        emall_app::pages::cart_add,
    )
}

/// The confirmed form: `offer`, `quantity` (as typed: a word is the page's own error).
#[derive(serde::Deserialize)]
pub struct AddForm {
    #[serde(default)]
    offer: String,
    #[serde(default)]
    quantity: String,
}

/// Adds the offer to the cart and shows the cart; a quantity the line cannot take goes
/// back to the form, which says so.
pub async fn add(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<AddForm>,
) -> Response {
    let done = async {
        let viewer = signed_in(viewer, &[Role::Buyer])?;
        let offer: i64 = form.offer.trim().parse().map_err(|_| ApiError::NotFound)?;
        let locale = url.locale;
        let again = locale.href(&format!("/buyer/cart/add?offer={offer}&refused=1"));
        let Some(quantity) = typed_quantity(&form.quantity, 0) else {
            return Ok(again);
        };
        match store::cart::add(&state.db, viewer.user_id, offer, quantity).await? {
            store::cart::Added::Added => Ok(locale.href("/buyer/cart")),
            store::cart::Added::TooMany => Ok(again),
            store::cart::Added::NotOnSale => Err(ApiError::NotFound),
        }
    };
    answer(&state, &url, done).await
}

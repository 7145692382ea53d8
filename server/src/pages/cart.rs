//! The buyer's cart: lines grouped by supplier (one order each), priced as the checkout
//! will price them, edited with plain forms (quantity, −/+, remove) that work without
//! script, and the checkout.

use super::homes::{private, signed_in};
use super::{page_error, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::{CartAddPage, CartGroup, CartLineView, CartPage, CartProblem};
use emall_app::Msg;
use emall_domain::purchase::line_quantity_ok;
use emall_domain::{Fen, Role};
use emall_store::checkout::{self, LineFault, Refusal};
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
            Some(Refusal::Line { offer_id, reason }) if *offer_id == offer => Some(match reason {
                LineFault::NotOnSale => CartProblem::NotOnSale,
                LineFault::NotInCity => CartProblem::NotInCity,
                LineFault::Stock => CartProblem::Stock,
                LineFault::AboveCap => CartProblem::AboveCap,
            }),
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
            csrf_token: viewer.csrf_token.clone(),
            refused_quantity: shown.refused,
        })
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

/// Sets a line's quantity from the cart's form, then shows the cart again.
pub async fn update(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(offer_id): Path<i64>,
    Form(form): Form<QuantityForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Buyer]) {
        Ok(v) => v,
        Err(e) => return page_error(&state, &url, e),
    };
    let cart = url.locale.href("/buyer/cart");
    let step = match form.step.as_str() {
        "-1" => -1,
        "1" => 1,
        _ => 0,
    };
    let quantity = form
        .quantity
        .trim()
        .parse::<i64>()
        .ok()
        .map(|q| q.saturating_add(step))
        .filter(|q| line_quantity_ok(*q));
    let Some(quantity) = quantity else {
        return Redirect::to(&format!("{cart}?refused={offer_id}")).into_response();
    };
    match store::cart::update(&state.db, viewer.user_id, offer_id, quantity).await {
        Ok(_) => Redirect::to(&cart).into_response(),
        Err(e) => page_error(&state, &url, e.into()),
    }
}

/// Takes a line out of the cart, then shows the cart again.
pub async fn remove(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(offer_id): Path<i64>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Buyer]) {
        Ok(v) => v,
        Err(e) => return page_error(&state, &url, e),
    };
    match store::cart::remove(&state.db, viewer.user_id, offer_id).await {
        Ok(()) => Redirect::to(&url.locale.href("/buyer/cart")).into_response(),
        Err(e) => page_error(&state, &url, e.into()),
    }
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
        let offer = asked.offer.ok_or(crate::error::ApiError::NotFound)?;
        let o = store::cart::offer_to_add(&state.db, offer)
            .await?
            .ok_or(crate::error::ApiError::NotFound)?;
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

/// The confirmed form: `offer`, `quantity`.
#[derive(serde::Deserialize)]
pub struct AddForm {
    offer: i64,
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
    let viewer = match signed_in(viewer, &[Role::Buyer]) {
        Ok(v) => v,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let again = || {
        Redirect::to(&locale.href(&format!("/buyer/cart/add?offer={}&refused=1", form.offer)))
            .into_response()
    };
    let Some(quantity) = form
        .quantity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|q| line_quantity_ok(*q))
    else {
        return again();
    };
    match store::cart::add(&state.db, viewer.user_id, form.offer, quantity).await {
        Ok(store::cart::Added::Added) => Redirect::to(&locale.href("/buyer/cart")).into_response(),
        Ok(store::cart::Added::TooMany) => again(),
        Ok(store::cart::Added::NotOnSale) => {
            page_error(&state, &url, crate::error::ApiError::NotFound)
        }
        Err(e) => page_error(&state, &url, e.into()),
    }
}

//! 采购意向公开 without script: the buyer home's form publishes an intention (refused, the
//! home again with the form as typed and every reason), and each of the unit's intentions
//! is withdrawn by its own form.

use super::homes::{buyer_home, buyer_home_page, signed_in};
use super::{notice, page_error, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use emall_app::model::Notice;
use emall_app::Msg;
use emall_domain::intention::IntentionInput;
use emall_domain::Role;
use http::HeaderMap;
use serde::Deserialize;

/// The publishing form, its fields as typed.
#[derive(Deserialize)]
pub struct IntentionForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    category_code: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    description: String,
}

impl IntentionForm {
    /// As the intention's rules read it; a year or month that is not a number is 0, which
    /// they refuse with the field's own message.
    fn to_input(&self) -> IntentionInput {
        IntentionInput {
            year: self.year.trim().parse().unwrap_or(0),
            month: self.month.trim().parse().unwrap_or(0),
            title: self.title.clone(),
            category_code: self.category_code.clone(),
            budget: self.budget.clone(),
            description: self.description.clone(),
        }
    }
}

const BUYERS: [Role; 2] = [Role::Buyer, Role::Approver];

pub async fn publish(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<IntentionForm>,
) -> Response {
    let viewer = match signed_in(viewer, &BUYERS) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let input = form.to_input();
    let refused = match views::intentions::publish(&state, &viewer, &input).await {
        Ok(_) => {
            let said = Notice::done(locale.t(Msg::NoticeIntentionPublished));
            let home = locale.href("/buyer#intentions-heading");
            return notice::redirect(&state, &viewer, &home, &said);
        }
        Err(ApiError::Invalid { fields }) => fields.words(locale).into_values().collect(),
        Err(e) => return page_error(&state, &url, e),
    };
    let loaded = async {
        let mut page = buyer_home(&state, &viewer, locale).await?;
        page.intentions.sent = Some(input);
        page.intentions.refused = refused;
        Ok(page)
    }
    .await;
    buyer_home_page(&state, &url, loaded)
}

pub async fn withdraw(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let viewer = match signed_in(viewer, &BUYERS) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let back = notice::back(&headers, url.locale.href("/buyer#intentions-heading"));
    let withdrawn = views::intentions::withdraw(&state, &viewer, id).await;
    let said = withdrawn.map(|()| Msg::NoticeIntentionWithdrawn);
    notice::outcome(
        &state,
        &url,
        &viewer,
        &back,
        said,
        Msg::ErrIntentionWithdrawn,
    )
}

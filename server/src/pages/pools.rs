//! 联合采购 pages: the public list of a city's pools and one pool's page (the same HTML
//! for every visitor; the viewer's part comes from an island), the viewer's part on a
//! personal page of plain forms, and the operator's console.

use super::catalogue::CityParam;
use super::homes::{private, signed_in};
use super::{notice, page_error, public, refusal, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::views;
use crate::views::catalogue::city;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use emall_app::model::{
    Notice, PoolConsolePage, PoolPage, PoolPartForm, PoolPartPage, PoolStep, PoolsPage,
};
use emall_app::Msg;
use emall_domain::Role;
use emall_store as store;

pub async fn list(
    State(state): State<AppState>,
    url: PageUrl,
    Lenient { value: q, .. }: Lenient<CityParam>,
) -> Response {
    let locale = url.locale;
    let loaded = async {
        let city = city(&state, q.city.as_deref())?;
        Ok::<_, ApiError>(PoolsPage {
            open: store::pools::list(&state.db, Some(&city.code), true, 100).await?,
            closed: store::pools::list(&state.db, Some(&city.code), false, 50).await?,
            city,
        })
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |p, m| {
            m.title = locale.t(Msg::PoolsTitle).to_string();
            m.city = Some(p.city.code.clone());
        },
        emall_app::pages::pools,
    )
}

pub async fn detail(State(state): State<AppState>, url: PageUrl, Path(id): Path<i64>) -> Response {
    let loaded = async {
        let pool = store::pools::detail(&state.db, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok::<_, ApiError>(PoolPage { pool })
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |p, m| {
            m.title = p.pool.summary.title.clone();
            m.city = Some(p.pool.summary.city.clone());
        },
        emall_app::pages::pool,
    )
}

pub async fn console(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let mut pools = store::pools::list(&state.db, None, true, 100).await?;
        pools.extend(store::pools::list(&state.db, None, false, 100).await?);
        Ok(PoolConsolePage {
            can_manage: viewer.role == Role::Operator,
            me: viewer.me(),
            pools,
            cities: state.renderer.cities().to_vec(),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::PoolConsoleTitle,
        loaded,
        emall_app::pages::pool_console,
    )
}

impl Tagged for PoolsPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::POOLS);
        for p in self.open.iter().chain(&self.closed) {
            keys.add(keys::pool(p.id));
        }
    }
}

impl Tagged for PoolPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        let p = &self.pool.summary;
        keys.add(keys::pool(p.id)).add(keys::product(p.product_id));
    }
}

/// The viewer's part in a pool on its own page (personal; the pool's page is kept for
/// everyone).
pub async fn part(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &Role::ALL)?;
        part_page(&state, &viewer, id, None).await
    }
    .await;
    part_response(&state, &url, loaded)
}

/// A step from the pool's personal page: back to it saying what was done, or the page
/// again with the form as sent and why not.
pub async fn take_part(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let viewer = match signed_in(viewer, &Role::ALL) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let Some(form) = PoolPartForm::from_fields(&fields) else {
        return page_error(&state, &url, ApiError::BadRequest);
    };
    let done = match form.step {
        PoolStep::Commit => {
            let commitment = form.to_commit();
            let committed = views::pools::commit(&state, &viewer, id, commitment).await;
            committed.map(|_| Msg::NoticeCommitted)
        }
        PoolStep::Withdraw => views::pools::withdraw(&state, &viewer, id)
            .await
            .map(|_| Msg::NoticeWithdrawn),
        PoolStep::Bid => views::pools::bid(&state, &viewer, id, form.to_tiers())
            .await
            .map(|_| Msg::NoticeBidPlaced),
        PoolStep::Close => views::pools::close(&state, &viewer, id)
            .await
            .map(|_| Msg::NoticePoolClosed),
    };
    let locale = url.locale;
    let said = match done.map_err(|e| refusal(e, locale, Msg::ErrPoolNotOpen)) {
        Ok(done) => {
            let back = locale.href(&format!("/pools/{id}/part"));
            return notice::redirect(&state, &viewer, &back, &Notice::done(locale.t(done)));
        }
        Err(Ok(said)) => said,
        Err(Err(e)) => return page_error(&state, &url, e),
    };
    let loaded = part_page(&state, &viewer, id, Some((form, said))).await;
    part_response(&state, &url, loaded)
}

fn part_response(state: &AppState, url: &PageUrl, loaded: ApiResult<PoolPartPage>) -> Response {
    private(
        state,
        url,
        Msg::PoolPartTitle,
        loaded,
        emall_app::pages::pool_part,
    )
}

async fn part_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    refused: Option<(PoolPartForm, String)>,
) -> ApiResult<PoolPartPage> {
    let pool = store::pools::detail(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(PoolPartPage {
        me: viewer.me(),
        pool: pool.summary,
        part: views::pools::part(state, viewer, id).await?,
        csrf_token: viewer.csrf_token.clone(),
        refused,
    })
}

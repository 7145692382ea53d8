//! 联合采购 pages: the public list of a city's pools and one pool's page (the same HTML
//! for every visitor; the viewer's part comes from an island), and the operator's console.

use super::catalogue::CityParam;
use super::homes::{private, signed_in};
use super::{public, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::catalogue::city;
use axum::extract::{Path, State};
use axum::response::Response;
use emall_app::model::{PoolConsolePage, PoolPage, PoolsPage};
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

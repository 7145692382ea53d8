//! The signed-in person of a request and the tenant they act for.

use crate::error::{ApiError, ApiResult};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use emall_app::model::{home_path, Me};
use emall_domain::Role;
use emall_store::users::SignedIn;
use http::request::Parts;

pub use emall_store::users::Tenant;

#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub tenant: Tenant,
    pub org_name: String,
    pub csrf_token: String,
    /// Authenticated by a supplier API token (not a browser session): no CSRF token, and
    /// only the listing endpoints.
    pub api_token: bool,
}

impl Viewer {
    /// The viewer of a signed-in user (through an API token when `api_token`), refusing a
    /// role without its tenant.
    pub fn signed_in(user: SignedIn, api_token: bool) -> Option<Viewer> {
        let viewer = Viewer::from_parts(
            user.user_id,
            user.username,
            user.display_name,
            &user.role,
            user.unit_id,
            user.supplier_id,
            user.org_name,
            user.csrf_token,
        )?;
        Some(Viewer {
            api_token,
            ..viewer
        })
    }

    /// The person behind the live session whose token hashes to `token_hash`.
    pub async fn of_session(
        db: &emall_store::db::Db,
        token_hash: &str,
    ) -> sqlx::Result<Option<Viewer>> {
        let user = emall_store::users::by_session(db, token_hash).await?;
        Ok(user.and_then(|u| Viewer::signed_in(u, false)))
    }

    /// Builds a viewer from a stored user, refusing a role without its tenant.
    pub fn from_parts(
        user_id: i64,
        username: String,
        display_name: String,
        role: &str,
        unit_id: Option<i64>,
        supplier_id: Option<i64>,
        org_name: String,
        csrf_token: String,
    ) -> Option<Viewer> {
        let role: Role = role.parse().ok()?;
        let tenant = match role {
            Role::Buyer | Role::Approver => Tenant::Unit(unit_id?),
            Role::Supplier => Tenant::Supplier(supplier_id?),
            Role::Operator | Role::Regulator => Tenant::Bureau,
        };
        Some(Viewer {
            user_id,
            username,
            display_name,
            role,
            tenant,
            org_name,
            csrf_token,
            api_token: false,
        })
    }

    /// Refuses unless the viewer has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The viewer's purchasing unit; refused for other roles.
    pub fn unit_id(&self) -> ApiResult<i64> {
        match self.tenant {
            Tenant::Unit(id) => Ok(id),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// The viewer's supplier; refused for other roles.
    pub fn supplier_id(&self) -> ApiResult<i64> {
        match self.tenant {
            Tenant::Supplier(id) => Ok(id),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// May see the unit's budgets and orders: its own staff and the bureau.
    pub fn check_unit(&self, unit_id: i64) -> ApiResult<()> {
        match self.tenant {
            Tenant::Unit(id) if id == unit_id => Ok(()),
            Tenant::Bureau => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// May see the supplier's private data (listings under review, orders): its own staff
    /// and the bureau.
    pub fn check_supplier(&self, supplier_id: i64) -> ApiResult<()> {
        match self.tenant {
            Tenant::Supplier(id) if id == supplier_id => Ok(()),
            Tenant::Bureau => Ok(()),
            _ => Err(ApiError::Forbidden),
        }
    }

    /// May see a private object (an order, a document) that belongs to `unit` or to
    /// `supplier`. Another tenant's object is answered as one that does not exist, so its
    /// id tells nobody that it is there.
    pub fn find_own(&self, unit: Option<i64>, supplier: Option<i64>) -> ApiResult<()> {
        let unit_ok = unit.is_some_and(|u| self.check_unit(u).is_ok());
        let supplier_ok = supplier.is_some_and(|s| self.check_supplier(s).is_ok());
        if unit_ok || supplier_ok || self.tenant == Tenant::Bureau {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    }

    /// The person as the audit log names them.
    pub fn user(&self) -> emall_domain::audit::User {
        emall_domain::audit::User::new(self.user_id, self.username.clone())
    }

    pub fn me(&self) -> Me {
        Me {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            org_name: self.org_name.clone(),
            home: home_path(self.role).to_string(),
        }
    }
}

/// Handlers that take a `Viewer` answer 401 to visitors.
impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: &str, unit: Option<i64>, supplier: Option<i64>) -> Option<Viewer> {
        Viewer::from_parts(
            1,
            "u".into(),
            "U".into(),
            role,
            unit,
            supplier,
            "".into(),
            "".into(),
        )
    }

    #[test]
    fn role_without_tenant_is_no_viewer() {
        assert!(viewer("buyer", None, None).is_none());
        assert!(viewer("supplier", Some(1), None).is_none());
        assert!(viewer("root", None, None).is_none());
    }

    #[test]
    fn tenants_see_only_their_own() {
        let buyer = viewer("buyer", Some(7), None).unwrap();
        assert!(buyer.check_unit(7).is_ok());
        assert!(buyer.check_unit(8).is_err());
        assert!(buyer.check_supplier(7).is_err());
        assert!(buyer.supplier_id().is_err());
        let supplier = viewer("supplier", None, Some(3)).unwrap();
        assert!(supplier.check_supplier(3).is_ok());
        assert!(supplier.check_supplier(4).is_err());
        assert!(supplier.check_unit(3).is_err());
        let regulator = viewer("regulator", None, None).unwrap();
        assert!(regulator.check_unit(7).is_ok() && regulator.check_supplier(3).is_ok());
        assert!(regulator.require(&[Role::Operator]).is_err());
    }
}

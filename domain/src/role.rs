//! Who a person is in the mall. Each role belongs to exactly one kind of tenant.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 采购人经办人: buys for a purchasing unit.
    Buyer,
    /// 采购人审批人: approves the unit's orders above its threshold.
    Approver,
    /// 供应商: sells; belongs to one supplier.
    Supplier,
    /// 运营方: runs the mall for the finance bureau.
    Operator,
    /// 财政监管: supervision, reports, red flags, penalties.
    Regulator,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct RoleParseError(pub String);

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Buyer,
        Role::Approver,
        Role::Supplier,
        Role::Operator,
        Role::Regulator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Approver => "approver",
            Role::Supplier => "supplier",
            Role::Operator => "operator",
            Role::Regulator => "regulator",
        }
    }

    /// Roles that act for a purchasing unit (and so must carry a unit id).
    pub fn belongs_to_unit(self) -> bool {
        matches!(self, Role::Buyer | Role::Approver)
    }

    /// Roles of the finance bureau (no tenant: they see the whole mall).
    pub fn is_bureau(self) -> bool {
        matches!(self, Role::Operator | Role::Regulator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = RoleParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| RoleParseError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}

//! The audit log (审计日志) as the finance bureau reads it: one object's entries, or the
//! newest of all, each with whether the hash chain verifies up to it.

use super::Me;
use emall_domain::Fen;
use serde::{Deserialize, Serialize};

/// An object the log names, with what people call it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditObjectView {
    /// `order`, `contract`, `budget_line`, `pool`, `supplier`, `credit_entry` or
    /// `calendar_year`
    pub kind: String,
    pub id: i64,
    /// An order's number, a budget line's code and purpose, a pool's title, a supplier's
    /// name; none for objects without one.
    pub label: Option<String>,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    /// Its number in the chain (1, 2, 3… in commit order).
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    /// The person who made the change; none for the system (the mall's timers).
    pub actor_id: Option<i64>,
    /// Their username when they made it (empty for the system).
    pub actor_username: String,
    /// Their name as the mall knows it now.
    pub actor_name: Option<String>,
    pub object: AuditObjectView,
    /// What happened: `place`, `confirm`, `sign`, `pay`, `commit`, `admit`, `suspend`, …
    pub action: String,
    /// The other object concerned: the budget line the money moved on, a contract's order,
    /// a credit entry's supplier.
    pub related: Option<AuditObjectView>,
    /// The money the change moved or concerned, in fen.
    pub amount: Option<Fen>,
    /// SHA-256 of the object's state before (none when it did not exist).
    pub before_sha256: Option<String>,
    /// SHA-256 of its state after; for a contract, the contract's own SHA-256.
    pub after_sha256: Option<String>,
    /// The chain hash: SHA-256(previous entry's hash ‖ this entry's canonical JSON).
    pub hash: String,
    /// The chain verifies from the first entry up to and including this one.
    pub verified: bool,
}

/// How far the chain was verified for the entries shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditChainView {
    /// Every entry up to this number verifies.
    pub verified_through: i64,
    /// The first entry at which the chain breaks, if it does.
    pub broken_at: Option<i64>,
    /// Why it breaks there: `sequence` (an entry missing or moved), `hash` (an entry or one
    /// before it altered), `missing` (entries cut from the end) or `head` (the head altered).
    pub broken_reason: Option<String>,
    /// RFC 3339: when that was established.
    pub checked_at: String,
}

/// An object's log (or, without an object, the newest entries of all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub object: Option<AuditObjectView>,
    /// An object's entries oldest first; the newest entries newest first.
    pub entries: Vec<AuditEntryView>,
    pub chain: AuditChainView,
}

/// `/console/audit`: the log of an object, or the newest entries, and the form to ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub me: Me,
    pub log: AuditLog,
}

//! Small display helpers shared by pages (pure, locale-aware).

use crate::i18n::{Locale, Msg};
use emall_domain::registration::SupplierStatus;

pub fn order_status(status: &str) -> Msg {
    match status {
        "pending_approval" => Msg::StatusPendingApproval,
        "placed" => Msg::StatusPlaced,
        "confirmed" => Msg::StatusConfirmed,
        "shipped" => Msg::StatusShipped,
        "delivered" => Msg::StatusDelivered,
        "accepted" => Msg::StatusAccepted,
        "rejected" => Msg::StatusRejected,
        "invoiced" => Msg::StatusInvoiced,
        "paid" => Msg::StatusPaid,
        _ => Msg::StatusCancelled,
    }
}

/// A kind of object the audit log names, in words.
pub fn audit_kind(kind: &str) -> Msg {
    match kind {
        "order" => Msg::AuditKindOrder,
        "contract" => Msg::AuditKindContract,
        "budget_line" => Msg::AuditKindBudgetLine,
        "pool" => Msg::AuditKindPool,
        "supplier" => Msg::AuditKindSupplier,
        "credit_entry" => Msg::AuditKindCreditEntry,
        "calendar_year" => Msg::AuditKindCalendarYear,
        _ => Msg::AuditKindUnknown,
    }
}

/// What an audit entry records, in words.
pub fn audit_action(action: &str) -> Msg {
    match action {
        "place" => Msg::AuditPlace,
        "pool_order" => Msg::AuditPoolOrder,
        "approve" => Msg::AuditApprove,
        "decline" => Msg::AuditDecline,
        "cancel" => Msg::AuditCancel,
        "confirm" => Msg::AuditConfirm,
        "ship" => Msg::AuditShip,
        "deliver" => Msg::AuditDeliver,
        "accept" => Msg::AuditAccept,
        "reject_delivery" => Msg::AuditRejectDelivery,
        "invoice" => Msg::AuditInvoice,
        "pay" => Msg::AuditPay,
        "flag_overdue" => Msg::AuditFlagOverdue,
        "sign" => Msg::AuditSign,
        "open" => Msg::AuditOpen,
        "bid" => Msg::AuditBid,
        "commit" => Msg::AuditCommit,
        "release" => Msg::AuditRelease,
        "withdraw" => Msg::AuditWithdraw,
        "award" => Msg::AuditAward,
        "fail" => Msg::AuditFail,
        "register" => Msg::AuditRegister,
        "resubmit" => Msg::AuditResubmit,
        "admit" => Msg::AuditAdmit,
        "reject" => Msg::AuditReject,
        "request_changes" => Msg::AuditRequestChanges,
        "warn" => Msg::AuditWarn,
        "suspend" => Msg::AuditSuspend,
        "revoke" => Msg::AuditRevoke,
        "appeal" => Msg::AuditAppeal,
        "uphold" => Msg::AuditUphold,
        "overturn" => Msg::AuditOverturn,
        "end" => Msg::AuditEnd,
        "load_calendar" => Msg::AuditLoadCalendar,
        _ => Msg::AuditUnknownAction,
    }
}

pub fn supplier_status(status: SupplierStatus) -> Msg {
    match status {
        SupplierStatus::Pending => Msg::SupplierPending,
        SupplierStatus::Admitted => Msg::SupplierAdmitted,
        SupplierStatus::Suspended => Msg::SupplierSuspended,
        SupplierStatus::Revoked => Msg::SupplierRevoked,
    }
}

pub fn supplier_size(size: &str) -> Msg {
    match size {
        "large" => Msg::SizeLarge,
        "medium" => Msg::SizeMedium,
        "small" => Msg::SizeSmall,
        _ => Msg::SizeMicro,
    }
}

pub fn funding_source(source: &str) -> Msg {
    match source {
        "general" => Msg::FundGeneral,
        "fund" => Msg::FundFund,
        "state_capital" => Msg::FundStateCapital,
        "special" => Msg::FundSpecial,
        _ => Msg::FundOwn,
    }
}

/// 支出经济分类: a classification's name.
pub fn econ_class(class: emall_domain::budget::EconClass) -> Msg {
    use emall_domain::budget::EconClass;
    match class {
        EconClass::Office => Msg::EconOffice,
        EconClass::Printing => Msg::EconPrinting,
        EconClass::Property => Msg::EconProperty,
        EconClass::Repairs => Msg::EconRepairs,
        EconClass::OtherGoods => Msg::EconOtherGoods,
        EconClass::OfficeEquipment => Msg::EconOfficeEquipment,
    }
}

pub fn policy_tag(tag: &str) -> Option<Msg> {
    match tag {
        "energy_saving" => Some(Msg::PolicyEnergy),
        "environmental" => Some(Msg::PolicyEnvironment),
        "poverty_area" => Some(Msg::PolicyPoverty),
        "sme_made" => Some(Msg::PolicySme),
        _ => None,
    }
}

/// The date part of an RFC 3339 time (`2026-03-01T08:00:00Z` → `2026-03-01`).
pub fn date_of(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// A share in basis points as a percentage with one decimal (`1234` → `12.3%`).
pub fn percent_bp(bp: i64) -> String {
    let tenths = (bp + 5) / 10;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// "1,234" grouping for counts.
pub fn count(n: i64, _locale: Locale) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audit_action_and_object_has_words() {
        use emall_domain::audit::{Action, ObjectKind};
        for a in Action::ALL {
            assert_ne!(audit_action(a.as_str()), Msg::AuditUnknownAction, "{a:?}");
        }
        for k in ObjectKind::ALL {
            assert_ne!(audit_kind(k.as_str()), Msg::AuditKindUnknown, "{k:?}");
        }
    }

    #[test]
    fn formats_percent_and_counts() {
        assert_eq!(percent_bp(1234), "12.3%");
        assert_eq!(percent_bp(10000), "100.0%");
        assert_eq!(percent_bp(0), "0.0%");
        assert_eq!(count(1234567, Locale::ZhCn), "1,234,567");
        assert_eq!(date_of("2026-03-01T08:00:00Z"), "2026-03-01");
    }
}

/// Percent-encodes a query-string value (UTF-8, RFC 3986 unreserved characters kept).
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An offer's stock as a public page shows it ([`emall_domain::stock::StockLevel`]): 缺货,
/// 仅剩 3, 500+.
pub fn stock_level(locale: Locale, stock: i64) -> String {
    use emall_domain::stock::StockLevel;
    match StockLevel::of(stock) {
        StockLevel::Out => locale.t(Msg::OutOfStock).to_string(),
        StockLevel::Few(n) => locale.fill(Msg::StockFew, &[("n", &n)]),
        StockLevel::AtLeast(n) => format!("{n}+"),
    }
}

/// Basis points as a signed percentage with one decimal (`-1234` → `-12.3%`).
pub fn signed_percent_bp(bp: i64) -> String {
    let sign = if bp > 0 {
        "+"
    } else if bp < 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", percent_bp(bp.abs()))
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn encodes_and_signs() {
        assert_eq!(
            urlencode("A4 复印纸&x=1"),
            "A4%20%E5%A4%8D%E5%8D%B0%E7%BA%B8%26x%3D1"
        );
        assert_eq!(signed_percent_bp(-1234), "-12.3%");
        assert_eq!(signed_percent_bp(250), "+2.5%");
        assert_eq!(signed_percent_bp(0), "0.0%");
    }
}

/// A lifecycle action's label (`confirm` → 确认接单).
pub fn action(action: &str) -> Msg {
    match action {
        "approve" => Msg::ActApprove,
        "decline" => Msg::ActDecline,
        "cancel" => Msg::ActCancel,
        "confirm" => Msg::ActConfirm,
        "ship" => Msg::ActShip,
        "deliver" => Msg::ActDeliver,
        "accept" => Msg::ActAccept,
        "reject_delivery" => Msg::ActRejectDelivery,
        "invoice" => Msg::ActInvoice,
        "pay" => Msg::ActPay,
        _ => Msg::ActPlace,
    }
}

/// A performance event's label.
pub fn performance_event(kind: &str) -> Msg {
    match kind {
        "confirmed_in_time" => Msg::EvConfirmedInTime,
        "confirmed_late" => Msg::EvConfirmedLate,
        "not_confirmed" => Msg::EvNotConfirmed,
        "supplier_cancelled" => Msg::EvSupplierCancelled,
        "delivered_on_time" => Msg::EvDeliveredOnTime,
        "delivered_late" => Msg::EvDeliveredLate,
        "inspection_passed" => Msg::EvInspectionPassed,
        "inspection_failed" => Msg::EvInspectionFailed,
        "rated" => Msg::EvRated,
        "paid_on_time" => Msg::EvPaidOnTime,
        "paid_late" => Msg::EvPaidLate,
        "payment_overdue" => Msg::EvPaymentOverdue,
        _ => Msg::EvComplaint,
    }
}

/// A score part's label.
pub fn score_part(name: &str) -> Msg {
    match name {
        "confirmation" => Msg::PartConfirmation,
        "delivery" => Msg::PartDelivery,
        "inspection" => Msg::PartInspection,
        "rating" => Msg::PartRating,
        _ => Msg::PartComplaints,
    }
}

/// An RFC 3339 UTC time as Beijing time, `YYYY-MM-DD HH:MM`.
pub fn time(rfc3339: &str) -> String {
    emall_domain::calendar::beijing_time(rfc3339)
}

/// ★★★★☆ for a 1–5 rating.
pub fn stars(rating: i64) -> String {
    let r = rating.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(r), "☆".repeat(5 - r))
}

/// An application's review state.
pub fn review_state(state: &str) -> Msg {
    match state {
        "submitted" => Msg::ReviewSubmitted,
        "changes_requested" => Msg::ReviewChangesRequested,
        "rejected" => Msg::ReviewRejected,
        _ => Msg::ReviewAdmitted,
    }
}

/// A review decision in an application's history.
pub fn review_decision(decision: &str) -> Msg {
    match decision {
        "admit" => Msg::DecisionAdmit,
        "reject" => Msg::DecisionReject,
        "request_changes" => Msg::DecisionRequestChanges,
        _ => Msg::DecisionSubmit,
    }
}

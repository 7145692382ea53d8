//! 信用记录: the regulator's credit entries against a supplier, what they do to its
//! standing, the appeal, and when an entry stops being shown (信用修复).
//!
//! | kind        | effect                                   | shown publicly until            |
//! |-------------|------------------------------------------|---------------------------------|
//! | warning     | none on sales                            | 180 days after it was recorded  |
//! | suspension  | offers leave the storefront for N days   | 365 days after the suspension ends |
//! | revocation  | 清退: the supplier no longer sells       | always                          |
//!
//! An appeal does not pause an entry: a suspension holds while the regulator decides. An
//! overturned entry ends at once and is not shown.

use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;
/// How long a warning stays on the public record.
pub const WARNING_SHOWN_DAYS: i64 = 180;
/// How long an ended suspension stays on the public record (the clean period for repair).
pub const SUSPENSION_SHOWN_DAYS: i64 = 365;
/// The longest suspension one entry may impose.
pub const MAX_SUSPENSION_DAYS: i64 = 365;

crate::stored::stored_text! {
    pub enum CreditKind {
        Warning = "warning",
        Suspension = "suspension",
        /// 清退
        Revocation = "revocation",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    #[error("a reason is required (at most 500 characters)")]
    Reason,
    #[error("a suspension lasts 1 to 365 days")]
    Days,
}

/// A new entry, checked: the reason is given, a suspension has its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: CreditKind,
    pub reason: String,
    /// Suspension only.
    pub days: Option<i64>,
}

impl NewEntry {
    pub fn parse(
        kind: CreditKind,
        reason: &str,
        days: Option<i64>,
    ) -> Result<NewEntry, CreditError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(CreditError::Reason);
        }
        let days = match kind {
            CreditKind::Suspension => match days {
                Some(d) if (1..=MAX_SUSPENSION_DAYS).contains(&d) => Some(d),
                _ => return Err(CreditError::Days),
            },
            _ => None,
        };
        Ok(NewEntry {
            kind,
            reason: reason.to_string(),
            days,
        })
    }

    /// When a suspension recorded at `at` ends (none for the other kinds).
    pub fn ends_at(&self, at: i64) -> Option<i64> {
        self.days.map(|d| at + d * DAY)
    }
}

crate::stored::stored_text! {
    /// An entry's life.
    pub enum CreditState {
        /// In force (a suspension still running, a warning or revocation standing).
        InForce = "in_force",
        /// Appealed; still in force until the regulator decides.
        Appealed = "appealed",
        /// The appeal was refused; in force.
        Upheld = "upheld",
        /// The appeal succeeded: the entry ended and is not shown.
        Overturned = "overturned",
        /// A suspension that ran its course.
        Ended = "ended",
    }
}

impl CreditState {
    /// Still counts against the supplier.
    pub fn binding(self) -> bool {
        matches!(
            self,
            CreditState::InForce | CreditState::Appealed | CreditState::Upheld
        )
    }

    /// One appeal per entry, while it binds and before a decision.
    pub fn can_appeal(self) -> bool {
        self == CreditState::InForce
    }
}

/// The regulator's decision on an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealDecision {
    Uphold,
    Overturn,
}

impl AppealDecision {
    pub fn outcome(self) -> CreditState {
        match self {
            AppealDecision::Uphold => CreditState::Upheld,
            AppealDecision::Overturn => CreditState::Overturned,
        }
    }
}

/// One recorded entry, as far as standing and disclosure go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: CreditKind,
    pub state: CreditState,
    pub recorded_at: i64,
    pub ends_at: Option<i64>,
}

impl Entry {
    /// Still shown on the public record at `now` (信用修复 after the clean period).
    pub fn shown(&self, now: i64) -> bool {
        if self.state == CreditState::Overturned {
            return false;
        }
        match self.kind {
            CreditKind::Warning => now < self.recorded_at + WARNING_SHOWN_DAYS * DAY,
            CreditKind::Suspension => {
                now < self.ends_at.unwrap_or(self.recorded_at) + SUSPENSION_SHOWN_DAYS * DAY
            }
            CreditKind::Revocation => true,
        }
    }

    /// A suspension that ran past its end while still binding: the timer ends it.
    pub fn due_to_end(&self, now: i64) -> bool {
        self.kind == CreditKind::Suspension
            && self.state.binding()
            && self.ends_at.is_some_and(|e| e <= now)
    }
}

/// What the supplier's entries make of an admitted supplier's standing at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Admitted,
    Suspended,
    Revoked,
}

pub fn standing(entries: &[Entry], now: i64) -> Standing {
    let binding = entries.iter().filter(|e| e.state.binding());
    let mut standing = Standing::Admitted;
    for e in binding {
        match e.kind {
            CreditKind::Revocation => return Standing::Revoked,
            CreditKind::Suspension if e.ends_at.is_some_and(|end| end > now) => {
                standing = Standing::Suspended
            }
            _ => {}
        }
    }
    standing
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn entry(
        kind: CreditKind,
        state: CreditState,
        recorded_days_ago: i64,
        days: Option<i64>,
    ) -> Entry {
        let recorded_at = NOW - recorded_days_ago * DAY;
        Entry {
            kind,
            state,
            recorded_at,
            ends_at: days.map(|d| recorded_at + d * DAY),
        }
    }

    #[test]
    fn new_entries_need_a_reason_and_a_suspension_its_length() {
        use CreditKind::*;
        let cases = [
            (Warning, "价格异常", None, Ok(None)),
            (Warning, "  ", None, Err(CreditError::Reason)),
            (Suspension, "串通报价", Some(30), Ok(Some(30))),
            (Suspension, "串通报价", None, Err(CreditError::Days)),
            (Suspension, "串通报价", Some(0), Err(CreditError::Days)),
            (Suspension, "串通报价", Some(366), Err(CreditError::Days)),
            (Revocation, "提供虚假材料", Some(30), Ok(None)),
        ];
        for (kind, reason, days, expected) in cases {
            assert_eq!(
                NewEntry::parse(kind, reason, days).map(|e| e.days),
                expected,
                "{kind:?} {reason:?} {days:?}"
            );
        }
        let e = NewEntry::parse(Suspension, "x", Some(10)).unwrap();
        assert_eq!(e.ends_at(NOW), Some(NOW + 10 * DAY));
    }

    #[test]
    fn standing_follows_the_binding_entries() {
        use CreditKind::*;
        use CreditState::*;
        let cases = [
            (vec![], Standing::Admitted),
            (vec![entry(Warning, InForce, 1, None)], Standing::Admitted),
            (
                vec![entry(Suspension, InForce, 1, Some(30))],
                Standing::Suspended,
            ),
            (
                vec![entry(Suspension, Appealed, 1, Some(30))],
                Standing::Suspended,
            ),
            (
                vec![entry(Suspension, Overturned, 1, Some(30))],
                Standing::Admitted,
            ),
            (
                vec![entry(Suspension, InForce, 40, Some(30))],
                Standing::Admitted,
            ),
            (
                vec![
                    entry(Suspension, InForce, 1, Some(30)),
                    entry(Revocation, Upheld, 2, None),
                ],
                Standing::Revoked,
            ),
        ];
        for (entries, expected) in cases {
            assert_eq!(standing(&entries, NOW), expected, "{entries:?}");
        }
    }

    #[test]
    fn entries_leave_the_public_record_after_the_clean_period() {
        use CreditKind::*;
        use CreditState::*;
        let cases = [
            (entry(Warning, InForce, 179, None), true),
            (entry(Warning, InForce, 181, None), false),
            (entry(Suspension, Ended, 30 + 364, Some(30)), true),
            (entry(Suspension, Ended, 30 + 366, Some(30)), false),
            (entry(Suspension, Overturned, 1, Some(30)), false),
            (entry(Revocation, Upheld, 3000, None), true),
        ];
        for (e, shown) in cases {
            assert_eq!(e.shown(NOW), shown, "{e:?}");
        }
    }

    #[test]
    fn only_an_entry_in_force_is_appealed_and_a_past_suspension_ends() {
        assert!(CreditState::InForce.can_appeal());
        for s in [
            CreditState::Appealed,
            CreditState::Upheld,
            CreditState::Overturned,
            CreditState::Ended,
        ] {
            assert!(!s.can_appeal(), "{s:?}");
        }
        assert_eq!(AppealDecision::Overturn.outcome(), CreditState::Overturned);
        assert!(!AppealDecision::Uphold.outcome().can_appeal());
        let running = entry(CreditKind::Suspension, CreditState::Appealed, 1, Some(30));
        let past = entry(CreditKind::Suspension, CreditState::Upheld, 31, Some(30));
        assert!(!running.due_to_end(NOW));
        assert!(past.due_to_end(NOW));
        for s in ["in_force", "appealed", "upheld", "overturned", "ended"] {
            assert_eq!(CreditState::parse(s).map(CreditState::as_str), Some(s));
        }
    }
}

//! 资质: a supplier's licences and certificates, and when one stops counting.

use crate::calendar::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QualificationKind {
    /// 营业执照
    BusinessLicence,
    /// 行业许可证 (e.g. medical devices, food)
    IndustryLicence,
    /// 质量管理体系认证等
    QualityCertificate,
    /// 授权书 (brand authorisation)
    Authorisation,
    Other,
}

impl QualificationKind {
    pub const ALL: [QualificationKind; 5] = [
        QualificationKind::BusinessLicence,
        QualificationKind::IndustryLicence,
        QualificationKind::QualityCertificate,
        QualificationKind::Authorisation,
        QualificationKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QualificationKind::BusinessLicence => "business_licence",
            QualificationKind::IndustryLicence => "industry_licence",
            QualificationKind::QualityCertificate => "quality_certificate",
            QualificationKind::Authorisation => "authorisation",
            QualificationKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<QualificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A qualification's description as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct QualificationInput {
    /// `business_licence`, `industry_licence`, `quality_certificate`, `authorisation`, `other`
    pub kind: String,
    /// The certificate's number.
    pub number: String,
    /// Who issued it.
    pub issuer: String,
    /// `YYYY-MM-DD`; empty for a document valid without limit (长期).
    #[serde(default)]
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualification {
    pub kind: QualificationKind,
    pub number: String,
    pub issuer: String,
    /// `None`: valid without limit.
    pub valid_until: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QualificationError {
    #[error("not a kind of qualification")]
    Kind,
    #[error("the number is 4 to 50 characters")]
    Number,
    #[error("the issuer is 2 to 60 characters")]
    Issuer,
    #[error("the date is YYYY-MM-DD")]
    Date,
    #[error("already expired")]
    Expired,
}

impl Qualification {
    /// Parses a description; a document that has already expired on `today` is refused.
    pub fn parse(
        input: &QualificationInput,
        today: Date,
    ) -> Result<Qualification, (&'static str, QualificationError)> {
        let kind = QualificationKind::parse(input.kind.trim())
            .ok_or(("kind", QualificationError::Kind))?;
        let number = input.number.trim().to_string();
        if !(4..=50).contains(&number.chars().count()) {
            return Err(("number", QualificationError::Number));
        }
        let issuer = input.issuer.trim().to_string();
        if !(2..=60).contains(&issuer.chars().count()) {
            return Err(("issuer", QualificationError::Issuer));
        }
        let valid_until = match input.valid_until.trim() {
            "" => None,
            s => Some(Date::parse(s).ok_or(("valid_until", QualificationError::Date))?),
        };
        if valid_until.is_some_and(|d| lapsed(d, today)) {
            return Err(("valid_until", QualificationError::Expired));
        }
        Ok(Qualification {
            kind,
            number,
            issuer,
            valid_until,
        })
    }
}

/// A document valid until a date counts through that whole day.
pub fn lapsed(valid_until: Date, today: Date) -> bool {
    valid_until < today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(valid_until: &str) -> QualificationInput {
        QualificationInput {
            kind: "business_licence".into(),
            number: "91310115MA1K3YJ12X".into(),
            issuer: "上海市市场监督管理局".into(),
            valid_until: valid_until.into(),
        }
    }

    #[test]
    fn parses_and_refuses_what_has_expired() {
        let today = Date::from_ymd(2026, 11, 22).unwrap();
        assert_eq!(
            Qualification::parse(&input(""), today).unwrap().valid_until,
            None
        );
        assert!(
            Qualification::parse(&input("2026-11-22"), today).is_ok(),
            "valid through today"
        );
        assert_eq!(
            Qualification::parse(&input("2026-11-21"), today).unwrap_err(),
            ("valid_until", QualificationError::Expired)
        );
        assert_eq!(
            Qualification::parse(&input("2026/12/01"), today)
                .unwrap_err()
                .0,
            "valid_until"
        );
        let bad = QualificationInput {
            kind: "diploma".into(),
            ..input("")
        };
        assert_eq!(Qualification::parse(&bad, today).unwrap_err().0, "kind");
    }

    #[test]
    fn lapses_the_day_after() {
        let d = Date::from_ymd(2026, 6, 30).unwrap();
        assert!(!lapsed(d, d));
        assert!(lapsed(d, d.next()));
    }
}

//! 供应商入驻: what a supplier's registration must say, parsed into valid values or a list
//! of precise per-field errors (every field is checked, so the form can show them all).

use crate::region::{RegionCode, RegionLevel};
use crate::uscc::{Uscc, UsccError};
use serde::{Deserialize, Serialize};

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyInput {
    pub company_name: String,
    /// 统一社会信用代码; case, spaces and full-width characters are normalised.
    pub uscc: String,
    pub legal_rep: String,
    pub contact: String,
    pub phone: String,
    pub email: String,
    /// GB/T 2260 city code where the company is registered.
    pub city: String,
    /// GB/T 2260 district code, in `city`.
    pub district: String,
    pub address: String,
    /// `large`, `medium`, `small` or `micro`.
    pub size: String,
    /// 中小企业声明: required for medium, small and micro enterprises.
    #[serde(default)]
    pub sme_declared: bool,
    pub bank_name: String,
    /// The company's settlement account (对公账户): 8–32 digits.
    pub bank_account: String,
    /// Must be the company's name.
    pub bank_account_name: String,
    /// City codes the supplier will serve (一地注册 区域通用).
    pub cities: Vec<String>,
}

crate::stored::stored_text! {
    pub enum EnterpriseSize {
        Large = "large",
        Medium = "medium",
        Small = "small",
        Micro = "micro",
    }
}

crate::stored::stored_text! {
    /// Where a supplier stands: in review until admitted (一地注册 区域通用), then admitted,
    /// suspended or revoked by its credit record.
    pub enum SupplierStatus {
        Pending = "pending",
        Admitted = "admitted",
        Suspended = "suspended",
        Revoked = "revoked",
    }
}

impl EnterpriseSize {
    pub fn is_sme(self) -> bool {
        self != EnterpriseSize::Large
    }
}

/// A registration whose every field is valid (where the regions exist is the database's
/// to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub name: String,
    pub uscc: Uscc,
    pub legal_rep: String,
    pub contact: String,
    pub phone: String,
    pub email: String,
    pub city: RegionCode,
    pub district: RegionCode,
    pub address: String,
    pub size: EnterpriseSize,
    pub sme_declared: bool,
    pub bank_name: String,
    pub bank_account: String,
    pub cities: Vec<RegionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("must be {min} to {max} characters")]
    Length { min: usize, max: usize },
    #[error("{0}")]
    Uscc(UsccError),
    #[error("not a mobile or landline number")]
    Phone,
    #[error("not an e-mail address")]
    Email,
    #[error("not a city code")]
    City,
    #[error("not a district of the registered city")]
    District,
    #[error("not an enterprise size")]
    Size,
    #[error("an SME must make the SME declaration")]
    SmeDeclaration,
    #[error("the account number is 8 to 32 digits")]
    BankAccount,
    #[error("the account must be in the company's name")]
    AccountName,
    #[error("choose at least one city")]
    Cities,
    #[error("3 to 32 lower-case letters, digits, '-' or '_'")]
    Username,
    #[error("at least 10 characters with letters and digits")]
    Password,
}

pub type FieldErrors = Vec<(&'static str, FieldError)>;

fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let v = value.trim().to_string();
    let n = v.chars().count();
    if n == 0 {
        errors.push((field, FieldError::Required));
    } else if n < min || n > max {
        errors.push((field, FieldError::Length { min, max }));
    }
    v
}

/// Mobile (11 digits from 13–19) or landline (area code 0xx(x), 7–8 digits, optional
/// extension), with spaces and dashes ignored.
pub fn valid_phone(phone: &str) -> bool {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let b = digits.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = b.first() == Some(&b'0') && (10..=16).contains(&b.len());
    mobile || landline
}

pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn city_code(s: &str) -> Option<RegionCode> {
    RegionCode::parse_at(s, RegionLevel::City).ok()
}

impl Company {
    pub fn parse(input: &CompanyInput) -> Result<Company, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(&mut errors, "company_name", &input.company_name, 2, 100);
        let uscc = match Uscc::parse(&input.uscc) {
            Ok(u) => Some(u),
            Err(e) => {
                errors.push(("uscc", FieldError::Uscc(e)));
                None
            }
        };
        let legal_rep = text(&mut errors, "legal_rep", &input.legal_rep, 2, 30);
        let contact = text(&mut errors, "contact", &input.contact, 2, 30);
        let phone = input.phone.trim().to_string();
        if phone.is_empty() {
            errors.push(("phone", FieldError::Required));
        } else if !valid_phone(&phone) {
            errors.push(("phone", FieldError::Phone));
        }
        let email = input.email.trim().to_ascii_lowercase();
        if email.is_empty() {
            errors.push(("email", FieldError::Required));
        } else if !valid_email(&email) {
            errors.push(("email", FieldError::Email));
        }
        let city = city_code(&input.city);
        if city.is_none() {
            errors.push(("city", FieldError::City));
        }
        let district = RegionCode::parse(input.district.trim())
            .ok()
            .filter(|d| d.level() == RegionLevel::District && Some(d.city()) == city);
        if district.is_none() {
            errors.push(("district", FieldError::District));
        }
        let address = text(&mut errors, "address", &input.address, 4, 200);
        let size = EnterpriseSize::parse(input.size.trim());
        match size {
            None => errors.push(("size", FieldError::Size)),
            Some(s) if s.is_sme() && !input.sme_declared => {
                errors.push(("sme_declared", FieldError::SmeDeclaration))
            }
            _ => {}
        }
        let bank_name = text(&mut errors, "bank_name", &input.bank_name, 4, 60);
        let bank_account: String = input
            .bank_account
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if bank_account.is_empty() {
            errors.push(("bank_account", FieldError::Required));
        } else if !(8..=32).contains(&bank_account.len())
            || !bank_account.chars().all(|c| c.is_ascii_digit())
        {
            errors.push(("bank_account", FieldError::BankAccount));
        }
        if input.bank_account_name.trim() != name {
            errors.push(("bank_account_name", FieldError::AccountName));
        }
        let mut cities: Vec<RegionCode> = Vec::new();
        for c in &input.cities {
            match city_code(c) {
                Some(code) if !cities.contains(&code) => cities.push(code),
                Some(_) => {}
                None => {
                    errors.push(("cities", FieldError::Cities));
                    break;
                }
            }
        }
        if input.cities.is_empty() {
            errors.push(("cities", FieldError::Cities));
        }
        match (errors.is_empty(), uscc, city, district, size) {
            (true, Some(uscc), Some(city), Some(district), Some(size)) => Ok(Company {
                name,
                uscc,
                legal_rep,
                contact,
                phone,
                email,
                city,
                district,
                address,
                size,
                sme_declared: input.sme_declared && size.is_sme(),
                bank_name,
                bank_account,
                cities,
            }),
            _ => Err(errors),
        }
    }
}

/// The owner's sign-in: a username and a password good enough for public money.
pub fn check_account(username: &str, password: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let u = username.trim();
    let username_ok = (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !username_ok {
        errors.push(("username", FieldError::Username));
    }
    let password_ok = (10..=128).contains(&password.chars().count())
        && password.chars().any(|c| c.is_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if !password_ok {
        errors.push(("password", FieldError::Password));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST17: &str = "91310115MA1K3YJ12";

    fn good_uscc() -> String {
        let check = crate::uscc::check_character(FIRST17.as_bytes()).unwrap();
        format!("{FIRST17}{check}")
    }

    fn valid() -> CompanyInput {
        CompanyInput {
            company_name: "上海市示例办公用品有限公司".into(),
            uscc: good_uscc().to_lowercase(),
            legal_rep: "王建国".into(),
            contact: "李敏".into(),
            phone: "138 1234 5678".into(),
            email: "Sales@Example.com.cn".into(),
            city: "310100".into(),
            district: "310115".into(),
            address: "浦东新区张江路 100 号".into(),
            size: "small".into(),
            sme_declared: true,
            bank_name: "中国工商银行上海张江支行".into(),
            bank_account: "1001 2345 6789 0123 456".into(),
            bank_account_name: "上海市示例办公用品有限公司".into(),
            cities: vec!["310100".into(), "330100".into(), "310100".into()],
        }
    }

    #[test]
    fn a_complete_registration_parses_and_normalises() {
        let c = Company::parse(&valid()).unwrap();
        assert_eq!(c.uscc.to_string(), good_uscc(), "upper-cased");
        assert_eq!(c.email, "sales@example.com.cn");
        assert_eq!(c.bank_account, "1001234567890123456");
        assert_eq!(c.cities.len(), 2, "duplicates dropped");
        assert!(c.sme_declared);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = CompanyInput {
            uscc: "91310115MA1K3YJ12".into(),
            phone: "12345".into(),
            email: "nobody".into(),
            district: "330102".into(),
            size: "small".into(),
            sme_declared: false,
            bank_account: "12ab".into(),
            bank_account_name: "别人".into(),
            cities: vec![],
            ..valid()
        };
        let errors = Company::parse(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "uscc",
                "phone",
                "email",
                "district",
                "sme_declared",
                "bank_account",
                "bank_account_name",
                "cities"
            ]
        );
        assert_eq!(errors[0].1, FieldError::Uscc(UsccError::Length(17)));
    }

    #[test]
    fn a_wrong_check_character_is_named() {
        let good = good_uscc();
        let wrong = if good.ends_with('0') { '1' } else { '0' };
        let input = CompanyInput {
            uscc: format!("{FIRST17}{wrong}"),
            ..valid()
        };
        let errors = Company::parse(&input).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            matches!(errors[0].1, FieldError::Uscc(UsccError::CheckCharacter { found, .. }) if found == wrong)
        );
    }

    #[test]
    fn phones_emails_and_accounts() {
        for ok in ["13812345678", "021-6888 8888", "0571-87654321-123"] {
            assert!(valid_phone(ok), "{ok}");
        }
        for bad in ["12812345678", "1381234567", "6888888", "abc"] {
            assert!(!valid_phone(bad), "{bad}");
        }
        assert!(valid_email("a.b@gov.cn"));
        for bad in ["a@b", "@x.cn", "a b@x.cn", "a@.cn"] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert!(check_account("acme-sales", "Secret2026x").is_empty());
        assert_eq!(check_account("A", "short1").len(), 2);
        assert_eq!(check_account("acme", "onlyletterspass")[0].0, "password");
        let long = format!("Secret2026{}", "x".repeat(119));
        assert_eq!(
            check_account("acme", &long)[0].0,
            "password",
            "a password has at most 128 characters"
        );
    }

    #[test]
    fn large_enterprises_need_no_sme_declaration() {
        let input = CompanyInput {
            size: "large".into(),
            sme_declared: false,
            ..valid()
        };
        let c = Company::parse(&input).unwrap();
        assert_eq!(c.size, EnterpriseSize::Large);
        assert!(!c.sme_declared);
    }
}

//! Codes of the government procurement catalogue (政府采购品目分类目录): `A` goods, `B` works,
//! `C` services, then two digits per level (`A02` → `A0201` → `A020101` → `A02010104`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most levels below the root a code may name (`A` plus up to 14 digits).
const MAX_DIGITS: usize = 14;

/// A catalogue code, upper-case, its root letter and whole two-digit levels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "A02010104"))]
pub struct CategoryCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a procurement catalogue code (A, B or C and two digits a level): {0:?}")]
pub struct CategoryError(pub String);

impl CategoryCode {
    /// Reads a code; surrounding space and lower case are forgiven.
    pub fn parse(s: &str) -> Result<CategoryCode, CategoryError> {
        let code = s.trim().to_ascii_uppercase();
        let mut chars = code.chars();
        let root = chars.next();
        let digits = chars.as_str();
        let ok = matches!(root, Some('A' | 'B' | 'C'))
            && digits.len() <= MAX_DIGITS
            && digits.len().is_multiple_of(2)
            && digits.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(CategoryCode(code))
        } else {
            Err(CategoryError(s.trim().to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The category one level up; the root (`A`) has none.
    pub fn parent(&self) -> Option<CategoryCode> {
        (self.0.len() > 1).then(|| CategoryCode(self.0[..self.0.len() - 2].to_string()))
    }

    /// Whether this code is `ancestor` or lies below it.
    pub fn is_within(&self, ancestor: &CategoryCode) -> bool {
        self.0.starts_with(&ancestor.0)
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CategoryCode {
    type Error = CategoryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CategoryCode::parse(&s)
    }
}

impl From<CategoryCode> for String {
    fn from(c: CategoryCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_ancestors() {
        let paper = CategoryCode::parse(" a02010104 ").unwrap();
        assert_eq!(paper.as_str(), "A02010104");
        let parent = paper.parent().unwrap();
        assert_eq!(parent.as_str(), "A020101");
        assert!(paper.is_within(&parent));
        assert!(!parent.is_within(&paper));
        assert!(paper.is_within(&CategoryCode::parse("A").unwrap()));
        assert!(!paper.is_within(&CategoryCode::parse("C").unwrap()));
        assert_eq!(CategoryCode::parse("A").unwrap().parent(), None);
    }

    #[test]
    fn refuses_malformed() {
        for s in [
            "",
            "D02",
            "A0",
            "A020",
            "AA02",
            "A02x1",
            "A0201010401020304",
            "'A02",
        ] {
            assert!(CategoryCode::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn reads_and_writes_json_as_text() {
        let c: CategoryCode = serde_json::from_str("\"C1601\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"C1601\"");
        assert!(serde_json::from_str::<CategoryCode>("\"X1\"").is_err());
    }
}

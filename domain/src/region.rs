//! GB/T 2260 administrative division codes (行政区划代码).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A six-digit division code: `310000` province, `310100` city, `310115` district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "310100"))]
pub struct RegionCode(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    Province,
    City,
    District,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a six-digit administrative division code: {0:?}")]
pub struct RegionError(pub String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<RegionCode, RegionError> {
        let s = s.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
            return Err(RegionError(s.to_string()));
        }
        Ok(RegionCode(
            s.parse().map_err(|_| RegionError(s.to_string()))?,
        ))
    }

    /// A code of exactly `level` (a city where a city is asked for, not its province).
    pub fn parse_at(s: &str, level: RegionLevel) -> Result<RegionCode, RegionError> {
        RegionCode::parse(s)
            .ok()
            .filter(|r| r.level() == level)
            .ok_or_else(|| RegionError(s.trim().to_string()))
    }

    pub fn level(self) -> RegionLevel {
        if self.0.is_multiple_of(10_000) {
            RegionLevel::Province
        } else if self.0.is_multiple_of(100) {
            RegionLevel::City
        } else {
            RegionLevel::District
        }
    }

    /// The city a district belongs to (a city is its own city).
    pub fn city(self) -> RegionCode {
        RegionCode(self.0 / 100 * 100)
    }

    pub fn province(self) -> RegionCode {
        RegionCode(self.0 / 10_000 * 10_000)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_parents() {
        let pudong = RegionCode::parse("310115").unwrap();
        assert_eq!(pudong.level(), RegionLevel::District);
        assert_eq!(pudong.city().to_string(), "310100");
        assert_eq!(pudong.province().to_string(), "310000");
        assert_eq!(pudong.city().level(), RegionLevel::City);
        assert_eq!(pudong.province().level(), RegionLevel::Province);
    }

    #[test]
    fn refuses_malformed() {
        for s in ["31011", "3101150", "31a115", "", "010100"] {
            assert!(RegionCode::parse(s).is_err(), "{s:?}");
        }
        assert!(RegionCode::parse_at("310000", RegionLevel::City).is_err());
        assert!(RegionCode::parse_at("310115", RegionLevel::City).is_err());
        assert!(RegionCode::parse_at(" 310100", RegionLevel::City).is_ok());
    }
}

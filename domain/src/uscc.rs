//! 统一社会信用代码 (unified social credit code), GB 32100-2015.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The 31 characters the standard allows (no I, O, S, V, Z), in value order.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17 for the check character (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A USCC whose length, charset, division code and check character are valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {position} ({found:?}) is not allowed: use digits and capital letters except I, O, S, V, Z")]
    Charset { position: usize, found: char },
    #[error("characters 3-8 must be the 6-digit administrative division code")]
    Division,
    #[error("check character is wrong: expected {expected}, found {found}")]
    CheckCharacter { expected: char, found: char },
}

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters (which must be in the charset).
pub fn check_character(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

impl Uscc {
    /// Normalises case, spaces and full-width characters, then validates.
    pub fn parse(input: &str) -> Result<Uscc, UsccError> {
        let normalised: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c {
                // Full-width ASCII (as typed with a Chinese IME) to half-width.
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let count = normalised.chars().count();
        if count != 18 {
            return Err(UsccError::Length(count));
        }
        let bytes = normalised.as_bytes();
        for (i, c) in normalised.chars().enumerate() {
            if !c.is_ascii() || value_of(c as u8).is_none() {
                return Err(UsccError::Charset {
                    position: i + 1,
                    found: c,
                });
            }
        }
        if !bytes[2..8].iter().all(u8::is_ascii_digit) {
            return Err(UsccError::Division);
        }
        let expected = check_character(&bytes[..17]).expect("charset checked above");
        let found = bytes[17] as char;
        if expected != found {
            return Err(UsccError::CheckCharacter { expected, found });
        }
        Ok(Uscc(normalised))
    }

    /// Builds a valid code from 17 characters by appending the check character
    /// (used to make synthetic suppliers and units).
    pub fn with_check(first17: &str) -> Result<Uscc, UsccError> {
        let bytes = first17.as_bytes();
        let check = check_character(bytes).ok_or(UsccError::Length(first17.len() + 1))?;
        Uscc::parse(&format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative division of registration.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_codes() {
        // Codes printed on public business licences.
        for code in [
            "91350100M000100Y43",
            "91110108551385082Q",
            "91440300708461136T",
        ] {
            assert!(Uscc::parse(code).is_ok(), "{code} should be valid");
        }
    }

    #[test]
    fn normalises_case_spaces_and_full_width() {
        let u = Uscc::parse(" 91350100m000100y43 ").unwrap();
        assert_eq!(u.as_str(), "91350100M000100Y43");
        let u = Uscc::parse("９１３５０１００Ｍ０００１００Ｙ４３").unwrap();
        assert_eq!(u.as_str(), "91350100M000100Y43");
        assert_eq!(u.division(), "350100");
    }

    #[test]
    fn reports_precise_errors() {
        assert_eq!(Uscc::parse("9135010"), Err(UsccError::Length(7)));
        assert_eq!(
            Uscc::parse("91350100M000100Y44"),
            Err(UsccError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
        assert_eq!(
            Uscc::parse("91350100M0001O0Y43"),
            Err(UsccError::Charset {
                position: 14,
                found: 'O'
            })
        );
        assert_eq!(Uscc::parse("913501A0M000100Y43"), Err(UsccError::Division));
    }

    #[test]
    fn with_check_makes_valid_codes() {
        let u = Uscc::with_check("91310115MA1K00001").unwrap();
        assert!(Uscc::parse(u.as_str()).is_ok());
    }
}

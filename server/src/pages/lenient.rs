//! A page's query string, read as a person's browser sends it: a parameter that does not
//! parse (the empty number of a plain form's "all" choice, a word where a number goes) is
//! left out and named, so a page never fails on its own filter.

use axum::extract::FromRequestParts;
use http::request::Parts;
use serde::de::DeserializeOwned;
use std::convert::Infallible;

/// The parameters that parsed, and the names of those that did not and were not empty.
#[derive(Debug)]
pub struct Lenient<T> {
    pub value: T,
    /// Parameters left out because their value could not be read (empty ones are not named:
    /// an empty field of a form means "any").
    pub ignored: Vec<String>,
}

impl<T, S> FromRequestParts<S> for Lenient<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(read(parts.uri.query().unwrap_or_default()))
    }
}

/// Reads `query`, leaving out one unreadable parameter at a time.
pub fn read<T: DeserializeOwned + Default>(query: &str) -> Lenient<T> {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let mut ignored = Vec::new();
    loop {
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let parsed = serde_path_to_error::deserialize::<_, T>(serde_urlencoded::Deserializer::new(
            form_urlencoded::parse(encoded.as_bytes()),
        ));
        let field = match parsed {
            Ok(value) => return Lenient { value, ignored },
            Err(e) => e.path().to_string(),
        };
        let before = pairs.len();
        let mut named = false;
        pairs.retain(|(k, v)| {
            let hit = *k == field;
            named |= hit && !v.trim().is_empty();
            !hit
        });
        if named {
            ignored.push(field);
        }
        if pairs.len() == before {
            // Not one parameter's fault (a repeated one, say): nothing of it is used.
            return Lenient {
                value: T::default(),
                ignored,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read;

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    #[serde(default)]
    struct Filter {
        city: String,
        unit: Option<i64>,
        year: Option<i64>,
    }

    #[test]
    fn an_empty_number_means_any_and_a_bad_one_is_named() {
        let r = read::<Filter>("city=310100&unit=&year=2026");
        assert_eq!(
            r.value,
            Filter {
                city: "310100".into(),
                unit: None,
                year: Some(2026)
            }
        );
        assert!(r.ignored.is_empty());
        let r = read::<Filter>("unit=abc&year=x&city=%E4%B8%8A");
        assert_eq!(r.value.city, "上");
        assert_eq!((r.value.unit, r.value.year), (None, None));
        assert_eq!(r.ignored, ["unit", "year"]);
        assert_eq!(read::<Filter>("").value, Filter::default());
    }
}

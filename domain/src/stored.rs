//! The one mapping between a state kept as text in the database (and sent as text in JSON)
//! and its enum.

/// `stored_text! { pub enum Name { Variant = "text", … } }`: the enum (serde in the same
/// snake_case text), its `as_str`, `parse` and `ALL`.
macro_rules! stored_text {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored and sent for this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_text;

#[cfg(test)]
mod tests {
    use crate::credit::{CreditKind, CreditState};
    use crate::listing::OfferStatus;
    use crate::registration::{EnterpriseSize, SupplierStatus};

    fn round_trips<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        for &v in all {
            assert_eq!(parse(as_str(v)), Some(v));
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", as_str(v)),
                "JSON and the database say the same text"
            );
        }
        assert_eq!(parse("nonsense"), None);
    }

    #[test]
    fn every_stored_state_reads_back_as_itself() {
        round_trips(OfferStatus::ALL, OfferStatus::as_str, OfferStatus::parse);
        round_trips(
            SupplierStatus::ALL,
            SupplierStatus::as_str,
            SupplierStatus::parse,
        );
        round_trips(CreditKind::ALL, CreditKind::as_str, CreditKind::parse);
        round_trips(CreditState::ALL, CreditState::as_str, CreditState::parse);
        round_trips(
            EnterpriseSize::ALL,
            EnterpriseSize::as_str,
            EnterpriseSize::parse,
        );
    }
}

//! 预警: the red flags the finance bureau's monitoring raises over the mall's own records.
//! Each rule is a pure function from plain facts (loaded by the server) to [`Finding`]s. A
//! finding is a reason to look, not a verdict: the regulator triages it.
//!
//! | kind                     | fires when                                                                 | key                                      |
//! |--------------------------|----------------------------------------------------------------------------|------------------------------------------|
//! | `split_purchase`         | one unit, one category, orders within `split_window_days` of the first, each under the cap, together over it | `split_purchase:u{unit}:{category}:o{first order}` |
//! | `bunching`               | at least `bunching_min_orders` orders of a unit in `[threshold × (1 − band), threshold)` in the last `bunching_window_days` | `bunching:u{unit}:{threshold name}` |
//! | `above_reference`        | an offer priced above its product's reference price                        | `above_reference:f{offer}`               |
//! | `repeated_price_changes` | more than `price_changes_max` changes of one offer in the last `price_change_window_days` | `repeated_price_changes:f{offer}` |
//! | `raise_after_pool`       | an offer of a pooled product raised within `raise_after_pool_days` after the pool closed | `raise_after_pool:f{offer}:p{pool}` |
//! | `dominant_supplier`      | one supplier has at least `dominant_share_bp` of a unit's spend in a category, over at least `dominant_min_orders` orders in the last `dominant_window_days` | `dominant_supplier:u{unit}:{category}:s{supplier}` |
//! | `shared_contacts`        | suppliers share a phone, e-mail, bank account or address (OCP Cardinal R044) | `shared_contacts:{field}:s{lowest supplier}` |
//! | `late_confirmation`      | an order confirmed after its deadline, or not confirmed and the deadline passed | `late_confirmation:o{order}`       |
//! | `late_payment`           | a unit paid more than `late_payment_days` after acceptance, or has not paid and that time passed | `late_payment:o{order}`   |
//!
//! # Keys
//!
//! A key names the finding, not the scan: the same facts give the same key, so the store
//! upserts by it and a finding keeps its triage while its evidence grows. Every rule returns
//! its findings sorted by key, one per key.
//!
//! # Time and money
//!
//! Time is unix seconds, passed in as `now`. "The last N days" is `[now − N × DAY, now]` and
//! "within N days of t" is `[t, t + N × DAY]`, both ends included. Money is integer fen; sums
//! are taken in `i128` and capped at `i64::MAX` fen, so no input makes a rule panic. Shares
//! are basis points (1 bp = 0.01 %), compared exactly (`part × 10 000 ≥ bp × whole`) and
//! reported rounded down. Orders of zero or negative total carry no spend and are ignored.

use crate::category::CategoryCode;
use crate::money::Fen;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

pub const DAY: i64 = 86_400;

/// Basis points in a whole.
const WHOLE_BP: i128 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// 化整为零: one purchase split into orders under the cap.
    SplitPurchase,
    /// Orders piling up just under a threshold.
    Bunching,
    /// An offer above the reference price.
    AboveReference,
    /// An offer's price changed again and again.
    RepeatedPriceChanges,
    /// A price raised soon after a joint purchase fixed the city price.
    RaiseAfterPool,
    /// One supplier takes nearly all of a unit's spend in a category.
    DominantSupplier,
    /// Suppliers that look like one company (串标 risk).
    SharedContacts,
    LateConfirmation,
    LatePayment,
}

impl RuleKind {
    pub const ALL: [RuleKind; 9] = [
        RuleKind::SplitPurchase,
        RuleKind::Bunching,
        RuleKind::AboveReference,
        RuleKind::RepeatedPriceChanges,
        RuleKind::RaiseAfterPool,
        RuleKind::DominantSupplier,
        RuleKind::SharedContacts,
        RuleKind::LateConfirmation,
        RuleKind::LatePayment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::SplitPurchase => "split_purchase",
            RuleKind::Bunching => "bunching",
            RuleKind::AboveReference => "above_reference",
            RuleKind::RepeatedPriceChanges => "repeated_price_changes",
            RuleKind::RaiseAfterPool => "raise_after_pool",
            RuleKind::DominantSupplier => "dominant_supplier",
            RuleKind::SharedContacts => "shared_contacts",
            RuleKind::LateConfirmation => "late_confirmation",
            RuleKind::LatePayment => "late_payment",
        }
    }

    pub fn parse(s: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Thresholds, all configurable; `Default` gives the bureau's values. A configuration that
/// leaves a field out gets its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Thresholds {
    pub split_window_days: i64,
    /// The e-mall's cap on one order.
    pub order_cap: Fen,
    /// An order within this share below a threshold is "just under" it.
    pub bunching_band_bp: i64,
    pub bunching_min_orders: usize,
    pub bunching_window_days: i64,
    pub price_change_window_days: i64,
    /// More changes than this in the window fires.
    pub price_changes_max: usize,
    pub raise_after_pool_days: i64,
    pub dominant_share_bp: i64,
    pub dominant_min_orders: usize,
    pub dominant_window_days: i64,
    /// Days after acceptance a unit has to pay.
    pub late_payment_days: i64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            split_window_days: 30,
            order_cap: Fen::from_yuan(200_000),
            bunching_band_bp: 1_000,
            bunching_min_orders: 3,
            bunching_window_days: 90,
            price_change_window_days: 90,
            price_changes_max: 2,
            raise_after_pool_days: 30,
            dominant_share_bp: 8_000,
            dominant_min_orders: 5,
            dominant_window_days: 365,
            late_payment_days: 30,
        }
    }
}

/// What every rule returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: RuleKind,
    /// Stable and deterministic: the same facts give the same key (see the module doc).
    pub key: String,
    pub unit_id: Option<i64>,
    pub supplier_id: Option<i64>,
    pub category: Option<String>,
    /// Evidence, sorted ascending, deduplicated.
    pub orders: Vec<i64>,
    pub offers: Vec<i64>,
    pub suppliers: Vec<i64>,
    /// The money at stake, when there is one (sum of orders, etc.).
    pub amount: Option<Fen>,
    /// Machine-readable measures for the UI, e.g. `("share_bp", 8500)`.
    pub measure: Vec<(String, i64)>,
    /// `shared_contacts` only: `phone`, `email`, `bank_account` or `address`.
    pub field: Option<String>,
}

/// One order's amount in one category (an order across categories is one fact per category).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFact {
    pub id: i64,
    pub unit_id: i64,
    pub supplier_id: i64,
    pub category: CategoryCode,
    pub total: Fen,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChange {
    pub offer_id: i64,
    pub supplier_id: i64,
    pub product_id: i64,
    pub old_price: Fen,
    pub new_price: Fen,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFact {
    pub offer_id: i64,
    pub supplier_id: i64,
    pub product_id: i64,
    pub price: Fen,
    /// The product's reference price; not positive means none is known.
    pub reference: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolClose {
    pub pool_id: i64,
    pub product_id: i64,
    pub closed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierContact {
    pub supplier_id: i64,
    pub phone: String,
    pub email: String,
    pub bank_account: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmFact {
    pub order_id: i64,
    pub unit_id: i64,
    pub supplier_id: i64,
    pub confirm_by: i64,
    pub confirmed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFact {
    pub order_id: i64,
    pub unit_id: i64,
    pub supplier_id: i64,
    pub total: Fen,
    pub accepted_at: i64,
    pub paid_at: Option<i64>,
}

mod rules;
#[cfg(test)]
use rules::measures;
pub use rules::*;

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    /// `(unit, supplier, category, yuan, days ago)`
    type Spec<'a> = (i64, i64, &'a str, i64, i64);

    /// Order ids count from 1.
    fn facts(spec: &[Spec]) -> Vec<OrderFact> {
        let fact = |(&(unit_id, supplier_id, category, y, ago), id)| OrderFact {
            id,
            unit_id,
            supplier_id,
            category: CategoryCode::parse(category).unwrap(),
            total: Fen::from_yuan(y),
            created_at: NOW - ago * DAY,
        };
        spec.iter().zip(1..).map(fact).collect()
    }

    /// `(offer, product, old fen, new fen, at)`
    fn changes(spec: &[(i64, i64, i64, i64, i64)]) -> Vec<PriceChange> {
        let change = |&(offer_id, product_id, old, new, at)| PriceChange {
            offer_id,
            supplier_id: 9,
            product_id,
            old_price: Fen(old),
            new_price: Fen(new),
            at,
        };
        spec.iter().map(change).collect()
    }

    /// The one key a case expects, or none.
    fn expect(fires: bool, key: &str) -> Vec<&str> {
        if fires {
            vec![key]
        } else {
            vec![]
        }
    }

    fn keys(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.key.as_str()).collect()
    }

    fn measure(f: &Finding, name: &str) -> Option<i64> {
        f.measure.iter().find(|(k, _)| k == name).map(|&(_, v)| v)
    }

    #[test]
    fn rule_kinds_round_trip() {
        for k in RuleKind::ALL {
            assert_eq!(RuleKind::parse(k.as_str()), Some(k), "{k:?}");
        }
        assert_eq!(RuleKind::parse("SplitPurchase"), None);
        let d = Thresholds::default();
        assert_eq!((d.order_cap, d.dominant_share_bp), (Fen(20_000_000), 8_000));
    }

    #[test]
    fn split_purchases_fire_on_clusters_under_the_cap_that_sum_over_it() {
        // (unit, category, thousand yuan, days ago)
        let o = |unit, cat, k: i64, ago| (unit, 1, cat, k * 1_000, ago);
        let cases: [(&str, &[Spec], &[&str]); 8] = [
            (
                "three orders of 80k in 20 days",
                &[o(1, "A", 80, 20), o(1, "A", 80, 10), o(1, "A", 80, 0)],
                &["split_purchase:u1:A:o1"],
            ),
            (
                "orders exactly 30 days apart",
                &[o(1, "A", 150, 30), o(1, "A", 150, 0)],
                &["split_purchase:u1:A:o1"],
            ),
            (
                "greedy: two clusters, not a third across them",
                &[
                    o(1, "A", 120, 60),
                    o(1, "A", 120, 40),
                    o(1, "A", 120, 20),
                    o(1, "A", 120, 0),
                ],
                &["split_purchase:u1:A:o1", "split_purchase:u1:A:o3"],
            ),
            (
                "together under the cap",
                &[o(1, "A", 80, 20), o(1, "A", 80, 0)],
                &[],
            ),
            (
                "two categories",
                &[o(1, "A", 150, 2), o(1, "B", 150, 1)],
                &[],
            ),
            ("two units", &[o(1, "A", 150, 2), o(2, "A", 150, 1)], &[]),
            (
                "31 days apart",
                &[o(1, "A", 150, 31), o(1, "A", 150, 0)],
                &[],
            ),
            (
                "an order at the cap is none",
                &[o(1, "A", 200, 2), o(1, "A", 10, 1)],
                &[],
            ),
        ];
        let t = Thresholds::default();
        for (name, spec, expected) in cases {
            assert_eq!(keys(&split_purchases(&facts(spec), &t)), expected, "{name}");
        }
        let mut orders = facts(&[(1, 6, "A", 60_000, 1), (1, 5, "A", 150_000, 3)]);
        orders.reverse();
        let f = &split_purchases(&orders, &t)[0];
        assert_eq!(f.key, "split_purchase:u1:A:o2", "keyed by the earliest");
        assert_eq!((&f.orders, &f.suppliers), (&vec![1, 2], &vec![5, 6]));
        assert_eq!((f.amount, f.supplier_id), (Some(Fen(21_000_000)), None));
    }

    #[test]
    fn bunching_fires_on_orders_piling_up_just_under_a_threshold() {
        // (unit, yuan, days ago)
        let o = |unit, y, ago| (unit, 5, "A", y, ago);
        let cases: [(&str, &[Spec], &[&str]); 9] = [
            (
                "three just under the cap",
                &[o(1, 190_000, 50), o(1, 195_000, 20), o(1, 185_000, 1)],
                &["bunching:u1:cap"],
            ),
            (
                "the band's lower edge counts",
                &[o(1, 180_000, 3), o(1, 180_000, 2), o(1, 180_000, 1)],
                &["bunching:u1:cap"],
            ),
            (
                "three just under the approval threshold",
                &[o(1, 46_000, 3), o(1, 49_999, 2), o(1, 45_000, 1)],
                &["bunching:u1:approval"],
            ),
            (
                "grouped by unit",
                &[
                    o(1, 190_000, 3),
                    o(1, 190_000, 2),
                    o(1, 190_000, 1),
                    o(2, 190_000, 3),
                    o(2, 190_000, 2),
                    o(2, 190_000, 1),
                ],
                &["bunching:u1:cap", "bunching:u2:cap"],
            ),
            ("only two", &[o(1, 190_000, 2), o(1, 190_000, 1)], &[]),
            (
                "one below the band",
                &[o(1, 190_000, 3), o(1, 190_000, 2), o(1, 179_999, 1)],
                &[],
            ),
            (
                "at the threshold is not under it",
                &[o(1, 190_000, 3), o(1, 190_000, 2), o(1, 200_000, 1)],
                &[],
            ),
            (
                "one outside the window",
                &[o(1, 190_000, 91), o(1, 190_000, 2), o(1, 190_000, 1)],
                &[],
            ),
            (
                "two in each of two units",
                &[
                    o(1, 190_000, 3),
                    o(1, 190_000, 2),
                    o(2, 190_000, 2),
                    o(2, 190_000, 1),
                ],
                &[],
            ),
        ];
        let t = Thresholds::default();
        let limits = [("cap", t.order_cap), ("approval", Fen::from_yuan(50_000))];
        for (name, spec, expected) in cases {
            assert_eq!(
                keys(&bunching(&facts(spec), &limits, NOW, &t)),
                expected,
                "{name}"
            );
        }
        // Order 3 spans two categories: one order of 190k.
        let mut orders = facts(&[o(1, 190_000, 3), o(1, 190_000, 2), o(1, 100_000, 1)]);
        let (category, total) = (CategoryCode::parse("B").unwrap(), Fen::from_yuan(90_000));
        orders.push(OrderFact {
            category,
            total,
            ..orders[2].clone()
        });
        let found = bunching(&orders, &limits, NOW, &t);
        assert_eq!(
            keys(&found),
            ["bunching:u1:cap"],
            "the facts of one order add up"
        );
        assert_eq!(
            found[0].measure,
            measures([("threshold", 20_000_000), ("count", 3)])
        );
        assert_eq!(found[0].amount, Some(Fen::from_yuan(570_000)));
        let none = [("approval", Fen::ZERO)];
        assert_eq!(
            bunching(&orders, &none, NOW, &t),
            [],
            "no threshold, no bunching"
        );
    }

    #[test]
    fn above_reference_fires_on_offers_over_the_reference_price() {
        let cases = [
            ("10 % over", 11_000, 10_000, Some(1_000)),
            ("one fen over", 10_001, 10_000, Some(1)),
            ("at the reference", 10_000, 10_000, None),
            ("below it", 9_000, 10_000, None),
            ("no reference known", 9_000, 0, None),
        ];
        for (name, price, reference, over_bp) in cases {
            let (price, reference) = (Fen(price), Fen(reference));
            let offer = OfferFact {
                offer_id: 4,
                supplier_id: 9,
                product_id: 1,
                price,
                reference,
            };
            let found = above_reference(&[offer]);
            assert_eq!(
                found.first().and_then(|f| measure(f, "over_bp")),
                over_bp,
                "{name}"
            );
            if let Some(f) = found.first() {
                assert_eq!(
                    (f.key.as_str(), f.amount),
                    ("above_reference:f4", Some(Fen(price.0 - reference.0)))
                );
            }
        }
    }

    #[test]
    fn repeated_price_changes_fire_past_the_maximum_in_the_window() {
        let d = |days_ago: i64| NOW - days_ago * DAY;
        let cases = [
            (
                "three changes",
                [
                    (4, 1, 100, 110, d(80)),
                    (4, 1, 110, 105, d(40)),
                    (4, 1, 105, 120, d(1)),
                ],
                true,
            ),
            (
                "one outside the window",
                [
                    (4, 1, 100, 110, d(91)),
                    (4, 1, 110, 105, d(40)),
                    (4, 1, 105, 120, d(1)),
                ],
                false,
            ),
            (
                "one to the same price",
                [
                    (4, 1, 100, 110, d(80)),
                    (4, 1, 110, 110, d(40)),
                    (4, 1, 110, 120, d(1)),
                ],
                false,
            ),
            (
                "three offers",
                [
                    (4, 1, 100, 110, d(80)),
                    (5, 1, 110, 105, d(40)),
                    (6, 1, 105, 120, d(1)),
                ],
                false,
            ),
        ];
        let t = Thresholds::default();
        for (name, spec, fires) in cases {
            let found = repeated_price_changes(&changes(&spec), NOW, &t);
            let expected = expect(fires, "repeated_price_changes:f4");
            assert_eq!(keys(&found), expected, "{name}");
            assert!(
                found.iter().all(|f| measure(f, "changes") == Some(3)),
                "{name}"
            );
            assert!(
                repeated_price_changes(&changes(&spec[1..]), NOW, &t).is_empty(),
                "{name}: two"
            );
        }
    }

    #[test]
    fn raise_after_pool_fires_on_raises_soon_after_closing() {
        let closed = NOW - 40 * DAY;
        let cases = [
            (
                "raised 10 days after",
                (4, 1, 10_000, 11_500, closed + 10 * DAY),
                true,
            ),
            ("raised at the close", (4, 1, 10_000, 10_100, closed), true),
            (
                "raised on the 30th day",
                (4, 1, 10_000, 10_100, closed + 30 * DAY),
                true,
            ),
            ("lowered", (4, 1, 10_000, 9_000, closed + DAY), false),
            (
                "raised before the close",
                (4, 1, 10_000, 11_000, closed - 1),
                false,
            ),
            (
                "raised after 30 days",
                (4, 1, 10_000, 11_000, closed + 30 * DAY + 1),
                false,
            ),
            (
                "another product",
                (4, 3, 10_000, 11_000, closed + DAY),
                false,
            ),
        ];
        let t = Thresholds::default();
        let pools = [PoolClose {
            pool_id: 2,
            product_id: 1,
            closed_at: closed,
        }];
        for (name, change, fires) in cases {
            let found = raise_after_pool(&changes(&[change]), &pools, &t);
            let expected = expect(fires, "raise_after_pool:f4:p2");
            assert_eq!(keys(&found), expected, "{name}");
        }
        let two = changes(&[
            (4, 1, 10_000, 10_500, closed + DAY),
            (4, 1, 10_500, 12_600, closed + 2 * DAY),
        ]);
        let f = &raise_after_pool(&two, &pools, &t)[0];
        assert_eq!(
            (measure(f, "raise_bp"), measure(f, "raises")),
            (Some(2_000), Some(2)),
            "the largest raise"
        );
    }

    #[test]
    fn dominant_supplier_fires_on_one_supplier_taking_the_spend() {
        // Supplier 7: four orders of 100; supplier 8: one order of `other`.
        let five = |other: i64| {
            facts(&[
                (1, 7, "A", 100, 300),
                (1, 7, "A", 100, 200),
                (1, 7, "A", 100, 100),
                (1, 7, "A", 100, 1),
                (1, 8, "A", other, 1),
            ])
        };
        let tweak = |change: fn(&mut Vec<OrderFact>)| {
            let mut v = five(20);
            change(&mut v);
            v
        };
        let cases: [(&str, Vec<OrderFact>, bool); 7] = [
            ("400 of 420", five(20), true),
            ("exactly 80 %", five(100), true),
            ("one supplier only", tweak(|v| v[4].supplier_id = 7), true),
            ("400 of 501", five(101), false),
            ("four orders", tweak(|v| v.truncate(4)), false),
            (
                "one order older than a year",
                tweak(|v| v[0].created_at = NOW - 366 * DAY),
                false,
            ),
            (
                "five orders in two categories",
                tweak(|v| v[0].category = CategoryCode::parse("B").unwrap()),
                false,
            ),
        ];
        let t = Thresholds::default();
        for (name, orders, fires) in cases {
            let expected = expect(fires, "dominant_supplier:u1:A:s7");
            assert_eq!(
                keys(&dominant_supplier(&orders, NOW, &t)),
                expected,
                "{name}"
            );
        }
        let f = &dominant_supplier(&five(20), NOW, &t)[0];
        assert_eq!(measure(f, "share_bp"), Some(9_523), "rounded down");
        assert_eq!((&f.orders, &f.suppliers), (&vec![1, 2, 3, 4], &vec![7, 8]));
        assert_eq!(f.amount, Some(Fen::from_yuan(400)));
    }

    #[test]
    fn shared_contacts_fire_on_the_same_normalised_value() {
        let cases = [
            ("phone", "+86 138-0013-8000", "13800138000", true),
            ("phone", "+86 10 8888 6666", "010-88886666", true),
            ("phone", "１３８００１３８０００", "0086 13800138000", true),
            ("email", " Sales@Example.com ", "sales@example.com", true),
            ("bank_account", "6222 0200 1234", "6222-0200-1234", true),
            (
                "address",
                "北京市 海淀区　中关村大街１号Ａ座",
                "北京市海淀区中关村大街1号a座",
                true,
            ),
            ("phone", "13800138000", "13800138001", false),
            ("phone", "8612 3456", "12 3456", false),
            ("phone", " ", "-", false),
            ("email", "无", "无", false),
            ("bank_account", "", "", false),
            ("address", "甲", "乙", false),
        ];
        let contact = |supplier_id, field: &str, value: &str| {
            let v = |f: &str| {
                if f == field {
                    value.to_string()
                } else {
                    String::new()
                }
            };
            SupplierContact {
                supplier_id,
                phone: v("phone"),
                email: v("email"),
                bank_account: v("bank_account"),
                address: v("address"),
            }
        };
        for (field, a, b, fires) in cases {
            let found = shared_contacts(&[contact(3, field, a), contact(1, field, b)]);
            let key = format!("shared_contacts:{field}:s1");
            let expected = expect(fires, &key);
            assert_eq!(keys(&found), expected, "{field} {a:?} {b:?}");
            assert!(
                shared_contacts(&[contact(1, field, a), contact(1, field, a)]).is_empty(),
                "one supplier"
            );
        }
        let phones = ["13800138000", "13800138000", "+8613800138000"];
        let three: Vec<_> = [5, 2, 9]
            .into_iter()
            .zip(phones)
            .map(|(id, p)| contact(id, "phone", p))
            .collect();
        let f = &shared_contacts(&three)[0];
        assert_eq!(
            (&f.suppliers, f.supplier_id, f.field.as_deref()),
            (&vec![2, 5, 9], Some(2), Some("phone"))
        );
    }

    #[test]
    fn late_confirmation_fires_after_the_deadline() {
        let cases = [
            (
                "confirmed an hour late",
                NOW - 7_200,
                Some(NOW - 3_600),
                Some(3_600),
            ),
            ("not confirmed, deadline passed", NOW - 60, None, Some(60)),
            ("confirmed at the deadline", NOW - 60, Some(NOW - 60), None),
            ("confirmed early", NOW - 60, Some(NOW - 600), None),
            ("not confirmed, deadline ahead", NOW + 60, None, None),
        ];
        for (name, confirm_by, confirmed_at, late) in cases {
            let fact = ConfirmFact {
                order_id: 8,
                unit_id: 1,
                supplier_id: 9,
                confirm_by,
                confirmed_at,
            };
            let found = late_confirmation(&[fact], NOW);
            assert_eq!(
                found.first().and_then(|f| measure(f, "late_secs")),
                late,
                "{name}"
            );
            assert!(
                found.iter().all(|f| f.key == "late_confirmation:o8"),
                "{name}"
            );
        }
    }

    #[test]
    fn late_payment_fires_past_the_payment_days() {
        let cases = [
            ("paid after 31 days", 40, Some(9), Some(31)),
            ("unpaid for 40 days", 40, None, Some(40)),
            ("paid on the 30th day", 40, Some(10), None),
            ("unpaid for 10 days", 10, None, None),
        ];
        let t = Thresholds::default();
        for (name, accepted, paid, days) in cases {
            let fact = PaymentFact {
                order_id: 8,
                unit_id: 1,
                supplier_id: 9,
                total: Fen(500),
                accepted_at: NOW - accepted * DAY,
                paid_at: paid.map(|d: i64| NOW - d * DAY),
            };
            let found = late_payment(&[fact], NOW, &t);
            assert_eq!(
                found.first().and_then(|f| measure(f, "days")),
                days,
                "{name}"
            );
            assert!(
                found
                    .iter()
                    .all(|f| f.key == "late_payment:o8" && f.amount == Some(Fen(500))),
                "{name}"
            );
        }
    }

    #[test]
    fn findings_are_deterministic_and_extremes_do_not_panic() {
        let t = Thresholds::default();
        let spec: Vec<_> = (1..=6).map(|i| (i % 2, 7, "A", 90_000, i)).collect();
        let (orders, mut reversed) = (facts(&spec), facts(&spec));
        reversed.reverse();
        assert_eq!(split_purchases(&orders, &t), split_purchases(&reversed, &t));
        assert_eq!(
            dominant_supplier(&orders, NOW, &t),
            dominant_supplier(&reversed, NOW, &t)
        );

        let huge = Thresholds {
            order_cap: Fen(i64::MAX),
            split_window_days: i64::MAX,
            dominant_share_bp: 6_000,
            late_payment_days: i64::MAX,
            ..t
        };
        let big: Vec<OrderFact> = (1..=5)
            .map(|id| OrderFact {
                id,
                unit_id: 1,
                supplier_id: 7 + id % 2,
                category: CategoryCode::parse("A").unwrap(),
                total: Fen(i64::MAX - 1),
                created_at: NOW - id,
            })
            .collect();
        assert_eq!(
            split_purchases(&big, &huge)[0].amount,
            Some(Fen(i64::MAX)),
            "the sum is capped"
        );
        assert_eq!(
            measure(&dominant_supplier(&big, NOW, &huge)[0], "share_bp"),
            Some(6_000)
        );
        let unpaid = PaymentFact {
            order_id: 1,
            unit_id: 1,
            supplier_id: 1,
            total: Fen(1),
            accepted_at: i64::MIN,
            paid_at: None,
        };
        assert_eq!(
            late_payment(std::slice::from_ref(&unpaid), i64::MAX, &t).len(),
            1
        );
        assert_eq!(late_payment(&[unpaid], i64::MAX, &huge), []);
        let c = ConfirmFact {
            order_id: 1,
            unit_id: 1,
            supplier_id: 1,
            confirm_by: i64::MIN,
            confirmed_at: None,
        };
        assert_eq!(
            measure(&late_confirmation(&[c], i64::MAX)[0], "late_secs"),
            Some(i64::MAX)
        );
    }
}

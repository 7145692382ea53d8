//! Pure procurement rules of emall: money, codes, roles and regions.
//!
//! Architecture invariant: this crate does no IO and knows nothing about HTTP, SQL, Leptos
//! or tantivy. It compiles for the browser (wasm32) and the server alike, so the same rule
//! never has two implementations.

pub mod audit;
pub mod budget;
pub mod calendar;
pub mod category;
pub mod concentration;
pub mod credit;
pub mod import;
pub mod intention;
pub mod lifecycle;
pub mod listing;
pub mod money;
pub mod performance;
pub mod pool;
pub mod pricing;
pub mod proposal;
pub mod purchase;
pub mod qualification;
pub mod redflags;
pub mod region;
pub mod registration;
pub mod role;
pub mod stage;
pub mod stock;
mod stored;
pub mod uscc;

pub use category::{CategoryCode, CategoryError};
pub use money::{Fen, MoneyError};
pub use pricing::{PriceSchedule, Tier, TierError};
pub use purchase::{PurchaseError, PurchaseRules};
pub use region::{RegionCode, RegionError, RegionLevel};
pub use role::{Role, RoleParseError};
pub use uscc::{Uscc, UsccError};

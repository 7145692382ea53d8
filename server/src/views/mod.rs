//! What the API answers and the pages show alike: view models loaded through the store and
//! put in the reader's language. `api` and `pages` both use these and never each other.

pub mod audit;
pub mod catalogue;
pub mod checkout;
pub mod credit;
pub mod decisions;
pub mod intentions;
pub mod offers;
pub mod orders;
pub mod pools;
pub mod proposals;
pub mod staff;
pub mod tokens;

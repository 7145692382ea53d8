//! Integration tests: the real application on port 0, on SQLite and on PostgreSQL, each
//! test with a fresh copy of the demo city.

mod helpers;

mod alerts;
mod audit;
mod authorization;
mod calendar;
mod cart;
mod catalogue;
mod checkout_page;
mod credit;
mod credit_forms;
mod dashboard;
mod decisions;
mod disclosure;
mod edge;
mod hardening;
mod imports;
mod intention_forms;
mod listings;
mod onboarding;
mod ordering;
mod pages;
mod performance;
mod platform;
mod pool_forms;
mod pools;
mod proposals;
mod qualifications;
mod sign_in;
mod staff;
mod tokens;
mod varnish;

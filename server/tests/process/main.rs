//! The `emall` binary as a child process, as it runs in production: prepared with its own
//! commands (`migrate`, `seed --demo`, `reindex`), configured by the environment, served on
//! a free port, and killed without warning.

#[path = "../common/postgres.rs"]
mod postgres;

mod crash;
mod node;
mod uploads;

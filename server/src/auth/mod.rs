//! Sign-in, sessions, CSRF protection and the [`Viewer`] every handler authorizes with.

pub mod client;
pub mod csrf;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;
mod viewer;

pub use viewer::{Tenant, Viewer};

pub const SESSION_COOKIE: &str = "emall_session";
pub const CSRF_COOKIE: &str = "emall_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A browser its owner signed in from (auth/throttle.rs).
pub const DEVICE_COOKIE: &str = "emall_device";

pub mod invitation;
mod sign_in;
pub use sign_in::{sign_in, Browser, SignedIn};

//! Signing in, as policy and pure functions: password hashing (argon2id),
//! random tokens and their stored hashes, and the slowing of repeated
//! failed sign-ins. The web layer (`web::auth`) and the CLI use these; the
//! database side is `store::auth`.

pub mod password;
pub mod throttle;
pub mod tokens;

pub use throttle::Throttle;

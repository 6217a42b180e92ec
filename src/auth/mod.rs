//! Signing in, as policy and pure functions: password hashing (argon2id),
//! roles and their permissions,
//! random tokens and their stored hashes, the slowing of repeated failed
//! sign-ins, and how many password verifications run at once. The web layer (`web::auth`) and the CLI use these; the
//! database side is `store::auth`.

pub mod password;
pub mod roles;
pub mod throttle;
pub mod tokens;
pub mod verifications;

pub use roles::{Permission, Role};
pub use throttle::Throttle;
pub use verifications::Verifications;

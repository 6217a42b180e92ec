//! What only Arshif's tests, benchmarks and examples use, kept out of the
//! shipped library (a dev-dependency of `arshif`, never a dependency):
//! deterministic synthetic corpora (`synth`) and the labelled story set's
//! scores (`eval`).

/// Deterministic synthetic corpora for benchmarks and tests.
pub mod synth;
/// The labelled story set and the relating engine's scores against it.
pub mod eval;

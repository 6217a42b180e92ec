//! What only Arshif's tests, benchmarks and examples use, kept out of the
//! shipped library (a dev-dependency of `arshif`, never a dependency):
//! deterministic synthetic corpora (`synth`).

/// Deterministic synthetic corpora for benchmarks and tests.
pub mod synth;


//! What only Arshif's tests, benchmarks and examples use, kept out of the
//! shipped library (a dev-dependency of `arshif`, never a dependency):
//! deterministic synthetic corpora (`synth`), the labelled story set's
//! scores (`eval`), the benchmarks' shared helpers (`bench`) and a fresh
//! PostgreSQL database per test (`postgres`).

/// Deterministic synthetic corpora for benchmarks and tests.
pub mod synth;
/// The labelled story set and the relating engine's scores against it.
pub mod eval;
/// What the benchmarks share: the release binary, measured runs, a served archive.
pub mod bench;
/// A fresh database per test on the PostgreSQL test server.
pub mod postgres;

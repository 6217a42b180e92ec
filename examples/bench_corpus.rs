//! The import benchmark's corpus drawn with another seed: pages the
//! benchmark's archive does not hold yet, to import into a grown archive
//! and time the late part of a large import in minutes instead of the
//! whole of it (README, "Where the late import's time goes").
//!
//! `cargo run --release --example bench_corpus -- PAGES OUT.zip [SEED]`

use arshif_testkit::synth::{Corpus, CorpusSpec};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_corpus PAGES OUT.zip [SEED]";
    let pages: usize = args.next().and_then(|p| p.parse().ok()).expect(usage);
    let out = args.next().expect(usage);
    let mut spec = CorpusSpec::new(pages);
    spec.seed = args.next().map_or(0x1a7e_5eed, |s| s.parse().expect(usage));
    let vocabulary = arshif_testkit::bench::vocabulary();
    Corpus::new(spec, &vocabulary)
        .write_zip(std::path::Path::new(&out))
        .expect("corpus written");
}

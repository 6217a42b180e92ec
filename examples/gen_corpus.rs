fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pages: usize = args[1].parse().unwrap();
    let v = arshif::synth::Vocabulary::best();
    let raw = arshif::synth::Corpus::new(arshif::synth::CorpusSpec::new(pages), &v)
        .write_zip(std::path::Path::new(&args[2]))
        .unwrap();
    println!("{raw}");
}

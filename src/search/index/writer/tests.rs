use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{FAST, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{SimpleTokenizer, Tokenizer};
use tantivy::{Index, TantivyDocument, Term, doc};

use super::Writer;

/// A gate the indexing thread waits at until the test opens it.
#[derive(Clone, Default)]
struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    fn open(&self) {
        *self.0.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.0.1.notify_all();
    }
}

/// Splits words as tantivy's simple tokenizer does, once the gate is open.
#[derive(Clone)]
struct GatedTokenizer(Gate, SimpleTokenizer);

impl Tokenizer for GatedTokenizer {
    type TokenStream<'a> = <SimpleTokenizer as Tokenizer>::TokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let (open, opened) = &*self.0.0;
        let mut open = open.lock().unwrap();
        while !*open {
            open = opened.wait(open).unwrap();
        }
        drop(open);
        self.1.token_stream(text)
    }
}

/// Catches handing documents over without waiting for a place: while the
/// indexing thread is held at the gate, a producer of ten documents must
/// stop at the bound (one being indexed, two in tantivy's queue), and all
/// ten must be indexed once it opens.
#[test]
fn documents_wait_for_a_place_while_the_indexing_thread_is_busy() {
    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default().set_tokenizer("gated");
    let text = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(indexing),
    );
    let id = schema.add_u64_field("id", INDEXED | FAST);
    let index = Index::create_in_ram(schema.build());
    let gate = Gate::default();
    index.tokenizers().register(
        "gated",
        GatedTokenizer(gate.clone(), SimpleTokenizer::default()),
    );
    let mut writer = Writer::new(index.writer_with_num_threads(1, 15_000_000).unwrap(), 3, id);
    let handed = AtomicUsize::new(0);
    // Asserted once the gate is open: a producer left waiting for a place
    // would hang the scope, and an indexing thread left at the gate the
    // writer's drop.
    let seen = std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            for n in 0..10u64 {
                let doc: TantivyDocument = doc!(id => n, text => "word");
                writer.add_document(doc).unwrap();
                handed.fetch_add(1, Ordering::SeqCst);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while handed.load(Ordering::SeqCst) < 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        // Time for a producer that does not wait to hand over the rest.
        std::thread::sleep(Duration::from_millis(300));
        let seen = (handed.load(Ordering::SeqCst), writer.queued());
        gate.open();
        producer.join().unwrap();
        seen
    });
    assert_eq!(seen, (3, 3), "(documents handed over, queued)");
    writer.commit().unwrap();
    assert_eq!(writer.queued(), 0);
    assert_eq!(index.reader().unwrap().searcher().num_docs(), 10);
}

/// Catches removals skipped for ids the index holds (committed before the
/// writer opened, or handed to it since), and removals made of ids above
/// all of them (each kept by tantivy until the merges under way end).
#[test]
fn removals_are_made_only_of_ids_the_index_can_hold() {
    let mut schema = Schema::builder();
    let id = schema.add_u64_field("id", INDEXED | FAST);
    let index = Index::create_in_ram(schema.build());
    let open = || {
        Writer::new(
            index.writer_with_num_threads(1, 15_000_000).unwrap(),
            10,
            id,
        )
    };
    let count = |n: u64| {
        let query = TermQuery::new(Term::from_field_u64(id, n), IndexRecordOption::Basic);
        let reader = index.reader().unwrap();
        reader.searcher().search(&query, &Count).unwrap()
    };
    let mut writer = open();
    assert!(!writer.delete_article(1), "an empty index holds no id");
    for n in 1..=5u64 {
        writer.add_document(doc!(id => n)).unwrap();
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();

    let mut writer = open();
    assert!(!writer.delete_article(6), "above every committed id");
    assert!(
        writer.delete_article(5),
        "committed before this writer opened"
    );
    writer.add_document(doc!(id => 9u64)).unwrap();
    assert!(writer.delete_article(8), "below an id handed over since");
    assert!(!writer.delete_article(10));
    // Replacing article 3: its one document stays one.
    assert!(writer.delete_article(3));
    writer.add_document(doc!(id => 3u64)).unwrap();
    writer.commit().unwrap();
    let counts: Vec<usize> = (1..=9).map(count).collect();
    assert_eq!(counts, [1, 1, 1, 1, 0, 0, 0, 0, 1]);
}

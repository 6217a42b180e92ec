//! Upserts given one key twice in one write, on both backends: PostgreSQL
//! refuses an `ON CONFLICT DO UPDATE` statement that touches a row twice,
//! where SQLite applies the rows in order; the store merges them first,
//! so both store what SQLite's order gives.

use arshif::dispatch;
use arshif::store::articles::{self, ArticleRow};
use arshif::store::relating::{self, DocRow};
use arshif::store::{self, imports};

use crate::store_backends::backends;

/// Catches an article, a term's frequency or an article's sketch given
/// twice to one statement (PostgreSQL then fails the whole write), and a
/// merge that differs from SQLite's order: the later article wins but
/// keeps the body it leaves empty, frequencies add up under the first
/// spelling, the later sketch wins. Checked by removing the merge:
/// PostgreSQL answers "cannot affect row a second time".
#[tokio::test]
async fn a_key_given_twice_in_one_write_is_stored_as_in_order() {
    for (backend, db) in &backends("upserts").await.dbs {
        let mut tx = db.write.begin_writing().await.unwrap();
        let import = imports::create(&mut tx, "cli", "running").await.unwrap();
        let article = |title: &str, body: &str| ArticleRow {
            id: 1,
            permalink: "p1".to_owned(),
            identity: vec![1],
            slug: "s".to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
            published: None,
            published_raw: None,
            sort_key: String::new(),
            source_id: None,
            url: None,
            embedded: false,
            created_import: import,
        };
        let twice = vec![article("الأول", "نص أول"), article("الثاني", "")];
        articles::save(&mut tx, twice, &store::now()).await.unwrap();
        let stored = articles::find_by_ids(&mut tx, &[1]).await.unwrap();
        assert_eq!(
            (stored[0].title.as_str(), stored[0].body.as_str()),
            ("الثاني", "نص أول"),
            "{backend}"
        );

        let terms = [(7, 1, "أول".to_owned()), (7, 2, "ثان".to_owned())];
        relating::add_df(&mut tx, &terms).await.unwrap();
        let df = relating::df(&mut tx, &[7]).await.unwrap();
        assert_eq!(df.get(&7), Some(&3), "{backend}");
        let shown = relating::displays(&mut tx, &[7]).await.unwrap();
        assert_eq!(shown.get(&7).map(String::as_str), Some("أول"), "{backend}");

        let sketch = |cluster_id: i64| DocRow {
            article_id: 1,
            cluster_id,
            day: None,
            fingerprint: 0,
            basis: 0,
            signature: vec![],
            vector: vec![],
        };
        relating::save_docs(&mut tx, &[sketch(1), sketch(2)])
            .await
            .unwrap();
        let cluster: i64 = dispatch!(tx, |c| sqlx::query_scalar(
            "SELECT cluster_id FROM related_docs WHERE article_id = 1"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(cluster, 2, "{backend}");
        tx.commit().await.unwrap();
    }
}

//! MATCH building: exact layout, quoting, injection attempts, and a property test
//! that every built expression is accepted by SQLite's FTS5 on the real schema.

use proptest::prelude::*;
use sqlx::{Connection, SqliteConnection};

use super::*;

fn build_text(text: &str) -> Option<String> {
    build(&Query::parse(text))
}

#[test]
fn a_word_matches_its_norm_or_its_stem_variants() {
    assert_eq!(
        build_text("الوزير").unwrap(),
        "((({title_norm body_norm} : \"الوزير\" OR {title_stem body_stem} : (\"وزير\" OR \"زير\"))))"
    );
}

#[test]
fn phrases_groups_and_exclusions_have_their_own_layout() {
    let expr = build_text("\"وزير الخارجية\" OR غزة -مصر").unwrap();
    assert_eq!(
        expr,
        "((({title_norm body_norm} : \"وزير الخارجيه\" OR {title_stem body_stem} : \"زير خارج\") OR \
         ({title_norm body_norm} : \"غزه\" OR {title_stem body_stem} : (\"غز\" OR \"غزه\")))) \
         NOT (({title_norm body_norm} : \"مصر\" OR {title_stem body_stem} : (\"مصر\")))"
    );
}

#[test]
fn title_tier_restricts_positive_terms_only() {
    let q = Query::parse("مصر -تونس");
    let expr = build_in(&q, Columns::Title).unwrap();
    assert!(
        expr.starts_with("((({title_norm} : \"مصر\" OR {title_stem} : (\"مصر\"))))"),
        "{expr}"
    );
    assert!(
        expr.contains("NOT (({title_norm body_norm} : \"تونس\""),
        "{expr}"
    );
}

#[test]
fn nothing_to_match_builds_nothing() {
    for text in ["", "، ؟", "-مصر", "OR", "\"\"", "source:x"] {
        assert_eq!(build_text(text), None, "{text:?}");
    }
}

#[test]
fn quotes_are_doubled() {
    assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    assert_eq!(quote(""), "\"\"");
}

#[test]
fn fts5_syntax_in_user_text_is_only_ever_quoted_words() {
    let attacks = [
        "title_norm:x",
        "{title_stem}: y",
        "NEAR(a b, 2)",
        "a* ^b",
        "\"a\" AND NOT b",
        "x\") OR (\"y",
        "body_norm : \"z",
        "a + b",
    ];
    for text in attacks {
        let expr = build_text(text).unwrap();
        let outside = outside_quotes(&expr);
        for bad in ["*", "^", "NEAR", "+"] {
            assert!(!outside.contains(bad), "{text:?} leaked {bad:?}: {expr}");
        }
        let filters = outside.matches('{').count();
        assert_eq!(filters, outside.matches(" : ").count(), "{text:?}: {expr}");
    }
}

/// The expression with every quoted string removed.
fn outside_quotes(expr: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in expr.chars() {
        if c == '"' {
            inside = !inside; // a doubled quote toggles twice
        } else if !inside {
            out.push(c);
        }
    }
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// An in-memory database with the real search schema and a few rows.
async fn fts_db() -> SqliteConnection {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    sqlx::raw_sql(include_str!("../../../migrations/0001_archive.sql"))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::raw_sql(include_str!("../../../migrations/0002_search.sql"))
        .execute(&mut conn)
        .await
        .unwrap();
    let rows = [(1, "قال الوزير في غزة", "كوفيد 19 وزير الخارجية")];
    for (id, title, body) in rows {
        let row = crate::search::reindex::index_row(id, title, body);
        crate::store::search::index(&mut conn, vec![row])
            .await
            .unwrap();
    }
    conn
}

#[test]
fn built_expressions_find_what_they_should() {
    runtime().block_on(async {
        let mut conn = fts_db().await;
        for (text, hits) in [
            ("وزير", 1),
            ("\"وزير الخارجية\"", 1),
            ("غزة -كوفيد", 0),
            ("مصر OR غزة", 1),
        ] {
            let expr = build_text(text).unwrap();
            let (n,): (i64,) =
                sqlx::query_as("SELECT count(*) FROM article_fts WHERE article_fts MATCH ?")
                    .bind(&expr)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap();
            assert_eq!(n, hits, "{text}: {expr}");
        }
    });
}

/// Pieces a hostile or careless query is made of: FTS5 operators and syntax,
/// Arabic with marks, letters newer than unicode61's tables, invisibles, digits.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_owned()),
        Just("-".to_owned()),
        Just("OR".to_owned()),
        Just("AND".to_owned()),
        Just("NOT".to_owned()),
        Just("NEAR(".to_owned()),
        Just(")".to_owned()),
        Just("*".to_owned()),
        Just("^".to_owned()),
        Just("{title_norm}:".to_owned()),
        Just("body_stem:".to_owned()),
        Just("source:".to_owned()),
        Just("to:2024-01-01".to_owned()),
        Just("ﷺ".to_owned()),
        Just("\u{200C}".to_owned()),
        "[\\u{0600}-\\u{06FF}\\u{08A0}-\\u{08FF}\\u{FB50}-\\u{FDFF}\\u{FE70}-\\u{FEFF}]{1,6}",
        "[a-zA-Z0-9_:'\"*^(){}+-]{1,4}",
        "\\PC{1,3}",
    ]
}

fn query_text() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), prop_oneof![Just(""), Just(" ")]), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn sqlite_accepts_every_built_expression(texts in prop::collection::vec(query_text(), 8)) {
        let rt = runtime();
        rt.block_on(async {
            let mut conn = fts_db().await;
            for text in &texts {
                let q = Query::parse(text);
                let each = (0..q.groups.len()).map(|i| groups(&q, &[i], Columns::All));
                let built = [build(&q), build_in(&q, Columns::Title), build_in(&q, Columns::TitleExact)];
                for expr in built.into_iter().chain(each).flatten() {
                    let result: Result<(i64,), _> =
                        sqlx::query_as("SELECT count(*) FROM article_fts WHERE article_fts MATCH ?")
                            .bind(&expr)
                            .fetch_one(&mut conn)
                            .await;
                    prop_assert!(result.is_ok(), "{text:?} -> {expr}: {:?}", result.err());
                }
            }
            Ok(())
        })?;
    }
}

//! Lucene's own Arabic test cases (apache/lucene `TestArabicNormalizationFilter`,
//! `TestArabicStemFilter`, `TestArabicAnalyzer`): the analyzer must stay a superset of
//! Lucene/Elasticsearch behaviour. Analyzer stopword cases apply to `is_stopword`,
//! since our FTS columns keep stopwords.

use crate::arabic::{analyze, is_stopword, normalize, stem};

/// `TestArabicNormalizationFilter`: the 14 single-word cases.
const NORMALIZATION: [(&str, &str); 14] = [
    ("آجن", "اجن"),          // testAlifMadda
    ("أحمد", "احمد"),        // testAlifHamzaAbove
    ("إعاذ", "اعاذ"),        // testAlifHamzaBelow
    ("بنى", "بني"),          // testAlifMaksura
    ("فاطمة", "فاطمه"),      // testTehMarbuta
    ("روبرـــــت", "روبرت"), // testTatweel
    ("مَبنا", "مبنا"),        // testFatha
    ("علِي", "علي"),          // testKasra
    ("بُوات", "بوات"),        // testDamma
    ("ولداً", "ولدا"),        // testFathatan
    ("ولدٍ", "ولد"),          // testKasratan
    ("ولدٌ", "ولد"),          // testDammatan
    ("نلْسون", "نلسون"),      // testSukun
    ("هتميّ", "هتمي"),        // testShaddah
];

/// `TestArabicStemFilter`: the 21 single-word cases (Lucene lowercases nothing here;
/// our `stem` receives normalized tokens, so "English" is checked through `analyze`).
const STEMMING: [(&str, &str); 21] = [
    ("الحسن", "حسن"),       // testAlPrefix
    ("والحسن", "حسن"),      // testWalPrefix
    ("بالحسن", "حسن"),      // testBalPrefix
    ("كالحسن", "حسن"),      // testKalPrefix
    ("فالحسن", "حسن"),      // testFalPrefix
    ("للاخر", "اخر"),        // testLlPrefix
    ("وحسن", "حسن"),        // testWaPrefix
    ("زوجها", "زوج"),       // testAhSuffix
    ("ساهدان", "ساهد"),     // testAnSuffix
    ("ساهدات", "ساهد"),     // testAtSuffix
    ("ساهدون", "ساهد"),     // testWnSuffix
    ("ساهدين", "ساهد"),     // testYnSuffix
    ("ساهديه", "ساهد"),     // testYhSuffix
    ("ساهدية", "ساهد"),     // testYpSuffix
    ("ساهده", "ساهد"),      // testHSuffix
    ("ساهدة", "ساهد"),      // testPSuffix
    ("ساهدي", "ساهد"),      // testYSuffix
    ("وساهدون", "ساهد"),    // testComboPrefSuf
    ("ساهدهات", "ساهد"),    // testComboSuf
    ("الو", "الو"),         // testShouldntStem
    ("English", "English"), // testNonArabic
];

/// `TestArabicAnalyzer.testBasicFeatures` single words, `testDigits`, `testEnglishInput`.
const ANALYZER: [(&str, &str); 9] = [
    ("كبير", "كبير"),
    ("كبيرة", "كبير"), // feminine marker
    ("مشروب", "مشروب"),
    ("مشروبات", "مشروب"),  // plural -at
    ("أمريكيين", "امريك"), // plural -in
    ("امريكي", "امريك"),   // singular with bare alif
    ("كتاب", "كتاب"),
    ("الكتاب", "كتاب"), // definite article
    ("١٢٣٤", "1234"),   // testDigits
];

fn stems(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.stem).collect()
}

#[test]
fn lucene_normalization_cases() {
    for (input, expected) in NORMALIZATION {
        assert_eq!(normalize(input), expected, "{input}");
    }
    assert_eq!(normalize(""), ""); // testEmptyTerm
}

#[test]
fn lucene_stemming_cases() {
    for (input, expected) in STEMMING {
        // Lucene's stem filter sees the raw word; ours sees the normalized one, which
        // for these inputs differs only by ة→ه and lowercase.
        assert_eq!(stem(input), expected, "{input}");
        assert_eq!(
            stems(input),
            vec![expected.to_lowercase()],
            "{input} via analyze"
        );
    }
    assert_eq!(stem(""), ""); // testEmptyTerm
}

#[test]
fn lucene_analyzer_cases() {
    for (input, expected) in ANALYZER {
        assert_eq!(stems(input), vec![expected], "{input}");
    }
    assert_eq!(stems("English text."), vec!["english", "text"]); // testEnglishInput
}

#[test]
fn lucene_analyzer_stopword_cases_hold_for_is_stopword() {
    for text in ["ما ملكت أيمانكم", "الذين ملكت أيمانكم"] {
        let kept: Vec<String> = analyze(text)
            .into_iter()
            .filter(|t| !is_stopword(&t.norm))
            .map(|t| t.stem)
            .collect();
        assert_eq!(kept, vec!["ملكت", "ايمانكم"], "{text}");
    }
}

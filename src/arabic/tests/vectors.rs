//! Spec §d test vectors: every §d4 row (normalized tokens and Light10 stems), every §d2
//! query-variant set and every §d3 highlight string, table-driven.

use crate::arabic::{
    QueryTerms, analyze, highlight, normalize, normalize_words, query_variants, stem,
};

/// §d4 verbatim: id, input, normalized tokens, Light10 stems (`K = {الله}`), with
/// Rust-style `\u{XXXX}` escapes left in the text.
const D4: &str = r#"id	input	normalized_tokens	light10_stems
H1	مُحَمَّد	محمد	محمد
H2	كِتَابٌ	كتاب	كتاب
H3	مَدْرَسَةٌ	مدرسه	مدرس
H4	نلْسون	نلسون	نلس
H5	هتميّ	هتمي	هتم
M1	ا\u{0653}من	امن	امن
M2	ري\u{0654}يس	رئيس	رئيس
M3	مو\u{0654}تمر	مؤتمر	مؤتمر
M4	كت\u{0657}ب	كتب	كتب
M5	ا\u{0655}براهيم	ابراهيم	ابراهيم
S1	هٰذا	هذا	هذا
S2	الرَّحْمٰنِ	الرحمن	رحمن
S3	مُوسَىٰ	موسي	موس
S4	العٰلمين	العلمين	علم
Q1	ريب \u{06DB} فيه	ريب فيه	ريب في
Q2	محمد\u{0610}	محمد	محمد
T1	محـــمد	محمد	محمد
T2	الحمــــــد	الحمد	حمد
T3	روبرـــــت	روبرت	روبرت
T4	ـــ		
A1	أحمد	احمد	احمد
A2	إبراهيم	ابراهيم	ابراهيم
A3	آمال	امال	امال
A4	ٱلحمد	الحمد	حمد
A5	الأهرام	الاهرام	اهرام
A6	إعاذ	اعاذ	اعاذ
Y1	بنى	بني	بن
Y2	مستشفى	مستشفي	مستشف
Y3	المستشفيات	المستشفيات	مستشف
Y4	يومى	يومي	يوم
Y5	على	علي	عل
R1	فاطمة	فاطمه	فاطم
R2	القاهرة	القاهره	قاهر
R3	مدرسه	مدرسه	مدرس
R4	النهاردة	النهارده	نهارد
W1	مؤتمر	مؤتمر	مؤتمر
W2	الرئيس	الرئيس	رئيس
W3	المسؤولين	المسؤولين	مسؤول
W4	المسئولين	المسئولين	مسئول
W5	شيء	شيء	شيء
P1	کتاب	كتاب	كتاب
P2	ایران	ايران	اير
P3	علی	علي	عل
P4	مدرسۀ	مدرسه	مدرس
P5	ے	ي	ي
P6	ﮐﺘﺎﺏ	كتاب	كتاب
D1	٢٠٢٤	2024	2024
D2	۱۴۰۳	1403	1403
D3	كوفيد-١٩	كوفيد 19	كوفيد 19
D4	٣٫٥٪	3 5	3 5
Z1	عاص\u{200C}مة	عاصمه	عاصم
Z2	محمد\u{200D}	محمد	محمد
Z3	می\u{200C}روم	ميروم	ميروم
B1	\u{200F}محمد\u{200E}	محمد	محمد
B2	\u{061C}١٠\u{061C}	10	10
B3	\u{2067}القدس\u{2069}	القدس	قدس
B4	\u{FEFF}خبر	خبر	خبر
F1	ﻣﺤﻤﺪ	محمد	محمد
F2	ﺍﻟﻘﺪﺱ	القدس	قدس
F3	ﻻ	لا	لا
F4	ﻷن	لان	لان
F5	ﷲ	الله	الله
F6	ﷺ	صلي الله عليه وسلم	صل الله عل سلم
F7	﷼	ريال	ريال
F8	﷽	بسم الله الرحمن الرحيم	بسم الله رحمن رحيم
F9	ﺇﺳﺮﺍﺋﻴﻞ	اسرائيل	اسرائيل
U1	قال، ثم؛ لماذا؟	قال ثم لماذا	قال ثم لماذا
U2	«الأهرام»	الاهرام	اهرام
U3	محمد.	محمد	محمد
L1	والحكومة	والحكومه	حكوم
L2	بالمدارس	بالمدارس	مدارس
L3	للاخر	للاخر	اخر
L4	ساهدهات	ساهدهات	ساهد
L5	أمريكيين	امريكيين	امريك
L6	الو	الو	الو
L7	English	english	english
L8	فلسطين	فلسطين	فلسط
L9	الفلسطينيين	الفلسطينيين	فلسطين
L10	وزير	وزير	زير
L11	الوزير	الوزير	وزير
"#;

/// Replaces `\u{XXXX}` escapes with the characters they name.
fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut rest = cell;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let close = rest[at..].find('}').expect("closed escape") + at;
        let code = u32::from_str_radix(&rest[at + 3..close], 16).expect("hex escape");
        out.push(char::from_u32(code).expect("scalar value"));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn d4_rows() -> Vec<[String; 4]> {
    D4.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<String> = line.split('\t').map(unescape).collect();
            assert_eq!(cells.len(), 4, "row {line:?}");
            [
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            ]
        })
        .collect()
}

#[test]
fn all_80_d4_rows_are_present() {
    assert_eq!(d4_rows().len(), 80);
}

#[test]
fn d4_inputs_normalize_to_the_expected_tokens() {
    for [id, input, norms, _] in d4_rows() {
        assert_eq!(normalize_words(&input).join(" "), norms, "row {id}");
        assert_eq!(normalize(&input), norms, "row {id}");
    }
}

#[test]
fn d4_inputs_stem_to_the_expected_light10_stems() {
    for [id, input, norms, stems] in d4_rows() {
        let analyzed: Vec<String> = analyze(&input).into_iter().map(|t| t.stem).collect();
        assert_eq!(analyzed.join(" "), stems, "row {id}");
        let direct: Vec<String> = norms.split_whitespace().map(stem).collect();
        assert_eq!(direct.join(" "), stems, "row {id} via stem()");
    }
}

#[test]
fn d4_normalized_tokens_are_a_fixed_point() {
    for [id, _, norms, _] in d4_rows() {
        assert_eq!(normalize(&norms), norms, "row {id}");
    }
}

#[test]
fn d2_query_variant_sets() {
    let rows: [(&str, &str, &[&str]); 11] = [
        ("وزير", "وزير", &["زير", "وزير"]),
        ("الوزير", "الوزير", &["وزير", "زير"]),
        ("وزارة", "وزاره", &["زار", "زاره", "وزار"]),
        ("الوزارة", "الوزاره", &["وزار", "وزاره", "زار"]),
        ("فلسطين", "فلسطين", &["فلسط", "فلسطين"]),
        ("الفلسطينيين", "الفلسطينيين", &["فلسطين", "فلسطينيين"]),
        ("ایران", "ايران", &["اير", "ايران"]),
        ("لبنان", "لبنان", &["لبن", "لبنان"]),
        ("والحكومة", "والحكومه", &["حكوم", "حكومه"]),
        ("مدرسة", "مدرسه", &["مدرس", "مدرسه"]),
        ("ﷲ", "الله", &["الله"]),
    ];
    for (query, norm, variants) in rows {
        assert_eq!(normalize(query), norm, "query {query}");
        assert_eq!(query_variants(norm), variants, "query {query}");
    }
}

#[test]
fn d2_variants_find_the_document_forms_listed() {
    let rows: [(&str, &[&str]); 6] = [
        ("وزير", &["وزير", "وزيرة", "الوزير", "ووزير"]),
        ("الوزير", &["الوزير", "ووزير", "وزير", "وزيرة"]),
        ("وزارة", &["وزارة", "الوزارة"]),
        (
            "فلسطين",
            &["فلسطين", "الفلسطيني", "الفلسطينيين", "فلسطينية"],
        ),
        ("ایران", &["إيران", "ایران", "الإيراني", "إيرانية"]),
        ("مستشفى", &["المستشفياتُ"]),
    ];
    for (query, documents) in rows {
        let terms = QueryTerms::from_query(query);
        for doc in documents {
            assert!(terms.matches(&analyze(doc)[0]), "{query} should find {doc}");
        }
    }
}

#[test]
fn d3_highlight_strings() {
    let rows = [
        (
            "وقال الرَّئِيسُ المصريّ إنّ المؤتمرَ ناجحٌ",
            "رئيس",
            "وقال <mark>الرَّئِيسُ</mark> المصريّ إنّ المؤتمرَ ناجحٌ",
        ),
        (
            "اجتمع وزيرُ الخارجية مع الوزير الإيراني في طهران",
            "الوزير",
            "اجتمع <mark>وزيرُ</mark> الخارجية مع <mark>الوزير</mark> الإيراني في طهران",
        ),
        (
            "ﺍﻟﻘﺪﺱ عاص\u{200C}مة فلسطين",
            "القدس فلسطين",
            "<mark>ﺍﻟﻘﺪﺱ</mark> عاص\u{200C}مة <mark>فلسطين</mark>",
        ),
        (
            "أعلنت المستشفياتُ امتلاءَها",
            "مستشفى",
            "أعلنت <mark>المستشفياتُ</mark> امتلاءَها",
        ),
    ];
    for (document, query, expected) in rows {
        let terms = QueryTerms::from_words(&normalize_words(query));
        assert_eq!(highlight(document, &terms), expected, "query {query}");
    }
}

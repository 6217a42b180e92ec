//! Tag reconstruction: explicit separators, then greedy phrases found in
//! the title or one paragraph, single words otherwise, no duplicates.

use super::*;

fn paras(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

#[test]
fn rebuilds_seed_tags() {
    let title = "زعيم كوريا الشمالية: دعم غير مشروط لكل إجراءات روسيا بخصوص أوكرانيا";
    let paragraphs = paras(&[
        "أبلغ الزعيم الكوري الشمالي كيم جونج أون كبير الدبلوماسيين الروس استعداد بلاده \"للدعم غير المشروط\" لجميع الإجراءات التي تتخذها موسكو لحل النزاع في أوكرانيا، حسبما أفادت وسائل الإعلام الرسمية اليوم الأحد.",
        "يقوم وزير الخارجية الروسي سيرجي لافروف بزيارة تستغرق ثلاثة أيام إلى كوريا الشمالية.",
    ]);
    let line = "الزعيم الكوري الشمال كيم جونج أون الروس الدبلوماسيين موسكو أوكرانيا لافروف";
    assert_eq!(
        rebuild(line, title, &paragraphs),
        [
            "الزعيم الكوري الشمال",
            "كيم جونج أون",
            "الروس",
            "الدبلوماسيين",
            "موسكو",
            "أوكرانيا",
            "لافروف"
        ]
    );
}

#[test]
fn splits_on_arabic_comma() {
    assert_eq!(
        rebuild("كيم جونج أون، موسكو ،لافروف", "", &[]),
        ["كيم جونج أون", "موسكو", "لافروف"]
    );
}

#[test]
fn splits_on_latin_comma() {
    assert_eq!(
        rebuild("كيم جونج أون, موسكو", "", &[]),
        ["كيم جونج أون", "موسكو"]
    );
}

#[test]
fn splits_on_pipe() {
    assert_eq!(
        rebuild("كيم جونج أون | موسكو|لافروف", "", &[]),
        ["كيم جونج أون", "موسكو", "لافروف"]
    );
}

#[test]
fn splits_on_hash() {
    assert_eq!(
        rebuild("#كوريا_الشمالية #موسكو #كيم جونج", "", &[]),
        ["كوريا_الشمالية", "موسكو", "كيم جونج"]
    );
}

#[test]
fn splits_on_semicolons() {
    assert_eq!(
        rebuild("كيم جونج أون; موسكو؛ لافروف", "", &[]),
        ["كيم جونج أون", "موسكو", "لافروف"]
    );
}

#[test]
fn splits_on_two_or_more_spaces() {
    assert_eq!(
        rebuild("كيم جونج أون  موسكو   وزير الخارجية", "", &[]),
        ["كيم جونج أون", "موسكو", "وزير الخارجية"]
    );
}

#[test]
fn prefers_separators_over_phrases() {
    // With separators present, the text is not consulted: pieces are tags.
    let paragraphs = paras(&["موسكو لافروف في لقاء."]);
    assert_eq!(
        rebuild("موسكو لافروف، كيم", "", &paragraphs),
        ["موسكو لافروف", "كيم"]
    );
}

#[test]
fn drops_empty_pieces_between_separators() {
    assert_eq!(
        rebuild("، موسكو ،، | # لافروف ,", "", &[]),
        ["موسكو", "لافروف"]
    );
}

#[test]
fn takes_longest_phrase_found_in_a_paragraph() {
    let paragraphs = paras(&["قال وزير الخارجية الروسي سيرجي لافروف إن موسكو مستعدة."]);
    let line = "وزير الخارجية الروسي موسكو";
    assert_eq!(
        rebuild(line, "", &paragraphs),
        ["وزير الخارجية الروسي", "موسكو"]
    );
}

#[test]
fn finds_phrases_in_the_title() {
    assert_eq!(
        rebuild(
            "كوريا الشمالية روسيا",
            "زعيم كوريا الشمالية يدعم روسيا",
            &[]
        ),
        ["كوريا الشمالية", "روسيا"]
    );
}

#[test]
fn searches_each_text_on_its_own() {
    // `أوكرانيا` ends one paragraph and `لافروف` starts the next: no phrase.
    let paragraphs = paras(&["الحرب في أوكرانيا.", "لافروف يزور كوريا."]);
    assert_eq!(
        rebuild("أوكرانيا لافروف", "", &paragraphs),
        ["أوكرانيا", "لافروف"]
    );
}

#[test]
fn lets_last_word_be_a_prefix() {
    let paragraphs = paras(&["أبلغ الزعيم الكوري الشمالي كيم."]);
    assert_eq!(
        rebuild("الزعيم الكوري الشمال", "", &paragraphs),
        ["الزعيم الكوري الشمال"]
    );
}

#[test]
fn does_not_let_inner_words_be_prefixes() {
    // `الكور` is only a prefix of `الكوري`, and it is not the run's last word.
    let paragraphs = paras(&["أبلغ الزعيم الكوري الشمالي كيم."]);
    assert_eq!(
        rebuild("الزعيم الكور الشمالي", "", &paragraphs),
        ["الزعيم الكور", "الشمالي"]
    );
}

#[test]
fn falls_back_to_single_words() {
    assert_eq!(
        rebuild("موسكو لافروف كيم", "عنوان", &paras(&["نص آخر."])),
        ["موسكو", "لافروف", "كيم"]
    );
}

#[test]
fn limits_phrases_to_five_words() {
    let paragraphs = paras(&["واحد اثنان ثلاثة أربعة خمسة ستة سبعة."]);
    let line = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة";
    assert_eq!(
        rebuild(line, "", &paragraphs),
        ["واحد اثنان ثلاثة أربعة خمسة", "ستة سبعة"]
    );
}

#[test]
fn compares_words_normalized_but_keeps_them_as_written() {
    // Hamza, taa marbuta, harakat and tatweel differ; punctuation is ignored.
    let paragraphs = paras(&["وزيرُ الخارجيه، الأمريكي قال."]);
    assert_eq!(
        rebuild("وزير الخارجيـــة الامريكي", "", &paragraphs),
        ["وزير الخارجيـــة الامريكي"]
    );
}

#[test]
fn does_not_stem_words() {
    // `الوزير` and `وزير` are different words here: no phrase.
    let paragraphs = paras(&["قال الوزير الروسي."]);
    assert_eq!(rebuild("وزير الروسي", "", &paragraphs), ["وزير", "الروسي"]);
}

#[test]
fn deduplicates_tags_keeping_the_first_spelling() {
    assert_eq!(
        rebuild("موسكو أوكرانيا موسكو اوكرانيا", "", &[]),
        ["موسكو", "أوكرانيا"]
    );
    assert_eq!(rebuild("موسكو، كيم، موسكو", "", &[]), ["موسكو", "كيم"]);
}

#[test]
fn keeps_lone_marks_only_inside_phrases() {
    let paragraphs = paras(&["مباراة الأهلي - الزمالك انتهت."]);
    assert_eq!(
        rebuild("الأهلي - الزمالك - موسكو", "", &paragraphs),
        ["الأهلي - الزمالك", "موسكو"]
    );
}

#[test]
fn gives_no_tags_for_an_empty_line() {
    assert!(rebuild("", "عنوان", &[]).is_empty());
    assert!(rebuild("   ", "عنوان", &[]).is_empty());
}

//! Numbers as Arabic readers read them: the digits the archive is set to
//! (`latn` 0123 or `arab` ٠١٢٣), grouped thousands (CLDR's Arabic symbols
//! through ICU4X `icu_decimal`), and counted nouns in the six CLDR plural
//! categories (ICU4X `icu_plurals`: zero, one, two, few, many, other).
//! Every count the pages print goes through [`count`].

use std::str::FromStr;
use std::sync::OnceLock;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::{Locale, locale};
use icu_plurals::{PluralCategory, PluralRules};

/// Which digits numbers are written with (`ARSHIF_DIGITS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Digits {
    /// 0123, grouped 1,250,000 (the default: what most Arabic news sites print).
    #[default]
    Latn,
    /// Arabic-Indic ٠١٢٣, grouped ١٬٢٥٠٬٠٠٠.
    Arab,
}

impl Digits {
    fn locale(self) -> Locale {
        match self {
            Digits::Latn => locale!("ar-u-nu-latn"),
            Digits::Arab => locale!("ar-u-nu-arab"),
        }
    }

    fn index(self) -> usize {
        match self {
            Digits::Latn => 0,
            Digits::Arab => 1,
        }
    }
}

impl FromStr for Digits {
    type Err = String;

    fn from_str(s: &str) -> Result<Digits, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "latn" => Ok(Digits::Latn),
            "arab" => Ok(Digits::Arab),
            other => Err(format!("unknown digits '{other}': use latn or arab")),
        }
    }
}

/// The six ways a counted noun is written, one per CLDR plural category;
/// `{n}` stands for the number (written with the archive's digits).
/// The case is the caller's: `مقالين` after a verb, `مقالان` as a subject.
#[derive(Debug, Clone, Copy)]
pub struct Plural {
    /// 0: `لا مقالات`.
    pub zero: &'static str,
    /// 1: `مقال واحد`.
    pub one: &'static str,
    /// 2: `مقالان`.
    pub two: &'static str,
    /// 3–10 (and 103–110…): `{n} مقالات`.
    pub few: &'static str,
    /// 11–99 (and 111–199…): `{n} مقالًا`.
    pub many: &'static str,
    /// 100–102, 1000…: `{n} مقال`.
    pub other: &'static str,
}

impl Plural {
    fn form(&self, category: PluralCategory) -> &'static str {
        match category {
            PluralCategory::Zero => self.zero,
            PluralCategory::One => self.one,
            PluralCategory::Two => self.two,
            PluralCategory::Few => self.few,
            PluralCategory::Many => self.many,
            PluralCategory::Other => self.other,
        }
    }
}

/// `n` with its noun in the form Arabic grammar asks for, the number
/// grouped and in `digits`: `count(1_250_000, &ARTICLES, Latn)` →
/// `1,250,000 مقال`.
pub fn count(n: u64, forms: &Plural, digits: Digits) -> String {
    let form = forms.form(category(n));
    if form.contains("{n}") {
        form.replace("{n}", &number(n, digits))
    } else {
        form.to_owned()
    }
}

/// The CLDR plural category of `n` in Arabic.
pub fn category(n: u64) -> PluralCategory {
    static RULES: OnceLock<PluralRules> = OnceLock::new();
    RULES
        .get_or_init(|| {
            PluralRules::try_new_cardinal(locale!("ar").into())
                .expect("compiled data holds Arabic plural rules")
        })
        .category_for(n)
}

/// `n` grouped by thousands in `digits`: `1,250,000` or `١٬٢٥٠٬٠٠٠`.
pub fn number(n: u64, digits: Digits) -> String {
    formatter(digits, true).format_to_string(&Decimal::from(n))
}

/// `n` in `digits` without grouping, for years and days of dates: `2025`
/// or `٢٠٢٥`. Negative numbers keep CLDR's Arabic minus sign.
pub fn plain(n: i64, digits: Digits) -> String {
    match digits {
        // Latin digits need no data and are the hot path of every list.
        Digits::Latn => n.to_string(),
        Digits::Arab => formatter(digits, false).format_to_string(&Decimal::from(n)),
    }
}

/// The ASCII digits of `text` written in `digits`, everything else kept:
/// a clock time `02:29` → `٠٢:٢٩`, where leading zeros matter.
pub fn digits_in(text: &str, digits: Digits) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => plain(i64::from(c as u8 - b'0'), digits),
            _ => c.to_string(),
        })
        .collect()
}

fn formatter(digits: Digits, grouped: bool) -> &'static DecimalFormatter {
    static FORMATTERS: [[OnceLock<DecimalFormatter>; 2]; 2] = [
        [OnceLock::new(), OnceLock::new()],
        [OnceLock::new(), OnceLock::new()],
    ];
    FORMATTERS[digits.index()][usize::from(grouped)].get_or_init(|| {
        let mut options = DecimalFormatterOptions::default();
        options.grouping_strategy = Some(match grouped {
            true => GroupingStrategy::Auto,
            false => GroupingStrategy::Never,
        });
        DecimalFormatter::try_new(digits.locale().into(), options)
            .expect("compiled data holds Arabic number symbols")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The footer's noun, as the object of «يضم».
    const ARTICLES: Plural = Plural {
        zero: "لا مقالات",
        one: "مقالًا واحدًا",
        two: "مقالين",
        few: "{n} مقالات",
        many: "{n} مقالًا",
        other: "{n} مقال",
    };

    #[test]
    fn counts_follow_the_six_arabic_plural_categories() {
        let table = [
            (0, "لا مقالات"),
            (1, "مقالًا واحدًا"),
            (2, "مقالين"),
            (3, "3 مقالات"),
            (10, "10 مقالات"),
            (11, "11 مقالًا"),
            (99, "99 مقالًا"),
            (100, "100 مقال"),
            (101, "101 مقال"),
            (102, "102 مقال"),
            (103, "103 مقالات"),
            (111, "111 مقالًا"),
            (1000, "1,000 مقال"),
            (1_250_000, "1,250,000 مقال"),
        ];
        for (n, phrase) in table {
            assert_eq!(count(n, &ARTICLES, Digits::Latn), phrase, "n = {n}");
        }
    }

    #[test]
    fn categories_are_cldr_arabic() {
        use PluralCategory::*;
        let expected = [
            (0, Zero),
            (1, One),
            (2, Two),
            (3, Few),
            (10, Few),
            (11, Many),
            (99, Many),
            (100, Other),
            (101, Other),
            (102, Other),
            (103, Few),
            (111, Many),
            (1000, Other),
        ];
        for (n, cat) in expected {
            assert_eq!(category(n), cat, "n = {n}");
        }
    }

    #[test]
    fn arabic_indic_digits_group_with_the_arabic_separator() {
        assert_eq!(number(1_250_000, Digits::Arab), "١٬٢٥٠٬٠٠٠");
        assert_eq!(number(1_250_000, Digits::Latn), "1,250,000");
        assert_eq!(count(3, &ARTICLES, Digits::Arab), "٣ مقالات");
        assert_eq!(count(1000, &ARTICLES, Digits::Arab), "١٬٠٠٠ مقال");
    }

    #[test]
    fn years_and_days_are_never_grouped() {
        assert_eq!(plain(2025, Digits::Latn), "2025");
        assert_eq!(plain(2025, Digits::Arab), "٢٠٢٥");
        assert_eq!(plain(7, Digits::Arab), "٧");
        assert_eq!(digits_in("02:29", Digits::Arab), "٠٢:٢٩");
        assert_eq!(digits_in("02:29", Digits::Latn), "02:29");
    }

    #[test]
    fn reads_the_setting() {
        assert_eq!("arab".parse(), Ok(Digits::Arab));
        assert_eq!(" LATN ".parse(), Ok(Digits::Latn));
        assert!("roman".parse::<Digits>().is_err());
    }
}

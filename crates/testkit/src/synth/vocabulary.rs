//! Arabic vocabulary for generated text: Debian's `hunspell-ar` word list
//! when installed (realistic size and spread), otherwise a small built-in
//! list of news words. Words are drawn with a Zipf-like skew, so a few are
//! very common and most are rare, as in real news.

use super::Rng;

/// The Hunspell Arabic word list (`hunspell-ar`).
pub const HUNSPELL_AR: &str = "/usr/share/hunspell/ar.dic";

/// Very frequent function words, mixed in as real text has them.
const FUNCTION_WORDS: [&str; 16] = [
    "في", "من", "على", "إلى", "أن", "التي", "الذي", "عن", "مع", "بعد", "قبل", "خلال", "بين", "وقال",
    "كما", "حيث",
];

const BUILTIN: &str = "الحكومة الرئيس الوزير الوزارة البرلمان الانتخابات الاقتصاد السوق الأسعار النفط الغاز \
الكهرباء المياه الصحة المستشفى الأطباء التعليم المدارس الجامعة الطلاب الأمن الشرطة الجيش الحدود \
المفاوضات الاتفاق المعاهدة القمة الزيارة المؤتمر البيان التصريحات المتحدث الخارجية الداخلية المالية \
الميزانية الضرائب الاستثمار الشركات البنك العملة التضخم البطالة العمال المصانع الزراعة المحاصيل \
الأمطار الفيضانات الجفاف المناخ البيئة الطاقة الشمسية الرياح المدينة القرية العاصمة المحافظة \
المنطقة الإقليم الدولة الدول العربية الأوروبية الإفريقية الآسيوية مصر السعودية الإمارات الأردن \
لبنان سوريا العراق فلسطين المغرب الجزائر تونس ليبيا السودان اليمن قطر الكويت عمان البحرين روسيا \
أوكرانيا الصين أمريكا فرنسا ألمانيا بريطانيا تركيا إيران المحكمة القاضي القانون الدستور الحقوق \
الحريات الصحافة الإعلام التلفزيون الإذاعة الصحيفة المواطنين السكان الأسر الأطفال النساء الشباب \
الرياضة المنتخب المباراة البطولة الدوري الفريق المدرب اللاعبين الملعب الجمهور الثقافة المهرجان \
الفيلم المسرح الكتاب المعرض الفن التراث السياحة الفنادق المطار الطيران القطارات الطرق الجسور \
المشروع المبادرة الخطة البرنامج التقرير الدراسة البحث العلماء التكنولوجيا الإنترنت الهاتف \
الشبكة الذكاء الاصطناعي البيانات الأسواق البورصة الأسهم الذهب الدولار اليورو الموازنة الديون \
القروض المساعدات الإغاثة اللاجئين النازحين المخيمات الحرب السلام الهدنة القوات الهجوم الغارة \
الضحايا المصابين القتلى الاحتجاجات المظاهرات الإضراب النقابة الحزب المعارضة الائتلاف الرئاسة \
أعلن أكد قال أوضح أشار كشف نفى طالب دعا حذر أفاد صرح أضاف تابع بحث ناقش وقع افتتح استقبل \
التقى زار غادر وصل ارتفع انخفض تراجع تحسن استمر توقف بدأ انتهى الجديد الكبير الأول الأخير \
الدولي المحلي الوطني الرسمي السياسي العسكري الاقتصادي الاجتماعي الإنساني الأمني الصحي اليوم \
أمس الأسبوع الشهر العام الماضي المقبل الجاري";

pub struct Vocabulary {
    words: Vec<String>,
}

impl Vocabulary {
    /// The system word list, or `None` when `hunspell-ar` is not installed.
    pub fn system() -> Option<Vocabulary> {
        let text = std::fs::read_to_string(HUNSPELL_AR).ok()?;
        let words: Vec<String> = text
            .lines()
            .skip(1)
            .map(|l| l.split('/').next().unwrap_or("").trim())
            .filter(|w| (3..=9).contains(&w.chars().count()))
            .filter(|w| w.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)))
            .step_by(3)
            .map(str::to_owned)
            .collect();
        (words.len() > 1000).then_some(Vocabulary { words })
    }

    pub fn builtin() -> Vocabulary {
        Vocabulary {
            words: BUILTIN.split_whitespace().map(str::to_owned).collect(),
        }
    }

    /// The system list when present, else the built-in one.
    pub fn best() -> Vocabulary {
        Self::system().unwrap_or_else(Self::builtin)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A word, skewed towards the start of the list.
    pub fn word(&self, rng: &mut Rng) -> &str {
        if rng.chance(0.18) {
            return FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len() as u64) as usize];
        }
        let skewed = rng.unit().powf(2.5);
        &self.words[(skewed * self.words.len() as f64) as usize % self.words.len()]
    }

    /// `min..max` words joined by spaces, with an occasional comma.
    pub fn sentence(&self, rng: &mut Rng, min: usize, max: usize) -> String {
        let n = rng.range(min, max);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push_str(if rng.chance(0.06) { "، " } else { " " });
            }
            out.push_str(self.word(rng));
        }
        out
    }
}

//! Which articles a list holds: the whole archive, a source, a tag, a
//! period, or a source's or tag's articles within a period.

/// Which articles a list holds.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Source(i64),
    Tag(i64),
    /// `sort_key` in `[from, to)`: a day, month or year.
    Dates {
        from: String,
        to: String,
    },
    /// A source's articles with `sort_key` in `[from, to)`.
    SourceDates {
        id: i64,
        from: String,
        to: String,
    },
    /// A tag's articles with `sort_key` in `[from, to)`.
    TagDates {
        id: i64,
        from: String,
        to: String,
    },
}

impl Scope {
    /// The part of this list with `sort_key` in `[from, to)` (a year or
    /// month of a source's or tag's page).
    pub fn within(self, from: String, to: String) -> Scope {
        match self {
            Scope::Source(id) | Scope::SourceDates { id, .. } => {
                Scope::SourceDates { id, from, to }
            }
            Scope::Tag(id) | Scope::TagDates { id, .. } => Scope::TagDates { id, from, to },
            Scope::All | Scope::Dates { .. } => Scope::Dates { from, to },
        }
    }
}

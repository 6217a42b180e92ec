//! Untrusted text (file and member names, titles, reasons quoting a dump)
//! as logs and terminals may show it: in double quotes, with control
//! characters, line and paragraph separators and bidirectional overrides
//! escaped, so a name cannot start a forged log line or reorder one.

use std::fmt;

/// Displays its text quoted and escaped; Arabic and other letters stay as
/// they are.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if escaped(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

fn escaped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn a_name_cannot_break_or_reorder_a_log_line() {
        let forged = "x\n2026-12-03T00:00:00Z  WARN arshif: FORGED\r\u{1b}[2J\u{202E}txt.exe";
        let shown = Quoted(forged).to_string();
        assert!(
            !shown.contains(['\n', '\r', '\u{1b}', '\u{202E}']),
            "{shown}"
        );
        assert_eq!(
            shown,
            "\"x\\n2026-12-03T00:00:00Z  WARN arshif: FORGED\\r\\u{1b}[2J\\u{202e}txt.exe\""
        );
    }

    #[test]
    fn arabic_names_stay_readable() {
        assert_eq!(
            Quoted("أخبار/مقال \"1\".txt").to_string(),
            "\"أخبار/مقال \\\"1\\\".txt\""
        );
    }
}

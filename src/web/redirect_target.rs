//! Where the sign-in form may send the browser afterwards (`next`): only a
//! path of this site. Browsers are lenient with `Location`: they drop tabs
//! and newlines, read `\` as `/`, and take `//host` or `/\host` as another
//! site, so anything that could turn into one of those is refused.

/// Where to go when `next` is missing or refused.
pub const DEFAULT: &str = "/upload";

/// `next` when it is a same-origin path, else [`DEFAULT`].
///
/// Accepted: one leading `/` not followed by `/` or `\`, and no `\`,
/// whitespace or control character anywhere — in the value as sent and
/// again after percent-decoding it (a browser may decode `%09` itself).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if is_local(path) && is_local(&decoded(path)) => path.to_owned(),
        _ => DEFAULT.to_owned(),
    }
}

fn is_local(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    !rest.starts_with('/')
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control() || invisible(c))
}

/// Format characters that some URL parsers strip like whitespace.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Percent-decoded, with bytes that are not UTF-8 replaced (they can only
/// make the check stricter).
fn decoded(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_of_this_site() {
        for path in [
            "/",
            "/upload",
            "/imports/7",
            "/search?q=%D9%85&page=2",
            "/a/x/سلام",
        ] {
            assert_eq!(local_path(Some(path)), path);
        }
    }

    #[test]
    fn refuses_everything_a_browser_could_read_as_another_site() {
        for next in [
            "//evil.example.com",
            "/\\evil.example.com",
            "\\\\evil.example.com",
            "/\t/evil.example.com",
            "/\n/evil.example.com",
            "/%09/evil.example.com",
            "/%2F/evil.example.com",
            "/%5Cevil.example.com",
            "/ /evil.example.com",
            "/\u{200B}/evil.example.com",
            "https://evil.example.com",
            "evil.example.com",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(local_path(Some(next)), DEFAULT, "{next:?}");
        }
        assert_eq!(local_path(None), DEFAULT);
    }
}

//! Web addresses of pages: resolving a link against its page, and the key
//! two addresses of the same page share, so a "read also" link finds the
//! page it points to among everything crawled.

use url::Url;

/// `href` resolved against `base`: an absolute http(s) address without its
/// fragment, or `None` (a `mailto:`, a script, a bare `#anchor`).
pub fn resolve(base: Option<&Url>, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// The key of a page address: host without `www.`, port when not the
/// default, path and query; the scheme is left out (sites link their own
/// pages as `http` and `https` alike) and percent escapes are upper-cased
/// (`%d8` and `%D8` are the same letter).
pub fn url_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut key = host.to_owned();
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(&upper_escapes(url.path()));
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(&upper_escapes(query));
    }
    key
}

/// The key of an address given as text, when it is a web address.
pub fn key_of(address: &str) -> Option<String> {
    resolve(None, address).map(|url| url_key(&url))
}

fn upper_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_uppercase()));
        }
    }
    out
}

/// The host of a page, without `www.`: the source of last resort.
pub fn host_name(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links_and_drops_fragments() {
        let base = Url::parse("https://example.com/news/a.html").unwrap();
        let got = resolve(Some(&base), "../b.html#comments").unwrap();
        assert_eq!(got.as_str(), "https://example.com/b.html");
        assert!(resolve(Some(&base), "mailto:x@example.com").is_none());
        assert!(resolve(Some(&base), "#top").is_none());
        assert!(resolve(None, "/relative").is_none());
    }

    #[test]
    fn one_page_has_one_key_whatever_the_spelling() {
        let keys: Vec<String> = [
            "https://www.example.com/news/%d8%a7",
            "http://example.com/news/ا",
            "HTTPS://EXAMPLE.com/news/%D8%A7#x",
        ]
        .iter()
        .map(|a| key_of(a).unwrap())
        .collect();
        assert_eq!(keys[0], "example.com/news/%D8%A7");
        assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
    }

    #[test]
    fn keeps_ports_and_queries_apart() {
        assert_eq!(
            key_of("http://127.0.0.1:8080/a?id=1").unwrap(),
            "127.0.0.1:8080/a?id=1"
        );
        assert_ne!(key_of("http://x.com/a?id=1"), key_of("http://x.com/a?id=2"));
    }
}

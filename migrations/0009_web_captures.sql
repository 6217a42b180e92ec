-- Saved web pages (an .html file, a WARC record): where and when each was
-- captured, and the pages their articles' "read also" links point to.
--
-- A side table rather than new values in `files.kind`: SQLite cannot
-- change a CHECK constraint, and rebuilding `files` would copy every
-- stored original of an archive (gigabytes) to add two words. A saved page
-- is one page, so its `files.kind` stays 'page'; the row here says it is
-- HTML (`html`) or a WARC record (`warc`), which reparse reads it as.
CREATE TABLE file_captures (
    file_id       INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    format        TEXT    NOT NULL CHECK (format IN ('html', 'warc')),
    url           TEXT,                        -- the address as captured
    url_key       TEXT,                        -- src/dump/html/links.rs url_key
    canonical_key TEXT,                        -- the key of the page's canonical address
    captured_at   TEXT                         -- WARC-Date (RFC 3339), when known
);
CREATE INDEX file_captures_by_url ON file_captures(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX file_captures_by_canonical ON file_captures(canonical_key)
    WHERE canonical_key IS NOT NULL;

-- "Read also" links of a saved page's article, by the key of the address
-- they point to. Kept after the link is resolved, so a page crawled later
-- (in another import) is still linked from the pages that named it.
CREATE TABLE page_links (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,               -- 1 for the first link, as read-also items
    url_key    TEXT    NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX page_links_by_url ON page_links(url_key);

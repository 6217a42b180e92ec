-- Why a `similar` link was made, stored with the link so the article page
-- reads it instead of working it out on every view (that cost about a
-- sixth of the page's throughput): the names both articles share — their
-- common tags in the owner's order, or when they share none the strongest
-- words both stress, as first written in the archive — at most three,
-- joined by U+001F. NULL for the other kinds, and for a link that shares
-- nothing worth naming.
ALTER TABLE relations ADD COLUMN reason TEXT;

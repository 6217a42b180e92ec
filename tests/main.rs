//! Arshif's integration tests: one binary, one module per feature area.
//! `support` holds the shared helpers (temporary archives, the CLI).

mod live;
mod support;

mod bad_input;
mod browser;
mod browser_curate;
mod crash;
mod import;
mod related;
mod search;
mod web;
mod upload;
mod serve;
mod search_pages;
mod search_index;
mod search_within;
mod story_lists;
mod hardening;
mod upgrade;
mod failures;
mod reparse;
mod access;
mod api;
mod web_pages;
mod calendar;
mod feeds;
mod accounts;
mod private;
mod search_follow;
mod takedown;
mod undo_import;
mod nothing_lost;
mod curation_roles;
mod postgres;
mod store_backends;
mod store_upserts;
mod curate_backends;
mod import_backends;
mod nodes;
mod upload_jobs;
mod copy;

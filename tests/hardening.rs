//! What an attacker tried against a running archive (issue 12), one module
//! per weakness closed, and the backup and disk-full behaviour.

mod backup;
mod disk_full;
mod feeds_xml;
mod log_forging;
mod login;
mod pages;
mod requests;
mod server;
mod slow_clients;

//! What an attacker tried against a running archive (issue 12), one module
//! per weakness closed, and the backup and disk-full behaviour.

mod feeds_xml;
mod log_forging;
mod login;
mod requests;
mod server;
mod slow_clients;

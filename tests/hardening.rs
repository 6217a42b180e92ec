//! What an attacker tried against a running archive (issue 12), one module
//! per weakness closed, and the backup and disk-full behaviour.

mod requests;

//! Who is asking, for throttling sign-in attempts: the connection's peer
//! address, or, when the peer is a trusted reverse proxy
//! (`--trusted-proxy`), the right-most `X-Forwarded-For` entry that is not
//! one. Entries left of it were written by the client itself and prove
//! nothing; without trusted proxies the header is ignored.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;

use super::AppState;

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address, as an extractor that never fails (in-process
/// tests have no connection, and count as one unspecified client).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded = parts
            .headers
            .get_all(X_FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok());
        Ok(ClientIp(client_address(
            peer,
            forwarded,
            &state.config.trusted_proxies,
        )))
    }
}

/// The client behind `peer`: `peer` itself unless it is trusted; then the
/// right-most forwarded entry that is not trusted (all trusted: the
/// left-most). An entry that is not an address stops the walk at the last
/// hop a trusted proxy vouched for.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(&client) {
        return client;
    }
    let entries: Vec<&str> = forwarded.flat_map(|v| v.split(',')).collect();
    for entry in entries.iter().rev() {
        let Some(ip) = parse_entry(entry.trim()) else {
            return client;
        };
        client = canonical(ip);
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// `1.2.3.4`, `2001:db8::1`, and the forms with a port some proxies write
/// (`1.2.3.4:5678`, `[2001:db8::1]:80`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
}

/// An IPv4 client reached over IPv6 (`::ffff:1.2.3.4`) is that IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let client = client_address(ip("203.0.113.9"), ["198.51.100.1"].into_iter(), &[]);
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let header = ["6.6.6.6, 198.51.100.7", "10.1.2.3"];
        let client = client_address(ip("127.0.0.1"), header.into_iter(), &trusted);
        assert_eq!(
            client,
            ip("198.51.100.7"),
            "the spoofed left entry is not believed"
        );
        let from_stranger = client_address(ip("192.0.2.1"), header.into_iter(), &trusted);
        assert_eq!(
            from_stranger,
            ip("192.0.2.1"),
            "an untrusted peer's header is ignored"
        );
    }

    #[test]
    fn odd_entries_stop_at_the_last_hop_vouched_for() {
        let trusted = nets(&["127.0.0.1/32"]);
        let peer = ip("127.0.0.1");
        let garbage = client_address(peer, ["unknown"].into_iter(), &trusted);
        assert_eq!(garbage, peer);
        let with_port = client_address(peer, ["[2001:db8::1]:4711"].into_iter(), &trusted);
        assert_eq!(with_port, ip("2001:db8::1"));
        let mapped = client_address(peer, ["::ffff:198.51.100.7"].into_iter(), &trusted);
        assert_eq!(mapped, ip("198.51.100.7"));
        let all_trusted = client_address(peer, ["127.0.0.1"].into_iter(), &trusted);
        assert_eq!(all_trusted, peer);
    }
}

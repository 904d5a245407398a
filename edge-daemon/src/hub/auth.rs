//! Bearer tokens, for every transport that checks one (the API token, the
//! deploy token).

use hyper::header::{AUTHORIZATION, HeaderMap};

/// Whether `headers` carry `Authorization: Bearer <token>` (the scheme
/// in any case, RFC 9110 §11.1; exactly one such header).
pub fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let mut all = headers.get_all(AUTHORIZATION).iter();
    let (Some(header), None) = (all.next(), all.next()) else { return false };
    let Some((scheme, given)) = header.to_str().ok().and_then(|h| h.trim().split_once(' ')) else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && constant_time_eq(given.trim().as_bytes(), token.as_bytes())
}

/// Compares without leaking where two tokens differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3cre"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        let mut h = HeaderMap::new();
        assert!(!bearer_matches(&h, "s3cret"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer s3cret"));
        assert!(bearer_matches(&h, "s3cret"));
        assert!(!bearer_matches(&h, "other"));
        for scheme in ["bearer s3cret", "BEARER  s3cret", "Bearer s3cret "] {
            h.insert(AUTHORIZATION, HeaderValue::from_static(scheme));
            assert!(bearer_matches(&h, "s3cret"), "{scheme}");
        }
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic s3cret"));
        assert!(!bearer_matches(&h, "s3cret"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer s3cret"));
        h.append(AUTHORIZATION, HeaderValue::from_static("Bearer other"));
        assert!(!bearer_matches(&h, "s3cret"), "two Authorization headers");
    }
}

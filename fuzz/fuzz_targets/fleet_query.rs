//! A fleet manager's UDP query (seed 003), as anyone on the network may send
//! it to an agent: `fleet::Query::parse` never panics, and what it accepts
//! writes back to a datagram that reads as the same query.
#![no_main]

use edgestat_core::fleet::{MAX_QUERY, Query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = Query::parse(data) {
        let mut buf = [0u8; MAX_QUERY];
        let len = query.write(&mut buf).expect("a query fits MAX_QUERY bytes");
        assert_eq!(Query::parse(&buf[..len]), Ok(query));
    }
});

//! Helpers shared by the parser integration tests (`mod common;`).

/// Serializes `$value` with `edgestat_core::json::to_slice` into a stack
/// buffer and compares the bytes with `$expected`.
macro_rules! assert_json {
    ($value:expr, $expected:expr) => {{
        let mut buf = [0u8; 4096];
        let n = edgestat_core::json::to_slice(&$value, &mut buf).expect("JSON fits");
        let expected: &str = $expected;
        assert_eq!(
            &buf[..n],
            expected.as_bytes(),
            "\n got: {}\nwant: {}",
            String::from_utf8_lossy(&buf[..n]),
            expected
        );
    }};
}

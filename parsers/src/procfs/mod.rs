//! procfs parsers (in progress).

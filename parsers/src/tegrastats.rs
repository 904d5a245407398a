//! tegrastats (in progress).

//! vcgencmd parsers (in progress).

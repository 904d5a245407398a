//! sysfs parsers (in progress).

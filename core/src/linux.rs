//! Generic Linux figures from /proc and the device tree.

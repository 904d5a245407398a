//! edgestat (in progress).
fn main() {}

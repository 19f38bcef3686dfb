//! Placeholder: the interop bench is added in a later commit.
fn main() {}

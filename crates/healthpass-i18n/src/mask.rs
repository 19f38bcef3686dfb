//! Masking a name for display as people of its script expect: a Chinese (Japanese, Korean)
//! name keeps its first and last character (`陈小明` → `陈*明`, `陈明` → `陈*`); a name in an
//! alphabet keeps the first letter of each word (`Chan Tai Man` → `C** T** M**`).
//!
//! The rule has one implementation, the core's [`healthpass::decide::mask_name`] (a
//! checkpoint's verdict masks with it too), re-exported here so that code wording things for
//! people finds it beside the languages.

pub use healthpass::decide::mask_name;

//! [`StringSet`]: a set of strings kept as one sorted vector.
//!
//! What the cursor walks, the sync planner and the client's sync need of a
//! set — insert, with whether it was new — in a fraction of the wasm code of a
//! `HashSet` (hashbrown's tables, SipHash and their instantiations per key
//! type add about 12 KB to the module). Lookups are binary searches;
//! inserts move the larger half of the vector, which for the sets here
//! (cursors of one walk, threads of one sync) costs less than hashing.

use crate::prelude::*;

/// A set of strings, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringSet(Vec<String>);

impl StringSet {
    /// An empty set.
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Where `value` is, or where it would go.
    fn find(&self, value: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|item| item.as_str().cmp(value))
    }

    /// Adds `value`; `true` when it was not there yet.
    pub fn insert(&mut self, value: &str) -> bool {
        match self.find(value) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, value.to_owned());
                true
            }
        }
    }

    /// Adds `value`, which the set keeps when it was not there yet.
    pub fn insert_owned(&mut self, value: String) {
        if let Err(at) = self.find(&value) {
            self.0.insert(at, value);
        }
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: &str) -> bool {
        self.find(value).is_ok()
    }

    /// How many strings the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The strings, in order.
    pub fn iter(&self) -> ::core::slice::Iter<'_, String> {
        self.0.iter()
    }

    /// The strings, in order, given up.
    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

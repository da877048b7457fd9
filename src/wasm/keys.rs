//! Property names as JS strings, made once each.
//!
//! Every `Reflect.get` / `Reflect.set` of the facade names its property
//! with a JS string. Passing a Rust `&str` decodes it in JS on every call;
//! the names repeat (the same few dozen on every item of every page), so
//! each is decoded once and its JS string kept. This replaces
//! wasm-bindgen's `enable-interning` cache, which hashes (SipHash) every
//! string that crosses into JS — URLs, bodies, texts — to look it up, and
//! links hashbrown into the module.

use crate::prelude::*;

use ::core::cell::RefCell;
use alloc::borrow::Cow;

use wasm_bindgen::JsValue;

/// Names kept at most: what the facade itself uses is far fewer; names
/// from data (the members of a webhook's raw objects) stop being kept
/// once the cache is full, so it cannot grow without bound.
const MAX_KEPT: usize = 512;
/// Longer names are not kept: property names of the Graph are short.
const MAX_LEN: usize = 48;

/// Slots of the table that finds a kept name: twice as many as names
/// kept, so a free slot always ends a search.
const SLOTS: usize = 2 * MAX_KEPT;

/// The names kept and their JS strings, found through an open-addressing
/// table keyed by a hash of the name: a lookup reads one slot and one kept
/// name, where a binary search read nine (each a miss in the CPU's caches
/// when a call starts cold). The JS strings are leaked on purpose: they
/// live as long as the module, and a `'static` borrow saves a
/// reference-table entry per lookup.
struct Kept {
    names: Vec<(Box<str>, &'static JsValue)>,
    /// 1 + an index into `names`, at the name's hash (probed onwards on a
    /// collision); 0 for a free slot.
    slots: [u16; SLOTS],
}

static KEPT: super::local::Local<RefCell<Kept>> =
    super::local::Local(RefCell::new(Kept { names: Vec::new(), slots: [0; SLOTS] }));

/// 32-bit FNV-1a of `name`.
fn hash(name: &str) -> usize {
    name.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)) as usize
}

/// `name` as a JS string.
pub fn key(name: &str) -> Cow<'static, JsValue> {
    if name.len() > MAX_LEN {
        return Cow::Owned(JsValue::from_str(name));
    }
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        let mut at = hash(name) % SLOTS;
        // Ends at a free slot: at most MAX_KEPT of the SLOTS are taken.
        while let Some(&slot) = kept.slots.get(at) {
            if slot == 0 {
                break;
            }
            if let Some((kept_name, value)) = kept.names.get(usize::from(slot) - 1) {
                if **kept_name == *name {
                    return Cow::Borrowed(*value);
                }
            }
            at = (at + 1) % SLOTS;
        }
        if kept.names.len() >= MAX_KEPT {
            return Cow::Owned(JsValue::from_str(name));
        }
        let value: &'static JsValue = Box::leak(Box::new(JsValue::from_str(name)));
        kept.names.push((name.into(), value));
        let index = kept.names.len() as u16;
        if let Some(slot) = kept.slots.get_mut(at) {
            *slot = index;
        }
        Cow::Borrowed(value)
    })
}
